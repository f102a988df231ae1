//! Requests as values: an operation builds a [`Request`], which does nothing until it is
//! awaited; then it goes through the client's pipeline and reads its answer.

mod answer;
mod options;

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http::header::HeaderName;
use http::{HeaderMap, HeaderValue, Method, Response};
use serde::Serialize;

use crate::client::Client;
use crate::error::Error;
use crate::error::decode::Json;
use crate::paging;
use crate::pipeline::{Call, InFlight};
use crate::query::Query;
use crate::text::RedactedUrl;

pub(crate) use answer::sealed;
pub use answer::{Answer, Entity, Modifies, Reads, ValueOf};
use options::{prefer_page_size, to_object};

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
    /// All of it but the type of its answer: the code that builds and sends a request is
    /// compiled once, not for every type of answer.
    parts: Parts,
    answer: PhantomData<fn() -> A>,
}

/// A request, whatever its answer.
struct Parts {
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
}

/// Where a request is in its one send.
enum Sending {
    /// Not polled yet: options may still be chained. The client goes into the call's future
    /// when it is sent.
    Unsent(Client),
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
    Object(options::Object),
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
            parts: Parts {
                method,
                target,
                query: Query::default(),
                headers: HeaderMap::new(),
                body: Body::None,
                error,
                page_size: None,
                sending: Sending::Unsent(client.clone()),
            },
            answer: PhantomData,
        }
    }

    /// Sends `body` serialized as JSON.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        let mut json = Vec::with_capacity(256);
        match serde_json::to_writer(&mut json, body) {
            Ok(()) => self.parts.body = Body::Json(Bytes::from(json)),
            Err(error) => self.fail(Error::Encode(error)),
        }
        self
    }

    /// Sends `parameters` serialized as JSON, or no body when they serialize to `null`
    /// (`()`): the parameters of an action.
    pub(crate) fn parameters<B: Serialize + ?Sized>(mut self, parameters: &B) -> Self {
        match serde_json::to_vec(parameters) {
            Ok(json) if json == b"null" => {}
            Ok(json) => self.parts.body = Body::Json(Bytes::from(json)),
            Err(error) => self.fail(Error::Encode(error)),
        }
        self
    }

    /// Sends `body` as a JSON object that later options may edit.
    pub(crate) fn object<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match to_object(body) {
            Ok(object) => self.parts.body = Body::Object(object),
            Err(error) => self.fail(error),
        }
        self
    }

    /// Keeps the first argument error: the one a user would fix first.
    fn fail(&mut self, error: Error) {
        self.parts.fail(error);
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
        match header_pair(name, value) {
            Ok((name, value)) => {
                self.parts.headers.append(name, value);
            }
            Err(error) => self.fail(error),
        }
        self
    }

    /// The request as the pipeline sends it, or the first argument error.
    pub(crate) fn into_call(mut self) -> Result<(Client, Call), Error> {
        self.parts.take_call(A::FOLLOWS_REDIRECTS)
    }

    /// The same request, its answer read as `B`.
    pub(crate) fn answer_as<B: Answer>(self) -> Request<B> {
        Request {
            parts: self.parts,
            answer: PhantomData,
        }
    }
}

impl Parts {
    /// Keeps the first argument error: the one a user would fix first.
    fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }

    /// Takes the client and the call out of an unsent request, which is then done, or the
    /// first argument error.
    fn take_call(&mut self, follow_redirects: bool) -> Result<(Client, Call), Error> {
        let client = match std::mem::replace(&mut self.sending, Sending::Done) {
            Sending::Unsent(client) => client,
            sending => {
                self.sending = sending;
                return Err(Error::InvalidArgument(
                    "the request was polled before, so it was sent already".into(),
                ));
            }
        };
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        if let Some(size) = self.page_size.take() {
            prefer_page_size(&mut self.headers, size);
        }
        let target = std::mem::replace(&mut self.target, Target::Path(String::new()));
        let url = match target {
            Target::Path(path) => {
                let base = client.base_url();
                let mut url = String::with_capacity(base.len() + path.len());
                url.push_str(base);
                url.push_str(&path);
                self.query.write_to(&mut url);
                url
            }
            Target::Link(link) => {
                paging::check_origin(client.base_url(), &link, None)?;
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
        let call = Call {
            method: std::mem::take(&mut self.method),
            url,
            headers: std::mem::take(&mut self.headers),
            body,
            follow_redirects,
        };
        Ok((client, call))
    }

    /// Sends the request on its first poll and polls its answer, or the first argument
    /// error.
    fn poll_answer(
        &mut self,
        follow_redirects: bool,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(Call, Response<Bytes>), Error>> {
        if let Sending::Unsent(_) = self.sending {
            match self.take_call(follow_redirects) {
                Ok((client, call)) => self.sending = Sending::InFlight(client.start(call)),
                Err(error) => return Poll::Ready(Err(error)),
            }
        }
        let Sending::InFlight(in_flight) = &mut self.sending else {
            return Poll::Ready(Err(Error::InvalidArgument(
                "the request was polled again after it completed".into(),
            )));
        };
        let (call, response) = ready!(in_flight.as_mut().poll(cx));
        self.sending = Sending::Done;
        Poll::Ready(response.map(|response| (call, response)))
    }
}

/// Awaiting a request sends it through the client's pipeline and reads the answer as `A`
/// says. The first poll sends it; sending and the pipeline's future do not depend on `A`
/// (`Parts::poll_answer`), so every request type shares them and only the reading is
/// generic.
impl<A: Answer> Future for Request<A> {
    type Output = Result<A::Output, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let parts = &mut self.get_mut().parts;
        let (call, response) = ready!(parts.poll_answer(A::FOLLOWS_REDIRECTS, cx))?;
        let (mut parts, body) = response.into_parts();
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
        let body_bytes = match &self.parts.body {
            Body::None => None,
            Body::Json(json) => Some(json.len()),
            Body::Object(object) => Some(object.len()),
        };
        // As error messages show it: query values may be personal data or a token.
        let mut target = match &self.parts.target {
            Target::Path(path) => {
                let mut path = path.clone();
                self.parts.query.write_to(&mut path);
                path
            }
            Target::Link(link) => link.clone(),
        };
        target = RedactedUrl(&target).to_string();
        f.debug_struct("Request")
            .field("method", &self.parts.method)
            .field("target", &target)
            .field("headers", &self.parts.headers)
            .field("body", &body_bytes)
            .field("error", &self.parts.error)
            .field("sent", &!matches!(self.parts.sending, Sending::Unsent(_)))
            .finish_non_exhaustive()
    }
}

/// A header's name and value, or the argument error that says which is not valid.
pub(crate) fn header_pair<K, V>(name: K, value: V) -> Result<(HeaderName, HeaderValue), Error>
where
    K: TryInto<HeaderName>,
    V: TryInto<HeaderValue>,
{
    let name = name.try_into().map_err(|_| {
        Error::InvalidArgument(
            "a header name is not a valid HTTP header name: expected a token of letters, \
             digits and `!#$%&'*+-.^_`|~`"
                .into(),
        )
    })?;
    let value = value.try_into().map_err(|_| {
        Error::InvalidArgument(format!(
            "the value of header `{name}` is not a valid HTTP header value: expected visible \
             ASCII, spaces and tabs, without line breaks"
        ))
    })?;
    Ok((name, value))
}
