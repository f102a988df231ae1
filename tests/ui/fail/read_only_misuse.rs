use graph_resource::graph_resource;

#[graph_resource]
pub struct RoleDefinition {
    #[graph(read_only, read_only)]
    pub id: Option<String>,
    #[graph(read_only = true)]
    pub is_built_in: Option<bool>,
    #[graph(skip, read_only)]
    pub cached: Option<String>,
    #[graph(additional, read_only)]
    pub additional: serde_json::Map<String, serde_json::Value>,
}

fn main() {}
