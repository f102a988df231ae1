#![allow(non_snake_case)]
use graph_resource::graph_resource;

#[graph_resource(path = "/devices", actions(sync, #[name = "syncAll"] Sync))]
pub struct Device {
    pub id: Option<String>,
}

fn main() {}
