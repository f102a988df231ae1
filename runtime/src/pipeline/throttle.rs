//! The throttle gate, in front of every send: while a `429 Too Many Requests` with
//! `Retry-After` holds the request's throttling scope ([`ThrottleScopes`] on its origin), it
//! waits until then, and a little longer so that the calls it held do not all wake at once;
//! when the client limits requests in flight, it waits for a free slot, first come first
//! served.
//!
//! Everything here runs on wakers and the client's [`Sleep`]: no executor is assumed.

mod scopes;

pub use scopes::ThrottleScopes;

use std::cell::Cell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use http::{StatusCode, Uri};

use super::telemetry;
use crate::error::Error;
use crate::sleep::Sleep;
use crate::sync::{OwnLines, lock};

/// The longest a call held by the gate waits beyond the hold's end; see [`release_spread`].
const MAX_RELEASE_SPREAD: Duration = Duration::from_millis(500);

/// The gate of one client, shared by all its clones.
#[derive(Debug)]
pub(crate) struct Gate {
    /// Whether a 429 holds its scope ([`ClientBuilder::throttle_gate`](crate::ClientBuilder::throttle_gate)).
    holding: bool,
    /// How paths are told apart ([`ClientBuilder::throttle_scopes`](crate::ClientBuilder::throttle_scopes)).
    scopes: ThrottleScopes,
    /// The path of the client's base URL, without a trailing `/`: what comes after it is
    /// the path a scope is computed from.
    base_path: String,
    /// The scopes held now; expired holds are dropped as they are met.
    holds: Mutex<Vec<Hold>>,
    /// Whether `holds` is not empty: the fast path of every send, read without the lock.
    /// Written only with `holds` locked, after each change of it, so that it always says
    /// what the list held when the lock was last released; see [`Gate::held_until`].
    any_held: AtomicBool,
    /// The slots for requests in flight, when limited.
    slots: Option<Slots>,
}

/// How many call numbers a thread takes from [`NEXT_CALLS`] at once.
const CALLS_PER_BLOCK: u64 = 1 << 12;

/// The first number of the next block of call numbers, shared by every gate of the process.
static NEXT_CALLS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The numbers this thread has left to give: the next, and the end of its block.
    static CALLS: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

/// A number no other call of the process has: from this thread's block, so that the
/// counter shared by the threads is written once per [`CALLS_PER_BLOCK`] calls, not on
/// every call from every core. While the thread is torn down it takes a block of its own.
fn call_number() -> u64 {
    let block = || NEXT_CALLS.fetch_add(CALLS_PER_BLOCK, Ordering::Relaxed);
    CALLS
        .try_with(|calls| {
            let (mut next, mut end) = calls.get();
            if next == end {
                next = block();
                end = next.wrapping_add(CALLS_PER_BLOCK);
            }
            calls.set((next.wrapping_add(1), end));
            next
        })
        .unwrap_or_else(|_| block())
}

/// A throttling scope on one origin.
#[derive(Debug, PartialEq, Eq)]
struct Key {
    /// The scheme, lowercase.
    scheme: String,
    /// The host, lowercase.
    host: String,
    port: u16,
    /// What [`ThrottleScopes::scope`] gives for the path.
    scope: String,
}

/// A scope held until an instant by the 429 of one call.
#[derive(Debug)]
struct Hold {
    key: Key,
    until: Instant,
    /// The `Retry-After` that set `until`.
    length: Duration,
    /// The call whose 429 set `until`: its own retry waits its own `Retry-After`.
    by: u64,
}

/// Scheme, host and port (the scheme's default when absent) of an absolute URL.
fn origin(uri: &Uri) -> Option<(&str, &str, u16)> {
    let scheme = uri.scheme_str()?;
    let host = uri.host()?;
    let port = match uri.port_u16() {
        Some(port) => port,
        None if scheme.eq_ignore_ascii_case("https") => 443,
        None => 80,
    };
    Some((scheme, host, port))
}

/// How long after a hold's end a call it held is released: a random delay up to a tenth
/// of the hold's `length`, at most [`MAX_RELEASE_SPREAD`], so that the calls it held reach
/// the server spread over that window instead of in one burst that earns a new 429.
fn release_spread(length: Duration) -> Duration {
    let window = (length / 10).min(MAX_RELEASE_SPREAD);
    let nanos = u64::try_from(window.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(0..=nanos))
}

/// `path` after `base_path` when it starts there (on a segment boundary, ASCII case
/// ignored), else all of it; `/` for nothing.
fn below<'a>(path: &'a str, base_path: &str) -> &'a str {
    let below = match path.get(..base_path.len()) {
        Some(start) if start.eq_ignore_ascii_case(base_path) => {
            let rest = path.get(base_path.len()..).unwrap_or_default();
            if rest.is_empty() || rest.starts_with('/') {
                rest
            } else {
                path
            }
        }
        _ => path,
    };
    if below.is_empty() { "/" } else { below }
}

impl Gate {
    /// A gate that holds the throttling scopes `scopes` tells apart when `holding`, and lets
    /// at most `max_in_flight` requests be sent at once when given; a limit of zero is an
    /// invalid argument. Scopes are computed from the paths below `base_url`'s.
    pub(crate) fn new(
        holding: bool,
        scopes: ThrottleScopes,
        base_url: &str,
        max_in_flight: Option<usize>,
    ) -> Result<Gate, Error> {
        let slots = match max_in_flight {
            Some(0) => {
                return Err(Error::InvalidArgument(
                    "`max_in_flight` must be at least 1, found 0: leave it out for no limit".into(),
                ));
            }
            Some(limit) => Some(Slots::new(limit)),
            None => None,
        };
        let base_path = Uri::try_from(base_url)
            .map(|uri| uri.path().trim_end_matches('/').to_owned())
            .unwrap_or_default();
        Ok(Gate {
            holding,
            scopes,
            base_path,
            holds: Mutex::new(Vec::new()),
            any_held: AtomicBool::new(false),
            slots,
        })
    }

    /// A number for a new call, the same for all its sends, which no other call has.
    pub(crate) fn call(&self) -> u64 {
        call_number()
    }

    /// Waits until call `call` may send to `uri`: while another call's 429 holds its scope,
    /// until the hold ends and then for its [`release_spread`], within what is left of the
    /// call's `patience`; then for a slot when requests in flight are limited. The slot is
    /// free again when the returned permit is dropped.
    pub(crate) async fn pass(
        &self,
        uri: &Uri,
        call: u64,
        sleep: &dyn Sleep,
        patience: &Patience,
    ) -> Option<Permit<'_>> {
        // The instant waited for last: a timer that has fired for it is trusted, so that a
        // timer that ends at once (as in tests) does not spin; a later 429 that pushes the
        // hold further is waited for again.
        let mut waited_for = None;
        // The scope of `uri`, computed when some scope is held.
        let mut key = None;
        loop {
            while let Some((until, length)) = self.held_until(uri, &mut key, call, waited_for) {
                let wanted = until
                    .saturating_duration_since(Instant::now())
                    .saturating_add(release_spread(length));
                let delay = patience.take(wanted);
                if delay.is_zero() {
                    break;
                }
                telemetry::held(uri.host().unwrap_or_default(), delay);
                sleep.sleep(delay).await;
                waited_for = Some(until);
            }
            let slots = self.slots.as_ref()?;
            let permit = slots.acquire().await;
            // A 429 may have come while this call waited for its slot.
            if patience.is_spent() || self.held_until(uri, &mut key, call, waited_for).is_none() {
                return Some(permit);
            }
        }
    }

    /// The scope of `uri` on its origin; `None` for a URL without scheme or host.
    fn key(&self, uri: &Uri) -> Option<Key> {
        let (scheme, host, port) = origin(uri)?;
        Some(Key {
            scheme: scheme.to_ascii_lowercase(),
            host: host.to_ascii_lowercase(),
            port,
            scope: self.scopes.scope(below(uri.path(), &self.base_path)),
        })
    }

    /// The instant until which `uri`'s scope (`key`, computed here when first needed) is
    /// held for `call`, with the `Retry-After` that set it, unless that instant is
    /// `waited_for`, already waited.
    fn held_until(
        &self,
        uri: &Uri,
        key: &mut Option<Key>,
        call: u64,
        waited_for: Option<Instant>,
    ) -> Option<(Instant, Duration)> {
        // The fast path, without the lock. A hold recorded before this check in the
        // happens-before order (a throttled call records its 429 before it frees its slot,
        // and a slot handed over or a task woken carries that order with it) stored `true`
        // before this load, and a load never reads a value older than a store that happens
        // before it: it reads `true`, or the `false` of a later emptying, once that hold has
        // expired. A 429 recorded on another thread in no order with this check may be seen
        // or not, as with the lock, which would order the two either way. `Acquire` pairs
        // with the `Release` of the stores, made under the lock after each change, so that
        // `true` also makes the hold it stands for visible; the lock taken next does as well.
        if !self.holding || !self.any_held.load(Ordering::Acquire) {
            return None;
        }
        // Computed outside the lock: a custom scope is the caller's code.
        if key.is_none() {
            *key = self.key(uri);
        }
        let key = key.as_ref()?;
        let mut holds = lock(&self.holds);
        let now = Instant::now();
        holds.retain(|hold| hold.until > now);
        self.any_held.store(!holds.is_empty(), Ordering::Release);
        let hold = holds.iter().find(|hold| hold.key == *key)?;
        (hold.by != call && Some(hold.until) != waited_for).then_some((hold.until, hold.length))
    }

    /// Holds `uri`'s scope when `error` is a 429 with a `Retry-After`; see [`hold`](Gate::hold).
    pub(crate) fn observe(&self, uri: &Uri, call: u64, error: &Error, longest: Duration) {
        let Error::Api(api) = error else {
            return;
        };
        if let (StatusCode::TOO_MANY_REQUESTS, Some(delay)) = (api.status(), api.retry_after()) {
            self.hold(uri, call, delay, longest);
        }
    }

    /// Holds `uri`'s scope for every call but `call` until `delay` from now, the
    /// `Retry-After` of a 429 that `call` got, when it is at most `longest` (the retry
    /// policy's longest delay). A longer `Retry-After` holds nothing: the call fails with
    /// it, as each other call will with its own 429, rather than waiting longer than the
    /// policy allows.
    pub(crate) fn hold(&self, uri: &Uri, call: u64, delay: Duration, longest: Duration) {
        if !self.holding || delay.is_zero() || delay > longest {
            return;
        }
        let (Some(until), Some(key)) = (Instant::now().checked_add(delay), self.key(uri)) else {
            return;
        };
        let mut holds = lock(&self.holds);
        match holds.iter_mut().find(|hold| hold.key == key) {
            Some(hold) if hold.until >= until => {}
            Some(hold) => {
                hold.until = until;
                hold.length = delay;
                hold.by = call;
            }
            None => holds.push(Hold {
                key,
                until,
                length: delay,
                by: call,
            }),
        }
        // Under the lock, after the change: see `any_held`.
        self.any_held.store(true, Ordering::Release);
    }
}

/// How long the gate may still hold one call, over all its sends: the retry policy's
/// [`max_total_delay`](crate::RetryPolicy::max_total_delay) when the call starts. Once it
/// is spent the call is sent whatever holds its scope, so that a scope throttled again and
/// again by other calls' 429s cannot keep it waiting forever; a 429 it then gets is retried
/// or returned like any other.
#[derive(Debug)]
pub(crate) struct Patience {
    /// What is left, in nanoseconds.
    left: AtomicU64,
}

impl Patience {
    pub(crate) fn new(total: Duration) -> Self {
        Patience {
            left: AtomicU64::new(u64::try_from(total.as_nanos()).unwrap_or(u64::MAX)),
        }
    }

    /// Takes up to `wanted` from what is left and returns what it took.
    fn take(&self, wanted: Duration) -> Duration {
        let wanted = u64::try_from(wanted.as_nanos()).unwrap_or(u64::MAX);
        let taken = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                Some(left.saturating_sub(wanted))
            });
        let left = taken.unwrap_or_else(|left| left);
        Duration::from_nanos(left.min(wanted))
    }

    fn is_spent(&self) -> bool {
        self.left.load(Ordering::Relaxed) == 0
    }
}

/// A fair async semaphore: slots are handed out in the order they were asked for.
#[derive(Debug)]
struct Slots {
    /// Locked by every send when requests in flight are limited: on lines of its own.
    state: OwnLines<Mutex<SlotsState>>,
}

#[derive(Debug)]
struct SlotsState {
    free: usize,
    /// The calls waiting for a slot, oldest first.
    queue: VecDeque<Arc<Mutex<Turn>>>,
}

/// One call's place in the queue: a freed slot is handed to it directly.
#[derive(Debug)]
struct Turn {
    granted: bool,
    waker: Option<Waker>,
}

impl Slots {
    fn new(limit: usize) -> Self {
        Slots {
            state: OwnLines(Mutex::new(SlotsState {
                free: limit,
                queue: VecDeque::new(),
            })),
        }
    }

    fn acquire(&self) -> Acquire<'_> {
        Acquire {
            slots: self,
            turn: None,
            done: false,
        }
    }

    /// Frees a slot: the oldest waiting call gets it, else it is free.
    fn release(&self) {
        let waker = hand_over(&mut lock(&self.state.0));
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// Gives a freed slot to the oldest waiting call and returns its waker, or frees the slot.
fn hand_over(state: &mut SlotsState) -> Option<Waker> {
    match state.queue.pop_front() {
        Some(turn) => {
            let mut turn = lock(&turn);
            turn.granted = true;
            turn.waker.take()
        }
        None => {
            state.free = state.free.saturating_add(1);
            None
        }
    }
}

/// A slot for one request in flight; dropping it frees the slot.
#[derive(Debug)]
pub(crate) struct Permit<'a> {
    slots: &'a Slots,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.slots.release();
    }
}

/// The future of [`Slots::acquire`]. Dropped while waiting, it leaves the queue, and hands
/// on a slot it was given but not yet taken.
struct Acquire<'a> {
    slots: &'a Slots,
    turn: Option<Arc<Mutex<Turn>>>,
    /// Whether the permit was returned.
    done: bool,
}

impl<'a> Future for Acquire<'a> {
    type Output = Permit<'a>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit<'a>> {
        let this = &mut *self;
        let slots = this.slots;
        let granted = match &this.turn {
            Some(turn) => {
                let mut turn = lock(turn);
                if !turn.granted {
                    turn.waker = Some(cx.waker().clone());
                }
                turn.granted
            }
            None => {
                let mut state = lock(&slots.state.0);
                if state.free > 0 && state.queue.is_empty() {
                    state.free -= 1;
                    true
                } else {
                    let turn = Arc::new(Mutex::new(Turn {
                        granted: false,
                        waker: Some(cx.waker().clone()),
                    }));
                    state.queue.push_back(Arc::clone(&turn));
                    this.turn = Some(turn);
                    false
                }
            }
        };
        if granted {
            this.done = true;
            Poll::Ready(Permit { slots })
        } else {
            Poll::Pending
        }
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        let (Some(turn), false) = (&self.turn, self.done) else {
            return;
        };
        let waker = {
            let mut state = lock(&self.slots.state.0);
            if lock(turn).granted {
                hand_over(&mut state)
            } else {
                state.queue.retain(|queued| !Arc::ptr_eq(queued, turn));
                None
            }
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

#[cfg(test)]
mod tests;
