//! `graph_resource::from_json`, which reads answers as the client does, reads an object whose
//! `@odata.type` comes after its properties in one pass, by looking ahead in the text for
//! the type: the same values and errors as serde_json's own `from_str`, which keeps such an
//! object aside and reads it again, without the buffer.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use graph_resource::{Bytes, UntypedResource, graph_resource};
use serde::de::DeserializeOwned;

/// Counts the allocations of the thread that makes them.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to the system allocator with the caller's arguments.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.set(ALLOCATIONS.get() + 1);
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.set(ALLOCATIONS.get() + 1);
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The properties every configuration has.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Configuration {
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub version: Option<i32>,
    pub urls: Option<Vec<String>>,
    pub target: Option<Target>,
    pub parent: Option<Box<AnyConfiguration>>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WindowsConfiguration {
    #[graph(base)]
    pub base: Configuration,
    pub password_required: Option<bool>,
}

/// What `GET /configurations` answers: a configuration without `@odata.type` is a plain one.
#[graph_resource(path = "/configurations")]
#[derive(Debug, Clone, PartialEq)]
pub enum AnyConfiguration {
    #[graph(declared)]
    Configuration(Configuration),
    Windows(WindowsConfiguration),
    #[graph(other)]
    Other(UntypedResource),
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupTarget {
    pub group_id: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllDevicesTarget {}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Group(GroupTarget),
    AllDevices(AllDevicesTarget),
    #[graph(other)]
    Other(UntypedResource),
}

const WINDOWS: &str = "#microsoft.graph.windowsConfiguration";

/// `text` read by `from_json`, with the allocations that took; it must read as serde_json's
/// `from_str` reads it, or fail as it does.
fn read_json<T: DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) -> (T, usize) {
    let body = Bytes::copy_from_slice(text.as_bytes());
    let before = ALLOCATIONS.get();
    let read = graph_resource::from_json::<T>(&body);
    let allocations = ALLOCATIONS.get() - before;
    let expected = serde_json::from_str::<T>(text);
    match (read, expected) {
        (Ok(read), Ok(expected)) => {
            assert_eq!(read, expected, "{text}");
            (read, allocations)
        }
        (read, expected) => panic!("{text}: from_json gave {read:?}, from_str {expected:?}"),
    }
}

/// The properties of a Windows configuration, in order, without its type.
fn properties() -> Vec<String> {
    [
        r#""id":"7a1f""#,
        r#""displayName":"Baseline""#,
        r#""version":7"#,
        r#""urls":["https://a.example","https://b.example"]"#,
        r##""target":{"groupId":"3f2a","@odata.type":"#microsoft.graph.groupTarget"}"##,
        r#""passwordRequired":true"#,
    ]
    .map(str::to_owned)
    .to_vec()
}

/// An object of `properties` with `@odata.type` `odata_type` (if any) at `at`.
fn object(properties: &[String], odata_type: Option<&str>, at: usize) -> String {
    let mut members = properties.to_vec();
    if let Some(odata_type) = odata_type {
        members.insert(at, format!(r#""@odata.type":"{odata_type}""#));
    }
    format!("{{{}}}", members.join(","))
}

fn windows() -> AnyConfiguration {
    AnyConfiguration::Windows(WindowsConfiguration {
        base: Configuration {
            id: Some("7a1f".into()),
            display_name: Some("Baseline".into()),
            version: Some(7),
            urls: Some(vec!["https://a.example".into(), "https://b.example".into()]),
            target: Some(Target::Group(GroupTarget {
                group_id: Some("3f2a".into()),
            })),
            parent: None,
        },
        password_required: Some(true),
    })
}

#[test]
fn the_type_anywhere_reads_the_same_variant_with_no_more_allocations_than_first() {
    let properties = properties();
    let (first, first_allocations) =
        read_json::<AnyConfiguration>(&object(&properties, Some(WINDOWS), 0));
    assert_eq!(first, windows());
    for at in 1..=properties.len() {
        let text = object(&properties, Some(WINDOWS), at);
        let (read, allocations) = read_json::<AnyConfiguration>(&text);
        assert_eq!(read, windows(), "{text}");
        // Kept aside, the object would take a buffer and a value for its list of URLs.
        assert_eq!(allocations, first_allocations, "{text}");
    }
}

#[test]
fn a_property_after_annotations_and_before_the_type_is_read_into_the_variant() {
    // The variant has no place for annotations: the property kept with them is still read.
    for text in [
        r##"{"@odata.context":"c","id":"1","@odata.type":"#microsoft.graph.windowsConfiguration","passwordRequired":true}"##,
        r##"{"@odata.context":"c","@odata.etag":"e","id":"1","@odata.type":"#microsoft.graph.windowsConfiguration","passwordRequired":true}"##,
    ] {
        let (read, _) = read_json::<AnyConfiguration>(text);
        let AnyConfiguration::Windows(windows) = read else {
            panic!("{text}: the Windows variant");
        };
        assert_eq!(windows.base.id.as_deref(), Some("1"), "{text}");
        assert_eq!(windows.password_required, Some(true), "{text}");
    }
}

#[test]
fn an_untyped_object_is_read_into_the_declared_variant_with_no_buffer() {
    let plain: Vec<String> = properties()
        .into_iter()
        .filter(|property| !property.starts_with(r#""passwordRequired""#))
        .collect();
    let configuration = "#microsoft.graph.configuration";
    let (typed, typed_allocations) =
        read_json::<AnyConfiguration>(&object(&plain, Some(configuration), 0));
    let (untyped, allocations) = read_json::<AnyConfiguration>(&object(&plain, None, 0));
    assert_eq!(untyped, typed);
    assert!(matches!(untyped, AnyConfiguration::Configuration(_)));
    assert_eq!(allocations, typed_allocations);
    // Without an object inside it either.
    let flat: Vec<String> = plain[..3].to_vec();
    let (typed, typed_allocations) =
        read_json::<AnyConfiguration>(&object(&flat, Some(configuration), 0));
    let (untyped, allocations) = read_json::<AnyConfiguration>(&object(&flat, None, 0));
    assert_eq!(untyped, typed);
    assert_eq!(allocations, typed_allocations);
}

#[test]
fn a_type_named_inside_a_value_is_not_the_objects_own() {
    let cases = [
        // In an object inside the object, before its own type.
        r##"{"target":{"groupId":"1","@odata.type":"#microsoft.graph.groupTarget"},"@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
        // In an object inside a list.
        r##"{"urls":[],"tags":[{"@odata.type":"#microsoft.graph.configuration"}],"@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
        // As a string value, and inside one, quotes escaped.
        r##"{"displayName":"@odata.type","id":"a \"@odata.type\":\"#microsoft.graph.configuration\"","@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
        // At the end of a name that has an escaped quote.
        r##"{"id":"1","x\"@odata.type":"#microsoft.graph.configuration","@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
        // Braces inside strings.
        r##"{"displayName":"{ not an object }","id":"}","@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
        // A closing brace inside a string before the type, after an escaped quote.
        r##"{"id":"}","@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
        r##"{"id":"\"}","@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
        // Whitespace everywhere.
        "{ \"id\" : \"1\" ,\n\t\"@odata.type\" :\r\n \"#microsoft.graph.windowsConfiguration\" }",
    ];
    for text in cases {
        let (read, _) = read_json::<AnyConfiguration>(text);
        assert!(
            matches!(read, AnyConfiguration::Windows(_)),
            "{text}: {read:?}"
        );
    }
    // No type of its own, types around and inside it.
    let text = r##"{"id":"1","target":{"@odata.type":"#microsoft.graph.allDevicesTarget"}}"##;
    let (read, _) = read_json::<AnyConfiguration>(text);
    assert!(
        matches!(read, AnyConfiguration::Configuration(_)),
        "{read:?}"
    );
    let text = r##"[{"id":"1"},{"id":"2","@odata.type":"#microsoft.graph.windowsConfiguration"}]"##;
    let (read, _) = read_json::<Vec<AnyConfiguration>>(text);
    assert!(matches!(
        read[..],
        [
            AnyConfiguration::Configuration(_),
            AnyConfiguration::Windows(_)
        ]
    ));
}

#[test]
fn escapes_and_types_not_listed_read_as_serde_json_reads_them() {
    let cases = [
        // An escaped name is `@odata.type` too.
        r##"{"id":"1","@odata\u002etype":"#microsoft.graph.windowsConfiguration"}"##,
        r##"{"id":"1","@odata.type":"#microsoft.graph.windows\u0043onfiguration"}"##,
        r##"{"id":"1","@odata.type":"#microsoft.graph.printer"}"##,
        r##"{"id":"1","@odata.type":"microsoft.graph.windowsConfiguration"}"##,
        r##"{"id":"1","@odata.type":"#microsoft.graph.windowsConfiguration","@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
    ];
    for text in cases {
        read_json::<AnyConfiguration>(text);
    }
}

#[test]
fn errors_are_serde_jsons_and_a_property_before_the_type_is_where_its_error_is() {
    let cases = [
        // The type is not a string; a second type names another one.
        r##"{"id":"1","@odata.type":7}"##,
        r##"{"id":"1","@odata.type":"#microsoft.graph.windowsConfiguration","@odata.type":"#microsoft.graph.configuration"}"##,
        // Cut short, before and after the type.
        r##"{"id":"1","version":"##,
        r##"{"id":"1","@odata.type":"#microsoft.graph.windowsConfiguration","##,
        // A property of the wrong type before the type (not the first, which is kept aside
        // while the type is looked for), a duplicate.
        r##"{"id":"1","version":"seven","@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
        r##"{"id":"1","id":"2","@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
    ];
    for text in cases {
        let body = Bytes::copy_from_slice(text.as_bytes());
        let read = graph_resource::from_json::<AnyConfiguration>(&body);
        let expected = serde_json::from_str::<AnyConfiguration>(text);
        let (Err(read), Err(expected)) = (&read, &expected) else {
            panic!("{text}: from_json gave {read:?}, from_str {expected:?}");
        };
        assert_eq!(read.classify(), expected.classify(), "{text}");
        assert_eq!(read.line(), 1, "{text}");
        // serde_json's `from_str` reads the object again once it has ended, and says so.
        let column = if let Some(value) = text.find(r#""seven""#) {
            value + r#""seven""#.len()
        } else if let Some(second) = text.find(r#""id":"2""#) {
            second + r#""id""#.len()
        } else {
            expected.column()
        };
        assert_eq!(read.column(), column, "{text}: {read}");
    }
}

#[test]
fn late_types_nested_deeply_fail_at_the_recursion_limit() {
    let depth = 100_000;
    let open = r#"{"id":"1","parent":"#.repeat(depth);
    let close = r##","@odata.type":"#microsoft.graph.windowsConfiguration"}"##.repeat(depth);
    let text = format!("{open}null{close}");
    let body = Bytes::from(text);
    let error = graph_resource::from_json::<AnyConfiguration>(&body).unwrap_err();
    assert!(error.to_string().contains("recursion limit"), "{error}");
}

#[test]
fn a_body_that_is_not_utf8_is_refused_where_it_stops_being() {
    let body = Bytes::from_static(b"{\"id\":\"\xFF\"}");
    let error = graph_resource::from_json::<AnyConfiguration>(&body).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("found the byte 0xFF, which is not UTF-8, at line 1 column 8"),
        "{error}"
    );
}

/// `text` read by `from_json` and by serde_json's `from_str`: both fail, with one message.
fn fails_as_serde_json<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> serde_json::Error {
    let body = Bytes::copy_from_slice(text.as_bytes());
    let read = graph_resource::from_json::<T>(&body);
    let expected = serde_json::from_str::<T>(text);
    match (read, expected) {
        (Err(read), Err(expected)) => {
            assert_eq!(read.to_string(), expected.to_string(), "{text}");
            read
        }
        (read, expected) => panic!("{text}: from_json gave {read:?}, from_str {expected:?}"),
    }
}

#[test]
fn an_error_inside_the_property_before_the_type_is_met_where_it_stands() {
    // (text, where the client's reader stops, the path in the object serde_json's names)
    let cases = [
        (
            r##"{"urls":["a",1],"@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
            "1",
            "at `urls[1]`: ",
        ),
        (
            r##"{"parent":{"id":"2","version":"seven"},"@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
            r#""seven""#,
            "at `parent.version`: ",
        ),
        (
            r##"{"@odata.context":"c","urls":[true],"@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
            "true",
            "at `urls[0]`: ",
        ),
    ];
    for (text, value, path) in cases {
        // The client reads the property that led to the type where it stands, as with the
        // type first: the error is where the value is in the body.
        let body = Bytes::copy_from_slice(text.as_bytes());
        let read = graph_resource::from_json::<AnyConfiguration>(&body).unwrap_err();
        let end = text.find(value).unwrap() + value.len();
        assert_eq!((read.line(), read.column()), (1, end), "{text}: {read}");
        // serde_json's own reader, which lends no text to look ahead in, keeps the object
        // aside and names the path inside it.
        let kept = serde_json::from_str::<AnyConfiguration>(text).unwrap_err();
        assert!(kept.to_string().starts_with(path), "{text}: {kept}");
    }
}

#[test]
fn an_escaped_type_name_before_an_unescaped_one_is_the_objects_first_type() {
    let cases = [
        r##"{"id":"1","@odata\u002etype":"#microsoft.graph.printer","@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
        r##"{"id":"1","@odata\u002etype":"#microsoft.graph.configuration","@odata.type":"#microsoft.graph.windowsConfiguration"}"##,
    ];
    for text in cases {
        fails_as_serde_json::<AnyConfiguration>(text);
    }
    fails_as_serde_json::<Target>(
        r##"{"groupId":"1","@odata\u002etype":"#microsoft.graph.printer","@odata.type":"#microsoft.graph.groupTarget"}"##,
    );
}

/// A page of `count` configurations, each with a target, both typed at `at` (first or
/// last); with `None`, the configurations have no type and their targets have it first.
fn page(count: usize, at: Option<usize>) -> String {
    let target = |odata_type: &str| match at {
        Some(0) | None => format!(r#"{{"@odata.type":"{odata_type}","groupId":"3f2a"}}"#),
        Some(_) => format!(r#"{{"groupId":"3f2a","@odata.type":"{odata_type}"}}"#),
    };
    let mut properties = properties();
    properties[4] = format!(r#""target":{}"#, target("#microsoft.graph.groupTarget"));
    let item = match at {
        Some(at) => object(&properties, Some(WINDOWS), at.min(properties.len())),
        None => object(&properties, None, 0),
    };
    let items = vec![item; count].join(",");
    format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#configurations","value":[{items}]}}"#
    )
}

#[test]
fn a_page_of_ten_megabytes_is_read_without_keeping_any_object_aside() {
    let count = 40_000;
    let read = |text: String| {
        let body = Bytes::from(text);
        // The clone that lends the body promotes a body made from a `Vec` once.
        let _promoted = body.clone();
        let before = ALLOCATIONS.get();
        let page = graph_resource::from_json::<graph_resource::Page<AnyConfiguration>>(&body)
            .expect("a page");
        (page, ALLOCATIONS.get() - before, body.len())
    };
    let (first, first_allocations, len) = read(page(count, Some(0)));
    assert!(len > 10_000_000, "{len}");
    let (last, last_allocations, _) = read(page(count, Some(usize::MAX)));
    assert_eq!(last, first);
    // Looking ahead in every object, and in every target, fits the budget: none is kept
    // aside, which would take a buffer for it and a value for its list of URLs.
    assert_eq!(last_allocations, first_allocations);
    // Nor an object without a type, read into the declared variant.
    let (untyped, untyped_allocations, _) = read(page(count, None));
    assert!(matches!(
        untyped.items[..],
        [AnyConfiguration::Configuration(_), ..]
    ));
    assert_eq!(untyped.items.len(), count);
    assert_eq!(untyped_allocations, first_allocations);
}

/// A configuration sent as JSON inside a string, read with `from_json` while the body that
/// holds the string is being read.
#[derive(Debug, PartialEq)]
struct Embedded(AnyConfiguration);

impl<'de> serde::Deserialize<'de> for Embedded {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        graph_resource::from_json(&Bytes::from(text))
            .map(Embedded)
            .map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Holder {
    embedded: Embedded,
    configuration: AnyConfiguration,
}

#[test]
fn a_body_read_while_another_is_read_lends_its_text_and_then_gives_the_other_back() {
    let holder = |at: usize| {
        let configuration = object(&properties(), Some(WINDOWS), at);
        let embedded = serde_json::to_string(&configuration).expect("a string");
        format!(r#"[{{"embedded":{embedded},"configuration":{configuration}}}]"#)
    };
    // The first read inside another makes the thread room to set the other aside, once.
    read_json::<Vec<Holder>>(&holder(0));
    let (first, first_allocations) = read_json::<Vec<Holder>>(&holder(0));
    let (last, last_allocations) = read_json::<Vec<Holder>>(&holder(properties().len()));
    assert_eq!(last, first);
    assert_eq!(first[0].configuration, windows());
    // Both configurations, the one in the string and the one after it, were looked ahead in.
    assert_eq!(last_allocations, first_allocations);
}

/// Panics when read.
#[derive(Debug, PartialEq)]
struct Panics;

impl<'de> serde::Deserialize<'de> for Panics {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        panic!("a reader that panics");
    }
}

#[test]
fn a_body_whose_reading_unwinds_is_no_longer_lent() {
    let body = Bytes::from(br#"{"a":1}"#.to_vec());
    let unwound = std::panic::catch_unwind(|| graph_resource::from_json::<Panics>(&body));
    assert!(unwound.is_err());
    // The thread holds the body no more: it is the only handle to its bytes.
    assert!(body.is_unique());
}

/// A client whose transport answers one `$batch` with `bodies`, an item each, in order.
fn client_answering<B: AsRef<str>>(bodies: &[B]) -> graph_resource::Client {
    let mock = graph_resource::MockTransport::new();
    let responses: Vec<String> = bodies
        .iter()
        .enumerate()
        .map(|(index, body)| {
            let body = body.as_ref();
            format!(r#"{{"id":"{}","status":200,"body":{body}}}"#, index + 1)
        })
        .collect();
    let answer = format!(r#"{{"responses":[{}]}}"#, responses.join(","));
    mock.push(graph_resource::MockResponse::new(200).body(answer.into_bytes()));
    mock.client_builder().build().expect("a client")
}

/// Gets `bodies.len()` configurations in one `$batch` whose items answer `bodies`; what
/// each item reads, with the allocations that reading them all took.
async fn batch_of(bodies: &[String]) -> (Vec<AnyConfiguration>, usize) {
    let client = client_answering(bodies);
    let mut batch = client.batch();
    let handles: Vec<_> = (0..bodies.len())
        .map(|index| batch.add(AnyConfiguration::get(&client, &index.to_string())))
        .collect();
    let mut responses = batch.send().await.expect("an answer");
    let before = ALLOCATIONS.get();
    let read: Vec<AnyConfiguration> = handles
        .into_iter()
        .map(|handle| responses.take(handle).expect("a configuration"))
        .collect();
    (read, ALLOCATIONS.get() - before)
}

#[tokio::test]
async fn batch_items_typed_last_are_read_from_the_answer_in_one_pass() {
    let properties = properties();
    let bodies = |at: usize| {
        vec![
            object(&properties, Some(WINDOWS), at),
            object(&properties[..3], None, 0),
            object(&properties, Some(WINDOWS), at),
        ]
    };
    let (first, first_allocations) = batch_of(&bodies(0)).await;
    let last_bodies = bodies(properties.len());
    let (last, last_allocations) = batch_of(&last_bodies).await;
    assert_eq!(last, first);
    for (read, body) in last.iter().zip(&last_bodies) {
        let expected: AnyConfiguration = serde_json::from_str(body).expect("a configuration");
        assert_eq!(read, &expected, "{body}");
    }
    assert_eq!(last[0], windows());
    assert!(matches!(last[1], AnyConfiguration::Configuration(_)));
    assert_eq!(last_allocations, first_allocations);
}

/// The allocations that sending a `$batch` of `bodies.len()` gets took, its items answering
/// `bodies`.
async fn allocations_to_send(bodies: &[String]) -> usize {
    let client = client_answering(bodies);
    let mut batch = client.batch();
    let handles: Vec<_> = (0..bodies.len())
        .map(|index| batch.add(AnyConfiguration::get(&client, &index.to_string())))
        .collect();
    let before = ALLOCATIONS.get();
    let responses = batch.send().await.expect("an answer");
    let allocations = ALLOCATIONS.get() - before;
    drop((handles, responses));
    allocations
}

#[tokio::test]
async fn a_batch_item_is_read_with_no_more_allocations_than_its_body_alone() {
    let properties = properties();
    let bodies = vec![
        object(&properties, Some(WINDOWS), properties.len()),
        object(&properties, Some(WINDOWS), 0),
        object(&properties[..3], None, 0),
    ];
    let (_, in_a_batch) = batch_of(&bodies).await;
    let alone: usize = bodies
        .iter()
        .map(|body| {
            let body = Bytes::from(body.clone());
            let before = ALLOCATIONS.get();
            drop(graph_resource::from_json::<AnyConfiguration>(&body).expect("a configuration"));
            ALLOCATIONS.get() - before
        })
        .sum();
    // One more: the list the items are collected into.
    assert_eq!(in_a_batch, alone + 1);
    // Keeping each body in the answer, to be lent when it is read, allocates nothing: as
    // many as for the first body and, for the others, `null` and spaces as long as each
    // (the same text for serde_json to pass over in the answer's envelope).
    let nulls: Vec<String> = bodies
        .iter()
        .enumerate()
        .map(|(index, body)| match index {
            0 => body.clone(),
            _ => format!("{:<1$}", "null", body.len()),
        })
        .collect();
    assert_eq!(
        allocations_to_send(&bodies).await,
        allocations_to_send(&nulls).await
    );
}

/// Reads, as a thread ends, a body whose annotation before its type is an object: its
/// depth is found in the text on loan.
struct ReadAtExit(std::sync::mpsc::Sender<AnyConfiguration>);

impl Drop for ReadAtExit {
    fn drop(&mut self) {
        let body = Bytes::from_static(
            br##"{"id":"1","@x.a":{"a":[1,{"b":[2]}]},"@odata.type":"#microsoft.graph.printer"}"##,
        );
        let read = graph_resource::from_json(&body).expect("a configuration");
        self.0.send(read).expect("the test waits");
    }
}

thread_local! {
    static READ_AT_EXIT: std::cell::RefCell<Option<ReadAtExit>> =
        const { std::cell::RefCell::new(None) };
}

#[test]
fn a_body_read_in_a_thread_locals_destructor_is_read_as_in_the_thread() {
    let body =
        br##"{"id":"1","@x.a":{"a":[1,{"b":[2]}]},"@odata.type":"#microsoft.graph.printer"}"##;
    let (sender, read) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Set before the read, so that it is destroyed after the thread-locals the read
        // sets, which are destroyed in the reverse order.
        READ_AT_EXIT.with_borrow_mut(|at_exit| *at_exit = Some(ReadAtExit(sender.clone())));
        let first: AnyConfiguration =
            graph_resource::from_json(&Bytes::from_static(body)).expect("a configuration");
        sender.send(first).expect("the test waits");
    })
    .join()
    .expect("the thread ends");
    let in_the_thread = read.recv().expect("read in the thread");
    let at_exit = read.recv().expect("read as the thread ended");
    assert!(matches!(in_the_thread, AnyConfiguration::Other(_)));
    assert_eq!(at_exit, in_the_thread);
}
