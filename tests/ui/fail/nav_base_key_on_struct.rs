use graph_resource::graph_resource;

#[graph_resource]
pub struct DirectoryObject {
    pub id: Option<String>,
}

#[graph_resource(base = "DirectoryObject")]
pub struct Group {
    pub display_name: Option<String>,
}

fn main() {}
