use graph_resource::graph_resource;

#[graph_resource(odata_type = "microsoft.graph.installIntent", namespace = "microsoft.graph")]
pub enum InstallIntent {
    Available,
    Required,
}

fn main() {}
