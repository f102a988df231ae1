//! Models generated through `macro_rules!`, as SDK crates write them: a type passed as a
//! `$t:ty` reaches the attribute wrapped in an invisible group, which must not change what
//! the type means (an `Option` stays optional, a JSON map stays a JSON map, a variant's type
//! stays a struct, a `String` stays a `String`).

use graph_resource::{UntypedResource, graph_resource};
use serde_json::json;

/// A struct whose field types are `$t:ty` fragments.
macro_rules! resource {
    (
        $(#[graph_resource($($args:tt)*)])?
        $name:ident {
            $($(#[graph($($keys:tt)*)])? $field:ident: $ty:ty),* $(,)?
        }
    ) => {
        #[graph_resource($($($args)*)?)]
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $($(#[graph($($keys)*)])? pub $field: $ty,)*
        }
    };
}

/// An enum whose variants hold `$t:ty` fragments.
macro_rules! one_of {
    ($name:ident { $($(#[graph($($keys:tt)*)])? $variant:ident($ty:ty)),* $(,)? }) => {
        #[graph_resource]
        #[derive(Debug, Clone, PartialEq)]
        pub enum $name {
            $($(#[graph($($keys)*)])? $variant($ty),)*
        }
    };
}

/// A string enum, with an `other` variant holding a `$t:ty` `String`.
macro_rules! values {
    ($name:ident { $($value:ident),* ; $other:ident($ty:ty) }) => {
        #[graph_resource]
        #[derive(Debug, Clone, PartialEq)]
        pub enum $name {
            $($value,)*
            #[graph(other)]
            $other($ty),
        }
    };
}

resource!(
    #[graph_resource(odata_type = "microsoft.graph.deviceAndAppManagementAssignmentTarget")]
    TargetBase {
        filter_id: Option<String>,
        filter_type: std::option::Option<FilterType>,
    }
);

resource!(GroupAssignmentTarget {
    #[graph(base)]
    base: TargetBase,
    group_id: Option<String>,
    #[graph(additional)]
    additional: serde_json::Map<String, serde_json::Value>,
});

resource!(AllDevicesAssignmentTarget {
    #[graph(base)]
    base: TargetBase,
});

resource!(Counter { count: i64 });

one_of!(Target {
    Group(GroupAssignmentTarget),
    AllDevices(AllDevicesAssignmentTarget),
    #[graph(other)]
    Other(UntypedResource),
});

values!(FilterType { None, Include, Exclude ; Unknown(String) });

#[test]
fn optional_fields_are_omitted_when_none_and_may_be_missing() {
    let empty = AllDevicesAssignmentTarget::default();
    assert_eq!(
        serde_json::to_value(&empty).unwrap(),
        json!({"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"})
    );
    let read: AllDevicesAssignmentTarget = serde_json::from_value(json!({})).unwrap();
    assert_eq!(read, empty);
}

#[test]
fn a_required_field_stays_required() {
    let error = serde_json::from_value::<Counter>(json!({})).unwrap_err();
    assert!(
        error.to_string().contains("missing property `count`"),
        "{error}"
    );
}

#[test]
fn the_additional_map_keeps_unknown_properties() {
    let body = json!({
        "@odata.type": "#microsoft.graph.groupAssignmentTarget",
        "groupId": "g-1",
        "filterType": "include",
        "colour": "red",
    });
    let read: GroupAssignmentTarget = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(read.group_id.as_deref(), Some("g-1"));
    assert_eq!(read.base.filter_type, Some(FilterType::Include));
    assert_eq!(read.additional.get("colour"), Some(&json!("red")));
    assert_eq!(serde_json::to_value(&read).unwrap(), body);
}

#[test]
fn polymorphic_enums_dispatch_on_the_type() {
    let group = json!({"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g-1"});
    let read: Target = serde_json::from_value(group.clone()).unwrap();
    assert!(matches!(&read, Target::Group(g) if g.group_id.as_deref() == Some("g-1")));
    assert_eq!(serde_json::to_value(&read).unwrap(), group);

    let later =
        json!({"filterId": "f-1", "@odata.type": "microsoft.graph.allDevicesAssignmentTarget"});
    let read: Target = serde_json::from_value(later).unwrap();
    assert!(matches!(&read, Target::AllDevices(a) if a.base.filter_id.as_deref() == Some("f-1")));

    let unknown = json!({"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"});
    let read: Target = serde_json::from_value(unknown.clone()).unwrap();
    assert!(matches!(&read, Target::Other(_)));
    assert_eq!(serde_json::to_value(&read).unwrap(), unknown);
}

#[test]
fn string_enums_keep_unknown_values() {
    let read: FilterType = serde_json::from_value(json!("EXCLUDE")).unwrap();
    assert_eq!(read, FilterType::Exclude);
    let read: FilterType = serde_json::from_value(json!("someday")).unwrap();
    assert_eq!(read, FilterType::Unknown("someday".to_owned()));
    assert_eq!(serde_json::to_value(&read).unwrap(), json!("someday"));
}
