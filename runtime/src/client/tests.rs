//! Client behaviour on a [`MockTransport`]: headers, base URLs, retries, timeouts, secrets.
//! Calls go through the client's pipeline directly; typed operations are tested in `ops`.

use std::error::Error as StdError;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, Method, Response};
use serde_json::json;

use super::*;
use crate::credential::{AccessToken, TokenRequest};
use crate::mock::{MockResponse, MockTransport, RecordedRequest, RecordingSleep};
use crate::pipeline::Call;
use crate::transport::{BoxFuture, TransportError, TransportErrorKind};

const TOKEN: &str = MockTransport::TOKEN;

/// A client on `mock` with its static token and recording sleep.
fn test_client(mock: &MockTransport, policy: RetryPolicy) -> Client {
    mock.client_builder().retry_policy(policy).build().unwrap()
}

async fn send(
    client: &Client,
    method: Method,
    path: &str,
    body: Option<Bytes>,
) -> Result<Response<Bytes>, Error> {
    let call = Call {
        method,
        url: format!("{}{path}", client.base_url()),
        headers: HeaderMap::new(),
        body,
        follow_redirects: false,
    };
    client.pipeline().send(&call).await
}

async fn get(client: &Client) -> Result<Response<Bytes>, Error> {
    send(client, Method::GET, "/me", None).await
}

async fn post(client: &Client) -> Result<Response<Bytes>, Error> {
    send(
        client,
        Method::POST,
        "/groups",
        Some(Bytes::from_static(b"{}")),
    )
    .await
}

fn graph_error(status: u16, code: &str) -> MockResponse {
    MockResponse::json(
        status,
        json!({"error": {"code": code, "message": format!("{code} message")}}),
    )
}

/// Answers `token-1`, `token-2`, … and records the scopes it was asked for.
#[derive(Debug, Default)]
struct CountingCredential {
    calls: AtomicUsize,
    scopes: Mutex<Vec<String>>,
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
        Box::pin(std::future::ready(Ok(AccessToken::new(format!(
            "token-{call}"
        )))))
    }
}

#[tokio::test]
async fn every_attempt_carries_the_headers_and_the_cached_token() {
    let mock = MockTransport::new();
    mock.push(graph_error(429, "TooManyRequests").header("retry-after", "0"))
        .push(MockResponse::json(201, json!({"id": "1"})))
        .push(MockResponse::json(200, json!({"id": "me"})));
    let credential = Arc::new(CountingCredential::default());
    let client = Client::builder()
        .credential(credential.clone())
        .transport(Arc::new(mock.clone()))
        .sleep(Arc::new(RecordingSleep::new()))
        .build()
        .unwrap();

    post(&client).await.unwrap();
    get(&client).await.unwrap();

    let requests = mock.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        credential.calls.load(Ordering::SeqCst),
        1,
        "a token without expiry is kept"
    );
    assert_eq!(
        *credential.scopes.lock().unwrap(),
        ["https://graph.microsoft.com/.default"]
    );
    for (index, request) in requests.iter().enumerate() {
        let authorization = request.headers.get("authorization").unwrap();
        assert_eq!(authorization, "Bearer token-1", "request {index}");
        assert!(authorization.is_sensitive());
        assert_eq!(request.header("accept"), Some("application/json"));
        assert_eq!(
            request.header("user-agent"),
            Some(concat!("graph-resource/", env!("CARGO_PKG_VERSION")))
        );
        assert!(request.client_request_id().is_some(), "{request:?}");
    }
    let (first, retry, other_call) = (&requests[0], &requests[1], &requests[2]);
    assert_eq!(first.uri, "https://graph.microsoft.com/v1.0/groups");
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert_eq!(&first.body[..], b"{}");
    assert_eq!(first.header("retry-attempt"), None);
    assert_eq!(retry.header("retry-attempt"), Some("1"));
    assert_eq!(retry.body, first.body);
    assert_eq!(
        retry.header("client-request-id"),
        first.header("client-request-id"),
        "same id across retries"
    );
    assert_ne!(
        other_call.header("client-request-id"),
        first.header("client-request-id"),
        "fresh id per call"
    );
    assert_eq!(other_call.method, Method::GET);
    assert_eq!(
        other_call.header("content-type"),
        None,
        "no body, no Content-Type"
    );
    assert!(other_call.body.is_empty());
}

#[test]
fn base_urls_are_normalized_and_give_the_token_scope() {
    let cases = [
        (
            "https://graph.microsoft.com/beta/",
            "https://graph.microsoft.com/beta",
            "https://graph.microsoft.com/.default",
        ),
        (
            "https://graph.microsoft.us/v1.0",
            "https://graph.microsoft.us/v1.0",
            "https://graph.microsoft.us/.default",
        ),
        (
            "http://127.0.0.1:8080//",
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/.default",
        ),
    ];
    for (input, base_url, scope) in cases {
        assert_eq!(
            check_base_url(input, false).unwrap(),
            (base_url.to_owned(), scope.to_owned()),
            "{input}"
        );
    }
    let client = Client::builder()
        .bearer_token(TOKEN)
        .transport(Arc::new(MockTransport::new()))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://graph.microsoft.com/v1.0");
}

#[test]
fn invalid_base_urls_are_rejected_at_build_time() {
    for input in [
        "",
        "graph.microsoft.com/v1.0",
        "ftp://graph.microsoft.com",
        "https://graph microsoft.com",
        "https://graph.microsoft.com/v1.0?x=1",
        "https://graph.microsoft.com/v1.0#top",
        "https://user:hunter2@graph.microsoft.com",
    ] {
        let result = Client::builder()
            .base_url(input)
            .bearer_token(TOKEN)
            .transport(Arc::new(MockTransport::new()))
            .build();
        match result {
            Err(Error::InvalidArgument(message)) => {
                assert!(message.contains("base URL"), "{message}");
                assert!(!message.contains("hunter2"), "{message}");
            }
            other => panic!("{input:?} gave {other:?}"),
        }
    }
}

#[test]
fn plain_http_base_urls_are_refused_unless_loopback_or_allowed() {
    let build = |url: &str, allow: bool| {
        Client::builder()
            .base_url(url)
            .bearer_token(TOKEN)
            .transport(Arc::new(MockTransport::new()))
            .allow_insecure_http(allow)
            .build()
    };
    for loopback in [
        "http://localhost:8080/v1.0",
        "http://LocalHost",
        "http://127.0.0.1:3000",
        "http://127.45.6.7",
        "http://[::1]:8080/beta",
    ] {
        build(loopback, false).unwrap_or_else(|error| panic!("{loopback}: {error}"));
    }
    for remote in [
        "http://graph.microsoft.com/v1.0",
        "http://127.0.0.1.evil.example",
        "http://localhost.evil.example:8080",
        "http://[::ffff:127.0.0.1]",
        "http://[::ffff:7f00:1]/v1.0",
        "http://128.0.0.1",
        "http://0.0.0.0",
        "http://10.0.0.1/v1.0",
    ] {
        match build(remote, false) {
            Err(Error::InvalidArgument(message)) => {
                assert!(message.contains("unencrypted"), "{remote}: {message}");
            }
            other => panic!("{remote} gave {other:?}"),
        }
        build(remote, true).unwrap_or_else(|error| panic!("{remote}: {error}"));
    }
}

#[test]
fn build_requires_a_credential() {
    let error = Client::builder()
        .transport(Arc::new(MockTransport::new()))
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("no credential"), "{error}");
}

#[cfg(not(feature = "reqwest"))]
#[test]
fn without_reqwest_build_requires_a_transport() {
    let error = Client::builder().bearer_token(TOKEN).build().unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)));
    assert!(
        error.to_string().contains("enable the `reqwest` feature"),
        "{error}"
    );
}

#[tokio::test]
async fn a_throttled_request_waits_for_a_fractional_retry_after() {
    let mock = MockTransport::new();
    mock.push(graph_error(429, "TooManyRequests").header("retry-after", "2.128"))
        .push(MockResponse::json(201, json!({})));
    let client = test_client(&mock, RetryPolicy::default());
    assert_eq!(post(&client).await.unwrap().status(), 201);
    assert_eq!(mock.slept(), [Duration::from_millis(2128)]);
}

#[tokio::test]
async fn retry_after_as_an_http_date() {
    let mock = MockTransport::new();
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
    mock.push(MockResponse::new(503).header("retry-after", date))
        .push(MockResponse::new(200));
    let client = test_client(&mock, RetryPolicy::default());
    get(&client).await.unwrap();
    let slept = mock.slept();
    assert_eq!(slept.len(), 1);
    // HTTP dates have whole seconds: 29 s and a fraction to 30 s.
    assert!(
        slept[0] > Duration::from_secs(28) && slept[0] <= Duration::from_secs(30),
        "{slept:?}"
    );
}

#[tokio::test]
async fn unavailable_backs_off_and_returns_the_last_error_when_attempts_run_out() {
    let mock = MockTransport::new();
    for attempt in 1..=4 {
        mock.push(graph_error(503, &format!("attempt{attempt}")));
    }
    mock.push(MockResponse::new(200));
    let policy = RetryPolicy::default().base_delay(Duration::from_millis(100));
    let client = test_client(&mock, policy);
    let error = post(&client).await.unwrap_err();
    assert_eq!(error.as_api().unwrap().code(), Some("attempt4"));
    assert_eq!(mock.requests().len(), 4, "the first send and 3 retries");
    assert_eq!(mock.pending(), 1);
    let slept = mock.slept();
    assert_eq!(slept.len(), 3);
    for (retry, delay) in slept.iter().enumerate() {
        assert!(
            *delay <= Duration::from_millis(100 << retry),
            "retry {retry}: {delay:?}"
        );
    }
}

#[tokio::test]
async fn gateway_timeouts_are_retried_for_get_but_not_for_post() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(504))
        .push(MockResponse::new(200));
    let client = test_client(&mock, RetryPolicy::default());
    assert_eq!(get(&client).await.unwrap().status(), 200);
    assert_eq!(mock.requests().len(), 2);

    let mock = MockTransport::new();
    mock.push(MockResponse::new(504))
        .push(MockResponse::new(201));
    let client = test_client(&mock, RetryPolicy::default());
    assert_eq!(
        post(&client).await.unwrap_err().as_api().unwrap().status(),
        504
    );
    assert_eq!(mock.requests().len(), 1);
    assert!(mock.slept().is_empty());
}

#[tokio::test]
async fn a_post_that_may_have_been_applied_is_never_sent_again() {
    for kind in [
        TransportErrorKind::Interrupted,
        TransportErrorKind::Timeout,
        TransportErrorKind::Other,
    ] {
        let mock = MockTransport::new();
        mock.push_error(TransportError::new(kind, "connection reset"))
            .push(MockResponse::new(201));
        let client = test_client(&mock, RetryPolicy::default());
        let error = post(&client).await.unwrap_err();
        assert_eq!(error.as_transport().unwrap().kind(), kind);
        assert_eq!(mock.requests().len(), 1, "{kind:?}");
    }
}

#[tokio::test]
async fn connect_errors_are_retried_for_every_method() {
    let mock = MockTransport::new();
    mock.push_error(TransportError::new(
        TransportErrorKind::Connect,
        "connection refused",
    ))
    .push(MockResponse::new(201));
    let client = test_client(&mock, RetryPolicy::default());
    assert_eq!(post(&client).await.unwrap().status(), 201);
    assert_eq!(mock.requests().len(), 2);
    assert_eq!(mock.slept().len(), 1);
}

#[tokio::test]
async fn interrupted_and_timed_out_gets_are_retried() {
    let mock = MockTransport::new();
    mock.push_error(TransportError::new(
        TransportErrorKind::Interrupted,
        "reset",
    ))
    .push_error(TransportError::new(TransportErrorKind::Timeout, "slow"))
    .push(MockResponse::new(200));
    let client = test_client(&mock, RetryPolicy::default());
    assert_eq!(get(&client).await.unwrap().status(), 200);
    assert_eq!(mock.requests().len(), 3);
}

#[tokio::test]
async fn other_statuses_and_disabled_retries_are_not_retried() {
    for (status, policy) in [
        (400, RetryPolicy::default()),
        (500, RetryPolicy::default()),
        (429, RetryPolicy::none()),
    ] {
        let mock = MockTransport::new();
        mock.push(MockResponse::new(status))
            .push(MockResponse::new(200));
        let client = test_client(&mock, policy);
        assert_eq!(
            get(&client).await.unwrap_err().as_api().unwrap().status(),
            status
        );
        assert_eq!(mock.requests().len(), 1, "{status}");
    }
}

#[tokio::test]
async fn a_retry_after_longer_than_the_longest_delay_is_respected_not_shortened() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(429).header("retry-after", "99999"))
        .push(MockResponse::new(200));
    let client = test_client(
        &mock,
        RetryPolicy::default().max_delay(Duration::from_secs(10)),
    );
    let error = get(&client).await.unwrap_err();
    assert_eq!(
        error.as_api().unwrap().retry_after(),
        Some(Duration::from_secs(99999))
    );
    assert_eq!(
        mock.requests().len(),
        1,
        "not sent again before the server allows it"
    );
    assert!(mock.slept().is_empty());
}

#[tokio::test]
async fn retry_after_in_the_past_or_negative_is_no_delay() {
    let cases = [
        ("-5", Duration::ZERO),
        ("Thu, 01 Jan 1970 00:00:00 GMT", Duration::ZERO),
    ];
    for (header, expected) in cases {
        let mock = MockTransport::new();
        mock.push(MockResponse::new(429).header("retry-after", header))
            .push(MockResponse::new(200));
        let client = test_client(
            &mock,
            RetryPolicy::default().max_delay(Duration::from_secs(10)),
        );
        get(&client).await.unwrap();
        assert_eq!(mock.slept(), [expected], "{header}");
    }
    // Unreadable: backoff within the base delay.
    let mock = MockTransport::new();
    mock.push(MockResponse::new(429).header("retry-after", "soon"))
        .push(MockResponse::new(200));
    let client = test_client(
        &mock,
        RetryPolicy::default().base_delay(Duration::from_millis(50)),
    );
    get(&client).await.unwrap();
    assert!(mock.slept()[0] <= Duration::from_millis(50));
}

#[tokio::test]
async fn the_total_delay_is_bounded() {
    let mock = MockTransport::new();
    for _ in 0..3 {
        mock.push(MockResponse::new(429).header("retry-after", "8"));
    }
    let policy = RetryPolicy::default().max_total_delay(Duration::from_secs(20));
    let client = test_client(&mock, policy);
    let error = get(&client).await.unwrap_err();
    assert_eq!(
        error.as_api().unwrap().retry_after(),
        Some(Duration::from_secs(8))
    );
    assert_eq!(
        mock.slept(),
        [Duration::from_secs(8); 2],
        "a third 8 s delay would pass 20 s"
    );
    assert_eq!(mock.requests().len(), 3);
}

/// Never answers.
#[derive(Debug)]
struct Hang;

impl Transport for Hang {
    fn send(
        &self,
        _: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<Response<Bytes>, TransportError>> {
        Box::pin(std::future::pending())
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let sleep = RecordingSleep::new();
    let client = Client::builder()
        .bearer_token(TOKEN)
        .transport(Arc::new(Hang))
        .retry_policy(RetryPolicy::none())
        .sleep(Arc::new(sleep.clone()))
        .timeout(Duration::from_secs(7))
        .build()
        .unwrap();
    let error = post(&client).await.unwrap_err();
    assert_eq!(
        error.as_transport().unwrap().kind(),
        TransportErrorKind::Timeout
    );
    assert_eq!(
        error.to_string(),
        "POST https://graph.microsoft.com/v1.0/groups: no response within 7s"
    );
    assert_eq!(sleep.slept(), [Duration::from_secs(7)]);
}

#[derive(Debug)]
struct FailingCredential;

impl TokenCredential for FailingCredential {
    fn token<'a>(
        &'a self,
        _: &'a TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, Box<dyn StdError + Send + Sync>>> {
        Box::pin(std::future::ready(Err("the refresh token expired".into())))
    }
}

#[tokio::test]
async fn credential_failures_send_nothing() {
    let mock = MockTransport::new();
    let client = Client::builder()
        .credential(Arc::new(FailingCredential))
        .transport(Arc::new(mock.clone()))
        .build()
        .unwrap();
    let error = get(&client).await.unwrap_err();
    assert!(matches!(error, Error::Credential(_)));
    assert_eq!(
        error.source().unwrap().to_string(),
        "the refresh token expired"
    );

    let client = Client::builder()
        .bearer_token("line\nbreak-SECRET")
        .transport(Arc::new(mock.clone()))
        .build()
        .unwrap();
    let error = get(&client).await.unwrap_err();
    assert!(matches!(error, Error::Credential(_)));
    assert!(!format!("{error} {error:?}").contains("SECRET"));
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn the_token_never_appears_in_debug_or_display() {
    let mock = MockTransport::new();
    mock.push(graph_error(400, "BadRequest"))
        .push(
            MockResponse::new(502)
                .header("content-type", "text/html")
                .body("<html>bad gateway</html>"),
        )
        .push_error(TransportError::new(
            TransportErrorKind::Interrupted,
            "reset",
        ))
        .push(MockResponse::new(201).body(r#"{"id":"#));
    let client = test_client(&mock, RetryPolicy::none());
    let mut output = Vec::new();
    for _ in 0..3 {
        let error = get(&client).await.unwrap_err();
        output.push(format!("{error} {error:?} {error:#?}"));
    }
    let path: &[crate::path::PathPart] = &[crate::path::PathPart::Literal("/groups")];
    let error = crate::ops::create(&client, path, &[], &json!({}))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode(_)));
    output.push(format!("{error} {error:?}"));
    let builder = Client::builder()
        .bearer_token(TOKEN)
        .transport(Arc::new(mock.clone()));
    output.push(format!("{builder:?} {builder:#?}"));
    output.push(format!("{client:?} {client:#?}"));
    output.push(format!("{mock:?}"));
    let recorded: Vec<RecordedRequest> = mock.requests();
    output.push(format!("{recorded:?}"));
    assert_eq!(
        recorded[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    for text in output {
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!text.contains(&TOKEN[7..]), "{text}");
    }
}

#[test]
fn the_client_and_its_futures_are_send_and_sync() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let client = test_client(&MockTransport::new(), RetryPolicy::default());
    send_sync(&client);
    send(&get(&client));
    let path: &[crate::path::PathPart] = &[];
    send(&crate::ops::create(&client, path, &[], &json!({})).into_future());
}

#[test]
fn a_call_in_flight_keeps_no_rare_paths_future_in_its_state() {
    // Every call's state is allocated, and moved as it starts, at its largest: the futures of
    // rare paths (a redirect, a token asked for, retries, an error's body) and the request
    // once the transport has it stay out of it, each argument in it once (2,480 bytes with
    // the first three, 808 now, 888 with `tracing`: glibc's thread cache serves up to 1,032).
    let client = test_client(&MockTransport::new(), RetryPolicy::default());
    let call = Call {
        method: Method::GET,
        url: format!("{}/me", client.base_url()),
        headers: HeaderMap::new(),
        body: None,
        follow_redirects: false,
    };
    let size = std::mem::size_of_val(&*client.clone().start(call));
    let bound = if cfg!(feature = "tracing") { 912 } else { 832 };
    assert!(size <= bound, "a call's state takes {size} bytes");
}

#[test]
fn a_request_hands_its_client_over_to_the_call_it_sends() {
    // Each clone writes the count that every call on every core shares: one per request.
    let builder = Client::builder().bearer_token(TOKEN);
    let client = builder.transport(Arc::new(Hang)).build().unwrap();
    let path = &[crate::path::PathPart::Literal("/me")];
    let mut request = std::pin::pin!(crate::ops::get::<serde_json::Value>(&client, path, &[]));
    assert_eq!(Arc::strong_count(&client.inner), 2);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    assert!(
        request.as_mut().poll(&mut context).is_pending(),
        "in flight"
    );
    assert_eq!(Arc::strong_count(&client.inner), 2);
}

#[test]
fn the_clients_shared_counts_lie_apart_from_its_settings() {
    let mock = MockTransport::new();
    let client = test_client(&mock, RetryPolicy::default());
    // The `Arc`'s counts come right before its value: a value that starts a 128-byte block
    // leaves them in the block before.
    let settings = Arc::as_ptr(&client.inner) as usize;
    assert_eq!(settings % 128, 0, "{settings:#x}");
}
