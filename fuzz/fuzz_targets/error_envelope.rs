//! Arbitrary error responses: a status from 400 to 599, a `Retry-After` header and a body,
//! all from the input. `create` must return the API error with that status and never panic
//! reading it.
#![no_main]

use graph_resource::{Error, MockResponse};
use graph_resource_fuzz::create_answered_with;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [status, retry_after_len, rest @ ..] = data else {
        return;
    };
    let status = 400 + u16::from(*status) % 200;
    let (retry_after, body) = rest.split_at(usize::from(*retry_after_len).min(rest.len()));
    let mut response = MockResponse::new(status).body(body.to_vec());
    if http::HeaderValue::from_bytes(retry_after).is_ok() {
        response = response.header("retry-after", retry_after);
    }

    let api = match create_answered_with(response) {
        Err(Error::Api(api)) => api,
        other => panic!("expected an API error {status}, got {other:?}"),
    };
    assert_eq!(api.status().as_u16(), status);
    let _ = (
        api.to_string(),
        format!("{api:?}"),
        api.retry_after(),
        api.request_id(),
    );
    match api.raw_body() {
        Some(raw) => assert_eq!(raw, body),
        None => assert!(serde_json::from_slice::<serde_json::Value>(body).is_ok()),
    }
    let mut inner = api.inner_error();
    while let Some(error) = inner {
        let _ = (error.code(), error.message(), error.date(), error.extra());
        inner = error.inner_error();
    }
    for detail in api.details() {
        let _ = (
            detail.code(),
            detail.message(),
            detail.target(),
            detail.extra(),
        );
    }
});
