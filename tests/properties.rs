//! Properties that hold for every input, checked on generated values: models round-trip,
//! path keys stay one segment, retry delays stay within the policy's bounds.

use std::time::{Duration, SystemTime};

use graph_resource::{
    Client, Decimal, Error, MockResponse, MockTransport, ODataType, RetryPolicy, UntypedResource,
    encode_path_segment, graph_resource,
};
use http::HeaderValue;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

#[path = "support/model.rs"]
mod model;
use model::*;

#[path = "support/ready.rs"]
mod ready;
use ready::block_on;

const KNOWN_TARGET_TYPES: [&str; 3] = [
    GroupAssignmentTarget::ODATA_TYPE,
    ExclusionGroupAssignmentTarget::ODATA_TYPE,
    AllDevicesAssignmentTarget::ODATA_TYPE,
];

const FILTER_TYPE_VALUES: [&str; 3] = ["none", "include", "exclude"];

const BASE_URL: &str = "https://graph.microsoft.com/beta";

/// The properties every entity has; Graph sets `createdDateTime` itself.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditedEntity {
    pub id: Option<String>,
    #[graph(read_only)]
    pub created_date_time: Option<String>,
}

/// A role definition: `isBuiltIn` is Graph's to set too.
#[graph_resource(path = "/deviceManagement/roleDefinitions", operations(update))]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoleDefinition {
    #[graph(base)]
    pub entity: AuditedEntity,
    #[graph(read_only)]
    pub is_built_in: Option<bool>,
    pub display_name: Option<String>,
    pub description: Option<String>,
}

/// The properties of `RoleDefinition` a diff never sends.
const NEVER_SENT: [&str; 3] = ["id", "createdDateTime", "isBuiltIn"];

// ---------------------------------------------------------------------------------------
// Strategies

/// Any Unicode text, control characters, quotes and backslashes included.
fn text() -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..12).prop_map(String::from_iter)
}

fn is_known_target_type(odata_type: &str) -> bool {
    let bare = |name: &str| name.strip_prefix('#').unwrap_or(name).to_owned();
    KNOWN_TARGET_TYPES
        .iter()
        .any(|known| bare(known) == bare(odata_type))
}

/// A type name no typed variant claims: random text, plausible names, near misses.
fn unknown_target_type() -> impl Strategy<Value = String> {
    prop_oneof![
        text(),
        "#?microsoft\\.graph\\.[a-zA-Z]{0,24}",
        select(&KNOWN_TARGET_TYPES[..]).prop_map(str::to_uppercase),
        select(&KNOWN_TARGET_TYPES[..]).prop_map(|known| format!("#{known}")),
        select(&KNOWN_TARGET_TYPES[..]).prop_map(|known| format!("{known}s")),
    ]
    .prop_filter("a type no variant claims", |name| {
        !is_known_target_type(name)
    })
}

/// Small JSON values; numbers are those that every JSON reader reads back exactly.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1_000_000i32..1_000_000).prop_map(|eighths| Value::from(f64::from(eighths) / 8.0)),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec((text(), inner), 0..4).prop_map(|members| Value::Object(Map::from_iter(members))),
        ]
    })
}

/// Properties of an untyped resource: any names but `@odata.type`, which it holds apart.
fn properties() -> impl Strategy<Value = Map<String, Value>> {
    let name = prop_oneof![
        text(),
        Just("@odata.context".to_owned()),
        Just("id".to_owned())
    ]
    .prop_filter("not the type annotation", |name| name != "@odata.type");
    vec((name, json_value()), 0..4).prop_map(Map::from_iter)
}

fn filter_type() -> impl Strategy<Value = FilterType> {
    prop_oneof![
        Just(FilterType::None),
        Just(FilterType::Include),
        Just(FilterType::Exclude),
        text()
            .prop_filter("not a named value", |value| {
                !FILTER_TYPE_VALUES
                    .iter()
                    .any(|named| named.eq_ignore_ascii_case(value))
            })
            .prop_map(FilterType::Unknown),
    ]
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        (option::of(filter_type()), option::of(text())).prop_map(|(filter_type, group_id)| {
            Target::Group(GroupAssignmentTarget {
                device_and_app_management_assignment_filter_type: filter_type,
                group_id,
            })
        }),
        option::of(text()).prop_map(|group_id| {
            Target::ExclusionGroup(ExclusionGroupAssignmentTarget { group_id })
        }),
        Just(Target::AllDevices(AllDevicesAssignmentTarget {})),
        (option::of(unknown_target_type()), properties()).prop_map(|(odata_type, properties)| {
            Target::Other(UntypedResource {
                odata_type,
                properties,
            })
        }),
    ]
}

fn assignment() -> impl Strategy<Value = DeviceManagementIntentAssignment> {
    (option::of(text()), option::of(target()))
        .prop_map(|(id, target)| DeviceManagementIntentAssignment { id, target })
}

/// Path keys: any text, and text made of the characters that matter in a URL path, so that
/// empty, `.` and `..` keys come up often.
fn path_key() -> impl Strategy<Value = String> {
    let tricky = select(
        &[
            '.', '/', '%', '?', '#', ' ', '+', '&', '=', ';', ':', '@', 'é', '\0',
        ][..],
    );
    prop_oneof![
        text(),
        vec(tricky, 0..4).prop_map(String::from_iter),
        select(&["", ".", "..", "...", "%2e", "%2E%2E", "./", "../x"][..]).prop_map(str::to_owned),
    ]
}

/// An HTTP date `offset_seconds` from now.
fn http_date(offset_seconds: i64) -> String {
    let now = SystemTime::now();
    let magnitude = Duration::from_secs(offset_seconds.unsigned_abs());
    let date = if offset_seconds < 0 {
        now - magnitude
    } else {
        now + magnitude
    };
    httpdate::fmt_http_date(date)
}

/// `Retry-After` values as servers and proxies send them, and as they should not.
fn retry_after() -> impl Strategy<Value = HeaderValue> {
    let text = prop_oneof![
        any::<i64>().prop_map(|seconds| seconds.to_string()),
        any::<f64>().prop_map(|seconds| seconds.to_string()),
        any::<f64>().prop_map(|seconds| format!("{seconds:e}")),
        "-?[0-9]{1,400}(\\.[0-9]{1,20})?",
        // From 1978 to 2153: in the past and in the future.
        (-1_500_000_000i64..4_000_000_000).prop_map(http_date),
        select(&ODD_RETRY_AFTER_VALUES[..]).prop_map(str::to_owned),
        vec(any::<u8>(), 0..40).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
    ];
    text.prop_filter_map("a valid header value", |text| {
        HeaderValue::from_str(&text).ok()
    })
}

const ODD_RETRY_AFTER_VALUES: [&str; 16] = [
    "",
    " ",
    "-0",
    "+5",
    "1e400",
    "-1e400",
    "inf",
    "-inf",
    "NaN",
    "0x10",
    "1_000",
    "2.128",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Sunday, 06-Nov-94 08:49:37 GMT",
    "Sun Nov  6 08:49:37 1994",
];

/// A policy with random bounds, and the bounds themselves.
#[derive(Debug, Clone)]
struct Bounds {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_total_delay: Duration,
}

impl Bounds {
    fn policy(&self) -> RetryPolicy {
        RetryPolicy::default()
            .max_retries(self.max_retries)
            .base_delay(self.base_delay)
            .max_delay(self.max_delay)
            .max_total_delay(self.max_total_delay)
    }
}

fn bounds() -> impl Strategy<Value = Bounds> {
    let millis = |max: u64| (0..=max).prop_map(Duration::from_millis);
    (0u32..5, millis(10_000), millis(600_000), millis(900_000)).prop_map(
        |(max_retries, base_delay, max_delay, max_total_delay)| Bounds {
            max_retries,
            base_delay,
            max_delay,
            max_total_delay,
        },
    )
}

fn role_definition() -> impl Strategy<Value = RoleDefinition> {
    (
        option::of(text()),
        option::of(text()),
        option::of(any::<bool>()),
        option::of(text()),
        option::of(text()),
    )
        .prop_map(
            |(id, created, built_in, display_name, description)| RoleDefinition {
                entity: AuditedEntity {
                    id,
                    created_date_time: created,
                },
                is_built_in: built_in,
                display_name,
                description,
            },
        )
}

// ---------------------------------------------------------------------------------------
// Helpers

/// The body that `update(..).changed_from(before)` sends for `edited`.
fn diff_body(before: &RoleDefinition, edited: &RoleDefinition) -> Map<String, Value> {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(204));
    let client = client(&mock, RetryPolicy::none());
    block_on(RoleDefinition::update(&client, "r1", edited).changed_from(before))
        .expect("a 204 answer");
    match mock.requests()[0].body_json() {
        Ok(Value::Object(body)) => body,
        other => panic!("a JSON object body, not {other:?}"),
    }
}

fn client(mock: &MockTransport, policy: RetryPolicy) -> Client {
    mock.client_builder()
        .base_url(BASE_URL)
        .retry_policy(policy)
        .build()
        .expect("a valid client configuration")
}

fn created_response() -> MockResponse {
    MockResponse::json(201, json!({"id": "created"}))
}

/// Decodes `%XX` escapes; `None` when anything but an escape or an RFC 3986 unreserved
/// character appears, or the bytes are not UTF-8.
fn percent_decode(segment: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(segment.len());
    let mut rest = segment.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            let hex = tail
                .get(..2)
                .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))?;
            bytes.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            rest = &tail[2..];
        } else if first.is_ascii_alphanumeric() || b"-._~".contains(&first) {
            bytes.push(first);
            rest = tail;
        } else {
            return None;
        }
    }
    String::from_utf8(bytes).ok()
}

/// Moves `@odata.type` of the object `value` to its end, when it has one.
fn type_last(value: &mut Value) {
    if let Value::Object(members) = value
        && let Some(odata_type) = members.shift_remove("@odata.type")
    {
        members.insert("@odata.type".to_owned(), odata_type);
    }
}

/// `text` with the case of each ASCII letter chosen by `upper`.
fn recase(text: &str, upper: &[bool]) -> String {
    text.chars()
        .zip(upper.iter().cycle())
        .map(|(c, &upper)| {
            if upper {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

fn is_dot_segment_or_empty(key: &str) -> bool {
    matches!(key, "" | "." | "..")
}

#[test]
fn a_diff_against_a_value_built_from_defaults_never_clears_the_key_or_read_only_properties() {
    let before = RoleDefinition {
        entity: AuditedEntity {
            id: Some("r1".into()),
            created_date_time: Some("2024-01-01T00:00:00Z".into()),
        },
        is_built_in: Some(false),
        display_name: Some("Help desk".into()),
        description: Some("Resets passwords".into()),
    };
    let edited = RoleDefinition {
        display_name: Some("Service desk".into()),
        ..Default::default()
    };
    assert_eq!(
        Value::Object(diff_body(&before, &edited)),
        json!({
            "@odata.type": "#microsoft.graph.roleDefinition",
            "displayName": "Service desk",
            "description": null,
        })
    );
    let mut renamed = before.clone();
    renamed.entity.id = Some("r2".into());
    renamed.is_built_in = Some(true);
    assert_eq!(
        Value::Object(diff_body(&before, &renamed)),
        json!({"@odata.type": "#microsoft.graph.roleDefinition"}),
        "a changed key or read-only property is not sent either"
    );
}

/// A price list, whose prices are `Edm.Decimal`.
#[graph_resource(path = "/solutions/priceLists", operations(update))]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriceList {
    pub id: Option<String>,
    pub list_price: Option<Decimal>,
    pub floor_price: Option<Decimal>,
}

#[test]
fn update_bodies_keep_every_digit_of_a_decimal_through_a_diff_and_a_clear() {
    let price = |text: &str| Some(Decimal::new(text).expect("a JSON number"));
    let before = PriceList {
        id: Some("p1".into()),
        list_price: price("12345678901234567890.123456789"),
        floor_price: price("1.5"),
    };
    let mut edited = before.clone();
    // Equal as `f64`s: only the text tells the change.
    edited.list_price = price("12345678901234567890.123456788");
    let mock = MockTransport::new();
    mock.push(MockResponse::new(204));
    mock.push(MockResponse::new(204));
    let client = client(&mock, RetryPolicy::none());
    block_on(PriceList::update(&client, "p1", &edited).changed_from(&before))
        .expect("a 204 answer");
    block_on(PriceList::update(&client, "p1", &edited).clear("floorPrice")).expect("a 204 answer");
    let bodies: Vec<String> = (mock.requests().iter())
        .map(|request| String::from_utf8_lossy(&request.body).into_owned())
        .collect();
    assert_eq!(
        bodies,
        [
            r##"{"@odata.type":"#microsoft.graph.priceList","listPrice":12345678901234567890.123456788}"##,
            r##"{"@odata.type":"#microsoft.graph.priceList","id":"p1","listPrice":12345678901234567890.123456788,"floorPrice":null}"##,
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_diff_sends_exactly_the_writable_changes(
        before in role_definition(),
        edited in role_definition(),
    ) {
        let body = diff_body(&before, &edited);
        for name in NEVER_SENT {
            prop_assert!(!body.contains_key(name), "{} sent: {:?}", name, body);
        }
        let writable = [
            ("displayName", &before.display_name, &edited.display_name),
            ("description", &before.description, &edited.description),
        ];
        for (name, was, is) in writable {
            let expected = match (was, is) {
                (was, Some(is)) if was.as_ref() != Some(is) => Some(Value::from(is.as_str())),
                (Some(_), None) => Some(Value::Null),
                _ => None,
            };
            prop_assert_eq!(body.get(name), expected.as_ref(), "{}", name);
        }
        prop_assert_eq!(body.get("@odata.type"), Some(&Value::from(RoleDefinition::ODATA_TYPE)));
        let known = ["@odata.type", "displayName", "description"];
        prop_assert!(body.keys().all(|key| known.contains(&key.as_str())), "{:?}", body);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_assignment_reads_back_equal_from_text_bytes_and_values(assignment in assignment()) {
        let text = serde_json::to_string(&assignment).unwrap();
        prop_assert_eq!(&serde_json::from_str::<DeviceManagementIntentAssignment>(&text).unwrap(), &assignment);
        let bytes = serde_json::to_vec(&assignment).unwrap();
        prop_assert_eq!(&serde_json::from_slice::<DeviceManagementIntentAssignment>(&bytes).unwrap(), &assignment);
        let value = serde_json::to_value(&assignment).unwrap();
        prop_assert_eq!(serde_json::from_value::<DeviceManagementIntentAssignment>(value).unwrap(), assignment);
    }

    #[test]
    fn a_target_reads_the_same_whether_its_type_comes_first_or_last(target in target()) {
        let mut value = serde_json::to_value(&target).unwrap();
        type_last(&mut value);
        let buffered: Target = serde_json::from_str(&value.to_string()).unwrap();
        prop_assert_eq!(buffered, target);
    }

    #[test]
    fn an_unknown_target_type_is_written_back_unchanged(
        odata_type in unknown_target_type(),
        properties in properties(),
    ) {
        let mut input = Map::from_iter([("@odata.type".to_owned(), Value::from(odata_type))]);
        input.extend(properties);
        let input = Value::Object(input).to_string();
        let target: Target = serde_json::from_str(&input).unwrap();
        prop_assert!(matches!(target, Target::Other(_)), "{:?}", target);
        prop_assert_eq!(serde_json::to_string(&target).unwrap(), input);
    }

    #[test]
    fn named_string_enum_values_read_in_any_ascii_case(
        value in select(&FILTER_TYPE_VALUES[..]),
        upper in vec(any::<bool>(), 1..8),
    ) {
        let named: FilterType = serde_json::from_value(json!(value)).unwrap();
        prop_assert!(!matches!(named, FilterType::Unknown(_)), "{:?}", named);
        let recased: FilterType = serde_json::from_value(json!(recase(value, &upper))).unwrap();
        prop_assert_eq!(recased, named);
    }

    #[test]
    fn a_string_enum_without_other_reads_exactly_its_values_in_any_case(value in "\\PC{0,12}|(?i)notStarted|(?i)inProgress|(?i)succeeded") {
        const RUN_STATE_VALUES: [&str; 3] = ["notStarted", "inProgress", "succeeded"];
        let known = RUN_STATE_VALUES.iter().any(|known| known.eq_ignore_ascii_case(&value));
        let decoded = serde_json::from_value::<RunState>(json!(value));
        prop_assert_eq!(decoded.is_ok(), known, "{:?}: {:?}", value, decoded);
        if let Ok(state) = decoded {
            let written = serde_json::to_value(&state).unwrap();
            prop_assert!(written.as_str().is_some_and(|w| w.eq_ignore_ascii_case(&value)));
        }
    }

    #[test]
    fn any_key_becomes_exactly_one_segment_or_is_rejected_before_sending(key in path_key()) {
        let mock = MockTransport::new();
        mock.push(created_response());
        let client = client(&mock, RetryPolicy::none());
        let result = block_on(DeviceManagementIntentAssignment::create(
            &client,
            &key,
            &DeviceManagementIntentAssignment::default(),
        ));
        if is_dot_segment_or_empty(&key) {
            prop_assert!(matches!(result, Err(Error::InvalidArgument(_))), "{:?}: {:?}", key, result);
            prop_assert!(mock.requests().is_empty(), "{:?} was sent", key);
        } else {
            prop_assert!(result.is_ok(), "{:?}: {:?}", key, result);
            let uri = mock.requests()[0].uri.clone();
            prop_assert_eq!(uri.query(), None);
            let segments: Vec<&str> = uri.path().split('/').collect();
            let [_, "beta", "deviceManagement", "intents", segment, "assignments"] = segments[..] else {
                return Err(TestCaseError::fail(format!("{key:?} changed the path: {}", uri.path())));
            };
            prop_assert_eq!(percent_decode(segment), Some(key.clone()));
            prop_assert_eq!(segment, encode_path_segment(&key));
        }
    }

    #[test]
    fn encode_path_segment_gives_one_segment_that_decodes_back(key in path_key()) {
        let segment = encode_path_segment(&key);
        prop_assert!(!segment.contains('/'), "{:?} -> {}", key, segment);
        prop_assert_eq!(percent_decode(&segment), Some(key));
    }

    #[test]
    fn no_retry_after_value_makes_a_delay_longer_than_max_delay(
        bounds in bounds(),
        retry in any::<u32>(),
        retry_after in retry_after(),
    ) {
        let delay = bounds.policy().delay_for(retry, Some(&retry_after));
        prop_assert!(delay <= bounds.max_delay, "{:?} for {:?}: {:?}", delay, retry_after, bounds);
    }

    #[test]
    fn without_retry_after_the_backoff_stays_under_its_exponential_ceiling(
        bounds in bounds(),
        retry in any::<u32>(),
    ) {
        let ceiling = bounds
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)))
            .min(bounds.max_delay);
        let delay = bounds.policy().delay_for(retry, None);
        prop_assert!(delay <= ceiling, "retry {}: {:?} above {:?}", retry, delay, ceiling);
    }

    #[test]
    fn retry_after_in_seconds_is_honoured_up_to_max_delay(
        bounds in bounds(),
        millis in -1_000_000i64..1_000_000,
    ) {
        let text = format!("{}{}.{:03}", if millis < 0 { "-" } else { "" }, millis.abs() / 1000, millis.abs() % 1000);
        let delay = bounds.policy().delay_for(1, Some(&HeaderValue::from_str(&text).unwrap()));
        let expected = Duration::from_millis(millis.max(0).unsigned_abs()).min(bounds.max_delay);
        prop_assert_eq!(delay, expected, "Retry-After: {}", text);
    }

    #[test]
    fn retry_after_as_a_date_is_honoured_up_to_max_delay(
        bounds in bounds(),
        offset in -1_000_000i64..1_000_000,
    ) {
        let date = HeaderValue::from_str(&http_date(offset)).unwrap();
        let delay = bounds.policy().delay_for(1, Some(&date));
        // The date has whole seconds and a little time passes before it is read.
        let at_most = Duration::from_secs(offset.max(0).unsigned_abs());
        let at_least = at_most.saturating_sub(Duration::from_secs(2));
        prop_assert!(
            at_least.min(bounds.max_delay) <= delay && delay <= at_most.min(bounds.max_delay),
            "{:?} for a date {}s away, {:?}", delay, offset, bounds
        );
    }

    #[test]
    fn a_throttled_call_sleeps_within_every_bound_of_its_policy(
        bounds in bounds(),
        retry_afters in vec(option::of(retry_after()), 5),
    ) {
        let mock = MockTransport::new();
        for retry_after in retry_afters {
            let throttled = MockResponse::json(429, json!({"error": {"code": "TooManyRequests"}}));
            mock.push(match retry_after {
                Some(value) => throttled.header("retry-after", value),
                None => throttled,
            });
        }
        let client = client(&mock, bounds.policy());
        let result = block_on(DeviceManagementIntentAssignment::create(
            &client,
            "intent",
            &DeviceManagementIntentAssignment::default(),
        ));

        prop_assert!(matches!(&result, Err(Error::Api(api)) if api.status() == 429), "{:?}", result);
        let delays = mock.slept();
        prop_assert!(delays.len() <= bounds.max_retries as usize, "{:?} for {:?}", delays, bounds);
        prop_assert_eq!(mock.requests().len(), delays.len() + 1);
        prop_assert!(delays.iter().all(|delay| *delay <= bounds.max_delay), "{:?} for {:?}", delays, bounds);
        let total: Duration = delays.iter().sum();
        prop_assert!(total <= bounds.max_total_delay, "{:?} for {:?}", delays, bounds);
    }
}

#[test]
fn the_percent_decoder_of_these_tests_rejects_what_is_not_one_segment() {
    assert_eq!(percent_decode("a%2Fb%C3%A9~"), Some("a/bé~".to_owned()));
    for not_a_segment in ["a/b", "a b", "%2", "%zz", "%+1", "a?b", "%FF"] {
        assert_eq!(percent_decode(not_a_segment), None, "{not_a_segment}");
    }
}
