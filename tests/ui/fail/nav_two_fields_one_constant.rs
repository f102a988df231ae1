#![allow(non_snake_case)]
use graph_resource::graph_resource;

#[graph_resource(path = "/groups")]
pub struct Group {
    pub id: Option<String>,
    #[graph(navigation)]
    pub members: Option<Vec<Group>>,
    #[graph(navigation, rename = "transitiveMembers")]
    pub Members: Option<Vec<Group>>,
}

fn main() {}
