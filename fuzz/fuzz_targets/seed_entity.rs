//! Arbitrary bytes as the seed entity: no panic, and whatever decodes round-trips.
#![no_main]

use graph_resource_fuzz::{DeviceManagementIntentAssignment, check_round_trip};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check_round_trip::<DeviceManagementIntentAssignment>(data);
});
