//! The default transport, on reqwest (feature `reqwest`).

use std::fmt::Write as _;

use bytes::Bytes;
use http::Response;

use futures_core::Stream;

use crate::transport::{
    Body, BodyStream, BoxFuture, RedirectsFollowedByClient, Transport, TransportError,
    TransportErrorKind,
};

/// A [`Transport`] on a [`reqwest::Client`]: HTTPS with rustls, HTTP/2, connection pooling.
///
/// Redirects: reqwest follows up to 10, and when one leads to another host, port or
/// scheme it drops the `Authorization` header (and cookies) before following, so the
/// bearer token never reaches another server (reqwest 0.13, `redirect::remove_sensitive_headers`).
/// A request the client follows the redirects of itself
/// ([`RedirectsFollowedByClient`], a report's `302`) goes through a second client that
/// follows none, so the redirect reaches the client, which follows it without any header
/// of the request. A transport from [`from_client`](ReqwestTransport::from_client) sends
/// every request through the given client, with its own redirect policy.
///
/// [`send_streaming`](Transport::send_streaming) streams both ways: a request body stream
/// is sent as it is read (with its `Content-Length`), and the response body is read chunk
/// by chunk as the caller polls it (reqwest's `stream` feature).
///
/// Errors are classified for the retry policy: a failed connection is
/// [`Connect`](TransportErrorKind::Connect), a reqwest timeout is
/// [`Timeout`](TransportErrorKind::Timeout), a failure while sending the request or reading
/// the response is [`Interrupted`](TransportErrorKind::Interrupted), anything else
/// [`Other`](TransportErrorKind::Other).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    /// The same settings, following no redirect: for [`RedirectsFollowedByClient`].
    unredirected: Option<reqwest::Client>,
}

impl ReqwestTransport {
    /// A transport on `reqwest::Client::new()` (and one like it that follows no redirect).
    ///
    /// # Panics
    ///
    /// Like `reqwest::Client::new`, when the TLS backend cannot be initialized. The client
    /// builder uses a fallible path instead; use [`from_client`](ReqwestTransport::from_client)
    /// with `reqwest::Client::builder().build()?` to handle that case yourself.
    pub fn new() -> Self {
        ReqwestTransport::try_default().unwrap_or_else(|error| panic!("{error}"))
    }

    /// A transport on a configured client (proxy, TLS roots, pool settings, …).
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport {
            client,
            unredirected: None,
        }
    }

    /// `new` without the panic: what `ClientBuilder::build` uses.
    pub(crate) fn try_default() -> Result<Self, TransportError> {
        let failed = |error| {
            TransportError::new(
                TransportErrorKind::Other,
                "could not initialize the reqwest client",
            )
            .with_source(error)
        };
        let client = reqwest::Client::builder().build().map_err(failed)?;
        let unredirected = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(failed)?;
        Ok(ReqwestTransport {
            client,
            unredirected: Some(unredirected),
        })
    }
}

impl Default for ReqwestTransport {
    fn default() -> Self {
        ReqwestTransport::new()
    }
}

impl ReqwestTransport {
    /// The client for `request`: the one that follows no redirect when the client follows
    /// the request's redirects itself.
    fn client_for<B>(&self, request: &http::Request<B>) -> &reqwest::Client {
        match &self.unredirected {
            Some(unredirected)
                if request
                    .extensions()
                    .get::<RedirectsFollowedByClient>()
                    .is_some() =>
            {
                unredirected
            }
            _ => &self.client,
        }
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<Response<Bytes>, TransportError>> {
        // The request goes to reqwest before the future is built: the future holds reqwest's
        // (boxed) one, not the request.
        let client = self.client_for(&request);
        let pending = match to_reqwest(request) {
            Ok(request) => client.execute(request),
            Err(error) => return Box::pin(std::future::ready(Err(error))),
        };
        Box::pin(async move {
            let mut response = pending.await.map_err(classify)?;
            let body = read_body(&mut response).await.map_err(classify)?;
            Ok(take_head(&mut response).map(|()| body))
        })
    }

    fn send_streaming(
        &self,
        request: http::Request<Body>,
    ) -> BoxFuture<'_, Result<Response<BodyStream>, TransportError>> {
        Box::pin(async move {
            let client = self.client_for(&request);
            let (mut parts, body) = request.into_parts();
            let body = match body.into_bytes() {
                Ok(bytes) => reqwest::Body::from(bytes),
                Err(stream) => {
                    parts
                        .headers
                        .insert(http::header::CONTENT_LENGTH, stream.len().into());
                    reqwest::Body::wrap_stream(stream)
                }
            };
            let request = http::Request::from_parts(parts, body);
            let request = reqwest::Request::try_from(request).map_err(classify)?;
            let mut response = client.execute(request).await.map_err(classify)?;
            let head = take_head(&mut response);
            let chunks = Chunks(Box::pin(response.bytes_stream()));
            Ok(head.map(|()| BodyStream::new(chunks)))
        })
    }
}

/// The whole body of `response`, chunk by chunk: one chunk as it came, more gathered in one
/// buffer. Not `Response::bytes`, whose future holds the response a second time and a list
/// of the chunks (an allocation even for one).
async fn read_body(response: &mut reqwest::Response) -> reqwest::Result<Bytes> {
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    let mut body = Vec::with_capacity(first.len() + second.len());
    body.extend_from_slice(&first);
    body.extend_from_slice(&second);
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(body))
}

/// The status, version and headers of `response`, its body left to read.
fn take_head(response: &mut reqwest::Response) -> Response<()> {
    let mut head = Response::new(());
    *head.status_mut() = response.status();
    *head.version_mut() = response.version();
    *head.headers_mut() = std::mem::take(response.headers_mut());
    head
}

/// A reqwest body stream, its errors classified.
struct Chunks(std::pin::Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>);

impl Stream for Chunks {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        (self.0.as_mut().poll_next(cx)).map(|chunk| chunk.map(|chunk| chunk.map_err(classify)))
    }
}

/// The reqwest request of `request`. `reqwest::Request::try_from` would do, but it writes the
/// URL into a `String` that grows as it goes; this writes it once into one of its size. The
/// request's extensions stay behind: the only one the pipeline sets,
/// [`RedirectsFollowedByClient`], is read before.
fn to_reqwest(request: http::Request<Bytes>) -> Result<reqwest::Request, TransportError> {
    let (parts, body) = request.into_parts();
    let uri = &parts.uri;
    let length = uri.scheme_str().map_or(0, |scheme| scheme.len() + 3)
        + uri
            .authority()
            .map_or(0, |authority| authority.as_str().len())
        + uri.path_and_query().map_or(1, |path| path.as_str().len());
    let mut url = String::with_capacity(length);
    // Writing into a `String` cannot fail.
    let _ = write!(url, "{uri}");
    let url = reqwest::Url::parse(&url).map_err(|error| {
        TransportError::new(TransportErrorKind::Other, "the request URL is not valid")
            .with_source(error)
    })?;
    let mut converted = reqwest::Request::new(parts.method, url);
    *converted.headers_mut() = parts.headers;
    *converted.version_mut() = parts.version;
    *converted.body_mut() = Some(body.into());
    Ok(converted)
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
    // reqwest's error is the source, and what caused it ("Connection refused") its sources,
    // not repeated here. Its URL goes: the message names the request with its query redacted.
    TransportError::new(kind, what).with_source(error.without_url())
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpListener};
    use std::thread::{self, JoinHandle};

    use http::header::AUTHORIZATION;

    use super::*;

    /// Accepts one connection, reads the request head, writes `response` and closes;
    /// returns the request head.
    fn serve_once(response: String) -> (SocketAddr, JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let server = thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut head = Vec::new();
            let mut byte = [0];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap() == 1 {
                head.push(byte[0]);
            }
            stream.write_all(response.as_bytes()).unwrap();
            String::from_utf8(head).unwrap()
        });
        (address, server)
    }

    fn transport() -> ReqwestTransport {
        ReqwestTransport::from_client(reqwest::Client::builder().no_proxy().build().unwrap())
    }

    fn get(url: String) -> http::Request<Bytes> {
        let mut request = http::Request::new(Bytes::new());
        *request.uri_mut() = url.parse().unwrap();
        request
            .headers_mut()
            .insert(AUTHORIZATION, "Bearer SECRET".parse().unwrap());
        request
    }

    #[tokio::test]
    async fn maps_request_and_response() {
        let (address, server) = serve_once(
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nContent-Length: 5\r\n\r\nhello"
                .into(),
        );
        let response = transport()
            .send(get(format!("http://{address}/v1.0/me")))
            .await
            .unwrap();
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()["retry-after"], "2");
        assert_eq!(&response.body()[..], b"hello");
        let head = server.join().unwrap().to_ascii_lowercase();
        assert!(head.starts_with("get /v1.0/me http/1.1\r\n"), "{head}");
        assert!(head.contains("authorization: bearer secret\r\n"), "{head}");
    }

    #[tokio::test]
    async fn a_body_in_several_chunks_arrives_whole_and_an_empty_one_empty() {
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                       5\r\n{\"a\":\r\n1\r\n1\r\n3\r\n,2}\r\n0\r\n\r\n";
        let (address, server) = serve_once(chunked.into());
        let response = transport()
            .send(get(format!("http://{address}/")))
            .await
            .unwrap();
        assert_eq!(&response.body()[..], br#"{"a":1,2}"#);
        server.join().unwrap();
        let (address, server) = serve_once("HTTP/1.1 204 No Content\r\n\r\n".into());
        let response = transport()
            .send(get(format!("http://{address}/")))
            .await
            .unwrap();
        assert_eq!(
            (response.status().as_u16(), response.body().len()),
            (204, 0)
        );
        server.join().unwrap();
    }

    #[tokio::test]
    async fn classifies_failures() {
        let address = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let error = transport()
            .send(get(format!("http://{address}/")))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Connect, "{error}");
        // The whole chain, each message once, and no URL in reqwest's.
        let chain: Vec<String> =
            std::iter::successors(Some(&error as &dyn std::error::Error), |e| e.source())
                .map(ToString::to_string)
                .collect();
        assert!(chain.len() > 2, "{chain:?}");
        let last = chain.last().unwrap();
        assert!(
            chain.iter().filter(|m| m.contains(last.as_str())).count() == 1,
            "{chain:?}"
        );
        assert!(
            !chain.iter().any(|m| m.contains(&address.to_string())),
            "{chain:?}"
        );

        let (address, server) = serve_once(String::new());
        let error = transport()
            .send(get(format!("http://{address}/")))
            .await
            .unwrap_err();
        assert_eq!(
            error.kind(),
            TransportErrorKind::Interrupted,
            "closed without an answer: {error}"
        );
        server.join().unwrap();

        let (address, server) =
            serve_once("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\ncut".into());
        let error = transport()
            .send(get(format!("http://{address}/")))
            .await
            .unwrap_err();
        assert_eq!(
            error.kind(),
            TransportErrorKind::Interrupted,
            "body cut short: {error}"
        );
        server.join().unwrap();
    }

    #[tokio::test]
    async fn streams_a_request_body_with_its_length_and_a_response_body_in_chunks() {
        use futures_util::StreamExt;

        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let server = thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut received = Vec::new();
            let mut byte = [0];
            while !received.ends_with(b"upload") && stream.read(&mut byte).unwrap() == 1 {
                received.push(byte[0]);
            }
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
                .unwrap();
            stream.flush().unwrap();
            thread::sleep(std::time::Duration::from_millis(50));
            stream.write_all(b"2\r\nde\r\n0\r\n\r\n").unwrap();
            String::from_utf8(received).unwrap()
        });
        let chunks = ["up", "lo", "ad"].map(|part| Ok(Bytes::from(part)));
        let body = Body::stream(6, futures_util::stream::iter(chunks));
        let mut request = http::Request::new(body);
        *request.method_mut() = http::Method::PUT;
        *request.uri_mut() = format!("http://{address}/content").parse().unwrap();
        let response = transport().send_streaming(request).await.unwrap();
        assert_eq!(response.status(), 200);
        let chunks: Vec<Bytes> = response
            .into_body()
            .map(|chunk| chunk.unwrap())
            .collect()
            .await;
        assert_eq!(chunks, ["abc", "de"]);
        let received = server.join().unwrap().to_ascii_lowercase();
        assert!(received.contains("content-length: 6\r\n"), "{received}");
        assert!(!received.contains("transfer-encoding"), "{received}");
        assert!(received.ends_with("\r\n\r\nupload"), "{received}");
    }

    #[tokio::test]
    async fn redirects_to_another_host_drop_the_token() {
        let (target, target_server) = serve_once("HTTP/1.1 204 No Content\r\n\r\n".into());
        let (origin, origin_server) = serve_once(format!(
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://{target}/next\r\nContent-Length: 0\r\n\r\n"
        ));
        let response = transport()
            .send(get(format!("http://{origin}/start")))
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
        assert!(
            origin_server
                .join()
                .unwrap()
                .to_ascii_lowercase()
                .contains("authorization")
        );
        let redirected = target_server.join().unwrap().to_ascii_lowercase();
        assert!(redirected.starts_with("get /next "), "{redirected}");
        assert!(!redirected.contains("authorization"), "{redirected}");
    }
}
