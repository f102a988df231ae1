//! What the fuzz targets share: the seed model of the main crate's tests (an Intune
//! assignment whose target is a polymorphic enum holding a string enum), a client on a
//! `MockTransport`, the round-trip check, and what the paging targets share: pages queued
//! on a mock, a stream polled once, the check that requests stayed on the base URL's origin.

use std::fmt::Debug;
use std::sync::Arc;

use graph_resource::{Client, Created, Error, MockResponse, MockTransport, RetryPolicy};
use serde::Serialize;
use serde::de::DeserializeOwned;

#[path = "../../tests/support/ready.rs"]
mod ready;
pub use ready::block_on;

#[path = "../../tests/support/model.rs"]
mod model;
pub use model::*;

/// Decodes `data` as `T`. When it decodes, the value must be written and read back equal,
/// and written again to the same bytes.
pub fn check_round_trip<T>(data: &[u8]) -> Option<T>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let value: T = serde_json::from_slice(data).ok()?;
    let written = serde_json::to_vec(&value).expect("a decoded value serializes");
    let shown = String::from_utf8_lossy(&written);
    let reread: T = serde_json::from_slice(&written)
        .unwrap_or_else(|error| panic!("{shown} does not read back: {error}"));
    assert_eq!(reread, value, "written as {shown}");
    let rewritten = serde_json::to_vec(&reread).expect("a decoded value serializes");
    assert_eq!(String::from_utf8_lossy(&rewritten), shown);
    Some(value)
}


/// `DeviceManagementIntentAssignment::create`, answered by `response`, without retries.
pub fn create_answered_with(
    response: MockResponse,
) -> Result<Created<DeviceManagementIntentAssignment>, Error> {
    let mock = MockTransport::new();
    mock.push(response);
    let client = Client::builder()
        .base_url("https://graph.microsoft.com/beta")
        .bearer_token("fuzz-token")
        .transport(Arc::new(mock))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a valid client configuration");
    let body = DeviceManagementIntentAssignment::default();
    block_on(DeviceManagementIntentAssignment::create(
        &client, "intent", &body,
    ))
}

/// The base URL of [`paged_client`], the only origin paging may send to.
const PAGED_BASE: &str = "https://graph.microsoft.com/beta";

/// Splits `data` at 0xFF bytes (which JSON never holds) into up to 8 bodies, queues each as a
/// `200 OK`, and gives the mock and a client on it without retries.
pub fn paged_client(data: &[u8]) -> (Vec<&[u8]>, MockTransport, Client) {
    let bodies: Vec<&[u8]> = data.split(|byte| *byte == 0xFF).take(8).collect();
    let mock = MockTransport::new();
    for body in &bodies {
        mock.push(MockResponse::new(200).body(body.to_vec()));
    }
    let client = mock
        .client_builder()
        .base_url(PAGED_BASE)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a valid client configuration");
    (bodies, mock, client)
}

/// The next item of `stream`, which a mock answering at once never leaves pending.
pub fn next_ready<S: futures_core::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::Pin::new(stream).poll_next(&mut context) {
        std::task::Poll::Ready(next) => next,
        std::task::Poll::Pending => panic!("a mock answers at once"),
    }
}

/// Every request `mock` saw went to the base URL's origin, and none twice.
pub fn assert_requests_stay_on_origin(mock: &MockTransport) {
    let mut seen = std::collections::HashSet::new();
    for request in mock.requests() {
        let uri = request.uri.to_string();
        assert!(uri.starts_with("https://graph.microsoft.com/"), "sent to {uri}");
        assert!(seen.insert(uri.clone()), "{uri} was requested twice");
        assert!(request.header("authorization").is_some());
    }
}
