use graph_resource::graph_resource;

#[graph_resource(odata_type = "microsoft.graph.groupAssignmentTarget", namespace = "microsoft.graph")]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
}

fn main() {}
