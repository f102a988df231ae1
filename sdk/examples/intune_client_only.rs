//! The calls of `intune` made without the generated models: paths written by hand, bodies
//! and answers as untyped JSON. It exists to be measured against that example
//! (PERFORMANCE.md: what the Intune models add to a release binary), and runs against the
//! same in-process endpoint.
//!
//! ```text
//! cargo run -p graph-resource-directory-devices --example intune_client_only
//! ```

#[path = "../../tests/support/http_server.rs"]
mod http_server;
#[path = "support/intune_endpoint.rs"]
mod intune_endpoint;

use std::error::Error;

use graph_resource::{Client, Entity, Page, Request, UntypedResource};
use http::Method;
use intune_endpoint::{APP, CONFIGURATION, DEVICE, GROUP, POLICY};
use serde_json::{Value, json};

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
    let server = http_server::TestServer::start(intune_endpoint::answer).await;
    let client = Client::builder()
        .base_url(format!("{}/v1.0", server.url()))
        .bearer_token("local-example-token")
        .build()?;
    walk_through(&client).await?;
    println!("the endpoint received {} requests", server.requests().len());
    Ok(())
}

/// The collection at `template` (`{}` filled from `keys`), one page.
async fn list(
    client: &Client,
    template: &str,
    keys: &[&str],
) -> Result<Vec<UntypedResource>, Box<dyn Error>> {
    let page = Request::<Page<UntypedResource>>::custom(client, Method::GET, template, keys);
    Ok(page.await?.items)
}

/// A POST of `body` to the action at `template`, which answers a page.
async fn assign(
    client: &Client,
    template: &str,
    key: &str,
    body: &Value,
) -> Result<Vec<UntypedResource>, Box<dyn Error>> {
    let page = Request::<Page<UntypedResource>>::custom(client, Method::POST, template, &[key]);
    Ok(page.body(body).await?.items)
}

async fn walk_through(client: &Client) -> Result<(), Box<dyn Error>> {
    let to_group =
        json!({"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": GROUP});

    for configuration in list(client, "/deviceManagement/deviceConfigurations", &[]).await? {
        println!(
            "configuration {:?} ({:?}, password required: {:?})",
            configuration.properties.get("displayName"),
            configuration.odata_type,
            configuration.properties.get("passwordRequired")
        );
    }
    let configuration: UntypedResource = Request::<Entity<_>>::custom(
        client,
        Method::GET,
        "/deviceManagement/deviceConfigurations/{}",
        &[CONFIGURATION],
    )
    .await?;
    println!("got version {:?}", configuration.properties.get("version"));
    let body = json!({"assignments": [{
        "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
        "target": to_group,
    }]});
    let assigned = assign(
        client,
        "/deviceManagement/deviceConfigurations/{}/assign",
        CONFIGURATION,
        &body,
    )
    .await?;
    println!("configuration assigned: {}", assigned.len());

    for policy in list(client, "/deviceManagement/deviceCompliancePolicies", &[]).await? {
        println!(
            "policy {:?} (BitLocker: {:?})",
            policy.properties.get("displayName"),
            policy.properties.get("bitLockerEnabled")
        );
    }
    let template = "/deviceManagement/deviceCompliancePolicies/{}/assignments";
    let assignments = list(client, template, &[POLICY]).await?;
    println!("policy assignments: {}", assignments.len());
    let body = json!({"assignments": [{
        "@odata.type": "#microsoft.graph.deviceCompliancePolicyAssignment",
        "target": to_group,
    }]});
    let template = "/deviceManagement/deviceCompliancePolicies/{}/assign";
    let assigned = assign(client, template, POLICY, &body).await?;
    println!("policy assigned: {}", assigned.len());

    for device in list(client, "/deviceManagement/managedDevices", &[]).await? {
        println!("managed device {:?}", device.properties.get("deviceName"));
    }
    let device: UntypedResource = Request::<Entity<_>>::custom(
        client,
        Method::GET,
        "/deviceManagement/managedDevices/{}",
        &[DEVICE],
    )
    .await?;
    println!(
        "managed device {:?} ({:?})",
        device.properties.get("deviceName"),
        device.properties.get("complianceState")
    );
    for action in ["syncDevice", "retire"] {
        let template = format!("/deviceManagement/managedDevices/{{}}/{action}");
        Request::<()>::custom(client, Method::POST, &template, &[DEVICE]).await?;
    }
    let wipe = json!({"keepEnrollmentData": false, "keepUserData": true});
    let template = "/deviceManagement/managedDevices/{}/wipe";
    Request::<()>::custom(client, Method::POST, template, &[DEVICE])
        .body(&wipe)
        .await?;
    println!("synced, retired and wiped");

    for app in list(client, "/deviceAppManagement/mobileApps", &[]).await? {
        println!("web app {:?}", app.properties.get("appUrl"));
    }
    let template = "/deviceAppManagement/mobileApps/{}/assignments";
    let assignments = list(client, template, &[APP]).await?;
    println!("app assignments: {}", assignments.len());
    let body = json!({"mobileAppAssignments": [{
        "@odata.type": "#microsoft.graph.mobileAppAssignment",
        "intent": "required",
        "target": to_group,
    }]});
    let template = "/deviceAppManagement/mobileApps/{}/assign";
    Request::<()>::custom(client, Method::POST, template, &[APP])
        .body(&body)
        .await?;
    println!("app assigned");
    Ok(())
}
