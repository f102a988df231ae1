use graph_resource::graph_resource;

use graph_resource::UntypedResource;

#[graph_resource]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
}

#[graph_resource]
pub enum AssignmentTarget {
    Group(GroupAssignmentTarget),
    #[graph(other)]
    Other(UntypedResource),
    #[graph(other)]
    Unknown(UntypedResource),
}

fn main() {}
