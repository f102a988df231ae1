use graph_resource::graph_resource;

#[graph_resource(odata_type = "group assignment target")]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
}

fn main() {}
