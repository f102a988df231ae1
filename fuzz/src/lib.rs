//! What the fuzz targets share: the seed model of the main crate's tests (an Intune
//! assignment whose target is a polymorphic enum holding a string enum), a client on a
//! `MockTransport` and the round-trip check.

use std::fmt::Debug;
use std::sync::Arc;

use graph_resource::{Client, Error, MockResponse, MockTransport, RetryPolicy};
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
) -> Result<DeviceManagementIntentAssignment, Error> {
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
