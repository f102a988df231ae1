use graph_resource::graph_resource;

use serde_json::{Map, Value};

#[graph_resource]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
    #[graph(additional, default)]
    pub rest: Map<String, Value>,
}

fn main() {}
