use graph_resource::graph_resource;

#[graph_resource(path = "deviceManagement/intents/<>/", colour = "red")]
pub struct DeviceManagementIntentAssignment {
    #[graph(rename = "id")]
    pub key: Option<String>,
    pub id: Option<String>,
    #[graph(additional)]
    pub rest: Vec<String>,
}

fn main() {}
