//! Paths end to end: navigation steps, casts, `$ref`, `$count`, alternate keys, roots and
//! the escape hatch, through the real client and its reqwest transport against a local
//! server that records what it received.

#[path = "support/http_server.rs"]
mod http_server;

use std::sync::Arc;
use std::time::Duration;

use graph_resource::{
    Client, CollectionPath, Entity, EntityPath, RecordingSleep, Request, UntypedResource,
    graph_resource,
};
use http::Method;
use http_server::{Reply, TestServer};
use serde_json::json;

#[graph_resource(path = "/directoryObjects")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DirectoryObject {
    pub id: Option<String>,
}

#[graph_resource(path = "/users")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct User {
    #[graph(base)]
    pub base: DirectoryObject,
    pub display_name: Option<String>,
    #[graph(navigation)]
    pub manager: Option<Box<DirectoryObjectKind>>,
    #[graph(navigation)]
    pub member_of: Option<Vec<DirectoryObjectKind>>,
    #[graph(contained)]
    pub messages: Option<Vec<Message>>,
    #[graph(contained)]
    pub mail_folders: Option<Vec<MailFolder>>,
}

#[graph_resource(path = "/groups")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    #[graph(base)]
    pub base: DirectoryObject,
    pub display_name: Option<String>,
    #[graph(navigation)]
    pub members: Option<Vec<DirectoryObjectKind>>,
}

/// The members of a group: users, groups, and what this program does not model.
#[graph_resource(base = "DirectoryObject")]
#[derive(Debug, Clone, PartialEq)]
pub enum DirectoryObjectKind {
    User(User),
    Group(Group),
    #[graph(other)]
    Other(UntypedResource),
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MailFolder {
    pub id: Option<String>,
    #[graph(contained)]
    pub messages: Option<Vec<Message>>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    pub id: Option<String>,
    pub subject: Option<String>,
    #[graph(contained)]
    pub attachments: Option<Vec<Attachment>>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attachment {
    pub id: Option<String>,
    pub name: Option<String>,
}

/// The per-attempt timeout, which the recording sleep lets run for real.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);

/// A client of base URL `{server}/v1.0` whose retry delays are recorded, not waited.
fn client(server: &TestServer) -> (Client, RecordingSleep) {
    let sleep = RecordingSleep::new().passing(ATTEMPT_TIMEOUT);
    let client = Client::builder()
        .base_url(format!("{}/v1.0", server.url()))
        .bearer_token("local-test-token")
        .timeout(ATTEMPT_TIMEOUT)
        .sleep(Arc::new(sleep.clone()))
        .build()
        .unwrap();
    (client, sleep)
}

#[tokio::test]
async fn the_members_of_a_group_are_read_as_users_and_groups() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        r##"{"value": [
            {"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Ada"},
            {"@odata.type": "#microsoft.graph.group", "id": "g2", "displayName": "Ops"},
            {"@odata.type": "#microsoft.graph.device", "id": "d3"}
        ]}"##,
    )])
    .await;
    let (client, _) = client(&server);
    let page = Group::at(&client, "g1")
        .to(Group::MEMBERS)
        .list()
        .top(50)
        .await
        .unwrap();
    let [user, group, device] = page.items.as_slice() else {
        panic!("expected three members, got {:?}", page.items);
    };
    assert!(
        matches!(user, DirectoryObjectKind::User(user) if user.display_name.as_deref() == Some("Ada")),
        "{user:?}"
    );
    assert!(
        matches!(group, DirectoryObjectKind::Group(group) if group.base.id.as_deref() == Some("g2")),
        "{group:?}"
    );
    assert!(
        matches!(device, DirectoryObjectKind::Other(_)),
        "{device:?}"
    );
    let requests = server.requests();
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].target, "/v1.0/groups/g1/members?$top=50");
}

#[tokio::test]
async fn a_cast_reads_only_the_groups_a_user_is_a_member_of() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        r#"{"value": [{"id": "g1", "displayName": "Ops"}]}"#,
    )])
    .await;
    let (client, _) = client(&server);
    let groups: Vec<Group> = User::at(&client, "u1")
        .to(User::MEMBER_OF)
        .cast::<Group>()
        .list()
        .all()
        .await
        .unwrap();
    assert_eq!(groups[0].display_name.as_deref(), Some("Ops"));
    assert_eq!(
        server.requests()[0].target,
        "/v1.0/users/u1/memberOf/microsoft.graph.group"
    );
}

#[tokio::test]
async fn references_are_added_with_the_full_url_and_removed() {
    let server = TestServer::scripted(vec![Reply::json(204, ""), Reply::json(204, "")]).await;
    let (client, _) = client(&server);
    Group::at(&client, "g1")
        .to(Group::MEMBERS)
        .add_reference("u1")
        .await
        .unwrap();
    Group::at(&client, "g1")
        .to(Group::MEMBERS)
        .remove_reference("u1")
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].target, "/v1.0/groups/g1/members/$ref");
    assert_eq!(
        requests[0].json(),
        json!({"@odata.id": format!("{}/v1.0/directoryObjects/u1", server.url())})
    );
    assert_eq!(requests[1].method, "DELETE");
    assert_eq!(requests[1].target, "/v1.0/groups/g1/members/u1/$ref");
}

#[tokio::test]
async fn count_is_read_from_text_plain_with_eventual_consistency() {
    let server = TestServer::scripted(vec![Reply::with_type(
        200,
        "text/plain;charset=utf-8",
        "42",
    )])
    .await;
    let (client, _) = client(&server);
    let count = User::collection(&client)
        .count()
        .filter("accountEnabled eq true")
        .await
        .unwrap();
    assert_eq!(count, 42);
    let request = &server.requests()[0];
    assert_eq!(
        request.target,
        "/v1.0/users/$count?$filter=accountEnabled%20eq%20true"
    );
    assert_eq!(request.header("consistencylevel"), Some("eventual"));
}

#[tokio::test]
async fn one_message_type_serves_two_paths() {
    let page = r#"{"value": [{"id": "m1", "subject": "Hi"}]}"#;
    let server = TestServer::scripted(vec![Reply::json(200, page), Reply::json(200, page)]).await;
    let (client, _) = client(&server);
    let mine = EntityPath::<User>::root(&client, "/me")
        .to(User::MESSAGES)
        .list()
        .await
        .unwrap();
    let filed = User::at(&client, "u1")
        .to(User::MAIL_FOLDERS)
        .id("inbox")
        .to(MailFolder::MESSAGES)
        .list()
        .await
        .unwrap();
    assert_eq!(mine.items, filed.items);
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/v1.0/me/messages",
            "/v1.0/users/u1/mailFolders/inbox/messages"
        ]
    );
}

#[tokio::test]
async fn an_alternate_key_with_a_quote_reaches_the_server_as_a_literal() {
    let server = TestServer::scripted(vec![Reply::json(200, r#"{"id": "u1"}"#)]).await;
    let (client, _) = client(&server);
    let user = User::collection(&client)
        .alternate_key("userPrincipalName", "o'brien@contoso.com")
        .get()
        .await
        .unwrap();
    assert_eq!(user.base.id.as_deref(), Some("u1"));
    assert_eq!(
        server.requests()[0].decoded_target(),
        "/v1.0/users(userPrincipalName='o''brien@contoso.com')"
    );
}

#[tokio::test]
async fn the_escape_hatch_is_retried_on_503() {
    let server = TestServer::scripted(vec![
        Reply::json(
            503,
            r#"{"error": {"code": "ServiceUnavailable", "message": "busy"}}"#,
        )
        .header("Retry-After", "2"),
        Reply::json(200, r#"{"id": "m1", "jobTitle": "Lead"}"#),
    ])
    .await;
    let (client, sleep) = client(&server);
    let manager: UntypedResource =
        Request::<Entity<_>>::custom(&client, Method::GET, "/users/{}/manager", &["a b"])
            .await
            .unwrap();
    assert_eq!(manager.properties.get("jobTitle"), Some(&json!("Lead")));
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/v1.0/users/a%20b/manager"; 2]);
    assert_eq!(sleep.slept(), [Duration::from_secs(2)]);
}

#[tokio::test]
async fn a_navigation_and_a_count_go_in_one_batch() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        r##"{"responses": [
            {"id": "1", "status": 200, "body": {"value": [{"@odata.type": "#microsoft.graph.user", "id": "u1"}]}},
            {"id": "2", "status": 200, "headers": {"Content-Type": "text/plain"}, "body": "MTI="}
        ]}"##,
    )])
    .await;
    let (client, _) = client(&server);
    let mut batch = client.batch();
    let members = batch.add(Group::at(&client, "g1").to(Group::MEMBERS).list());
    let count = batch.add(CollectionPath::<User>::root(&client, "/users").count());
    let mut responses = batch.send().await.unwrap();
    let members = responses.take(members).unwrap();
    assert!(matches!(
        members.items.as_slice(),
        [DirectoryObjectKind::User(_)]
    ));
    assert_eq!(responses.take(count).unwrap(), 12);
    let request = &server.requests()[0];
    assert_eq!(request.target, "/v1.0/$batch");
    let sent = request.json();
    assert_eq!(sent["requests"][0]["url"], "/groups/g1/members");
    assert_eq!(sent["requests"][1]["url"], "/users/$count");
    assert_eq!(
        sent["requests"][1]["headers"]["consistencylevel"],
        "eventual"
    );
}
