//! The throttle gate end to end: 200 concurrent `get`s through the reqwest transport against
//! a local server that answers at most 50 requests per second and 429 with `Retry-After: 1`
//! beyond that, once with the gate and once without. The server counts what it saw.
//!
//! Retry delays are real here: the client's default timer waits every `Retry-After`.

#[path = "support/http_server.rs"]
mod http_server;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use graph_resource::{Client, RetryPolicy, graph_resource};
use http_server::{Reply, TestServer};

#[graph_resource(path = "/deviceManagement/deviceConfigurations")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceConfiguration {
    pub id: Option<String>,
    pub display_name: Option<String>,
}

const CALLS: usize = 200;
const PER_SECOND: usize = 50;
const IN_FLIGHT: usize = 16;

const THROTTLED: &str = r#"{"error":{"code":"TooManyRequests","message":"Too many requests, retry after 1 second.","innerError":{"code":"TooManyRequests","request-id":"6f6f3b5e-8f5e-4f4e-9d9c-1a2b3c4d5e6f","date":"2025-01-01T00:00:00"}}}"#;

/// What the server saw in one run.
#[derive(Debug, Default)]
struct Seen {
    /// The start of the current one-second window and the requests answered 200 in it.
    window: Option<(Instant, usize)>,
    throttled: usize,
    /// Successful GETs by configuration id.
    answered: BTreeMap<String, usize>,
}

/// The figures of one run.
#[derive(Debug)]
struct Figures {
    throttled: usize,
    requests: usize,
    wall: Duration,
}

/// Answers at most [`PER_SECOND`] requests in each one-second window, 429 beyond.
fn throttling(seen: &Mutex<Seen>, target: &str) -> Reply {
    let mut seen = seen.lock().unwrap();
    let now = Instant::now();
    let (start, answered) = match seen.window {
        Some((start, answered)) if now.duration_since(start) < Duration::from_secs(1) => {
            (start, answered)
        }
        _ => (now, 0),
    };
    if answered >= PER_SECOND {
        seen.window = Some((start, answered));
        seen.throttled += 1;
        return Reply::json(429, THROTTLED).header("Retry-After", "1");
    }
    seen.window = Some((start, answered + 1));
    let id = target.rsplit('/').next().unwrap_or_default().to_owned();
    *seen.answered.entry(id.clone()).or_default() += 1;
    Reply::json(
        200,
        &format!(
            r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/deviceConfigurations/$entity","id":"{id}","displayName":"configuration {id}"}}"#
        ),
    )
}

/// Sends [`CALLS`] concurrent `get`s, at most [`IN_FLIGHT`] at once, with the gate on or off.
async fn run(gate: bool) -> Figures {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let counting = seen.clone();
    let server = TestServer::start(move |request| throttling(&counting, &request.target)).await;
    let client = Client::builder()
        .base_url(format!("{}/v1.0", server.url()))
        .bearer_token("throttle-test-token")
        .retry_policy(RetryPolicy::default().max_retries(10))
        .throttle_gate(gate)
        .max_in_flight(IN_FLIGHT)
        .build()
        .unwrap();
    let started = Instant::now();
    let calls = (0..CALLS).map(|index| {
        let client = client.clone();
        tokio::spawn(async move {
            let id = format!("config-{index:03}");
            let found = DeviceConfiguration::get(&client, &id).await;
            (id, found)
        })
    });
    for joined in join_all(calls).await {
        let (id, found) = joined.unwrap();
        let found = found.unwrap_or_else(|error| panic!("get {id} failed: {error}"));
        assert_eq!(found.id.as_deref(), Some(id.as_str()));
    }
    let wall = started.elapsed();

    let seen = seen.lock().unwrap();
    let requests = server.requests().len();
    assert_eq!(seen.answered.len(), CALLS, "every id answered");
    assert!(
        seen.answered.values().all(|&count| count == 1),
        "a GET answered 200 is never sent again: {:?}",
        seen.answered
            .iter()
            .filter(|(_, count)| **count > 1)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        requests,
        CALLS + seen.throttled,
        "every request beyond one per call was answered 429"
    );
    Figures {
        throttled: seen.throttled,
        requests,
        wall,
    }
}

#[tokio::test]
async fn the_gate_spares_the_server_most_429s_and_every_call_succeeds() {
    let limit = Duration::from_secs(30);
    let (with, without) =
        tokio::time::timeout(limit, async { (run(true).await, run(false).await) })
            .await
            .expect("both runs end within 30 s");
    eprintln!(
        "{CALLS} concurrent gets, {PER_SECOND} answered per second, at most {IN_FLIGHT} in flight: \
         with the gate {} 429s ({} requests, {:.2} s), without it {} 429s ({} requests, {:.2} s)",
        with.throttled,
        with.requests,
        with.wall.as_secs_f64(),
        without.throttled,
        without.requests,
        without.wall.as_secs_f64(),
    );
    assert!(without.throttled > 0, "the server throttled: {without:?}");
    assert!(
        with.throttled * 2 <= without.throttled,
        "with the gate at most half the 429s: {with:?} against {without:?}"
    );
}
