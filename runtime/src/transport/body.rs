//! Bodies that stream: a request [`Body`] (bytes, or a stream of known length) and a
//! response [`BodyStream`] (chunks as they arrive).

use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

use super::{TransportError, TransportErrorKind};

/// A boxed stream of request chunks, as a caller's file or generator gives them.
type ChunkStream = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + Send>>;

/// The body of a request sent through [`Transport::send_streaming`](super::Transport::send_streaming):
/// bytes in memory, or a stream of chunks whose total length is known before the first is
/// sent (it is the `Content-Length`).
///
/// As a [`Stream`] it yields its chunks; a stream that ends before its declared length, or
/// goes past it, ends with an [`io::ErrorKind::InvalidData`] error that says both lengths.
///
/// ```
/// use bytes::Bytes;
/// use graph_resource_runtime::Body;
///
/// let whole = Body::from("hello");
/// assert_eq!(whole.len(), 5);
///
/// let chunks = [Ok(Bytes::from("hel")), Ok(Bytes::from("lo"))];
/// let streamed = Body::stream(5, futures_util::stream::iter(chunks));
/// assert_eq!(streamed.len(), 5);
/// assert!(streamed.as_bytes().is_none());
/// ```
pub struct Body {
    inner: Inner,
}

enum Inner {
    /// The whole body, taken by the first poll.
    Bytes(Option<Bytes>),
    Stream {
        stream: ChunkStream,
        length: u64,
        /// Bytes the stream gave so far.
        sent: u64,
        /// Whether the stream is over (ended or failed).
        done: bool,
    },
}

impl Body {
    /// A body of `length` bytes read from `stream` as it is sent, such as a file read in
    /// chunks: the whole content is never in memory.
    pub fn stream<S>(length: u64, stream: S) -> Body
    where
        S: Stream<Item = Result<Bytes, io::Error>> + Send + 'static,
    {
        Body {
            inner: Inner::Stream {
                stream: Box::pin(stream),
                length,
                sent: 0,
                done: false,
            },
        }
    }

    /// The length in bytes: the `Content-Length` to send.
    pub fn len(&self) -> u64 {
        match &self.inner {
            Inner::Bytes(bytes) => bytes.as_ref().map_or(0, |bytes| bytes.len() as u64),
            Inner::Stream { length, .. } => *length,
        }
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of a body held in memory; `None` for a stream.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            Inner::Bytes(bytes) => bytes.as_ref(),
            Inner::Stream { .. } => None,
        }
    }

    /// The bytes of a body held in memory, or the body itself when it is a stream: a
    /// transport sends the first without streaming.
    pub fn into_bytes(self) -> Result<Bytes, Body> {
        match self.inner {
            Inner::Bytes(bytes) => Ok(bytes.unwrap_or_default()),
            inner @ Inner::Stream { .. } => Err(Body { inner }),
        }
    }

    /// Reads the whole body into memory. A failing or wrongly sized stream is an error of
    /// kind [`Other`](TransportErrorKind::Other): the stream is spent, so nothing can be
    /// sent again.
    pub async fn read_all(self) -> Result<Bytes, TransportError> {
        let mut body = match self.into_bytes() {
            Ok(bytes) => return Ok(bytes),
            Err(body) => body,
        };
        let capacity = usize::try_from(body.len())
            .unwrap_or(usize::MAX)
            .min(1 << 24);
        let mut whole = BytesMut::with_capacity(capacity);
        while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_next(cx)).await {
            let chunk = chunk.map_err(|error| {
                TransportError::new(
                    TransportErrorKind::Other,
                    "could not read the request body's stream",
                )
                .with_source(error)
            })?;
            whole.extend_from_slice(&chunk);
        }
        Ok(whole.freeze())
    }
}

impl Stream for Body {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let (stream, length, sent, done) = match &mut this.inner {
            Inner::Bytes(bytes) => return Poll::Ready(bytes.take().map(Ok)),
            Inner::Stream {
                stream,
                length,
                sent,
                done,
            } => (stream, *length, sent, done),
        };
        if *done {
            return Poll::Ready(None);
        }
        let wrong_length = |received: u64, more: &str| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the request body's stream gave {more}{received} bytes, but its length was \
                     given as {length}"
                ),
            )
        };
        let item = match stream.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => {
                *sent = sent.saturating_add(chunk.len() as u64);
                if *sent > length {
                    Err(wrong_length(*sent, "at least "))
                } else {
                    Ok(chunk)
                }
            }
            Poll::Ready(Some(Err(error))) => Err(error),
            Poll::Ready(None) if *sent < length => Err(wrong_length(*sent, "")),
            Poll::Ready(None) => {
                *done = true;
                return Poll::Ready(None);
            }
        };
        *done = item.is_err();
        Poll::Ready(Some(item))
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Body {
            inner: Inner::Bytes(Some(bytes)),
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body::from(Bytes::from(bytes))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Body::from(Bytes::from(text))
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Body::from(Bytes::from_static(text.as_bytes()))
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Body::from(Bytes::from_static(bytes))
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.inner {
            Inner::Bytes(_) => "bytes",
            Inner::Stream { .. } => "stream",
        };
        f.debug_struct("Body")
            .field("kind", &kind)
            .field("len", &self.len())
            .finish()
    }
}

/// A boxed stream of response chunks, as a transport reads them.
type ResponseStream = Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send>>;

/// The body of a response from [`Transport::send_streaming`](super::Transport::send_streaming):
/// a [`Stream`] of its chunks as they arrive. A connection that fails mid-body ends it
/// with the [`TransportError`].
///
/// ```
/// use bytes::Bytes;
/// use graph_resource_runtime::BodyStream;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), graph_resource_runtime::TransportError> {
/// let chunks = [Ok(Bytes::from("a,b\n")), Ok(Bytes::from("1,2\n"))];
/// let body = BodyStream::new(futures_util::stream::iter(chunks));
/// assert_eq!(body.read_all(1024).await?, "a,b\n1,2\n");
/// # Ok(())
/// # }
/// ```
pub struct BodyStream {
    inner: Chunks,
}

enum Chunks {
    /// A body read whole already: one chunk, or none when it is empty.
    Whole(Option<Bytes>),
    Stream {
        /// A chunk read before the stream was handed on, given first.
        first: Option<Bytes>,
        rest: ResponseStream,
    },
}

impl BodyStream {
    /// A body read from `stream`.
    pub fn new<S>(stream: S) -> BodyStream
    where
        S: Stream<Item = Result<Bytes, TransportError>> + Send + 'static,
    {
        BodyStream {
            inner: Chunks::Stream {
                first: None,
                rest: Box::pin(stream),
            },
        }
    }

    /// Reads the first chunk, so that a failure before any byte arrived fails the attempt
    /// (and is retried as the policy says) instead of the stream handed out; the chunk is
    /// given again first.
    pub(crate) async fn peeked(mut self) -> Result<BodyStream, TransportError> {
        let Some(chunk) = self.next().await.transpose()? else {
            return Ok(BodyStream::from(Bytes::new()));
        };
        Ok(match self.inner {
            Chunks::Whole(_) => BodyStream::from(chunk),
            Chunks::Stream { rest, .. } => BodyStream {
                inner: Chunks::Stream {
                    first: Some(chunk),
                    rest,
                },
            },
        })
    }

    /// Reads the whole body into memory, at most `limit` bytes: a longer body is an error
    /// of kind [`Other`](TransportErrorKind::Other) that says so, read no further.
    pub async fn read_all(mut self, limit: usize) -> Result<Bytes, TransportError> {
        let mut first = match self.next().await {
            None => return Ok(Bytes::new()),
            Some(chunk) => chunk?,
        };
        let too_long = || {
            TransportError::new(
                TransportErrorKind::Other,
                format!("the response body is longer than the {limit} bytes expected at most"),
            )
        };
        if first.len() > limit {
            return Err(too_long());
        }
        let Some(second) = self.next().await.transpose()? else {
            return Ok(first);
        };
        let mut whole = BytesMut::from(std::mem::take(&mut first));
        let mut chunk = Some(second);
        while let Some(bytes) = chunk {
            if whole.len().saturating_add(bytes.len()) > limit {
                return Err(too_long());
            }
            whole.extend_from_slice(&bytes);
            chunk = self.next().await.transpose()?;
        }
        Ok(whole.freeze())
    }

    /// The next chunk, `None` at the end.
    async fn next(&mut self) -> Option<Result<Bytes, TransportError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl Stream for BodyStream {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match &mut self.get_mut().inner {
            Chunks::Whole(bytes) => Poll::Ready(bytes.take().filter(|b| !b.is_empty()).map(Ok)),
            Chunks::Stream { first, rest } => match first.take() {
                Some(chunk) => Poll::Ready(Some(Ok(chunk))),
                None => rest.as_mut().poll_next(cx),
            },
        }
    }
}

impl From<Bytes> for BodyStream {
    fn from(bytes: Bytes) -> Self {
        BodyStream {
            inner: Chunks::Whole(Some(bytes)),
        }
    }
}

impl fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.inner {
            Chunks::Whole(_) => "whole",
            Chunks::Stream { .. } => "stream",
        };
        f.debug_struct("BodyStream").field("kind", &kind).finish()
    }
}

#[cfg(test)]
mod tests {
    use futures_util::stream;

    use super::*;

    fn chunks(parts: &[&'static str]) -> Vec<Result<Bytes, io::Error>> {
        parts.iter().map(|part| Ok(Bytes::from(*part))).collect()
    }

    #[tokio::test]
    async fn request_streams_of_the_declared_length_collect_whole() {
        let body = Body::stream(6, stream::iter(chunks(&["ab", "cd", "ef"])));
        assert_eq!(body.read_all().await.unwrap(), "abcdef");
        assert_eq!(Body::from("xyz").read_all().await.unwrap(), "xyz");
    }

    #[tokio::test]
    async fn request_streams_shorter_or_longer_than_declared_fail_with_both_lengths() {
        let short = Body::stream(6, stream::iter(chunks(&["ab", "cd"])));
        let error = short.read_all().await.unwrap_err();
        let source = std::error::Error::source(&error).unwrap().to_string();
        assert_eq!(
            source,
            "the request body's stream gave 4 bytes, but its length was given as 6"
        );
        let long = Body::stream(3, stream::iter(chunks(&["ab", "cd"])));
        let error = long.read_all().await.unwrap_err();
        let source = std::error::Error::source(&error).unwrap().to_string();
        assert_eq!(
            source,
            "the request body's stream gave at least 4 bytes, but its length was given as 3"
        );
    }

    #[tokio::test]
    async fn response_bodies_collect_within_their_limit_only() {
        let parts = || {
            ["ab", "cd"]
                .map(|part| Ok::<_, TransportError>(Bytes::from(part)))
                .into_iter()
                .collect::<Vec<_>>()
        };
        let body = BodyStream::new(stream::iter(parts()));
        assert_eq!(body.read_all(4).await.unwrap(), "abcd");
        let error = BodyStream::new(stream::iter(parts()))
            .read_all(3)
            .await
            .unwrap_err();
        assert_eq!(
            error.message(),
            "the response body is longer than the 3 bytes expected at most"
        );
        let whole = BodyStream::from(Bytes::from_static(b"abcd"));
        assert!(whole.read_all(3).await.is_err());
        assert_eq!(
            BodyStream::from(Bytes::new()).read_all(0).await.unwrap(),
            ""
        );
    }
}
