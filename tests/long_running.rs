//! Long-running operations end to end: the real `Client` with the reqwest transport against
//! a Graph-like local server that answers an action `202 Accepted` with a `Location`, and a
//! monitor on a second local server (another origin) that takes no token.

#[path = "support/http_server.rs"]
mod http_server;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_resource::{
    BoxFuture, Client, Error, ExportJob, Operation, OperationStatus, RecordingSleep, Request,
    Sleep, WithResponse,
};
use http::Method;
use http_server::{Reply, TestServer};

const TOKEN: &str = "local-test-token-7f3a";
const TIMEOUT: Duration = Duration::from_secs(9);

fn client(graph: &TestServer, sleep: &RecordingSleep) -> Client {
    Client::builder()
        .base_url(format!("{}/v1.0", graph.url()))
        .bearer_token(TOKEN)
        .sleep(Arc::new(sleep.clone()))
        .timeout(TIMEOUT)
        .build()
        .unwrap()
}

/// A server that answers `POST`s with `accepted` and each other request with the next of
/// `polls` (the last one again once they run out).
async fn server(accepted: Reply, polls: Vec<Reply>) -> TestServer {
    let polls = Mutex::new(VecDeque::from(polls));
    TestServer::start(move |request| {
        if request.method == "POST" {
            return accepted.clone();
        }
        let mut polls = polls.lock().unwrap();
        if polls.len() > 1 {
            polls.pop_front().unwrap()
        } else {
            polls.front().cloned().unwrap()
        }
    })
    .await
}

fn accepted(location: &str) -> Reply {
    Reply::Respond {
        status: 202,
        headers: vec![("Location".into(), location.into())],
        body: Vec::new(),
    }
}

async fn clone_team(client: &Client) -> Operation {
    let response =
        Request::<WithResponse<()>>::custom(client, Method::POST, "/teams/{}/clone", &["t1"])
            .body(&serde_json::json!({"displayName": "Copy"}))
            .await
            .unwrap();
    Operation::from_response(client, &response).unwrap()
}

#[tokio::test]
async fn a_relative_location_is_polled_with_the_token_at_retry_after_until_it_succeeds() {
    let graph = server(
        accepted("/teams('t1')/operations('o1')"),
        vec![
            Reply::json(200, r#"{"status": "notStarted"}"#).header("Retry-After", "3"),
            Reply::json(200, r#"{"status": "inProgress", "percentageComplete": 40}"#),
            Reply::json(
                200,
                r#"{"status": "succeeded", "targetResourceId": "t2", "targetResourceLocation": "/teams('t2')"}"#,
            ),
            Reply::json(200, r#"{"id": "t2", "displayName": "Copy"}"#),
        ],
    )
    .await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let client = client(&graph, &sleep);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let operation = clone_team(&client)
        .await
        .on_progress(move |status: &OperationStatus| {
            let status_text = status.status().unwrap_or("").to_owned();
            record
                .lock()
                .unwrap()
                .push((status_text, status.percentage_complete()));
        });
    assert_eq!(
        operation.url(),
        format!("{}/v1.0/teams('t1')/operations('o1')", graph.url())
    );
    let team: serde_json::Value = operation.wait_for().await.unwrap();
    assert_eq!(team["displayName"], "Copy");
    assert_eq!(
        *seen.lock().unwrap(),
        [
            ("notStarted".to_owned(), None),
            ("inProgress".to_owned(), Some(40.0)),
            ("succeeded".to_owned(), None),
        ]
    );
    assert_eq!(
        sleep.slept(),
        [Duration::from_secs(3), Duration::from_secs(5)],
        "Retry-After, then the default interval"
    );
    let targets: Vec<_> = graph
        .requests()
        .iter()
        .map(|r| r.decoded_target())
        .collect();
    assert_eq!(
        targets,
        [
            "/v1.0/teams/t1/clone",
            "/v1.0/teams('t1')/operations('o1')",
            "/v1.0/teams('t1')/operations('o1')",
            "/v1.0/teams('t1')/operations('o1')",
            "/v1.0/teams('t2')",
        ]
    );
    for request in graph.requests() {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
}

#[tokio::test]
async fn an_absolute_location_on_graph_is_polled_and_one_elsewhere_is_refused() {
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let graph = TestServer::start(|_| Reply::json(200, r#"{"status": "succeeded"}"#)).await;
    let client = client(&graph, &sleep);
    let absolute = format!("{}/v1.0/teams('t1')/operations('o2')", graph.url());
    let done = Operation::at(&client, &absolute)
        .unwrap()
        .wait()
        .await
        .unwrap();
    assert_eq!(done.status(), Some("succeeded"));
    assert_eq!(
        graph.requests()[0].decoded_target(),
        "/v1.0/teams('t1')/operations('o2')"
    );

    let elsewhere = TestServer::start(|_| Reply::json(200, "{}")).await;
    let foreign = format!("{}/operations/o3", elsewhere.url());
    let error = Operation::at(&client, &foreign).unwrap_err();
    assert!(matches!(error, Error::Incomplete(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("no token is sent to another origin"),
        "{error}"
    );
    assert!(elsewhere.requests().is_empty());
}

#[tokio::test]
async fn a_monitor_on_another_origin_is_polled_without_the_token() {
    let monitor = server(
        Reply::json(500, "{}"),
        vec![
            Reply::json(
                200,
                r#"{"status": "inProgress", "percentageComplete": 12.5}"#,
            ),
            Reply::json(200, r#"{"status": "completed", "resourceId": "item-9"}"#),
        ],
    )
    .await;
    let graph = TestServer::start(|_| Reply::json(200, "{}")).await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let client = client(&graph, &sleep);
    let url = format!("{}/monitor/job-1?sig=s", monitor.url());
    let done = Operation::monitor(&client, &url)
        .unwrap()
        .wait()
        .await
        .unwrap();
    assert_eq!(done.resource_id(), Some("item-9"));
    assert_eq!(monitor.requests().len(), 2);
    for request in monitor.requests() {
        assert_eq!(request.header("authorization"), None);
        assert_eq!(request.header("client-request-id"), None);
    }
    assert!(graph.requests().is_empty());
}

#[tokio::test]
async fn a_failed_operation_gives_its_error() {
    let graph = server(
        accepted("/teams('t1')/operations('o1')"),
        vec![Reply::json(
            200,
            r#"{"status": "failed", "error": {"code": "NameTaken", "message": "a team of that name exists"}}"#,
        )],
    )
    .await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let error = clone_team(&client(&graph, &sleep))
        .await
        .wait()
        .await
        .unwrap_err();
    let Error::Operation(failed) = &error else {
        panic!("expected Error::Operation, got {error:?}");
    };
    assert!(!failed.is_deadline());
    assert_eq!(failed.code(), Some("NameTaken"));
    assert_eq!(failed.message(), Some("a team of that name exists"));
    assert!(
        error
            .to_string()
            .contains("failed (status `failed`): NameTaken: a team of that name exists"),
        "{error}"
    );
}

/// The client's timer for a wait with a deadline: the deadline's timer ends once `polls`
/// polls were answered (each asks for a poll interval after its answer), however long they
/// took; the other timers really wait.
#[derive(Debug, Clone)]
struct DeadlineAfterPolls {
    deadline: Duration,
    interval: Duration,
    polls: usize,
    answered: Arc<AtomicUsize>,
}

impl Sleep for DeadlineAfterPolls {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        if duration == self.interval {
            self.answered.fetch_add(1, Ordering::SeqCst);
        }
        if duration != self.deadline {
            return Box::pin(tokio::time::sleep(duration));
        }
        let (answered, polls) = (self.answered.clone(), self.polls);
        Box::pin(async move {
            while answered.load(Ordering::SeqCst) < polls {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    }
}

#[tokio::test]
async fn an_operation_that_never_ends_stops_at_the_deadline() {
    let graph = server(
        accepted("/teams('t1')/operations('o1')"),
        vec![Reply::json(
            200,
            r#"{"status": "inProgress", "percentageComplete": 7}"#,
        )],
    )
    .await;
    let sleep = DeadlineAfterPolls {
        deadline: Duration::from_millis(300),
        interval: Duration::from_millis(20),
        polls: 2,
        answered: Arc::default(),
    };
    let client = Client::builder()
        .base_url(format!("{}/v1.0", graph.url()))
        .bearer_token(TOKEN)
        .sleep(Arc::new(sleep.clone()))
        .timeout(TIMEOUT)
        .build()
        .unwrap();
    let operation = clone_team(&client)
        .await
        .poll_interval(sleep.interval)
        .deadline(sleep.deadline);
    let error = tokio::time::timeout(TIMEOUT, operation.wait())
        .await
        .expect("the wait ends at its deadline")
        .unwrap_err();
    let Error::Operation(late) = &error else {
        panic!("expected Error::Operation, got {error:?}");
    };
    assert!(late.is_deadline());
    assert_eq!(late.status(), Some("inProgress"));
    assert_eq!(late.percentage_complete(), Some(7.0));
    assert!(
        error.to_string().contains("did not end within 300ms"),
        "{error}"
    );
    assert!(graph.requests().len() > 2);
}

#[tokio::test]
async fn dropping_the_wait_stops_polling() {
    let graph = server(
        accepted("/teams('t1')/operations('o1')"),
        vec![Reply::json(200, r#"{"status": "inProgress"}"#)],
    )
    .await;
    let sleep = RecordingSleep::waiting();
    let operation = clone_team(&client(&graph, &sleep))
        .await
        .poll_interval(Duration::from_millis(10));
    // The POST and three polls: the wait is then dropped, however slow the machine is.
    let three_polls = tokio::time::timeout(TIMEOUT, async {
        let mut wait = std::pin::pin!(operation.wait());
        while graph.requests().len() < 4 {
            tokio::select! {
                ended = &mut wait => panic!("the operation never ends, yet: {ended:?}"),
                () = tokio::time::sleep(Duration::from_millis(5)) => {}
            }
        }
    })
    .await;
    assert!(three_polls.is_ok(), "three polls within {TIMEOUT:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    // A poll the wait had sent may still arrive; a wait that went on would have sent one
    // every 10 ms.
    let requests = graph.requests().len();
    assert!(
        requests <= 5,
        "{requests} requests: a poll after the wait was dropped"
    );
}

#[tokio::test]
async fn an_export_job_gives_its_url_and_downloads_without_the_token() {
    let storage = TestServer::start(|_| Reply::with_type(200, "application/zip", "PK-zip")).await;
    let download = format!("{}/exports/r.zip?sig=s", storage.url());
    let graph = server(
        Reply::json(500, "{}"),
        vec![
            Reply::json(200, r#"{"id": "Devices_1", "status": "inProgress"}"#),
            Reply::json(
                200,
                &format!(r#"{{"id": "Devices_1", "status": "completed", "url": "{download}"}}"#),
            ),
        ],
    )
    .await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let job = ExportJob::at(
        &client(&graph, &sleep),
        "/deviceManagement/reports/exportJobs('Devices_1')",
    )
    .unwrap();
    let url = job.wait().await.unwrap();
    assert_eq!(url, download);
    let zip = job.download(&url).await.unwrap().bytes(1024).await.unwrap();
    assert_eq!(&zip[..], b"PK-zip");
    assert_eq!(storage.requests()[0].header("authorization"), None);
    assert_eq!(graph.requests().len(), 2);
}

#[tokio::test]
async fn an_export_download_follows_a_redirect_to_storage_without_the_token() {
    let blobs = TestServer::start(|_| Reply::with_type(200, "application/zip", "PK-zip")).await;
    let blob = format!("{}/container/r.zip?sv=1&sig=b", blobs.url());
    let exports = TestServer::start(move |_| {
        Reply::with_type(302, "text/plain", "").header("Location", &blob)
    })
    .await;
    let graph = server(Reply::json(500, "{}"), vec![Reply::json(200, "{}")]).await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let job = ExportJob::at(
        &client(&graph, &sleep),
        "/deviceManagement/reports/exportJobs('x')",
    )
    .unwrap();
    let zip = job
        .download(&format!("{}/exports/r.zip?sig=s", exports.url()))
        .await
        .unwrap()
        .bytes(1024)
        .await
        .unwrap();
    assert_eq!(&zip[..], b"PK-zip");
    let fetched = &blobs.requests()[0];
    assert_eq!(fetched.header("authorization"), None);
    assert_eq!(fetched.header("referer"), None);
}

#[tokio::test]
async fn a_retry_after_of_zero_or_in_the_past_is_not_polled_in_a_hot_loop() {
    let graph = server(
        accepted("/teams('t1')/operations('o1')"),
        vec![
            Reply::json(200, r#"{"status": "inProgress"}"#).header("Retry-After", "0"),
            Reply::json(200, r#"{"status": "inProgress"}"#)
                .header("Retry-After", "Thu, 01 Jan 1970 00:00:00 GMT"),
            Reply::json(200, r#"{"status": "succeeded"}"#),
        ],
    )
    .await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let operation = clone_team(&client(&graph, &sleep)).await;
    operation.wait().await.unwrap();
    assert_eq!(
        sleep.slept(),
        [Duration::from_secs(1), Duration::from_secs(1)],
        "a Retry-After that asks for no wait is waited for at least a second"
    );
}

#[tokio::test]
async fn a_url_with_a_password_is_refused_without_quoting_it() {
    let graph = server(Reply::json(500, "{}"), vec![Reply::json(200, "{}")]).await;
    let client = client(&graph, &RecordingSleep::new());
    let monitor = "https://user:hunter2@monitor.example/jobs/1";
    let error = Operation::monitor(&client, monitor).unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    assert!(!error.to_string().contains("hunter2"), "{error}");
    let location = format!(
        "http://user:hunter2@{}/v1.0/teams('t1')/operations('o1')",
        graph.url().trim_start_matches("http://")
    );
    let error = Operation::at(&client, &location).unwrap_err();
    assert!(!error.to_string().contains("hunter2"), "{error}");
    assert!(graph.requests().is_empty());
}
