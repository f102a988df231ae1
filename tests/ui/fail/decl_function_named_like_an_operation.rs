use graph_resource::graph_resource;

#[graph_resource(path = "/groups", functions(get(id: &str) -> graph_resource::Entity<Self>))]
pub struct Group {
    pub id: Option<String>,
}

fn main() {}
