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
    walk_through(&client).await?;
    println!("the endpoint received {} requests", server.requests().len());
    Ok(())
}

/// The target of every assignment here: the group.
fn to_group() -> Option<DeviceAndAppManagementAssignmentTargetKind> {
    Some(DeviceAndAppManagementAssignmentTargetKind::Group(
        GroupAssignmentTarget {
            group_id: Some(GROUP.to_owned()),
            ..GroupAssignmentTarget::default()
        },
    ))
}

async fn walk_through(client: &Client) -> Result<(), Box<dyn Error>> {
    // Device configurations: each as its own platform's type.
    for configuration in DeviceConfigurationKind::list(client).await?.items {
        match configuration {
            DeviceConfigurationKind::Windows10General(windows) => println!(
                "configuration {} (Windows 10, password required: {:?})",
                windows.base.display_name.as_deref().unwrap_or("?"),
                windows.password_required
            ),
            other => println!("configuration {other:?}"),
        }
    }
    let configuration = DeviceConfigurationKind::get(client, CONFIGURATION).await?;
    if let DeviceConfigurationKind::Windows10General(windows) = configuration {
        println!("got version {:?}", windows.base.version);
    }
    let body = DeviceConfigurationAssignBody {
        assignments: Some(vec![DeviceConfigurationAssignment {
            target: to_group(),
            ..DeviceConfigurationAssignment::default()
        }]),
    };
    let assigned = DeviceConfigurationKind::at(client, CONFIGURATION)
        .call(DeviceConfiguration::ASSIGN, &body)
        .await?;
    println!("configuration assigned: {}", assigned.items.len());

    // Compliance policies and their assignments.
    for policy in DeviceCompliancePolicyKind::list(client).await?.items {
        if let DeviceCompliancePolicyKind::Windows10(windows) = policy {
            println!(
                "policy {} (BitLocker: {:?})",
                windows.base.display_name.as_deref().unwrap_or("?"),
                windows.bit_locker_enabled
            );
        }
    }
    let assignments = DeviceCompliancePolicyAssignment::list(client, POLICY).await?;
    println!("policy assignments: {}", assignments.items.len());
    let body = DeviceCompliancePolicyAssignBody {
        assignments: Some(vec![DeviceCompliancePolicyAssignment {
            target: to_group(),
            ..DeviceCompliancePolicyAssignment::default()
        }]),
    };
    let assigned = DeviceCompliancePolicyKind::at(client, POLICY)
        .call(DeviceCompliancePolicy::ASSIGN, &body)
        .await?;
    println!("policy assigned: {}", assigned.items.len());

    // Managed devices: list, get, sync, retire and wipe.
    for device in ManagedDevice::list(client).await?.items {
        println!("managed device {:?}", device.device_name);
    }
    let device = ManagedDevice::get(client, DEVICE).await?;
    println!(
        "managed device {} ({:?})",
        device.device_name.as_deref().unwrap_or("?"),
        device.compliance_state
    );
    let at = ManagedDevice::at(client, DEVICE);
    at.clone().call(ManagedDevice::SYNC_DEVICE, &()).await?;
    at.clone().call(ManagedDevice::RETIRE, &()).await?;
    let wipe = ManagedDeviceWipeBody {
        keep_enrollment_data: Some(false),
        keep_user_data: Some(true),
        ..ManagedDeviceWipeBody::default()
    };
    at.call(ManagedDevice::WIPE, &wipe).await?;
    println!("synced, retired and wiped");

    // Mobile apps and their assignments.
    for app in MobileAppKind::list(client).await?.items {
        if let MobileAppKind::Web(web) = app {
            println!("web app {:?}", web.app_url);
        }
    }
    let assignments = MobileAppAssignment::list(client, APP).await?;
    println!("app assignments: {}", assignments.items.len());
    let body = MobileAppAssignBody {
        mobile_app_assignments: Some(vec![MobileAppAssignment {
            intent: Some(InstallIntent::Required),
            target: to_group(),
            ..MobileAppAssignment::default()
        }]),
    };
    MobileAppKind::at(client, APP)
        .call(MobileApp::ASSIGN, &body)
        .await?;
    println!("app assigned");
    Ok(())
}
