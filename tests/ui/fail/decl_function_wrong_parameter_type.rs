use graph_resource::{graph_resource, Client, Date, Page};

#[graph_resource(
    path = "/deviceManagement/managedDevices",
    functions(logs_since(since: Date) -> Page<Self>),
)]
pub struct ManagedDevice {
    pub id: Option<String>,
}

fn main() {
    let client = Client::builder().build().unwrap();
    let _ = ManagedDevice::at(&client, "d1").call_function(ManagedDevice::logs_since("2024-02-29"));
}
