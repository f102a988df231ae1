//! A string enum has no `@odata.type` to miss.

use graph_resource::graph_resource;

#[graph_resource]
pub enum Visibility {
    #[graph(declared)]
    Public,
    Private,
}

fn main() {}
