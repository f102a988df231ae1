use graph_resource::{graph_resource, UntypedResource};

#[graph_resource(flags)]
pub struct Permission {
    pub name: Option<String>,
}

#[graph_resource]
pub struct GroupTarget {
    pub group_id: Option<String>,
}

#[graph_resource(flags)]
pub enum Target {
    Group(GroupTarget),
    #[graph(other)]
    Other(UntypedResource),
}

fn main() {}
