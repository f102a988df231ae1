use graph_resource::graph_resource;

#[graph_resource(path = "/groups", actions(#[name = "addMembers"] members))]
pub struct Group {
    pub id: Option<String>,
    #[graph(navigation)]
    pub members: Option<Vec<Group>>,
}

fn main() {}
