use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use super::*;

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct Outer {
    id: String,
    #[serde(default)]
    items: Vec<Item>,
    #[serde(default)]
    nested: Option<Box<Outer>>,
    #[serde(default)]
    map: BTreeMap<String, Vec<u32>>,
    #[serde(default)]
    flag: Option<bool>,
    #[serde(default)]
    count: Option<f64>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct Item {
    name: String,
    #[serde(default)]
    values: Vec<Vec<u8>>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Strict {
    a: u8,
}

/// The path the scanner gives for reading `text` as `T`.
fn scanned<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
    let error = serde_json::from_str::<T>(text).expect_err(text);
    error_path(text.as_bytes(), &error)
}

/// The path serde_path_to_error gives for reading `text` as `T`, tracked through a second
/// deserializer: what the scanner must agree with.
fn tracked<T: DeserializeOwned>(text: &str) -> String {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let result = serde_path_to_error::deserialize::<_, T>(&mut deserializer);
    let mut path = JsonPath::default();
    if let Err(error) = result {
        for segment in error.path().iter() {
            path.push(&match segment {
                serde_path_to_error::Segment::Seq { index } => Segment::Index(*index),
                serde_path_to_error::Segment::Map { key }
                | serde_path_to_error::Segment::Enum { variant: key } => Segment::Key(key.clone()),
                serde_path_to_error::Segment::Unknown => Segment::Unknown,
            });
        }
    }
    path.finish()
}

#[test]
fn errors_in_nested_arrays_and_objects_name_each_key_and_index() {
    let text = r#"{"id":"a","items":[{"name":"x"},{"name":"y","values":[[1,2],[3,300]]}]}"#;
    assert_eq!(scanned::<Outer>(text), "items[1].values[1][1]");
    let text = r#"{"id":"a","nested":{"id":"b","map":{"k":[1,"two"]}}}"#;
    assert_eq!(scanned::<Outer>(text), "nested.map.k[1]");
    let pretty = "{\n  \"id\": \"a\",\n  \"nested\": {\n    \"id\": 5\n  }\n}";
    assert_eq!(scanned::<Outer>(pretty), "nested.id");
}

#[test]
fn escaped_and_unusual_keys_are_unescaped_and_quoted() {
    let text = r#"{"id":"a","map":{"a\"b":["x"]}}"#;
    assert_eq!(scanned::<Outer>(text), r#"map["a\"b"][0]"#);
    let text = r#"{"id":"a","map":{"\u00e9t\u00e9":[true]}}"#;
    assert_eq!(scanned::<Outer>(text), "map.été[0]");
    let text = r#"{"id":"a","map":{"":[-1]}}"#;
    assert_eq!(scanned::<Outer>(text), r#"map[""][0]"#);
}

#[test]
fn an_error_at_a_key_names_the_key_or_the_place_between_entries() {
    // A key its reader refused is the key's; a key that is not a string is unknown.
    assert_eq!(scanned::<Strict>(r#"{"a":1,"b":2}"#), "b");
    assert_eq!(scanned::<Outer>(r#"{"id":"a",5:1}"#), "?");
    assert_eq!(
        scanned::<Outer>(r#"{"id":"a","nested":{"id":"b",}}"#),
        "nested.?"
    );
    assert_eq!(
        scanned::<Outer>(r#"{"id":"a","nested":{"id" "b"}}"#),
        "nested"
    );
    assert_eq!(
        scanned::<Outer>(r#"{"id":"a","nested":{"i\q":1}}"#),
        "nested.?"
    );
}

#[test]
fn an_error_in_a_value_names_that_value() {
    assert_eq!(scanned::<Outer>(r#"{"id":5}"#), "id");
    assert_eq!(scanned::<Outer>(r#"{"id":{"x":1}}"#), "id");
    assert_eq!(scanned::<Outer>(r#"{"id":"a","flag":tru}"#), "flag");
    assert_eq!(scanned::<Outer>(r#"{"id":"a","count":1.}"#), "count");
    assert_eq!(scanned::<Outer>(r#"{"id":"a","count":-}"#), "count");
    // Found by the `decode_path` fuzz target: a digit after a leading zero is the number's
    // error, not one between entries.
    assert_eq!(scanned::<Outer>(r#"{"id":"a","count":01}"#), "count");
    assert_eq!(scanned::<Outer>("{\"[\":\n01e400\t\0de"), r#"["["]"#);
    // Also found by it: serde_json finds a lone surrogate escape at the string's end.
    assert_eq!(scanned::<Outer>(r#"{"a\ud800":1}"#), "?");
    assert_eq!(scanned::<Outer>(r#"{"id":"a\ud800"}"#), "id");
    assert_eq!(scanned::<Outer>(r#"{"x":"a\ud800","id":5}"#), "id");
    assert_eq!(scanned::<Outer>(r#"{"id":"a\x"}"#), "id");
    assert_eq!(
        scanned::<Outer>(r#"{"id":"a","items":[{"name":"n"},]}"#),
        "items"
    );
    assert_eq!(
        scanned::<Outer>(r#"{"id":"a","items":[{"name":"n"} 1]}"#),
        "items"
    );
    assert_eq!(scanned::<Outer>(r#"{"id":"a","items":[7]}"#), "items[0]");
}

#[test]
fn a_missing_field_is_reported_at_its_object() {
    assert_eq!(scanned::<Outer>(r#"{"items":[]}"#), ".");
    assert_eq!(
        scanned::<Outer>(r#"{"id":"a","items":[{"values":[]}]}"#),
        "items[0]"
    );
    assert_eq!(scanned::<Outer>(r#"{"id":"a","nested":{}}"#), "nested");
}

#[test]
fn trailing_input_an_empty_body_and_garbage_are_at_the_root_or_where_they_start() {
    assert_eq!(scanned::<Outer>(r#"{"id":"a"} x"#), ".");
    assert_eq!(scanned::<Outer>(r#"{"id":"a"}{}"#), ".");
    assert_eq!(scanned::<Outer>(""), ".");
    assert_eq!(scanned::<Outer>("   "), ".");
    assert_eq!(scanned::<Outer>("garbage"), ".");
    assert_eq!(scanned::<Outer>("\u{feff}{}"), ".");
    assert_eq!(
        scanned::<Outer>(r#"{"id":"a","items":[{"name":"n""#),
        "items[0].?"
    );
    assert_eq!(
        scanned::<Outer>(r#"{"id":"a","items":[{"name":"#),
        "items[0].name"
    );
    assert_eq!(scanned::<Outer>(r#"{"id":"a","items":["#), "items");
}

#[test]
fn nesting_100_000_levels_deep_is_scanned_without_recursion() {
    let depth = 100_000;
    let arrays = "[".repeat(depth);
    let path = scan(arrays.as_bytes(), arrays.len(), Category::Syntax);
    assert_eq!(path.len(), depth);
    let objects = r#"{"a":"#.repeat(depth);
    let path = scan(objects.as_bytes(), objects.len(), Category::Eof);
    assert_eq!(path.len(), depth);
    assert!(
        path.iter()
            .all(|segment| *segment == Segment::Key("a".to_owned()))
    );
}

/// Every way the documents below can be cut short or have a byte replaced or inserted: the
/// scanner names the path serde_path_to_error finds by tracking a second decode.
#[test]
fn the_scanner_agrees_with_a_tracking_deserializer_on_broken_documents() {
    let documents = [
        r#"{"id":"a","items":[{"name":"x","values":[[1,2],[3]]},{"name":"y"}],"map":{"k\n":[1,2]},"flag":true,"count":-1.5e3}"#,
        "{\n \"id\" : \"a\" ,\n \"nested\" : { \"id\" : \"b\" , \"items\" : [ ] } \n}",
    ];
    let replacements = [
        b'x', b'}', b']', b',', b':', b'"', b'1', b'{', b'[', b' ', b'\\',
    ];
    let mut cases = Vec::new();
    for document in documents {
        let bytes = document.as_bytes();
        for cut in 0..bytes.len() {
            cases.push(bytes[..cut].to_vec());
            for &byte in &replacements {
                let mut replaced = bytes.to_vec();
                replaced[cut] = byte;
                cases.push(replaced);
                let mut inserted = bytes.to_vec();
                inserted.insert(cut, byte);
                cases.push(inserted);
            }
        }
    }
    let mut disagreements = Vec::new();
    for case in &cases {
        let Ok(text) = std::str::from_utf8(case) else {
            continue;
        };
        if serde_json::from_str::<Outer>(text).is_ok() {
            continue;
        }
        let (scanned, tracked) = (scanned::<Outer>(text), tracked::<Outer>(text));
        if scanned != tracked {
            disagreements.push(format!("{text:?}: scanned {scanned}, tracked {tracked}"));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} cases:\n{}",
        disagreements.len(),
        cases.len(),
        disagreements.join("\n")
    );
}

/// A value whose own check fails after its string was read, such as a duration that is
/// not ISO 8601, fails inside its visitor, where serde_json still knows where it is.
#[test]
fn a_value_refused_after_it_was_read_is_located_at_that_value() {
    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    struct Timed {
        every: crate::edm::IsoDuration,
    }
    let text = r#"[{"every":"P1D"},{"every":"daily"},{"every":"P2D"}]"#;
    assert_eq!(scanned::<Vec<Timed>>(text), "[1].every");
}

#[test]
fn inner_paths_are_split_from_their_message() {
    assert_eq!(split_inner_path("at `a.b`: oops"), Some(("a.b", "oops")));
    assert_eq!(split_inner_path("invalid type"), None);
}

#[test]
fn an_inner_path_in_the_message_is_joined_to_the_outer_path() {
    let text = r#"{"items":[{"name":"x"}]}"#;
    let error = <serde_json::Error as serde::de::Error>::custom("at `target.groupId`: oops");
    assert_eq!(error_path(text.as_bytes(), &error), "target.groupId");
    let mut path = JsonPath::default();
    path.push(&Segment::Key("items".to_owned()));
    path.push_path("[0].name");
    path.push_path(".");
    assert_eq!(path.finish(), "items[0].name");
}
