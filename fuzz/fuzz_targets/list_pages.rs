//! Arbitrary bytes as the pages of a collection (split at 0xFF bytes, which JSON never
//! holds), answering `list().pages()` through `MockTransport`: garbage next links, wrong
//! types for `value`, huge pages. Paging never panics, never sends a request to another
//! origin or the same URL twice, and ends after the first error; each page is what
//! serde_json reads from its body, or the error names that page.
#![no_main]

use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use futures_core::Stream;
use graph_resource::{Error, MockResponse, MockTransport, Page, RetryPolicy};
use graph_resource_fuzz::DeviceManagementIntentAssignment;
use libfuzzer_sys::fuzz_target;

const BASE: &str = "https://graph.microsoft.com/beta";

fuzz_target!(|data: &[u8]| {
    let bodies: Vec<&[u8]> = data.split(|byte| *byte == 0xFF).take(8).collect();
    let mock = MockTransport::new();
    for body in &bodies {
        mock.push(MockResponse::new(200).body(body.to_vec()));
    }
    let client = mock
        .client_builder()
        .base_url(BASE)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a valid client configuration");
    let mut pages = DeviceManagementIntentAssignment::list(&client, "intent").pages();
    let mut context = Context::from_waker(Waker::noop());
    let mut number = 0usize;
    let mut ended_with_error = false;
    loop {
        let next = match Pin::new(&mut pages).poll_next(&mut context) {
            Poll::Ready(next) => next,
            Poll::Pending => panic!("a mock answers at once"),
        };
        let Some(result) = next else { break };
        assert!(!ended_with_error, "the stream ends after an error");
        number += 1;
        let direct = bodies
            .get(number - 1)
            .map(|body| serde_json::from_slice::<Page<DeviceManagementIntentAssignment>>(body));
        match (result, direct) {
            (Ok(page), Some(Ok(direct))) => assert_eq!(page, direct),
            (Err(Error::Decode(error)), Some(Err(_))) => {
                assert_eq!(error.page(), Some(number as u32), "{error}");
                let _ = error.to_string();
                ended_with_error = true;
            }
            (Err(Error::NextLink(error)), _) => {
                // The link of the page before this one was refused; nothing was sent for it.
                assert_eq!(error.page(), Some(number as u32 - 1), "{error}");
                let _ = error.to_string();
                ended_with_error = true;
            }
            (Err(Error::Transport(_) | Error::InvalidArgument(_)), _) => ended_with_error = true,
            (result, direct) => panic!("page {number}: paging gave {result:?}, serde_json {direct:?}"),
        }
    }
    let requests = mock.requests();
    assert!(requests.len() <= bodies.len() + 1);
    let mut seen = std::collections::HashSet::new();
    for request in &requests {
        let uri = request.uri.to_string();
        assert!(uri.starts_with("https://graph.microsoft.com/"), "sent to {uri}");
        assert!(seen.insert(uri.clone()), "{uri} was requested twice");
        assert!(request.header("authorization").is_some());
    }
});
