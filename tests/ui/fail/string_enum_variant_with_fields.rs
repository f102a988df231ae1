use graph_resource::graph_resource;

#[graph_resource]
pub enum InstallIntent {
    Available,
    Required { deadline: u32 },
    Unknown(String),
}

fn main() {}
