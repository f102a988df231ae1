//! What errors show of a request's URL, and what their source chains reach.

use std::error::Error as StdError;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use serde_json::json;

use super::decode::{Json, decode};
use super::*;
use crate::mock::{MockResponse, MockTransport};
use crate::pipeline::Call;
use crate::text::RedactedUrl;
use crate::transport::TransportErrorKind;

const PERSONAL: &str = "a@b.com";
const URL: &str =
    "https://graph.microsoft.com/v1.0/users?$filter=mail%20eq%20%27a@b.com%27&$top=5&flag";
const SHOWN: &str =
    "https://graph.microsoft.com/v1.0/users?$filter=REDACTED&$top=REDACTED&REDACTED";

/// Asserts that `Display` and `Debug` of `error` show the URL with its query values
/// redacted.
fn assert_redacted(error: &(impl StdError + ?Sized)) {
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(shown.contains(SHOWN), "{shown}");
        assert!(!shown.contains(PERSONAL), "{shown}");
    }
}

async fn get(mock: &MockTransport, url: &str) -> Error {
    let client = mock.client_builder().build().unwrap();
    let call = Call {
        method: Method::GET,
        url: url.to_owned(),
        headers: HeaderMap::new(),
        body: None,
        follow_redirects: false,
    };
    client.pipeline().send(&call).await.unwrap_err()
}

#[test]
fn query_values_are_redacted_and_names_kept() {
    assert_eq!(RedactedUrl(URL).to_string(), SHOWN);
    let plain = "https://graph.microsoft.com/v1.0/me";
    assert_eq!(RedactedUrl(plain).to_string(), plain);
}

#[tokio::test]
async fn api_and_transport_errors_redact_the_query_values_of_their_url() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(
        400,
        json!({"error": {"code": "BadRequest", "message": "no"}}),
    ));
    let api = get(&mock, URL).await;
    assert_redacted(&api);
    assert_eq!(
        api.as_api().unwrap().url(),
        URL,
        "the accessor keeps it whole"
    );

    let mock = MockTransport::new();
    mock.push_error(TransportError::new(TransportErrorKind::Other, "refused"));
    assert_redacted(&get(&mock, URL).await);

    let invalid = get(&MockTransport::new(), &format!("{URL} bad\n")).await;
    assert!(!invalid.to_string().contains(PERSONAL), "{invalid}");
}

#[test]
fn decode_next_link_and_resync_errors_redact_the_query_values_of_their_urls() {
    let decoded = decode::<u32>(
        &Method::GET,
        URL,
        StatusCode::OK,
        Json::Bytes(&Bytes::from_static(b"\"x\"")),
    );
    assert_redacted(&decoded.unwrap_err());

    let link = NextLinkError::new(Some(2), URL, Problem::Repeated);
    assert_redacted(&link);
    assert_eq!(link.link(), URL);

    let mut gone = http::Response::new(bytes::Bytes::new());
    *gone.status_mut() = StatusCode::GONE;
    gone.headers_mut()
        .insert(http::header::LOCATION, http::HeaderValue::from_static(URL));
    let api = ApiError::from_response(&Method::GET, URL, gone);
    let resync = ResyncError::new(api);
    assert!(!resync.to_string().contains(PERSONAL), "{resync}");
}

#[test]
fn an_encode_error_has_serde_jsons_error_as_its_source() {
    let map: std::collections::BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
    let error = Error::Encode(serde_json::to_vec(&map).unwrap_err());
    let source = error.source().expect("a source");
    let serde = source
        .downcast_ref::<serde_json::Error>()
        .expect("serde_json's error");
    assert!(!error.to_string().contains(&serde.to_string()), "{error}");
}
