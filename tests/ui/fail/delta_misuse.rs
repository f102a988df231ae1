use graph_resource::graph_resource;

#[graph_resource(delta)]
pub struct User {
    pub id: Option<String>,
}

#[graph_resource(path = "/me", singleton, delta)]
pub struct Me {
    pub id: Option<String>,
}

fn main() {}
