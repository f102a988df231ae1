//! Creates a deviceManagementIntentAssignment (Graph's
//! `POST /deviceManagement/intents/{deviceManagementIntentId}/assignments`), then reads it
//! back, lists the intent's assignments a page at a time, changes it and deletes it.
//!
//! By default it starts a Graph-like endpoint on 127.0.0.1 in this process (no network, no
//! credentials) and talks to it through the real `Client` and the default reqwest transport.
//!
//! With `GRAPH_BASE_URL` (e.g. `https://graph.microsoft.com/beta`) and `GRAPH_INTENT_ID` set,
//! it makes the same calls to that tenant instead, signed in
//! - with the `azure-identity` feature, as Azure's own tools sign in: a client secret from
//!   `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET` when all three are set,
//!   else the account of the Azure CLI (`az login`, in `AZURE_TENANT_ID` when set);
//! - without it, with the bearer token in `GRAPH_TOKEN`.
//!
//! ```text
//! cargo run --example create_assignment
//! GRAPH_BASE_URL=https://graph.microsoft.com/beta GRAPH_INTENT_ID=… \
//!     cargo run --example create_assignment --features azure-identity
//! ```

#[path = "../tests/support/http_server.rs"]
mod http_server;

use std::collections::BTreeMap;
use std::error::Error;
use std::sync::Mutex;

use futures_util::StreamExt;
use graph_resource::{Client, ClientBuilder, UntypedResource, graph_resource};
use http_server::{Captured, Reply};
use serde_json::{Value, json};

/// An assignment of a device management intent to a target.
#[graph_resource(path = "/deviceManagement/intents/<>/assignments")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
    pub target: Option<DeviceAndAppManagementAssignmentTarget>,
}

/// Who an assignment applies to.
#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceAndAppManagementAssignmentTarget {
    Group(GroupAssignmentTarget),
    ExclusionGroup(ExclusionGroupAssignmentTarget),
    AllDevices(AllDevicesAssignmentTarget),
    AllLicensedUsers(AllLicensedUsersAssignmentTarget),
    #[graph(other)]
    Other(UntypedResource),
}

/// The members of a group.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
}

/// Everyone but the members of a group.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExclusionGroupAssignmentTarget {
    pub group_id: Option<String>,
}

/// Every device.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllDevicesAssignmentTarget {}

/// Every licensed user.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllLicensedUsersAssignmentTarget {}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // Display, not Debug: azure_identity's errors carry whole backtraces in Debug.
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let real = (
        std::env::var("GRAPH_BASE_URL"),
        std::env::var("GRAPH_INTENT_ID"),
    );
    if let (Ok(base_url), Ok(intent_id)) = real {
        let client = signed_in(Client::builder().base_url(base_url))?.build()?;
        return walk_through(&client, &intent_id).await;
    }

    let store = LocalGraph::default();
    let server = http_server::TestServer::start(move |request| store.answer(request)).await;
    let client = Client::builder()
        .base_url(format!("{}/beta", server.url()))
        .bearer_token("local-example-token")
        .build()?;
    walk_through(&client, "b2c1a0f9-intent").await?;

    println!("\nwhat the endpoint received:");
    for request in server.requests() {
        println!("  {} {}", request.method, request.target);
        if !request.body.is_empty() {
            println!("    {}", String::from_utf8_lossy(&request.body));
        }
    }
    Ok(())
}

/// Signs in as Azure's tools do: a client secret from `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`
/// and `AZURE_CLIENT_SECRET`, else the Azure CLI.
#[cfg(feature = "azure-identity")]
fn signed_in(builder: ClientBuilder) -> Result<ClientBuilder, Box<dyn Error>> {
    use std::sync::Arc;

    use graph_resource::azure_core::credentials::TokenCredential;
    use graph_resource::azure_identity::{
        AzureCliCredential, AzureCliCredentialOptions, ClientSecretCredential,
    };

    let var = |name| std::env::var(name).ok().filter(|value| !value.is_empty());
    let (tenant_id, client_id, secret) = (
        var("AZURE_TENANT_ID"),
        var("AZURE_CLIENT_ID"),
        var("AZURE_CLIENT_SECRET"),
    );
    let credential: Arc<dyn TokenCredential> = match (tenant_id, client_id, secret) {
        (Some(tenant_id), Some(client_id), Some(secret)) => {
            eprintln!("signing in as application {client_id} with its client secret");
            ClientSecretCredential::new(&tenant_id, client_id, secret.into(), None)?
        }
        (tenant_id, _, _) => {
            eprintln!("signing in with the account of the Azure CLI");
            let options = AzureCliCredentialOptions {
                tenant_id,
                ..Default::default()
            };
            AzureCliCredential::new(Some(options))?
        }
    };
    Ok(builder.credential(credential))
}

/// Without the `azure-identity` feature: the bearer token in `GRAPH_TOKEN`.
#[cfg(not(feature = "azure-identity"))]
fn signed_in(builder: ClientBuilder) -> Result<ClientBuilder, Box<dyn Error>> {
    let token = std::env::var("GRAPH_TOKEN").map_err(|_| {
        "set GRAPH_TOKEN, or run with `--features azure-identity` to sign in with \
         AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or the Azure CLI"
    })?;
    Ok(builder.bearer_token(token))
}

/// Every operation on the assignments of one intent.
async fn walk_through(client: &Client, intent_id: &str) -> Result<(), Box<dyn Error>> {
    let to_group = DeviceManagementIntentAssignment {
        id: None,
        target: Some(
            GroupAssignmentTarget {
                group_id: Some("3f2a6b9c-5d4e-4f1a-9b8c-7d6e5f4a3b2c".into()),
            }
            .into(),
        ),
    };
    let to_all_devices = DeviceManagementIntentAssignment {
        id: None,
        target: Some(AllDevicesAssignmentTarget {}.into()),
    };

    // POST .../assignments, 201 Created and the entity (a `204` or `202` would say where
    // it is instead: created all the same).
    let created = DeviceManagementIntentAssignment::create(client, intent_id, &to_group)
        .await?
        .into_entity()
        .ok_or("Graph created the assignment without sending it back")?;
    let other = DeviceManagementIntentAssignment::create(client, intent_id, &to_all_devices)
        .await?
        .into_entity()
        .ok_or("Graph created the assignment without sending it back")?;
    println!("created: {created:?}");
    let id = created
        .id
        .clone()
        .ok_or("Graph gave the assignment no id")?;

    // GET .../assignments/{id}
    let read = DeviceManagementIntentAssignment::get(client, intent_id, &id).await?;
    println!("read back: {read:?}");

    // GET .../assignments, one page at a time, following @odata.nextLink.
    let mut pages = DeviceManagementIntentAssignment::list(client, intent_id)
        .page_size(1)
        .pages();
    while let Some(page) = pages.next().await {
        let page = page?;
        println!(
            "a page of {} assignment(s), more: {}",
            page.items.len(),
            page.next_link.is_some()
        );
    }

    // PATCH .../assignments/{id} with only what changed: the target.
    let mut changed = read.clone();
    changed.target = Some(
        ExclusionGroupAssignmentTarget {
            group_id: Some("3f2a6b9c-5d4e-4f1a-9b8c-7d6e5f4a3b2c".into()),
        }
        .into(),
    );
    DeviceManagementIntentAssignment::update(client, intent_id, &id, &changed)
        .changed_from(&read)
        .await?;
    println!("retargeted to an exclusion group");

    // DELETE .../assignments/{id}, then the assignment is gone.
    for assignment in [&created, &other] {
        if let Some(id) = &assignment.id {
            DeviceManagementIntentAssignment::delete(client, intent_id, id).await?;
        }
    }
    match DeviceManagementIntentAssignment::get(client, intent_id, &id).await {
        Err(error) if error.is_not_found() => println!("deleted: {error}"),
        Err(error) => return Err(error.into()),
        Ok(still) => println!("still there: {still:?}"),
    }
    Ok(())
}

/// A Graph-like endpoint for one intent's assignments, in memory.
#[derive(Default)]
struct LocalGraph {
    assignments: Mutex<BTreeMap<String, Value>>,
}

impl LocalGraph {
    fn answer(&self, request: &Captured) -> Reply {
        let path = request.target.split('?').next().unwrap_or_default();
        let Some(rest) = path.strip_prefix("/beta/deviceManagement/intents/") else {
            return error(404, "ResourceNotFound", "Resource not found.");
        };
        let mut segments = rest.split('/');
        let (Some(_intent), Some("assignments"), member, None) = (
            segments.next(),
            segments.next(),
            segments.next(),
            segments.next(),
        ) else {
            return error(404, "ResourceNotFound", "Resource not found.");
        };
        let mut assignments = self.assignments.lock().unwrap_or_else(|e| e.into_inner());
        match (request.method.as_str(), member) {
            ("POST", None) => {
                let Ok(Value::Object(mut body)) = serde_json::from_slice(&request.body) else {
                    return error(400, "BadRequest", "Invalid JSON.");
                };
                let id = format!("4c63bff1-bff1-4c63-f1bf-{:012x}", assignments.len() + 1);
                body.insert("id".into(), id.clone().into());
                assignments.insert(id, Value::Object(body.clone()));
                body.insert("@odata.context".into(), "https://graph.microsoft.com/beta/$metadata#deviceManagement/intents('b2c1a0f9-intent')/assignments/$entity".into());
                Reply::json(201, &Value::Object(body).to_string())
            }
            ("GET", None) => {
                let skip: usize = request
                    .target
                    .split("$skiptoken=")
                    .nth(1)
                    .and_then(|token| token.parse().ok())
                    .unwrap_or(0);
                let size = request
                    .header("prefer")
                    .and_then(|prefer| prefer.strip_prefix("odata.maxpagesize="))
                    .and_then(|size| size.parse().ok())
                    .unwrap_or(100);
                let items: Vec<&Value> = assignments.values().skip(skip).take(size).collect();
                let mut page = json!({"value": items});
                if skip + size < assignments.len() {
                    let host = request.header("host").unwrap_or_default();
                    page["@odata.nextLink"] =
                        format!("http://{host}{path}?$skiptoken={}", skip + size).into();
                }
                Reply::json(200, &page.to_string())
            }
            ("GET", Some(id)) => match assignments.get(id) {
                Some(assignment) => Reply::json(200, &assignment.to_string()),
                None => error(404, "ResourceNotFound", "No such assignment."),
            },
            ("PATCH", Some(id)) => {
                let (Some(Value::Object(stored)), Ok(Value::Object(changes))) = (
                    assignments.get_mut(id),
                    serde_json::from_slice::<Value>(&request.body),
                ) else {
                    return error(404, "ResourceNotFound", "No such assignment.");
                };
                stored.extend(changes);
                Reply::Respond {
                    status: 204,
                    headers: Vec::new(),
                    body: Vec::new(),
                }
            }
            ("DELETE", Some(id)) => match assignments.remove(id) {
                Some(_) => Reply::Respond {
                    status: 204,
                    headers: Vec::new(),
                    body: Vec::new(),
                },
                None => error(404, "ResourceNotFound", "No such assignment."),
            },
            _ => error(405, "MethodNotAllowed", "Not supported here."),
        }
    }
}

fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": {"code": code, "message": message}}).to_string(),
    )
}
