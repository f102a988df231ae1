//! Manages a group's members and assigns a device configuration to the group:
//!
//! - lists the members (`GET /groups/{id}/members`), decoded into users and groups;
//! - adds a member by reference (`POST /groups/{id}/members/$ref` with the member's full URL);
//! - counts the members (`GET /groups/{id}/members/$count`, `ConsistencyLevel: eventual`);
//! - removes a member (`DELETE /groups/{id}/members/{id}/$ref`);
//! - assigns a device configuration to the group with the bound action `assign`, declared on
//!   the type with its typed body (`POST /deviceManagement/deviceConfigurations/{id}/assign`).
//!
//! It starts a Graph-like endpoint on 127.0.0.1 in this process (no network, no credentials),
//! talks to it through the real `Client` and the default reqwest transport, prints what it
//! does and checks what the endpoint received.
//!
//! ```text
//! cargo run --example group_members
//! ```

#[path = "../tests/support/http_server.rs"]
mod http_server;

use std::collections::BTreeMap;
use std::error::Error;
use std::sync::Mutex;

use graph_resource::{Client, Page, UntypedResource, graph_resource};
use http_server::{Captured, Reply};
use serde_json::{Value, json};

/// What users and groups derive from.
#[graph_resource(path = "/directoryObjects")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DirectoryObject {
    pub id: Option<String>,
}

/// A user.
#[graph_resource(path = "/users")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct User {
    #[graph(base)]
    pub base: DirectoryObject,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
}

/// A group, whose members are users and groups stored elsewhere.
#[graph_resource(path = "/groups")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    #[graph(base)]
    pub base: DirectoryObject,
    pub display_name: Option<String>,
    #[graph(navigation)]
    pub members: Option<Vec<DirectoryObjectKind>>,
}

/// A member: a user, a group, or a type this program does not model.
#[graph_resource(base = "DirectoryObject")]
#[derive(Debug, Clone, PartialEq)]
pub enum DirectoryObjectKind {
    User(User),
    Group(Group),
    #[graph(other)]
    Other(UntypedResource),
}

/// A device configuration, with its bound action `assign`.
#[graph_resource(
    path = "/deviceManagement/deviceConfigurations",
    actions(assign(DeviceConfigurationAssignBody) -> Page<DeviceConfigurationAssignment>),
)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceConfiguration {
    pub id: Option<String>,
    pub display_name: Option<String>,
}

/// The parameters of `assign`: sent without an `@odata.type` of their own.
#[graph_resource(parameters)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceConfigurationAssignBody {
    pub assignments: Option<Vec<DeviceConfigurationAssignment>>,
}

/// An assignment of a device configuration to a target.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceConfigurationAssignment {
    pub id: Option<String>,
    pub target: Option<GroupAssignmentTarget>,
}

/// The members of a group, as an assignment's target.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
}

const GROUP: &str = "0a1b2c3d-group";
const NEW_MEMBER: &str = "u3-megan";
const CONFIGURATION: &str = "c1-windows10";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let graph = LocalGraph::with_members([
        json!({"@odata.type": "#microsoft.graph.user", "id": "u1-adele", "displayName": "Adele Vance", "userPrincipalName": "adele@contoso.com"}),
        json!({"@odata.type": "#microsoft.graph.user", "id": "u2-alex", "displayName": "Alex Wilber", "userPrincipalName": "alex@contoso.com"}),
        json!({"@odata.type": "#microsoft.graph.group", "id": "g2-sales", "displayName": "Sales"}),
    ]);
    let server = http_server::TestServer::start(move |request| graph.answer(request)).await;
    let client = Client::builder()
        .base_url(format!("{}/v1.0", server.url()))
        .bearer_token("local-example-token")
        .build()?;

    let members = || Group::at(&client, GROUP).to(Group::MEMBERS);

    let page = members().list().await?;
    println!("the group has {} members:", page.items.len());
    for member in &page.items {
        match member {
            DirectoryObjectKind::User(user) => println!(
                "  user  {:?} <{}>",
                user.display_name.as_deref().unwrap_or_default(),
                user.user_principal_name.as_deref().unwrap_or_default()
            ),
            DirectoryObjectKind::Group(group) => println!(
                "  group {:?}",
                group.display_name.as_deref().unwrap_or_default()
            ),
            DirectoryObjectKind::Other(other) => println!("  other {other:?}"),
        }
    }

    members().add_reference(NEW_MEMBER).await?;
    println!("added {NEW_MEMBER} by reference");
    let count = members().count().await?;
    println!("the group now counts {count} members");
    members().remove_reference("u2-alex").await?;
    println!("removed u2-alex");
    let count = members().count().await?;
    println!("the group now counts {count} members");

    let body = DeviceConfigurationAssignBody {
        assignments: Some(vec![DeviceConfigurationAssignment {
            id: None,
            target: Some(GroupAssignmentTarget {
                group_id: Some(GROUP.to_owned()),
            }),
        }]),
    };
    let assigned = DeviceConfiguration::at(&client, CONFIGURATION)
        .call(DeviceConfiguration::ASSIGN, &body)
        .await?;
    for assignment in &assigned.items {
        println!(
            "configuration {CONFIGURATION} assigned: {:?} to group {:?}",
            assignment.id.as_deref().unwrap_or_default(),
            assignment
                .target
                .as_ref()
                .and_then(|target| target.group_id.as_deref())
                .unwrap_or_default()
        );
    }

    let requests = server.requests();
    println!("\nwhat the endpoint received:");
    for request in &requests {
        println!("  {} {}", request.method, request.decoded_target());
        if !request.body.is_empty() {
            println!("    {}", String::from_utf8_lossy(&request.body));
        }
    }
    check(&requests, &server.url())?;
    println!("\nall requests were as Graph expects them");
    Ok(())
}

/// What each request must have been, in order.
fn check(requests: &[Captured], server: &str) -> Result<(), String> {
    let members = format!("/v1.0/groups/{GROUP}/members");
    let expected = [
        ("GET", members.clone()),
        ("POST", format!("{members}/$ref")),
        ("GET", format!("{members}/$count")),
        ("DELETE", format!("{members}/u2-alex/$ref")),
        ("GET", format!("{members}/$count")),
        (
            "POST",
            format!("/v1.0/deviceManagement/deviceConfigurations/{CONFIGURATION}/assign"),
        ),
    ];
    let sent: Vec<(&str, String)> = requests
        .iter()
        .map(|request| (request.method.as_str(), request.decoded_target()))
        .collect();
    let wanted: Vec<(&str, String)> = expected.to_vec();
    if sent != wanted {
        return Err(format!("sent {sent:?}, expected {wanted:?}"));
    }
    let body = |index: usize| {
        requests
            .get(index)
            .and_then(|request| serde_json::from_slice::<Value>(&request.body).ok())
    };
    let reference = json!({"@odata.id": format!("{server}/v1.0/directoryObjects/{NEW_MEMBER}")});
    if body(1) != Some(reference.clone()) {
        return Err(format!(
            "the reference was {:?}, expected {reference}",
            body(1)
        ));
    }
    let counted_eventually = [2, 4].iter().all(|&index| {
        requests
            .get(index)
            .and_then(|request| request.header("consistencylevel"))
            == Some("eventual")
    });
    if !counted_eventually {
        return Err("`$count` went without `ConsistencyLevel: eventual`".to_owned());
    }
    let assignment = json!({"assignments": [{
        "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
        "target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": GROUP}
    }]});
    if body(5) != Some(assignment.clone()) {
        return Err(format!(
            "`assign` sent {:?}, expected {assignment}",
            body(5)
        ));
    }
    Ok(())
}

/// A Graph-like endpoint for one group's members and the assignments of configurations, in
/// memory.
struct LocalGraph {
    members: Mutex<BTreeMap<String, Value>>,
}

impl LocalGraph {
    fn with_members(members: impl IntoIterator<Item = Value>) -> Self {
        let members = members
            .into_iter()
            .filter_map(|member| Some((member.get("id")?.as_str()?.to_owned(), member)))
            .collect();
        LocalGraph {
            members: Mutex::new(members),
        }
    }

    fn answer(&self, request: &Captured) -> Reply {
        let target = request.decoded_target();
        let path = target.split('?').next().unwrap_or_default();
        let members = format!("/v1.0/groups/{GROUP}/members");
        let mut stored = self.members.lock().unwrap_or_else(|e| e.into_inner());
        let method = request.method.as_str();
        if let Some(rest) = path.strip_prefix(&members) {
            let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
            return match (method, segments.as_slice()) {
                ("GET", []) => {
                    let items: Vec<&Value> = stored.values().collect();
                    Reply::json(200, &json!({"value": items}).to_string())
                }
                ("GET", ["$count"]) if request.header("consistencylevel") == Some("eventual") => {
                    Reply::with_type(200, "text/plain", &stored.len().to_string())
                }
                ("GET", ["$count"]) => error(
                    400,
                    "Request_BadRequest",
                    "$count needs ConsistencyLevel: eventual.",
                ),
                ("POST", ["$ref"]) => {
                    let id = serde_json::from_slice::<Value>(&request.body)
                        .ok()
                        .and_then(|body| {
                            Some(
                                body.get("@odata.id")?
                                    .as_str()?
                                    .rsplit('/')
                                    .next()?
                                    .to_owned(),
                            )
                        });
                    let Some(id) = id else {
                        return error(400, "Request_BadRequest", "Invalid @odata.id.");
                    };
                    let user = json!({"@odata.type": "#microsoft.graph.user", "id": id});
                    stored.insert(id, user);
                    no_content()
                }
                ("DELETE", [id, "$ref"]) => match stored.remove(*id) {
                    Some(_) => no_content(),
                    None => error(404, "Request_ResourceNotFound", "Not a member."),
                },
                _ => error(405, "MethodNotAllowed", "Not supported here."),
            };
        }
        let assign = format!("/v1.0/deviceManagement/deviceConfigurations/{CONFIGURATION}/assign");
        if method == "POST" && path == assign {
            let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
                return error(400, "BadRequest", "Invalid JSON.");
            };
            let assignments: Vec<Value> = body["assignments"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(index, assignment)| {
                    let mut assignment = assignment.clone();
                    if let Some(fields) = assignment.as_object_mut() {
                        fields.insert("id".into(), format!("{CONFIGURATION}_{index}").into());
                    }
                    assignment
                })
                .collect();
            return Reply::json(200, &json!({"value": assignments}).to_string());
        }
        error(404, "ResourceNotFound", "Resource not found.")
    }
}

fn no_content() -> Reply {
    Reply::Respond {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    }
}

fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": {"code": code, "message": message}}).to_string(),
    )
}
