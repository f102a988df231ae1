//! Arbitrary bytes as the answer to a `$batch` of five requests of every kind (create,
//! get, list, update, delete; one depending on another): missing, duplicate or unknown ids,
//! wrong statuses, bodies of every kind, answers that are no `$batch` answer at all. Nothing
//! panics, and every handle gets a result: its answer or an error, once.
#![no_main]

use graph_resource::{Error, MockResponse, MockTransport, RetryPolicy};
use graph_resource_fuzz::{DeviceManagementIntentAssignment, block_on};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mock = MockTransport::new();
    mock.push(
        MockResponse::new(200)
            .header("content-type", "application/json")
            .body(data.to_vec()),
    );
    let client = mock
        .client_builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a valid client configuration");
    let body = DeviceManagementIntentAssignment::default();
    let mut batch = client.batch();
    let created = batch.add(DeviceManagementIntentAssignment::create(&client, "i", &body));
    let read = batch.add_after(
        DeviceManagementIntentAssignment::get(&client, "i", "a"),
        [created.id()],
    );
    let listed = batch.add(DeviceManagementIntentAssignment::list(&client, "i").top(3));
    let updated = batch.add(DeviceManagementIntentAssignment::update(&client, "i", "a", &body));
    let deleted = batch.add(DeviceManagementIntentAssignment::delete(&client, "i", "a"));
    // Once anything was sent, a batch never fails as a whole: a bad answer fails its items.
    let mut responses = block_on(batch.send()).expect("nothing fails this batch as a whole");
    let shown = [
        format!("{:?}", responses.take(created)),
        format!("{:?}", responses.take(read)),
        format!("{:?}", responses.take(listed)),
        format!("{:?}", responses.take(updated)),
        format!("{:?}", responses.take(deleted)),
    ];
    for text in shown {
        assert!(!text.contains(MockTransport::TOKEN));
    }
    assert!(matches!(responses.take(read), Err(Error::InvalidArgument(_))), "taken once");
    assert_eq!(mock.requests().len(), 1, "no retries: one `$batch` request");
});
