use graph_resource::{graph_resource, Client, Error, UntypedResource};

#[graph_resource(path = "/deviceManagement/intents/<>/assignments")]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
    pub target: Option<UntypedResource>,
}

#[graph_resource(path = "/deviceManagement/intents/<intent>/settings/<setting>/values")]
pub struct SettingValue {
    pub id: Option<String>,
}

#[graph_resource(path = "/deviceManagement/configurationPolicies/{deviceManagementConfigurationPolicyId}/assignments")]
pub struct PolicyAssignment {
    pub id: Option<String>,
}

#[graph_resource(path = "/deviceAppManagement/mobileApps")]
pub struct MobileApp {
    pub id: Option<String>,
}

#[graph_resource]
pub struct NoPath {
    pub id: Option<String>,
}

async fn calls(client: &Client) -> Result<(), Error> {
    let assignment = DeviceManagementIntentAssignment { id: None, target: None };
    DeviceManagementIntentAssignment::create(client, "intent", &assignment).await?;
    SettingValue::create(client, "intent", "setting", &SettingValue { id: None }).await?;
    PolicyAssignment::create(client, "policy", &PolicyAssignment { id: None }).await?;
    MobileApp::create(client, &MobileApp { id: None }).await?;
    let _ = NoPath { id: None };
    Ok(())
}

fn assert_send<T: Send>(_: T) {}

fn main() {
    let client = Client::builder()
        .bearer_token("token")
        .transport(std::sync::Arc::new(graph_resource::MockTransport::new()))
        .build()
        .unwrap();
    // The future of `create` can move to another thread.
    assert_send(calls(&client));
}
