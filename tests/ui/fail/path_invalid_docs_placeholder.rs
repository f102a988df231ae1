use graph_resource::graph_resource;

#[graph_resource(path = "/deviceManagement/intents/{device-management-intent-id}/assignments")]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
}

fn main() {}
