//! Bad input, through `create` on a `MockTransport` and through serde_json directly: every
//! payload gets an error that says where the problem is, and none panics or overflows the
//! stack.

use std::sync::Arc;

use bytes::Bytes;
use graph_resource::{
    Client, Created, DecodeError, Error, MockResponse, MockTransport, RetryPolicy, UntypedResource,
    graph_resource,
};
use serde_json::Value;

#[path = "support/ready.rs"]
mod ready;
use ready::block_on;

/// One field of each kind.
#[graph_resource(path = "/kinds")]
#[derive(Debug, Clone, PartialEq)]
pub struct Kinds {
    pub text: String,
    pub maybe_text: Option<String>,
    pub count: i32,
    pub small: u8,
    pub wide: i64,
    pub big: u64,
    pub ratio: f64,
    pub flag: bool,
    pub names: Vec<String>,
    pub nested: Nested,
    pub tree: Tree,
    pub state: State,
    pub payload: Option<Value>,
    pub untyped: Option<UntypedResource>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Nested {
    pub name: Option<String>,
}

/// A polymorphic enum that nests in itself, without an `other` variant.
#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    Branch(Branch),
    Leaf(Leaf),
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Branch {
    pub child: Option<Box<Tree>>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Leaf {}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    On,
    Off,
}

/// A valid body, property by property, as JSON text.
const VALID: [(&str, &str); 14] = [
    ("text", r#""t""#),
    ("maybeText", r#""m""#),
    ("count", "1"),
    ("small", "2"),
    ("wide", "3"),
    ("big", "4"),
    ("ratio", "0.5"),
    ("flag", "true"),
    ("names", r#"["n"]"#),
    (
        "nested",
        r##"{"@odata.type":"#microsoft.graph.nested","name":"x"}"##,
    ),
    ("tree", r##"{"@odata.type":"#microsoft.graph.leaf"}"##),
    ("state", r#""on""#),
    ("payload", r#"{"any":[1,"json"]}"#),
    ("untyped", r#"{"@odata.type":"contoso.thing","a":1}"#),
];

/// Deeper than any JSON reader should follow.
const DEPTH: usize = 100_000;

/// Ten megabytes.
const HUGE: usize = 10 * 1024 * 1024;

/// Error messages longer than this do not belong in a log line.
const LONGEST_MESSAGE: usize = 4096;

// ---------------------------------------------------------------------------------------
// Helpers

/// The valid body with each property's value passed through `edit`; `None` leaves the
/// property out.
fn edited_body(edit: impl Fn(&str, &str) -> Option<String>) -> String {
    let members: Vec<String> = VALID
        .iter()
        .filter_map(|&(key, valid)| Some(format!("{key:?}:{}", edit(key, valid)?)))
        .collect();
    format!("{{{}}}", members.join(","))
}

fn valid_body() -> String {
    edited_body(|_, valid| Some(valid.to_owned()))
}

/// The valid body with property `name` set to the JSON text `value`.
fn body_with(name: &str, value: &str) -> String {
    assert!(
        VALID.iter().any(|(key, _)| *key == name),
        "no property {name}"
    );
    edited_body(|key, valid| Some(if key == name { value } else { valid }.to_owned()))
}

/// The valid body without property `name`.
fn body_without(name: &str) -> String {
    edited_body(|key, valid| (key != name).then(|| valid.to_owned()))
}

/// `Kinds::create` answered by `response`.
fn answered_with(response: MockResponse) -> Result<Created<Kinds>, Error> {
    let mock = MockTransport::new();
    mock.push(response);
    let client = Client::builder()
        .base_url("https://graph.microsoft.com/beta")
        .bearer_token("bad-input-token")
        .transport(Arc::new(mock))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a valid client configuration");
    let body = serde_json::from_str(&valid_body()).expect("the valid body");
    block_on(Kinds::create(&client, &body))
}

/// `Kinds::create` answered by a `201 Created` with `body`, which is not empty.
fn create_answered_with(body: impl Into<Bytes>) -> Result<Kinds, Error> {
    let created = answered_with(
        MockResponse::new(201)
            .header("content-type", "application/json")
            .body(body),
    )?;
    Ok(created
        .into_entity()
        .expect("a 201 with a body gives the entity or an error"))
}

/// The decode error of a `201 Created` answered with `body`.
fn decode_error(body: impl Into<Bytes>) -> Box<DecodeError> {
    match create_answered_with(body) {
        Err(Error::Decode(error)) => {
            assert_eq!(error.status(), 201, "{error}");
            error
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

/// Asserts that `error` happened at `path` or below it and says so, briefly.
fn assert_at(error: &DecodeError, path: &str) {
    assert!(
        error.path() == path
            || error.path().starts_with(&format!("{path}."))
            || error.path().starts_with(&format!("{path}[")),
        "expected an error at `{path}`, got one at `{}`: {error}",
        error.path()
    );
    let message = error.to_string();
    assert!(
        message.contains(&format!("at `{path}")),
        "{}",
        shorten(&message)
    );
    assert!(
        message.contains(" line "),
        "no line and column: {}",
        shorten(&message)
    );
    assert_short(&message);
}

fn assert_short(message: &str) {
    assert!(
        message.len() <= LONGEST_MESSAGE,
        "a message of {} bytes: {}",
        message.len(),
        shorten(message)
    );
}

/// The start of `message`, for assertion output.
fn shorten(message: &str) -> String {
    message.chars().take(300).collect()
}

/// Asserts that reading `body` as `Kinds` with serde_json alone fails, with a line and
/// column and `expected` in the message.
fn assert_serde_error(body: &[u8], expected: &str) {
    let error = serde_json::from_slice::<Kinds>(body).expect_err("an invalid body");
    let message = error.to_string();
    assert!(
        error.line() > 0 && error.column() > 0,
        "{}",
        shorten(&message)
    );
    assert!(message.contains(expected), "{}", shorten(&message));
}

/// `{"@odata.type":"#microsoft.graph.branch","child":` … `depth` times, a leaf, and the
/// closing braces; with `type_last`, each `@odata.type` after the child.
fn tree_json(depth: usize, type_last: bool) -> String {
    let (open, close) = if type_last {
        (
            r#"{"child":"#,
            r##","@odata.type":"#microsoft.graph.branch"}"##,
        )
    } else {
        (
            r##"{"@odata.type":"#microsoft.graph.branch","child":"##,
            "}",
        )
    };
    let leaf = r##"{"@odata.type":"#microsoft.graph.leaf"}"##;
    format!("{}{leaf}{}", open.repeat(depth), close.repeat(depth))
}

/// The JSON types, one sample each.
const SAMPLES: [(&str, &str); 6] = [
    ("null", "null"),
    ("bool", "false"),
    ("number", "7"),
    ("string", r#""x""#),
    ("array", "[]"),
    ("object", "{}"),
];

// ---------------------------------------------------------------------------------------
// Wrong types and values

#[test]
fn every_json_type_in_place_of_every_field_kind_is_read_or_named_in_the_error() {
    // The JSON types each property accepts among `SAMPLES`. `"x"` is no `State` value and
    // `{}` has no `@odata.type` for `Tree`.
    let accepted: [(&str, &[&str]); 12] = [
        ("text", &["string"]),
        ("maybeText", &["null", "string"]),
        ("count", &["number"]),
        ("small", &["number"]),
        ("ratio", &["number"]),
        ("flag", &["bool"]),
        ("names", &["array"]),
        ("nested", &["object"]),
        ("tree", &[]),
        ("state", &[]),
        (
            "payload",
            &["null", "bool", "number", "string", "array", "object"],
        ),
        ("untyped", &["null", "object"]),
    ];
    for (property, accepts) in accepted {
        for (json_type, sample) in SAMPLES {
            let body = body_with(property, sample);
            if accepts.contains(&json_type) {
                assert!(
                    create_answered_with(body.clone()).is_ok(),
                    "{property} = {sample}"
                );
            } else {
                assert_at(&decode_error(body.clone()), property);
                assert_serde_error(body.as_bytes(), " line 1 column ");
            }
        }
    }
}

#[test]
fn numbers_out_of_range_for_the_field_type_name_the_property() {
    let cases = [
        ("count", "1e40"),
        ("count", "-1e40"),
        ("count", "2147483648"),
        ("count", "-2147483649"),
        ("count", "9223372036854775808"),
        ("count", "1.5"),
        ("small", "-1"),
        ("small", "256"),
        ("small", "1e40"),
        ("small", "0.5"),
        ("wide", "9223372036854775808"),
        ("wide", "-9223372036854775809"),
        ("big", "-1"),
        ("big", "18446744073709551616"),
        ("ratio", "1e400"),
        ("ratio", "-1e400"),
    ];
    for (property, number) in cases {
        let body = body_with(property, number);
        let error = decode_error(body.clone());
        assert_at(&error, property);
        assert_serde_error(body.as_bytes(), " line 1 column ");
    }
}

#[test]
fn an_unknown_string_enum_value_lists_the_allowed_ones() {
    let error = decode_error(body_with("state", r#""dimmed""#));
    assert_at(&error, "state");
    assert!(
        error
            .to_string()
            .contains("unknown `State` value `dimmed`, expected one of `on`, `off`"),
        "{error}"
    );
}

#[test]
fn a_missing_required_property_is_named_with_its_type() {
    for property in ["text", "count", "flag", "names", "nested", "tree", "state"] {
        let error = decode_error(body_without(property));
        let message = error.to_string();
        assert!(
            message.contains(&format!(
                "missing property `{property}` of `#microsoft.graph.kinds`"
            )),
            "{message}"
        );
        assert!(message.contains(" line "), "{message}");
    }
    for property in ["maybeText", "payload", "untyped"] {
        assert!(
            create_answered_with(body_without(property)).is_ok(),
            "{property}"
        );
    }
}

#[test]
fn a_property_given_twice_is_an_error_naming_it() {
    for (property, value) in VALID {
        let body = body_with(property, value).replacen('{', &format!("{{{property:?}:{value},"), 1);
        let error = decode_error(body.clone());
        assert!(
            error
                .to_string()
                .contains(&format!("duplicate property `{property}`")),
            "{error}"
        );
        assert_serde_error(body.as_bytes(), &format!("duplicate property `{property}`"));
    }
}

#[test]
fn a_second_different_odata_type_is_an_error_naming_both() {
    let cases = [
        (
            "nested",
            r##"{"@odata.type":"#microsoft.graph.nested","@odata.type":"#microsoft.graph.other"}"##,
        ),
        (
            "tree",
            r##"{"@odata.type":"#microsoft.graph.leaf","@odata.type":"#microsoft.graph.branch"}"##,
        ),
        (
            "untyped",
            r#"{"@odata.type":"contoso.thing","@odata.type":"contoso.otherThing"}"#,
        ),
    ];
    for (property, value) in cases {
        let error = match create_answered_with(body_with(property, value)) {
            Err(Error::Decode(error)) => error,
            other => panic!("{property}: expected a decode error, got {other:?}"),
        };
        assert_at(&error, property);
        let message = error.to_string();
        let types: Vec<&str> = value
            .split('"')
            .filter(|part| part.contains('.') && !part.starts_with('@'))
            .collect();
        for odata_type in types {
            assert!(
                message.contains(odata_type.trim_start_matches('#')),
                "{property}: {message}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Deep, long and broken payloads

#[test]
fn nesting_100_000_levels_deep_in_a_json_value_field_is_an_error() {
    for (open, close) in [("[", "]"), (r#"{"a":"#, "}")] {
        let deep = format!("{}{}", open.repeat(DEPTH), close.repeat(DEPTH));
        let body = body_with("payload", &deep);
        assert_at(&decode_error(body.clone()), "payload");
        assert_serde_error(body.as_bytes(), "recursion limit exceeded");
    }
}

#[test]
fn nesting_100_000_levels_deep_in_an_untyped_resource_field_is_an_error() {
    let deep = format!(
        r#"{{"@odata.type":"contoso.thing","a":{}1{}}}"#,
        r#"{"a":"#.repeat(DEPTH),
        "}".repeat(DEPTH)
    );
    let body = body_with("untyped", &deep);
    assert_at(&decode_error(body.clone()), "untyped");
    assert_serde_error(body.as_bytes(), "recursion limit exceeded");
}

#[test]
fn nesting_a_polymorphic_enum_100_000_levels_deep_is_an_error_with_the_type_first_or_last() {
    for type_last in [false, true] {
        let body = body_with("tree", &tree_json(DEPTH, type_last));
        assert_at(&decode_error(body.clone()), "tree");
        assert_serde_error(body.as_bytes(), "recursion limit exceeded");
    }
}

#[test]
fn a_polymorphic_enum_nested_as_deep_as_serde_json_allows_decodes_with_the_type_first_or_last() {
    // serde_json reads 127 nested levels: the body, 125 branches and the leaf.
    let depth = 125;
    for type_last in [false, true] {
        let body = body_with("tree", &tree_json(depth, type_last));
        let created = create_answered_with(body).expect("a tree as deep as allowed");
        let mut levels = 0;
        let mut node = &created.tree;
        while let Tree::Branch(Branch { child: Some(child) }) = node {
            levels += 1;
            node = child;
        }
        assert_eq!((levels, node), (depth, &Tree::Leaf(Leaf {})));
        let one_more = body_with("tree", &tree_json(depth + 1, type_last));
        assert_at(&decode_error(one_more), "tree");
    }
}

#[test]
fn a_10_mb_string_is_read_whole() {
    let huge = "é".repeat(HUGE / 2);
    let created =
        create_answered_with(body_with("text", &format!("{huge:?}"))).expect("a 10 MB text");
    assert_eq!(created.text, huge);
    let key = "k".repeat(HUGE);
    let with_huge_key = body_with("payload", &format!(r#"{{"{key}":1}}"#));
    let created = create_answered_with(with_huge_key).expect("a 10 MB property name");
    assert_eq!(
        created
            .payload
            .as_ref()
            .and_then(|payload| payload.get(&key)),
        Some(&Value::from(1))
    );
}

#[test]
fn errors_about_a_10_mb_string_stay_short() {
    let huge = "x".repeat(HUGE);
    let cases = [
        ("count", format!("{huge:?}")),
        ("state", format!("{huge:?}")),
        (
            "nested",
            format!(r##"{{"@odata.type":"#microsoft.graph.nested","@odata.type":"{huge}"}}"##),
        ),
        ("tree", format!(r#"{{"@odata.type":"{huge}"}}"#)),
    ];
    let mut too_long = Vec::new();
    for (property, value) in cases {
        let error = decode_error(body_with(property, &value));
        assert!(
            error.body_excerpt().len() <= 512,
            "{property}: an excerpt of {} bytes",
            error.body_excerpt().len()
        );
        assert!(
            error.path().starts_with(property),
            "{property}: at `{}`",
            error.path()
        );
        let message = error.to_string();
        if message.len() > LONGEST_MESSAGE {
            too_long.push(format!(
                "{property}: {} bytes: {}…",
                message.len(),
                shorten(&message)
            ));
        }
    }
    assert!(
        too_long.is_empty(),
        "messages too long to log:\n{}",
        too_long.join("\n")
    );
}

#[test]
fn invalid_utf8_and_lone_surrogates_are_errors_at_the_property() {
    let cases: [(&str, &[u8], &str); 5] = [
        ("text", b"\"a\xffb\"", "invalid unicode code point"),
        ("text", br#""\ud800""#, "unexpected end of hex escape"),
        ("text", br#""\ud800\u0041""#, "surrogate in hex escape"),
        ("text", br#""\udc00x""#, "surrogate in hex escape"),
        ("names", b"[\"\xc3\"]", "invalid unicode code point"),
    ];
    for (property, value, expected) in cases {
        let mut body = body_with(property, "@").into_bytes();
        let at = body
            .iter()
            .position(|byte| *byte == b'@')
            .expect("the placeholder");
        body.splice(at..=at, value.iter().copied());
        let error = decode_error(body.clone());
        assert_at(&error, property);
        assert_serde_error(&body, expected);
        // A body that is not UTF-8 is not JSON (RFC 8259 §8.1), and is refused before it is
        // read, at its first byte that is not.
        let expected = match std::str::from_utf8(&body) {
            Ok(_) => expected.to_owned(),
            Err(utf8) => format!(
                "found the byte 0x{:02X}, which is not UTF-8, at line 1 column {}",
                body[utf8.valid_up_to()],
                utf8.valid_up_to() + 1
            ),
        };
        assert!(error.to_string().contains(&expected), "{error}");
    }
    let error = decode_error(&b"{\"\xfe\":1}"[..]);
    assert!(
        error
            .to_string()
            .contains("found the byte 0xFE, which is not UTF-8, at line 1 column 3"),
        "{error}"
    );
    assert_eq!(error.body_excerpt(), "{\"\u{fffd}\":1}");
}

/// A body cut inside a character that is not ASCII is not UTF-8 only because it ended: its
/// error says that it ended, and where.
#[test]
fn a_body_cut_inside_a_character_is_an_error_saying_the_body_ended() {
    let body = body_with("text", "\"t\u{e9}\"");
    let cut = body.find('\u{e9}').expect("the character") + 1;
    let error = decode_error(body.as_bytes()[..cut].to_vec());
    assert_at(&error, "text");
    let expected = format!(
        "EOF while parsing the UTF-8 character that starts with the byte 0xC3 at line 1 column {cut} (byte offset {})",
        cut - 1
    );
    assert!(error.to_string().contains(&expected), "{error}");
}

#[test]
fn every_truncation_of_a_valid_body_is_an_error_saying_the_body_ended() {
    let body = body_with("text", r#""t\u00e9\n""#);
    assert!(create_answered_with(body.clone()).is_ok(), "{body}");
    for end in 1..body.len() {
        let truncated = body.as_bytes()[..end].to_vec();
        let error = decode_error(truncated.clone());
        let message = error.to_string();
        assert!(
            message.contains("EOF while parsing"),
            "cut at {end}: {message}"
        );
        assert!(
            message.contains(" line 1 column "),
            "cut at {end}: {message}"
        );
        assert_eq!(error.body_excerpt().as_bytes(), &truncated[..end.min(512)]);
    }
}

#[test]
fn an_empty_201_body_is_a_creation_without_the_entity() {
    let created = answered_with(
        MockResponse::new(201)
            .header("content-type", "application/json")
            .header("location", "https://graph.microsoft.com/beta/kinds/k1"),
    );
    assert_eq!(
        created.unwrap(),
        Created::NoContent {
            location: Some("https://graph.microsoft.com/beta/kinds/k1".into())
        }
    );
}

#[test]
fn garbage_on_201_is_a_decode_error_at_the_root_with_an_excerpt() {
    let cases: [(&[u8], &str); 10] = [
        (
            b"<html><body>Service Unavailable</body></html>",
            "expected value at line 1 column 1",
        ),
        (b"  \r\n ", "EOF while parsing a value at line 2 column 1"),
        (
            b"null",
            "expected a JSON object of type `#microsoft.graph.kinds`",
        ),
        (
            b"[]",
            "expected a JSON object of type `#microsoft.graph.kinds`",
        ),
        (
            b"\"created\"",
            "expected a JSON object of type `#microsoft.graph.kinds`",
        ),
        (
            b"42",
            "expected a JSON object of type `#microsoft.graph.kinds`",
        ),
        (b"\xef\xbb\xbf{}", "expected value at line 1 column 1"),
        (
            b"\x00\x01\x02\xff\xfe",
            "found the byte 0xFF, which is not UTF-8, at line 1 column 4",
        ),
        (b"{\"text\":\"t\"} trailing", "missing property"),
        (b"{}{}", "missing property"),
    ];
    for (body, expected) in cases {
        let error = decode_error(body);
        assert_eq!(error.path(), ".", "{error}");
        let message = error.to_string();
        assert!(
            message.contains("could not decode the 201 Created response at `.`"),
            "{message}"
        );
        assert!(message.contains(expected), "{message}");
        assert_eq!(error.body_excerpt(), String::from_utf8_lossy(body));
    }
    let valid_then_garbage = format!("{} x", valid_body());
    let error = decode_error(valid_then_garbage);
    assert_eq!(error.path(), ".");
    assert!(error.to_string().contains("trailing characters"), "{error}");
}

#[test]
fn a_wrong_value_inside_a_polymorphic_object_is_located_whether_the_type_comes_first_or_last() {
    for tree in [
        r##"{"@odata.type":"#microsoft.graph.branch","child":5}"##,
        r##"{"child":5,"@odata.type":"#microsoft.graph.branch"}"##,
    ] {
        let error = decode_error(body_with("tree", tree));
        assert_at(&error, "tree.child");
    }
}

#[test]
fn an_error_deep_inside_objects_whose_type_comes_last_is_located_at_its_property() {
    let cases = [
        (
            r##"{"child":{"@odata.type":"#microsoft.graph.branch","child":5},"@odata.type":"#microsoft.graph.branch"}"##,
            "tree.child.child",
        ),
        (
            r##"{"child":{"child":"x","@odata.type":"#microsoft.graph.branch"},"@odata.type":"#microsoft.graph.branch"}"##,
            "tree.child.child",
        ),
        (
            r##"{"child":{"@odata.type":"#microsoft.graph.branch","child":{"child":[],"@odata.type":"#microsoft.graph.branch"}},"@odata.type":"#microsoft.graph.branch"}"##,
            "tree.child.child.child",
        ),
    ];
    for (tree, path) in cases {
        let error = decode_error(body_with("tree", tree));
        assert_eq!(error.path(), path, "{error}");
        let message = error.to_string();
        assert_eq!(message.matches(" at line ").count(), 1, "{message}");
    }
}

/// Each object whose type comes last is read again to locate an error inside it; the objects
/// inside it must not each be read again for every pass over their parent, or a body of a
/// few kilobytes takes time doubling with each level.
#[test]
fn locating_an_error_under_60_objects_whose_type_comes_last_takes_time_linear_in_the_levels() {
    let depth = 60;
    let (open, close) = (
        r#"{"child":"#,
        r##","@odata.type":"#microsoft.graph.branch"}"##,
    );
    let tree = format!("{}5{}", open.repeat(depth), close.repeat(depth));
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let error = decode_error(body_with("tree", &tree));
        let _ = send.send(error.path().to_owned());
    });
    let path = receive
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the error located within a minute");
    assert_eq!(path, format!("tree{}", ".child".repeat(depth)));
}

#[test]
fn an_error_body_nested_100_000_levels_deep_is_kept_raw_and_a_deep_inner_error_chain_is_read() {
    let chain = |depth: usize| {
        format!(
            r#"{{"error":{{"code":"Deep","innerError":{}{{"code":"bottom"}}{}}}}}"#,
            r#"{"code":"c","innerError":"#.repeat(depth),
            "}".repeat(depth)
        )
    };
    let api_error = |body: String| match answered_with(MockResponse::new(400).body(body)) {
        Err(Error::Api(api)) => api,
        other => panic!("expected an API error, got {other:?}"),
    };

    let too_deep = chain(DEPTH);
    let error = api_error(too_deep.clone());
    assert_eq!(error.status(), 400);
    assert_eq!(error.raw_body(), Some(too_deep.as_bytes()));
    assert_short(&error.to_string());

    let error = api_error(chain(100));
    assert_eq!(error.code(), Some("Deep"));
    let mut levels = 0;
    let mut inner = error.inner_error();
    while let Some(next) = inner.and_then(|inner| inner.inner_error()) {
        levels += 1;
        inner = Some(next);
    }
    assert_eq!(
        (levels, inner.and_then(|inner| inner.code())),
        (100, Some("bottom"))
    );
}

/// Found by the `create_response` fuzz target: `{"":` gave the path `` and the message
/// "could not decode the 201 Created response at ``".
#[test]
fn an_error_in_a_property_with_an_empty_name_still_says_where_it_is() {
    for body in [r#"{"":"#, r#"{"":tru}"#, r#"{"nested":{"":[1,}}"#] {
        let error = decode_error(body);
        // An empty name must still show: not as an empty path or a trailing dot.
        let path = error.path();
        assert!(
            path == "." || !(path.is_empty() || path.ends_with('.')),
            "{body}: {error}"
        );
    }
}

#[test]
fn a_late_typed_tree_read_by_serde_json_alone_stops_at_the_same_depth_as_through_the_client() {
    // serde_json's own `from_str` lends no text to look at: the tree is kept aside level by
    // level, and stops where it does through the client and with its type first.
    let read = |depth| {
        serde_json::from_str::<Kinds>(&body_with("tree", &tree_json(depth, true))).map(drop)
    };
    read(125).expect("a kept tree as deep as allowed");
    let error = read(126).expect_err("a kept tree one level deeper");
    assert!(
        error.to_string().contains("recursion limit exceeded"),
        "{error}"
    );
}

#[test]
fn a_late_typed_tree_deep_in_the_body_counts_the_levels_above_it_through_the_client() {
    // 60 levels with the type first, then 66 with the type last and the leaf: 127 in all
    // with the body, as deep as serde_json reads; one more level is refused, as it is when
    // every level has its type first.
    let typed_first = r##"{"@odata.type":"#microsoft.graph.branch","child":"##;
    let tree = |late: usize| {
        format!(
            "{}{}{}",
            typed_first.repeat(60),
            tree_json(late, true),
            "}".repeat(60)
        )
    };
    create_answered_with(body_with("tree", &tree(65))).expect("a tree as deep as allowed");
    assert_at(&decode_error(body_with("tree", &tree(66))), "tree");
    // serde_json's own `from_str` lends no text, and counts the models around the tree.
    let read = |late| serde_json::from_str::<Kinds>(&body_with("tree", &tree(late))).map(drop);
    read(65).expect("a tree as deep as allowed");
    let error = read(66).expect_err("a tree one level deeper");
    assert!(
        error.to_string().contains("recursion limit exceeded"),
        "{error}"
    );
}

/// A tree held as text, which its own `Deserialize` reads with `serde_json::from_str`, as
/// a field may hold JSON in a string.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeInText(Tree);

impl serde::Serialize for TreeInText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(&self.0).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

impl<'de> serde::Deserialize<'de> for TreeInText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        serde_json::from_str(&text)
            .map(TreeInText)
            .map_err(serde::de::Error::custom)
    }
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum Holders {
    Holder(Holder),
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Holder {
    pub tree: Option<TreeInText>,
}

#[test]
fn a_deep_late_typed_tree_read_from_text_inside_an_object_read_again_is_an_error() {
    // The holder's type comes last, so it is read again from what was kept; inside that,
    // its field reads a tree 100,000 levels deep, each level's type last, with serde_json.
    let tree = serde_json::to_string(&tree_json(DEPTH, true)).expect("a JSON string");
    let body = format!(r##"{{"tree":{tree},"@odata.type":"#microsoft.graph.holder"}}"##);
    let error = serde_json::from_str::<Holders>(&body).expect_err("a tree too deep");
    assert!(
        error.to_string().contains("recursion limit exceeded"),
        "{error}"
    );
    // Text that another reader of JSON reads counts as below the whole object read again:
    // one level below the holder, a tree as deep as the body could hold it decodes.
    let tree = serde_json::to_string(&tree_json(125, true)).expect("a JSON string");
    let body = format!(r##"{{"tree":{tree},"@odata.type":"#microsoft.graph.holder"}}"##);
    let Holders::Holder(holder) = serde_json::from_str::<Holders>(&body).expect("a tree");
    assert!(holder.tree.is_some());
}

/// A body long enough for the SIMD check of UTF-8 (64 bytes and more), broken anywhere, is
/// refused where the standard library's check says, by the client and by `from_json`.
#[test]
fn a_long_body_broken_anywhere_says_where_its_first_byte_that_is_not_utf8_is() {
    let valid = valid_body();
    assert!(valid.len() > 128, "{}", valid.len());
    for broken in [&b"\xFF"[..], b"\xC3", b"\xED\xA0\x80"] {
        for at in 0..=valid.len() {
            let mut body = valid.clone().into_bytes();
            body.splice(at..at, broken.iter().copied());
            let utf8 = std::str::from_utf8(&body).expect_err("broken");
            let offset = utf8.valid_up_to();
            let expected = match utf8.error_len() {
                Some(_) => format!(
                    "found the byte 0x{:02X}, which is not UTF-8, at line 1 column {} (byte offset {offset})",
                    body[offset],
                    offset + 1,
                ),
                None => format!(
                    "EOF while parsing the UTF-8 character that starts with the byte 0x{:02X}",
                    body[offset]
                ),
            };
            let error = decode_error(body.clone());
            assert!(error.to_string().contains(&expected), "at {at}: {error}");
            let error = graph_resource::from_json::<serde_json::Value>(&Bytes::from(body))
                .expect_err("broken");
            assert!(error.to_string().contains(&expected), "at {at}: {error}");
        }
    }
}
