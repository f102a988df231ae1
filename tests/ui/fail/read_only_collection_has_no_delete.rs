use graph_resource::{Client, graph_resource};

#[graph_resource(path = "/deviceManagement/auditEvents", operations(list, get))]
pub struct AuditEvent {
    pub id: Option<String>,
}

async fn remove(client: &Client) {
    let _ = AuditEvent::delete(client, "event-1").await;
}

fn main() {
    let _ = remove;
}
