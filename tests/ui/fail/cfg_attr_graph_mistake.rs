use graph_resource::graph_resource;

#[graph_resource]
pub struct Widget {
    #[cfg_attr(all(), graph(renam = "name"))]
    pub title: Option<String>,
    // Not compiled, so not checked.
    #[cfg(any())]
    #[graph(not_a_key)]
    pub removed: Option<String>,
}

fn main() {}
