//! The client's token cache: it keeps one token, asks the credential for a new one ahead of
//! its expiry, and lets every call that needs a new token share one request to the
//! credential.
//!
//! No executor is involved: the call that finds no usable token asks the credential itself
//! (it "leads" the refresh); calls that arrive meanwhile park their wakers and take the
//! leader's outcome. If the leader is dropped mid-way, the waiters wake and one of them
//! leads instead. A credential that does not answer within the client's credential timeout
//! fails the flight like an error, so that a stuck credential holds no call for longer.
//!
//! A call's common path writes nothing that other threads read: each thread keeps a copy
//! of the token it last sent (see [`TokenCache::fresh`]), and checks it against a count of
//! the cache's changes that only changes write.

use std::cell::RefCell;
use std::fmt;
use std::future::poll_fn;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Poll, Waker};
use std::time::{Duration, SystemTime};

use http::HeaderValue;

use super::{AccessToken, TokenCredential, TokenRequest};
use crate::error::{CredentialError, Error};
use crate::sleep::{Sleep, within};
use crate::sync::OwnLines;

/// A token is never sent in its last minute.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);
/// A new token is asked for this long before expiry (half the lifetime for shorter tokens),
/// while the current one keeps serving the other calls.
const REFRESH_AHEAD: Duration = Duration::from_secs(300);
/// After an early refresh failed, the next early attempt waits this long.
const EARLY_RETRY_DELAY: Duration = Duration::from_secs(30);

/// The credential, its scopes, and the token it last gave.
pub(crate) struct TokenCache {
    credential: Arc<dyn TokenCredential>,
    scopes: Vec<String>,
    /// How long the credential may take, on `sleep`.
    timeout: Duration,
    sleep: Arc<dyn Sleep>,
    now: fn() -> SystemTime,
    /// Names this cache in the threads' copies: no two caches of the process share one.
    id: u64,
    /// Locked by the calls that find no copy of a fresh token: on lines of its own.
    state: OwnLines<Mutex<State>>,
    /// How many times the state changed: bumped with the state locked, before it is
    /// released, by every change. Read by every call, written only by changes: on lines of
    /// its own, which the cores keep shared while nothing changes.
    changes: OwnLines<AtomicU64>,
}

/// The `Authorization` header of a token, and which token it is.
#[derive(Debug, Clone)]
pub(crate) struct Authorization {
    /// `Bearer …`, marked sensitive.
    pub(crate) header: HeaderValue,
    /// The request to the credential that gave the token: what
    /// [`reject`](TokenCache::reject) names, without a copy of the header kept for it.
    pub(crate) token: u64,
}

thread_local! {
    /// The token this thread last sent with a cache, while it was fresh.
    static COPY: RefCell<Option<ThreadCopy>> = const { RefCell::new(None) };
}

/// A thread's copy of a cache's fresh token. Its header is the thread's own, not a clone of
/// the cache's: cloning it for a request writes a count that only this thread writes.
struct ThreadCopy {
    /// The cache's [`id`](TokenCache::id).
    cache: u64,
    /// The cache's count of changes when the copy was made: a change since ends it.
    changes: u64,
    authorization: Authorization,
    /// When it stops being fresh, if the state does not change before.
    until: Option<SystemTime>,
}

#[derive(Default)]
struct State {
    token: Option<Cached>,
    /// The request to the credential in progress, if any.
    flight: Option<Flight>,
    next_flight: u64,
    /// The outcome of the last finished request, for the calls that waited for it.
    last_outcome: Option<(u64, Result<Authorization, CredentialError>)>,
    /// No early refresh before this time (set when one failed).
    early_retry_at: Option<SystemTime>,
    waiters: Vec<Waker>,
}

struct Flight {
    id: u64,
    claims: Option<String>,
}

/// A token as a ready `Authorization` header, and when to replace it.
struct Cached {
    authorization: Authorization,
    /// The claims it was asked for.
    claims: Option<String>,
    refresh_at: Option<SystemTime>,
    usable_until: Option<SystemTime>,
}

impl Cached {
    fn new(
        authorization: Authorization,
        claims: Option<&str>,
        expires_on: Option<SystemTime>,
        now: SystemTime,
    ) -> Self {
        let (refresh_at, usable_until) = match expires_on {
            None => (None, None),
            Some(expires_on) => {
                let lifetime = expires_on.duration_since(now).unwrap_or(Duration::ZERO);
                let usable_until = expires_on
                    .checked_sub(EXPIRY_MARGIN)
                    .unwrap_or(SystemTime::UNIX_EPOCH);
                let refresh_at = expires_on
                    .checked_sub(REFRESH_AHEAD.min(lifetime / 2))
                    .unwrap_or(SystemTime::UNIX_EPOCH)
                    .min(usable_until);
                (Some(refresh_at), Some(usable_until))
            }
        };
        Cached {
            authorization,
            claims: claims.map(str::to_owned),
            refresh_at,
            usable_until,
        }
    }

    /// Whether it may be sent for a request that needs `claims`.
    fn serves(&self, claims: Option<&str>, now: SystemTime) -> bool {
        let claims_match = claims.is_none() || self.claims.as_deref() == claims;
        claims_match && self.usable_until.is_none_or(|until| now < until)
    }
}

/// What a call does next.
enum Step {
    /// Send this token.
    Use(Authorization),
    /// Wait for the request in progress; `true` when its outcome serves this call.
    Wait(u64, bool),
    /// Ask the credential (flight id), falling back on a still usable token if that fails.
    Ask(u64, Option<Authorization>),
}

impl State {
    /// The cached token when it may be sent for a request that needs `claims`, and until
    /// when it is fresh while the state does not change (`None`: no end): until its last
    /// minute, and past the time to refresh it only while a refresh is under way or for
    /// [`EARLY_RETRY_DELAY`] after an early one failed.
    fn serving(&self, claims: Option<&str>) -> Option<(&Authorization, Option<SystemTime>)> {
        let token = self.token.as_ref()?;
        if claims.is_some() && token.claims.as_deref() != claims {
            return None;
        }
        let refresh_due = match (token.refresh_at, &self.flight) {
            (Some(at), None) => Some(self.early_retry_at.map_or(at, |retry_at| retry_at.max(at))),
            _ => None,
        };
        let until = match (token.usable_until, refresh_due) {
            (Some(usable), Some(due)) => Some(usable.min(due)),
            (usable, due) => usable.or(due),
        };
        Some((&token.authorization, until))
    }

    /// The cached token when it serves a request that needs `claims` and no early refresh
    /// is due: what [`next_step`](State::next_step) uses without a change.
    fn fresh(&self, claims: Option<&str>, now: SystemTime) -> Option<Authorization> {
        let (authorization, until) = self.serving(claims)?;
        until
            .is_none_or(|until| now < until)
            .then(|| authorization.clone())
    }

    fn next_step(&mut self, claims: Option<&str>, now: SystemTime) -> Step {
        if let Some(authorization) = self.fresh(claims, now) {
            return Step::Use(authorization);
        }
        if let Some(token) = self
            .token
            .as_ref()
            .filter(|token| token.serves(claims, now))
        {
            let fallback = token.authorization.clone();
            return Step::Ask(self.start(claims), Some(fallback));
        }
        if let Some(flight) = &self.flight {
            let serves = claims.is_none() || flight.claims.as_deref() == claims;
            return Step::Wait(flight.id, serves);
        }
        Step::Ask(self.start(claims), None)
    }

    fn start(&mut self, claims: Option<&str>) -> u64 {
        let id = self.next_flight;
        self.next_flight = self.next_flight.wrapping_add(1);
        self.flight = Some(Flight {
            id,
            claims: claims.map(str::to_owned),
        });
        id
    }

    /// Ends flight `id` and returns the wakers to wake once the lock is released.
    fn end(&mut self, id: u64) -> Vec<Waker> {
        if self.flight.as_ref().is_some_and(|flight| flight.id == id) {
            self.flight = None;
        }
        std::mem::take(&mut self.waiters)
    }
}

impl TokenCache {
    /// A cache asking `credential` for tokens for `scopes`, giving it `timeout` on `sleep`
    /// to answer.
    pub(crate) fn new(
        credential: Arc<dyn TokenCredential>,
        scopes: Vec<String>,
        timeout: Duration,
        sleep: Arc<dyn Sleep>,
    ) -> Self {
        static CACHES: AtomicU64 = AtomicU64::new(0);
        TokenCache {
            credential,
            scopes,
            timeout,
            sleep,
            now: SystemTime::now,
            id: CACHES.fetch_add(1, Ordering::Relaxed),
            state: OwnLines::default(),
            changes: OwnLines::default(),
        }
    }

    /// The same with a clock of the tests' own, and the default timer.
    #[cfg(test)]
    pub(crate) fn with_clock(
        credential: Arc<dyn TokenCredential>,
        scopes: Vec<String>,
        timeout: Duration,
        now: fn() -> SystemTime,
    ) -> Self {
        let mut cache = TokenCache::new(credential, scopes, timeout, crate::sleep::default_sleep());
        cache.now = now;
        cache
    }

    /// The cached token when it serves a request that needs `claims` and no refresh is due;
    /// else [`authorization`](TokenCache::authorization) knows what to do. A call's common
    /// path: no future to keep in the call's state, and for a call without claims, nothing
    /// written that another thread reads.
    ///
    /// Without claims, the token comes from this thread's copy while the cache has not
    /// changed since the copy was made and the copy's time is not over; else from the
    /// state, locked, and the copy is made again. Why the count of changes is enough: a
    /// change that happens before this call (a `401` that rejected the token, a new token
    /// that a call on another thread handed over through a channel…) bumped the count
    /// before this load, and a load cannot read a value older than a store that happens
    /// before it, so the copy, made at a lower count, is not used. A change on another
    /// thread in no order with this call may be seen or not, as with the lock, which would
    /// order the two either way. The count carries no data (the copy is this thread's own),
    /// so `Relaxed` would do; `Acquire`, paired with the bumps' `Release`, costs nothing
    /// more where calls run (a plain load on x86, a load-acquire on AArch64).
    ///
    /// The copy stays with the thread until it sends with another cache, or the thread
    /// ends; dropping the cache drops the copy of the thread that drops it.
    pub(crate) fn fresh(&self, claims: Option<&str>) -> Option<Authorization> {
        let now = (self.now)();
        if claims.is_some() {
            return self.lock().fresh(claims, now);
        }
        let changes = self.changes.0.load(Ordering::Acquire);
        let copied = COPY.try_with(|copy| {
            let copy = copy.borrow();
            let copy = copy.as_ref()?;
            let fresh = copy.cache == self.id
                && copy.changes == changes
                && copy.until.is_none_or(|until| now < until);
            fresh.then(|| copy.authorization.clone())
        });
        if let Ok(Some(authorization)) = copied {
            return Some(authorization);
        }
        let state = self.lock();
        let (authorization, until) = state.serving(None)?;
        if until.is_some_and(|until| now >= until) {
            return None;
        }
        // The count read with the state locked: the state as it is at this count.
        let copy = ThreadCopy {
            cache: self.id,
            changes: self.changes.0.load(Ordering::Relaxed),
            authorization: Authorization {
                header: own_copy(&authorization.header),
                token: authorization.token,
            },
            until,
        };
        drop(state);
        let authorization = copy.authorization.clone();
        // A thread that is ending has no copy to keep.
        let _ = COPY.try_with(|slot| *slot.borrow_mut() = Some(copy));
        Some(authorization)
    }

    /// The token (its header marked sensitive) for the next request: the cached one while
    /// it serves, else a new one from the credential, asked for `claims` when given.
    pub(crate) async fn authorization(&self, claims: Option<&str>) -> Result<Authorization, Error> {
        // The flight this call waited for, and whether its outcome serves this call.
        let mut waited: Option<(u64, bool)> = None;
        loop {
            let now = (self.now)();
            let step = {
                let mut state = self.change();
                if let Some((id, true)) = waited.take()
                    && let Some((done, outcome)) = &state.last_outcome
                    && *done == id
                {
                    return outcome.clone().map_err(Error::Credential);
                }
                state.next_step(claims, now)
            };
            match step {
                Step::Use(authorization) => return Ok(authorization),
                Step::Wait(id, serves) => {
                    self.flight_ended(id).await;
                    waited = Some((id, serves));
                }
                Step::Ask(id, fallback) => return self.ask(id, claims, fallback).await,
            }
        }
    }

    /// Forgets `token` (Graph rejected it), unless it was already replaced.
    pub(crate) fn reject(&self, token: u64) {
        let mut state = self.change();
        if (state.token.as_ref()).is_some_and(|cached| cached.authorization.token == token) {
            state.token = None;
        }
    }

    /// Resolves once flight `id` is over, whatever its outcome.
    async fn flight_ended(&self, id: u64) {
        poll_fn(|cx| {
            let mut state = self.change();
            if state.flight.as_ref().is_none_or(|flight| flight.id != id) {
                return Poll::Ready(());
            }
            if !state
                .waiters
                .iter()
                .any(|waker| waker.will_wake(cx.waker()))
            {
                state.waiters.push(cx.waker().clone());
            }
            Poll::Pending
        })
        .await;
    }

    /// Leads flight `id`: asks the credential, caches and shares the outcome.
    async fn ask(
        &self,
        id: u64,
        claims: Option<&str>,
        fallback: Option<Authorization>,
    ) -> Result<Authorization, Error> {
        let mut guard = AbandonOnDrop {
            cache: self,
            id,
            armed: true,
        };
        let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
        let request = match claims {
            Some(claims) => TokenRequest::new(&scopes).with_claims(claims),
            None => TokenRequest::new(&scopes),
        };
        let answer = within(&*self.sleep, self.timeout, self.credential.token(&request)).await;
        guard.armed = false;
        let now = (self.now)();
        let answer = match answer {
            Some(Ok(token)) => bearer_header(&token).map(|header| (header, token.expires_on())),
            Some(Err(error)) => Err(CredentialError::failed(error)),
            None => Err(CredentialError::timed_out(self.timeout)),
        };

        let mut state = self.change();
        let waiters = state.end(id);
        let outcome = match answer {
            Ok((header, expires_on)) => {
                let authorization = Authorization { header, token: id };
                let cached = Cached::new(authorization.clone(), claims, expires_on, now);
                state.token = Some(cached);
                state.early_retry_at = None;
                Ok(authorization)
            }
            Err(error) => {
                let still_usable = fallback.filter(|fallback| {
                    state.token.as_ref().is_some_and(|token| {
                        token.authorization.token == fallback.token && token.serves(None, now)
                    })
                });
                match still_usable {
                    Some(fallback) => {
                        state.early_retry_at = now.checked_add(EARLY_RETRY_DELAY);
                        Ok(fallback)
                    }
                    None => Err(error),
                }
            }
        };
        state.last_outcome = Some((id, outcome.clone()));
        drop(state);
        waiters.into_iter().for_each(Waker::wake);
        outcome.map_err(Error::Credential)
    }

    /// Runs `f` with the state locked, as a call that changes it would.
    #[cfg(test)]
    pub(super) fn while_locked<T>(&self, f: impl FnOnce() -> T) -> T {
        let _locked = self.lock();
        f()
    }

    /// The state, locked to read it.
    fn lock(&self) -> MutexGuard<'_, State> {
        crate::sync::lock(&self.state.0)
    }

    /// The state, locked to change it: the count of changes is bumped as it is released.
    fn change(&self) -> Change<'_> {
        Change {
            state: self.lock(),
            changes: &self.changes.0,
        }
    }
}

impl Drop for TokenCache {
    fn drop(&mut self) {
        // This thread's copy of the token goes with the cache; other threads' copies go
        // when they send with another cache or end.
        let _ = COPY.try_with(|copy| {
            let mut copy = copy.borrow_mut();
            if copy.as_ref().is_some_and(|copy| copy.cache == self.id) {
                *copy = None;
            }
        });
    }
}

/// The state locked to change it. Dropped, it bumps the count of changes, then releases the
/// lock (its fields drop after its `drop`): a copy made with the state locked never has a
/// count older than the state it copied.
struct Change<'a> {
    state: MutexGuard<'a, State>,
    changes: &'a AtomicU64,
}

impl Deref for Change<'_> {
    type Target = State;

    fn deref(&self) -> &State {
        &self.state
    }
}

impl DerefMut for Change<'_> {
    fn deref_mut(&mut self) -> &mut State {
        &mut self.state
    }
}

impl Drop for Change<'_> {
    fn drop(&mut self) {
        self.changes.fetch_add(1, Ordering::Release);
    }
}

/// Whether this thread holds a copy of some cache's token.
#[cfg(test)]
pub(super) fn thread_holds_a_copy() -> bool {
    COPY.with(|copy| copy.borrow().is_some())
}

/// A copy of `header` in a buffer of its own, marked sensitive as the cache's is.
fn own_copy(header: &HeaderValue) -> HeaderValue {
    let mut copy = HeaderValue::from_maybe_shared(bytes::Bytes::copy_from_slice(header.as_bytes()))
        .unwrap_or_else(|_| header.clone());
    copy.set_sensitive(true);
    copy
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("credential", &self.credential)
            .field("scopes", &self.scopes)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Ends the flight when its leader is dropped before the credential answered, so that a
/// waiter leads instead.
struct AbandonOnDrop<'a> {
    cache: &'a TokenCache,
    id: u64,
    armed: bool,
}

impl Drop for AbandonOnDrop<'_> {
    fn drop(&mut self) {
        if self.armed {
            let waiters = self.cache.change().end(self.id);
            waiters.into_iter().for_each(Waker::wake);
        }
    }
}

/// `Bearer {token}`, marked sensitive.
fn bearer_header(token: &AccessToken) -> Result<HeaderValue, CredentialError> {
    let mut header = HeaderValue::try_from(format!("Bearer {}", token.secret()))
        .map_err(|_| CredentialError::not_a_header_value())?;
    header.set_sensitive(true);
    Ok(header)
}
