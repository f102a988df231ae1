use graph_resource::graph_resource;

#[graph_resource(path = "/users/<>", singleton)]
pub struct User {
    pub id: Option<String>,
}

fn main() {}
