//! Runs a future that never waits: a `MockTransport` answers at once, and nothing that uses
//! this sleeps.

use std::future::Future;
use std::task::{Context, Poll, Waker};

/// Polls `future` once; it must be ready.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the call waited, but nothing here ever makes it wait"),
    }
}
