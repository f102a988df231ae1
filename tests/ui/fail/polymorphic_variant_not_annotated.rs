use graph_resource::graph_resource;

pub struct PlainTarget {
    pub group_id: Option<String>,
}

#[graph_resource]
pub enum AssignmentTarget {
    Plain(PlainTarget),
}

fn main() {}
