use graph_resource::graph_resource;

#[graph_resource]
pub struct GroupAssignmentTarget(pub Option<String>);

fn main() {}
