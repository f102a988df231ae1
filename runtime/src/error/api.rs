//! A non-2xx response and Graph's error envelope:
//! `{"error": {"code", "message", "target", "details": […], "innerError": {…}}}`.

use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, RETRY_AFTER};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::{Map, Value};

use super::Url;
use crate::text::{MESSAGE_CHARS, Shortened, StatusLine};

/// A response with a status other than 2xx, and Graph's error envelope when it sent one:
/// `{"error": {"code", "message", "target", "details": […], "innerError": {…}}}`.
#[derive(Debug, Clone)]
pub struct ApiError {
    method: Method,
    url: Url,
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
            url: Url::new(url),
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

    /// Whether the status is `404 Not Found`.
    pub fn is_not_found(&self) -> bool {
        self.status == StatusCode::NOT_FOUND
    }

    /// The method of the request that failed.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The URL of the request that failed, whole; `Display` and `Debug` show its query
    /// values as `REDACTED`.
    pub fn url(&self) -> &str {
        self.url.as_str()
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
    pub(crate) fn from_value(value: Value) -> Option<Self> {
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
}
