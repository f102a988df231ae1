use graph_resource::graph_resource;

#[graph_resource(
    path = "/deviceManagement/managedDevices",
    actions(create_download_url() -> String),
)]
pub struct ManagedDevice {
    pub id: Option<String>,
}

fn main() {}
