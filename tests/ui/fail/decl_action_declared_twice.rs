use graph_resource::graph_resource;

#[graph_resource(
    path = "/deviceManagement/managedDevices",
    actions(sync_device, wipe, sync_device),
)]
pub struct ManagedDevice {
    pub id: Option<String>,
}

fn main() {}
