//! The throttle gate on a [`MockTransport`] and on its own: holds by scope and origin, the
//! exemption of the throttled call, later 429s, the release spread, the limit on requests in
//! flight and its queue.

use std::sync::atomic::AtomicUsize;

use bytes::Bytes;
use http::{HeaderMap, Method};
use serde_json::json;

use super::*;
use crate::client::Client;
use crate::error::ApiError;
use crate::mock::{MockResponse, MockTransport, RecordingSleep};
use crate::pipeline::Call;
use crate::pipeline::retry::RetryPolicy;
use crate::transport::{BoxFuture, Transport, TransportError};

const BASE: &str = "https://graph.microsoft.com/v1.0";

fn throttled(retry_after: &str) -> MockResponse {
    MockResponse::json(
        429,
        json!({"error": {"code": "TooManyRequests", "message": "Too many requests"}}),
    )
    .header("retry-after", retry_after)
}

fn ok() -> MockResponse {
    MockResponse::json(200, json!({"id": "x"}))
}

async fn get(client: &Client, url: &str) -> Result<http::Response<Bytes>, Error> {
    let call = Call {
        method: Method::GET,
        url: url.to_owned(),
        headers: HeaderMap::new(),
        body: None,
        follow_redirects: false,
    };
    client.pipeline().send(&call).await
}

fn seconds(slept: &[Duration]) -> Vec<f64> {
    slept.iter().map(Duration::as_secs_f64).collect()
}

/// Whether `delay` is what is left of `full` after the few milliseconds a test takes, and
/// the release spread of up to a tenth of `full`.
fn about(delay: Duration, full: Duration) -> bool {
    delay <= full + full / 10 && delay > full.saturating_sub(Duration::from_secs(1))
}

/// A gate as a client with the default base URL has it.
fn gate(scopes: ThrottleScopes, max_in_flight: Option<usize>) -> Gate {
    Gate::new(true, scopes, BASE, max_in_flight).unwrap()
}

#[tokio::test]
async fn a_429_holds_the_other_calls_in_its_scope_on_its_origin_but_not_the_throttled_call_itself()
{
    let mock = MockTransport::new();
    mock.push(throttled("5")).push(ok()).push(ok()).push(ok());
    let client = mock.client_builder().build().unwrap();
    let clone = client.clone();

    get(&client, &format!("{BASE}/users")).await.unwrap();
    assert_eq!(
        mock.slept(),
        [Duration::from_secs(5)],
        "the throttled call waits its own Retry-After once, in its retry step"
    );

    // Another host, and another port of the same host, are other origins.
    get(&clone, "https://graph.microsoft.us/v1.0/users")
        .await
        .unwrap();
    get(&clone, "https://graph.microsoft.com:8443/v1.0/users")
        .await
        .unwrap();
    assert_eq!(mock.slept().len(), 1, "{:?}", seconds(&mock.slept()));

    // A clone shares the gate; the port written out is the same origin, and `/groups` of
    // the other version is in the scope of `/users`: identity and access.
    mock.push(ok());
    get(&clone, "https://GRAPH.microsoft.com:443/beta/groups?$top=1")
        .await
        .unwrap();
    let slept = mock.slept();
    assert_eq!(slept.len(), 2, "{:?}", seconds(&slept));
    assert!(
        about(slept[1], Duration::from_secs(5)),
        "{:?}",
        seconds(&slept)
    );
    assert_eq!(mock.requests().len(), 5);
}

#[tokio::test]
async fn a_mailboxs_429_holds_that_mailbox_only() {
    let mock = MockTransport::new();
    mock.push(throttled("5")).push(ok());
    let client = mock.client_builder().build().unwrap();
    get(&client, &format!("{BASE}/users/a@b.com/messages?$top=5"))
        .await
        .unwrap();
    assert_eq!(mock.slept(), [Duration::from_secs(5)], "its own retry");

    // Identity and another mailbox are other scopes.
    for path in [
        "/groups",
        "/users",
        "/users/c@b.com/messages",
        "/me/messages",
    ] {
        mock.push(ok());
        get(&client, &format!("{BASE}{path}")).await.unwrap();
        assert_eq!(mock.slept().len(), 1, "{path} is not held");
    }
    // The same mailbox, spelled otherwise and through another folder, is held.
    mock.push(ok());
    get(
        &client,
        &format!("{BASE}/users('A%40B.com')/mailFolders/inbox"),
    )
    .await
    .unwrap();
    let slept = mock.slept();
    assert_eq!(slept.len(), 2, "{:?}", seconds(&slept));
    assert!(
        about(slept[1], Duration::from_secs(5)),
        "{:?}",
        seconds(&slept)
    );
}

#[tokio::test]
async fn whole_origin_scopes_hold_every_path_of_the_origin() {
    let mock = MockTransport::new();
    mock.push(throttled("5")).push(ok()).push(ok()).push(ok());
    let client = mock
        .client_builder()
        .throttle_scopes(ThrottleScopes::origin())
        .build()
        .unwrap();
    get(&client, &format!("{BASE}/users/a/messages"))
        .await
        .unwrap();
    get(&client, "https://graph.microsoft.us/v1.0/groups")
        .await
        .unwrap();
    assert_eq!(mock.slept().len(), 1, "another origin is not held");
    get(&client, &format!("{BASE}/deviceManagement"))
        .await
        .unwrap();
    let slept = mock.slept();
    assert_eq!(slept.len(), 2, "{:?}", seconds(&slept));
    assert!(
        about(slept[1], Duration::from_secs(5)),
        "{:?}",
        seconds(&slept)
    );
}

#[tokio::test]
async fn a_custom_scope_function_gets_the_path_below_the_base_url_and_decides_what_is_held() {
    let mock = MockTransport::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seeing = Arc::clone(&seen);
    let client = mock
        .client_builder()
        .throttle_scopes(ThrottleScopes::custom(move |path| {
            lock(&seeing).push(path.to_owned());
            // All mail is one scope; everything else one scope per path.
            if path.ends_with("/messages") {
                "mail".to_owned()
            } else {
                path.to_owned()
            }
        }))
        .build()
        .unwrap();
    mock.push(throttled("5")).push(ok()).push(ok()).push(ok());
    get(&client, &format!("{BASE}/users/a/messages?$top=1"))
        .await
        .unwrap();
    get(&client, &format!("{BASE}/users/a/mailFolders"))
        .await
        .unwrap();
    assert_eq!(mock.slept().len(), 1, "another scope to the function");
    get(&client, &format!("{BASE}/users/b/messages"))
        .await
        .unwrap();
    let slept = mock.slept();
    assert_eq!(slept.len(), 2, "the same scope to the function: {slept:?}");
    // The 429 computes the scope to hold, its retry the scope to pass.
    let mut seen = lock(&seen).clone();
    seen.dedup();
    assert_eq!(
        seen,
        [
            "/users/a/messages",
            "/users/a/mailFolders",
            "/users/b/messages"
        ],
        "the path below the base URL's, without the query"
    );
}

#[test]
fn the_path_below_the_base_path_is_what_follows_it_on_a_segment_boundary() {
    assert_eq!(below("/v1.0/users/a", "/v1.0"), "/users/a");
    assert_eq!(below("/V1.0/users", "/v1.0"), "/users");
    assert_eq!(below("/v1.0", "/v1.0"), "/");
    assert_eq!(below("/v1.0x/users", "/v1.0"), "/v1.0x/users");
    assert_eq!(below("/beta/users", "/v1.0"), "/beta/users");
    assert_eq!(below("/users", ""), "/users");
    assert_eq!(below("/é", "/v"), "/é", "not cut inside a character");
}

#[tokio::test]
async fn without_the_gate_no_other_call_is_held() {
    let mock = MockTransport::new();
    mock.push(throttled("5")).push(ok()).push(ok());
    let client = mock.client_builder().throttle_gate(false).build().unwrap();
    get(&client, &format!("{BASE}/users")).await.unwrap();
    get(&client, &format!("{BASE}/users")).await.unwrap();
    assert_eq!(mock.slept(), [Duration::from_secs(5)]);
}

#[tokio::test]
async fn only_a_429_with_a_retry_after_the_policy_waits_for_holds_its_scope() {
    let mock = MockTransport::new();
    let longest = Duration::from_secs(30);
    let client = mock
        .client_builder()
        .retry_policy(RetryPolicy::none().max_delay(longest))
        .build()
        .unwrap();
    for answer in [
        throttled("31"),
        throttled("0"),
        MockResponse::json(429, json!({"error": {"code": "TooManyRequests"}})),
        MockResponse::new(503).header("retry-after", "5"),
    ] {
        mock.push(answer).push(ok());
        let error = get(&client, &format!("{BASE}/users")).await.unwrap_err();
        assert!(error.status().is_some(), "{error}");
        get(&client, &format!("{BASE}/users")).await.unwrap();
    }
    assert!(mock.slept().is_empty(), "nothing was held");
}

/// A [`Sleep`] that records every delay, ends at once, and runs `hook` before the first.
struct Hooked {
    record: RecordingSleep,
    hook: Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

impl std::fmt::Debug for Hooked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooked")
            .field("record", &self.record)
            .finish()
    }
}

impl Sleep for Hooked {
    fn sleep(&self, duration: Duration) -> crate::transport::BoxFuture<'static, ()> {
        if let Some(hook) = lock(&self.hook).take() {
            hook();
        }
        self.record.sleep(duration)
    }
}

/// More patience than any test here waits.
fn patient() -> Patience {
    Patience::new(Duration::from_secs(3600))
}

fn too_many_requests(retry_after: &str) -> Error {
    let response = http::Response::builder()
        .status(429)
        .header("retry-after", retry_after)
        .body(Bytes::new())
        .unwrap();
    let error = ApiError::from_response(&Method::GET, BASE, response);
    Error::Api(Box::new(error))
}

#[tokio::test]
async fn a_later_429_pushes_the_hold_further_and_the_waiting_call_waits_again() {
    let gate = Arc::new(gate(ThrottleScopes::graph(), None));
    let uri = Uri::from_static("https://graph.microsoft.com/v1.0/users");
    let longest = Duration::from_secs(180);
    let (first, second, waiting) = (gate.call(), gate.call(), gate.call());
    gate.observe(&uri, first, &too_many_requests("2"), longest);
    let pushing = Arc::clone(&gate);
    let pushed = uri.clone();
    let sleep = Hooked {
        record: RecordingSleep::new(),
        hook: Mutex::new(Some(Box::new(move || {
            pushing.observe(&pushed, second, &too_many_requests("7"), longest);
        }))),
    };
    assert!(
        gate.pass(&uri, waiting, &sleep, &patient()).await.is_none(),
        "no limit"
    );
    let slept = sleep.record.slept();
    assert_eq!(slept.len(), 2, "{:?}", seconds(&slept));
    assert!(about(slept[0], Duration::from_secs(2)), "{slept:?}");
    assert!(
        about(slept[1], Duration::from_secs(7)),
        "the second wait is to the later instant: {slept:?}"
    );

    // The author of the later hold passes; the first throttled call now waits for it.
    let record = RecordingSleep::new();
    gate.pass(&uri, second, &record, &patient()).await;
    assert!(record.slept().is_empty());
    gate.pass(&uri, first, &record, &patient()).await;
    assert_eq!(record.slept().len(), 1);
    // A shorter 429 does not shorten the hold.
    gate.observe(&uri, first, &too_many_requests("1"), longest);
    let shorter = RecordingSleep::new();
    gate.pass(&uri, waiting, &shorter, &patient()).await;
    assert!(
        about(shorter.slept()[0], Duration::from_secs(7)),
        "{:?}",
        shorter.slept()
    );
}

/// A [`Sleep`] that ends at once and, each time, lets another call's 429 push the hold
/// one second further: a scope that stays throttled.
#[derive(Debug)]
struct Renewing {
    gate: Arc<Gate>,
    uri: Uri,
    by: u64,
    record: RecordingSleep,
}

impl Sleep for Renewing {
    fn sleep(&self, duration: Duration) -> crate::transport::BoxFuture<'static, ()> {
        // Bounded, so that a gate without patience ends too, and the test can fail.
        if self.record.slept().len() < 100 {
            let later = Instant::now() + Duration::from_secs(self.record.slept().len() as u64 + 2);
            let mut holds = lock(&self.gate.holds);
            if let Some(hold) = holds.iter_mut().find(|hold| hold.by == self.by) {
                hold.until = later;
            }
        }
        self.record.sleep(duration)
    }
}

#[tokio::test]
async fn a_scope_throttled_again_and_again_holds_a_call_no_longer_than_its_patience() {
    let gate = Arc::new(gate(ThrottleScopes::graph(), Some(4)));
    let uri = Uri::from_static("https://graph.microsoft.com/v1.0/users");
    let (throttled, waiting) = (gate.call(), gate.call());
    gate.observe(
        &uri,
        throttled,
        &too_many_requests("1"),
        Duration::from_secs(180),
    );
    let sleep = Renewing {
        gate: Arc::clone(&gate),
        uri: uri.clone(),
        by: throttled,
        record: RecordingSleep::new(),
    };
    let patience = Patience::new(Duration::from_secs(10));
    let slot = gate.pass(&sleep.uri, waiting, &sleep, &patience).await;
    assert!(slot.is_some(), "sent once its patience is spent");
    let slept = sleep.record.slept();
    let total: Duration = slept.iter().sum();
    assert_eq!(total, Duration::from_secs(10), "{:?}", seconds(&slept));
    // Its later sends are not held either.
    drop(slot);
    let again = RecordingSleep::new();
    gate.pass(&uri, waiting, &again, &patience).await;
    assert!(again.slept().is_empty(), "{:?}", seconds(&again.slept()));
}

/// A [`Sleep`] that records the instant each timer ends, and ends at once.
#[derive(Debug, Default)]
struct WakeTimes(Mutex<Vec<Instant>>);

impl Sleep for WakeTimes {
    fn sleep(&self, duration: Duration) -> crate::transport::BoxFuture<'static, ()> {
        lock(&self.0).push(Instant::now() + duration);
        Box::pin(std::future::ready(()))
    }
}

#[tokio::test]
async fn held_calls_are_released_spread_after_the_hold_ends_never_before() {
    let gate = gate(ThrottleScopes::graph(), None);
    let uri = Uri::from_static("https://graph.microsoft.com/v1.0/users");
    let throttled_call = gate.call();
    gate.observe(
        &uri,
        throttled_call,
        &too_many_requests("10"),
        Duration::from_secs(180),
    );
    let until = lock(&gate.holds)[0].until;
    let wakes = WakeTimes::default();
    for _ in 0..20 {
        gate.pass(&uri, gate.call(), &wakes, &patient()).await;
    }
    let wakes = lock(&wakes.0).clone();
    assert_eq!(wakes.len(), 20);
    assert!(
        wakes.iter().all(|wake| *wake >= until),
        "none before the hold ends"
    );
    let first = wakes.iter().min().unwrap();
    let last = wakes.iter().max().unwrap();
    assert!(
        *last - *first > Duration::from_millis(50),
        "spread over the window, not all at once: {:?}",
        *last - *first
    );
    assert!(
        *last <= until + MAX_RELEASE_SPREAD,
        "within the window: {:?} after the hold",
        *last - until
    );
}

#[test]
fn the_release_spread_is_a_tenth_of_the_hold_at_most_and_bounded() {
    for _ in 0..100 {
        assert!(release_spread(Duration::from_secs(1)) <= Duration::from_millis(100));
        assert!(release_spread(Duration::from_secs(120)) <= MAX_RELEASE_SPREAD);
    }
    assert_eq!(release_spread(Duration::ZERO), Duration::ZERO);
}

#[test]
fn a_zero_limit_is_rejected() {
    let mock = MockTransport::new();
    let error = mock.client_builder().max_in_flight(0).build().unwrap_err();
    assert!(
        matches!(&error, Error::InvalidArgument(message) if message.contains("`max_in_flight` must be at least 1, found 0")),
        "{error}"
    );
    assert!(mock.client_builder().max_in_flight(1).build().is_ok());
}

/// Answers 200 after a few milliseconds, and counts the requests in flight.
#[derive(Debug, Default)]
struct Slow {
    now: AtomicUsize,
    most: AtomicUsize,
    sent: AtomicUsize,
}

impl Transport for Slow {
    fn send(
        &self,
        _: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        self.sent.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            self.now.fetch_sub(1, Ordering::SeqCst);
            Ok(http::Response::new(Bytes::from_static(b"{}")))
        })
    }
}

async fn most_in_flight(limit: Option<usize>) -> usize {
    let slow = Arc::new(Slow::default());
    let mut builder = Client::builder().bearer_token("t").transport(slow.clone());
    if let Some(limit) = limit {
        builder = builder.max_in_flight(limit);
    }
    let client = builder.build().unwrap();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let client = client.clone();
        calls.spawn(async move { get(&client, &format!("{BASE}/users")).await.map(|_| ()) });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(slow.sent.load(Ordering::SeqCst), 40);
    slow.most.load(Ordering::SeqCst)
}

#[tokio::test]
async fn at_most_max_in_flight_requests_are_sent_at_once() {
    assert_eq!(most_in_flight(Some(3)).await, 3);
    assert_eq!(most_in_flight(Some(1)).await, 1);
    assert_eq!(most_in_flight(None).await, 40, "no limit by default");
}

fn poll<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    Pin::new(future).poll(&mut Context::from_waker(Waker::noop()))
}

#[test]
fn slots_go_in_order_and_a_dropped_waiter_leaves_the_queue_or_hands_its_slot_on() {
    let slots = Slots::new(1);
    let Poll::Ready(first) = poll(&mut slots.acquire()) else {
        panic!("a free slot is taken at once");
    };
    let mut second = slots.acquire();
    let mut third = slots.acquire();
    let mut fourth = slots.acquire();
    assert!(poll(&mut second).is_pending());
    assert!(poll(&mut third).is_pending());
    assert!(poll(&mut fourth).is_pending());
    assert!(
        poll(&mut slots.acquire()).is_pending(),
        "a newcomer does not overtake the queue"
    );

    drop(second); // leaves the queue before its turn
    drop(first);
    let Poll::Ready(third_slot) = poll(&mut third) else {
        panic!("the oldest waiter gets the freed slot");
    };
    assert!(poll(&mut fourth).is_pending());
    drop(third_slot);
    drop(fourth); // given the slot but dropped before taking it: the slot is free again
    let Poll::Ready(again) = poll(&mut slots.acquire()) else {
        panic!("the slot handed to a dropped waiter is free again");
    };
    drop(again);
    assert_eq!(lock(&slots.state.0).free, 1);
    assert!(lock(&slots.state.0).queue.is_empty());
}

#[tokio::test]
async fn a_call_that_gets_its_slot_after_a_429_came_waits_for_the_hold_first() {
    let gate = gate(ThrottleScopes::graph(), Some(1));
    let uri = Uri::from_static("https://graph.microsoft.com/v1.0/users");
    let (throttled_call, waiting) = (gate.call(), gate.call());
    let sleep = RecordingSleep::new();
    let slot = gate
        .pass(&uri, throttled_call, &sleep, &patient())
        .await
        .unwrap();
    let patience = patient();
    let mut passing = Box::pin(gate.pass(&uri, waiting, &sleep, &patience));
    assert!(poll(&mut passing).is_pending(), "the only slot is taken");
    gate.observe(
        &uri,
        throttled_call,
        &too_many_requests("3"),
        Duration::from_secs(180),
    );
    drop(slot);
    let Poll::Ready(Some(_slot)) = poll(&mut passing) else {
        panic!("the waiting call passes once it has waited for the hold");
    };
    let slept = sleep.slept();
    assert_eq!(slept.len(), 1, "{slept:?}");
    assert!(about(slept[0], Duration::from_secs(3)), "{slept:?}");
}

mod fast_path;
