use graph_resource::graph_resource;

#[graph_resource(path = "")]
pub struct DeviceManagementIntent {
    pub id: Option<String>,
}

fn main() {}
