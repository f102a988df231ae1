//! `$batch`: many request values in one HTTP request, each answered on its own.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Response, StatusCode, Uri};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::client::Client;
use crate::edm::Binary;
use crate::error::decode::Json;
use crate::error::{ApiError, DecodeError, Error};
use crate::pipeline::retry::retries_status;
use crate::pipeline::{Call, Pipeline};
use crate::request::{Answer, Request};
use crate::transport::BoxFuture;

/// The most requests Graph takes in one `$batch`.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// Request values collected to be sent together to `{base}/$batch`; from
/// [`Client::batch`](crate::Client::batch).
///
/// Each [`add`](Batch::add) gives a typed [`Handle`]; after [`send`](Batch::send), the
/// [`BatchResponses`] give each handle exactly what awaiting its request directly would
/// have: the entity, the page, `Option<T>`, `()`, or the same [`Error`] with the item's
/// status, error envelope and headers. An outer `200 OK` says nothing of the items: each is
/// judged on its own.
///
/// - More than 20 requests are sent as several batches; a request and those it depends on
///   (directly or through others) always go in the same one.
/// - Items answered `429` or `503` (`504` for idempotent methods) are sent again, with their
///   dependents, in a follow-up batch after the longest `Retry-After` among them, within
///   the client's [`RetryPolicy`](crate::RetryPolicy). Nothing else is sent twice. An item's
///   `429` holds the throttling scope of its URL at the client's throttle gate, as a direct
///   call's would: the client's other calls in that scope wait. The batch's own `$batch`
///   requests are not held by it: the rest of its first round goes on, and its follow-up
///   waits once, in its retry step.
/// - Requests that depend on one that failed come back as `424 Failed Dependency` naming it.
/// - A throttled or failed `$batch` request as a whole is retried like any request; when
///   it still fails, the requests it carried get that error, the others keep their answers.
/// - Every request must be built on the batch's client.
///
/// ```
/// # use graph_resource_runtime::{Client, Error, MockResponse, MockTransport};
/// # use graph_resource_runtime::__private::{create, get, PathPart::{Key, Literal}};
/// # use serde_json::{json, Value};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::json(200, json!({"responses": [
/// #     {"id": "2", "status": 200, "body": {"id": "g1"}},
/// #     {"id": "1", "status": 201, "body": {"id": "a1"}},
/// # ]})));
/// # let client = mock.client_builder().build()?;
/// # let assignments = &[Literal("/deviceManagement/intents/"), Key("intent_id"), Literal("/assignments")];
/// # let group = &[Literal("/groups/"), Key("group_id")];
/// let mut batch = client.batch();
/// // In an SDK: `batch.add(DeviceManagementIntentAssignment::create(&client, "i1", &body))`.
/// let created = batch.add(create(&client, assignments, &["i1"], &json!({})));
/// let read = batch.add_after(get::<Value>(&client, group, &["g1"]), [created.id()]);
/// let mut responses = batch.send().await?;
/// assert_eq!(responses.take(created)?.entity().map(|a| &a["id"]), Some(&json!("a1")));
/// assert_eq!(responses.take(read)?["id"], "g1");
/// # Ok(())
/// # }
/// ```
#[must_use = "a batch does nothing until it is sent"]
pub struct Batch {
    client: Client,
    items: Vec<Item>,
    /// Tells this batch's handles from another's.
    tag: u64,
}

/// One request of a batch.
struct Item {
    call: Result<Call, Error>,
    /// Indices of the items this one waits for.
    depends_on: Vec<usize>,
}

/// The typed handle of a request added to a [`Batch`]; [`BatchResponses::take`] gives what
/// awaiting the request would have.
#[must_use = "a handle is how the request's answer is taken"]
pub struct Handle<A> {
    id: ItemId,
    answer: PhantomData<fn() -> A>,
}

impl<A> Handle<A> {
    /// The untyped id, for [`Batch::add_after`].
    pub fn id(&self) -> ItemId {
        self.id
    }
}

impl<A> Clone for Handle<A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A> Copy for Handle<A> {}

impl<A> fmt::Debug for Handle<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Handle").field(&self.id.index).finish()
    }
}

/// A request of a batch, whatever its answer: what another request can depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemId {
    index: usize,
    tag: u64,
}

impl Client {
    /// A `$batch` of request values of this client; see [`Batch`].
    pub fn batch(&self) -> Batch {
        Batch {
            client: self.clone(),
            items: Vec::new(),
            tag: fastrand::u64(..),
        }
    }
}

impl Batch {
    /// Adds `request`; its answer is taken with the handle once the batch was sent.
    pub fn add<A: Answer>(&mut self, request: Request<A>) -> Handle<A> {
        self.add_after(request, [])
    }

    /// Adds `request`, sent only after the requests of `after` succeeded (`dependsOn`).
    /// An id of another batch fails the request's handle with an invalid argument.
    pub fn add_after<A: Answer>(
        &mut self,
        request: Request<A>,
        after: impl IntoIterator<Item = ItemId>,
    ) -> Handle<A> {
        let index = self.items.len();
        let mut call = request.into_call().and_then(|(client, call)| {
            if !client.is_same(&self.client) {
                return Err(Error::InvalidArgument(
                    "a request of a batch must be built on the client of the batch".into(),
                ));
            }
            let mut call = call;
            client.pipeline().headers.add_defaults(&mut call.headers);
            let visible = call.headers.values().all(|value| value.to_str().is_ok());
            if !visible {
                return Err(Error::InvalidArgument(
                    "a request of a batch can only carry headers of visible ASCII".into(),
                ));
            }
            Ok(call)
        });
        let mut depends_on = Vec::new();
        for id in after {
            if id.tag == self.tag && id.index < index {
                depends_on.push(id.index);
            } else if call.is_ok() {
                call = Err(Error::InvalidArgument(
                    "a request of a batch can only depend on requests added to the same batch before it".into(),
                ));
            }
        }
        self.items.push(Item { call, depends_on });
        Handle {
            id: ItemId {
                index,
                tag: self.tag,
            },
            answer: PhantomData,
        }
    }

    /// How many requests were added.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no request was added.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sends every request, in as many `$batch` requests as needed, and collects each
    /// answer. Fails as a whole only when a dependency chain has more than 20 requests, and
    /// then nothing is sent. Once something was sent, no answer is lost: a `$batch` request
    /// that fails after its retries fails the requests it carried, and only those.
    pub fn send(self) -> BoxFuture<'static, Result<BatchResponses, Error>> {
        Box::pin(self.run())
    }

    async fn run(self) -> Result<BatchResponses, Error> {
        let Batch { client, items, tag } = self;
        // Without `dependsOn`, every request is a group of its own: no grouping to compute.
        let independent = items.iter().all(|item| item.depends_on.is_empty());
        let groups = if independent {
            Vec::new()
        } else {
            groups(&items)?
        };
        let mut outcomes: Vec<Option<Outcome>> = (0..items.len()).map(|_| None).collect();
        // Items that cannot be sent keep their own argument error.
        let mut calls: Vec<Option<Call>> = Vec::with_capacity(items.len());
        let mut depends_on: Vec<Vec<usize>> = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            match item.call {
                Ok(call) => calls.push(Some(call)),
                Err(error) => {
                    outcomes[index] = Some(Outcome::Failed(error));
                    calls.push(None);
                }
            }
            depends_on.push(item.depends_on);
        }
        let pipeline = client.pipeline();
        let base = client.base_url();
        // One number at the throttle gate for every `$batch` request of this batch: a
        // throttled item holds its scope for the client's other calls, not for the batch,
        // which waits for its throttled items itself.
        let number = pipeline.throttle.call();
        let mut pending: Vec<usize> = if independent {
            (0..calls.len())
                .filter(|index| calls[*index].is_some())
                .collect()
        } else {
            groups
                .iter()
                .flatten()
                .copied()
                .filter(|index| calls[*index].is_some())
                .collect()
        };
        let mut retry: u32 = 0;
        let mut waited = Duration::ZERO;
        loop {
            settle_dependents(&depends_on, &mut outcomes, &mut pending);
            let mut retry_after: Option<Duration> = None;
            let mut retrying = Vec::new();
            let chunks = if independent {
                pending
                    .chunks(MAX_BATCH_REQUESTS)
                    .map(<[usize]>::to_vec)
                    .collect()
            } else {
                chunks(&groups, &pending)
            };
            for chunk in chunks {
                let sent = send_chunk(&client, base, number, &calls, &depends_on, &chunk).await;
                let mut answers = match sent {
                    Ok(answers) => answers,
                    Err(error) => {
                        // Earlier batches were applied: their answers stay; each request of
                        // this one gets the failure.
                        fail_chunk(&chunk, error, &mut outcomes);
                        continue;
                    }
                };
                for (position, &index) in chunk.iter().enumerate() {
                    let Some(call) = &calls[index] else { continue };
                    match answers.get_mut(position).and_then(Option::take) {
                        Some(response) => {
                            if retries_status(&call.method, response.status) {
                                let delay = response_retry_after(&response);
                                if response.status == StatusCode::TOO_MANY_REQUESTS {
                                    hold_scope(pipeline, &call.url, number, delay);
                                }
                                retry_after = retry_after.max(delay);
                                retrying.push(index);
                            }
                            outcomes[index] = Some(Outcome::Answered(response));
                        }
                        None => {
                            outcomes[index] = Some(Outcome::Failed(Error::Incomplete(format!(
                                "Graph's `$batch` answer has no response for request {}",
                                index + 1
                            ))));
                        }
                    }
                }
            }
            if retrying.is_empty() {
                break;
            }
            // Dependents of a throttled item were answered 424 by Graph: send them again too.
            let mut again = retrying;
            for (index, on) in depends_on.iter().enumerate() {
                let waits = on.iter().any(|on| again.contains(on));
                if waits && calls[index].is_some() && !again.contains(&index) {
                    again.push(index);
                }
            }
            retry = retry.saturating_add(1);
            let Some(delay) = pipeline.retry.next_delay(retry, waited, retry_after) else {
                break;
            };
            pipeline.sleep.sleep(delay).await;
            waited = waited.saturating_add(delay);
            again.sort_unstable();
            for index in &again {
                outcomes[*index] = None;
            }
            pending = again;
        }
        settle_dependents(&depends_on, &mut outcomes, &mut Vec::new());
        let calls = calls
            .into_iter()
            .map(|call| call.map(|call| (call.method, call.url)))
            .collect();
        Ok(BatchResponses {
            outcomes,
            calls,
            tag,
        })
    }
}

/// Gives every request of a `$batch` that failed as a whole that failure: the first the
/// error itself, the others an error naming it.
fn fail_chunk(chunk: &[usize], error: Error, outcomes: &mut [Option<Outcome>]) {
    let shown = error.to_string();
    let mut error = Some(error);
    for &index in chunk {
        let failure = error.take().unwrap_or_else(|| {
            Error::Incomplete(format!(
                "the `$batch` request that carried request {} failed: {shown}",
                index + 1
            ))
        });
        outcomes[index] = Some(Outcome::Failed(failure));
    }
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field("requests", &self.items.len())
            .finish_non_exhaustive()
    }
}

/// What became of one request.
enum Outcome {
    /// Graph's answer to it, any status.
    Answered(ItemReply),
    /// It was not sent, or its answer is missing.
    Failed(Error),
}

/// One request's answer, its body still inside the `$batch` answer that carried it.
struct ItemReply {
    status: StatusCode,
    /// Read only where they matter: for an error, to tell base64 from a JSON string body,
    /// and when the request's answer asks for them.
    headers: HeaderMap,
    /// The headers still as JSON text in the `$batch` answer, when they were not read.
    unread_headers: Option<(Arc<String>, Range<usize>)>,
    body: ItemBody,
}

/// The body of an item's answer.
enum ItemBody {
    /// JSON text: a part of the whole `$batch` answer, which was checked to be UTF-8.
    Json {
        answer: Arc<String>,
        range: Range<usize>,
    },
    /// Bytes of its own: decoded base64, a JSON string body as Graph gave it, or an answer
    /// made here (a `424` of a dependent).
    Bytes(Bytes),
}

impl ItemBody {
    /// The body, as the request's answer reads it.
    fn json(&self) -> Json<'_> {
        match self {
            ItemBody::Json { answer, range } => {
                Json::Text(answer.get(range.clone()).unwrap_or_default())
            }
            ItemBody::Bytes(bytes) => Json::Bytes(bytes),
        }
    }
}

impl ItemReply {
    /// Reads the headers that were left as JSON text.
    fn read_headers(&mut self) {
        if let Some((answer, range)) = self.unread_headers.take() {
            self.headers = parse_headers(answer.get(range).unwrap_or_default());
        }
    }

    /// The answer as an HTTP response, for its error.
    fn into_response(self) -> Response<Bytes> {
        let body = match self.body {
            ItemBody::Json { answer, range } => {
                Bytes::copy_from_slice(answer.as_bytes().get(range).unwrap_or_default())
            }
            ItemBody::Bytes(bytes) => bytes,
        };
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        response
    }
}

/// The answers of a sent [`Batch`]; [`take`](BatchResponses::take) each by its handle.
pub struct BatchResponses {
    outcomes: Vec<Option<Outcome>>,
    /// The method and URL of each request, for its errors.
    calls: Vec<Option<(Method, String)>>,
    tag: u64,
}

impl BatchResponses {
    /// What awaiting the request of `handle` directly would have given: its answer read as
    /// the request reads it, or the error of its status with Graph's envelope and the
    /// item's headers. Each handle is taken once; a second take, or a handle of another
    /// batch, is an invalid argument.
    pub fn take<A: Answer>(&mut self, handle: Handle<A>) -> Result<A::Output, Error> {
        let index = handle.id.index;
        let outcome = (handle.id.tag == self.tag)
            .then(|| self.outcomes.get_mut(index).and_then(Option::take))
            .flatten()
            .ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "request {} of this batch was taken already, or is of another batch",
                    index + 1
                ))
            })?;
        let (method, url) = match self.calls.get(index) {
            Some(Some((method, url))) => (method, url.as_str()),
            _ => (&Method::GET, ""),
        };
        match outcome {
            Outcome::Failed(error) => Err(error),
            Outcome::Answered(mut reply) if reply.status.is_success() => {
                if A::reads_headers(reply.status, reply.body.json()) {
                    reply.read_headers();
                }
                let body = reply.body.json();
                A::read(method, url, reply.status, &mut reply.headers, body)
            }
            Outcome::Answered(reply) => Err(Error::Api(Box::new(ApiError::from_response(
                method,
                url,
                reply.into_response(),
            )))),
        }
    }
}

impl fmt::Debug for BatchResponses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let left = self
            .outcomes
            .iter()
            .filter(|outcome| outcome.is_some())
            .count();
        f.debug_struct("BatchResponses")
            .field("requests", &self.outcomes.len())
            .field("not_taken", &left)
            .finish()
    }
}

/// The items, grouped so that each group holds whole dependency chains, in the order they
/// were added; a group of more than 20 cannot be sent.
fn groups(items: &[Item]) -> Result<Vec<Vec<usize>>, Error> {
    let mut root: Vec<usize> = (0..items.len()).collect();
    fn find(root: &mut [usize], mut index: usize) -> usize {
        while root[index] != index {
            root[index] = root[root[index]];
            index = root[index];
        }
        index
    }
    for (index, item) in items.iter().enumerate() {
        for &on in &item.depends_on {
            let (a, b) = (find(&mut root, index), find(&mut root, on));
            root[a.max(b)] = a.min(b);
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for index in 0..items.len() {
        let group = find(&mut root, index);
        groups.entry(group).or_default().push(index);
    }
    let groups: Vec<Vec<usize>> = groups.into_values().collect();
    if let Some(chain) = groups.iter().find(|group| group.len() > MAX_BATCH_REQUESTS) {
        let first = chain.first().map_or(0, |index| index + 1);
        return Err(Error::InvalidArgument(format!(
            "requests {first} and the {} that depend on it or on each other form a chain of {} \
             requests; one `$batch` takes at most {MAX_BATCH_REQUESTS}",
            chain.len() - 1,
            chain.len()
        )));
    }
    Ok(groups)
}

/// The pending items, as batches of at most 20 that keep each group whole.
fn chunks(groups: &[Vec<usize>], pending: &[usize]) -> Vec<Vec<usize>> {
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    for group in groups {
        let members: Vec<usize> = group
            .iter()
            .copied()
            .filter(|index| pending.contains(index))
            .collect();
        if members.is_empty() {
            continue;
        }
        let fits = chunks
            .iter_mut()
            .find(|chunk| chunk.len() + members.len() <= MAX_BATCH_REQUESTS);
        match fits {
            Some(chunk) => chunk.extend(members),
            None => chunks.push(members),
        }
    }
    for chunk in &mut chunks {
        chunk.sort_unstable();
    }
    chunks
}

/// Gives every pending item whose dependency ended in failure a `424 Failed Dependency`
/// that names it, and takes it out of `pending`.
fn settle_dependents(
    depends_on: &[Vec<usize>],
    outcomes: &mut [Option<Outcome>],
    pending: &mut Vec<usize>,
) {
    for (index, item_depends_on) in depends_on.iter().enumerate() {
        let settled = matches!(&outcomes[index], Some(Outcome::Answered(r)) if r.status != StatusCode::FAILED_DEPENDENCY)
            || matches!(&outcomes[index], Some(Outcome::Failed(_)));
        if settled {
            continue;
        }
        let failed = item_depends_on
            .iter()
            .copied()
            .find(|on| match &outcomes[*on] {
                Some(Outcome::Answered(reply)) => !reply.status.is_success(),
                Some(Outcome::Failed(_)) => true,
                None => false,
            });
        let Some(on) = failed else { continue };
        let status = match &outcomes[on] {
            Some(Outcome::Answered(reply)) => reply.status.as_u16().to_string(),
            _ => "an error before Graph answered it".to_owned(),
        };
        let body = serde_json::json!({"error": {
            "code": "FailedDependency",
            "message": format!("request {} of the batch, which this request depends on, failed with {status}", on + 1),
        }});
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        outcomes[index] = Some(Outcome::Answered(ItemReply {
            status: StatusCode::FAILED_DEPENDENCY,
            headers,
            unread_headers: None,
            body: ItemBody::Bytes(Bytes::from(body.to_string())),
        }));
        pending.retain(|pending| *pending != index);
    }
}

/// Holds the scope of `url`, a 429 item's own, at the throttle gate for the client's calls
/// other than `number` (the batch's own) for `delay`, the item's `Retry-After`.
fn hold_scope(pipeline: &Pipeline, url: &str, number: u64, delay: Option<Duration>) {
    if let (Ok(uri), Some(delay)) = (Uri::try_from(url), delay) {
        let longest = pipeline.retry.longest_delay();
        pipeline.throttle.hold(&uri, number, delay, longest);
    }
}

/// `Retry-After` of an item's answer.
fn response_retry_after(reply: &ItemReply) -> Option<Duration> {
    let value = reply.headers.get(http::header::RETRY_AFTER)?;
    crate::error::api::parse_retry_after(value, std::time::SystemTime::now())
}

/// POSTs one `$batch` of `chunk`, as call `number` of the throttle gate, and returns each
/// item's answer by index.
async fn send_chunk(
    client: &Client,
    base: &str,
    number: u64,
    calls: &[Option<Call>],
    depends_on: &[Vec<usize>],
    chunk: &[usize],
) -> Result<Vec<Option<ItemReply>>, Error> {
    let requests = Requests {
        base,
        calls,
        depends_on,
        chunk,
    };
    // About what one request's entry takes, so the body grows without copies.
    let mut body = Vec::with_capacity(128 * chunk.len() + 16);
    serde_json::to_writer(&mut body, &requests).map_err(Error::Encode)?;
    let call = Call {
        method: Method::POST,
        url: format!("{base}/$batch"),
        headers: HeaderMap::new(),
        body: Some(Bytes::from(body)),
    };
    let response = client.pipeline().send_as(&call, number).await?;
    let status = response.status();
    let decode_error = |error: serde_json::Error, body: &[u8]| {
        let url = call.url.clone();
        let error = DecodeError::new(&call.method, url, status, ".".into(), error, body);
        Error::Decode(Box::new(error))
    };
    // Checked to be UTF-8 once, as a whole: the envelope and then each item's body are read
    // as text, borrowing from it, and no string is checked again.
    let answer = String::from_utf8(Vec::from(response.into_body())).map_err(|error| {
        let message = format!("the `$batch` answer is not UTF-8: {}", error.utf8_error());
        decode_error(de::Error::custom(message), error.as_bytes())
    })?;
    let answer = Arc::new(answer);
    let parsed: Answers<'_> = serde_json::from_str(answer.as_str())
        .map_err(|error| decode_error(error, answer.as_bytes()))?;
    // Each request's answer at its position in `chunk` (which is sorted); the first answer
    // to an id counts, unknown ids are passed over.
    let mut answers: Vec<Option<ItemReply>> = (0..chunk.len()).map(|_| None).collect();
    for item in parsed.0 {
        let index = item.id.and_then(|id| id.checked_sub(1));
        let slot = index
            .and_then(|index| chunk.binary_search(&index).ok())
            .and_then(|position| answers.get_mut(position));
        if let Some(slot @ None) = slot {
            *slot = Some(item.into_reply(&answer));
        }
    }
    Ok(answers)
}

/// `{"requests": [...]}` of one `$batch`.
struct Requests<'a> {
    base: &'a str,
    calls: &'a [Option<Call>],
    depends_on: &'a [Vec<usize>],
    chunk: &'a [usize],
}

impl Serialize for Requests<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct List<'a>(&'a Requests<'a>);
        impl Serialize for List<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.0.chunk.len()))?;
                for &index in self.0.chunk {
                    let (Some(Some(call)), Some(depends_on)) =
                        (self.0.calls.get(index), self.0.depends_on.get(index))
                    else {
                        continue;
                    };
                    {
                        // Only requests of this batch: one that succeeded in an earlier
                        // batch is no longer waited for.
                        let depends_on: Vec<usize> = depends_on
                            .iter()
                            .copied()
                            .filter(|on| self.0.chunk.contains(on))
                            .collect();
                        let entry = Entry {
                            index,
                            call,
                            depends_on: &depends_on,
                            base: self.0.base,
                        };
                        seq.serialize_element(&entry)?;
                    }
                }
                seq.end()
            }
        }
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("requests", &List(self))?;
        map.end()
    }
}

/// One request of a `$batch`: its id, method, URL relative to the base, headers, JSON body.
struct Entry<'a> {
    index: usize,
    call: &'a Call,
    depends_on: &'a [usize],
    base: &'a str,
}

impl Serialize for Entry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let call = self.call;
        let url = call.url.strip_prefix(self.base).unwrap_or(&call.url);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &Number(self.index + 1))?;
        map.serialize_entry("method", call.method.as_str())?;
        map.serialize_entry("url", url)?;
        if !self.depends_on.is_empty() {
            let ids: Vec<Number> = self.depends_on.iter().map(|on| Number(on + 1)).collect();
            map.serialize_entry("dependsOn", &ids)?;
        }
        // Repeated names are joined as HTTP allows; `add_after` let only visible ASCII in.
        let mut headers: BTreeMap<&str, String> = BTreeMap::new();
        for (name, value) in &call.headers {
            let value = value.to_str().unwrap_or_default();
            headers
                .entry(name.as_str())
                .and_modify(|joined| {
                    joined.push_str(", ");
                    joined.push_str(value);
                })
                .or_insert_with(|| value.to_owned());
        }
        if let Some(body) = &call.body {
            headers.insert("content-type", "application/json".to_owned());
            map.serialize_entry("headers", &headers)?;
            let body: &RawValue =
                serde_json::from_slice(body).map_err(serde::ser::Error::custom)?;
            map.serialize_entry("body", body)?;
        } else if !headers.is_empty() {
            map.serialize_entry("headers", &headers)?;
        }
        map.end()
    }
}

/// A request's id in a `$batch`: its number from 1, written as a JSON string.
struct Number(usize);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// `{"responses": [...]}`: each item's id and its answer, borrowed from the body.
struct Answers<'de>(Vec<ItemAnswer<'de>>);

/// One item's answer as it stands in the body: its headers and body still raw JSON.
struct ItemAnswer<'de> {
    /// The id as a number; `None` for one that is not a request number.
    id: Option<usize>,
    status: StatusCode,
    headers: Option<&'de RawValue>,
    body: Option<&'de RawValue>,
}

impl ItemAnswer<'_> {
    /// The answer as an [`ItemReply`]; `whole` is the `$batch` answer it was read from.
    /// Headers are read only where they matter: for an error, and to tell base64 from a JSON
    /// string body.
    fn into_reply(self, whole: &Arc<String>) -> ItemReply {
        let body = self.body.filter(|body| body.get() != "null");
        let string_body = body.is_some_and(|body| body.get().starts_with('"'));
        let (headers, unread_headers) = match self.headers {
            Some(raw) if string_body || !self.status.is_success() => {
                (parse_headers(raw.get()), None)
            }
            // Left as text until the request's answer asks for them.
            Some(raw) => match range_in(whole, raw.get()) {
                Some(range) => (HeaderMap::new(), Some((Arc::clone(whole), range))),
                None => (parse_headers(raw.get()), None),
            },
            None => (HeaderMap::new(), None),
        };
        let body = match body {
            None => ItemBody::Bytes(Bytes::new()),
            Some(body) if string_body => ItemBody::Bytes(item_text_body(body, &headers)),
            Some(body) => match range_in(whole, body.get()) {
                Some(range) => ItemBody::Json {
                    answer: Arc::clone(whole),
                    range,
                },
                None => ItemBody::Bytes(Bytes::copy_from_slice(body.get().as_bytes())),
            },
        };
        ItemReply {
            status: self.status,
            headers,
            unread_headers,
            body,
        }
    }
}

/// An item's `headers` object; empty when it is not one.
fn parse_headers(raw: &str) -> HeaderMap {
    serde_json::from_str::<Headers>(raw).map_or_else(|_| HeaderMap::new(), |headers| headers.0)
}

/// Where `part` lies in `whole`, when it is text borrowed from it.
fn range_in(whole: &str, part: &str) -> Option<Range<usize>> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    (end <= whole.len()).then_some(start..end)
}

/// A body that is a JSON string: base64 of content that is not JSON (as Graph sends it), or
/// a JSON string value.
fn item_text_body(body: &RawValue, headers: &HeaderMap) -> Bytes {
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_none_or(|value| value.to_ascii_lowercase().contains("json"));
    if !json && let Ok(text) = serde_json::from_str::<String>(body.get()) {
        return match Binary::from_base64(&text) {
            Ok(bytes) => Bytes::from(bytes.0),
            Err(_) => Bytes::from(text),
        };
    }
    Bytes::copy_from_slice(body.get().as_bytes())
}

impl<'de> Deserialize<'de> for Answers<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnswersVisitor;
        impl<'de> Visitor<'de> for AnswersVisitor {
            type Value = Answers<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a `$batch` answer with a `responses` array")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Answers<'de>, A::Error> {
                let mut responses = None;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if key == "responses" {
                        responses = Some(map.next_value_seed(ResponsesSeed)?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                responses
                    .map(Answers)
                    .ok_or_else(|| de::Error::missing_field("responses"))
            }
        }
        deserializer.deserialize_map(AnswersVisitor)
    }
}

struct ResponsesSeed;

impl<'de> DeserializeSeed<'de> for ResponsesSeed {
    type Value = Vec<ItemAnswer<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ResponsesSeed {
    type Value = Vec<ItemAnswer<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of responses")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut answers = Vec::with_capacity(MAX_BATCH_REQUESTS);
        while let Some(answer) = seq.next_element_seed(AnswerSeed)? {
            answers.extend(answer);
        }
        Ok(answers)
    }
}

/// One response; `None` for one that is not an object or has no usable id or status,
/// which leaves its request unanswered rather than failing the others.
struct AnswerSeed;

impl<'de> DeserializeSeed<'de> for AnswerSeed {
    type Value = Option<ItemAnswer<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnswerSeed {
    type Value = Option<ItemAnswer<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a response object with `id` and `status`")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut id: Option<Option<usize>> = None;
        let mut status: Option<u16> = None;
        let mut headers: Option<&'de RawValue> = None;
        let mut body: Option<&'de RawValue> = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "id" => id = Some(map.next_value::<Id>()?.0),
                "status" => status = map.next_value::<Status>()?.0,
                "headers" => headers = Some(map.next_value()?),
                "body" => body = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let (Some(id), Some(status)) = (id, status.and_then(|s| StatusCode::from_u16(s).ok()))
        else {
            return Ok(None);
        };
        Ok(Some(ItemAnswer {
            id,
            status,
            headers,
            body,
        }))
    }
}

/// An id, a request number as a string or a number; `None` for anything else.
struct Id(Option<usize>);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Scalar(PhantomData))
    }
}

/// A header's value as a string or a number; `None` for anything else.
struct HeaderText(Option<String>);

impl<'de> Deserialize<'de> for HeaderText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Scalar(PhantomData))
    }
}

/// A status as a number; `None` for anything else.
struct Status(Option<u16>);

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Scalar(PhantomData))
    }
}

/// Reads an id, a header's value or a status from whatever JSON value stands there.
struct Scalar<T>(PhantomData<T>);

/// How an id, a header's value or a status takes a string or a number.
trait FromScalar: Sized {
    fn from_str(text: &str) -> Self;
    fn from_u64(number: u64) -> Self;
    fn none() -> Self;
}

impl FromScalar for Id {
    fn from_str(text: &str) -> Self {
        Id(text.parse().ok())
    }
    fn from_u64(number: u64) -> Self {
        Id(usize::try_from(number).ok())
    }
    fn none() -> Self {
        Id(None)
    }
}

impl FromScalar for HeaderText {
    fn from_str(text: &str) -> Self {
        HeaderText(Some(text.to_owned()))
    }
    fn from_u64(number: u64) -> Self {
        HeaderText(Some(number.to_string()))
    }
    fn none() -> Self {
        HeaderText(None)
    }
}

impl FromScalar for Status {
    fn from_str(_: &str) -> Self {
        Status(None)
    }
    fn from_u64(number: u64) -> Self {
        Status(u16::try_from(number).ok())
    }
    fn none() -> Self {
        Status(None)
    }
}

impl<'de, T: FromScalar> Visitor<'de> for Scalar<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        Ok(T::from_str(text))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<T, E> {
        Ok(T::from_u64(number))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
        Ok(T::none())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
        Ok(T::none())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<T, E> {
        Ok(T::none())
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::none())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(T::none())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(T::none())
    }
}

/// Headers as an object of strings; entries that are not valid HTTP, or not strings, are
/// left out.
struct Headers(HeaderMap);

impl<'de> Deserialize<'de> for Headers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HeadersVisitor;
        impl<'de> Visitor<'de> for HeadersVisitor {
            type Value = Headers;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of headers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Headers, A::Error> {
                let mut headers = HeaderMap::new();
                while let Some(name) = map.next_key::<Cow<'de, str>>()? {
                    let value = map.next_value::<HeaderText>()?.0;
                    let name = HeaderName::try_from(name.as_ref());
                    if let (Ok(name), Some(Ok(value))) = (name, value.map(HeaderValue::try_from)) {
                        headers.append(name, value);
                    }
                }
                Ok(Headers(headers))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Headers, E> {
                Ok(Headers(HeaderMap::new()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Headers, E> {
                Ok(Headers(HeaderMap::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Headers, E> {
                Ok(Headers(HeaderMap::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Headers, E> {
                Ok(Headers(HeaderMap::new()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Headers, E> {
                Ok(Headers(HeaderMap::new()))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Headers, E> {
                Ok(Headers(HeaderMap::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Headers, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Headers(HeaderMap::new()))
            }
        }
        deserializer.deserialize_any(HeadersVisitor)
    }
}
