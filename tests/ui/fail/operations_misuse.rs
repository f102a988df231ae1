use graph_resource::graph_resource;

#[graph_resource(path = "/deviceManagement/deviceConfigurations", operations(list, fetch, list))]
pub struct DeviceConfiguration {
    pub id: Option<String>,
}

#[graph_resource(path = "/deviceManagement", singleton, operations(get, create, delete))]
pub struct DeviceManagement {
    pub id: Option<String>,
}

#[graph_resource(singleton, operations(get))]
pub struct Organization {
    pub id: Option<String>,
}

fn main() {}
