//! When and how long to wait before sending a request again.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use http::{HeaderValue, Method, StatusCode};

use crate::error::TransportErrorKind;
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

fn lock(state: &Mutex<TimerState>) -> MutexGuard<'_, TimerState> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How often and how long the [`Client`](crate::Client) waits before sending a request again.
///
/// On by default: at most 3 retries (4 sends in all), exponential backoff from 1 s with
/// full jitter, no single delay above 180 s, no more than 300 s of delays per call.
///
/// What is retried, whatever the policy's numbers:
/// - `429 Too Many Requests` and `503 Service Unavailable`, for every method;
/// - `504 Gateway Timeout`, only for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS);
/// - a [`Connect`](TransportErrorKind::Connect) error (nothing was sent), for every method;
/// - a [`Timeout`](TransportErrorKind::Timeout) or [`Interrupted`](TransportErrorKind::Interrupted)
///   error, only for idempotent methods: a POST or PATCH that may have been applied is never
///   sent again.
///
/// The delay is the response's `Retry-After` when it has one (seconds, fractions included,
/// or an HTTP date), else exponential backoff capped at [`max_delay`](RetryPolicy::max_delay).
/// A `Retry-After` longer than `max_delay` is respected, not shortened: that response is not
/// retried, and the call fails with it ([`ApiError::retry_after`](crate::ApiError::retry_after)
/// says how long the server asked to wait). A retry whose delay would bring the call's total
/// past [`max_total_delay`](RetryPolicy::max_total_delay) is not made either. When no retry
/// is left, the call fails with the last error.
///
/// ```
/// use std::time::Duration;
/// use graph_resource_runtime::RetryPolicy;
///
/// let patient = RetryPolicy::default().max_retries(5).max_total_delay(Duration::from_secs(600));
/// let never = RetryPolicy::none();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_total_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(180),
            max_total_delay: Duration::from_secs(300),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// How many times a request may be sent again after the first send (default 3).
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The backoff before the first retry when there is no `Retry-After`; it doubles with
    /// every retry, and full jitter picks a delay between zero and it (default 1 s).
    #[must_use]
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest single delay (default 180 s). A response whose `Retry-After` asks for
    /// longer is not retried.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The most time one call spends in delays between retries (default 300 s).
    #[must_use]
    pub fn max_total_delay(mut self, delay: Duration) -> Self {
        self.max_total_delay = delay;
        self
    }

    /// The delay before retry number `retry` (1 for the first retry), given the
    /// `Retry-After` header of the response, if any. Never more than
    /// [`max_delay`](RetryPolicy::max_delay), whatever the header says: negative values
    /// and past dates give zero, unreadable values are ignored.
    ///
    /// ```
    /// use std::time::Duration;
    /// use http::HeaderValue;
    /// use graph_resource_runtime::RetryPolicy;
    ///
    /// let policy = RetryPolicy::default();
    /// let delay = policy.delay_for(1, Some(&HeaderValue::from_static("2.128")));
    /// assert_eq!(delay, Duration::from_millis(2128));
    /// let huge = policy.delay_for(1, Some(&HeaderValue::from_static("1e30")));
    /// assert_eq!(huge, Duration::from_secs(180));
    /// assert!(policy.delay_for(2, None) <= Duration::from_secs(2));
    /// ```
    pub fn delay_for(&self, retry: u32, retry_after: Option<&HeaderValue>) -> Duration {
        let retry_after = retry_after.and_then(|value| parse_retry_after(value, SystemTime::now()));
        self.delay(retry, retry_after)
    }

    /// [`delay_for`](RetryPolicy::delay_for) with `Retry-After` already parsed.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(delay) => delay.min(self.max_delay),
            None => {
                let doublings = retry.saturating_sub(1);
                let ceiling = self
                    .base_delay
                    .saturating_mul(2u32.saturating_pow(doublings))
                    .min(self.max_delay);
                let ceiling_nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
                Duration::from_nanos(fastrand::u64(0..=ceiling_nanos))
            }
        }
    }

    /// Whether a retry number `retry` may be made after `waited` in delays, and how long to
    /// wait first.
    pub(crate) fn next_delay(
        &self,
        retry: u32,
        waited: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if retry > self.max_retries || retry_after.is_some_and(|delay| delay > self.max_delay) {
            return None;
        }
        let delay = self.delay(retry, retry_after);
        (waited.saturating_add(delay) <= self.max_total_delay).then_some(delay)
    }
}

/// Reads `Retry-After`: seconds, fractional too (`2.128`), or an HTTP date counted from `now`.
/// Negative numbers and past dates give zero, numbers too large give `Duration::MAX`.
pub(crate) fn parse_retry_after(value: &HeaderValue, now: SystemTime) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<f64>() {
        if seconds.is_nan() {
            return None;
        }
        return Some(Duration::try_from_secs_f64(seconds.max(0.0)).unwrap_or(Duration::MAX));
    }
    let date = httpdate::parse_http_date(text).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Methods that may be sent twice with the effect of once.
fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
    ]
    .contains(method)
}

/// Whether a response with `status` may be answered by sending the request again.
pub(crate) fn retries_status(method: &Method, status: StatusCode) -> bool {
    match status {
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => true,
        StatusCode::GATEWAY_TIMEOUT => is_idempotent(method),
        _ => false,
    }
}

/// Whether a transport error of `kind` may be answered by sending the request again.
pub(crate) fn retries_transport_error(method: &Method, kind: TransportErrorKind) -> bool {
    match kind {
        TransportErrorKind::Connect => true,
        TransportErrorKind::Timeout | TransportErrorKind::Interrupted => is_idempotent(method),
        TransportErrorKind::Other => false,
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

    fn parse(text: &'static str) -> Option<Duration> {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        parse_retry_after(&HeaderValue::from_static(text), now)
    }

    #[test]
    fn parses_retry_after() {
        assert_eq!(parse("2.128"), Some(Duration::from_millis(2128)));
        assert_eq!(parse(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(parse("0"), Some(Duration::ZERO));
        assert_eq!(parse("-3"), Some(Duration::ZERO));
        assert_eq!(parse("1e400"), Some(Duration::MAX));
        assert_eq!(parse("inf"), Some(Duration::MAX));
        assert_eq!(parse("NaN"), None);
        assert_eq!(parse("soon"), None);
        assert_eq!(parse(""), None);
        assert_eq!(
            parse("Sun, 06 Nov 1994 08:50:07 GMT"),
            Some(Duration::from_secs(30))
        );
        assert_eq!(parse("Sun, 06 Nov 1994 08:00:00 GMT"), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after(
                &HeaderValue::from_bytes(b"\xff").unwrap(),
                SystemTime::now()
            ),
            None
        );
    }

    #[test]
    fn delays_stay_within_the_bounds() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(300))
            .max_delay(Duration::from_secs(5));
        let headers = [
            "2.128",
            "-1",
            "1e30",
            "NaN",
            "x",
            "Thu, 01 Jan 2099 00:00:00 GMT",
            "Thu, 01 Jan 1970 00:00:00 GMT",
        ]
        .map(HeaderValue::from_static);
        for retry in 0..100 {
            let backoff = policy.delay_for(retry, None);
            let ceiling = Duration::from_millis(300)
                .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)));
            assert!(
                backoff <= ceiling.min(Duration::from_secs(5)),
                "retry {retry}: {backoff:?}"
            );
            for header in &headers {
                assert!(policy.delay_for(retry, Some(header)) <= Duration::from_secs(5));
            }
        }
        assert_eq!(policy.delay_for(1, Some(&headers[1])), Duration::ZERO);
        assert_eq!(
            policy.delay_for(1, Some(&headers[5])),
            Duration::from_secs(5)
        );
        assert_eq!(
            RetryPolicy::none().next_delay(1, Duration::ZERO, Some(Duration::ZERO)),
            None
        );
        assert_eq!(
            RetryPolicy::default().next_delay(4, Duration::ZERO, Some(Duration::ZERO)),
            None
        );
        assert_eq!(
            RetryPolicy::default().next_delay(3, Duration::ZERO, Some(Duration::ZERO)),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retries_only_what_is_safe() {
        for method in [
            Method::GET,
            Method::HEAD,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
            Method::POST,
            Method::PATCH,
        ] {
            let idempotent = method != Method::POST && method != Method::PATCH;
            assert!(retries_status(&method, StatusCode::TOO_MANY_REQUESTS));
            assert!(retries_status(&method, StatusCode::SERVICE_UNAVAILABLE));
            assert_eq!(
                retries_status(&method, StatusCode::GATEWAY_TIMEOUT),
                idempotent,
                "{method}"
            );
            for status in [400, 401, 404, 409, 500, 502] {
                assert!(!retries_status(
                    &method,
                    StatusCode::from_u16(status).unwrap()
                ));
            }
            assert!(retries_transport_error(
                &method,
                TransportErrorKind::Connect
            ));
            assert_eq!(
                retries_transport_error(&method, TransportErrorKind::Timeout),
                idempotent
            );
            assert_eq!(
                retries_transport_error(&method, TransportErrorKind::Interrupted),
                idempotent
            );
            assert!(!retries_transport_error(&method, TransportErrorKind::Other));
        }
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
