//! An object whose `@odata.type` comes after its properties, read by serde_json's own
//! `from_str` (which keeps the properties aside until the type is known, then reads them
//! again), decodes to what the same object with its type first decodes to: every kind of
//! value, and the same errors at the same paths.

use graph_resource::{UntypedResource, graph_resource};
use serde_json::{Map, Value, json};

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Setting {
    pub name: Option<String>,
    pub level: Option<u8>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Quick,
    Full,
}

/// A newtype read from a number.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Percent(pub f64);

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Policy {
    pub id: Option<String>,
    pub count: Option<i64>,
    pub small: Option<u8>,
    pub ratio: Option<f64>,
    pub share: Option<Percent>,
    pub enabled: Option<bool>,
    pub mode: Option<Mode>,
    pub cleared: Option<String>,
    pub levels: Option<Vec<i32>>,
    pub settings: Option<Vec<Setting>>,
    pub main_setting: Option<Setting>,
    pub raw: Option<Value>,
    pub target: Option<AnyTarget>,
    #[graph(additional)]
    pub additional: Map<String, Value>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StrictPolicy {
    #[graph(base)]
    pub base: Policy,
    pub strict: Option<bool>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum AnyPolicy {
    Policy(Policy),
    Strict(StrictPolicy),
    #[graph(other)]
    Other(UntypedResource),
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupTarget {
    pub group_id: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum AnyTarget {
    Group(GroupTarget),
    #[graph(other)]
    Other(UntypedResource),
}

/// `object` as text with its `@odata.type` first, and with it last.
fn both_orders(object: &Value) -> (String, String) {
    let Value::Object(members) = object else {
        panic!("{object} is not an object");
    };
    let mut first = Map::new();
    let mut last = Map::new();
    let odata_type = members.get("@odata.type").cloned();
    if let Some(odata_type) = &odata_type {
        first.insert("@odata.type".to_owned(), odata_type.clone());
    }
    for (key, value) in members {
        if key != "@odata.type" {
            first.insert(key.clone(), value.clone());
            last.insert(key.clone(), value.clone());
        }
    }
    if let Some(odata_type) = odata_type {
        last.insert("@odata.type".to_owned(), odata_type);
    }
    (
        Value::Object(first).to_string(),
        Value::Object(last).to_string(),
    )
}

fn every_kind() -> Value {
    json!({
        "@odata.type": "#microsoft.graph.strictPolicy",
        "id": "p1",
        "count": -9_007_199_254_740_993_i64,
        "small": 255,
        "ratio": 1.0,
        "share": 0.25,
        "enabled": false,
        "mode": "FULL",
        "cleared": null,
        "levels": [1, -2, 3],
        "settings": [{"name": "a", "level": 1}, {"name": "b\"\\/\u{e9}", "level": null}],
        "mainSetting": {"level": 7, "name": "main"},
        "raw": {"n": [1.5, 18446744073709551615_u64, -1, true, null, "x"], "o": {}},
        "target": {"groupId": "g", "@odata.type": "#microsoft.graph.groupTarget"},
        "strict": true,
        "newerProperty": [{"deep": [1, {"deeper": null}]}],
        "count@odata.type": "#Int64"
    })
}

#[test]
fn every_kind_of_value_decodes_the_same_with_the_type_first_or_last() {
    let (first, last) = both_orders(&every_kind());
    let typed_first: AnyPolicy = serde_json::from_str(&first).unwrap();
    let typed_last: AnyPolicy = serde_json::from_str(&last).unwrap();
    assert_eq!(typed_last, typed_first);
    let AnyPolicy::Strict(strict) = &typed_last else {
        panic!("not the strict variant: {typed_last:?}");
    };
    assert_eq!(strict.base.count, Some(-9_007_199_254_740_993));
    assert_eq!(strict.base.small, Some(255));
    assert_eq!(strict.base.share, Some(Percent(0.25)));
    assert_eq!(strict.base.mode, Some(Mode::Full));
    assert_eq!(strict.base.settings.as_ref().map(Vec::len), Some(2));
    assert_eq!(
        strict
            .base
            .raw
            .as_ref()
            .and_then(|raw| raw["n"][1].as_u64()),
        Some(u64::MAX)
    );
    assert_eq!(
        strict.base.additional["newerProperty"],
        json!([{"deep": [1, {"deeper": null}]}])
    );
    assert!(matches!(strict.base.target, Some(AnyTarget::Group(_))));
    // And read back, the same text either way.
    assert_eq!(
        serde_json::to_value(&typed_last).unwrap(),
        serde_json::to_value(&typed_first).unwrap()
    );
}

#[test]
fn annotations_of_every_kind_before_the_type_decode_as_after_it() {
    // Annotations before the type are kept aside from any reader (here serde_json's
    // `from_str`, which lends no text to look at), and read into the variant after it.
    let annotations = r#""@odata.etag":"W/\"1\"","@contoso.count":-5,"@contoso.big":18446744073709551615,"@contoso.flag":true,"@contoso.none":null,"@contoso.list":[1,{"a":[2]}],"@contoso.map":{"b":"c"}"#;
    let before =
        format!(r##"{{{annotations},"@odata.type":"#microsoft.graph.strictPolicy","id":"p1"}}"##);
    let after =
        format!(r##"{{"@odata.type":"#microsoft.graph.strictPolicy",{annotations},"id":"p1"}}"##);
    let read_before: AnyPolicy = serde_json::from_str(&before).unwrap();
    let read_after: AnyPolicy = serde_json::from_str(&after).unwrap();
    assert_eq!(read_before, read_after);
    let written = serde_json::to_value(&read_before).unwrap();
    assert_eq!(written["@contoso.big"], json!(u64::MAX), "{written}");
    assert_eq!(
        written["@contoso.list"],
        json!([1, {"a": [2]}]),
        "{written}"
    );
    assert_eq!(written["@odata.etag"], json!("W/\"1\""), "{written}");
}

#[test]
fn annotations_of_every_kind_before_the_type_decode_as_after_it_as_the_client_reads() {
    // Read as the client reads, an annotation before the type is passed over where it
    // stands, and its text found there again when the variant, or `other`, reads it: in
    // the spacing, escapes and nesting it has in the body.
    let annotations = concat!(
        r#""@odata.context" : "https://graph.microsoft.com/v1.0/$metadata#policies/$entity","#,
        r#""@odata.etag":"W/\"1\"","@contoso.count":-5 ,"@contoso.ratio":1.50,"#,
        r#""@contoso.big":18446744073709551615,"@contoso.flag":true,"@contoso.none":null,"#,
        "\"@contoso.list\":\n\t[1,{\"a\":[2,\"]}\"]}],\"@contoso.map\":{\"b\":\"c\\\\\"}"
    );
    let client = |text: &str| {
        graph_resource::from_json::<AnyPolicy>(&graph_resource::Bytes::from(text.to_owned()))
            .unwrap_or_else(|error| panic!("{text}: {error}"))
    };
    for odata_type in [
        "#microsoft.graph.strictPolicy",
        "#microsoft.graph.newerPolicy",
    ] {
        let before = format!(r#"{{{annotations},"@odata.type":"{odata_type}","id":"p1"}}"#);
        let after = format!(r#"{{"@odata.type":"{odata_type}",{annotations},"id":"p1"}}"#);
        // After a property, with a type the text does not show (escaped): kept whole.
        let escaped = odata_type.replacen('P', "\\u0050", 1);
        let whole = format!(r#"{{{annotations},"id":"p1","@odata.type":"{escaped}"}}"#);
        let expected: AnyPolicy = serde_json::from_str(&after).unwrap();
        assert_eq!(client(&before), expected, "{before}");
        assert_eq!(client(&whole), expected, "{whole}");
        let written = serde_json::to_value(client(&before)).unwrap();
        assert_eq!(written["@contoso.ratio"], json!(1.5), "{written}");
        assert_eq!(
            written["@contoso.list"],
            json!([1, {"a": [2, "]}"]}]),
            "{written}"
        );
        assert_eq!(written["@contoso.map"], json!({"b": "c\\"}), "{written}");
        assert_eq!(written["@odata.etag"], json!("W/\"1\""), "{written}");
    }
}

/// Reads a policy from `entries` through a map of its own: names borrowed from the input,
/// values the map's, with `@odata.etag` replaced, as a `Deserialize` that rewrites an object
/// before it hands it on would give them.
fn rewritten<E: serde::de::Error>(entries: Vec<(&str, Value)>) -> Result<AnyPolicy, E> {
    use serde::de::value::{BorrowedStrDeserializer, MapDeserializer};
    let entries = entries.into_iter().map(|(name, value)| {
        let value = if name == "@odata.etag" {
            json!("rewritten")
        } else {
            value
        };
        (
            BorrowedStrDeserializer::<serde_json::Error>::new(name),
            value,
        )
    });
    <AnyPolicy as serde::Deserialize>::deserialize(MapDeserializer::new(entries)).map_err(E::custom)
}

/// A policy read from its object by [`rewritten`].
struct FromObject(AnyPolicy);

impl<'de> serde::Deserialize<'de> for FromObject {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let object: std::collections::BTreeMap<&'de str, Value> =
            serde::Deserialize::deserialize(deserializer)?;
        rewritten(object.into_iter().collect()).map(FromObject)
    }
}

/// A policy read from a list of name and value pairs by [`rewritten`].
struct FromPairs(AnyPolicy);

impl<'de> serde::Deserialize<'de> for FromPairs {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        rewritten(serde::Deserialize::deserialize(deserializer)?).map(FromPairs)
    }
}

#[test]
fn a_map_that_gives_values_of_its_own_is_read_for_them_as_the_client_reads() {
    // Names lent from the body on loan do not make the body's text their values: only
    // serde_json reading the body passes an annotation over, to find it there later.
    let object = r##"{"@odata.etag":"W/\"1\"","@odata.type":"#microsoft.graph.policy","id":"p"}"##;
    let pairs =
        r##"[["@odata.etag","W/\"1\""],["@odata.type","#microsoft.graph.policy"],["id","p"]]"##;
    let etag = |policy: AnyPolicy| match policy {
        AnyPolicy::Policy(policy) => policy.additional["@odata.etag"].clone(),
        other => panic!("not the policy variant: {other:?}"),
    };
    let body = |text: &str| graph_resource::Bytes::from(text.to_owned());
    let read = [
        graph_resource::from_json::<FromObject>(&body(object)).map(|read| read.0),
        serde_json::from_str::<FromObject>(object).map(|read| read.0),
        graph_resource::from_json::<FromPairs>(&body(pairs)).map(|read| read.0),
        serde_json::from_str::<FromPairs>(pairs).map(|read| read.0),
    ];
    for (at, policy) in read.into_iter().enumerate() {
        assert_eq!(etag(policy.unwrap()), json!("rewritten"), "reader {at}");
    }
}

#[test]
fn an_unknown_type_keeps_every_kind_of_value_in_other_the_same_either_way() {
    let mut object = every_kind();
    object["@odata.type"] = json!("#microsoft.graph.newerPolicy");
    let (first, last) = both_orders(&object);
    let typed_first: AnyPolicy = serde_json::from_str(&first).unwrap();
    let typed_last: AnyPolicy = serde_json::from_str(&last).unwrap();
    assert_eq!(typed_last, typed_first);
    let AnyPolicy::Other(other) = typed_last else {
        panic!("not `other`");
    };
    assert_eq!(other.properties["raw"], every_kind()["raw"]);
    assert_eq!(other.properties["count"], json!(-9_007_199_254_740_993_i64));
}

#[test]
fn a_kept_value_of_the_wrong_kind_fails_at_its_path_as_it_does_with_the_type_first() {
    let cases = [
        ("small", json!(256), "small"),
        ("small", json!(-1), "small"),
        ("count", json!(1.5), "count"),
        ("enabled", json!(0), "enabled"),
        ("mode", json!(1), "mode"),
        ("levels", json!([1, "two"]), "levels[1]"),
        ("settings", json!([{"level": "high"}]), "settings[0].level"),
        ("mainSetting", json!({"level": 300}), "mainSetting.level"),
        (
            "target",
            json!({"groupId": 5, "@odata.type": "#microsoft.graph.groupTarget"}),
            "target.groupId",
        ),
    ];
    for (property, value, path) in cases {
        let mut object = every_kind();
        object[property] = value.clone();
        let (first, last) = both_orders(&object);
        // Streamed, serde_json says where it stopped: inside the property's value.
        let streamed = serde_json::from_str::<AnyPolicy>(&first).unwrap_err();
        let name = first.find(&format!("\"{property}\":")).unwrap();
        assert_eq!(streamed.line(), 1);
        assert!(
            streamed.column() > name,
            "{property} = {value}: {streamed} is before the property, at {name}"
        );
        // Kept aside, the message names the path inside the object, and says the same.
        let kept = serde_json::from_str::<AnyPolicy>(&last)
            .unwrap_err()
            .to_string();
        assert!(
            kept.contains(path),
            "{property} = {value}: {kept:?} does not name `{path}`"
        );
        // What went wrong, without where (a nested object kept aside names its own path).
        let streamed = streamed.to_string();
        let what = streamed.split(" at line").next().unwrap();
        let what = what.rsplit("`: ").next().unwrap();
        assert!(
            kept.contains(what),
            "{property} = {value}: {kept:?} does not say {what:?}"
        );
    }
}

mod exact {
    //! Values that a kept `serde_json::Value` could not carry exactly: a decimal's digits, a
    //! float read back from its own text, an integer past `u64`, duplicate names.

    use graph_resource::{Bytes, Decimal, graph_resource};
    use serde_json::Value;

    #[graph_resource(namespace = "contoso.sdk")]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Inner {
        pub size: Option<i32>,
    }

    #[graph_resource(namespace = "contoso.sdk")]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Probe {
        pub price: Option<Decimal>,
        pub readings: Option<Vec<f64>>,
        pub any: Option<Value>,
        pub big: Option<u128>,
        pub inner: Option<Inner>,
    }

    #[graph_resource]
    #[derive(Debug, Clone, PartialEq)]
    pub enum AnyProbe {
        Probe(Probe),
    }

    const TYPE: &str = r##""@odata.type":"#contoso.sdk.probe""##;

    /// `entry` read with the type first and last, by `from_str` and as the client reads.
    fn same(entry: &str) {
        let first = format!("{{{TYPE},{entry}}}");
        let last = format!("{{{entry},{TYPE}}}");
        let read = |text: &str| serde_json::from_str::<AnyProbe>(text).map_err(|e| e.to_string());
        let client = |text: &str| {
            graph_resource::from_json::<AnyProbe>(&Bytes::from(text.to_owned()))
                .map_err(|e| e.to_string())
        };
        let expected = read(&first);
        assert!(
            expected.is_ok() || entry.contains("\"size\":1,\"size\""),
            "{expected:?}"
        );
        assert_eq!(read(&last).is_ok(), expected.is_ok(), "from_str, {entry}");
        assert_eq!(
            client(&last).is_ok(),
            expected.is_ok(),
            "from_json, {entry}"
        );
        if let Ok(expected) = expected {
            assert_eq!(
                read(&last).ok(),
                Some(expected.clone()),
                "from_str, {entry}"
            );
            assert_eq!(client(&last).ok(), Some(expected), "from_json, {entry}");
        }
    }

    #[test]
    fn a_decimal_number_or_string_before_the_type_keeps_every_digit() {
        same(r#""price":12.5"#);
        same(r#""price":0.1000000000000000000000000001"#);
        same(r#""price":"0.10""#);
    }

    #[test]
    fn a_float_before_the_type_reads_as_its_text_does() {
        same(r#""readings":[2.9091650704676072e72,1.0715660391465826e-75]"#);
        same(r#""any":{"x":2.9091650704676072e72}"#);
    }

    #[test]
    fn an_integer_past_u64_before_the_type_reads_as_its_text_does() {
        same(r#""big":18446744073709551616"#);
    }

    #[test]
    fn strings_and_names_with_escapes_before_the_type_read_as_with_it_first() {
        same(r#""any":"a\u0001b""#);
        same(r#""any":"q\"uote and back\\slash""#);
        same(r#""any":"\ud83d\ude00 \u00e9""#);
        same(r#""an\u0079":{"k\u0001":["\t"]}"#);
    }

    #[test]
    fn duplicate_names_in_an_object_before_the_type_fail_as_with_the_type_first() {
        same(r#""inner":{"size":1,"size":2}"#);
    }

    #[test]
    fn a_value_a_reader_reads_in_part_before_the_type_fails_as_with_the_type_first() {
        // serde_json reads a `u128` from the digits that lead its text: the rest must be
        // refused, as it is in the body.
        for entry in [r#""big":5.0"#, r#""big":3.4e38"#] {
            let first = format!("{{{TYPE},{entry}}}");
            let last = format!("{{{entry},{TYPE}}}");
            serde_json::from_str::<AnyProbe>(&first).expect_err(entry);
            let value: Value = serde_json::from_str(&last).unwrap();
            for found in [
                serde_json::from_str::<AnyProbe>(&last).map(drop),
                serde_json::from_value::<AnyProbe>(value).map(drop),
            ] {
                let found = found.expect_err(entry).to_string();
                assert!(found.starts_with("at `big`: "), "{entry}: {found}");
            }
        }
    }

    #[test]
    fn a_property_the_model_passes_over_is_not_read_before_the_type_either() {
        // With the type first, serde_json passes over an unknown property without reading
        // its strings or counting its depth: so it does with the type last.
        same(r#""note":"\ud800""#);
        same(r#""note":["\ud800"]"#);
        same(&format!(r#""note":{}{}"#, "[".repeat(300), "]".repeat(300)));
    }
}

#[test]
fn an_annotation_before_the_type_that_the_model_passes_over_is_not_read_as_the_client_reads() {
    // 200 nested arrays: more than serde_json reads, but never read, as with the type first.
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    for text in [
        format!(
            r##"{{"@contoso.deep":{deep},"@odata.type":"#microsoft.graph.groupTarget","groupId":"g"}}"##
        ),
        format!(
            r##"{{"@odata.type":"#microsoft.graph.groupTarget","@contoso.deep":{deep},"groupId":"g"}}"##
        ),
    ] {
        let target: AnyTarget =
            graph_resource::from_json(&graph_resource::Bytes::from(text)).unwrap();
        let AnyTarget::Group(group) = target else {
            panic!("not a group target: {target:?}");
        };
        assert_eq!(group.group_id.as_deref(), Some("g"));
    }
}

#[test]
fn a_kept_value_of_an_unknown_type_fails_at_its_path_and_depth() {
    // An object of a type the enum does not know goes to `other` from what was kept.
    let read = |entry: &str| {
        let text = format!(r##"{{"a":1,{entry},"@odata.type":"#contoso.unknownThing"}}"##);
        serde_json::from_str::<AnyPolicy>(&text).map_err(|error| error.to_string())
    };
    let error = read(r#""big":1e400"#).unwrap_err();
    assert!(
        error.starts_with("at `big`: number out of range"),
        "{error}"
    );
    // 127 levels with the object's own: as deep as serde_json reads.
    read(&format!(r#""deep":{}{}"#, "[".repeat(126), "]".repeat(126))).unwrap();
    let error = read(&format!(r#""deep":{}{}"#, "[".repeat(127), "]".repeat(127))).unwrap_err();
    assert!(
        error.starts_with("at `deep`: recursion limit exceeded"),
        "{error}"
    );
}

#[test]
fn the_property_that_led_to_a_late_type_reaches_its_field_or_the_additional_map_as_the_client_reads()
 {
    // An unknown property goes to the `additional` map, a declared one to its field, as
    // with the type first.
    for (entry, check) in [
        (
            r#""newerProperty":{"a":[1,{"b":null}]}"#,
            (|strict: &StrictPolicy| {
                assert_eq!(
                    strict.base.additional["newerProperty"],
                    json!({"a": [1, {"b": null}]})
                );
            }) as fn(&StrictPolicy),
        ),
        (r#""levels":[1,-2,3]"#, |strict: &StrictPolicy| {
            assert_eq!(strict.base.levels, Some(vec![1, -2, 3]))
        }),
    ] {
        let text =
            format!(r##"{{{entry},"@odata.type":"#microsoft.graph.strictPolicy","id":"p1"}}"##);
        let read: AnyPolicy = graph_resource::from_json(&graph_resource::Bytes::from(text.clone()))
            .unwrap_or_else(|error| panic!("{text}: {error}"));
        let AnyPolicy::Strict(strict) = &read else {
            panic!("not the strict variant: {read:?}");
        };
        assert_eq!(strict.base.id.as_deref(), Some("p1"));
        check(strict);
        let typed_first =
            format!(r##"{{"@odata.type":"#microsoft.graph.strictPolicy",{entry},"id":"p1"}}"##);
        assert_eq!(
            read,
            serde_json::from_str::<AnyPolicy>(&typed_first).unwrap()
        );
    }
}

#[test]
fn an_error_in_an_annotation_before_the_property_that_led_to_the_type_is_its_own() {
    // As the client reads, the property after the annotation leads to the type further on
    // and is read where it stands: the annotation's error is still the one reported.
    let client = |text: String| {
        graph_resource::from_json::<AnyPolicy>(&graph_resource::Bytes::from(text))
            .unwrap_err()
            .to_string()
    };
    let what = |message: &str| {
        message
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    for entries in [
        r#""@contoso.n":1e400,"id":"x""#,
        r#""@odata.context":"https://c","@contoso.n":1e400,"id":"x""#,
        r#""@contoso.n":1,"@contoso.n":2,"id":"x""#,
    ] {
        let first = client(format!(
            r##"{{"@odata.type":"#microsoft.graph.strictPolicy",{entries}}}"##
        ));
        let last = client(format!(
            r##"{{{entries},"@odata.type":"#microsoft.graph.strictPolicy"}}"##
        ));
        assert!(
            what(&last).ends_with(&what(&first)),
            "{entries}: type first {first:?}, type last {last:?}"
        );
    }
}

mod nested_in_arrays {
    //! An annotation before the type, nested in arrays, inside models that arrays hold: it
    //! stops at the depth it stops at with the type first, whichever reader reads it.

    use graph_resource::{Bytes, UntypedResource, graph_resource};
    use serde_json::{Map, Value};

    #[graph_resource(namespace = "contoso.sdk")]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Node {
        pub kids: Option<Vec<AnyNode>>,
        #[graph(additional)]
        pub additional: Map<String, Value>,
    }

    #[graph_resource]
    #[derive(Debug, Clone, PartialEq)]
    pub enum AnyNode {
        Node(Node),
        #[graph(other)]
        Other(UntypedResource),
    }

    const TYPE: &str = r##""@odata.type":"#contoso.sdk.node""##;

    /// Where the innermost node's annotation stands.
    #[derive(Clone, Copy)]
    enum Order {
        TypeFirst,
        /// First, before the type.
        AnnotationFirst,
        /// After a property, before the type: the object is kept whole.
        AfterAProperty,
    }

    /// `levels` nodes, each in the `kids` of the one around it; the innermost holds an
    /// annotation nested in `arrays` arrays, where `order` says.
    fn nested(levels: usize, arrays: usize, order: Order) -> String {
        let deep = format!("{}0{}", "[".repeat(arrays), "]".repeat(arrays));
        let mut text = match order {
            Order::TypeFirst => format!(r#"{{{TYPE},"@contoso.deep":{deep}}}"#),
            Order::AnnotationFirst => format!(r#"{{"@contoso.deep":{deep},{TYPE}}}"#),
            Order::AfterAProperty => format!(r#"{{"kids":[],"@contoso.deep":{deep},{TYPE}}}"#),
        };
        for _ in 1..levels {
            text = format!(r#"{{{TYPE},"kids":[{text}]}}"#);
        }
        text
    }

    /// Whether each reader reads `text`: `from_str`, `from_slice`, `from_reader`, as the
    /// client reads.
    fn reads(text: &str) -> [bool; 4] {
        [
            serde_json::from_str::<AnyNode>(text).is_ok(),
            serde_json::from_slice::<AnyNode>(text.as_bytes()).is_ok(),
            serde_json::from_reader::<_, AnyNode>(text.as_bytes()).is_ok(),
            graph_resource::from_json::<AnyNode>(&Bytes::from(text.to_owned())).is_ok(),
        ]
    }

    #[test]
    fn an_annotation_before_the_type_stops_where_it_stops_with_the_type_first() {
        for (levels, arrays) in [(30, 60), (30, 68), (30, 69), (30, 80), (10, 108), (10, 109)] {
            let first = reads(&nested(levels, arrays, Order::TypeFirst));
            for order in [Order::AnnotationFirst, Order::AfterAProperty] {
                assert_eq!(
                    reads(&nested(levels, arrays, order)),
                    first,
                    "{levels} levels, {arrays} arrays"
                );
            }
        }
        // Either side of the limit, with the type first: both outcomes are compared above.
        assert_eq!(reads(&nested(30, 60, Order::TypeFirst)), [true; 4]);
        assert_eq!(reads(&nested(30, 80, Order::TypeFirst)), [false; 4]);
    }
}
