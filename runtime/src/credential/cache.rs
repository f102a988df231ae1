//! The client's token cache: it keeps one token, asks the credential for a new one ahead of
//! its expiry, and lets every call that needs a new token share one request to the
//! credential.
//!
//! No executor is involved: the call that finds no usable token asks the credential itself
//! (it "leads" the refresh); calls that arrive meanwhile park their wakers and take the
//! leader's outcome. If the leader is dropped mid-way, the waiters wake and one of them
//! leads instead. A credential that does not answer within the client's credential timeout
//! fails the flight like an error, so that a stuck credential holds no call for longer.

use std::fmt;
use std::future::poll_fn;
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
    /// Locked by every call: on lines of its own.
    state: OwnLines<Mutex<State>>,
}

#[derive(Default)]
struct State {
    token: Option<Cached>,
    /// The request to the credential in progress, if any.
    flight: Option<Flight>,
    next_flight: u64,
    /// The outcome of the last finished request, for the calls that waited for it.
    last_outcome: Option<(u64, Result<HeaderValue, CredentialError>)>,
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
    header: HeaderValue,
    /// The claims it was asked for.
    claims: Option<String>,
    refresh_at: Option<SystemTime>,
    usable_until: Option<SystemTime>,
}

impl Cached {
    fn new(
        header: HeaderValue,
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
            header,
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
    /// Send this header.
    Use(HeaderValue),
    /// Wait for the request in progress; `true` when its outcome serves this call.
    Wait(u64, bool),
    /// Ask the credential (flight id), falling back on a still usable header if that fails.
    Ask(u64, Option<HeaderValue>),
}

impl State {
    /// The header of the cached token when it serves a request that needs `claims` and
    /// no early refresh is due: what [`next_step`](State::next_step) uses without a change.
    fn fresh(&self, claims: Option<&str>, now: SystemTime) -> Option<HeaderValue> {
        let token = self.token.as_ref()?;
        let early = token.refresh_at.is_some_and(|at| now >= at)
            && self.flight.is_none()
            && self.early_retry_at.is_none_or(|at| now >= at);
        (token.serves(claims, now) && !early).then(|| token.header.clone())
    }

    fn next_step(&mut self, claims: Option<&str>, now: SystemTime) -> Step {
        if let Some(header) = self.fresh(claims, now) {
            return Step::Use(header);
        }
        if let Some(token) = self
            .token
            .as_ref()
            .filter(|token| token.serves(claims, now))
        {
            let fallback = token.header.clone();
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
        TokenCache {
            credential,
            scopes,
            timeout,
            sleep,
            now: SystemTime::now,
            state: OwnLines::default(),
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
        let sleep = crate::sleep::default_sleep();
        TokenCache {
            now,
            ..TokenCache::new(credential, scopes, timeout, sleep)
        }
    }

    /// The cached `Authorization` header when it serves a request that needs `claims` and
    /// no refresh is due; else [`authorization`](TokenCache::authorization) knows what to do.
    /// A call's common path: no future to keep in the call's state.
    pub(crate) fn fresh(&self, claims: Option<&str>) -> Option<HeaderValue> {
        let now = (self.now)();
        self.lock().fresh(claims, now)
    }

    /// The `Authorization` header (marked sensitive) for the next request: the cached token
    /// while it serves, else a new one from the credential, asked for `claims` when given.
    pub(crate) async fn authorization(&self, claims: Option<&str>) -> Result<HeaderValue, Error> {
        // The flight this call waited for, and whether its outcome serves this call.
        let mut waited: Option<(u64, bool)> = None;
        loop {
            let now = (self.now)();
            let step = {
                let mut state = self.lock();
                if let Some((id, true)) = waited.take()
                    && let Some((done, outcome)) = &state.last_outcome
                    && *done == id
                {
                    return outcome.clone().map_err(Error::Credential);
                }
                state.next_step(claims, now)
            };
            match step {
                Step::Use(header) => return Ok(header),
                Step::Wait(id, serves) => {
                    self.flight_ended(id).await;
                    waited = Some((id, serves));
                }
                Step::Ask(id, fallback) => return self.ask(id, claims, fallback).await,
            }
        }
    }

    /// Forgets the token behind `sent` (Graph rejected it), unless it was already replaced.
    pub(crate) fn reject(&self, sent: &HeaderValue) {
        let mut state = self.lock();
        if state
            .token
            .as_ref()
            .is_some_and(|token| token.header == *sent)
        {
            state.token = None;
        }
    }

    /// Resolves once flight `id` is over, whatever its outcome.
    async fn flight_ended(&self, id: u64) {
        poll_fn(|cx| {
            let mut state = self.lock();
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
        fallback: Option<HeaderValue>,
    ) -> Result<HeaderValue, Error> {
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

        let mut state = self.lock();
        let waiters = state.end(id);
        let outcome = match answer {
            Ok((header, expires_on)) => {
                state.token = Some(Cached::new(header.clone(), claims, expires_on, now));
                state.early_retry_at = None;
                Ok(header)
            }
            Err(error) => {
                let still_usable = fallback.filter(|fallback| {
                    state
                        .token
                        .as_ref()
                        .is_some_and(|token| token.header == *fallback && token.serves(None, now))
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

    fn lock(&self) -> MutexGuard<'_, State> {
        crate::sync::lock(&self.state.0)
    }
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
            let waiters = self.cache.lock().end(self.id);
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
