use graph_resource::graph_resource;

#[graph_resource]
pub union Either {
    pub a: u32,
    pub b: f32,
}

fn main() {}
