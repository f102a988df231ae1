//! Requests as values: an operation builds a [`Request`], which does nothing until it is
//! awaited; then it goes through the client's pipeline and reads its answer.

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use bytes::Bytes;
use http::header::HeaderName;
use http::{HeaderMap, HeaderValue, Method, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::Error;
use crate::error::decode::decode_body;
use crate::pipeline::Call;
use crate::transport::BoxFuture;

/// A Graph request that has not been sent: awaiting it sends it through the client (retries,
/// token, telemetry, transport) and reads the answer as `A` says.
///
/// Operations such as `T::create(&client, key, &body)` return one. Nothing is sent and no
/// argument error is reported until it is awaited: an invalid path key or a body that cannot
/// be serialized comes back from the `.await` as an error, before anything goes out.
///
/// ```
/// # use graph_resource_runtime::{Client, Error, MockResponse, MockTransport};
/// # use graph_resource_runtime::__private::{create, PathPart::{Key, Literal}};
/// # use std::sync::Arc;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::json(201, serde_json::json!({"id": "a1"})));
/// # let client = mock.client_builder().build()?;
/// # let path = &[Literal("/deviceManagement/intents/"), Key("intent_id"), Literal("/assignments")];
/// # let body = serde_json::json!({});
/// // In an SDK: `let request = DeviceManagementIntentAssignment::create(&client, "intent-1", &body);`
/// let request = create(&client, path, &["intent-1"], &body)
///     .header("Prefer", "return=representation");
/// assert!(mock.requests().is_empty(), "a request value sends nothing");
/// let created = request.await?;
/// assert_eq!(created["id"], "a1");
/// # Ok(())
/// # }
/// ```
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<'c, A> {
    client: &'c Client,
    /// What to send, or why nothing can be.
    call: Result<Call, Error>,
    answer: PhantomData<fn() -> A>,
}

impl<'c, A: Answer> Request<'c, A> {
    /// A request for `method` on `path` below the client's base URL (already
    /// percent-encoded), with `body` serialized as JSON.
    pub(crate) fn new<B: Serialize + ?Sized>(
        client: &'c Client,
        method: Method,
        path: Result<String, Error>,
        body: Option<&B>,
    ) -> Self {
        let call = path.and_then(|path| {
            let body = match body {
                Some(body) => Some(Bytes::from(
                    serde_json::to_vec(body).map_err(Error::Encode)?,
                )),
                None => None,
            };
            Ok(Call {
                method,
                url: format!("{}{path}", client.base_url()),
                headers: HeaderMap::new(),
                body,
            })
        });
        Request {
            client,
            call,
            answer: PhantomData,
        }
    }

    /// Adds a header to every send of this request, such as `Prefer` or `If-Match`. A name or
    /// value that is not valid HTTP fails the request when it is awaited, before anything is
    /// sent. `Authorization` and the headers every request carries are set by the client.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        if let Ok(call) = &mut self.call {
            match (name.try_into(), value.try_into()) {
                (Ok(name), Ok(value)) => {
                    call.headers.append(name, value);
                }
                _ => {
                    self.call = Err(Error::InvalidArgument(
                        "a header name or value of the request is not valid HTTP".into(),
                    ));
                }
            }
        }
        self
    }

    /// Sends the request and reads its answer; what `.await` does.
    async fn send(self) -> Result<A::Output, Error> {
        let call = self.call?;
        let response = self.client.pipeline().send(&call).await?;
        A::read(&call.method, &call.url, response)
    }
}

impl<'c, A> IntoFuture for Request<'c, A>
where
    A: Answer + 'c,
    A::Output: Send,
{
    type Output = Result<A::Output, Error>;
    type IntoFuture = BoxFuture<'c, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<A> fmt::Debug for Request<'_, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Request");
        match &self.call {
            Ok(call) => debug
                .field("method", &call.method)
                .field("url", &call.url)
                .field("headers", &call.headers)
                .field("body_bytes", &call.body.as_ref().map(Bytes::len)),
            Err(error) => debug.field("error", error),
        };
        debug.finish_non_exhaustive()
    }
}

/// How a [`Request`] reads its 2xx response: [`Entity<T>`] decodes the body as `T`.
///
/// Sealed: the operations choose it.
pub trait Answer: sealed::Sealed {
    /// What awaiting the request gives.
    type Output;

    /// Reads the 2xx `response` of a request for `method` on `url`.
    #[doc(hidden)]
    fn read(method: &Method, url: &str, response: Response<Bytes>) -> Result<Self::Output, Error>;
}

mod sealed {
    pub trait Sealed {}
}

/// An [`Answer`]: the body is one entity of type `T` (what `create` gives).
pub struct Entity<T>(PhantomData<fn() -> T>);

impl<T> sealed::Sealed for Entity<T> {}

impl<T: DeserializeOwned> Answer for Entity<T> {
    type Output = T;

    fn read(method: &Method, url: &str, response: Response<Bytes>) -> Result<T, Error> {
        decode_body(method, url, &response)
    }
}
