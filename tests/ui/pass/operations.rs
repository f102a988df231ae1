//! Every operation of a collection, a singleton, a read-only collection and a collection of
//! an abstract type, called as an SDK would call them.

use graph_resource::{Client, Created, Error, Page, Response, UntypedResource, graph_resource};

#[graph_resource(path = "/deviceManagement/intents/<>/assignments")]
#[derive(Debug, Clone, Default)]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
    pub target: Option<UntypedResource>,
}

#[graph_resource(path = "/deviceManagement", singleton)]
#[derive(Debug, Clone, Default)]
pub struct DeviceManagement {
    pub id: Option<String>,
    pub intune_account_id: Option<String>,
}

#[graph_resource(path = "/deviceManagement/auditEvents", operations(list, get))]
#[derive(Debug, Clone, Default)]
pub struct AuditEvent {
    pub id: Option<String>,
    pub display_name: Option<String>,
}

#[graph_resource(path = "/deviceManagement/deviceConfigurations")]
#[derive(Debug, Clone)]
pub enum DeviceConfiguration {
    Windows10(Windows10GeneralConfiguration),
    #[graph(other)]
    Other(UntypedResource),
}

#[graph_resource]
#[derive(Debug, Clone, Default)]
pub struct Windows10GeneralConfiguration {
    pub id: Option<String>,
    pub display_name: Option<String>,
}

async fn calls(client: &Client) -> Result<(), Error> {
    let body = DeviceManagementIntentAssignment::default();
    let created: Created<DeviceManagementIntentAssignment> =
        DeviceManagementIntentAssignment::create(client, "intent", &body).await?;
    let created = created.into_entity().unwrap_or_default();
    let page: Page<DeviceManagementIntentAssignment> =
        DeviceManagementIntentAssignment::list(client, "intent").top(5).await?;
    let one = DeviceManagementIntentAssignment::get(client, "intent", "a1").select(["id"]).await?;
    let read: Response<DeviceManagementIntentAssignment> =
        DeviceManagementIntentAssignment::get(client, "intent", "a1").with_response().await?;
    let _ = (read.status(), read.etag(), read.request_id());
    let _ = read.into_value();
    let updated: Option<DeviceManagementIntentAssignment> =
        DeviceManagementIntentAssignment::update(client, "intent", "a1", &one)
            .clear("target")
            .changed_from(&created)
            .if_match("W/\"1\"")
            .await?;
    DeviceManagementIntentAssignment::delete(client, "intent", "a1").await?;

    let settings = DeviceManagement::get(client).await?;
    let _: Option<DeviceManagement> = DeviceManagement::update(client, &settings).await?;

    let events: Vec<AuditEvent> = AuditEvent::list(client)
        .filter("activityType eq 'Delete'")
        .order_by_desc("displayName")
        .all()
        .await?;
    let configurations = DeviceConfiguration::list(client).select(["displayName"]).all().await?;
    let _ = (page, updated, events, configurations);
    Ok(())
}

fn main() {
    let _ = calls;
}
