//! "Graph protocol done right", end to end: the real `Client` with its default reqwest
//! transport against a local HTTP/1.1 server that records every request. Each test checks
//! what was sent (method, path, headers, body), how many times, and what the caller got back.
//!
//! Retry delays go through a recording `Sleep` that notes every delay the client asks for
//! and (unless told otherwise) ends at once, so `Retry-After: 2.128` is sent as Graph sends
//! it and the file still runs in well under a second of waiting.

#[path = "support/http_server.rs"]
mod http_server;

use std::error::Error as StdError;
use std::future::IntoFuture;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use graph_resource::{
    AccessToken, BoxFuture, Client, Error, RecordingSleep, RetryPolicy, TokenCredential,
    TokenRequest, TransportErrorKind, UntypedResource, graph_resource, is_client_request_id,
};
use http::{HeaderValue, Method};
use http_server::{Captured, Reply, TestServer};
use serde_json::{Value, json};

#[graph_resource(path = "/deviceManagement/intents/<>/assignments")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
    pub target: Option<UntypedResource>,
}

/// An intent, read back with `get`.
#[graph_resource(path = "/deviceManagement/intents")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceManagementIntent {
    pub id: Option<String>,
    pub display_name: Option<String>,
}

fn baseline() -> DeviceManagementIntent {
    DeviceManagementIntent {
        id: Some("x".into()),
        display_name: Some("Baseline".into()),
    }
}

const TOKEN: &str = "local-test-token-7f3a";
const INTENT: &str = "9d2e4b71-intent";
const CREATE_TARGET: &str = "/beta/deviceManagement/intents/9d2e4b71-intent/assignments";
const USER_AGENT: &str = concat!("graph-resource/", env!("CARGO_PKG_VERSION"));
/// The per-attempt timeout of the clients below; the recording sleep lets timers of exactly
/// this length run for real, so only retry delays are recorded and skipped.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// The fixed id the created entity comes back with.
const CREATED_ID: &str = "0b7c5e2a-3f41-4d8e-9a6b-1c2d3e4f5a6b";

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// Retries with small bounds: nothing here can make a test wait long even if the
/// recording sleep were bypassed. `max_delay` stays above 2.128 s so a `Retry-After` of
/// 2.128 is asked for as given.
fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(3)
        .base_delay(Duration::from_millis(50))
        .max_delay(Duration::from_secs(3))
        .max_total_delay(Duration::from_secs(10))
}

/// A sleep that records retry delays and ends them at once, while the per-attempt timeout
/// runs for real.
fn recording_sleep() -> RecordingSleep {
    RecordingSleep::new().passing(ATTEMPT_TIMEOUT)
}

fn builder(
    server: &TestServer,
    policy: RetryPolicy,
    sleep: &RecordingSleep,
) -> graph_resource::ClientBuilder {
    Client::builder()
        .base_url(format!("{}/beta", server.url()))
        .retry_policy(policy)
        .sleep(Arc::new(sleep.clone()))
        .timeout(ATTEMPT_TIMEOUT)
}

/// A client on `server` with the static [`TOKEN`] and a recording sleep.
fn test_client(server: &TestServer, policy: RetryPolicy) -> (Client, RecordingSleep) {
    let sleep = recording_sleep();
    let client = builder(server, policy, &sleep)
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    (client, sleep)
}

fn assignment() -> DeviceManagementIntentAssignment {
    DeviceManagementIntentAssignment {
        id: None,
        target: Some(UntypedResource::new(
            "microsoft.graph.allDevicesAssignmentTarget",
        )),
    }
}

/// What `assignment()` must look like on the wire.
fn assignment_json() -> Value {
    json!({
        "@odata.type": "#microsoft.graph.deviceManagementIntentAssignment",
        "target": {"@odata.type": "microsoft.graph.allDevicesAssignmentTarget"}
    })
}

/// What the server answers a successful create with.
fn created_json() -> String {
    json!({
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/intents('9d2e4b71-intent')/assignments/$entity",
        "@odata.type": "#microsoft.graph.deviceManagementIntentAssignment",
        "id": CREATED_ID,
        "target": {"@odata.type": "microsoft.graph.allDevicesAssignmentTarget"}
    })
    .to_string()
}

fn created_entity() -> DeviceManagementIntentAssignment {
    DeviceManagementIntentAssignment {
        id: Some(CREATED_ID.into()),
        ..assignment()
    }
}

/// Creates `assignment()`; these tests' answers to a create carry the entity.
async fn create(client: &Client) -> Result<DeviceManagementIntentAssignment, Error> {
    let created = DeviceManagementIntentAssignment::create(client, INTENT, &assignment()).await?;
    Ok(created.into_entity().expect("a 201 with the entity"))
}

/// A Graph error body of the documented shape, made up for these tests.
fn graph_error(code: &str, message: &str) -> String {
    json!({"error": {
        "code": code,
        "message": message,
        "innerError": {
            "date": "2025-02-03T04:05:06",
            "request-id": "5e0c8d1f-7a2b-4c3d-8e9f-0a1b2c3d4e5f",
            "client-request-id": "00000000-0000-4000-8000-000000000000"
        }
    }})
    .to_string()
}

/// A throttling body of Graph's shape: `innerError` carries `code`, `status` and `message`
/// as strings, `message` comes after `innerError`, `date` has no offset.
const THROTTLED: &str = r#"{"error":{"code":"TooManyRequests","innerError":{"code":"429","date":"2025-06-07T08:09:10","message":"Slow down and retry later","request-id":"c4d5e6f7-1a2b-4c3d-9e8f-7a6b5c4d3e2f","status":"429"},"message":"The application was throttled."}}"#;

/// Checks what every attempt carries: method, target, `Authorization`, `Accept`,
/// `User-Agent`, a UUID `client-request-id`, and `Content-Type` plus `body` exactly when
/// there is a body.
fn assert_sent(request: &Captured, method: &str, target: &str, token: &str, body: Option<&Value>) {
    assert_eq!(request.method, method, "{request:?}");
    assert_eq!(request.target, target, "{request:?}");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {token}").as_str())
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("user-agent"), Some(USER_AGENT));
    let id = request.header("client-request-id");
    assert!(id.is_some_and(is_client_request_id), "{id:?}");
    match body {
        Some(body) => {
            assert_eq!(request.header("content-type"), Some("application/json"));
            assert_eq!(&request.json(), body);
            // `@odata.type` is written first.
            assert!(
                request.body.starts_with(br#"{"@odata.type":"#),
                "{}",
                String::from_utf8_lossy(&request.body)
            );
        }
        None => {
            assert_eq!(
                request.header("content-type"),
                None,
                "no body, no Content-Type"
            );
            assert!(request.body.is_empty());
        }
    }
}

/// Checks that `requests` are one call: the first without `Retry-Attempt`, retry `n` with
/// `Retry-Attempt: n`, all with the same `client-request-id` and the same body.
fn assert_one_call_with_retries(requests: &[Captured]) {
    let first = &requests[0];
    assert_eq!(
        first.header("retry-attempt"),
        None,
        "the first send is no retry"
    );
    for (n, retry) in requests.iter().enumerate().skip(1) {
        assert_eq!(retry.header("retry-attempt"), Some(n.to_string().as_str()));
        assert_eq!(
            retry.header("client-request-id"),
            first.header("client-request-id"),
            "retries keep the call's client-request-id"
        );
        assert_eq!(retry.body, first.body);
    }
}

/// Checks that the server saw one `create` call sent `count` times (the first send and its
/// retries), each carrying everything a create carries; returns what it saw.
fn assert_create_sent(server: &TestServer, count: usize) -> Vec<Captured> {
    let requests = server.requests();
    assert_eq!(requests.len(), count, "sends of one create call");
    for request in &requests {
        assert_sent(
            request,
            "POST",
            CREATE_TARGET,
            TOKEN,
            Some(&assignment_json()),
        );
    }
    assert_one_call_with_retries(&requests);
    requests
}

/// Runs `future`, failing the test instead of hanging if it takes more than 5 s.
async fn bounded<F: IntoFuture>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(5), future.into_future())
        .await
        .expect("the call returns within 5 s")
}

// ---------------------------------------------------------------------------------------
// Success
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn create_posts_the_entity_and_decodes_the_201_body() {
    let server = TestServer::scripted(vec![Reply::json(201, &created_json())]).await;
    let (client, sleep) = test_client(&server, policy());

    let created = bounded(create(&client)).await.unwrap();

    assert_eq!(created, created_entity());
    let requests = assert_create_sent(&server, 1);
    assert_eq!(requests[0].header("retry-attempt"), None);
    assert!(sleep.slept().is_empty());
}

// ---------------------------------------------------------------------------------------
// Graph errors
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_400_graph_error_becomes_a_typed_api_error_and_is_not_retried() {
    // Like Graph, the server echoes the client-request-id it received in innerError.
    let server = TestServer::start(|request| {
        let body = json!({"error": {
            "code": "Request_BadRequest",
            "message": "The intent '9d2e4b71-intent' cannot take assignments.",
            "innerError": {
                "date": "2025-01-02T03:04:05",
                "request-id": "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b",
                "client-request-id": request.header("client-request-id").unwrap_or_default()
            }
        }});
        Reply::json(400, &body.to_string())
            .header("request-id", "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b")
    })
    .await;
    let (client, sleep) = test_client(&server, policy());

    let error = bounded(create(&client)).await.unwrap_err();

    let requests = server.requests();
    assert_eq!(requests.len(), 1, "a 400 is not retried");
    assert!(sleep.slept().is_empty());
    assert_sent(
        &requests[0],
        "POST",
        CREATE_TARGET,
        TOKEN,
        Some(&assignment_json()),
    );
    assert_eq!(error.status(), Some(http::StatusCode::BAD_REQUEST));
    let api = error.as_api().expect("an API error");
    assert_eq!(api.status(), 400);
    assert_eq!(api.method(), Method::POST);
    assert_eq!(api.url(), format!("{}{CREATE_TARGET}", server.url()));
    assert_eq!(api.code(), Some("Request_BadRequest"));
    assert_eq!(
        api.message(),
        Some("The intent '9d2e4b71-intent' cannot take assignments.")
    );
    assert_eq!(
        api.request_id(),
        Some("1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b")
    );
    assert_eq!(api.retry_after(), None);
    assert_eq!(api.raw_body(), None);
    let inner = api.inner_error().expect("innerError");
    assert_eq!(inner.date(), Some("2025-01-02T03:04:05"));
    assert_eq!(
        inner.client_request_id(),
        requests[0].header("client-request-id"),
        "the id the client sent, echoed back"
    );
    let shown = error.to_string();
    assert!(shown.contains("400 Bad Request"), "{shown}");
    assert!(shown.contains("Request_BadRequest"), "{shown}");
    assert!(!shown.contains(TOKEN) && !format!("{error:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_throttled_response_exposes_retry_after_as_sent_and_graphs_throttling_body() {
    let server = TestServer::scripted(vec![
        Reply::json(429, THROTTLED).header("Retry-After", "2.128"),
    ])
    .await;
    let (client, sleep) = test_client(&server, RetryPolicy::none());

    let error = bounded(create(&client)).await.unwrap_err();

    assert_eq!(server.requests().len(), 1, "RetryPolicy::none sends once");
    assert!(sleep.slept().is_empty());
    let api = error.as_api().expect("an API error");
    assert_eq!(api.status(), 429);
    assert_eq!(api.headers()["retry-after"], "2.128");
    assert_eq!(api.retry_after(), Some(Duration::from_millis(2128)));
    assert_eq!(api.code(), Some("TooManyRequests"));
    assert_eq!(api.message(), Some("The application was throttled."));
    assert_eq!(
        api.request_id(),
        Some("c4d5e6f7-1a2b-4c3d-9e8f-7a6b5c4d3e2f")
    );
    let inner = api.inner_error().expect("innerError");
    assert_eq!(inner.code(), Some("429"));
    assert_eq!(inner.message(), Some("Slow down and retry later"));
    assert_eq!(inner.date(), Some("2025-06-07T08:09:10"));
    assert_eq!(inner.extra(), json!({"status": "429"}).as_object().unwrap());
}

// ---------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_429_with_retry_after_2_128_waits_2_128_s_then_succeeds_on_the_second_send() {
    let header = HeaderValue::from_static("2.128");
    assert_eq!(
        policy().delay_for(1, Some(&header)),
        Duration::from_millis(2128),
        "the pure policy reads fractional seconds as given"
    );

    let server = TestServer::scripted(vec![
        Reply::json(429, THROTTLED).header("Retry-After", "2.128"),
        Reply::json(201, &created_json()),
    ])
    .await;
    let (client, sleep) = test_client(&server, policy());

    let created = bounded(create(&client)).await.unwrap();

    assert_eq!(created, created_entity());
    let requests = assert_create_sent(&server, 2);
    assert_eq!(requests[1].header("retry-attempt"), Some("1"));
    assert_eq!(
        sleep.slept(),
        [Duration::from_millis(2128)],
        "the client asked to wait exactly Retry-After"
    );

    // The same header under a policy whose max_delay is shorter: the server's wait is
    // respected, not shortened, so the call fails with the 429 and its Retry-After.
    let short = policy().max_delay(Duration::from_millis(250));
    let server = TestServer::scripted(vec![
        Reply::json(429, THROTTLED).header("Retry-After", "2.128"),
        Reply::json(201, &created_json()),
    ])
    .await;
    let (client, sleep) = test_client(&server, short);
    let error = bounded(create(&client)).await.unwrap_err();
    assert_eq!(
        error.as_api().expect("an API error").retry_after(),
        Some(Duration::from_millis(2128))
    );
    assert_eq!(server.requests().len(), 1);
    assert!(sleep.slept().is_empty());
}

#[tokio::test]
async fn a_retry_that_would_exceed_max_total_delay_is_not_made() {
    let throttled = || Reply::json(429, THROTTLED).header("Retry-After", "2.128");
    let server = TestServer::scripted(vec![throttled(), throttled(), throttled()]).await;
    // 2.128 fits in 3 s; a second 2.128 (4.256 in all) does not.
    let (client, sleep) = test_client(&server, policy().max_total_delay(Duration::from_secs(3)));

    let error = bounded(create(&client)).await.unwrap_err();

    assert_eq!(error.as_api().expect("an API error").status(), 429);
    assert_eq!(server.requests().len(), 2);
    assert_one_call_with_retries(&server.requests());
    assert_eq!(sleep.slept(), [Duration::from_millis(2128)]);
}

#[tokio::test]
async fn a_503_without_retry_after_backs_off_within_the_policy_then_succeeds() {
    let server = TestServer::scripted(vec![
        Reply::json(
            503,
            &graph_error(
                "serviceNotAvailable",
                "The service is temporarily unavailable.",
            ),
        ),
        Reply::json(201, &created_json()),
    ])
    .await;
    let base_delay = Duration::from_millis(100);
    // This one really waits the backoff it asks for (at most base_delay for retry 1).
    let sleep = RecordingSleep::waiting().passing(ATTEMPT_TIMEOUT);
    let client = builder(&server, policy().base_delay(base_delay), &sleep)
        .bearer_token(TOKEN)
        .build()
        .unwrap();

    let start = Instant::now();
    let created = bounded(create(&client)).await.unwrap();
    let elapsed = start.elapsed();

    assert_eq!(created, created_entity());
    assert_create_sent(&server, 2);
    let delays = sleep.slept();
    assert_eq!(delays.len(), 1, "{delays:?}");
    assert!(
        delays[0] <= base_delay,
        "full jitter below base_delay on retry 1: {delays:?}"
    );
    // Only a lower bound: how long the two requests take is up to the machine, and
    // `bounded` ends a wait that never ends.
    assert!(
        elapsed >= delays[0],
        "the delay was awaited: {elapsed:?} vs {delays:?}"
    );
}

#[tokio::test]
async fn a_504_on_a_post_is_not_retried() {
    let server = TestServer::scripted(vec![
        Reply::json(
            504,
            &graph_error("GatewayTimeout", "The upstream did not answer in time."),
        ),
        Reply::json(201, &created_json()),
    ])
    .await;
    let (client, sleep) = test_client(&server, policy());

    let error = bounded(create(&client)).await.unwrap_err();

    let api = error.as_api().expect("an API error");
    assert_eq!(api.status(), 504);
    assert_eq!(api.code(), Some("GatewayTimeout"));
    // A POST that may have been applied is not repeated.
    assert_create_sent(&server, 1);
    assert!(sleep.slept().is_empty());
}

#[tokio::test]
async fn a_504_on_a_get_is_retried() {
    let server = TestServer::scripted(vec![
        Reply::json(
            504,
            &graph_error("GatewayTimeout", "The upstream did not answer in time."),
        ),
        Reply::json(200, r#"{"id":"x","displayName":"Baseline"}"#),
    ])
    .await;
    let (client, sleep) = test_client(&server, policy());

    let intent = bounded(DeviceManagementIntent::get(&client, "x"))
        .await
        .unwrap();

    assert_eq!(intent, baseline());
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_sent(
            request,
            "GET",
            "/beta/deviceManagement/intents/x",
            TOKEN,
            None,
        );
    }
    assert_one_call_with_retries(&requests);
    let delays = sleep.slept();
    assert_eq!(delays.len(), 1);
    assert!(delays[0] <= Duration::from_millis(50), "{delays:?}");
}

#[tokio::test]
async fn when_retries_run_out_the_last_error_is_returned() {
    let attempts = AtomicUsize::new(0);
    let server = TestServer::start(move |_| {
        let attempt = attempts.fetch_add(1, Ordering::SeqCst) + 1;
        Reply::json(
            503,
            &graph_error(
                "serviceNotAvailable",
                &format!("unavailable on attempt {attempt}"),
            ),
        )
    })
    .await;
    let (client, sleep) = test_client(&server, policy().max_retries(2));

    let error = bounded(create(&client)).await.unwrap_err();

    let api = error.as_api().expect("an API error");
    assert_eq!(api.status(), 503);
    assert_eq!(
        api.message(),
        Some("unavailable on attempt 3"),
        "the last error"
    );
    // max_retries + 1 sends.
    assert_create_sent(&server, 3);
    let delays = sleep.slept();
    assert_eq!(delays.len(), 2, "{delays:?}");
    assert!(delays[0] <= Duration::from_millis(50), "{delays:?}");
    assert!(delays[1] <= Duration::from_millis(100), "{delays:?}");
}

// ---------------------------------------------------------------------------------------
// Servers that misbehave
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn garbage_in_a_201_is_a_decode_error_with_an_excerpt_and_is_not_resent() {
    let cases = [
        Reply::json(201, r#"{"id": 12"#),
        Reply::with_type(201, "text/html", "<html><body>Created?</body></html>"),
    ];
    for (reply, garbage) in cases.into_iter().zip([r#"{"id": 12"#, "<html>"]) {
        let server = TestServer::scripted(vec![reply, Reply::json(201, &created_json())]).await;
        let (client, sleep) = test_client(&server, policy());

        let error = bounded(create(&client)).await.unwrap_err();

        let Error::Decode(decode) = &error else {
            panic!("expected a decode error for {garbage:?}, got {error:?}")
        };
        assert_eq!(decode.status(), 201);
        assert_eq!(error.status(), Some(http::StatusCode::CREATED));
        assert!(
            decode.body_excerpt().contains(garbage),
            "{:?} should contain {garbage:?}",
            decode.body_excerpt()
        );
        // A POST is not sent again.
        assert_create_sent(&server, 1);
        assert!(sleep.slept().is_empty());
    }
}

#[tokio::test]
async fn a_connection_cut_mid_response_is_interrupted_and_the_post_is_not_resent() {
    let mut cut =
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
            .to_vec();
    cut.extend_from_slice(br#"{"id":"0b7c5e2a-3f41"#); // 20 of the announced 500 bytes
    assert_eq!(
        cut.len() - cut.windows(4).position(|w| w == b"\r\n\r\n").unwrap() - 4,
        20
    );
    let server =
        TestServer::scripted(vec![Reply::Raw(cut), Reply::json(201, &created_json())]).await;
    let (client, sleep) = test_client(&server, policy());

    let error = bounded(create(&client)).await.unwrap_err();

    assert_eq!(
        error.as_transport().expect("a transport error").kind(),
        TransportErrorKind::Interrupted,
        "{error}"
    );
    assert!(!error.to_string().contains(TOKEN));
    // A POST that may have been applied is not sent again.
    assert_create_sent(&server, 1);
    assert!(sleep.slept().is_empty());
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_promptly_and_the_post_is_not_resent() {
    let server = TestServer::scripted(vec![Reply::Hang, Reply::json(201, &created_json())]).await;
    // The default timer (tokio), a short timeout.
    let client = Client::builder()
        .base_url(format!("{}/beta", server.url()))
        .bearer_token(TOKEN)
        .retry_policy(policy())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    let start = Instant::now();
    let error = bounded(create(&client)).await.unwrap_err();
    let elapsed = start.elapsed();

    assert_eq!(
        error.as_transport().expect("a transport error").kind(),
        TransportErrorKind::Timeout,
        "{error}"
    );
    // Ended by the client's 300 ms timeout, within the 5 s of `bounded`: how much later
    // than 300 ms is up to the machine.
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    // A POST that may have been applied is not sent again.
    assert_create_sent(&server, 1);
}

#[tokio::test]
async fn an_html_502_from_a_proxy_keeps_the_raw_body() {
    let html = "<html><body>Bad Gateway</body></html>";
    let server = TestServer::scripted(vec![
        Reply::with_type(502, "text/html", html),
        Reply::json(201, &created_json()),
    ])
    .await;
    let (client, sleep) = test_client(&server, policy());

    let error = bounded(create(&client)).await.unwrap_err();

    let api = error.as_api().expect("an API error");
    assert_eq!(api.status(), 502);
    assert_eq!(api.code(), None);
    assert_eq!(api.message(), None);
    assert!(api.inner_error().is_none());
    assert_eq!(api.raw_body(), Some(html.as_bytes()));
    assert_eq!(api.headers()["content-type"], "text/html");
    let shown = error.to_string();
    assert!(
        shown.contains("502 Bad Gateway") && shown.contains("text/html"),
        "{shown}"
    );
    assert_eq!(server.requests().len(), 1, "a 502 is not retried");
    assert!(sleep.slept().is_empty());
}

#[tokio::test]
async fn connection_refused_is_a_connect_error_returned_promptly() {
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    // The listener is dropped: nothing listens on `address` any more.
    let sleep = recording_sleep();
    let client = Client::builder()
        .base_url(format!("http://{address}/beta"))
        .bearer_token(TOKEN)
        .retry_policy(policy().max_retries(2))
        .sleep(Arc::new(sleep.clone()))
        .timeout(ATTEMPT_TIMEOUT)
        .build()
        .unwrap();

    // Promptly: `bounded` gives the three attempts together no more than one attempt's
    // timeout.
    let error = bounded(create(&client)).await.unwrap_err();

    assert_eq!(
        error.as_transport().expect("a transport error").kind(),
        TransportErrorKind::Connect,
        "{error}"
    );
    assert!(error.source().is_some());
    // Nothing was sent, so even a POST is retried, as documented.
    assert_eq!(sleep.slept().len(), 2, "{:?}", sleep.slept());
}

// ---------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------

/// Answers `token-1`, `token-2`, … valid for an hour, and records the scopes and claims
/// it was asked for.
#[derive(Debug, Default)]
struct CountingCredential {
    calls: AtomicUsize,
    scopes: Mutex<Vec<String>>,
    claims: Mutex<Vec<Option<String>>>,
}

impl TokenCredential for CountingCredential {
    fn token<'a>(
        &'a self,
        request: &'a TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, Box<dyn StdError + Send + Sync>>> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        self.scopes
            .lock()
            .unwrap()
            .extend(request.scopes.iter().map(|scope| scope.to_string()));
        self.claims
            .lock()
            .unwrap()
            .push(request.claims.map(str::to_owned));
        let expires_on = SystemTime::now() + Duration::from_secs(3600);
        let token = AccessToken::new(format!("token-{call}")).expiring_on(expires_on);
        Box::pin(std::future::ready(Ok(token)))
    }
}

/// A client on `server` with a [`CountingCredential`] and a [`RecordingSleep`].
fn counting_client(server: &TestServer) -> (Client, Arc<CountingCredential>, RecordingSleep) {
    let credential = Arc::new(CountingCredential::default());
    let sleep = recording_sleep();
    let client = builder(server, policy(), &sleep)
        .credential(credential.clone())
        .build()
        .unwrap();
    (client, credential, sleep)
}

/// Always fails, as a token endpoint that is down would.
#[derive(Debug, Default)]
struct FailingCredential {
    calls: AtomicUsize,
}

impl TokenCredential for FailingCredential {
    fn token<'a>(
        &'a self,
        _request: &'a TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, Box<dyn StdError + Send + Sync>>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(std::future::ready(Err(
            "the token endpoint is unreachable".into()
        )))
    }
}

#[tokio::test]
async fn the_token_is_asked_for_once_and_kept_across_retries_and_calls() {
    let server = TestServer::scripted(vec![
        Reply::json(429, THROTTLED).header("Retry-After", "0"),
        Reply::json(201, &created_json()),
        Reply::json(201, &created_json()),
    ])
    .await;
    let (client, credential, sleep) = counting_client(&server);

    let created = bounded(create(&client)).await.unwrap();
    bounded(create(&client)).await.unwrap();

    assert_eq!(created, created_entity());
    assert_eq!(credential.calls.load(Ordering::SeqCst), 1);
    let scope = format!("{}/.default", server.url());
    assert_eq!(*credential.scopes.lock().unwrap(), [scope]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_sent(
            request,
            "POST",
            CREATE_TARGET,
            "token-1",
            Some(&assignment_json()),
        );
    }
    assert_one_call_with_retries(&requests[..2]);
    assert_eq!(sleep.slept(), [Duration::ZERO]);
}

#[tokio::test]
async fn a_claims_challenge_gets_one_new_attempt_with_a_token_for_those_claims() {
    // `{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}`
    let claims =
        "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNzAwMDAwMDAwIn19fQ==";
    let challenge = format!(
        r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="{claims}""#
    );
    let unauthorized = r#"{"error":{"code":"InvalidAuthenticationToken","message":"Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp"}}"#;
    let server = TestServer::scripted(vec![
        Reply::json(401, unauthorized).header("WWW-Authenticate", &challenge),
        Reply::json(201, &created_json()),
        Reply::json(401, unauthorized).header("WWW-Authenticate", &challenge),
        Reply::json(401, unauthorized).header("WWW-Authenticate", &challenge),
    ])
    .await;
    let (client, credential, sleep) = counting_client(&server);

    let created = bounded(create(&client)).await.unwrap();
    assert_eq!(created, created_entity());
    let error = bounded(create(&client)).await.unwrap_err();

    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.status(), 401);
    assert_eq!(api.code(), Some("InvalidAuthenticationToken"));
    let json = r#"{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}"#;
    assert_eq!(
        *credential.claims.lock().unwrap(),
        [None, Some(json.to_owned()), Some(json.to_owned())]
    );
    let requests = server.requests();
    let tokens: Vec<_> = requests
        .iter()
        .map(|request| request.header("authorization").unwrap())
        .collect();
    assert_eq!(
        tokens,
        [
            "Bearer token-1",
            "Bearer token-2",
            "Bearer token-2",
            "Bearer token-3"
        ]
    );
    assert!(sleep.slept().is_empty(), "a challenge is answered at once");
}

#[tokio::test]
async fn a_failing_token_provider_fails_the_call_before_anything_is_sent() {
    let server = TestServer::scripted(vec![Reply::json(201, &created_json())]).await;
    let credential = Arc::new(FailingCredential::default());
    let sleep = recording_sleep();
    let client = builder(&server, policy(), &sleep)
        .credential(credential.clone())
        .build()
        .unwrap();

    let error = bounded(create(&client)).await.unwrap_err();

    assert!(matches!(error, Error::Credential(_)), "{error:?}");
    let cause = std::error::Error::source(&error).map(ToString::to_string);
    assert_eq!(
        cause.as_deref(),
        Some("the token endpoint is unreachable"),
        "{error}"
    );
    assert_eq!(server.requests().len(), 0, "nothing reaches the server");
    assert_eq!(credential.calls.load(Ordering::SeqCst), 1, "not retried");
    assert!(sleep.slept().is_empty());
}

// ---------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_redirect_to_another_host_never_carries_the_token() {
    let other = TestServer::scripted(vec![Reply::json(200, r#"{"id":"x"}"#)]).await;
    let port = other.url().rsplit(':').next().unwrap().to_owned();
    // Another host name (and port) for the same machine.
    let location = format!("http://localhost:{port}/beta/deviceManagement/intents/x");
    let origin = TestServer::scripted(vec![Reply::Respond {
        status: 302,
        headers: vec![("Location".into(), location)],
        body: Vec::new(),
    }])
    .await;
    let (client, sleep) = test_client(&origin, policy());

    let intent = bounded(DeviceManagementIntent::get(&client, "x"))
        .await
        .unwrap();

    assert_eq!(intent.id.as_deref(), Some("x"));
    let sent = origin.requests();
    assert_eq!(sent.len(), 1);
    assert_sent(
        &sent[0],
        "GET",
        "/beta/deviceManagement/intents/x",
        TOKEN,
        None,
    );
    let redirected = other.requests();
    assert_eq!(redirected.len(), 1);
    assert_eq!(redirected[0].method, "GET");
    assert_eq!(redirected[0].target, "/beta/deviceManagement/intents/x");
    assert_eq!(
        redirected[0].header("host"),
        Some(format!("localhost:{port}").as_str())
    );
    assert_eq!(
        redirected[0].header("authorization"),
        None,
        "the token must not follow a redirect to another host"
    );
    assert!(
        redirected[0]
            .headers
            .iter()
            .all(|(_, value)| !value.contains(TOKEN)),
        "{:?}",
        redirected[0].headers
    );
    assert!(sleep.slept().is_empty());
}
