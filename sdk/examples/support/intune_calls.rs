//! The calls of the Intune example, on the models the including module brings into scope:
//! the generated SDK's in `intune.rs`, the same family generated apart in the binary-size
//! application `perf/size/graph_models.rs` (PERFORMANCE.md), so that both make the same calls.
//! The ids (`APP`, `CONFIGURATION`, `DEVICE`, `GROUP`, `POLICY`) come from there too.

use super::*;

/// The target of every assignment here: the group.
fn to_group() -> Option<DeviceAndAppManagementAssignmentTargetKind> {
    Some(DeviceAndAppManagementAssignmentTargetKind::Group(
        GroupAssignmentTarget {
            group_id: Some(GROUP.to_owned()),
            ..GroupAssignmentTarget::default()
        },
    ))
}

/// Lists, reads, assigns and acts on each kind of the family, as an Intune sync would.
pub async fn walk_through(client: &Client) -> Result<(), Box<dyn Error>> {
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
