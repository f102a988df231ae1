//! `declared` given twice on one variant.

use graph_resource::{graph_resource, UntypedResource};

#[graph_resource]
pub struct User {
    pub id: Option<String>,
}

#[graph_resource]
pub enum UserKind {
    #[graph(declared, declared)]
    User(User),
    #[graph(other)]
    Other(UntypedResource),
}

fn main() {}
