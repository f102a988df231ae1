use graph_resource::graph_resource;

#[graph_resource]
pub fn create() {}

fn main() {}
