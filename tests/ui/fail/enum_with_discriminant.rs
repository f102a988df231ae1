use graph_resource::graph_resource;

#[graph_resource]
pub enum InstallIntent {
    Available = 1,
    Required = 2,
}

fn main() {}
