//! Timers for retry delays and timeouts: tokio's, or one helper thread for any executor.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
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
        // The runtime's handle, not a task id: a `LocalSet` driven by another executor
        // polls tokio tasks outside any runtime, where tokio's timer would panic.
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
/// A timer dropped before its deadline leaves the helper at once, so a busy client does not
/// pile up the timeouts of answered requests. Should the helper thread fail to start, timers
/// end at once.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadSleep;

impl Sleep for ThreadSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(Timer {
            deadline: Instant::now().checked_add(duration),
            registered: None,
        })
    }
}

/// `future`'s output, or `None` when `limit` passed first. The timer starts only when
/// `future` does not finish at once, so what is already there pays nothing for it.
///
/// `future` is `Unpin` (a boxed future, or one pinned where it lives with `pin!`): the
/// future returned holds it once, with the timer beside it, and nothing else.
pub(crate) fn within<F: Future + Unpin>(
    sleep: &dyn Sleep,
    limit: Duration,
    future: F,
) -> Within<'_, F> {
    Within {
        sleep,
        limit,
        future,
        timer: None,
    }
}

/// The future of [`within`].
pub(crate) struct Within<'a, F> {
    sleep: &'a dyn Sleep,
    limit: Duration,
    future: F,
    /// Started at the first poll that `future` does not finish.
    timer: Option<BoxFuture<'static, ()>>,
}

impl<F: Future + Unpin> Future for Within<'_, F> {
    type Output = Option<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let Poll::Ready(output) = Pin::new(&mut this.future).poll(cx) {
            return Poll::Ready(Some(output));
        }
        let (sleep, limit) = (this.sleep, this.limit);
        let timer = this.timer.get_or_insert_with(|| sleep.sleep(limit));
        timer.as_mut().poll(cx).map(|()| None)
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
    /// Its number and the state shared with the helper thread, once registered.
    registered: Option<(u64, Arc<Mutex<TimerState>>)>,
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
        if let Some((_, state)) = &self.registered {
            let mut state = lock(state);
            if state.fired {
                return Poll::Ready(());
            }
            state.waker = Some(cx.waker().clone());
            return Poll::Pending;
        }
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let state = Arc::new(Mutex::new(TimerState {
            fired: false,
            waker: Some(cx.waker().clone()),
        }));
        if !send(Message::Add((deadline, id), Arc::downgrade(&state))) {
            return Poll::Ready(());
        }
        self.registered = Some((id, state));
        Poll::Pending
    }
}

/// A timer dropped before it fired leaves the helper at once: a client that drops a
/// timeout timer with every answered request would otherwise keep them all until their
/// deadlines.
impl Drop for Timer {
    fn drop(&mut self) {
        if let (Some(deadline), Some((id, state))) = (self.deadline, &self.registered)
            && !lock(state).fired
        {
            send(Message::Cancel((deadline, *id)));
        }
    }
}

/// A timer's place in the helper's queue: its deadline, then its number.
type Key = (Instant, u64);

/// What the helper thread is told.
enum Message {
    /// A new timer.
    Add(Key, Weak<Mutex<TimerState>>),
    /// A timer dropped before its deadline.
    Cancel(Key),
}

/// Hands `message` to the helper thread, starting it on first use; `false` when there is no
/// helper thread.
fn send(message: Message) -> bool {
    static HELPER: OnceLock<Option<Sender<Message>>> = OnceLock::new();
    let helper = HELPER.get_or_init(|| {
        let (sender, receiver) = mpsc::channel();
        let spawned = thread::Builder::new()
            .name("graph-resource-timer".into())
            .spawn(move || run_timers(receiver));
        spawned.ok().map(|_| sender)
    });
    helper
        .as_ref()
        .is_some_and(|sender| sender.send(message).is_ok())
}

/// How many timers the helper thread holds, as of its last change.
#[cfg(test)]
static PENDING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The helper thread: fires due timers, then waits for the next deadline or a message.
fn run_timers(receiver: Receiver<Message>) {
    let mut timers: BTreeMap<Key, Weak<Mutex<TimerState>>> = BTreeMap::new();
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
        #[cfg(test)]
        PENDING.store(timers.len(), Ordering::Relaxed);
        let received = match timers.first_key_value() {
            Some(((deadline, _), _)) => {
                receiver.recv_timeout(deadline.saturating_duration_since(now))
            }
            None => receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match received {
            Ok(Message::Add(key, state)) => {
                timers.insert(key, state);
            }
            Ok(Message::Cancel(key)) => {
                timers.remove(&key);
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

    /// A `LocalSet` driven by another executor polls its tasks with a tokio task id but
    /// outside any tokio runtime: tokio's timer would panic there.
    #[cfg(feature = "tokio")]
    #[test]
    fn tokio_sleep_in_a_tokio_task_outside_a_tokio_runtime_uses_the_thread_timer() {
        let local = tokio::task::LocalSet::new();
        let start = std::time::Instant::now();
        let slept = block_on(local.run_until(async {
            tokio::task::spawn_local(async {
                assert!(tokio::task::try_id().is_some());
                TokioSleep.sleep(Duration::from_millis(30)).await;
            })
            .await
        }));
        assert!(slept.is_ok(), "the task failed: {slept:?}");
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
        let (long, short) = (Duration::from_secs(10), Duration::from_millis(300));
        let start = Instant::now();
        // One executor thread: the short sleep runs, and ends, while the long one waits
        // only if the long one does not block the thread.
        let mut waiting = ThreadSleep.sleep(long);
        let ended = tokio::select! {
            () = &mut waiting => "the long sleep",
            () = ThreadSleep.sleep(short) => "the short sleep",
        };
        assert_eq!(ended, "the short sleep");
        let elapsed = start.elapsed();
        assert!(elapsed >= short && elapsed < long, "{elapsed:?}");
        ThreadSleep.sleep(Duration::ZERO).await;
    }

    #[test]
    fn thread_sleep_timers_dropped_before_their_deadline_leave_the_helper() {
        let mut context = Context::from_waker(Waker::noop());
        for _ in 0..100_000 {
            let mut timeout = ThreadSleep.sleep(Duration::from_secs(3600));
            assert!(timeout.as_mut().poll(&mut context).is_pending());
        }
        // The helper reads its messages in order: once this timer fired, it has read all
        // of the above.
        block_on(ThreadSleep.sleep(Duration::from_millis(1)));
        let start = Instant::now();
        let pending = loop {
            let pending = PENDING.load(Ordering::Relaxed);
            // Other tests may hold a few timers of their own meanwhile.
            if pending < 1_000 || start.elapsed() > Duration::from_secs(5) {
                break pending;
            }
            thread::sleep(Duration::from_millis(10));
        };
        assert!(pending < 1_000, "{pending} timers still pending");
    }

    #[test]
    fn thread_sleep_wakes_each_of_many_timers_at_its_own_deadline() {
        let start = Instant::now();
        let mut context = Context::from_waker(Waker::noop());
        // Dropped ones in between must not take the place of the awaited ones.
        let mut dropped = ThreadSleep.sleep(Duration::from_millis(10));
        assert!(dropped.as_mut().poll(&mut context).is_pending());
        drop(dropped);
        block_on(async {
            let short = ThreadSleep.sleep(Duration::from_millis(20));
            let long = ThreadSleep.sleep(Duration::from_millis(60));
            short.await;
            assert!(start.elapsed() >= Duration::from_millis(20));
            long.await;
        });
        assert!(start.elapsed() >= Duration::from_millis(60));
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
