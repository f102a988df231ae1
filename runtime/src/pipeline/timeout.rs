//! The last step: the transport, raced against the per-attempt timeout.

use std::future::poll_fn;
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};

use crate::sleep::Sleep;
use crate::transport::{Transport, TransportError, TransportErrorKind};

/// Sends `request` through `transport`; a response that takes longer than `timeout` is a
/// [`Timeout`](TransportErrorKind::Timeout) error. The timer starts only when the transport
/// does not answer at once, so an in-memory transport pays nothing for it.
pub(crate) async fn send(
    transport: &dyn Transport,
    sleep: &dyn Sleep,
    timeout: Duration,
    request: Request<Bytes>,
) -> Result<Response<Bytes>, TransportError> {
    let mut send = transport.send(request);
    let mut timer = None;
    poll_fn(|cx| {
        if let Poll::Ready(result) = send.as_mut().poll(cx) {
            return Poll::Ready(result);
        }
        let timer = timer.get_or_insert_with(|| sleep.sleep(timeout));
        timer.as_mut().poll(cx).map(|()| {
            let message = format!("no response within {timeout:?}");
            Err(TransportError::new(TransportErrorKind::Timeout, message))
        })
    })
    .await
}
