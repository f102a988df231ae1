use graph_resource::graph_resource;

#[graph_resource(path = "/deviceManagement/intents/<client>/assignments")]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
}

fn main() {}
