use graph_resource::graph_resource;

#[graph_resource]
pub enum InstallIntent {}

fn main() {}
