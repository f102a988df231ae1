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

#[path = "support/endpoint.rs"]
mod endpoint;
#[path = "../../tests/support/http_server.rs"]
mod http_server;

use std::error::Error;

use endpoint::{CONFIGURATION, DEVICE, GROUP};
use futures_util::StreamExt;
use graph_resource::Client;
use graph_resource_directory_devices::{
    DeviceAndAppManagementAssignmentTargetKind, DeviceConfiguration, DeviceConfigurationAssignBody,
    DeviceConfigurationAssignment, DeviceConfigurationKind, DirectoryObjectKind, Group,
    GroupAssignmentTarget, ManagedDevice, ManagedDeviceWipeBody, UserKind, groups,
};

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
    let server = http_server::TestServer::start(endpoint::answer).await;
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
