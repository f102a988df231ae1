//! The last step: the transport, raced against the per-attempt timeout.

use std::future::Future;

use http::{Method, Request, Response};

use super::Pipeline;
use super::exchange::{Payload, Received};
use crate::error::Error;
use crate::sleep::within;
use crate::transport::{TransportError, TransportErrorKind};

/// Sends `request` (the `method` call to `url`, as errors name it) through the pipeline's
/// transport, its response whole or streamed as `R` says; a response whose head takes
/// longer than the pipeline's timeout is a [`Timeout`](TransportErrorKind::Timeout) error,
/// and a streamed body is read later, at the caller's pace. The timer starts only when the
/// transport does not answer at once, so an in-memory transport pays nothing for it.
///
/// Not an `async fn`: one would keep `request` in its state for as long as the exchange
/// lasts, although the transport takes it at once; this future holds only the transport's.
pub(crate) fn exchange<'a, R: Received>(
    pipeline: &'a Pipeline,
    request: Request<Payload>,
    method: &'a Method,
    url: &'a str,
) -> impl Future<Output = Result<Response<R>, Error>> + 'a {
    let mut sending = within(
        &*pipeline.sleep,
        pipeline.timeout,
        R::send(&*pipeline.transport, request),
    );
    async move {
        // Awaited through a reference (`Within` of a boxed future is `Unpin`): awaited by
        // value, it would be moved into a second place in this future's state.
        let answered = (&mut sending).await.unwrap_or_else(|| {
            let message = format!("no response within {:?}", pipeline.timeout);
            Err(TransportError::new(TransportErrorKind::Timeout, message))
        });
        answered.map_err(|error| Error::Transport(error.for_request(method, url)))
    }
}
