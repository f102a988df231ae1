use graph_resource::{graph_resource, Client, Date, Entity, Function};

#[graph_resource(path = "/deviceManagement/managedDevices")]
pub struct ManagedDevice {
    pub id: Option<String>,
}

impl ManagedDevice {
    fn logs_since(since: Date) -> Function<Self, Entity<ManagedDevice>> {
        Function::new("logsSince").arg("since", since)
    }
}

fn main() {
    let client = Client::builder().build().unwrap();
    let _ = ManagedDevice::at(&client, "d1").call_function(ManagedDevice::logs_since("2024-02-29"));
}
