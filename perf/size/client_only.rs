//! Application 1: the Intune calls through the client with untyped answers and
//! `serde_json::Value` bodies, the baseline of the size figures.

mod answers;
mod untyped;

use std::error::Error;

use answers::{APP, CONFIGURATION, DEVICE, GROUP, POLICY};
use serde_json::{Value, json};
use untyped::{act, assign, get, list};

fn main() -> Result<(), Box<dyn Error>> {
    let (client, mock) = answers::client()?;
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    runtime.block_on(async {
        let to_group =
            json!({"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": GROUP});

        let template = "/deviceManagement/deviceConfigurations";
        for configuration in list(&client, template, &[]).await? {
            println!(
                "configuration {:?} ({:?}, password required: {:?})",
                configuration.properties.get("displayName"),
                configuration.odata_type,
                configuration.properties.get("passwordRequired")
            );
        }
        let template = "/deviceManagement/deviceConfigurations/{}";
        let configuration = get(&client, template, CONFIGURATION).await?;
        println!("got version {:?}", configuration.properties.get("version"));
        let body = json!({"assignments": [{
            "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
            "target": to_group,
        }]});
        let template = "/deviceManagement/deviceConfigurations/{}/assign";
        let assigned = assign(&client, template, CONFIGURATION, &body).await?;
        println!("configuration assigned: {}", assigned.len());

        let template = "/deviceManagement/deviceCompliancePolicies";
        for policy in list(&client, template, &[]).await? {
            println!(
                "policy {:?} (BitLocker: {:?})",
                policy.properties.get("displayName"),
                policy.properties.get("bitLockerEnabled")
            );
        }
        let template = "/deviceManagement/deviceCompliancePolicies/{}/assignments";
        let assignments = list(&client, template, &[POLICY]).await?;
        println!("policy assignments: {}", assignments.len());
        let body = json!({"assignments": [{
            "@odata.type": "#microsoft.graph.deviceCompliancePolicyAssignment",
            "target": to_group,
        }]});
        let template = "/deviceManagement/deviceCompliancePolicies/{}/assign";
        let assigned = assign(&client, template, POLICY, &body).await?;
        println!("policy assigned: {}", assigned.len());

        for device in list(&client, "/deviceManagement/managedDevices", &[]).await? {
            println!("managed device {:?}", device.properties.get("deviceName"));
        }
        let device = get(&client, "/deviceManagement/managedDevices/{}", DEVICE).await?;
        println!(
            "managed device {:?} ({:?})",
            device.properties.get("deviceName"),
            device.properties.get("complianceState")
        );
        for action in ["syncDevice", "retire"] {
            let template = format!("/deviceManagement/managedDevices/{{}}/{action}");
            act::<Value>(&client, &template, DEVICE, None).await?;
        }
        let wipe = json!({"keepEnrollmentData": false, "keepUserData": true});
        let template = "/deviceManagement/managedDevices/{}/wipe";
        act(&client, template, DEVICE, Some(&wipe)).await?;
        println!("synced, retired and wiped");

        for app in list(&client, "/deviceAppManagement/mobileApps", &[]).await? {
            println!("web app {:?}", app.properties.get("appUrl"));
        }
        let template = "/deviceAppManagement/mobileApps/{}/assignments";
        let assignments = list(&client, template, &[APP]).await?;
        println!("app assignments: {}", assignments.len());
        let body = json!({"mobileAppAssignments": [{
            "@odata.type": "#microsoft.graph.mobileAppAssignment",
            "intent": "required",
            "target": to_group,
        }]});
        let template = "/deviceAppManagement/mobileApps/{}/assign";
        act(&client, template, APP, Some(&body)).await?;
        println!("app assigned");
        Ok::<_, Box<dyn Error>>(())
    })?;
    println!("the transport received {} requests", mock.requests().len());
    Ok(())
}
