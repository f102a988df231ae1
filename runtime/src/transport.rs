//! The one async method that sends an HTTP request.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;

use crate::error::TransportError;

/// A boxed, `Send` future: what the object-safe async traits of this crate return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and returns the whole response.
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
}
