//! Runs a future that never waits: a `MockTransport` answers at once, and nothing that uses
//! this sleeps.

use std::future::IntoFuture;
use std::task::{Context, Poll, Waker};

/// Polls `future` (or a request value) once; it must be ready.
pub fn block_on<F: IntoFuture>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future.into_future());
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the call waited, but nothing here ever makes it wait"),
    }
}
