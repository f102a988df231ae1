use graph_resource::graph_resource;

/// Not `Serialize`.
pub struct WipeBody {
    pub keep_user_data: bool,
}

#[graph_resource(path = "/deviceManagement/managedDevices", actions(wipe(WipeBody)))]
pub struct ManagedDevice {
    pub id: Option<String>,
}

fn main() {}
