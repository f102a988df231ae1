use graph_resource::graph_resource;

#[graph_resource(flags, flags)]
#[derive(PartialEq)]
pub enum Access {
    Read,
    #[graph(rename = "write,delete")]
    WriteDelete,
}

fn main() {
    let _ = Access::Read | Access::WriteDelete;
}
