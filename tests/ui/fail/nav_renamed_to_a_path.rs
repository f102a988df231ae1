use graph_resource::graph_resource;

#[graph_resource(path = "/groups")]
pub struct Group {
    pub id: Option<String>,
    #[graph(navigation, rename = "members/$ref")]
    pub members: Option<Vec<Group>>,
}

fn main() {}
