//! Arbitrary bytes as the pages of a delta query (split at 0xFF bytes): garbage next and
//! delta links, `@removed` items of every shape. The change stream never panics, never sends
//! a request to another origin or the same URL twice, and gives nothing after an error or
//! after the delta link, of which there is at most one.
#![no_main]

use graph_resource::Change;
use graph_resource_fuzz::{
    DeviceManagementIntentAssignment, assert_requests_stay_on_origin, next_ready, paged_client,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (_, mock, client) = paged_client(data);
    let mut changes = DeviceManagementIntentAssignment::delta(&client, "intent").changes();
    let mut delta_links = 0;
    let mut ended_with_error = false;
    while let Some(change) = next_ready(&mut changes) {
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
    assert_requests_stay_on_origin(&mock);
});
