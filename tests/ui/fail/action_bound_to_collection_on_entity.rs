use graph_resource::{graph_resource, Action, Client, Many};

#[graph_resource(path = "/groups")]
pub struct Group {
    pub id: Option<String>,
}

impl Group {
    const VALIDATE_PROPERTIES: Action<Self, (), (), Many> = Action::new("validateProperties");
}

fn main() {
    let client = Client::builder().build().unwrap();
    let _ = Group::at(&client, "g1").call(Group::VALIDATE_PROPERTIES, &());
}
