//! Arbitrary bytes as the pages of a collection (split at 0xFF bytes, which JSON never
//! holds), answering `list().pages()` through `MockTransport`: garbage next links, wrong
//! types for `value`, huge pages. Paging never panics, never sends a request to another
//! origin or the same URL twice, and ends after the first error; each page is what
//! serde_json reads from its body, or the error names that page.
#![no_main]

use graph_resource::{Error, Page};
use graph_resource_fuzz::{
    DeviceManagementIntentAssignment, assert_requests_stay_on_origin, next_ready, paged_client,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (bodies, mock, client) = paged_client(data);
    let mut pages = DeviceManagementIntentAssignment::list(&client, "intent").pages();
    let mut number = 0usize;
    let mut ended_with_error = false;
    while let Some(result) = next_ready(&mut pages) {
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
    assert!(mock.requests().len() <= bodies.len() + 1);
    assert_requests_stay_on_origin(&mock);
});
