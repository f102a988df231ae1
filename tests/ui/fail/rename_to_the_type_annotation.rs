use graph_resource::graph_resource;

#[graph_resource]
pub struct GroupAssignmentTarget {
    #[graph(rename = "@odata.type")]
    pub kind: Option<String>,
    #[graph(rename = "")]
    pub group_id: Option<String>,
}

fn main() {}
