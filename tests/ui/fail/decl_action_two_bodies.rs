use graph_resource::graph_resource;

#[graph_resource(
    path = "/deviceManagement/managedDevices",
    actions(wipe(serde_json::Value, bool)),
)]
pub struct ManagedDevice {
    pub id: Option<String>,
}

fn main() {}
