use graph_resource::graph_resource;

#[graph_resource]
pub enum AssignmentFilterType {
    None,
    Include,
    #[graph(rename = "include")]
    Included,
}

fn main() {}
