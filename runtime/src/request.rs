//! Requests as values: an operation builds a [`Request`], which does nothing until it is
//! awaited; then it goes through the client's pipeline and reads its answer.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http::header::{HeaderName, IF_MATCH};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::Error;
use crate::error::decode::{Json, decode};
use crate::odata::Properties;
use crate::paging::{self, Items, Page, Pages};
use crate::pipeline::{Call, InFlight};
use crate::query::Query;
use crate::transport::BoxFuture;

/// A Graph request that has not been sent: awaiting it sends it through the client (retries,
/// token, telemetry, transport) and reads the answer as `A` says.
///
/// Every operation returns one: `get` a `Request<Entity<T>>` (awaiting gives `T`),
/// `create` a `Request<Created<T>>` (the entity, or where Graph put it), `list` a
/// `Request<Page<T>>` (one page, or every page through [`pages`](Request::pages),
/// [`items`](Request::items) and [`all`](Request::all)), `update` a `Request<Option<T>>`
/// (the entity when Graph returns one), `delete` a `Request<()>`. Options are chained
/// before the `.await`. Nothing is sent, and no argument error is reported, until it is
/// awaited: an invalid path key, a property the model does not declare or a body that
/// cannot be serialized comes back from the `.await`, before anything goes out.
///
/// A request holds a clone of its [`Client`] (one `Arc`), not a borrow: it, its future and
/// its streams are `Send` and `'static` (for `'static` models), so they can be spawned,
/// stored, or returned from a function that owns the client.
///
/// ```
/// # use graph_resource_runtime::{Client, Created, Error, MockResponse, MockTransport, Request};
/// # use graph_resource_runtime::__private::{create, PathPart::{Key, Literal}};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::json(201, serde_json::json!({"id": "a1"})));
/// # let client = mock.client_builder().build()?;
/// # let path = &[Literal("/deviceManagement/intents/"), Key("intent_id"), Literal("/assignments")];
/// # let body = serde_json::json!({});
/// // In an SDK: `DeviceManagementIntentAssignment::create(&client, "intent-1", &body)`.
/// let request: Request<Created<serde_json::Value>> = create(&client, path, &["intent-1"], &body)
///     .header("Prefer", "return=representation");
/// assert!(mock.requests().is_empty(), "a request value sends nothing");
/// let created = request.await?;
/// assert_eq!(created.into_entity().map(|created| created["id"].clone()), Some("a1".into()));
/// # Ok(())
/// # }
/// ```
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<A> {
    client: Client,
    method: Method,
    target: Target,
    query: Query,
    headers: HeaderMap,
    body: Body,
    /// The first argument error, reported when the request is awaited.
    error: Option<Error>,
    /// `odata.maxpagesize`, joined with the other preferences when the request is sent.
    page_size: Option<u32>,
    sending: Sending,
    answer: PhantomData<fn() -> A>,
}

/// Where a request is in its one send.
enum Sending {
    /// Not polled yet: options may still be chained.
    Unsent,
    /// On its way through the pipeline.
    InFlight(InFlight),
    /// Answered, or failed before it was sent.
    Done,
}

/// Where a request goes.
#[derive(Debug)]
enum Target {
    /// A path below the client's base URL, percent-encoded.
    Path(String),
    /// An absolute URL Graph gave (a next link), sent exactly as given.
    Link(String),
}

/// What a request sends.
#[derive(Debug)]
enum Body {
    None,
    /// JSON, already serialized.
    Json(Bytes),
    /// A JSON object still to be edited (`clear`, `changed_from`), serialized when sent.
    Object(Map<String, Value>),
}

impl<A: Answer> Request<A> {
    /// A request for `method` on `path` below the client's base URL (already
    /// percent-encoded), without a body.
    pub(crate) fn new(client: &Client, method: Method, path: Result<String, Error>) -> Self {
        let (target, error) = match path {
            Ok(path) => (Target::Path(path), None),
            Err(error) => (Target::Path(String::new()), Some(error)),
        };
        Request {
            client: client.clone(),
            method,
            target,
            query: Query::default(),
            headers: HeaderMap::new(),
            body: Body::None,
            error,
            page_size: None,
            sending: Sending::Unsent,
            answer: PhantomData,
        }
    }

    /// Sends `body` serialized as JSON.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        let mut json = Vec::with_capacity(256);
        match serde_json::to_writer(&mut json, body) {
            Ok(()) => self.body = Body::Json(Bytes::from(json)),
            Err(error) => self.fail(Error::Encode(error)),
        }
        self
    }

    /// Sends `body` as a JSON object that later options may edit.
    pub(crate) fn object<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match to_object(body) {
            Ok(object) => self.body = Body::Object(object),
            Err(error) => self.fail(error),
        }
        self
    }

    /// Keeps the first argument error: the one a user would fix first.
    fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }

    /// Adds a header to every send of this request, such as `Prefer`. A name or value that is
    /// not valid HTTP fails the request when it is awaited, before anything is sent. It wins
    /// over the client's [`default_header`](crate::ClientBuilder::default_header) of the
    /// same name and over the `Accept`, `User-Agent` and `client-request-id` the client
    /// would send (a `client-request-id` set here is sent on every retry); `Authorization`
    /// is the credential's, and `Content-Type` of a body is `application/json`.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        match (name.try_into(), value.try_into()) {
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            (Ok(name), Err(_)) => self.fail(Error::InvalidArgument(format!(
                "the value of header `{name}` is not a valid HTTP header value: expected visible \
                 ASCII, spaces and tabs, without line breaks"
            ))),
            (Err(_), _) => self.fail(Error::InvalidArgument(
                "a header name is not a valid HTTP header name: expected a token of letters, \
                 digits and `!#$%&'*+-.^_`|~`"
                    .into(),
            )),
        }
        self
    }

    /// The request as the pipeline sends it, or the first argument error.
    pub(crate) fn into_call(mut self) -> Result<(Client, Call), Error> {
        let call = self.take_call()?;
        Ok((self.client, call))
    }

    /// Takes the call out of an unsent request, or the first argument error.
    fn take_call(&mut self) -> Result<Call, Error> {
        if !matches!(self.sending, Sending::Unsent) {
            return Err(Error::InvalidArgument(
                "the request was polled before, so it was sent already".into(),
            ));
        }
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        if let Some(size) = self.page_size.take() {
            prefer_page_size(&mut self.headers, size);
        }
        let target = std::mem::replace(&mut self.target, Target::Path(String::new()));
        let url = match target {
            Target::Path(path) => {
                let base = self.client.base_url();
                let mut url = String::with_capacity(base.len() + path.len());
                url.push_str(base);
                url.push_str(&path);
                self.query.write_to(&mut url);
                url
            }
            Target::Link(link) => {
                paging::check_origin(self.client.base_url(), &link, None)?;
                link
            }
        };
        let body = match std::mem::replace(&mut self.body, Body::None) {
            Body::None => None,
            Body::Json(json) => Some(json),
            Body::Object(object) => Some(Bytes::from(
                serde_json::to_vec(&object).map_err(Error::Encode)?,
            )),
        };
        Ok(Call {
            method: std::mem::take(&mut self.method),
            url,
            headers: std::mem::take(&mut self.headers),
            body,
        })
    }

    /// The same request, its answer read as `B`.
    pub(crate) fn answer_as<B: Answer>(self) -> Request<B> {
        Request {
            client: self.client,
            method: self.method,
            target: self.target,
            query: self.query,
            headers: self.headers,
            body: self.body,
            error: self.error,
            page_size: self.page_size,
            sending: self.sending,
            answer: PhantomData,
        }
    }
}

/// Awaiting a request sends it through the client's pipeline and reads the answer as `A`
/// says. The first poll sends it; the pipeline's future does not depend on `A`, so every
/// request type shares it and only the reading is generic.
impl<A: Answer> Future for Request<A> {
    type Output = Result<A::Output, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let Sending::Unsent = this.sending {
            match this.take_call() {
                Ok(call) => this.sending = Sending::InFlight(this.client.start(call)),
                Err(error) => {
                    this.sending = Sending::Done;
                    return Poll::Ready(Err(error));
                }
            }
        }
        let Sending::InFlight(in_flight) = &mut this.sending else {
            return Poll::Ready(Err(Error::InvalidArgument(
                "the request was polled again after it completed".into(),
            )));
        };
        let (call, response) = ready!(in_flight.as_mut().poll(cx));
        this.sending = Sending::Done;
        let (mut parts, body) = response?.into_parts();
        Poll::Ready(A::read(
            &call.method,
            &call.url,
            parts.status,
            &mut parts.headers,
            Json::Bytes(&body),
        ))
    }
}

impl<A> fmt::Debug for Request<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body_bytes = match &self.body {
            Body::None => None,
            Body::Json(json) => Some(json.len()),
            Body::Object(object) => Some(object.len()),
        };
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("target", &self.target)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body", &body_bytes)
            .field("error", &self.error)
            .field("sent", &!matches!(self.sending, Sending::Unsent))
            .finish_non_exhaustive()
    }
}

/// `$select`, `$expand`: the options of a request that reads entities.
impl<A: Answer + Reads> Request<A>
where
    A::Resource: Properties,
{
    /// `$select`: only these properties (JSON names, such as `displayName`). A name the model
    /// does not declare, through its bases too, is an [`Error::InvalidArgument`] when the
    /// request is awaited, and nothing is sent.
    pub fn select<'n>(mut self, properties: impl IntoIterator<Item = &'n str>) -> Self {
        for property in properties {
            if self.declared(property, "select") {
                self.query.select.push(property.to_owned());
            }
        }
        self
    }

    /// `$expand`: navigation properties to read inline, such as `assignments`, or an
    /// expression such as `assignments($select=id)`; sent as given.
    pub fn expand(mut self, expression: impl Into<String>) -> Self {
        self.query.expand.push(expression.into());
        self
    }

    /// Whether the model of `A` declares `property`; records an error if not.
    fn declared(&mut self, property: &str, option: &str) -> bool {
        let declared = A::Resource::has_property(property);
        if !declared {
            self.fail(Error::InvalidArgument(format!(
                "`{option}` names `{property}`, which `{}` does not declare",
                A::Resource::NAME
            )));
        }
        declared
    }
}

/// The options of `list`, and its pages.
impl<T: DeserializeOwned + Properties + Send> Request<Page<T>> {
    /// `$filter`: an OData filter expression, such as `startswith(displayName,'Win')`; sent
    /// as given, percent-encoded.
    pub fn filter(self, expression: impl Into<String>) -> Self {
        self.with_filter(expression.into())
    }

    /// `$orderby` by `property`, ascending; call again for a second key.
    pub fn order_by(self, property: &str) -> Self {
        self.order(property, "")
    }

    /// `$orderby` by `property`, descending.
    pub fn order_by_desc(self, property: &str) -> Self {
        self.order(property, " desc")
    }

    fn order(mut self, property: &str, direction: &str) -> Self {
        if self.declared(property, "order_by") {
            self.query.order_by.push(format!("{property}{direction}"));
        }
        self
    }

    /// `$top=count`. Graph reads it as "at most this many items" on some collections and as
    /// the page size on others, which then still link to a next page: `all()` and `items()`
    /// follow those links, so stop early (`items()` with `take`) to read only `count`.
    pub fn top(mut self, count: u32) -> Self {
        self.query.top = Some(count);
        self
    }

    /// `$skip`: leave out the first `count` items.
    pub fn skip(mut self, count: u32) -> Self {
        self.query.skip = Some(count);
        self
    }

    /// `$count=true`: the first page carries the total in [`Page::count`]. Adds
    /// `ConsistencyLevel: eventual`, which Graph requires for it.
    pub fn count(mut self) -> Self {
        self.query.count = true;
        self.eventual()
    }

    /// `$search`: `text` in double quotes as Graph requires (`"displayName:Win"`), unless it
    /// is quoted already. Adds `ConsistencyLevel: eventual`.
    pub fn search(self, text: &str) -> Self {
        self.with_search(text)
    }

    /// `Prefer: odata.maxpagesize={size}`: Graph's page size, for collections that honour it.
    ///
    /// Called again, the last size wins. Other preferences set with
    /// [`header`](Request::header)`("Prefer", …)`, before or after, are kept and sent with
    /// it in one `Prefer` header (`return=minimal, odata.maxpagesize=50`); an
    /// `odata.maxpagesize` among them gives way to this one.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Starts from `next_link`, an `@odata.nextLink` stored from an earlier page, instead of
    /// the first page; the options of this request are not sent again (the link carries
    /// them), its headers are. A link to another origin than the client's base URL fails
    /// the request when it is awaited, and nothing is sent to it.
    pub fn resume(mut self, next_link: impl Into<String>) -> Self {
        self.target = Target::Link(next_link.into());
        self
    }
}

/// The options a page and a `$count` share.
impl<A: Answer> Request<A> {
    /// `$filter`, sent as given, percent-encoded.
    pub(crate) fn with_filter(mut self, expression: String) -> Self {
        self.query.filter = Some(expression);
        self
    }

    /// `$search`: `text` in double quotes unless it is quoted already; adds
    /// `ConsistencyLevel: eventual`.
    pub(crate) fn with_search(mut self, text: &str) -> Self {
        let quoted = text.len() >= 2 && text.starts_with('"') && text.ends_with('"');
        self.query.search = Some(if quoted {
            text.to_owned()
        } else {
            format!("\"{text}\"")
        });
        self.eventual()
    }

    /// `ConsistencyLevel: eventual`, which Graph requires for `$count` and `$search`.
    pub(crate) fn eventual(mut self) -> Self {
        let name = HeaderName::from_static("consistencylevel");
        self.headers
            .insert(name, HeaderValue::from_static("eventual"));
        self
    }
}

/// The pages of `list`, whatever the item type.
impl<T: DeserializeOwned + Send> Request<Page<T>> {
    /// Every page, as a stream that follows `@odata.nextLink` lazily: a page is requested
    /// when the one before it was taken. Each page's request carries this request's
    /// headers.
    pub fn pages(self) -> Pages<T> {
        match self.into_call() {
            Ok((client, call)) => Pages::new(client, call),
            Err(error) => Pages::failed(error),
        }
    }

    /// Every item of every page, as a stream; see [`pages`](Request::pages).
    pub fn items(self) -> Items<T> {
        Items::new(self.pages())
    }

    /// Every item of every page, collected.
    pub fn all(self) -> BoxFuture<'static, Result<Vec<T>, Error>>
    where
        T: 'static,
    {
        Box::pin(self.pages().collect_items())
    }
}

/// The options of `update`.
impl<T: Serialize + DeserializeOwned + Properties> Request<Option<T>> {
    /// Sends `property` as `null`, which clears it: `None` fields are left out of the body,
    /// so that nothing is cleared by accident. A name the model does not declare is an
    /// [`Error::InvalidArgument`] when the request is awaited.
    pub fn clear(mut self, property: &str) -> Self {
        let declared = T::has_property(property);
        match &mut self.body {
            Body::Object(object) if declared => {
                object.insert(property.to_owned(), Value::Null);
            }
            _ if !declared => self.fail(Error::InvalidArgument(format!(
                "`clear` names `{property}`, which `{}` does not declare",
                T::NAME
            ))),
            _ => {}
        }
        self
    }

    /// Sends only what changed from `before`, the entity as it was read, to the body given
    /// to `update`: properties whose value differs, and `null` (which clears) for those that
    /// became `None`. `@odata.type` is kept, so a derived type stays derived.
    ///
    /// The body should be a clone of `before`, then edited: a value built with
    /// `..Default::default()` has `None` wherever it was not set, and each of those that
    /// `before` had is cleared. The key `id` and properties marked `#[graph(read_only)]` are
    /// never sent, changed or not: Graph does not let clients write them.
    pub fn changed_from(mut self, before: &T) -> Self {
        let before = match to_object(before) {
            Ok(before) => before,
            Err(error) => {
                self.fail(error);
                return self;
            }
        };
        if let Body::Object(after) = &mut self.body {
            *after = diff(&before, std::mem::take(after), |name| {
                name == KEY || T::is_read_only(name)
            });
        }
        self
    }
}

/// `If-Match`, for requests that change an entity.
impl<A: Answer + Modifies> Request<A> {
    /// `If-Match: {etag}`: Graph applies the change only while the entity still has this
    /// `@odata.etag`, and answers `412 Precondition Failed` otherwise.
    pub fn if_match(self, etag: &str) -> Self {
        self.header(IF_MATCH, etag)
    }
}

/// The key of Graph's entities, which a diff never sends.
const KEY: &str = "id";

/// The properties of `after` that differ from `before` (`@odata.type` always), then `null`
/// for each property of `before` that `after` lacks; never a property that is `read_only`.
/// Annotations (`@odata.etag`, `x@odata.bind`, …) are never cleared: they are not
/// properties.
fn diff(
    before: &Map<String, Value>,
    after: Map<String, Value>,
    read_only: impl Fn(&str) -> bool,
) -> Map<String, Value> {
    let removed: Vec<String> = before
        .keys()
        .filter(|key| !key.contains('@') && !after.contains_key(*key) && !read_only(key))
        .cloned()
        .collect();
    let mut changed: Map<String, Value> = after
        .into_iter()
        .filter(|(key, value)| {
            key == "@odata.type" || (!read_only(key) && before.get(key) != Some(value))
        })
        .collect();
    changed.extend(removed.into_iter().map(|key| (key, Value::Null)));
    changed
}

const PREFER: HeaderName = HeaderName::from_static("prefer");

/// Sets `odata.maxpagesize={size}` in one `Prefer` header that keeps every other
/// preference of `headers`. A value that is not visible ASCII is left as it is, a `Prefer`
/// header of its own.
fn prefer_page_size(headers: &mut HeaderMap, size: u32) {
    let mut joined = String::new();
    let mut opaque = Vec::new();
    for value in headers.get_all(PREFER) {
        let Ok(text) = value.to_str() else {
            opaque.push(value.clone());
            continue;
        };
        for preference in preferences(text) {
            let name = preference.split(['=', ';']).next().unwrap_or_default();
            if !name.trim().eq_ignore_ascii_case("odata.maxpagesize") {
                joined.push_str(preference);
                joined.push_str(", ");
            }
        }
    }
    joined.push_str("odata.maxpagesize=");
    joined.push_str(&size.to_string());
    headers.remove(PREFER);
    // Visible ASCII taken from valid values, and digits: always a valid value.
    if let Ok(value) = HeaderValue::try_from(joined) {
        headers.insert(PREFER, value);
    }
    for value in opaque {
        headers.append(PREFER, value);
    }
}

/// The preferences of a `Prefer` value: split at commas outside quoted strings, trimmed,
/// empty ones left out.
fn preferences(value: &str) -> impl Iterator<Item = &str> {
    let mut quoted = false;
    let mut escaped = false;
    value
        .split(move |c: char| {
            match c {
                _ if escaped => escaped = false,
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                ',' if !quoted => return true,
                _ => {}
            }
            false
        })
        .map(str::trim)
        .filter(|preference| !preference.is_empty())
}

/// Serializes `value` as a JSON object, for a body that options edit.
fn to_object<B: Serialize + ?Sized>(value: &B) -> Result<Map<String, Value>, Error> {
    match serde_json::to_value(value).map_err(Error::Encode)? {
        Value::Object(object) => Ok(object),
        other => Err(Error::InvalidArgument(format!(
            "the body must serialize to a JSON object, not {}",
            crate::text::json_kind(&other)
        ))),
    }
}

/// How a [`Request`] reads its 2xx response.
///
/// Sealed: the operations choose it. [`Entity<T>`] decodes one entity, [`Created<T>`](crate::Created) the
/// entity or where Graph put it, [`Page<T>`] one page of a collection, `Option<T>` an entity
/// or nothing (`204 No Content`), `()` nothing; [`WithResponse<A>`](crate::WithResponse) adds the status and
/// headers to what `A` reads.
pub trait Answer: sealed::Sealed {
    /// What awaiting the request gives.
    type Output;

    /// Whether [`read`](Answer::read) looks at the headers of this answer: a `$batch` reads
    /// an item's headers only then.
    #[doc(hidden)]
    fn reads_headers(status: StatusCode, body: Json<'_>) -> bool {
        let _ = (status, body);
        false
    }

    /// Reads `body`, the 2xx answer of `status` with `headers` to a request for `method` on
    /// `url`; it may take the headers.
    #[doc(hidden)]
    fn read(
        method: &Method,
        url: &str,
        status: StatusCode,
        headers: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<Self::Output, Error>;
}

/// Answers that read entities of one resource type, which `select` checks names against.
pub trait Reads: Answer {
    /// The resource type.
    type Resource;
}

/// Answers of requests that change an entity, which take `if_match`.
pub trait Modifies: Answer {}

pub(crate) mod sealed {
    pub trait Sealed {}
}

/// An [`Answer`]: the body is one entity of type `T` (what `create` and `get` give).
pub struct Entity<T>(PhantomData<fn() -> T>);

impl<T> sealed::Sealed for Entity<T> {}

impl<T: DeserializeOwned> Answer for Entity<T> {
    type Output = T;

    fn read(
        method: &Method,
        url: &str,
        status: StatusCode,
        _: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<T, Error> {
        decode(method, url, status, body)
    }
}

impl<T: DeserializeOwned> Reads for Entity<T> {
    type Resource = T;
}

impl<T> sealed::Sealed for Page<T> {}

impl<T: DeserializeOwned> Answer for Page<T> {
    type Output = Page<T>;

    fn read(
        method: &Method,
        url: &str,
        status: StatusCode,
        _: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<Page<T>, Error> {
        decode(method, url, status, body)
    }
}

impl<T: DeserializeOwned> Reads for Page<T> {
    type Resource = T;
}

impl<T> sealed::Sealed for Option<T> {}

/// The entity when Graph returns one (`200 OK` with a body), `None` for `204 No Content`.
impl<T: DeserializeOwned> Answer for Option<T> {
    type Output = Option<T>;

    fn read(
        method: &Method,
        url: &str,
        status: StatusCode,
        _: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<Option<T>, Error> {
        if status == StatusCode::NO_CONTENT || body.is_empty() {
            return Ok(None);
        }
        decode(method, url, status, body).map(Some)
    }
}

impl<T: DeserializeOwned> Modifies for Option<T> {}

impl sealed::Sealed for () {}

/// Nothing: any 2xx answer (Graph sends `204 No Content`) ends the request.
impl Answer for () {
    type Output = ();

    fn read(
        _: &Method,
        _: &str,
        _: StatusCode,
        _: &mut HeaderMap,
        _: Json<'_>,
    ) -> Result<(), Error> {
        Ok(())
    }
}

impl Modifies for () {}
