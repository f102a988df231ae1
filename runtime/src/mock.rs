//! Test doubles for SDK crates and applications: a transport with queued responses (whole,
//! in chunks, or cut mid-body) and recorded requests, and a timer that records the delays
//! it is asked for.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName};
use http::{HeaderMap, HeaderValue, Method, Response, Uri};

use crate::client::{Client, ClientBuilder};
use crate::sleep::{Sleep, default_sleep};
use crate::sync::lock;
use crate::transport::{
    Body, BodyStream, BoxFuture, Transport, TransportError, TransportErrorKind,
};

/// A [`Transport`] that answers from a queue and records every request, for tests of SDK
/// crates and applications.
///
/// Clones share the queue and the record, so a test keeps one handle and gives the client
/// another. Each request takes the next queued answer; when none is left, the request fails
/// with a [`TransportError`] of kind [`Other`](TransportErrorKind::Other), which is never
/// retried.
///
/// ```
/// use graph_resource_runtime::{Client, Created, MockResponse, MockTransport};
/// use serde_json::json;
/// # async fn create_assignment(client: &Client) -> Result<Created<serde_json::Value>, graph_resource_runtime::Error> {
/// #     use graph_resource_runtime::__private::{create, PathPart::{Key, Literal}};
/// #     let path = &[Literal("/deviceManagement/intents/"), Key("intent_id"), Literal("/assignments")];
/// #     create(client, path, &["intent-1"], &json!({"target": {"groupId": "g1"}})).await
/// # }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), graph_resource_runtime::Error> {
/// let mock = MockTransport::new();
/// mock.push(MockResponse::json(201, json!({"id": "a1", "target": {"groupId": "g1"}})));
/// let client = mock.client_builder().build()?;
///
/// // In an SDK crate: `DeviceManagementIntentAssignment::create(&client, "intent-1", &assignment)`.
/// let created = create_assignment(&client).await?;
/// assert_eq!(created, Created::Entity(json!({"id": "a1", "target": {"groupId": "g1"}})));
///
/// let requests = mock.requests();
/// assert_eq!(requests.len(), 1);
/// assert_eq!(requests[0].method, http::Method::POST);
/// assert_eq!(
///     requests[0].uri,
///     "https://graph.microsoft.com/v1.0/deviceManagement/intents/intent-1/assignments"
/// );
/// assert_eq!(requests[0].body_json().unwrap(), json!({"target": {"groupId": "g1"}}));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct MockTransport {
    state: Arc<Mutex<MockState>>,
    sleep: RecordingSleep,
}

#[derive(Debug, Default)]
struct MockState {
    queue: VecDeque<Result<MockResponse, TransportError>>,
    requests: Vec<RecordedRequest>,
}

impl MockTransport {
    /// A mock with nothing queued and nothing recorded.
    pub fn new() -> Self {
        MockTransport::default()
    }

    /// Queues `response` as the answer to a request, after those already queued.
    pub fn push(&self, response: MockResponse) -> &Self {
        self.lock().queue.push_back(Ok(response));
        self
    }

    /// Queues a transport failure, such as a reset connection, as the answer to a request.
    pub fn push_error(&self, error: TransportError) -> &Self {
        self.lock().queue.push_back(Err(error));
        self
    }

    /// The bearer token of [`client_builder`](MockTransport::client_builder).
    pub const TOKEN: &'static str = "mock-token-5c1e";

    /// A client builder on this mock: the default base URL, the static token
    /// [`TOKEN`](MockTransport::TOKEN), the default retry policy, and this mock's
    /// [`RecordingSleep`], so retry delays are recorded ([`slept`](MockTransport::slept))
    /// and end at once. Change any of them before `build`.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .bearer_token(Self::TOKEN)
            .transport(Arc::new(self.clone()))
            .sleep(Arc::new(self.sleep.clone()))
    }

    /// Every delay a client from [`client_builder`](MockTransport::client_builder) waited
    /// between retries, in order.
    pub fn slept(&self) -> Vec<Duration> {
        self.sleep.slept()
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// How many queued answers no request has taken yet.
    pub fn pending(&self) -> usize {
        self.lock().queue.len()
    }

    fn lock(&self) -> MutexGuard<'_, MockState> {
        lock(&self.state)
    }
}

impl MockTransport {
    /// Records `request` and takes the next queued answer.
    fn answer(&self, request: http::Request<Bytes>) -> Result<MockResponse, TransportError> {
        let (parts, body) = request.into_parts();
        let recorded = RecordedRequest {
            method: parts.method,
            uri: parts.uri,
            headers: parts.headers,
            body,
        };
        let answer = {
            let mut state = self.lock();
            state.requests.push(recorded);
            state.queue.pop_front()
        };
        answer.unwrap_or_else(|| {
            Err(TransportError::new(
                TransportErrorKind::Other,
                "MockTransport has no response left: push one for every request the test makes",
            ))
        })
    }
}

impl Transport for MockTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<Response<Bytes>, TransportError>> {
        let result = self.answer(request).and_then(MockResponse::into_response);
        Box::pin(std::future::ready(result))
    }

    /// Records the request with its body read whole, and answers in the chunks of
    /// [`MockResponse::chunks`], up to the cut of [`MockResponse::cut_after`].
    fn send_streaming(
        &self,
        request: http::Request<Body>,
    ) -> BoxFuture<'_, Result<Response<BodyStream>, TransportError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body.read_all().await?;
            self.answer(http::Request::from_parts(parts, body))?
                .into_streaming_response()
        })
    }
}

/// A response for [`MockTransport`] to answer with.
///
/// ```
/// use graph_resource_runtime::MockResponse;
///
/// let throttled = MockResponse::json(429, serde_json::json!({"error": {"code": "TooManyRequests"}}))
///     .header("retry-after", "2.128");
/// let proxy_page = MockResponse::new(502).header("content-type", "text/html").body("<html>…</html>");
/// # let _ = (throttled, proxy_page);
/// ```
///
/// A status or header that is not valid HTTP makes the request it answers fail with a
/// [`TransportError`] that says so.
///
/// For [`send_streaming`](Transport::send_streaming), the body comes in
/// [`chunks`](MockResponse::chunks) and may be [cut](MockResponse::cut_after) mid-way:
///
/// ```
/// use graph_resource_runtime::{Body, MockResponse, MockTransport, Transport, TransportErrorKind};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let mock = MockTransport::new();
/// mock.push(MockResponse::new(200).body("abcdef").chunks(4).cut_after(5));
/// let response = mock.send_streaming(http::Request::new(Body::from(""))).await.unwrap();
/// let error = response.into_body().read_all(1024).await.unwrap_err();
/// assert_eq!(error.kind(), TransportErrorKind::Interrupted);
/// # }
/// ```
#[derive(Debug)]
pub struct MockResponse {
    builder: http::response::Builder,
    body: Bytes,
    /// The size of the chunks of a streamed body; `None` for one chunk.
    chunk_size: Option<usize>,
    /// Where the body is cut by a reset connection.
    cut_after: Option<usize>,
}

impl MockResponse {
    /// A response with `status`, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        MockResponse {
            builder: Response::builder().status(status),
            body: Bytes::new(),
            chunk_size: None,
            cut_after: None,
        }
    }

    /// A response with `status` and `body` as `application/json`.
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        MockResponse::new(status)
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string())
    }

    /// Adds a header.
    #[must_use]
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        HeaderName: TryFrom<K>,
        <HeaderName as TryFrom<K>>::Error: Into<http::Error>,
        HeaderValue: TryFrom<V>,
        <HeaderValue as TryFrom<V>>::Error: Into<http::Error>,
    {
        self.builder = self.builder.header(name, value);
        self
    }

    /// Replaces the body.
    #[must_use]
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Streams the body in chunks of `size` bytes (the last one shorter); a `size` of zero
    /// counts as one.
    #[must_use]
    pub fn chunks(mut self, size: usize) -> Self {
        self.chunk_size = Some(size.max(1));
        self
    }

    /// Cuts the body after its first `bytes` bytes, as a reset connection would: a
    /// streamed body yields them and then an [`Interrupted`](TransportErrorKind::Interrupted)
    /// error, and a whole one is that error alone.
    #[must_use]
    pub fn cut_after(mut self, bytes: usize) -> Self {
        self.cut_after = Some(bytes);
        self
    }

    /// The error of a body cut after `bytes`.
    fn cut(bytes: usize) -> TransportError {
        TransportError::new(
            TransportErrorKind::Interrupted,
            format!("MockResponse: the connection was reset after {bytes} bytes of the body"),
        )
    }

    fn into_response(self) -> Result<Response<Bytes>, TransportError> {
        if let Some(bytes) = self.cut_after {
            return Err(MockResponse::cut(bytes));
        }
        self.builder.body(self.body).map_err(|error| {
            TransportError::new(
                TransportErrorKind::Other,
                format!("invalid MockResponse: {error}"),
            )
        })
    }

    fn into_streaming_response(self) -> Result<Response<BodyStream>, TransportError> {
        let (cut_after, chunk_size) = (self.cut_after, self.chunk_size);
        let body = MockResponse {
            cut_after: None,
            ..self
        }
        .into_response()?;
        Ok(body.map(|body| {
            let sent = body.slice(..cut_after.unwrap_or(body.len()).min(body.len()));
            let size = chunk_size.unwrap_or(sent.len()).max(1);
            let mut chunks: VecDeque<_> = (0..sent.len())
                .step_by(size)
                .map(|start| Ok(sent.slice(start..sent.len().min(start + size))))
                .collect();
            if cut_after.is_some() {
                chunks.push_back(Err(MockResponse::cut(sent.len())));
            }
            BodyStream::new(Queued(chunks))
        }))
    }
}

/// The chunks of a [`MockResponse`], handed out in order.
struct Queued(VecDeque<Result<Bytes, TransportError>>);

impl futures_core::Stream for Queued {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.get_mut().0.pop_front())
    }
}

/// A request as [`MockTransport`] received it.
///
/// Its `Debug` output shows the `Authorization` header as `Sensitive`; the header itself
/// holds the token, for tests that check it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The method.
    pub method: Method,
    /// The absolute URI.
    pub uri: Uri,
    /// Every header.
    pub headers: HeaderMap,
    /// The body, empty when there was none.
    pub body: Bytes,
}

impl RecordedRequest {
    /// The value of header `name`, if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The `client-request-id` header when it is a lowercase UUID v4, as on every request a
    /// [`Client`] sends; `None` when it is absent or anything else.
    pub fn client_request_id(&self) -> Option<&str> {
        self.header("client-request-id")
            .filter(|id| is_client_request_id(id))
    }

    /// The body parsed as JSON.
    pub fn body_json(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

/// Whether `id` is a `client-request-id` as a [`Client`] sends it: a lowercase UUID v4, such
/// as `4c63bff1-bff1-4c63-b1bf-634cf1bf634c`. For tests that see requests another way than
/// through [`MockTransport`], such as a local HTTP server.
///
/// ```
/// use graph_resource_runtime::is_client_request_id;
///
/// assert!(is_client_request_id("4c63bff1-bff1-4c63-b1bf-634cf1bf634c"));
/// assert!(!is_client_request_id("4C63BFF1-BFF1-4C63-B1BF-634CF1BF634C"));
/// assert!(!is_client_request_id("4c63bff1-bff1-1c63-b1bf-634cf1bf634c"), "version 1");
/// ```
pub fn is_client_request_id(id: &str) -> bool {
    let lengths: Vec<usize> = id.split('-').map(str::len).collect();
    let hex = id
        .chars()
        .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c));
    let version = id.get(14..15) == Some("4");
    let variant = id.get(19..20).is_some_and(|c| "89ab".contains(c));
    lengths == [8, 4, 4, 4, 12] && hex && version && variant
}

/// A [`Sleep`] for tests: records every duration it is asked to wait and ends at once, so a
/// test of retries neither waits nor misses what the client asked for.
///
/// Clones share the record. [`waiting`](RecordingSleep::waiting) makes it really wait, and
/// [`passing`](RecordingSleep::passing) lets timers of one length (the client's timeout)
/// run for real without being recorded.
///
/// ```
/// use std::time::Duration;
/// use graph_resource_runtime::{RecordingSleep, Sleep};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let sleep = RecordingSleep::new();
/// sleep.sleep(Duration::from_secs(60)).await; // ends at once
/// assert_eq!(sleep.slept(), [Duration::from_secs(60)]);
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct RecordingSleep {
    slept: Arc<Mutex<Vec<Duration>>>,
    /// Whether recorded delays are really waited.
    wait: bool,
    /// Timers of this length wait for real and are not recorded.
    passing: Option<Duration>,
}

impl RecordingSleep {
    /// Records every delay and ends at once.
    pub fn new() -> Self {
        RecordingSleep::default()
    }

    /// Records every delay and really waits it, on the default timer.
    pub fn waiting() -> Self {
        RecordingSleep {
            wait: true,
            ..RecordingSleep::default()
        }
    }

    /// Lets timers of exactly `duration` (give the client's
    /// [`timeout`](crate::ClientBuilder::timeout)) wait for real without recording them, so
    /// that only retry delays are recorded and a server that hangs still times out.
    #[must_use]
    pub fn passing(mut self, duration: Duration) -> Self {
        self.passing = Some(duration);
        self
    }

    /// Every duration recorded so far, in order.
    pub fn slept(&self) -> Vec<Duration> {
        lock(&self.slept).clone()
    }
}

impl Sleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        if self.passing == Some(duration) {
            return default_sleep().sleep(duration);
        }
        lock(&self.slept).push(duration);
        if self.wait {
            default_sleep().sleep(duration)
        } else {
            Box::pin(std::future::ready(()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get() -> http::Request<Bytes> {
        http::Request::new(Bytes::new())
    }

    #[tokio::test]
    async fn answers_in_order_and_shares_state_between_clones() {
        let mock = MockTransport::new();
        let handle = mock.clone();
        mock.push(MockResponse::new(204).header("request-id", "r1"))
            .push_error(TransportError::new(TransportErrorKind::Connect, "refused"));
        assert_eq!(handle.pending(), 2);
        let response = handle.send(get()).await.unwrap();
        assert_eq!(
            (
                response.status().as_u16(),
                response.headers()["request-id"].to_str().unwrap()
            ),
            (204, "r1")
        );
        assert_eq!(
            handle.send(get()).await.unwrap_err().kind(),
            TransportErrorKind::Connect
        );
        let error = handle.send(get()).await.unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Other);
        assert!(error.message().contains("no response left"), "{error}");
        assert_eq!(mock.requests().len(), 3);
        assert_eq!(mock.pending(), 0);
    }

    #[tokio::test]
    async fn streamed_answers_come_in_chunks_and_cuts_end_them_with_an_error() {
        use futures_util::StreamExt;

        let mock = MockTransport::new();
        mock.push(MockResponse::new(200).body("abcdefg").chunks(3))
            .push(
                MockResponse::new(200)
                    .body("abcdefg")
                    .chunks(3)
                    .cut_after(4),
            )
            .push(MockResponse::new(200).body("abc").cut_after(2));
        let streamed =
            |body: &'static str| mock.send_streaming(http::Request::new(Body::from(body)));
        let chunks: Vec<_> = streamed("up").await.unwrap().into_body().collect().await;
        let chunks: Vec<_> = chunks.into_iter().map(Result::unwrap).collect();
        assert_eq!(chunks, ["abc", "def", "g"]);
        let chunks: Vec<_> = streamed("").await.unwrap().into_body().collect().await;
        assert_eq!(chunks.len(), 3, "{chunks:?}");
        assert_eq!(chunks[0].as_ref().unwrap(), "abc");
        assert_eq!(chunks[1].as_ref().unwrap(), "d");
        let cut = chunks[2].as_ref().unwrap_err();
        assert_eq!(cut.kind(), TransportErrorKind::Interrupted);
        assert!(cut.message().contains("after 4 bytes"), "{cut}");
        let error = mock.send(get()).await.unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Interrupted, "{error}");
        assert_eq!(mock.requests()[0].body, "up");
    }

    #[tokio::test]
    async fn invalid_responses_fail_the_request_instead_of_panicking() {
        let mock = MockTransport::new();
        mock.push(MockResponse::new(42))
            .push(MockResponse::new(200).header("bad header", "x"));
        for _ in 0..2 {
            let error = mock.send(get()).await.unwrap_err();
            assert!(
                error.message().starts_with("invalid MockResponse"),
                "{error}"
            );
        }
    }
}
