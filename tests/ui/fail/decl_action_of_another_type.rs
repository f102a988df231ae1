use graph_resource::{graph_resource, Client};

#[graph_resource(path = "/deviceManagement/managedDevices", actions(sync_device))]
pub struct ManagedDevice {
    pub id: Option<String>,
}

#[graph_resource(path = "/groups")]
pub struct Group {
    pub id: Option<String>,
}

fn main() {
    let client = Client::builder().build().unwrap();
    let _ = Group::at(&client, "g1").call(ManagedDevice::SYNC_DEVICE, &());
}
