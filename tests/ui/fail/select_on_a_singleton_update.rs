use graph_resource::{Client, graph_resource};

#[graph_resource(path = "/deviceManagement", singleton)]
#[derive(Default)]
pub struct DeviceManagement {
    pub id: Option<String>,
}

async fn changes(client: &Client) {
    // `select` reads entities; an update takes `clear`, `changed_from` and `if_match`.
    let _ = DeviceManagement::update(client, &DeviceManagement::default())
        .select(["id"])
        .await;
}

fn main() {
    let _ = changes;
}
