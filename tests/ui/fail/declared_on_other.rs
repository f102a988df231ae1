//! The `other` variant holds the types an enum does not list, never the declared one.

use graph_resource::{graph_resource, UntypedResource};

#[graph_resource]
pub struct User {
    pub id: Option<String>,
}

#[graph_resource]
pub enum UserKind {
    User(User),
    #[graph(other, declared)]
    Other(UntypedResource),
}

fn main() {}
