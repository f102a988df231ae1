//! Arbitrary bytes as string enums: no panic, whatever decodes round-trips, and every JSON
//! string is a value of an enum with an `other` variant.
#![no_main]

use graph_resource_fuzz::{FilterType, RunState, check_round_trip};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check_round_trip::<FilterType>(data);
    check_round_trip::<RunState>(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let json = serde_json::to_string(text).expect("a string serializes");
        let value: FilterType = serde_json::from_str(&json)
            .unwrap_or_else(|error| panic!("{json} is no `FilterType`: {error}"));
        if let FilterType::Unknown(unknown) = &value {
            assert_eq!(unknown, text);
        }
    }
});
