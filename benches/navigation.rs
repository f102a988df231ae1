//! The cost of a navigation request (`/groups/{id}/members`, a page of users and groups, and
//! `/users/{id}/mailFolders/{id}/messages`) built by typed steps, sent through a transport that
//! answers at once and decoded, against the same request built by hand with `http` and sent
//! through the same transport, its body decoded with `serde_json::from_slice` into the same
//! page type.
//!
//! ```text
//! cargo bench --bench navigation
//! ```
//!
//! Times drift on a busy machine; instruction counts do not. `NAVIGATION_CALLS=<case>:<n>`
//! makes the bench binary run one case `n` times and exit, so that callgrind can count the
//! instructions of one call as the difference between `n` calls and none:
//!
//! ```text
//! cargo bench --bench navigation --no-run   # prints the binary's path
//! NAVIGATION_CALLS=members-navigation:1000 valgrind --tool=callgrind \
//!     --callgrind-out-file=/dev/null target/release/deps/navigation-<hash>
//! ```
//!
//! The cases are `members-by-hand`, `members-navigation`, `messages-by-hand` and
//! `messages-navigation`.

#[path = "../tests/support/ready.rs"]
mod ready;

use std::hint::black_box;
use std::sync::Arc;

use bytes::Bytes;
use criterion::{Criterion, criterion_group};
use graph_resource::{
    BoxFuture, Client, Page, Transport, TransportError, UntypedResource, graph_resource,
};
use http::header::{ACCEPT, AUTHORIZATION, USER_AGENT};
use http::{HeaderValue, Request, Response};
use ready::block_on;

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
    pub mail: Option<String>,
    pub user_principal_name: Option<String>,
    #[graph(navigation)]
    pub member_of: Option<Vec<DirectoryObjectKind>>,
    #[graph(contained)]
    pub mail_folders: Option<Vec<MailFolder>>,
}

#[graph_resource(path = "/groups")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    #[graph(base)]
    pub base: DirectoryObject,
    pub display_name: Option<String>,
    pub mail_enabled: Option<bool>,
    pub security_enabled: Option<bool>,
    #[graph(navigation)]
    pub members: Option<Vec<DirectoryObjectKind>>,
}

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
    pub display_name: Option<String>,
    #[graph(contained)]
    pub messages: Option<Vec<Message>>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    pub id: Option<String>,
    pub subject: Option<String>,
    pub is_read: Option<bool>,
}

/// Answers every request with the same `200 OK` body, without any I/O.
#[derive(Debug)]
struct Answers(Bytes);

impl Transport for Answers {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> BoxFuture<'_, Result<Response<Bytes>, TransportError>> {
        black_box(&request);
        Box::pin(std::future::ready(Ok(Response::new(self.0.clone()))))
    }
}

/// Ten members, users and groups alternately, as Graph answers `/groups/{id}/members`.
fn members_body() -> String {
    let members: Vec<String> = (0..10)
        .map(|i| {
            if i % 2 == 0 {
                format!(
                    r##"{{"@odata.type":"#microsoft.graph.user","id":"5b1c{i:04}-0000-4000-8000-00000000000{i}","displayName":"User {i}","mail":"user{i}@contoso.com","userPrincipalName":"user{i}@contoso.com"}}"##
                )
            } else {
                format!(
                    r##"{{"@odata.type":"#microsoft.graph.group","id":"9d2e{i:04}-0000-4000-8000-00000000000{i}","displayName":"Group {i}","mailEnabled":false,"securityEnabled":true}}"##
                )
            }
        })
        .collect();
    format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#directoryObjects","value":[{}]}}"#,
        members.join(",")
    )
}

/// Ten messages, as Graph answers `/users/{id}/mailFolders/{id}/messages`.
fn messages_body() -> String {
    let messages: Vec<String> = (0..10)
        .map(|i| {
            format!(
                r#"{{"@odata.etag":"W/\"CQAAABYAAAB{i}\"","id":"AAMkAGI2TG93AAA{i}","subject":"Report {i}","isRead":false}}"#
            )
        })
        .collect();
    format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('u1')/mailFolders('inbox')/messages","value":[{}]}}"#,
        messages.join(",")
    )
}

/// What a careful hand-written call does: the same URL and headers, the same decode.
async fn get_page_by_hand<T: serde::de::DeserializeOwned>(
    transport: &dyn Transport,
    uri: String,
    token: &str,
) -> Page<T> {
    let request_id = format!("{:032x}", fastrand::u128(..));
    let mut authorization = HeaderValue::try_from(format!("Bearer {token}")).unwrap();
    authorization.set_sensitive(true);
    let request = Request::get(uri)
        .header(AUTHORIZATION, authorization)
        .header(ACCEPT, "application/json")
        .header(USER_AGENT, "hand-written/1.0")
        .header("client-request-id", request_id)
        .body(Bytes::new())
        .unwrap();
    let response = transport.send(request).await.unwrap();
    assert!(response.status().is_success());
    serde_json::from_slice(response.body()).unwrap()
}

fn client(transport: Arc<Answers>) -> Client {
    Client::builder()
        .base_url("https://graph.microsoft.com/v1.0")
        .bearer_token("bench-token")
        .transport(transport)
        .build()
        .unwrap()
}

const BASE: &str = "https://graph.microsoft.com/v1.0";

fn members_by_hand(transport: &Answers, group_id: &str) -> Page<DirectoryObjectKind> {
    block_on(get_page_by_hand(
        transport,
        format!("{BASE}/groups/{group_id}/members?$top=50"),
        "bench-token",
    ))
}

fn members_navigation(client: &Client, group_id: &str) -> Page<DirectoryObjectKind> {
    block_on(
        Group::at(client, group_id)
            .to(Group::MEMBERS)
            .list()
            .top(50),
    )
    .unwrap()
}

fn messages_by_hand(transport: &Answers, user_id: &str, folder_id: &str) -> Page<Message> {
    block_on(get_page_by_hand(
        transport,
        format!("{BASE}/users/{user_id}/mailFolders/{folder_id}/messages"),
        "bench-token",
    ))
}

fn messages_navigation(client: &Client, user_id: &str, folder_id: &str) -> Page<Message> {
    let messages = User::at(client, user_id)
        .to(User::MAIL_FOLDERS)
        .id(folder_id)
        .to(MailFolder::MESSAGES);
    block_on(messages.list()).unwrap()
}

/// The transports and clients of both cases, each checked to give what the other gives.
struct Setup {
    members: (Arc<Answers>, Client),
    messages: (Arc<Answers>, Client),
}

impl Setup {
    fn new() -> Self {
        let members = Arc::new(Answers(Bytes::from(members_body())));
        let messages = Arc::new(Answers(Bytes::from(messages_body())));
        let setup = Setup {
            members: (members.clone(), client(members)),
            messages: (messages.clone(), client(messages)),
        };
        let by_client = members_navigation(&setup.members.1, "g1");
        assert_eq!(
            by_client.items,
            members_by_hand(&setup.members.0, "g1").items
        );
        assert_eq!(by_client.items.len(), 10);
        let by_client = messages_navigation(&setup.messages.1, "u1", "inbox");
        let by_hand = messages_by_hand(&setup.messages.0, "u1", "inbox");
        assert_eq!(by_client.items, by_hand.items);
        assert_eq!(by_client.items.len(), 10);
        setup
    }
}

fn members(c: &mut Criterion) {
    let Setup {
        members: (transport, client),
        ..
    } = Setup::new();
    let mut group = c.benchmark_group("GET /groups/{id}/members?$top=50, ten users and groups");
    group.bench_function("by hand with http and serde_json", |b| {
        b.iter(|| members_by_hand(&transport, black_box("g1")))
    });
    group.bench_function("graph navigation", |b| {
        b.iter(|| members_navigation(&client, black_box("g1")))
    });
    group.finish();
}

fn messages(c: &mut Criterion) {
    let Setup {
        messages: (transport, client),
        ..
    } = Setup::new();
    let mut group = c.benchmark_group("GET /users/{id}/mailFolders/{id}/messages, ten messages");
    group.bench_function("by hand with http and serde_json", |b| {
        b.iter(|| messages_by_hand(&transport, black_box("u1"), black_box("inbox")))
    });
    group.bench_function("graph navigation", |b| {
        b.iter(|| messages_navigation(&client, black_box("u1"), black_box("inbox")))
    });
    group.finish();
}

/// Runs one case `n` times, for an instruction count: `NAVIGATION_CALLS=<case>:<n>`.
fn count_calls(spec: &str) {
    let (case, n) = spec.split_once(':').expect("NAVIGATION_CALLS=<case>:<n>");
    let n: usize = n.parse().expect("a number of calls");
    let setup = Setup::new();
    let (members, messages) = (&setup.members, &setup.messages);
    for _ in 0..n {
        match case {
            "members-by-hand" => drop(black_box(members_by_hand(&members.0, black_box("g1")))),
            "members-navigation" => {
                drop(black_box(members_navigation(&members.1, black_box("g1"))))
            }
            "messages-by-hand" => drop(black_box(messages_by_hand(&messages.0, "u1", "inbox"))),
            "messages-navigation" => {
                drop(black_box(messages_navigation(&messages.1, "u1", "inbox")))
            }
            other => panic!("unknown case `{other}`"),
        }
    }
}

criterion_group!(benches, members, messages);

fn main() {
    match std::env::var("NAVIGATION_CALLS") {
        Ok(spec) => count_calls(&spec),
        Err(_) => {
            benches();
            Criterion::default().configure_from_args().final_summary();
        }
    }
}
