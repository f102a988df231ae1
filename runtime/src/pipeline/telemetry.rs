//! The telemetry step: the headers that identify a call to Graph (`User-Agent`,
//! `client-request-id`, `Retry-Attempt`) and, with the `tracing` feature, a span per call
//! with OpenTelemetry's HTTP attribute names, an event per retry and one per wait at the
//! throttle gate. No token is ever recorded: the `Authorization` header is not read here.

use std::future::Future;
use std::time::Duration;

use http::header::USER_AGENT;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Response};

use crate::error::Error;

pub(crate) const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
const RETRY_ATTEMPT: HeaderName = HeaderName::from_static("retry-attempt");

/// What identifies one call across its attempts.
pub(crate) struct Telemetry {
    /// The caller's, or a fresh UUID v4 per call; the same on its retries, as Graph
    /// recommends.
    client_request_id: HeaderValue,
    /// `graph.request`, the span of the call.
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl Telemetry {
    /// Starts a call: its `client-request-id` (`caller_id` when the caller set one) and,
    /// with `tracing`, its span.
    pub(crate) fn start(method: &Method, url: &str, caller_id: Option<&HeaderValue>) -> Self {
        let client_request_id = caller_id.cloned().unwrap_or_else(new_client_request_id);
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!(
            "graph.request",
            otel.kind = "client",
            otel.name = %method,
            http.request.method = %method,
            url.full = %crate::text::RedactedUrl(url),
            "client-request-id" = client_request_id.to_str().unwrap_or_default(),
            http.response.status_code = tracing::field::Empty,
            http.request.resend_count = tracing::field::Empty,
            error.r#type = tracing::field::Empty,
        );
        #[cfg(not(feature = "tracing"))]
        let _ = (method, url);
        Telemetry {
            client_request_id,
            #[cfg(feature = "tracing")]
            span,
        }
    }

    /// Sets the headers of attempt `retry` (0 for the first send); a `User-Agent` the
    /// caller set is kept, else `user_agent`.
    pub(crate) fn stamp(&self, headers: &mut HeaderMap, retry: u32, user_agent: &HeaderValue) {
        (headers.entry(USER_AGENT)).or_insert_with(|| user_agent.clone());
        headers.insert(CLIENT_REQUEST_ID, self.client_request_id.clone());
        if retry > 0 {
            headers.insert(RETRY_ATTEMPT, HeaderValue::from(retry));
        }
    }

    /// `sending`, run inside the call's span. Not an `async fn`: that would hold `sending`
    /// twice in its state, and a call's future is moved whole into its box.
    #[cfg(feature = "tracing")]
    pub(crate) fn instrument<F: Future>(&self, sending: F) -> impl Future<Output = F::Output> {
        tracing::Instrument::instrument(sending, self.span.clone())
    }

    /// `sending` as it is: without the `tracing` feature there is no span to enter.
    #[cfg(not(feature = "tracing"))]
    pub(crate) fn instrument<F: Future>(&self, sending: F) -> F {
        sending
    }

    /// Records how the call ended: the status of its last response (or what failed) and how
    /// many times it was sent again.
    pub(crate) fn finish<B>(&self, result: &Result<Response<B>, Error>, resends: u32) {
        #[cfg(feature = "tracing")]
        {
            let span = &self.span;
            let status = match result {
                Ok(response) => Some(response.status()),
                Err(error) => error.status(),
            };
            if let Some(status) = status {
                span.record("http.response.status_code", status.as_u16());
            }
            if let Err(error) = result {
                span.record("error.type", error_type(error));
            }
            if resends > 0 {
                span.record("http.request.resend_count", resends);
            }
        }
        #[cfg(not(feature = "tracing"))]
        let _ = (result, resends);
    }
}

/// Notes that retry number `retry` follows after `delay` because of `error`: an event in
/// the call's span with the `tracing` feature, nothing without it.
pub(crate) fn retrying(retry: u32, delay: Duration, error: &Error) {
    #[cfg(feature = "tracing")]
    tracing::info!(
        retry,
        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        http.response.status_code = error.status().map(|status| status.as_u16()),
        error.r#type = error_type(error),
        "retrying",
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (retry, delay, error);
}

/// Notes that a send waits `delay` because a 429 holds the origin of `host`: an event in the
/// call's span with the `tracing` feature, nothing without it.
pub(crate) fn held(host: &str, delay: Duration) {
    #[cfg(feature = "tracing")]
    tracing::info!(
        server.address = host,
        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        "held by the throttle gate",
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (host, delay);
}

/// OpenTelemetry's `error.type`: the status code, or the kind of failure.
#[cfg(feature = "tracing")]
fn error_type(error: &Error) -> String {
    match error {
        Error::Api(api) => api.status().as_str().to_owned(),
        Error::Transport(transport) => format!("{:?}", transport.kind()),
        Error::Decode(_) => "Decode".into(),
        Error::Encode(_) => "Encode".into(),
        Error::InvalidArgument(_) => "InvalidArgument".into(),
        Error::Credential(_) => "Credential".into(),
        Error::NextLink(_) => "NextLink".into(),
        Error::ResyncRequired(_) => "ResyncRequired".into(),
        Error::Incomplete(_) => "Incomplete".into(),
        Error::Io(_) => "Io".into(),

        Error::SessionExpired(_) => "SessionExpired".into(),
        Error::Operation(_) => "Operation".into(),
    }
}

/// A random UUID v4, lowercase, as Graph expects in `client-request-id`.
fn new_client_request_id() -> HeaderValue {
    let bits = fastrand::u128(..);
    let bits = (bits & !(0xF_u128 << 76)) | (0x4_u128 << 76); // version 4
    let bits = (bits & !(0x3_u128 << 62)) | (0x2_u128 << 62); // RFC 4122 variant
    // 32 hex digits in groups of 8-4-4-4-12, written by hand: `format!` with widths costs
    // more than the rest of building a request.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = [b'-'; 36];
    let mut at = 0;
    for (index, byte) in bits.to_be_bytes().into_iter().enumerate() {
        if matches!(index, 4 | 6 | 8 | 10) {
            at += 1;
        }
        for nibble in [byte >> 4, byte & 0xF] {
            if let (Some(slot), Some(digit)) = (id.get_mut(at), HEX.get(usize::from(nibble))) {
                *slot = *digit;
            }
            at += 1;
        }
    }
    // Hex digits and dashes always make a valid header value.
    HeaderValue::from_bytes(&id).unwrap_or(HeaderValue::from_static(
        "00000000-0000-4000-8000-000000000000",
    ))
}

#[cfg(test)]
mod id_tests {
    use super::*;
    use crate::mock::is_client_request_id;

    #[test]
    fn client_request_ids_are_lowercase_uuid_v4_and_differ() {
        let ids: Vec<HeaderValue> = (0..100).map(|_| new_client_request_id()).collect();
        for id in &ids {
            let text = id.to_str().unwrap();
            assert!(is_client_request_id(text), "{text}");
        }
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), 100);
    }
}
