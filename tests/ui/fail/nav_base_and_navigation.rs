use graph_resource::graph_resource;

#[graph_resource]
pub struct Member {
    pub id: Option<String>,
}

#[graph_resource]
pub struct Group {
    pub id: Option<String>,
    #[graph(base, navigation)]
    pub members: Option<Vec<Member>>,
}

fn main() {}
