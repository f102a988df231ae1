//! Sending a call, step by step. The order of the steps is [`Pipeline::send`]:
//!
//! 1. [`throttle`]: the gate, shared by the client's clones, in front of every send (the
//!    first and each retry): while another call's 429 with `Retry-After` holds the URL's
//!    throttling scope (a [`ThrottleScopes`](throttle::ThrottleScopes) scope of its path, on
//!    its scheme, host and port), the send waits until then, and for a short random spread
//!    after, but in all no longer than the retry policy's `max_total_delay`; with a limit on
//!    requests in flight, it then waits for a free slot, first come first served;
//! 2. [`retry`]: sends the call again while the [`RetryPolicy`] allows; a call answered 429
//!    waits its own `Retry-After` here, and its 429 holds its scope for the others;
//! 3. [`telemetry`]: the client's default [`headers`], `User-Agent`, `client-request-id` and
//!    `Retry-Attempt` on every attempt (a header the request sets itself is kept), and with
//!    the `tracing` feature a span per call and an event per retry or wait at the gate;
//! 4. [`credential`]: `Authorization` with the client's cached token, and one more attempt
//!    with a new token when a `401` carries a claims challenge;
//! 5. [`timeout`]: the transport, raced against the per-attempt timeout;
//! 6. [`redirect`]: for a call that asks for it (a report's `302`), the redirect followed to
//!    its end without the call's headers.
//!
//! A 2xx response ends the call; any other status becomes [`Error::Api`]. The steps are the
//! same for a JSON call, read whole, and for a download or a content upload, streamed
//! ([`exchange`]).

pub(crate) mod bare;
pub(crate) mod credential;
pub(crate) mod exchange;
pub(crate) mod headers;
pub(crate) mod redirect;
pub(crate) mod retry;
pub(crate) mod telemetry;
pub(crate) mod throttle;
pub(crate) mod timeout;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method, Response, Uri};

use crate::credential::TokenCache;
use crate::error::{ApiError, Error};
use crate::sleep::Sleep;
use crate::text::RedactedUrl;
use crate::transport::{BoxFuture, RedirectsFollowedByClient, Transport};
use exchange::{Payload, Received};
use headers::ClientHeaders;
use retry::RetryPolicy;
use telemetry::Telemetry;
use throttle::{Gate, Patience};

/// What a call sends, before the per-attempt headers are added.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) method: Method,
    /// The absolute URL, percent-encoded.
    pub(crate) url: String,
    /// Headers of this call beyond those every request carries (`If-Match`, `Prefer`, …).
    pub(crate) headers: HeaderMap,
    /// The JSON body, if any.
    pub(crate) body: Option<Bytes>,
    /// Whether a redirect is followed to its end without the call's headers, as
    /// [`redirect::follow`] does.
    pub(crate) follow_redirects: bool,
}

/// A call on its way through the pipeline, owning what it needs (a clone of the client);
/// the call comes back with its answer, which names it in errors.
pub(crate) type InFlight = BoxFuture<'static, (Call, Result<Response<Bytes>, Error>)>;

/// What the attempts of one call share, built where the call's state keeps it: each of its
/// parts once.
struct Attempts<'a> {
    call: &'a Call,
    /// The body sent in place of the call's own, if any.
    upload: Option<Payload>,
    /// The call's URL, parsed once.
    uri: Uri,
    telemetry: Telemetry,
    /// The call's number at the throttle gate.
    number: u64,
    /// How long the gate may still hold the call.
    patience: Patience,
}

/// The steps a call goes through and what they need: the client's policies.
#[derive(Debug)]
pub(crate) struct Pipeline {
    pub(crate) retry: RetryPolicy,
    /// The credential, its scopes and its token.
    pub(crate) credential: TokenCache,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) sleep: Arc<dyn Sleep>,
    pub(crate) timeout: Duration,
    pub(crate) throttle: Gate,
    /// The default headers and `User-Agent`.
    pub(crate) headers: ClientHeaders,
}

impl Pipeline {
    /// Sends `call` through every step and returns its 2xx response.
    ///
    /// Not an `async fn`, nor is [`send_as`](Pipeline::send_as): each would be one more
    /// layer of the call's state around the same future, with its arguments kept beside it.
    pub(crate) fn send<'a>(
        &'a self,
        call: &'a Call,
    ) -> impl Future<Output = Result<Response<Bytes>, Error>> + Send + 'a {
        self.send_as(call, self.throttle.call())
    }

    /// [`send`](Pipeline::send) as call `number` of the throttle gate, which a 429 of this
    /// number does not hold: the `$batch` requests of one batch, which waits for its
    /// throttled items itself, share one.
    pub(crate) fn send_as<'a>(
        &'a self,
        call: &'a Call,
        number: u64,
    ) -> impl Future<Output = Result<Response<Bytes>, Error>> + Send + 'a {
        self.exchange(call, None, number)
    }

    /// Sends `call` with `upload` as its body, if any, in place of the call's own, and
    /// returns its 2xx response with the body as `R` reads it: a [`BodyStream`](crate::BodyStream)
    /// for a download. A streamed response is returned when its first chunk arrived, so
    /// retries end there: a body that fails later is not asked for again. An upload from a
    /// stream is sent once.
    pub(crate) fn send_content<'a, R: Received>(
        &'a self,
        call: &'a Call,
        upload: Option<Payload>,
    ) -> impl Future<Output = Result<Response<R>, Error>> + Send + 'a {
        self.exchange(call, upload, self.throttle.call())
    }

    /// [`send_as`](Pipeline::send_as) with the body and the response body of
    /// [`send_content`](Pipeline::send_content).
    fn exchange<'a, R: Received>(
        &'a self,
        call: &'a Call,
        upload: Option<Payload>,
        number: u64,
    ) -> impl Future<Output = Result<Response<R>, Error>> + Send + 'a {
        let attempts = Uri::try_from(call.url.as_str())
            .map(|uri| {
                let caller_id = (call.headers.get(&telemetry::CLIENT_REQUEST_ID))
                    .or_else(|| self.headers.get(&telemetry::CLIENT_REQUEST_ID));
                Attempts {
                    call,
                    upload,
                    uri,
                    telemetry: Telemetry::start(&call.method, &call.url, caller_id),
                    number,
                    patience: Patience::new(self.retry.total_delay_limit()),
                }
            })
            .map_err(|_| {
                let url = RedactedUrl(&call.url);
                Error::InvalidArgument(format!("`{url}` is not a valid URL"))
            });
        // This and the functions below return `async` blocks rather than being `async fn`s:
        // an `async fn` keeps its arguments twice in its state, as it took them and as the
        // locals its body moves them into.
        async move {
            // Borrowed where it lies: taken out, it would have a second place in the state.
            let attempts = match attempts {
                Ok(ref attempts) => attempts,
                Err(error) => return Err(error),
            };
            let call = attempts.call;
            let policy = match &attempts.upload {
                Some(upload) if !upload.is_replayable() => &RetryPolicy::NONE,
                _ => &self.retry,
            };
            let mut resends = 0;
            let sending = retry::send(policy, &*self.sleep, &call.method, |retry| {
                resends = retry;
                self.gated_attempt(attempts, retry)
            });
            let result = attempts.telemetry.instrument(sending).await;
            attempts.telemetry.finish(&result, resends);
            result
        }
    }

    /// Attempt `retry` of a call through the throttle gate, held there at most what is left
    /// of the call's patience: a 429 it gets holds its scope for the other calls before its
    /// slot is freed.
    #[expect(
        clippy::manual_async_fn,
        reason = "an `async fn` keeps its arguments twice"
    )]
    fn gated_attempt<'a, R: Received>(
        &'a self,
        attempts: &'a Attempts<'a>,
        retry: u32,
    ) -> impl Future<Output = Result<Response<R>, Error>> + 'a {
        async move {
            let Attempts {
                uri,
                number,
                patience,
                ..
            } = attempts;
            let _slot = (self.throttle)
                .pass(uri, *number, &*self.sleep, patience)
                .await;
            let result = self.attempt(attempts, retry).await;
            if let Err(error) = &result {
                self.throttle
                    .observe(uri, *number, error, self.retry.longest_delay());
            }
            result
        }
    }

    /// One attempt: the per-attempt headers, the token, the transport, and what the
    /// response makes of it.
    #[expect(
        clippy::manual_async_fn,
        reason = "an `async fn` keeps its arguments twice"
    )]
    fn attempt<'a, R: Received>(
        &'a self,
        attempts: &'a Attempts<'a>,
        retry: u32,
    ) -> impl Future<Output = Result<Response<R>, Error>> + 'a {
        async move {
            let call = attempts.call;
            let build = || self.request(attempts, retry);
            let response = credential::send(&self.credential, build, |request| {
                timeout::exchange::<R>(self, request, &call.method, &call.url)
            })
            .await?;
            if response.status().is_success() {
                return Ok(response);
            }
            // Boxed: only the calls answered otherwise pay for the state of what comes next.
            Box::pin(self.answer(call, response)).await
        }
    }

    /// The request of attempt `retry` of a call, with every header but the token.
    fn request(&self, attempts: &Attempts<'_>, retry: u32) -> http::Request<Payload> {
        let call = attempts.call;
        let payload = match (&attempts.upload, &call.body) {
            (Some(upload), _) => upload.clone(),
            (None, body) => Payload::Bytes(body.clone().unwrap_or_default()),
        };
        let mut request = http::Request::new(payload);
        *request.method_mut() = call.method.clone();
        *request.uri_mut() = attempts.uri.clone();
        if call.follow_redirects {
            request.extensions_mut().insert(RedirectsFollowedByClient);
        }
        let headers = request.headers_mut();
        headers.clone_from(&call.headers);
        self.headers.add_defaults(headers);
        (headers.entry(ACCEPT)).or_insert(HeaderValue::from_static("application/json"));
        if call.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        (attempts.telemetry).stamp(headers, retry, &self.headers.user_agent);
        request
    }

    /// What an attempt's `response` that is not a success makes of it: a redirect followed
    /// when the call asks for it, then the response if it is a success, else its
    /// [`Error::Api`].
    async fn answer<R: Received>(
        &self,
        call: &Call,
        response: Response<R>,
    ) -> Result<Response<R>, Error> {
        let response = if call.follow_redirects && redirect::redirects(response.status()) {
            redirect::follow(self, &call.url, response).await?
        } else {
            response
        };
        if response.status().is_success() {
            Ok(response)
        } else {
            let response = exchange::error_response(response).await;
            let error = ApiError::from_response(&call.method, &call.url, response);
            Err(Error::Api(Box::new(error)))
        }
    }
}
