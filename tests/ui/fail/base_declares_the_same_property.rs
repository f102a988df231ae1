use graph_resource::graph_resource;

#[graph_resource]
pub struct Entity {
    pub id: Option<String>,
}

#[graph_resource]
pub struct GroupAssignmentTarget {
    #[graph(base)]
    pub base: Entity,
    pub id: Option<String>,
}

fn main() {}
