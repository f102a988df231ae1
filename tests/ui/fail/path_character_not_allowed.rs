use graph_resource::graph_resource;

#[graph_resource(path = "/deviceManagement/intents|templates")]
pub struct DeviceManagementIntent {
    pub id: Option<String>,
}

fn main() {}
