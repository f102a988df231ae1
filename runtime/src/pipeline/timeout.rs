//! The last step: the transport, raced against the per-attempt timeout.

use std::future::Future;
use std::time::Duration;

use http::{Request, Response};

use super::exchange::{Payload, Received};
use crate::sleep::{Sleep, within};
use crate::transport::{Transport, TransportError, TransportErrorKind};

/// Sends `request` through `transport`, its response whole or streamed as `R` says; a
/// response whose head takes longer than `timeout` is a
/// [`Timeout`](TransportErrorKind::Timeout) error, and a streamed body is read later, at
/// the caller's pace. The timer starts only when the transport does not answer at once, so
/// an in-memory transport pays nothing for it.
pub(crate) async fn exchange<R: Received>(
    transport: &dyn Transport,
    sleep: &dyn Sleep,
    timeout: Duration,
    request: Request<Payload>,
) -> Result<Response<R>, TransportError> {
    race(sleep, timeout, R::send(transport, request)).await
}

async fn race<T>(
    sleep: &dyn Sleep,
    timeout: Duration,
    sending: impl Future<Output = Result<T, TransportError>>,
) -> Result<T, TransportError> {
    within(sleep, timeout, sending).await.unwrap_or_else(|| {
        let message = format!("no response within {timeout:?}");
        Err(TransportError::new(TransportErrorKind::Timeout, message))
    })
}
