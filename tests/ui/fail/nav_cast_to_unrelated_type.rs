use graph_resource::{graph_resource, Client};

#[graph_resource(path = "/directoryObjects")]
pub struct DirectoryObject {
    pub id: Option<String>,
}

#[graph_resource(path = "/users")]
pub struct User {
    #[graph(base)]
    pub base: DirectoryObject,
    #[graph(contained)]
    pub photo: Option<Photo>,
    #[graph(contained)]
    pub messages: Option<Vec<Photo>>,
}

#[graph_resource(path = "/groups")]
pub struct Group {
    #[graph(base)]
    pub base: DirectoryObject,
    #[graph(navigation)]
    pub members: Option<Vec<DirectoryObject>>,
}

#[graph_resource]
pub struct Photo {
    pub id: Option<String>,
}

fn main() {
    let client = Client::builder().build().unwrap();
    let _ = Group::collection(&client).cast::<Photo>();
}
