use graph_resource::graph_resource;

#[graph_resource(alternate_keys(userPrincipalName))]
pub struct User {
    pub id: Option<String>,
}

fn main() {}
