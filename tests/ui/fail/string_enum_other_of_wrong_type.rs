use graph_resource::graph_resource;

#[graph_resource]
pub enum AssignmentFilterType {
    None,
    Include,
    Exclude,
    #[graph(other)]
    Unknown(u32),
}

fn main() {}
