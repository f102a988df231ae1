use graph_resource::graph_resource;

#[graph_resource(actions(sync_device))]
pub enum ManagementState {
    Managed,
    RetirePending,
}

fn main() {}
