use graph_resource::graph_resource;

#[graph_resource]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
    #[graph(rename = "groupId")]
    pub group: Option<String>,
}

fn main() {}
