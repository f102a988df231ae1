//! Application 3: the untyped calls of the client-only application, with the same answers
//! then decoded by serde_json into the Intune family written as plain serde derives
//! (`graph-resource-codegen --style serde`), and the request bodies encoded from them. The
//! serde style writes no operations, so the parameter bodies are written here by hand.

mod answers;
// The family is larger than the calls use.
#[allow(dead_code)]
mod model;
mod untyped;

use std::error::Error;

use answers::{APP, CONFIGURATION, DEVICE, GROUP, POLICY};
use graph_resource::Client;
use model::*;
use serde::{Deserialize, Serialize};
use untyped::{act, assign, get, list};

/// One page of a collection.
#[derive(Deserialize)]
struct Page<T> {
    value: Vec<T>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

/// The body of `deviceConfiguration/assign` and `deviceCompliancePolicy/assign`.
#[derive(Serialize)]
struct AssignBody<T> {
    assignments: Vec<T>,
}

/// The body of `mobileApp/assign`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MobileAppAssignBody {
    mobile_app_assignments: Vec<MobileAppAssignment>,
}

/// The body of `managedDevice/wipe`.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct WipeBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    keep_enrollment_data: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keep_user_data: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mac_os_unlock_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    persist_esim_data_plan: Option<bool>,
}

/// The items of `text`, a page of `T`.
fn items<'a, T: Deserialize<'a>>(text: &'a str) -> Result<Vec<T>, Box<dyn Error>> {
    let page: Page<T> = serde_json::from_str(text)?;
    if let Some(next) = page.next_link {
        println!("more at {next}");
    }
    Ok(page.value)
}

fn main() -> Result<(), Box<dyn Error>> {
    let (client, mock) = answers::client()?;
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    runtime.block_on(walk_through(&client))?;
    println!("the transport received {} requests", mock.requests().len());
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
    let template = "/deviceManagement/deviceConfigurations";
    println!(
        "configurations: {}",
        list(client, template, &[]).await?.len()
    );
    for configuration in items::<DeviceConfigurationKind>(answers::CONFIGURATIONS)? {
        match configuration {
            DeviceConfigurationKind::Windows10General(windows) => println!(
                "configuration {} (Windows 10, password required: {:?})",
                windows.base.display_name.as_deref().unwrap_or("?"),
                windows.password_required
            ),
            other => println!("configuration {other:?}"),
        }
    }
    let template = "/deviceManagement/deviceConfigurations/{}";
    get(client, template, CONFIGURATION).await?;
    let configuration: DeviceConfigurationKind = serde_json::from_str(answers::CONFIGURATION_ONE)?;
    if let DeviceConfigurationKind::Windows10General(windows) = configuration {
        println!("got version {:?}", windows.base.version);
    }
    let body = AssignBody {
        assignments: vec![DeviceConfigurationAssignment {
            target: to_group(),
            ..DeviceConfigurationAssignment::default()
        }],
    };
    let template = "/deviceManagement/deviceConfigurations/{}/assign";
    assign(client, template, CONFIGURATION, &body).await?;
    let assigned = items::<DeviceConfigurationAssignment>(answers::ASSIGNED)?;
    println!("configuration assigned: {}", assigned.len());

    let template = "/deviceManagement/deviceCompliancePolicies";
    println!("policies: {}", list(client, template, &[]).await?.len());
    for policy in items::<DeviceCompliancePolicyKind>(answers::POLICIES)? {
        if let DeviceCompliancePolicyKind::Windows10(windows) = policy {
            println!(
                "policy {} (BitLocker: {:?})",
                windows.base.display_name.as_deref().unwrap_or("?"),
                windows.bit_locker_enabled
            );
        }
    }
    let template = "/deviceManagement/deviceCompliancePolicies/{}/assignments";
    list(client, template, &[POLICY]).await?;
    let assignments = items::<DeviceCompliancePolicyAssignment>(answers::POLICY_ASSIGNMENTS)?;
    println!("policy assignments: {}", assignments.len());
    let body = AssignBody {
        assignments: vec![DeviceCompliancePolicyAssignment {
            target: to_group(),
            ..DeviceCompliancePolicyAssignment::default()
        }],
    };
    let template = "/deviceManagement/deviceCompliancePolicies/{}/assign";
    assign(client, template, POLICY, &body).await?;
    let assigned = items::<DeviceCompliancePolicyAssignment>(answers::ASSIGNED)?;
    println!("policy assigned: {}", assigned.len());

    list(client, "/deviceManagement/managedDevices", &[]).await?;
    for device in items::<ManagedDevice>(answers::DEVICES)? {
        println!("managed device {:?}", device.device_name);
    }
    get(client, "/deviceManagement/managedDevices/{}", DEVICE).await?;
    let device: ManagedDevice = serde_json::from_str(answers::DEVICE_ONE)?;
    println!(
        "managed device {} ({:?})",
        device.device_name.as_deref().unwrap_or("?"),
        device.compliance_state
    );
    for action in ["syncDevice", "retire"] {
        let template = format!("/deviceManagement/managedDevices/{{}}/{action}");
        act::<()>(client, &template, DEVICE, None).await?;
    }
    let wipe = WipeBody {
        keep_enrollment_data: Some(false),
        keep_user_data: Some(true),
        ..WipeBody::default()
    };
    let template = "/deviceManagement/managedDevices/{}/wipe";
    act(client, template, DEVICE, Some(&wipe)).await?;
    println!("synced, retired and wiped");

    list(client, "/deviceAppManagement/mobileApps", &[]).await?;
    for app in items::<MobileAppKind>(answers::APPS)? {
        if let MobileAppKind::Web(web) = app {
            println!("web app {:?}", web.app_url);
        }
    }
    let template = "/deviceAppManagement/mobileApps/{}/assignments";
    list(client, template, &[APP]).await?;
    let assignments = items::<MobileAppAssignment>(answers::APP_ASSIGNMENTS)?;
    println!("app assignments: {}", assignments.len());
    let body = MobileAppAssignBody {
        mobile_app_assignments: vec![MobileAppAssignment {
            intent: Some(InstallIntent::Required),
            target: to_group(),
            ..MobileAppAssignment::default()
        }],
    };
    let template = "/deviceAppManagement/mobileApps/{}/assign";
    act(client, template, APP, Some(&body)).await?;
    println!("app assigned");
    Ok(())
}
