use std::collections::BTreeMap;

use graph_resource::{graph_resource, Action, Client, Page};

#[graph_resource(path = "/deviceManagement/deviceConfigurations")]
pub struct DeviceConfiguration {
    pub id: Option<String>,
}

/// The parameters of `assign`, by name.
type AssignBody = BTreeMap<String, Vec<String>>;

impl DeviceConfiguration {
    const ASSIGN: Action<Self, AssignBody, Page<DeviceConfiguration>> = Action::new("assign");
}

fn main() {
    let client = Client::builder().build().unwrap();
    let body = vec!["g1".to_owned()];
    let _ = DeviceConfiguration::at(&client, "c1").call(DeviceConfiguration::ASSIGN, &body);
}
