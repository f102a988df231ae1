//! The Intune family of the generated SDK at work: device configurations (through
//! `DeviceConfigurationKind`) and compliance policies with their assignments and `assign`,
//! managed devices with `syncDevice`, `retire` and `wipe`, mobile apps with their
//! assignments and `assign`.
//!
//! It starts a Graph-like endpoint on 127.0.0.1 in this process (no network, no
//! credentials) and talks to it through the real `Client` and the reqwest transport.
//! `intune_client_only` makes the same calls untyped: the two are measured against each
//! other for what the models add to a release binary (PERFORMANCE.md).
//!
//! ```text
//! cargo run -p graph-resource-directory-devices --example intune
//! ```

#[path = "../../tests/support/http_server.rs"]
mod http_server;
#[path = "support/intune_calls.rs"]
mod intune_calls;
#[path = "support/intune_endpoint.rs"]
mod intune_endpoint;

use std::error::Error;

use graph_resource::Client;
use graph_resource_directory_devices::{
    DeviceAndAppManagementAssignmentTargetKind, DeviceCompliancePolicy,
    DeviceCompliancePolicyAssignBody, DeviceCompliancePolicyAssignment, DeviceCompliancePolicyKind,
    DeviceConfiguration, DeviceConfigurationAssignBody, DeviceConfigurationAssignment,
    DeviceConfigurationKind, GroupAssignmentTarget, InstallIntent, ManagedDevice,
    ManagedDeviceWipeBody, MobileApp, MobileAppAssignBody, MobileAppAssignment, MobileAppKind,
};
use intune_endpoint::{APP, CONFIGURATION, DEVICE, GROUP, POLICY};

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
    intune_calls::walk_through(&client).await?;
    println!("the endpoint received {} requests", server.requests().len());
    Ok(())
}
