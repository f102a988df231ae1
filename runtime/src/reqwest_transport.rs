//! The default transport, on reqwest (feature `reqwest`).

use std::error::Error as StdError;

use bytes::Bytes;
use http::Response;

use crate::error::{TransportError, TransportErrorKind};
use crate::transport::{BoxFuture, Transport};

/// A [`Transport`] on a [`reqwest::Client`]: HTTPS with rustls, HTTP/2, connection pooling.
///
/// Redirects: reqwest follows up to 10, and when one leads to another host, port or
/// scheme it drops the `Authorization` header (and cookies) before following, so the
/// bearer token never reaches another server (reqwest 0.13, `redirect::remove_sensitive_headers`).
/// A client from [`from_client`](ReqwestTransport::from_client) keeps its own redirect policy.
///
/// Errors are classified for the retry policy: a failed connection is
/// [`Connect`](TransportErrorKind::Connect), a reqwest timeout is
/// [`Timeout`](TransportErrorKind::Timeout), a failure while sending the request or reading
/// the response is [`Interrupted`](TransportErrorKind::Interrupted), anything else
/// [`Other`](TransportErrorKind::Other).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport on `reqwest::Client::new()`.
    ///
    /// # Panics
    ///
    /// Like `reqwest::Client::new`, when the TLS backend cannot be initialized. The client
    /// builder uses a fallible path instead; use [`from_client`](ReqwestTransport::from_client)
    /// with `reqwest::Client::builder().build()?` to handle that case yourself.
    pub fn new() -> Self {
        ReqwestTransport {
            client: reqwest::Client::new(),
        }
    }

    /// A transport on a configured client (proxy, TLS roots, pool settings, …).
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport { client }
    }

    /// `new` without the panic: what `ClientBuilder::build` uses.
    pub(crate) fn try_default() -> Result<Self, TransportError> {
        reqwest::Client::builder()
            .build()
            .map(ReqwestTransport::from_client)
            .map_err(|error| {
                TransportError::new(
                    TransportErrorKind::Other,
                    "could not initialize the reqwest client",
                )
                .with_source(error)
            })
    }
}

impl Default for ReqwestTransport {
    fn default() -> Self {
        ReqwestTransport::new()
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(classify)?;
            let mut response = self.client.execute(request).await.map_err(classify)?;
            let status = response.status();
            let version = response.version();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(classify)?;
            let mut response = Response::new(body);
            *response.status_mut() = status;
            *response.version_mut() = version;
            *response.headers_mut() = headers;
            Ok(response)
        })
    }
}

/// Sorts a reqwest error into the kinds the retry policy understands.
fn classify(error: reqwest::Error) -> TransportError {
    let (kind, what) = if error.is_connect() {
        (TransportErrorKind::Connect, "could not connect")
    } else if error.is_timeout() {
        (TransportErrorKind::Timeout, "timed out")
    } else if error.is_request() || error.is_body() || error.is_decode() {
        (
            TransportErrorKind::Interrupted,
            "the connection failed during the exchange",
        )
    } else {
        (TransportErrorKind::Other, "the HTTP client failed")
    };
    // The innermost cause is the most specific ("Connection refused (os error 111)").
    let mut cause: &dyn StdError = &error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    TransportError::new(kind, format!("{what}: {cause}")).with_source(error)
}
