//! Arbitrary bytes as the body of `201 Created`: `create` returns exactly what serde_json
//! reads from them, or a decode error with status 201 saying where it failed; no bytes at
//! all are a creation without the entity.
#![no_main]

use graph_resource::{Created, Error, MockResponse};
use graph_resource_fuzz::{DeviceManagementIntentAssignment, create_answered_with};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let response = MockResponse::new(201)
        .header("content-type", "application/json")
        .body(data.to_vec());
    let direct = serde_json::from_slice::<DeviceManagementIntentAssignment>(data);
    match (create_answered_with(response), direct) {
        (Ok(Created::Entity(created)), Ok(direct)) => assert_eq!(created, direct),
        (Ok(Created::NoContent { location: None }), Err(_)) if data.is_empty() => {}
        (Err(Error::Decode(error)), Err(_)) => {
            assert_eq!(error.status().as_u16(), 201);
            assert!(!error.path().is_empty(), "{error}");
            let _ = (
                error.to_string(),
                format!("{error:?}"),
                error.body_excerpt(),
            );
        }
        (created, direct) => panic!("create gave {created:?}, serde_json {direct:?}"),
    }
});
