use graph_resource::graph_resource;

#[graph_resource]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
}

#[graph_resource]
pub enum AssignmentTarget {
    Group(GroupAssignmentTarget),
    #[graph(other)]
    Other(serde_json::Value),
}

fn main() {}
