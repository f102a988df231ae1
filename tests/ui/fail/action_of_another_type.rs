use graph_resource::{graph_resource, Action, Client};

#[graph_resource(path = "/deviceManagement/managedDevices")]
pub struct ManagedDevice {
    pub id: Option<String>,
}

#[graph_resource(path = "/groups")]
pub struct Group {
    pub id: Option<String>,
}

impl ManagedDevice {
    const SYNC_DEVICE: Action<Self, (), ()> = Action::new("syncDevice");
}

fn main() {
    let client = Client::builder().build().unwrap();
    let _ = Group::at(&client, "g1").call(ManagedDevice::SYNC_DEVICE, &());
}
