//! The calls of `directory_devices` made without the generated models: paths written by
//! hand, bodies and answers as untyped JSON. It exists to be measured against that example
//! (PERFORMANCE.md: what the models add to a release binary), and runs against the same
//! in-process endpoint.
//!
//! ```text
//! cargo run -p graph-resource-directory-devices --example client_only
//! ```

#[path = "support/endpoint.rs"]
mod endpoint;
#[path = "../../tests/support/http_server.rs"]
mod http_server;

use std::error::Error;

use endpoint::{CONFIGURATION, DEVICE, GROUP};
use futures_util::StreamExt;
use graph_resource::{Client, Entity, Page, Request, UntypedResource};
use http::Method;
use serde_json::json;

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
    println!("the endpoint received {} requests", server.requests().len());
    Ok(())
}

async fn walk_through(client: &Client) -> Result<(), Box<dyn Error>> {
    let mut pages = Request::<Page<UntypedResource>>::custom(client, Method::GET, "/users", &[])
        .header("prefer", "odata.maxpagesize=2")
        .pages();
    while let Some(page) = pages.next().await {
        for user in page?.items {
            println!("user {:?}", user.properties.get("userPrincipalName"));
        }
    }

    let group: UntypedResource =
        Request::<Entity<_>>::custom(client, Method::GET, "/groups/{}", &[GROUP]).await?;
    println!("group {:?}", group.properties.get("displayName"));
    let members = Request::<Page<UntypedResource>>::custom(
        client,
        Method::GET,
        "/groups/{}/members",
        &[GROUP],
    )
    .await?;
    for member in &members.items {
        println!(
            "  member: {:?} {:?}",
            member.odata_type,
            member.properties.get("displayName")
        );
    }

    let body = json!({"assignments": [{
        "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
        "target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": GROUP},
    }]});
    let assigned = Request::<Page<UntypedResource>>::custom(
        client,
        Method::POST,
        "/deviceManagement/deviceConfigurations/{}/assign",
        &[CONFIGURATION],
    )
    .body(&body)
    .await?;
    println!("assigned: {} assignment(s)", assigned.items.len());

    let device: UntypedResource = Request::<Entity<_>>::custom(
        client,
        Method::GET,
        "/deviceManagement/managedDevices/{}",
        &[DEVICE],
    )
    .await?;
    println!("managed device {:?}", device.properties.get("deviceName"));
    for action in ["syncDevice", "retire"] {
        let template = format!("/deviceManagement/managedDevices/{{}}/{action}");
        Request::<()>::custom(client, Method::POST, &template, &[DEVICE]).await?;
    }
    let wipe = json!({"keepEnrollmentData": false, "keepUserData": true});
    Request::<()>::custom(
        client,
        Method::POST,
        "/deviceManagement/managedDevices/{}/wipe",
        &[DEVICE],
    )
    .body(&wipe)
    .await?;
    println!("synced, retired and wiped");
    Ok(())
}
