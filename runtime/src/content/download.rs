//! [`Download`]: a request for content, and [`ContentStream`]: its body as it arrives.

use std::fmt;
use std::future::IntoFuture;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HeaderName};
use http::{HeaderMap, HeaderValue, Method};

use crate::client::Client;
use crate::error::{ApiError, Error};
use crate::pipeline::exchange::{self, Payload};
use crate::pipeline::{bare, redirect, retry};
use crate::request::{Request, header_pair};
use crate::text::RedactedUrl;
use crate::transport::{BodyStream, BoxFuture, TransportError, TransportErrorKind};

/// A request for content that has not been sent: awaiting it sends `GET` through the
/// client's pipeline and gives a [`ContentStream`] as soon as the answer's first bytes
/// arrived.
///
/// Made by [`EntityPath::content`](crate::EntityPath::content),
/// [`value`](crate::EntityPath::value) and [`download`](crate::EntityPath::download).
/// A redirect (`302`, `303`, `307`, …) to a pre-authenticated URL is followed without the
/// token or any other header of the request. Retries (as the client's
/// [`RetryPolicy`](crate::RetryPolicy) says: a `503`, a `429`, a failed or cut connection)
/// happen only until the first byte of a `2xx` answer arrived, before it is handed out; a
/// fault after that ends the stream with an error.
///
/// ```
/// # use graph_resource_runtime::{EntityPath, Error, MockResponse, MockTransport};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::new(200).header("content-type", "text/plain").body("hello").chunks(2));
/// # let client = mock.client_builder().build()?;
/// // In an SDK: `DriveItem::at(&client, "d1", "i1").content()`.
/// let item = EntityPath::<serde_json::Value>::root(&client, "/drives/d1/items/i1");
/// let content = item.content().await?;
/// assert_eq!(content.content_type(), Some("text/plain"));
/// assert_eq!(content.bytes(1 << 20).await?, "hello");
/// # Ok(())
/// # }
/// ```
#[must_use = "a download does nothing until it is awaited"]
pub struct Download {
    target: Target,
}

/// Where a download's `GET` goes.
enum Target {
    /// Graph, through the client's pipeline with the token.
    Graph(Box<Request<Bytes>>),
    /// A pre-authenticated URL (an export's `url`): bare `GET`s without the token or any
    /// header of the client's, retried as its policy allows.
    Bare {
        client: Client,
        url: String,
        /// The headers to send, or the first invalid one's error.
        headers: Result<HeaderMap, Error>,
    },
}

impl Download {
    pub(crate) fn new(request: Request<Bytes>) -> Self {
        Download {
            target: Target::Graph(Box::new(request)),
        }
    }

    /// A download of `url`, which authorizes by itself, sent with none of the client's
    /// headers.
    pub(crate) fn bare(client: &Client, url: &str) -> Self {
        Download {
            target: Target::Bare {
                client: client.clone(),
                url: url.to_owned(),
                headers: Ok(HeaderMap::new()),
            },
        }
    }

    /// Adds a header to the request, such as `Range: bytes=0-1023` or `If-None-Match`; as
    /// [`Request::header`] says.
    pub fn header<K, V>(self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        let target = match self.target {
            Target::Graph(request) => Target::Graph(Box::new(request.header(name, value))),
            Target::Bare {
                client,
                url,
                headers,
            } => Target::Bare {
                client,
                url,
                headers: headers.and_then(|mut headers| {
                    let (name, value) = header_pair(name, value)?;
                    headers.append(name, value);
                    Ok(headers)
                }),
            },
        };
        Download { target }
    }
}

impl IntoFuture for Download {
    type Output = Result<ContentStream, Error>;
    type IntoFuture = BoxFuture<'static, Result<ContentStream, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            match self.target {
                Target::Graph(request) => {
                    let (client, mut call) = request.into_call()?;
                    (call.headers.entry(ACCEPT)).or_insert(HeaderValue::from_static("*/*"));
                    let response = client
                        .pipeline()
                        .send_content::<BodyStream>(&call, None)
                        .await?;
                    Ok(ContentStream::new(response, call.method, call.url))
                }
                Target::Bare {
                    client,
                    url,
                    headers,
                } => {
                    let headers = headers?;
                    let pipeline = client.pipeline();
                    let get = Method::GET;
                    let response = retry::send(&pipeline.retry, &*pipeline.sleep, &get, |_| {
                        bare_get(pipeline, &url, headers.clone())
                    })
                    .await?;
                    Ok(ContentStream::new(response, get, url))
                }
            }
        })
    }
}

/// One attempt of a bare download: `GET url`, its redirects followed bare too.
async fn bare_get(
    pipeline: &crate::pipeline::Pipeline,
    url: &str,
    headers: HeaderMap,
) -> Result<http::Response<BodyStream>, Error> {
    let nothing = Payload::Bytes(Bytes::new());
    let response = bare::exchange(pipeline, &Method::GET, url, headers, nothing).await?;
    if redirect::redirects(response.status()) {
        redirect::follow(pipeline, url, response).await
    } else if response.status().is_success() {
        Ok(response)
    } else {
        let response = exchange::error_response(response).await;
        let error = ApiError::from_response(&Method::GET, url, response);
        Err(Error::Api(Box::new(error)))
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.target {
            Target::Graph(request) => f.debug_tuple("Download").field(request).finish(),
            Target::Bare { url, headers, .. } => f
                .debug_struct("Download")
                .field("url", &RedactedUrl(url).to_string())
                .field("headers", headers)
                .finish_non_exhaustive(),
        }
    }
}

/// The `Content-Length` of a response, when it has a readable one.
fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// Downloaded content: a [`Stream`] of its chunks as they arrive, in constant memory
/// whatever the size, with the `Content-Length` and `Content-Type` Graph gave.
///
/// A connection that fails mid-body ends the stream with an [`Error::Transport`] that
/// says how many bytes were received (and of how many), so is a body that ends before its
/// `Content-Length`. Nothing is retried once the stream is handed out: a `Range` request
/// ([`Download::header`]) from [`received`](ContentStream::received) resumes it.
///
/// [`bytes`](ContentStream::bytes) collects it (up to a limit) and, with the `tokio`
/// feature, [`write_to`](ContentStream::write_to) copies it into an `AsyncWrite`.
pub struct ContentStream {
    body: BodyStream,
    /// Bytes handed out so far.
    received: u64,
    length: Option<u64>,
    headers: HeaderMap,
    /// The request, for errors.
    method: Method,
    url: String,
    /// Whether the stream ended, with its last chunk or an error.
    done: bool,
}

impl ContentStream {
    /// The body of `response`, the answer to `method url`.
    fn new(response: http::Response<BodyStream>, method: Method, url: String) -> Self {
        let (parts, body) = response.into_parts();
        ContentStream {
            body,
            received: 0,
            length: content_length(&parts.headers),
            headers: parts.headers,
            method,
            url,
            done: false,
        }
    }

    /// The length Graph announced (`Content-Length`), if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.length
    }

    /// The media type Graph gave (`Content-Type`), such as `text/csv`, if it did.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE)?.to_str().ok()
    }

    /// Every header of the answer.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// How many bytes were handed out so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Reads the whole content into memory: at most `limit` bytes, and a longer content
    /// (by its `Content-Length`, before reading, or as it arrives) is an error that says so.
    pub async fn bytes(mut self, limit: usize) -> Result<Bytes, Error> {
        let limit_u64 = u64::try_from(limit).unwrap_or(u64::MAX);
        if let Some(length) = self.length.filter(|length| *length > limit_u64) {
            return Err(self.over_limit(limit, &format!("its length is {length}")));
        }
        let capacity = self.length.and_then(|length| usize::try_from(length).ok());
        let capacity = capacity.unwrap_or(0);
        let mut whole = BytesMut::with_capacity(capacity);
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            if whole.len().saturating_add(chunk.len()) > limit {
                let received = self.received;
                return Err(self.over_limit(limit, &format!("{received} bytes arrived")));
            }
            whole.extend_from_slice(&chunk);
        }
        Ok(whole.freeze())
    }

    /// Copies the content into `writer` as it arrives, such as a `tokio::fs::File`, then
    /// flushes it; returns the number of bytes written. A failed write is an
    /// [`Error::Io`].
    ///
    /// ```no_run
    /// # use graph_resource_runtime::{EntityPath, Error};
    /// # async fn save(item: EntityPath<serde_json::Value>) -> Result<(), Error> {
    /// let mut file = tokio::fs::File::create("report.csv").await.map_err(Error::Io)?;
    /// let written = item.content().await?.write_to(&mut file).await?;
    /// # let _ = written;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "tokio")]
    pub async fn write_to<W>(mut self, writer: &mut W) -> Result<u64, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt;

        while let Some(chunk) = self.next().await {
            writer.write_all(&chunk?).await.map_err(Error::Io)?;
        }
        writer.flush().await.map_err(Error::Io)?;
        Ok(self.received)
    }

    /// The next chunk, `None` at the end.
    async fn next(&mut self) -> Option<Result<Bytes, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The error of a content longer than `limit`, as `found` says.
    fn over_limit(&self, limit: usize, found: &str) -> Error {
        let message = format!(
            "the content is longer than the {limit} bytes expected at most ({found}): read it \
             as a stream or raise the limit"
        );
        self.transport_error(TransportError::new(TransportErrorKind::Other, message))
    }

    fn transport_error(&self, error: TransportError) -> Error {
        Error::Transport(error.for_request(&self.method, &self.url))
    }

    /// How much arrived, for the error of a body that stopped.
    fn so_far(&self) -> String {
        let received = self.received;
        match self.length {
            Some(length) => format!("{received} of {length} bytes"),
            None => format!("{received} bytes"),
        }
    }
}

impl Stream for ContentStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let error = match Pin::new(&mut this.body).poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => {
                this.received = this.received.saturating_add(chunk.len() as u64);
                return Poll::Ready(Some(Ok(chunk)));
            }
            Poll::Ready(Some(Err(cause))) => {
                let message = format!("the content was cut after {}", this.so_far());
                TransportError::new(cause.kind(), message).with_source(cause)
            }
            Poll::Ready(None) if this.length.is_some_and(|length| this.received < length) => {
                let message = format!("the content ended after {}", this.so_far());
                TransportError::new(TransportErrorKind::Interrupted, message)
            }
            Poll::Ready(None) => {
                this.done = true;
                return Poll::Ready(None);
            }
        };
        this.done = true;
        Poll::Ready(Some(Err(this.transport_error(error))))
    }
}

impl fmt::Debug for ContentStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContentStream")
            .field("content_length", &self.length)
            .field("content_type", &self.content_type())
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}
