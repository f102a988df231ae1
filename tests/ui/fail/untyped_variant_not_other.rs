use graph_resource::{UntypedResource, graph_resource};

#[graph_resource]
pub struct Group {
    pub id: Option<String>,
}

#[graph_resource]
pub enum DirectoryObjectKind {
    Group(Group),
    Unknown(UntypedResource),
}

fn main() {}
