use graph_resource::graph_resource;

#[graph_resource]
pub struct GroupAssignmentTarget {
    #[graph(rename = "groupId", rename = "id")]
    pub group_id: Option<String>,
}

fn main() {}
