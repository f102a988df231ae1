//! Arbitrary bytes as a polymorphic enum: no panic, whatever decodes round-trips, an object
//! decodes the same with its `@odata.type` moved to the end (the buffered path), and
//! `graph_resource::from_json`, which looks ahead for a type that comes late, reads what
//! serde_json's `from_str` reads from the body's text, or fails when it fails (reading in
//! one pass, it may meet another error first: a wrong value before a syntax error that ends
//! the object).
#![no_main]

use graph_resource::Bytes;
use graph_resource_fuzz::{DeviceManagementIntentAssignment, Target, check_round_trip};
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `data` read by serde_json as `from_json` reads it: text first, as JSON must be (RFC 8259
/// §8.1). `serde_json::from_slice` checks UTF-8 only in the strings it keeps, and reads a
/// body whose ignored strings are not UTF-8.
fn from_text<T: DeserializeOwned>(data: &[u8]) -> Result<T, String> {
    let text = std::str::from_utf8(data).map_err(|error| error.to_string())?;
    serde_json::from_str(text).map_err(|error| error.to_string())
}

fuzz_target!(|data: &[u8]| {
    let body = Bytes::copy_from_slice(data);
    let ahead = graph_resource::from_json::<Target>(&body);
    let read = from_text::<Target>(data);
    match (&ahead, &read) {
        (Ok(ahead), Ok(read)) => assert_eq!(ahead, read),
        (Err(_), Err(_)) => {}
        _ => panic!("from_json gave {ahead:?}, from_str {read:?}"),
    }
    // The same for the entity that holds a target, where looking ahead starts inside.
    let entity = graph_resource::from_json::<DeviceManagementIntentAssignment>(&body);
    let read = from_text::<DeviceManagementIntentAssignment>(data);
    assert_eq!(entity.is_ok(), read.is_ok(), "{entity:?} / {read:?}");
    if let (Ok(entity), Ok(read)) = (&entity, &read) {
        assert_eq!(entity, read);
    }
    let Some(target) = check_round_trip::<Target>(data) else {
        return;
    };
    let Ok(Value::Object(mut members)) = serde_json::to_value(&target) else {
        panic!("{target:?} is not written as an object");
    };
    if let Some(odata_type) = members.shift_remove("@odata.type") {
        members.insert("@odata.type".to_owned(), odata_type);
    }
    let type_last = Value::Object(members).to_string();
    let buffered: Target = serde_json::from_str(&type_last)
        .unwrap_or_else(|error| panic!("{type_last} does not decode: {error}"));
    assert_eq!(buffered, target, "{type_last}");
    let ahead = graph_resource::from_json::<Target>(&Bytes::from(type_last.clone()))
        .unwrap_or_else(|error| panic!("{type_last} does not decode ahead: {error}"));
    assert_eq!(ahead, target, "{type_last}");
});
