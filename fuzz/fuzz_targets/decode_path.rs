//! Arbitrary bytes as the body of `201 Created`, decoded as the seed model: a decode error
//! names the JSON path that serde_path_to_error finds by tracking a second decode, or a
//! path below it (an object's reader that refuses a property it has read, a duplicate or a
//! second `@odata.type`, is located at that property); a body that is not UTF-8 is refused
//! at its first byte that is not, or as ending inside a character.
#![no_main]

use graph_resource::{Error, MockResponse};
use graph_resource_fuzz::{DeviceManagementIntentAssignment, create_answered_with};
use libfuzzer_sys::fuzz_target;
use serde_path_to_error::Segment;

fuzz_target!(|data: &[u8]| {
    let response = MockResponse::new(201)
        .header("content-type", "application/json")
        .body(data.to_vec());
    let error = match create_answered_with(response) {
        Err(Error::Decode(error)) => error,
        _ => return,
    };
    let path = error.path();
    assert!(
        path == "." || !(path.is_empty() || path.ends_with('.') || path.starts_with('.')),
        "{path:?}: {error}"
    );
    let Ok(text) = std::str::from_utf8(data) else {
        let message = error.to_string();
        assert!(
            message.contains("which is not UTF-8")
                || message.contains("EOF while parsing the UTF-8 character"),
            "{error}"
        );
        return;
    };
    let tracked = tracked_path(text);
    assert!(
        path == tracked
            || tracked == "."
            || path.starts_with(&format!("{tracked}."))
            || path.starts_with(&format!("{tracked}[")),
        "scanned {path}, tracked {tracked}: {error}"
    );
});

/// The path serde_path_to_error gives for the decode of `text`, joined to the inner path of
/// a buffered object's error, written as the runtime writes paths.
fn tracked_path(text: &str) -> String {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let error = match serde_path_to_error::deserialize::<_, DeviceManagementIntentAssignment>(
        &mut deserializer,
    ) {
        Ok(_) => return ".".to_owned(),
        Err(error) => error,
    };
    let mut out = String::new();
    for segment in error.path().iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                let plain = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_alphanumeric() || "_@$-".contains(c));
                if plain {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                } else {
                    let quoted = serde_json::to_string(key).unwrap_or_default();
                    out.push_str(&format!("[{quoted}]"));
                }
            }
            Segment::Unknown => out.push_str(if out.is_empty() { "?" } else { ".?" }),
        }
    }
    let message = error.inner().to_string();
    if let Some((inner, _)) = message
        .strip_prefix("at `")
        .and_then(|rest| rest.split_once("`: "))
    {
        if !(out.is_empty() || inner.starts_with('[')) {
            out.push('.');
        }
        out.push_str(inner);
    }
    if out.is_empty() { ".".to_owned() } else { out }
}
