use graph_resource::graph_resource;

use std::collections::HashMap;

#[graph_resource]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
    #[graph(additional)]
    pub rest: HashMap<String, String>,
}

fn main() {}
