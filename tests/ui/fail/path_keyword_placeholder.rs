use graph_resource::graph_resource;

#[graph_resource(path = "/deviceManagement/intents/<type>/assignments")]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
}

fn main() {}
