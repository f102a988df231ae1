//! Every way a call can fail.

use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, RETRY_AFTER};
use http::{HeaderMap, Method, StatusCode};
use serde_json::{Map, Value};

use crate::retry::parse_retry_after;

/// Why a call failed.
///
/// Nothing here ever holds the bearer token, so `Debug` and `Display` are safe to log.
///
/// ```
/// use graph_resource_runtime::Error;
///
/// fn describe(error: &Error) -> String {
///     match error {
///         Error::Api(api) if api.status() == http::StatusCode::NOT_FOUND => "no such resource".into(),
///         Error::Api(api) => format!("Graph said {:?}", api.code()),
///         other => other.to_string(),
///     }
/// }
/// ```
#[non_exhaustive]
#[derive(Debug)]
pub enum Error {
    /// Graph answered with a status other than 2xx (after any retries).
    Api(Box<ApiError>),
    /// No complete response arrived: the connection failed, timed out or was cut.
    Transport(TransportError),
    /// A 2xx response whose body is not the JSON that was expected.
    Decode(Box<DecodeError>),
    /// The request body could not be serialized.
    Encode(serde_json::Error),
    /// An argument was rejected before anything was sent (a path key, a base URL, …).
    InvalidArgument(String),
    /// The credential could not provide an access token.
    Credential(Box<dyn StdError + Send + Sync>),
}

impl Error {
    /// The HTTP status of the response, for [`Api`](Error::Api) and
    /// [`Decode`](Error::Decode) errors.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status()),
            Error::Decode(error) => Some(error.status()),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(error) => error.fmt(f),
            Error::Transport(error) => error.fmt(f),
            Error::Decode(error) => error.fmt(f),
            Error::Encode(error) => write!(f, "could not serialize the request body: {error}"),
            Error::InvalidArgument(message) => write!(f, "invalid argument: {message}"),
            Error::Credential(error) => write!(f, "could not get an access token: {error}"),
        }
    }
}

/// Each message already includes the message of its direct cause, so `source` starts one
/// level further down and error reporters do not print a message twice.
impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Transport(error) => error.source(),
            Error::Encode(error) => error.source(),
            Error::Credential(error) => error.source(),
            Error::Api(_) | Error::Decode(_) | Error::InvalidArgument(_) => None,
        }
    }
}

/// A response with a status other than 2xx, and Graph's error envelope when it sent one:
/// `{"error": {"code", "message", "target", "details": […], "innerError": {…}}}`.
#[derive(Debug, Clone)]
pub struct ApiError {
    method: Method,
    url: String,
    status: StatusCode,
    headers: HeaderMap,
    code: Option<String>,
    message: Option<String>,
    target: Option<String>,
    details: Vec<ErrorDetail>,
    inner_error: Option<InnerError>,
    extra: Map<String, Value>,
    retry_after: Option<Duration>,
    raw_body: Option<Bytes>,
}

impl ApiError {
    /// Reads the status, the headers and the error envelope of a non-2xx response.
    pub(crate) fn from_response(
        method: &Method,
        url: &str,
        response: http::Response<Bytes>,
    ) -> Self {
        let (parts, body) = response.into_parts();
        let retry_after = parts
            .headers
            .get(RETRY_AFTER)
            .and_then(|value| parse_retry_after(value, SystemTime::now()));
        let mut error = ApiError {
            method: method.clone(),
            url: url.to_owned(),
            status: parts.status,
            headers: parts.headers,
            code: None,
            message: None,
            target: None,
            details: Vec::new(),
            inner_error: None,
            extra: Map::new(),
            retry_after,
            raw_body: None,
        };
        match envelope(&body) {
            Some(mut members) => {
                error.code = take_string(&mut members, &["code"]);
                error.message = take_string(&mut members, &["message"]);
                error.target = take_string(&mut members, &["target"]);
                if members.get("details").is_some_and(Value::is_array)
                    && let Some(Value::Array(details)) = members.shift_remove("details")
                {
                    error.details = details
                        .into_iter()
                        .filter_map(ErrorDetail::from_value)
                        .collect();
                }
                error.inner_error = take_inner_error(&mut members).map(|inner| *inner);
                error.extra = members;
            }
            None => error.raw_body = Some(body),
        }
        error
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The method of the request that failed.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The URL of the request that failed.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// `error.code`, such as `Request_BadRequest` or `TooManyRequests`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// `error.message`, the human-readable description.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// `error.target`, the property or parameter the error is about, when Graph names one.
    pub fn target(&self) -> Option<&str> {
        self.target.as_deref()
    }

    /// `error.details`: one entry per problem, for example per invalid property.
    pub fn details(&self) -> &[ErrorDetail] {
        &self.details
    }

    /// `error.innerError` (also spelled `innererror`): request ids, date and more.
    pub fn inner_error(&self) -> Option<&InnerError> {
        self.inner_error.as_ref()
    }

    /// Members of `error` not listed above, in the order received.
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }

    /// The `Retry-After` header: seconds (fractions such as `2.128` too) or an HTTP date,
    /// counted from when the response arrived. A date in the past or a negative number gives
    /// zero, a number too large for a `Duration` gives `Duration::MAX`; `None` when the header
    /// is absent or unreadable.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The id Graph gave the request: `innerError.request-id`, else the `request-id` header.
    /// Quote it when asking Microsoft for support.
    pub fn request_id(&self) -> Option<&str> {
        self.inner_error
            .as_ref()
            .and_then(InnerError::request_id)
            .or_else(|| self.headers.get("request-id")?.to_str().ok())
    }

    /// The response body when it is not a Graph error envelope (an HTML page from a proxy,
    /// plain text, an empty body); `None` when the envelope was parsed.
    pub fn raw_body(&self) -> Option<&[u8]> {
        self.raw_body.as_deref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: Graph answered {}",
            self.method,
            self.url,
            StatusLine(self.status)
        )?;
        match &self.raw_body {
            None => {
                for part in [&self.code, &self.message].into_iter().flatten() {
                    write!(f, ": {}", Shortened(part, MESSAGE_CHARS))?;
                }
            }
            Some(body) if body.is_empty() => f.write_str(" with an empty body")?,
            Some(body) => {
                let content_type = self
                    .headers
                    .get(CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok());
                write!(
                    f,
                    " with {} bytes of {} instead of a Graph error",
                    body.len(),
                    content_type.unwrap_or("content of no declared type")
                )?;
            }
        }
        match self.request_id() {
            Some(id) => write!(f, " (request-id {id})"),
            None => Ok(()),
        }
    }
}

impl StdError for ApiError {}

/// One entry of `error.details`.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorDetail {
    code: Option<String>,
    message: Option<String>,
    target: Option<String>,
    extra: Map<String, Value>,
}

impl ErrorDetail {
    fn from_value(value: Value) -> Option<Self> {
        let Value::Object(mut members) = value else {
            return None;
        };
        Some(ErrorDetail {
            code: take_string(&mut members, &["code"]),
            message: take_string(&mut members, &["message"]),
            target: take_string(&mut members, &["target"]),
            extra: members,
        })
    }

    /// `code` of this detail.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// `message` of this detail.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// `target`: the property this detail is about.
    pub fn target(&self) -> Option<&str> {
        self.target.as_deref()
    }

    /// Every other member, in the order received.
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

/// `error.innerError`: diagnostics Graph adds to an error, possibly nesting another
/// `innerError`.
#[derive(Debug, Clone, PartialEq)]
pub struct InnerError {
    request_id: Option<String>,
    client_request_id: Option<String>,
    date: Option<String>,
    code: Option<String>,
    message: Option<String>,
    inner_error: Option<Box<InnerError>>,
    extra: Map<String, Value>,
}

impl InnerError {
    fn from_members(mut members: Map<String, Value>) -> Self {
        InnerError {
            request_id: take_string(&mut members, &["request-id", "requestId"]),
            client_request_id: take_string(&mut members, &["client-request-id", "clientRequestId"]),
            date: take_string(&mut members, &["date"]),
            code: take_string(&mut members, &["code"]),
            message: take_string(&mut members, &["message"]),
            inner_error: take_inner_error(&mut members),
            extra: members,
        }
    }

    /// `request-id` (or `requestId`): the id Graph gave the request.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// `client-request-id`: the id the client sent in its `client-request-id` header.
    pub fn client_request_id(&self) -> Option<&str> {
        self.client_request_id.as_deref()
    }

    /// `date` as Graph wrote it (often ISO 8601 without an offset, in UTC).
    pub fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }

    /// `code`, when it is a string (Graph sends `"429"` on throttling).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// `message`, when it is a string.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The nested `innerError`, if any.
    pub fn inner_error(&self) -> Option<&InnerError> {
        self.inner_error.as_deref()
    }

    /// Every other member (such as `status`), in the order received.
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

/// The members of `error` when `body` is a Graph error envelope.
fn envelope(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body).ok()? {
        Value::Object(mut root) => match root.shift_remove("error")? {
            Value::Object(members) => Some(members),
            _ => None,
        },
        _ => None,
    }
}

/// Removes the first of `keys` that holds a string; members of other types stay in `members`.
fn take_string(members: &mut Map<String, Value>, keys: &[&str]) -> Option<String> {
    let key = keys
        .iter()
        .find(|key| members.get(**key).is_some_and(Value::is_string))?;
    match members.shift_remove(*key)? {
        Value::String(value) => Some(value),
        _ => None,
    }
}

fn take_inner_error(members: &mut Map<String, Value>) -> Option<Box<InnerError>> {
    let key = ["innerError", "innererror"]
        .into_iter()
        .find(|key| members.get(*key).is_some_and(Value::is_object))?;
    match members.shift_remove(key)? {
        Value::Object(inner) => Some(Box::new(InnerError::from_members(inner))),
        _ => None,
    }
}

/// A 2xx response whose body could not be decoded into the expected type.
#[derive(Debug)]
pub struct DecodeError {
    method: Method,
    url: String,
    status: StatusCode,
    path: String,
    error: serde_json::Error,
    body_excerpt: String,
}

/// How many bytes of the body a [`DecodeError`] keeps.
const EXCERPT_BYTES: usize = 512;

impl DecodeError {
    pub(crate) fn new(
        method: &Method,
        url: String,
        status: StatusCode,
        path: String,
        error: serde_json::Error,
        body: &[u8],
    ) -> Self {
        DecodeError {
            method: method.clone(),
            url,
            status,
            path,
            error,
            body_excerpt: excerpt(body, EXCERPT_BYTES),
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The JSON path where decoding failed, such as `target.groupId` (`.` for the root).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The error serde_json reported, with line and column.
    pub fn error(&self) -> &serde_json::Error {
        &self.error
    }

    /// The start of the body (up to 512 bytes, invalid UTF-8 replaced).
    pub fn body_excerpt(&self) -> &str {
        &self.body_excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (method, url, status) = (&self.method, &self.url, StatusLine(self.status));
        if self.body_excerpt.is_empty() {
            write!(
                f,
                "{method} {url}: expected a JSON body in the {status} response, found an empty body"
            )
        } else {
            let message = self.error.to_string();
            let message = crate::located::split_inner_path(&message)
                .map_or(message.as_str(), |(_, rest)| rest);
            write!(
                f,
                "{method} {url}: could not decode the {status} response at `{}`: {}",
                self.path,
                Shortened(message, MESSAGE_CHARS)
            )
        }
    }
}

impl StdError for DecodeError {}

/// How many characters of a message from elsewhere an error shows: serde quotes a wrong
/// value of megabytes whole, and a server's message can be as long as it likes.
const MESSAGE_CHARS: usize = 300;

/// How much of a wrong value an error message of this crate quotes.
pub(crate) const QUOTED_CHARS: usize = 100;

/// A text shown up to `.1` characters, `…` marking a cut.
pub(crate) struct Shortened<'a>(pub(crate) &'a str, pub(crate) usize);

impl fmt::Display for Shortened<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(self.1) {
            Some((cut, _)) => write!(f, "{}…", self.0.get(..cut).unwrap_or_default()),
            None => f.write_str(self.0),
        }
    }
}

/// The first `max` bytes of `body` or fewer, cut on a character boundary, lossy UTF-8.
fn excerpt(body: &[u8], max: usize) -> String {
    let mut end = body.len().min(max);
    // Step back over the (at most 3) continuation bytes of a cut character.
    let floor = end.saturating_sub(3);
    while end > floor && body.get(end).is_some_and(|byte| byte & 0xC0 == 0x80) {
        end -= 1;
    }
    String::from_utf8_lossy(body.get(..end).unwrap_or_default()).into_owned()
}

/// What went wrong when a transport could not deliver a complete response; decides
/// whether a retry is safe.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// No connection was made, so nothing was sent: safe to retry for every method.
    Connect,
    /// No response in time; the request may have been received and applied. Retried only
    /// for idempotent methods.
    Timeout,
    /// The connection was closed or reset after the request may have been written. Retried
    /// only for idempotent methods.
    Interrupted,
    /// Anything else, such as a request the transport could not build. Never retried.
    Other,
}

/// A failure to deliver a request or to receive its complete response.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
    request: Option<String>,
}

impl TransportError {
    /// An error of `kind`, described by `message`.
    ///
    /// ```
    /// use graph_resource_runtime::{TransportError, TransportErrorKind};
    ///
    /// let error = TransportError::new(TransportErrorKind::Interrupted, "connection reset by peer");
    /// assert_eq!(error.kind(), TransportErrorKind::Interrupted);
    /// ```
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
            request: None,
        }
    }

    /// Attaches the underlying error, returned by [`source`](StdError::source).
    #[must_use]
    pub fn with_source(mut self, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The description given by the transport.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Names the request this error belongs to, for `Display`.
    pub(crate) fn for_request(mut self, method: &Method, url: &str) -> Self {
        self.request = Some(format!("{method} {url}"));
        self
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.request {
            Some(request) => write!(f, "{request}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

/// `400 Bad Request`, or just the number for a status without a standard reason.
struct StatusLine(StatusCode);

impl fmt::Display for StatusLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.canonical_reason() {
            Some(reason) => write!(f, "{} {reason}", self.0.as_u16()),
            None => write!(f, "{}", self.0.as_u16()),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn api_error(status: u16, headers: &[(&str, &str)], body: &str) -> ApiError {
        let mut response = http::Response::builder().status(status);
        for (name, value) in headers {
            response = response.header(*name, *value);
        }
        let response = response
            .body(Bytes::copy_from_slice(body.as_bytes()))
            .unwrap();
        ApiError::from_response(
            &Method::POST,
            "https://graph.microsoft.com/v1.0/groups",
            response,
        )
    }

    #[test]
    fn a_long_message_from_the_server_is_cut_in_display() {
        let message = "m".repeat(100_000);
        let body = json!({"error": {"code": "TooLong", "message": message}}).to_string();
        let error = api_error(400, &[], &body);
        assert_eq!(
            error.message(),
            Some(message.as_str()),
            "kept whole for the caller"
        );
        let shown = error.to_string();
        assert!(shown.contains("TooLong") && shown.ends_with("…"), "{shown}");
        assert!(shown.len() < 1_000, "{} bytes", shown.len());
    }

    #[test]
    fn reads_the_envelope_with_details_and_inner_error() {
        let body = json!({"error": {
            "code": "Request_UnprocessableEntity",
            "message": "The values provided contain one or more validation errors.",
            "target": "group",
            "innerError": {"request-id": "req-1", "client-request-id": "client-1", "date": "2024-01-02T03:04:05"},
            "details": [
                {"target": "mailNickname", "code": "MissingPrefix", "message": "needs a prefix", "prefix": "p_"},
                "not an object"
            ],
            "futureMember": 1
        }});
        let error = api_error(422, &[("request-id", "header-id")], &body.to_string());
        assert_eq!(error.status(), 422);
        assert_eq!(error.code(), Some("Request_UnprocessableEntity"));
        assert_eq!(
            error.message(),
            Some("The values provided contain one or more validation errors.")
        );
        assert_eq!(error.target(), Some("group"));
        assert_eq!(
            error.extra(),
            json!({"futureMember": 1}).as_object().unwrap()
        );
        let [detail] = error.details() else {
            panic!("{:?}", error.details())
        };
        assert_eq!(
            (detail.code(), detail.message(), detail.target()),
            (
                Some("MissingPrefix"),
                Some("needs a prefix"),
                Some("mailNickname")
            )
        );
        assert_eq!(detail.extra(), json!({"prefix": "p_"}).as_object().unwrap());
        let inner = error.inner_error().unwrap();
        assert_eq!(inner.request_id(), Some("req-1"));
        assert_eq!(inner.client_request_id(), Some("client-1"));
        assert_eq!(inner.date(), Some("2024-01-02T03:04:05"));
        assert_eq!(
            error.request_id(),
            Some("req-1"),
            "innerError wins over the header"
        );
        assert_eq!(error.raw_body(), None);
        assert_eq!(
            error.to_string(),
            "POST https://graph.microsoft.com/v1.0/groups: Graph answered 422 Unprocessable Entity: \
             Request_UnprocessableEntity: The values provided contain one or more validation errors. (request-id req-1)"
        );
    }

    #[test]
    fn reads_a_throttling_body_with_lowercase_innererror_and_a_nested_chain() {
        let body = r#"{"error": {"code": "TooManyRequests", "innererror": {
            "code": "429", "date": "2024-01-02T03:04:05", "message": "Please retry after",
            "requestId": "req-2", "status": "429",
            "innerError": {"code": "ThrottledByTenant", "innererror": {"code": "Deepest"}}
        }, "message": "Please retry again later."}}"#;
        let error = api_error(429, &[("retry-after", "2.128")], body);
        assert_eq!(error.retry_after(), Some(Duration::from_millis(2128)));
        assert_eq!(error.message(), Some("Please retry again later."));
        let inner = error.inner_error().unwrap();
        assert_eq!(inner.code(), Some("429"));
        assert_eq!(inner.message(), Some("Please retry after"));
        assert_eq!(inner.request_id(), Some("req-2"));
        assert_eq!(inner.extra(), json!({"status": "429"}).as_object().unwrap());
        let nested = inner.inner_error().unwrap();
        assert_eq!(nested.code(), Some("ThrottledByTenant"));
        assert_eq!(
            nested.inner_error().and_then(InnerError::code),
            Some("Deepest")
        );
        assert_eq!(error.request_id(), Some("req-2"));
    }

    #[test]
    fn tolerates_missing_and_oddly_typed_members() {
        let error = api_error(
            400,
            &[],
            r#"{"error": {"code": 42, "details": "none", "innerError": "x"}}"#,
        );
        assert_eq!(error.code(), None);
        assert!(error.details().is_empty());
        assert!(error.inner_error().is_none());
        assert_eq!(
            error.extra(),
            json!({"code": 42, "details": "none", "innerError": "x"})
                .as_object()
                .unwrap()
        );
        assert_eq!(error.raw_body(), None);
        assert_eq!(
            error.to_string(),
            "POST https://graph.microsoft.com/v1.0/groups: Graph answered 400 Bad Request"
        );
    }

    #[test]
    fn keeps_a_body_that_is_not_a_graph_error() {
        let html = "<html><body>502 Bad Gateway</body></html>";
        let error = api_error(
            502,
            &[("content-type", "text/html"), ("request-id", "hdr-1")],
            html,
        );
        assert_eq!(error.raw_body(), Some(html.as_bytes()));
        assert_eq!(error.code(), None);
        assert_eq!(error.request_id(), Some("hdr-1"));
        assert_eq!(
            error.to_string(),
            "POST https://graph.microsoft.com/v1.0/groups: Graph answered 502 Bad Gateway \
             with 41 bytes of text/html instead of a Graph error (request-id hdr-1)"
        );

        let error = api_error(599, &[], "");
        assert_eq!(error.raw_body(), Some(&b""[..]));
        assert_eq!(
            error.to_string(),
            "POST https://graph.microsoft.com/v1.0/groups: Graph answered 599 with an empty body"
        );

        for body in [r#"{"error": "invalid_grant"}"#, "[1]", "{\"error\": {"] {
            assert_eq!(
                api_error(400, &[], body).raw_body(),
                Some(body.as_bytes()),
                "{body}"
            );
        }
    }

    #[test]
    fn excerpts_cut_on_a_character_boundary() {
        let body = format!("{}é{}", "a".repeat(511), "b".repeat(100));
        assert_eq!(excerpt(body.as_bytes(), 512), "a".repeat(511));
        assert_eq!(excerpt("é".as_bytes(), 512), "é");
        assert_eq!(excerpt(&[0x80; 600], 512).chars().count(), 509);
        assert_eq!(excerpt(b"\xffabc", 512), "\u{fffd}abc");
    }

    #[test]
    fn transport_errors_keep_kind_message_and_source() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        let error = TransportError::new(TransportErrorKind::Interrupted, "the connection was cut")
            .with_source(io)
            .for_request(&Method::GET, "https://graph.microsoft.com/v1.0/me");
        assert_eq!(error.kind(), TransportErrorKind::Interrupted);
        assert_eq!(error.message(), "the connection was cut");
        assert_eq!(
            error.to_string(),
            "GET https://graph.microsoft.com/v1.0/me: the connection was cut"
        );
        assert_eq!(error.source().unwrap().to_string(), "reset by peer");
        let error = Error::Transport(error);
        assert_eq!(error.source().unwrap().to_string(), "reset by peer");
    }
}
