use graph_resource::graph_resource;

#[graph_resource]
pub struct GroupAssignmentTarget {
    #[graph(rename_all = "camelCase")]
    pub group_id: Option<String>,
}

fn main() {}
