//! Arbitrary bytes as the pages of a delta query (split at 0xFF bytes): garbage next and
//! delta links, `@removed` items of every shape. The change stream never panics, never sends
//! a request to another origin or the same URL twice, and gives nothing after an error or
//! after the delta link, of which there is at most one.
#![no_main]

use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use futures_core::Stream;
use graph_resource::{Change, MockResponse, MockTransport, RetryPolicy};
use graph_resource_fuzz::DeviceManagementIntentAssignment;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let bodies: Vec<&[u8]> = data.split(|byte| *byte == 0xFF).take(8).collect();
    let mock = MockTransport::new();
    for body in &bodies {
        mock.push(MockResponse::new(200).body(body.to_vec()));
    }
    let client = mock
        .client_builder()
        .base_url("https://graph.microsoft.com/beta")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a valid client configuration");
    let mut changes = DeviceManagementIntentAssignment::delta(&client, "intent").changes();
    let mut context = Context::from_waker(Waker::noop());
    let mut delta_links = 0;
    let mut ended_with_error = false;
    loop {
        let next = match Pin::new(&mut changes).poll_next(&mut context) {
            Poll::Ready(next) => next,
            Poll::Pending => panic!("a mock answers at once"),
        };
        let Some(change) = next else { break };
        assert!(!ended_with_error && delta_links == 0, "nothing after the end: {change:?}");
        match change {
            Ok(Change::DeltaLink(_)) => delta_links += 1,
            Ok(Change::Removed(removal)) => {
                let _ = removal.is_deleted();
            }
            Ok(Change::Upserted(_)) => {}
            Err(error) => {
                let _ = error.to_string();
                ended_with_error = true;
            }
        }
    }
    assert!(ended_with_error || delta_links <= 1);
    let mut seen = std::collections::HashSet::new();
    for request in mock.requests() {
        let uri = request.uri.to_string();
        assert!(uri.starts_with("https://graph.microsoft.com/"), "sent to {uri}");
        assert!(seen.insert(uri.clone()), "{uri} was requested twice");
    }
});
