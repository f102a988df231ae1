use graph_resource::graph_resource;

#[graph_resource]
pub struct GroupAssignmentTarget {
    #[graph(skip, rename = "groupId")]
    pub group_id: Option<String>,
}

fn main() {}
