use graph_resource::graph_resource;

#[graph_resource]
pub struct GroupAssignmentTarget {
    #[graph(default = "no_such_function")]
    pub group_id: String,
}

fn main() {}
