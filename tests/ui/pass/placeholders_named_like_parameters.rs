//! Placeholders may take the names of the generated fns' own parameters (`create`'s
//! `client` and `body`, an alternate key's `value`): those are hygienic.

use graph_resource::graph_resource;

#[graph_resource(path = "/deviceManagement/intents/<client>/assignments")]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
}

#[graph_resource(path = "/groups/<body>/members/{client}/items")]
pub struct Item {
    pub id: Option<String>,
}

#[graph_resource(path = "/sites/{value}/lists/{client}/items", alternate_keys(webUrl))]
pub struct ListItem {
    pub id: Option<String>,
}

async fn calls(client: &graph_resource::Client) -> Result<(), graph_resource::Error> {
    let body = DeviceManagementIntentAssignment { id: None };
    DeviceManagementIntentAssignment::create(client, "intent-1", &body).await?;
    Item::create(client, "group-1", "member-1", &Item { id: None }).await?;
    ListItem::by_web_url(client, "site-1", "list-1", "https://contoso/a").get().await?;
    Ok(())
}

fn main() {
    let _ = calls;
}
