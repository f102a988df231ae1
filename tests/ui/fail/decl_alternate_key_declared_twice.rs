use graph_resource::graph_resource;

#[graph_resource(path = "/users", alternate_keys(userPrincipalName, appId, userPrincipalName))]
pub struct User {
    pub id: Option<String>,
}

fn main() {}
