use graph_resource::{graph_resource, Client};

#[graph_resource(path = "/groups", actions(#[collection] validate_properties))]
pub struct Group {
    pub id: Option<String>,
}

fn main() {
    let client = Client::builder().build().unwrap();
    let _ = Group::at(&client, "g1").call(Group::VALIDATE_PROPERTIES, &());
}
