//! The wire rules of annotated structs: names, order, `@odata.type`, options, annotations,
//! unknown properties and the field attributes.

use graph_resource::{ODataType, graph_resource};
use serde_json::{Map, Value, json};

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
}

#[graph_resource(odata_type = "microsoft.graph.windows10GeneralConfiguration")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Windows10Config {
    pub id: Option<String>,
    pub display_name: String,
    pub r#type: Option<String>,
    pub password_minimum_length: Option<i32>,
    #[graph(additional)]
    pub additional: Map<String, Value>,
}

#[graph_resource(namespace = "contoso.sdk")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Widget {
    #[graph(rename = "@odata.etag")]
    pub etag: Option<String>,
    #[graph(rename = "widgetName")]
    pub name: String,
    #[graph(skip)]
    pub cached: Vec<u8>,
    #[graph(default)]
    pub count: u32,
    #[graph(default = "default_color")]
    pub color: String,
    #[graph(with = "upper_case")]
    pub code: String,
    #[graph(with = "upper_case_option")]
    pub alias: Option<String>,
}

fn default_color() -> String {
    "blue".to_owned()
}

mod upper_case {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &str, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_uppercase())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        Ok(String::deserialize(deserializer)?.to_lowercase())
    }
}

mod upper_case_option {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        value: &Option<String>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_str(&value.to_uppercase()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        Ok(Option::<String>::deserialize(deserializer)?.map(|v| v.to_lowercase()))
    }
}

fn to_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
fn type_names_default_to_the_struct_name_in_the_graph_namespace() {
    assert_eq!(
        GroupAssignmentTarget::ODATA_TYPE,
        "#microsoft.graph.groupAssignmentTarget"
    );
    assert_eq!(
        Windows10Config::ODATA_TYPE,
        "#microsoft.graph.windows10GeneralConfiguration"
    );
    assert_eq!(Widget::ODATA_TYPE, "#contoso.sdk.widget");
}

#[test]
fn the_type_comes_first_then_fields_in_order_without_none() {
    let config = Windows10Config {
        id: None,
        display_name: "Kiosk".into(),
        r#type: Some("kiosk".into()),
        password_minimum_length: Some(8),
        additional: Map::new(),
    };
    assert_eq!(
        to_text(&config),
        r##"{"@odata.type":"#microsoft.graph.windows10GeneralConfiguration","displayName":"Kiosk","type":"kiosk","passwordMinimumLength":8}"##
    );
}

#[test]
fn additional_properties_round_trip_after_the_known_ones() {
    let input = r##"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#x","displayName":"A","zeta":1,"@odata.type":"#microsoft.graph.windows10GeneralConfiguration","alpha":{"b":[1,2]},"roleScopeTagIds@odata.bind":["x"]}"##;
    let config: Windows10Config = serde_json::from_str(input).unwrap();
    assert_eq!(config.display_name, "A");
    let keys: Vec<&str> = config.additional.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "@odata.context",
            "zeta",
            "alpha",
            "roleScopeTagIds@odata.bind"
        ]
    );
    assert_eq!(
        to_text(&config),
        r##"{"@odata.type":"#microsoft.graph.windows10GeneralConfiguration","displayName":"A","@odata.context":"https://graph.microsoft.com/beta/$metadata#x","zeta":1,"alpha":{"b":[1,2]},"roleScopeTagIds@odata.bind":["x"]}"##
    );
}

#[test]
fn the_type_is_read_with_or_without_hash_or_not_at_all() {
    let expected = GroupAssignmentTarget {
        group_id: Some("g".into()),
    };
    for input in [
        r##"{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g"}"##,
        r#"{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"g"}"#,
        r#"{"groupId":"g"}"#,
        r#"{"groupId":"g","@odata.type":"microsoft.graph.groupAssignmentTarget"}"#,
    ] {
        let target: GroupAssignmentTarget = serde_json::from_str(input).unwrap();
        assert_eq!(target, expected, "{input}");
    }
}

#[test]
fn a_derived_type_is_read_and_kept_in_the_additional_map() {
    let input = r#"{"@odata.type":"microsoft.graph.windows10CustomConfiguration","displayName":"A","omaSettings":[]}"#;
    let config: Windows10Config = serde_json::from_str(input).unwrap();
    assert_eq!(config.display_name, "A");
    assert_eq!(
        config.additional["@odata.type"],
        "#microsoft.graph.windows10CustomConfiguration"
    );
    assert_eq!(
        to_text(&config),
        r##"{"@odata.type":"#microsoft.graph.windows10CustomConfiguration","displayName":"A","omaSettings":[]}"##
    );
}

#[test]
fn the_additional_map_never_writes_a_declared_property_again() {
    let mut config = Windows10Config {
        display_name: "Declared".into(),
        ..Default::default()
    };
    for (key, value) in [
        ("displayName", json!("From the map")),
        ("id", json!("from the map, while the field is None")),
        ("zeta", json!(1)),
    ] {
        config.additional.insert(key.into(), value);
    }
    assert_eq!(
        to_text(&config),
        r##"{"@odata.type":"#microsoft.graph.windows10GeneralConfiguration","displayName":"Declared","zeta":1}"##
    );
}

#[test]
fn an_unknown_property_given_twice_is_an_error_as_a_declared_one_is() {
    for input in [
        r#"{"displayName":"a","zeta":1,"zeta":2}"#,
        r#"{"@odata.etag":"1","displayName":"a","@odata.etag":"2"}"#,
    ] {
        let error = serde_json::from_str::<Windows10Config>(input)
            .unwrap_err()
            .to_string();
        assert!(error.contains("duplicate property `"), "{input}: {error}");
    }
}

#[test]
fn a_missing_required_field_names_the_property_and_the_type() {
    let error = serde_json::from_str::<Windows10Config>(r#"{"id":"1"}"#)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "missing property `displayName` of `#microsoft.graph.windows10GeneralConfiguration`"
        ),
        "{error}"
    );
}

#[test]
fn null_is_none_and_unknown_properties_are_ignored_without_additional() {
    let target: GroupAssignmentTarget = serde_json::from_str(
        r#"{"groupId":null,"@odata.id":"x","unknown":{"deep":[1,{"a":null}]}}"#,
    )
    .unwrap();
    assert_eq!(target, GroupAssignmentTarget { group_id: None });
}

#[test]
fn a_property_given_twice_is_an_error() {
    // Also when the first is null, which leaves the field as it was before either.
    for input in [
        r#"{"groupId":"a","groupId":"b"}"#,
        r#"{"groupId":null,"groupId":"b"}"#,
        r#"{"groupId":null,"groupId":null}"#,
    ] {
        let error = serde_json::from_str::<GroupAssignmentTarget>(input)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("duplicate property `groupId`"),
            "{input}: {error}"
        );
    }
}

#[test]
fn a_wrong_json_type_is_an_error() {
    let error = serde_json::from_str::<Windows10Config>(
        r#"{"displayName":"a","passwordMinimumLength":"eight"}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("invalid type: string \"eight\", expected i32"),
        "{error}"
    );
    let error = serde_json::from_str::<GroupAssignmentTarget>("[]")
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("expected a JSON object of type `#microsoft.graph.groupAssignmentTarget`"),
        "{error}"
    );
}

#[test]
fn rename_skip_default_and_with() {
    let widget = Widget {
        etag: Some("W/\"1\"".into()),
        name: "w".into(),
        cached: vec![1, 2, 3],
        count: 2,
        color: "red".into(),
        code: "abc".into(),
        alias: Some("x".into()),
    };
    let text = to_text(&widget);
    assert_eq!(
        text,
        r##"{"@odata.type":"#contoso.sdk.widget","@odata.etag":"W/\"1\"","widgetName":"w","count":2,"color":"red","code":"ABC","alias":"X"}"##
    );
    let back: Widget = serde_json::from_str(&text).unwrap();
    assert_eq!(
        back,
        Widget {
            cached: Vec::new(),
            ..widget
        }
    );

    let minimal: Widget =
        serde_json::from_str(r#"{"widgetName":"w","code":"Q","cached":[9]}"#).unwrap();
    assert_eq!(
        minimal,
        Widget {
            etag: None,
            name: "w".into(),
            cached: Vec::new(),
            count: 0,
            color: "blue".into(),
            code: "q".into(),
            alias: None
        }
    );
    let no_alias = Widget {
        alias: None,
        ..minimal
    };
    assert!(!to_text(&no_alias).contains("alias"));
    let error = serde_json::from_str::<Widget>(r#"{"widgetName":"w"}"#)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("missing property `code` of `#contoso.sdk.widget`"),
        "{error}"
    );
}

#[test]
fn values_round_trip_through_serde_json_value() {
    let config = Windows10Config {
        id: Some("1".into()),
        display_name: "Kiosk".into(),
        r#type: None,
        password_minimum_length: None,
        additional: Map::from_iter([("extra".to_owned(), json!([true]))]),
    };
    let value = serde_json::to_value(&config).unwrap();
    assert_eq!(
        value,
        json!({"@odata.type": "#microsoft.graph.windows10GeneralConfiguration", "id": "1", "displayName": "Kiosk", "extra": [true]})
    );
    let back: Windows10Config = serde_json::from_value(value).unwrap();
    assert_eq!(back, config);
}

/// A recursive type, as Graph's setting instances are: `Self` in a field type.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SettingInstance {
    pub setting_definition_id: Option<String>,
    pub children: Option<Vec<Self>>,
    #[graph(with = "boxed_child")]
    pub first: Option<Box<Self>>,
}

mod boxed_child {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

#[test]
fn a_type_can_contain_itself() {
    let leaf = SettingInstance {
        setting_definition_id: Some("leaf".into()),
        ..Default::default()
    };
    let tree = SettingInstance {
        setting_definition_id: Some("root".into()),
        children: Some(vec![leaf.clone()]),
        first: Some(Box::new(leaf)),
    };
    let text = to_text(&tree);
    assert_eq!(
        text,
        r##"{"@odata.type":"#microsoft.graph.settingInstance","settingDefinitionId":"root","children":[{"@odata.type":"#microsoft.graph.settingInstance","settingDefinitionId":"leaf"}],"first":{"@odata.type":"#microsoft.graph.settingInstance","settingDefinitionId":"leaf"}}"##
    );
    assert_eq!(
        serde_json::from_str::<SettingInstance>(&text).unwrap(),
        tree
    );
}

/// Raw identifiers name the type and the values without their `r#`.
#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum r#Match {
    r#None,
    r#Exact,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct r#Override {
    pub r#match: Option<r#Match>,
}

#[test]
fn raw_identifiers_are_written_without_their_prefix() {
    assert_eq!(r#Override::ODATA_TYPE, "#microsoft.graph.override");
    let value = r#Override {
        r#match: Some(r#Match::r#None),
    };
    let text = to_text(&value);
    assert_eq!(
        text,
        r##"{"@odata.type":"#microsoft.graph.override","match":"none"}"##
    );
    assert_eq!(serde_json::from_str::<r#Override>(&text).unwrap(), value);
    let error = serde_json::from_str::<r#Match>(r#""fuzzy""#)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("unknown `Match` value `fuzzy`, expected one of `none`, `exact`"),
        "{error}"
    );
}

/// `Option` is recognised by its name only: an alias is written as it is.
type Maybe<T> = Option<T>;

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Aliased {
    pub maybe: Maybe<String>,
    pub qualified: std::option::Option<String>,
}

#[test]
fn option_is_recognised_by_its_path() {
    let text = to_text(&Aliased::default());
    assert_eq!(
        text,
        r##"{"@odata.type":"#microsoft.graph.aliased","maybe":null}"##
    );
}

/// Fields that `cfg` removes or keeps, and `graph(...)` keys that `cfg_attr` gives: the
/// generated code names only what is compiled.
#[allow(clippy::non_minimal_cfg, reason = "`all()` always holds")]
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Configured {
    pub id: Option<String>,
    #[cfg(any())]
    pub removed: Option<NoSuchType>,
    #[cfg(any())]
    #[graph(with = "no_such_module")]
    pub removed_with: String,
    #[cfg(all())]
    pub kept: Option<String>,
    #[cfg_attr(all(), graph(rename = "shownAs"))]
    pub shown: Option<String>,
    #[cfg_attr(any(), graph(rename = "neverUsed"))]
    pub plain: Option<String>,
    #[cfg_attr(all(), graph(additional))]
    pub additional: Map<String, Value>,
}

/// Variants that `cfg` removes or keeps.
#[allow(clippy::non_minimal_cfg, reason = "`all()` always holds")]
#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum ConfiguredKind {
    #[cfg(any())]
    Removed(NoSuchType),
    #[cfg(all())]
    Configured(Configured),
    Group(GroupAssignmentTarget),
}

#[allow(clippy::non_minimal_cfg, reason = "`all()` always holds")]
#[graph_resource]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ConfiguredState {
    #[cfg(any())]
    Removed,
    #[cfg(all())]
    On,
    #[cfg_attr(all(), graph(rename = "OFF"))]
    Off,
}

#[test]
fn cfg_on_fields_and_variants_leaves_only_what_is_compiled() {
    let configured = Configured {
        id: Some("1".into()),
        kept: Some("k".into()),
        shown: Some("s".into()),
        plain: Some("p".into()),
        additional: Map::from_iter([("extra".to_owned(), json!(true))]),
    };
    let text = r##"{"@odata.type":"#microsoft.graph.configured","id":"1","kept":"k","shownAs":"s","plain":"p","extra":true}"##;
    assert_eq!(to_text(&configured), text);
    assert_eq!(
        serde_json::from_str::<Configured>(text).unwrap(),
        configured
    );
    let removed: Configured = serde_json::from_str(r#"{"removed":"r","neverUsed":"n"}"#).unwrap();
    assert_eq!(removed.additional.len(), 2, "{removed:?}");
    assert!(!Configured::__graph_has_property("removed"));

    let kind: ConfiguredKind = serde_json::from_str(text).unwrap();
    assert_eq!(kind, ConfiguredKind::Configured(configured));
    let group = r##"{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g"}"##;
    let kind: ConfiguredKind = serde_json::from_str(group).unwrap();
    assert_eq!(to_text(&kind), group);
    let error = serde_json::from_str::<ConfiguredKind>(r#"{"@odata.type":"x.removed"}"#)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "expected one of `#microsoft.graph.configured`, `#microsoft.graph.groupAssignmentTarget`"
        ),
        "{error}"
    );

    assert_eq!(
        to_text(&[ConfiguredState::On, ConfiguredState::Off]),
        r#"["on","OFF"]"#
    );
    let error = serde_json::from_str::<ConfiguredState>(r#""removed""#)
        .unwrap_err()
        .to_string();
    assert!(error.contains("expected one of `on`, `OFF`"), "{error}");
}
