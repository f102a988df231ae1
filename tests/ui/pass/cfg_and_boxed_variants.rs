mod sdk {
    pub use graph_resource as graph;
}

use graph_resource::{Properties, UntypedResource, graph_resource};

#[graph_resource(crate = "crate::sdk::graph", path = "/users")]
#[derive(Debug, Clone, Default)]
pub struct User {
    pub id: Option<String>,
    #[cfg(any())]
    pub removed: Option<NoSuchType>,
    #[cfg_attr(all(), graph(read_only))]
    pub created_date_time: Option<String>,
}

#[graph_resource(crate = "crate::sdk::graph")]
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub id: Option<String>,
    pub members: Vec<DirectoryObjectKind>,
}

/// Boxed as clippy's `large_enum_variant` asks, in each spelling of `Box`.
#[graph_resource(crate = "crate::sdk::graph", path = "/directoryObjects")]
#[derive(Debug, Clone)]
pub enum DirectoryObjectKind {
    User(Box<User>),
    Group(std::boxed::Box<Group>),
    #[cfg(any())]
    Removed(NoSuchType),
    #[graph(other)]
    Other(UntypedResource),
}

fn main() {
    let user = DirectoryObjectKind::from(User::default());
    let group = DirectoryObjectKind::from(Group::default());
    let _ = (user, group);
    assert!(User::is_read_only("createdDateTime"));
    assert!(DirectoryObjectKind::is_read_only("createdDateTime"));
}
