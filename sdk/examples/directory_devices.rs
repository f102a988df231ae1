//! The generated SDK at work: lists users, reads a group's members, assigns a device
//! configuration to that group, then syncs, retires and wipes a managed device.
//!
//! It starts a Graph-like endpoint on 127.0.0.1 in this process (no network, no
//! credentials) and talks to it through the real `Client` and the reqwest transport; at
//! the end it prints what the endpoint received.
//!
//! ```text
//! cargo run -p graph-resource-directory-devices --example directory_devices
//! ```

#[path = "../../tests/support/http_server.rs"]
mod http_server;

use std::error::Error;

use futures_util::StreamExt;
use graph_resource::Client;
use graph_resource_directory_devices::{
    DeviceAndAppManagementAssignmentTargetKind, DeviceConfiguration, DeviceConfigurationAssignBody,
    DeviceConfigurationAssignment, DeviceConfigurationKind, DirectoryObjectKind, Group,
    GroupAssignmentTarget, ManagedDevice, ManagedDeviceWipeBody, UserKind, groups,
};
use http_server::{Captured, Reply};
use serde_json::{Value, json};

const GROUP: &str = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
const CONFIGURATION: &str = "9e1a6f3c-22f4-4b8e-a6b5-0f3c5d7e8a91";
const DEVICE: &str = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d";

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let server = http_server::TestServer::start(answer).await;
    let client = Client::builder()
        .base_url(format!("{}/v1.0", server.url()))
        .bearer_token("local-example-token")
        .build()?;
    walk_through(&client).await?;

    println!("\nwhat the endpoint received:");
    for request in server.requests() {
        println!("  {} {}", request.method, request.target);
        if !request.body.is_empty() {
            println!("    {}", String::from_utf8_lossy(&request.body));
        }
    }
    Ok(())
}

async fn walk_through(client: &Client) -> Result<(), Box<dyn Error>> {
    // GET /users, a page at a time: a user without `@odata.type` is a `User`.
    let mut pages = UserKind::list(client).page_size(2).pages();
    while let Some(page) = pages.next().await {
        for user in page?.items {
            match user {
                UserKind::User(user) => println!(
                    "user {}",
                    user.user_principal_name.as_deref().unwrap_or("(no name)")
                ),
                other => println!("another kind of user: {other:?}"),
            }
        }
    }

    // GET /groups/{id}, then GET /groups/{id}/members: each member as its own type.
    let group = Group::get(client, GROUP).await?;
    println!(
        "group {}",
        group.display_name.as_deref().unwrap_or("(no name)")
    );
    let members = groups(client).id(GROUP).to(Group::MEMBERS).list().await?;
    for member in &members.items {
        match member {
            DirectoryObjectKind::User(user) => println!(
                "  member: user {}",
                user.display_name.as_deref().unwrap_or("?")
            ),
            DirectoryObjectKind::Device(device) => println!(
                "  member: device {}",
                device.display_name.as_deref().unwrap_or("?")
            ),
            other => println!("  member: {other:?}"),
        }
    }

    // POST /deviceManagement/deviceConfigurations/{id}/assign: to the group.
    let to_group = DeviceConfigurationAssignment {
        target: Some(DeviceAndAppManagementAssignmentTargetKind::Group(
            GroupAssignmentTarget {
                group_id: Some(GROUP.to_owned()),
                ..GroupAssignmentTarget::default()
            },
        )),
        ..DeviceConfigurationAssignment::default()
    };
    let body = DeviceConfigurationAssignBody {
        assignments: Some(vec![to_group]),
    };
    let assigned = DeviceConfigurationKind::at(client, CONFIGURATION)
        .call(DeviceConfiguration::ASSIGN, &body)
        .await?;
    println!("assigned: {} assignment(s)", assigned.items.len());

    // POST /deviceManagement/managedDevices/{id}/syncDevice, …/retire, …/wipe.
    let device = ManagedDevice::get(client, DEVICE).await?;
    println!(
        "managed device {} ({:?})",
        device.device_name.as_deref().unwrap_or("?"),
        device.compliance_state
    );
    ManagedDevice::at(client, DEVICE)
        .call(ManagedDevice::SYNC_DEVICE, &())
        .await?;
    ManagedDevice::at(client, DEVICE)
        .call(ManagedDevice::RETIRE, &())
        .await?;
    let wipe = ManagedDeviceWipeBody {
        keep_enrollment_data: Some(false),
        keep_user_data: Some(true),
        ..ManagedDeviceWipeBody::default()
    };
    ManagedDevice::at(client, DEVICE)
        .call(ManagedDevice::WIPE, &wipe)
        .await?;
    println!("synced, retired and wiped");
    Ok(())
}

/// A Graph-like endpoint with a few users, a group of a user and a device, a device
/// configuration and a managed device.
fn answer(request: &Captured) -> Reply {
    let path = request.target.split('?').next().unwrap_or_default();
    let host = request.header("host").unwrap_or_default();
    let no_content = || Reply::Respond {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    };
    let configuration = format!("/v1.0/deviceManagement/deviceConfigurations/{CONFIGURATION}");
    let device = format!("/v1.0/deviceManagement/managedDevices/{DEVICE}");
    let group = format!("/v1.0/groups/{GROUP}");
    match (request.method.as_str(), path) {
        ("GET", "/v1.0/users") => {
            let users = [
                json!({"id": "u1", "displayName": "Adele Vance", "userPrincipalName": "adele@contoso.com"}),
                json!({"id": "u2", "displayName": "Alex Wilber", "userPrincipalName": "alex@contoso.com"}),
                json!({"id": "u3", "displayName": "Megan Bowen", "userPrincipalName": "megan@contoso.com"}),
            ];
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
            let items: Vec<&Value> = users.iter().skip(skip).take(size).collect();
            let mut page = json!({
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
                "value": items,
            });
            if skip + size < users.len() {
                page["@odata.nextLink"] =
                    format!("http://{host}{path}?$skiptoken={}", skip + size).into();
            }
            Reply::json(200, &page.to_string())
        }
        ("GET", path) if path == group => Reply::json(
            200,
            &json!({"id": GROUP, "displayName": "Contoso Devices", "groupTypes": []}).to_string(),
        ),
        ("GET", path) if path.strip_prefix(&group) == Some("/members") => Reply::json(
            200,
            &json!({"value": [
                {"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Adele Vance"},
                {"@odata.type": "#microsoft.graph.device", "id": "dv1", "displayName": "DESKTOP-ADELE"},
            ]})
            .to_string(),
        ),
        ("POST", path) if path.strip_prefix(&configuration) == Some("/assign") => {
            let Ok(Value::Object(body)) = serde_json::from_slice(&request.body) else {
                return error(400, "BadRequest", "Invalid JSON.");
            };
            let mut assignments = body.get("assignments").cloned().unwrap_or(json!([]));
            if let Some(list) = assignments.as_array_mut() {
                for (index, assignment) in list.iter_mut().enumerate() {
                    assignment["id"] = format!("{CONFIGURATION}_{index}").into();
                }
            }
            Reply::json(200, &json!({"value": assignments}).to_string())
        }
        ("GET", path) if path == device => Reply::json(
            200,
            &json!({
                "id": DEVICE,
                "deviceName": "DESKTOP-ADELE",
                "complianceState": "compliant",
                "managedDeviceOwnerType": "company",
            })
            .to_string(),
        ),
        ("POST", path)
            if matches!(
                path.strip_prefix(&device),
                Some("/syncDevice" | "/retire" | "/wipe")
            ) =>
        {
            no_content()
        }
        _ => error(404, "ResourceNotFound", "Resource not found."),
    }
}

fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": {"code": code, "message": message}}).to_string(),
    )
}
