use graph_resource::graph_resource;

#[graph_resource]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
}

#[graph_resource]
pub enum AssignmentTarget {
    #[graph(rename = "group")]
    Group(GroupAssignmentTarget),
}

fn main() {}
