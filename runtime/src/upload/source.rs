//! Where an upload's bytes come from: [`UploadSource`], read one fragment at a time and only
//! forward, for bytes in memory and (feature `tokio`) any `tokio::io::AsyncRead`.

use std::io;

use bytes::Bytes;

use crate::transport::BoxFuture;

/// The content of an upload, read forward one fragment at a time: the session never holds
/// more than one fragment of it.
///
/// [`Bytes`] (and `Vec<u8>` through `Bytes::from`) is one; with the `tokio` feature,
/// [`ReaderSource`] wraps a `tokio::fs::File` or any other `AsyncRead`. Implement it for
/// another reader: `read` fills a buffer from the current position, `skip` moves forward
/// past bytes the session already has (when resuming).
pub trait UploadSource: Send {
    /// The size of the content in bytes: the `total` of every `Content-Range`.
    fn len(&self) -> u64;

    /// Whether the content is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads up to `buf.len()` bytes from the current position and moves past them; 0 only
    /// at the end.
    fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> BoxFuture<'a, io::Result<usize>>;

    /// Moves `count` bytes forward without handing them out; by default it reads them into
    /// a scratch buffer of at most 64 KiB. A reader that can seek should.
    fn skip(&mut self, count: u64) -> BoxFuture<'_, io::Result<()>> {
        Box::pin(async move {
            let mut scratch = vec![0; usize::try_from(count.min(64 * 1024)).unwrap_or(64 * 1024)];
            let mut left = count;
            while left > 0 {
                let want =
                    usize::try_from(left).map_or(scratch.len(), |left| left.min(scratch.len()));
                let buf = scratch.get_mut(..want).unwrap_or_default();
                let read = self.read(buf).await?;
                if read == 0 {
                    return Err(ended_early());
                }
                left -= read as u64;
            }
            Ok(())
        })
    }
}

/// The content ended before its announced length.
pub(crate) fn ended_early() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the upload's content ended before its announced length",
    )
}

/// Bytes in memory, copied into the fragment being sent one fragment at a time.
impl UploadSource for Bytes {
    fn len(&self) -> u64 {
        Bytes::len(self) as u64
    }

    fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> BoxFuture<'a, io::Result<usize>> {
        let count = buf.len().min(Bytes::len(self));
        let head = self.split_to(count);
        if let Some(target) = buf.get_mut(..count) {
            target.copy_from_slice(&head);
        }
        Box::pin(std::future::ready(Ok(count)))
    }

    fn skip(&mut self, count: u64) -> BoxFuture<'_, io::Result<()>> {
        let result = match usize::try_from(count) {
            Ok(count) if count <= Bytes::len(self) => {
                let _ = self.split_to(count);
                Ok(())
            }
            _ => Err(ended_early()),
        };
        Box::pin(std::future::ready(result))
    }
}

/// Any `tokio::io::AsyncRead` of a known length as an [`UploadSource`]: a
/// `tokio::fs::File`, a socket, a decompressor. Read forward only; resuming skips by
/// reading (seek the reader yourself and give the rest's length to start further in).
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use graph_resource_runtime::ReaderSource;
///
/// let file = tokio::fs::File::open("report.pdf").await?;
/// let len = file.metadata().await?.len();
/// let source = ReaderSource::new(file, len);
/// # let _ = source;
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "tokio")]
#[derive(Debug)]
pub struct ReaderSource<R> {
    reader: R,
    len: u64,
}

#[cfg(feature = "tokio")]
impl<R> ReaderSource<R> {
    /// `reader`, which holds `len` bytes from its current position.
    pub fn new(reader: R, len: u64) -> Self {
        ReaderSource { reader, len }
    }
}

#[cfg(feature = "tokio")]
impl<R: tokio::io::AsyncRead + Unpin + Send> UploadSource for ReaderSource<R> {
    fn len(&self) -> u64 {
        self.len
    }

    fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> BoxFuture<'a, io::Result<usize>> {
        Box::pin(std::future::poll_fn(move |cx| {
            let mut buf = tokio::io::ReadBuf::new(buf);
            std::pin::Pin::new(&mut self.reader)
                .poll_read(cx, &mut buf)
                .map_ok(|()| buf.filled().len())
        }))
    }
}

/// Fills `buf` from `source`; an early end is an error.
pub(crate) async fn read_exact(source: &mut dyn UploadSource, buf: &mut [u8]) -> io::Result<()> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        match source.read(rest).await {
            Ok(0) => return Err(ended_early()),
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}
