//! Timers for retry delays and timeouts: tokio's, or one helper thread for any executor.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

use crate::sync::lock;
use crate::transport::BoxFuture;

/// An async timer: what the [`Client`](crate::Client) awaits between retries and races
/// against each request for its timeout.
///
/// The default is `TokioSleep` with the `tokio` feature (on with the default `reqwest`
/// feature), else [`ThreadSleep`]. Neither blocks an executor thread.
pub trait Sleep: Send + Sync + Debug {
    /// A future that completes once `duration` has passed.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// [`Sleep`] on tokio's timer when called inside a tokio runtime, else on [`ThreadSleep`], so
/// that a client driven by another executor still works. A tokio runtime built without its
/// timer (`enable_time`) cannot be told apart, and tokio panics there: `#[tokio::main]` and
/// `#[tokio::test]` enable the timer.
#[cfg(feature = "tokio")]
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

#[cfg(feature = "tokio")]
impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        if tokio::runtime::Handle::try_current().is_ok() {
            Box::pin(tokio::time::sleep(duration))
        } else {
            ThreadSleep.sleep(duration)
        }
    }
}

/// [`Sleep`] for any executor: one helper thread, started on first use, wakes every pending
/// timer of the process when its deadline passes. The awaiting task never blocks a thread.
///
/// A timer dropped before its deadline costs a few bytes in the helper until that deadline.
/// Should the helper thread fail to start, timers end at once.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadSleep;

impl Sleep for ThreadSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(Timer {
            deadline: Instant::now().checked_add(duration),
            state: None,
        })
    }
}

/// The default [`Sleep`]: `TokioSleep` with the `tokio` feature, else [`ThreadSleep`].
pub(crate) fn default_sleep() -> Arc<dyn Sleep> {
    #[cfg(feature = "tokio")]
    let sleep = TokioSleep;
    #[cfg(not(feature = "tokio"))]
    let sleep = ThreadSleep;
    Arc::new(sleep)
}

/// A future of [`ThreadSleep`].
struct Timer {
    /// `None` when the deadline is too far to represent: the timer never ends.
    deadline: Option<Instant>,
    /// Shared with the helper thread once registered.
    state: Option<Arc<Mutex<TimerState>>>,
}

#[derive(Default)]
struct TimerState {
    fired: bool,
    waker: Option<Waker>,
}

impl Future for Timer {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let Some(deadline) = self.deadline else {
            return Poll::Pending;
        };
        if Instant::now() >= deadline {
            return Poll::Ready(());
        }
        if let Some(state) = &self.state {
            let mut state = lock(state);
            if state.fired {
                return Poll::Ready(());
            }
            state.waker = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let state = Arc::new(Mutex::new(TimerState {
            fired: false,
            waker: Some(cx.waker().clone()),
        }));
        if !register(deadline, Arc::downgrade(&state)) {
            return Poll::Ready(());
        }
        self.state = Some(state);
        Poll::Pending
    }
}

type TimerEntry = (Instant, Weak<Mutex<TimerState>>);

/// Hands a timer to the helper thread; `false` when there is no helper thread.
fn register(deadline: Instant, state: Weak<Mutex<TimerState>>) -> bool {
    static HELPER: OnceLock<Option<Sender<TimerEntry>>> = OnceLock::new();
    let helper = HELPER.get_or_init(|| {
        let (sender, receiver) = mpsc::channel();
        let spawned = thread::Builder::new()
            .name("graph-resource-timer".into())
            .spawn(move || run_timers(receiver));
        spawned.ok().map(|_| sender)
    });
    helper
        .as_ref()
        .is_some_and(|sender| sender.send((deadline, state)).is_ok())
}

/// The helper thread: fires due timers, then waits for the next deadline or a new timer.
fn run_timers(receiver: Receiver<TimerEntry>) {
    let mut timers: BTreeMap<(Instant, u64), Weak<Mutex<TimerState>>> = BTreeMap::new();
    let mut next_id = 0u64;
    loop {
        let now = Instant::now();
        while let Some(entry) = timers.first_entry() {
            if entry.key().0 > now {
                break;
            }
            if let Some(state) = Weak::upgrade(&entry.remove()) {
                let waker = {
                    let mut state = lock(&state);
                    state.fired = true;
                    state.waker.take()
                };
                if let Some(waker) = waker {
                    waker.wake();
                }
            }
        }
        let received = match timers.first_key_value() {
            Some(((deadline, _), _)) => {
                receiver.recv_timeout(deadline.saturating_duration_since(now))
            }
            None => receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match received {
            Ok((deadline, state)) => {
                timers.insert((deadline, next_id), state);
                next_id = next_id.wrapping_add(1);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::task::Waker;

    use super::*;

    /// Runs `future` on this thread, parking it until woken.
    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        struct Unpark(std::thread::Thread);
        impl std::task::Wake for Unpark {
            fn wake(self: std::sync::Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Waker::from(std::sync::Arc::new(Unpark(std::thread::current())));
        let mut context = Context::from_waker(&waker);
        let mut future = std::pin::pin!(future);
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
                return output;
            }
            std::thread::park();
        }
    }

    #[cfg(feature = "tokio")]
    #[test]
    fn tokio_sleep_outside_a_tokio_runtime_uses_the_thread_timer() {
        let start = std::time::Instant::now();
        block_on(TokioSleep.sleep(Duration::from_millis(30)));
        assert!(start.elapsed() >= Duration::from_millis(30));
    }

    #[test]
    fn thread_sleep_wakes_a_task_of_any_executor() {
        let start = std::time::Instant::now();
        block_on(ThreadSleep.sleep(Duration::from_millis(30)));
        assert!(start.elapsed() >= Duration::from_millis(30));
    }

    #[tokio::test]
    async fn thread_sleep_waits_without_blocking_the_executor() {
        let start = Instant::now();
        // One executor thread: the two sleeps overlap only if neither blocks it.
        tokio::join!(
            ThreadSleep.sleep(Duration::from_millis(300)),
            ThreadSleep.sleep(Duration::from_millis(300))
        );
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_millis(300) && elapsed < Duration::from_millis(600),
            "{elapsed:?}"
        );
        ThreadSleep.sleep(Duration::ZERO).await;
    }

    #[test]
    fn thread_sleep_beyond_representable_time_never_ends() {
        let mut endless = ThreadSleep.sleep(Duration::MAX);
        assert!(
            endless
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()))
                .is_pending()
        );
    }
}
