//! The Intune answers the three size applications get, in the order they make their calls,
//! served by the mock transport: the shapes of `sdk/examples/support/intune_endpoint.rs`.
//! The serde application decodes these same texts into its models.

use std::sync::Arc;

use graph_resource::{Client, MockResponse, MockTransport};

/// The device configuration's id.
pub const CONFIGURATION: &str = "9e1a6f3c-22f4-4b8e-a6b5-0f3c5d7e8a91";
/// The compliance policy's id.
pub const POLICY: &str = "3c2b1a09-8f7e-4d6c-9b5a-1f2e3d4c5b6a";
/// The managed device's id.
pub const DEVICE: &str = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d";
/// The mobile app's id.
pub const APP: &str = "5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c";
/// The group every assignment targets.
pub const GROUP: &str = "02bd9fd6-8f93-4758-87c3-1fb73740a315";

/// `GET /deviceManagement/deviceConfigurations`.
pub const CONFIGURATIONS: &str = r##"{"value":[{"@odata.type":"#microsoft.graph.windows10GeneralConfiguration","id":"9e1a6f3c-22f4-4b8e-a6b5-0f3c5d7e8a91","displayName":"Windows 10 baseline","version":3,"passwordRequired":true}]}"##;
/// `GET /deviceManagement/deviceConfigurations/{id}`.
pub const CONFIGURATION_ONE: &str = r##"{"@odata.type":"#microsoft.graph.windows10GeneralConfiguration","id":"9e1a6f3c-22f4-4b8e-a6b5-0f3c5d7e8a91","displayName":"Windows 10 baseline","version":3,"passwordRequired":true}"##;
/// `POST .../deviceConfigurations/{id}/assign` and `.../deviceCompliancePolicies/{id}/assign`.
pub const ASSIGNED: &str = r##"{"value":[{"id":"assignment_0","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"02bd9fd6-8f93-4758-87c3-1fb73740a315"}}]}"##;
/// `GET /deviceManagement/deviceCompliancePolicies`.
pub const POLICIES: &str = r##"{"value":[{"@odata.type":"#microsoft.graph.windows10CompliancePolicy","id":"3c2b1a09-8f7e-4d6c-9b5a-1f2e3d4c5b6a","displayName":"Windows 10 compliance","bitLockerEnabled":true}]}"##;
/// `GET /deviceManagement/deviceCompliancePolicies/{id}/assignments`.
pub const POLICY_ASSIGNMENTS: &str = r##"{"value":[{"id":"3c2b1a09-8f7e-4d6c-9b5a-1f2e3d4c5b6a_0","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"02bd9fd6-8f93-4758-87c3-1fb73740a315"}}]}"##;
/// `GET /deviceManagement/managedDevices`.
pub const DEVICES: &str = r#"{"value":[{"id":"6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d","deviceName":"DESKTOP-ADELE","complianceState":"compliant","managedDeviceOwnerType":"company"}]}"#;
/// `GET /deviceManagement/managedDevices/{id}`.
pub const DEVICE_ONE: &str = r#"{"id":"6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d","deviceName":"DESKTOP-ADELE","complianceState":"compliant","managedDeviceOwnerType":"company"}"#;
/// `GET /deviceAppManagement/mobileApps`.
pub const APPS: &str = r##"{"value":[{"@odata.type":"#microsoft.graph.webApp","id":"5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c","displayName":"Contoso portal","appUrl":"https://portal.contoso.com"}]}"##;
/// `GET /deviceAppManagement/mobileApps/{id}/assignments`.
pub const APP_ASSIGNMENTS: &str = r##"{"value":[{"id":"5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c_0","intent":"required","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"02bd9fd6-8f93-4758-87c3-1fb73740a315"}}]}"##;

/// The answers in call order; `None` is a `204 No Content`.
const ANSWERS: [Option<&str>; 14] = [
    Some(CONFIGURATIONS),
    Some(CONFIGURATION_ONE),
    Some(ASSIGNED),
    Some(POLICIES),
    Some(POLICY_ASSIGNMENTS),
    Some(ASSIGNED),
    Some(DEVICES),
    Some(DEVICE_ONE),
    None, // syncDevice
    None, // retire
    None, // wipe
    Some(APPS),
    Some(APP_ASSIGNMENTS),
    None, // mobileApp assign
];

/// A client whose mock transport gives the answers in call order, and that transport, to
/// count the requests it received.
pub fn client() -> Result<(Client, Arc<MockTransport>), graph_resource::Error> {
    let mock = Arc::new(MockTransport::new());
    for answer in ANSWERS {
        mock.push(match answer {
            Some(body) => MockResponse::new(200)
                .header("content-type", "application/json")
                .body(body),
            None => MockResponse::new(204),
        });
    }
    let client = Client::builder()
        .bearer_token("token")
        .transport(mock.clone())
        .build()?;
    Ok((client, mock))
}
