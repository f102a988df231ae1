//! How an attempt crosses the transport: a JSON call whole through
//! [`Transport::send`], a download or a content upload as streams through
//! [`Transport::send_streaming`]. The other steps are the same for both.

use std::future::Future;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Request, Response};

use crate::sync::lock;
use crate::transport::{
    Body, BodyStream, BoxFuture, Transport, TransportError, TransportErrorKind,
};

/// The most of an error response's body read into the [`ApiError`](crate::ApiError) of a
/// streamed call: Graph's error envelopes are a few hundred bytes.
const ERROR_BODY_LIMIT: usize = 1 << 20;

/// A request body as the pipeline holds it across attempts: bytes are sent by every
/// attempt, a stream by the first only.
#[derive(Debug, Clone)]
pub(crate) enum Payload {
    Bytes(Bytes),
    /// A stream, taken by the attempt that sends it.
    Once(Arc<Mutex<Option<Body>>>),
}

impl Payload {
    pub(crate) fn new(body: Body) -> Self {
        match body.into_bytes() {
            Ok(bytes) => Payload::Bytes(bytes),
            Err(stream) => Payload::Once(Arc::new(Mutex::new(Some(stream)))),
        }
    }

    /// Whether every attempt can send it: a stream cannot be read twice.
    pub(crate) fn is_replayable(&self) -> bool {
        matches!(self, Payload::Bytes(_))
    }

    /// The body for one attempt.
    fn take(self) -> Result<Body, TransportError> {
        match self {
            Payload::Bytes(bytes) => Ok(Body::from(bytes)),
            Payload::Once(stream) => lock(&stream).take().ok_or_else(|| {
                TransportError::new(
                    TransportErrorKind::Other,
                    "the request body is a stream that an earlier attempt sent already, so it \
                     cannot be sent again: give it as bytes for the request to be retried",
                )
            }),
        }
    }
}

/// A response body as the pipeline returns it: whole ([`Bytes`]) or streamed
/// ([`BodyStream`]). A streamed body's first chunk is read within the attempt: a failure
/// before any byte is handed out is the attempt's, retried as the policy says.
pub(crate) trait Received: Sized + Send + 'static {
    /// Sends `request` through `transport`.
    fn send(
        transport: &dyn Transport,
        request: Request<Payload>,
    ) -> BoxFuture<'_, Result<Response<Self>, TransportError>>;

    /// The body of a response that is not a success, read for its error: whole, or as much
    /// as arrived.
    fn into_error_body(self) -> BoxFuture<'static, Bytes>;
}

impl Received for Bytes {
    fn send(
        transport: &dyn Transport,
        request: Request<Payload>,
    ) -> BoxFuture<'_, Result<Response<Bytes>, TransportError>> {
        let (parts, payload) = request.into_parts();
        match payload {
            Payload::Bytes(bytes) => transport.send(Request::from_parts(parts, bytes)),
            Payload::Once(_) => Box::pin(async move {
                let request = Request::from_parts(parts, payload.take()?);
                let (parts, body) = transport.send_streaming(request).await?.into_parts();
                let body = body.read_all(usize::MAX).await?;
                Ok(Response::from_parts(parts, body))
            }),
        }
    }

    fn into_error_body(self) -> BoxFuture<'static, Bytes> {
        Box::pin(std::future::ready(self))
    }
}

impl Received for BodyStream {
    fn send(
        transport: &dyn Transport,
        request: Request<Payload>,
    ) -> BoxFuture<'_, Result<Response<BodyStream>, TransportError>> {
        Box::pin(async move {
            let (parts, payload) = request.into_parts();
            let request = Request::from_parts(parts, payload.take()?);
            let (parts, body) = transport.send_streaming(request).await?.into_parts();
            Ok(Response::from_parts(parts, body.peeked().await?))
        })
    }

    fn into_error_body(self) -> BoxFuture<'static, Bytes> {
        Box::pin(async move { self.read_all(ERROR_BODY_LIMIT).await.unwrap_or_default() })
    }
}

/// `response` with its body read for an [`ApiError`](crate::ApiError). Not an `async fn`:
/// the future holds the response's parts and its body's future, not the response beside them.
pub(crate) fn error_response<R: Received>(
    response: Response<R>,
) -> impl Future<Output = Response<Bytes>> + Send {
    let (parts, body) = response.into_parts();
    let body = body.into_error_body();
    async move { Response::from_parts(parts, body.await) }
}
