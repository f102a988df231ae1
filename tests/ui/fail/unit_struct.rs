use graph_resource::graph_resource;

#[graph_resource]
pub struct AllDevicesAssignmentTarget;

fn main() {}
