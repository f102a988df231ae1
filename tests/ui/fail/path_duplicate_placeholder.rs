use graph_resource::graph_resource;

#[graph_resource(path = "/deviceManagement/intents/<id>/settings/<id>/values")]
pub struct DeviceManagementSettingValue {
    pub id: Option<String>,
}

fn main() {}
