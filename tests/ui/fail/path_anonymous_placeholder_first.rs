use graph_resource::graph_resource;

#[graph_resource(path = "/<>/assignments")]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
}

fn main() {}
