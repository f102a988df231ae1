use graph_resource::graph_resource;

#[graph_resource]
pub struct Entity {
    pub id: Option<String>,
}

#[graph_resource]
pub struct GroupAssignmentTarget {
    #[graph(base, rename = "entity")]
    pub base: Entity,
    #[graph(base)]
    pub other_base: Entity,
}

fn main() {}
