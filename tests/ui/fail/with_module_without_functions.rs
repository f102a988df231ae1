use graph_resource::graph_resource;

mod as_text {}

#[graph_resource]
pub struct GroupAssignmentTarget {
    #[graph(with = "as_text")]
    pub group_id: Option<String>,
}

fn main() {}
