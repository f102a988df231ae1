use graph_resource::graph_resource;

#[graph_resource]
#[graph(rename = "group")]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
}

fn main() {}
