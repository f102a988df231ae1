//! [`Upload`]: content sent with `PUT`, from bytes or a stream of known length.

use std::fmt;
use std::future::IntoFuture;

use bytes::Bytes;

use crate::error::Error;
use crate::error::decode::Json;
use crate::pipeline::exchange::Payload;
use crate::request::{Answer, Request};
use crate::transport::{Body, BoxFuture};

/// Content to `PUT` that has not been sent: awaiting it sends the body with its
/// `Content-Type` and `Content-Length` through the client's pipeline and reads the answer
/// as `A` says (the entity, or nothing).
///
/// Made by [`EntityPath::put_content`](crate::EntityPath::put_content) and
/// [`put_value`](crate::EntityPath::put_value). A body of bytes is retried as any `PUT`
/// is; a body from a stream is read as it is sent, so it is sent once and not retried.
///
/// ```
/// # use graph_resource_runtime::{EntityPath, Error, MockResponse, MockTransport};
/// # use serde_json::json;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::json(201, json!({"id": "i1", "size": 8})));
/// # let client = mock.client_builder().build()?;
/// // In an SDK: `DriveItem::at(&client, "d1", "i1").put_content(…)`.
/// let item = EntityPath::<serde_json::Value>::root(&client, "/drives/d1/items/i1");
/// let written = item.put_content("text/csv", "a,b\n1,2\n").await?;
/// assert_eq!(written["size"], 8);
/// let sent = &mock.requests()[0];
/// assert_eq!((sent.method.as_str(), sent.header("content-type")), ("PUT", Some("text/csv")));
/// assert_eq!(sent.body, "a,b\n1,2\n");
/// # Ok(())
/// # }
/// ```
#[must_use = "an upload does nothing until it is awaited"]
pub struct Upload<A> {
    request: Request<A>,
    body: Body,
}

impl<A: Answer> Upload<A> {
    pub(crate) fn new(request: Request<A>, body: Body) -> Self {
        Upload { request, body }
    }
}

impl<A> IntoFuture for Upload<A>
where
    A: Answer + 'static,
    A::Output: Send,
{
    type Output = Result<A::Output, Error>;
    type IntoFuture = BoxFuture<'static, Result<A::Output, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let (client, call) = self.request.into_call()?;
            let payload = Payload::new(self.body);
            let response = client
                .pipeline()
                .send_content::<Bytes>(&call, Some(payload))
                .await?;
            let (mut parts, body) = response.into_parts();
            A::read(
                &call.method,
                &call.url,
                parts.status,
                &mut parts.headers,
                Json::Bytes(&body),
            )
        })
    }
}

impl<A> fmt::Debug for Upload<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("request", &self.request)
            .field("body", &self.body)
            .finish()
    }
}
