mod sdk {
    pub use graph_resource as graph;
}

use graph_resource::graph_resource;

#[graph_resource(crate = "crate::sdk::graph", path = "/groups")]
pub struct Group {
    pub id: Option<String>,
    pub display_name: Option<String>,
}

#[graph_resource(crate = "crate::sdk::graph")]
pub enum Visibility {
    Public,
    Private,
    #[graph(other)]
    Unknown(String),
}

fn main() {
    let _ = Group { id: None, display_name: None };
    let _ = Visibility::Public;
}
