//! Only one variant reads objects without `@odata.type`.

use graph_resource::{graph_resource, UntypedResource};

#[graph_resource]
pub struct User {
    pub id: Option<String>,
}

#[graph_resource]
pub struct AgentUser {
    #[graph(base)]
    pub base: User,
}

#[graph_resource]
pub enum UserKind {
    #[graph(declared)]
    User(User),
    #[graph(declared)]
    Agent(AgentUser),
    #[graph(other)]
    Other(UntypedResource),
}

fn main() {}
