use graph_resource::graph_resource;

#[graph_resource(path = "/deviceManagement/intents")]
pub enum DeviceManagementIntentState {
    Active,
    Inactive,
}

fn main() {}
