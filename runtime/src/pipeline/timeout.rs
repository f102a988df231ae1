//! The last step: the transport, raced against the per-attempt timeout.

use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};

use crate::sleep::{Sleep, within};
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
    within(sleep, timeout, transport.send(request))
        .await
        .unwrap_or_else(|| {
            let message = format!("no response within {timeout:?}");
            Err(TransportError::new(TransportErrorKind::Timeout, message))
        })
}
