use graph_resource::graph_resource;

#[graph_resource]
pub struct Page<T> {
    pub value: Vec<T>,
}

fn main() {}
