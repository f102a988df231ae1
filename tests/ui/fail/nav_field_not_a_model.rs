use graph_resource::graph_resource;

#[graph_resource]
pub struct Group {
    pub id: Option<String>,
    #[graph(navigation)]
    pub tags: Option<Vec<String>>,
}

fn main() {}
