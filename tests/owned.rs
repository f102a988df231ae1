//! Request values own a clone of their client: requests, paging and delta streams and
//! batches run on tasks of a multi-thread runtime, and a function that owns the client can
//! return them.

use std::future::Future;

use futures_util::StreamExt;
use graph_resource::{
    Change, Changes, Client, Created, Error, Items, MockResponse, MockTransport, Page,
    graph_resource,
};
use serde_json::json;

#[graph_resource(path = "/deviceManagement/intents/<>/assignments", delta)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Assignment {
    pub id: Option<String>,
}

const BASE: &str = "https://graph.microsoft.com/v1.0/deviceManagement/intents/i1/assignments";

fn client(mock: &MockTransport) -> Client {
    mock.client_builder().build().unwrap()
}

/// Runs `future` on a task of the multi-thread runtime: it must be `Send + 'static`.
async fn spawned<F>(future: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::spawn(future).await.unwrap()
}

/// Every item of the intent's assignments, from a function that owns the client.
fn every_assignment(client: Client) -> Items<Assignment> {
    Assignment::list(&client, "i1").page_size(1).items()
}

/// The changes of the intent's assignments, from a function that owns the client.
fn assignment_changes(client: Client) -> Changes<Assignment> {
    Assignment::delta(&client, "i1").changes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_run_on_spawned_tasks() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(201, json!({"id": "a1"})))
        .push(MockResponse::json(200, json!({"id": "a1"})))
        .push(MockResponse::new(204));
    let client = client(&mock);
    let body = Assignment::default();

    let created = spawned(Assignment::create(&client, "i1", &body)).await;
    assert_eq!(
        created.unwrap().into_entity().unwrap().id.as_deref(),
        Some("a1")
    );
    let read = spawned(Assignment::get(&client, "i1", "a1")).await.unwrap();
    assert_eq!(read.id.as_deref(), Some("a1"));
    // The client is dropped before the request runs: the request holds its own clone.
    let delete = Assignment::delete(&client, "i1", "a1");
    drop(client);
    spawned(delete).await.unwrap();
    assert_eq!(mock.requests().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_and_delta_streams_run_on_spawned_tasks() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(
        200,
        json!({"value": [{"id": "a1"}], "@odata.nextLink": format!("{BASE}?$skiptoken=2")}),
    ))
    .push(MockResponse::json(200, json!({"value": [{"id": "a2"}]})))
    .push(MockResponse::json(
        200,
        json!({"value": [{"id": "a3"}], "@odata.deltaLink": format!("{BASE}/delta?$deltatoken=d")}),
    ));
    let items = every_assignment(client(&mock));
    let ids = spawned(async move {
        let items: Vec<Result<Assignment, Error>> = items.collect().await;
        items
            .into_iter()
            .map(|item| item.map(|assignment| assignment.id))
            .collect::<Result<Vec<_>, Error>>()
    })
    .await
    .unwrap();
    assert_eq!(ids, [Some("a1".into()), Some("a2".into())]);

    let changes = assignment_changes(client(&mock));
    let changes = spawned(changes.collect::<Vec<_>>()).await;
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(matches!(&changes[0], Ok(Change::Upserted(a)) if a.id.as_deref() == Some("a3")));
    assert!(matches!(&changes[1], Ok(Change::DeltaLink(link)) if link.ends_with("$deltatoken=d")));
    assert_eq!(mock.requests().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_and_its_requests_run_on_a_spawned_task() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(
        200,
        json!({"responses": [
            {"id": "1", "status": 201, "body": {"id": "a1"}},
            {"id": "2", "status": 200, "body": {"value": []}},
        ]}),
    ));
    let client = client(&mock);
    let mut batch = client.batch();
    let created = batch.add(Assignment::create(&client, "i1", &Assignment::default()));
    let listed = batch.add(Assignment::list(&client, "i1"));
    drop(client);
    let mut responses = spawned(batch.send()).await.unwrap();
    let created: Created<Assignment> = responses.take(created).unwrap();
    assert_eq!(created.into_entity().unwrap().id.as_deref(), Some("a1"));
    let listed: Page<Assignment> = responses.take(listed).unwrap();
    assert!(listed.items.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_join_without_into_future() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(200, json!({"id": "a"})))
        .push(MockResponse::json(200, json!({"id": "a"})));
    let client = client(&mock);
    let requests = ["a", "a"].map(|id| Assignment::get(&client, "i1", id));
    let read = futures_util::future::join_all(requests).await;
    assert!(read.iter().all(|read| read.is_ok()), "{read:?}");
}
