//! Delta queries end to end: the real `Client` with its reqwest transport against a local
//! server that pages through changes and records every request.

#[path = "support/http_server.rs"]
mod http_server;

use futures_util::StreamExt;
use graph_resource::{Change, Client, Error, Removal, graph_resource};
use http_server::{Reply, TestServer};
use serde_json::json;

#[graph_resource(path = "/groups", delta)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    pub id: Option<String>,
    pub display_name: Option<String>,
}

fn client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1.0", server.url()))
        .bearer_token("delta-test-token")
        .build()
        .unwrap()
}

/// Pages of changes: the first query has three pages (an upsert, a removal written after
/// the id, an empty page) and ends with a delta link; the delta link gives one later change.
fn changes_server() -> impl Fn(&http_server::Captured) -> Reply + Send + Sync + 'static {
    |request| {
        let host = request.header("host").unwrap_or_default().to_owned();
        let base = format!("http://{host}/v1.0/groups/delta");
        let body = match request.target.split_once('?').map(|(_, query)| query) {
            Some("$select=displayName") => json!({
                "value": [{"@odata.type": "#microsoft.graph.group", "id": "g1", "displayName": "Ops"}],
                "@odata.nextLink": format!("{base}?$skiptoken=p2")
            }),
            Some("$skiptoken=p2") => json!({
                "value": [
                    {"id": "g2", "@removed": {"reason": "deleted"}},
                    {"@removed": {"reason": "changed"}, "id": "g3"}
                ],
                "@odata.nextLink": format!("{base}?$skiptoken=p3")
            }),
            Some("$skiptoken=p3") => {
                json!({"value": [], "@odata.deltaLink": format!("{base}?$deltatoken=d1")})
            }
            Some("$deltatoken=d1") => json!({
                "value": [{"id": "g4", "displayName": "New"}],
                "@odata.deltaLink": format!("{base}?$deltatoken=d2")
            }),
            _ => {
                return Reply::json(410, r#"{"error":{"code":"SyncStateNotFound","message":"The sync state has expired."}}"#)
                    .header("Location", &format!("{base}?$deltatoken=latest"));
            }
        };
        Reply::json(200, &body.to_string())
    }
}

#[tokio::test]
async fn a_three_page_delta_with_removals_then_a_resume_with_only_later_changes() {
    let server = TestServer::start(changes_server()).await;
    let client = client(&server);

    let changes: Vec<Change<Group>> = Group::delta(&client)
        .select(["displayName"])
        .changes()
        .map(Result::unwrap)
        .collect()
        .await;
    let delta_link = format!("{}/v1.0/groups/delta?$deltatoken=d1", server.url());
    assert_eq!(
        changes,
        [
            Change::Upserted(Group {
                id: Some("g1".into()),
                display_name: Some("Ops".into())
            }),
            Change::Removed(Removal {
                id: "g2".into(),
                reason: Some("deleted".into())
            }),
            Change::Removed(Removal {
                id: "g3".into(),
                reason: Some("changed".into())
            }),
            Change::DeltaLink(delta_link.clone()),
        ]
    );
    assert!(matches!(&changes[1], Change::Removed(removal) if removal.is_deleted()));

    let later: Vec<Change<Group>> = Group::delta(&client)
        .resume(delta_link)
        .changes()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(later.len(), 2);
    assert!(matches!(&later[0], Change::Upserted(group) if group.id.as_deref() == Some("g4")));
    assert!(matches!(&later[1], Change::DeltaLink(link) if link.ends_with("$deltatoken=d2")));

    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/v1.0/groups/delta?$select=displayName",
            "/v1.0/groups/delta?$skiptoken=p2",
            "/v1.0/groups/delta?$skiptoken=p3",
            "/v1.0/groups/delta?$deltatoken=d1",
        ]
    );
}

#[tokio::test]
async fn an_expired_delta_link_is_a_resync_error_with_the_location() {
    let server = TestServer::start(changes_server()).await;
    let client = client(&server);
    let expired = format!("{}/v1.0/groups/delta?$deltatoken=old", server.url());
    let mut changes = Group::delta(&client).resume(expired).changes();
    let error = changes.next().await.unwrap().unwrap_err();
    let Error::ResyncRequired(resync) = &error else {
        panic!("expected a resync error, got {error:?}");
    };
    let location = format!("{}/v1.0/groups/delta?$deltatoken=latest", server.url());
    assert_eq!(resync.location(), Some(location.as_str()));
    assert_eq!(resync.api().code(), Some("SyncStateNotFound"));
    assert!(error.to_string().contains("start again from"), "{error}");
    assert!(
        changes.next().await.is_none(),
        "the stream ends after the error"
    );
}

#[tokio::test]
async fn an_entity_that_does_not_decode_names_its_page_item_and_property() {
    let server = TestServer::start(|_: &http_server::Captured| {
        let body = json!({"value": [
            {"id": "g1", "displayName": "Ops"},
            {"id": "g2", "@removed": {"reason": "changed"}, "displayName": 7},
            {"id": "g3", "displayName": 7}
        ]});
        Reply::json(200, &serde_json::to_string_pretty(&body).unwrap())
    })
    .await;
    let client = client(&server);
    let mut changes = Group::delta(&client).changes();
    let error = changes.next().await.unwrap().unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.path(), "value[2].displayName", "{error}");
    assert!(
        error.to_string().contains("invalid type: integer `7`"),
        "{error}"
    );
    assert!(
        changes.next().await.is_none(),
        "the stream ends after the error"
    );
}
