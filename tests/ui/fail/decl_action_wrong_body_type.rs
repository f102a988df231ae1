use graph_resource::{graph_resource, Client, Page};

#[graph_resource]
pub struct DeviceConfigurationAssignment {
    pub id: Option<String>,
}

#[graph_resource(parameters)]
pub struct AssignBody {
    pub assignments: Option<Vec<DeviceConfigurationAssignment>>,
}

#[graph_resource(
    path = "/deviceManagement/deviceConfigurations",
    actions(assign(AssignBody) -> Page<DeviceConfigurationAssignment>),
)]
pub struct DeviceConfiguration {
    pub id: Option<String>,
}

fn main() {
    let client = Client::builder().build().unwrap();
    let body = vec![DeviceConfigurationAssignment { id: None }];
    let _ = DeviceConfiguration::at(&client, "c1").call(DeviceConfiguration::ASSIGN, &body);
}
