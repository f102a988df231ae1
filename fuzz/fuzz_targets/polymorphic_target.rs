//! Arbitrary bytes as a polymorphic enum: no panic, whatever decodes round-trips, and an
//! object decodes the same with its `@odata.type` moved to the end (the buffered path).
#![no_main]

use graph_resource_fuzz::{Target, check_round_trip};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
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
});
