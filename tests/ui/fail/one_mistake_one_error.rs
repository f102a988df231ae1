//! A mistake in the attribute is reported once: the item still implements what its uses
//! expect, so they add no "trait not implemented" errors of their own.

use graph_resource::{graph_resource, Client, Created};

#[graph_resource(path = "/groups", colour = "red")]
pub struct Group {
    pub id: Option<String>,
}

#[graph_resource]
pub struct Member {
    #[graph(base)]
    pub base: Group,
    pub group: Option<Group>,
}

#[graph_resource]
pub enum Directory {
    Group(Group),
    Member(Member),
}

async fn create(client: &Client, group: &Group) -> Result<Created<Group>, graph_resource::Error> {
    Group::create(client, group).await
}

fn main() {
    let group = Group { id: None };
    let _ = serde_json::to_string(&group);
    let _: Result<Directory, _> = serde_json::from_str("{}");
    let _ = create;
}
