use graph_resource::graph_resource;

#[graph_resource(path = "/devices", actions(#[name = "sync/all?force=true"] sync_all))]
pub struct Device {
    pub id: Option<String>,
}

fn main() {}
