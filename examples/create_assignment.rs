//! Creates a deviceManagementIntentAssignment, the operation of Graph's
//! `POST /deviceManagement/intents/{deviceManagementIntentId}/assignments`.
//!
//! By default it starts a Graph-like endpoint on 127.0.0.1 in this process (no network, no
//! credentials) and talks to it through the real `Client` and the default reqwest transport.
//!
//! With `GRAPH_BASE_URL` (e.g. `https://graph.microsoft.com/beta`) and `GRAPH_INTENT_ID` set,
//! it makes the same call to that tenant instead, signed in
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

use std::error::Error;

use graph_resource::{Client, ClientBuilder, UntypedResource, graph_resource};

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
    let assignment = DeviceManagementIntentAssignment {
        id: None,
        target: Some(DeviceAndAppManagementAssignmentTarget::Group(
            GroupAssignmentTarget {
                group_id: Some("3f2a6b9c-5d4e-4f1a-9b8c-7d6e5f4a3b2c".into()),
            },
        )),
    };

    let real = (
        std::env::var("GRAPH_BASE_URL"),
        std::env::var("GRAPH_INTENT_ID"),
    );
    if let (Ok(base_url), Ok(intent_id)) = real {
        let client = signed_in(Client::builder().base_url(base_url))?.build()?;
        let created =
            DeviceManagementIntentAssignment::create(&client, &intent_id, &assignment).await?;
        println!("created: {created:#?}");
        return Ok(());
    }

    let server = http_server::TestServer::start(local_graph).await;
    let client = Client::builder()
        .base_url(format!("{}/beta", server.url()))
        .bearer_token("local-example-token")
        .build()?;
    let created =
        DeviceManagementIntentAssignment::create(&client, "b2c1a0f9-intent", &assignment).await?;

    for request in server.requests() {
        println!("sent: {} {}", request.method, request.target);
        for (name, value) in &request.headers {
            let value = if name.eq_ignore_ascii_case("authorization") {
                "Bearer <redacted>"
            } else {
                value
            };
            println!("  {name}: {value}");
        }
        println!("  body: {}", String::from_utf8_lossy(&request.body));
    }
    println!("created: {created:#?}");
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

/// Answers like Graph: the posted assignment back with an id, `201 Created`.
fn local_graph(request: &http_server::Captured) -> http_server::Reply {
    let is_create = request.method == "POST"
        && request
            .target
            .starts_with("/beta/deviceManagement/intents/")
        && request.target.ends_with("/assignments");
    if !is_create {
        return http_server::Reply::json(
            404,
            r#"{"error":{"code":"ResourceNotFound","message":"Resource not found."}}"#,
        );
    }
    let Ok(serde_json::Value::Object(mut body)) = serde_json::from_slice(&request.body) else {
        return http_server::Reply::json(
            400,
            r#"{"error":{"code":"BadRequest","message":"Invalid JSON."}}"#,
        );
    };
    body.insert("id".into(), "4c63bff1-bff1-4c63-f1bf-634cf1bf634c".into());
    http_server::Reply::json(201, &serde_json::Value::Object(body).to_string())
}
