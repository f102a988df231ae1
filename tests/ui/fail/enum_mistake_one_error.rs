//! A mistake in an enum is reported once: the enum still implements what its uses expect.

use graph_resource::graph_resource;

#[graph_resource]
pub enum Visibility {
    #[graph(rename = "")]
    Public,
}

#[graph_resource]
pub struct Group {
    pub id: Option<String>,
}

#[graph_resource]
pub enum Directory {
    Group(Group),
    #[graph(other)]
    Other(String),
}

#[graph_resource]
pub struct Settings {
    pub visibility: Visibility,
    pub directory: Option<Directory>,
}

fn main() {
    let _ = serde_json::to_string(&Visibility::Public);
    let _: Result<Directory, _> = serde_json::from_str("{}");
    let _: Result<Settings, _> = serde_json::from_str("{}");
}
