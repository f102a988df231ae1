use graph_resource::graph_resource;

#[graph_resource(namespace = "microsoft graph")]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
}

fn main() {}
