use graph_resource::graph_resource;

#[graph_resource(path = "/devices", actions())]
pub struct Device {
    pub id: Option<String>,
}

fn main() {}
