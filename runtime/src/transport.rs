//! The async methods that send an HTTP request (whole, or streaming), and how they fail.

mod body;

use std::error::Error as StdError;
use std::fmt::{self, Debug};
use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use http::Method;

use crate::text::RedactedUrl;

pub use body::{Body, BodyStream};

/// A boxed, `Send` future: what the object-safe async traits of this crate return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and returns the response: whole ([`send`](Transport::send), the
/// JSON calls) or as a stream ([`send_streaming`](Transport::send_streaming), downloads and
/// content uploads).
///
/// The [`Client`](crate::Client) builds complete requests (absolute URI, headers,
/// body) and handles retries, timeouts and status codes itself; a transport only moves
/// bytes. It is object safe and used as `Arc<dyn Transport>`, and it names no executor.
///
/// A transport answers with the response for every status, 4xx and 5xx included, and
/// returns a [`TransportError`] only when no complete response arrived; the error's
/// [`kind`](TransportError::kind) tells the client whether a retry is safe.
///
/// ```
/// use bytes::Bytes;
/// use graph_resource_runtime::{BoxFuture, Transport, TransportError};
///
/// /// Answers every request with `204 No Content`.
/// #[derive(Debug)]
/// struct NoContent;
///
/// impl Transport for NoContent {
///     fn send(
///         &self,
///         _request: http::Request<Bytes>,
///     ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
///         Box::pin(async {
///             let mut response = http::Response::new(Bytes::new());
///             *response.status_mut() = http::StatusCode::NO_CONTENT;
///             Ok(response)
///         })
///     }
/// }
/// ```
pub trait Transport: Send + Sync + Debug {
    /// Sends `request` and resolves to the response, body read to the end.
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;

    /// Sends `request`, whose body may be a stream of known length, and resolves to the
    /// response as soon as its head arrived; the body is read as the caller polls it, and a
    /// failure while reading it ends the stream with a [`TransportError`].
    ///
    /// The default reads the request body into memory, sends it with
    /// [`send`](Transport::send) and answers the whole response as one chunk: right for a
    /// transport that holds bodies in memory anyway, such as a test double. A transport
    /// over the network overrides it so that memory stays constant whatever the size.
    fn send_streaming(
        &self,
        request: http::Request<Body>,
    ) -> BoxFuture<'_, Result<http::Response<BodyStream>, TransportError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body.read_all().await?;
            let response = self.send(http::Request::from_parts(parts, body)).await?;
            Ok(response.map(BodyStream::from))
        })
    }
}

/// In the extensions of a request whose redirect the client follows itself: a report's
/// `302` to a pre-authenticated URL on another origin, followed without any header of the
/// request. A transport that follows redirects answers such a request's redirect as it is;
/// [`ReqwestTransport`](crate::ReqwestTransport) does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RedirectsFollowedByClient;

/// What went wrong when a transport could not deliver a complete response; decides
/// whether a retry is safe.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// No connection was made, so nothing was sent: safe to retry for every method.
    Connect,
    /// No response in time; the request may have been received and applied. Retried only
    /// for idempotent methods.
    Timeout,
    /// The connection was closed or reset after the request may have been written. Retried
    /// only for idempotent methods.
    Interrupted,
    /// Anything else, such as a request the transport could not build. Never retried.
    Other,
}

/// A failure to deliver a request or to receive its complete response.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
    request: Option<String>,
}

impl TransportError {
    /// An error of `kind`, described by `message`.
    ///
    /// ```
    /// use graph_resource_runtime::{TransportError, TransportErrorKind};
    ///
    /// let error = TransportError::new(TransportErrorKind::Interrupted, "connection reset by peer");
    /// assert_eq!(error.kind(), TransportErrorKind::Interrupted);
    /// ```
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
            request: None,
        }
    }

    /// Attaches the underlying error, returned by [`source`](StdError::source).
    #[must_use]
    pub fn with_source(mut self, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The description given by the transport.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Names the request this error belongs to, for `Display`.
    pub(crate) fn for_request(mut self, method: &Method, url: &str) -> Self {
        self.request = Some(format!("{method} {}", RedactedUrl(url)));
        self
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.request {
            Some(request) => write!(f, "{request}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as StdError;

    use http::Method;

    use super::*;

    #[test]
    fn transport_errors_keep_kind_message_and_source() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        let error = TransportError::new(TransportErrorKind::Interrupted, "the connection was cut")
            .with_source(io)
            .for_request(&Method::GET, "https://graph.microsoft.com/v1.0/me");
        assert_eq!(error.kind(), TransportErrorKind::Interrupted);
        assert_eq!(error.message(), "the connection was cut");
        assert_eq!(
            error.to_string(),
            "GET https://graph.microsoft.com/v1.0/me: the connection was cut"
        );
        assert_eq!(error.source().unwrap().to_string(), "reset by peer");
        let error = crate::Error::Transport(error);
        assert_eq!(error.source().unwrap().to_string(), "reset by peer");
    }
}
