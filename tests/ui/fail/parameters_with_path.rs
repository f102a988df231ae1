use graph_resource::graph_resource;

#[graph_resource(parameters, path = "/deviceManagement/assignBodies")]
pub struct AssignBody {
    pub assignments: Option<Vec<String>>,
}

fn main() {}
