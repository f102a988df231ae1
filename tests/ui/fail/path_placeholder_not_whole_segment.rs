use graph_resource::graph_resource;

#[graph_resource(path = "/deviceManagement/intents<>/assignments")]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
}

fn main() {}
