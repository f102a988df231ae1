//! The retry step: sends a call again while the [`RetryPolicy`] allows, waiting between
//! attempts on the client's [`Sleep`].

use std::future::Future;
use std::time::{Duration, SystemTime};

use http::{HeaderValue, Method, StatusCode};

use super::telemetry;
use crate::error::Error;
use crate::error::api::parse_retry_after;
use crate::sleep::Sleep;
use crate::transport::TransportErrorKind;

/// Runs `attempt` (given the retry number, 0 for the first send) until it succeeds, fails
/// with an error that is not safe to retry, or the policy allows no more retries; then
/// returns its last result.
///
/// The retries run in a future boxed when the first is due: the many calls that are sent
/// once do not carry the loop's state, its timer and a second attempt's in theirs. Not an
/// `async fn`: one would keep a second copy of its arguments in its state.
#[expect(
    clippy::manual_async_fn,
    reason = "an `async fn` keeps its arguments twice"
)]
pub(crate) fn send<'a, T, F, Fut>(
    policy: &'a RetryPolicy,
    sleep: &'a dyn Sleep,
    method: &'a Method,
    mut attempt: F,
) -> impl Future<Output = Result<T, Error>> + 'a
where
    F: FnMut(u32) -> Fut + 'a,
    Fut: Future<Output = Result<T, Error>> + 'a,
{
    async move {
        let error = match attempt(0).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let retries = Retries {
            policy,
            method,
            retry: 0,
            waited: Duration::ZERO,
        };
        match retries.next(&error) {
            Some(delay) => Box::pin(resend(retries, sleep, attempt, error, delay)).await,
            None => Err(error),
        }
    }
}

/// Where the retries of a call stand.
struct Retries<'a> {
    policy: &'a RetryPolicy,
    method: &'a Method,
    /// The last retry made, 0 before the first.
    retry: u32,
    /// The delays waited so far.
    waited: Duration,
}

impl Retries<'_> {
    /// The delay before the next retry after `error`, or `None` when it is not safe to
    /// retry or the policy allows no more.
    fn next(&self, error: &Error) -> Option<Duration> {
        let method = self.method;
        let retry_after = match error {
            Error::Api(api) if retries_status(method, api.status()) => api.retry_after(),
            Error::Transport(transport) if retries_transport_error(method, transport.kind()) => {
                None
            }
            _ => return None,
        };
        let retry = self.retry.saturating_add(1);
        self.policy.next_delay(retry, self.waited, retry_after)
    }
}

/// The retries of [`send`] after its first attempt failed with `error`: the next after
/// `delay`.
async fn resend<T, F, Fut>(
    mut retries: Retries<'_>,
    sleep: &dyn Sleep,
    mut attempt: F,
    mut error: Error,
    mut delay: Duration,
) -> Result<T, Error>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    loop {
        retries.retry = retries.retry.saturating_add(1);
        telemetry::retrying(retries.retry, delay, &error);
        sleep.sleep(delay).await;
        retries.waited = retries.waited.saturating_add(delay);
        error = match attempt(retries.retry).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        delay = match retries.next(&error) {
            Some(delay) => delay,
            None => return Err(error),
        };
    }
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
            ..RetryPolicy::NONE
        }
    }
}

impl RetryPolicy {
    /// [`none`](RetryPolicy::none), as a constant that a call can borrow for as long as it
    /// runs instead of keeping a policy of its own in its state.
    pub(crate) const NONE: RetryPolicy = RetryPolicy {
        max_retries: 0,
        base_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(180),
        max_total_delay: Duration::from_secs(300),
    };

    /// A policy that never retries: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy::NONE
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

    /// The most time one call spends in delays between retries (default 300 s); the
    /// [throttle gate](crate::ClientBuilder::throttle_gate) holds a call at most this long
    /// too.
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

    /// The most time one call spends in delays: also how long in all the throttle gate
    /// may hold it.
    pub(crate) fn total_delay_limit(&self) -> Duration {
        self.max_total_delay
    }

    /// The longest single delay: how long the throttle gate may hold other calls.
    pub(crate) fn longest_delay(&self) -> Duration {
        self.max_delay
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
    use super::*;

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
}
