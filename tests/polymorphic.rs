//! Polymorphic values: the assignment-target family of Intune (beta), dispatched on
//! `@odata.type` in every shape Graph's documentation shows.

use graph_resource::{ODataType, Page, Properties, UntypedResource, graph_resource};
use serde_json::{Value, json};

/// Whether an assignment filter includes or excludes what it matches.
#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceAndAppManagementAssignmentFilterType {
    None,
    Include,
    Exclude,
    #[graph(other)]
    Unknown(String),
}

/// The properties every target inherits from the abstract base type.
#[graph_resource(odata_type = "microsoft.graph.deviceAndAppManagementAssignmentTarget")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AssignmentTargetBase {
    pub device_and_app_management_assignment_filter_id: Option<String>,
    pub device_and_app_management_assignment_filter_type:
        Option<DeviceAndAppManagementAssignmentFilterType>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupAssignmentTarget {
    #[graph(base)]
    pub base: AssignmentTargetBase,
    pub group_id: Option<String>,
}

/// Derived from `groupAssignmentTarget`: inherits `groupId` through it.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExclusionGroupAssignmentTarget {
    #[graph(base)]
    pub base: GroupAssignmentTarget,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllDevicesAssignmentTarget {
    #[graph(base)]
    pub base: AssignmentTargetBase,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllLicensedUsersAssignmentTarget {
    #[graph(base)]
    pub base: AssignmentTargetBase,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConfigurationManagerCollectionAssignmentTarget {
    #[graph(base)]
    pub base: AssignmentTargetBase,
    pub collection_id: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceAndAppManagementAssignmentTarget {
    Group(GroupAssignmentTarget),
    ExclusionGroup(ExclusionGroupAssignmentTarget),
    AllDevices(AllDevicesAssignmentTarget),
    AllLicensedUsers(AllLicensedUsersAssignmentTarget),
    ConfigurationManagerCollection(ConfigurationManagerCollectionAssignmentTarget),
    #[graph(other)]
    Other(UntypedResource),
}

/// The same family without an `other` variant.
#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum KnownTarget {
    Group(GroupAssignmentTarget),
    AllDevices(AllDevicesAssignmentTarget),
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
    pub target: Option<DeviceAndAppManagementAssignmentTarget>,
}

/// A polymorphic value holding polymorphic values.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetedThing {
    pub targets: Vec<DeviceAndAppManagementAssignmentTarget>,
    pub primary: Option<DeviceAndAppManagementAssignmentTarget>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum Thing {
    Targeted(TargetedThing),
    Assignment(DeviceManagementIntentAssignment),
}

type Target = DeviceAndAppManagementAssignmentTarget;

fn decode<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_str(&value.to_string()).unwrap()
}

fn filtered(filter_type: DeviceAndAppManagementAssignmentFilterType) -> AssignmentTargetBase {
    AssignmentTargetBase {
        device_and_app_management_assignment_filter_id: Some("f-1".into()),
        device_and_app_management_assignment_filter_type: Some(filter_type),
    }
}

/// Moves `@odata.type` of `value` (an object) to the end.
fn type_last(value: &Value) -> String {
    let Value::Object(map) = value else {
        panic!("an object")
    };
    let mut map = map.clone();
    let odata_type = map.shift_remove("@odata.type").unwrap();
    map.insert("@odata.type".into(), odata_type);
    Value::Object(map).to_string()
}

#[test]
fn every_variant_decodes_with_and_without_hash_and_writes_back_with_it() {
    let cases: Vec<(Value, Target)> = vec![
        (
            json!({"@odata.type": "microsoft.graph.groupAssignmentTarget",
                   "deviceAndAppManagementAssignmentFilterId": "f-1",
                   "deviceAndAppManagementAssignmentFilterType": "include",
                   "groupId": "g-1"}),
            Target::Group(GroupAssignmentTarget {
                base: filtered(DeviceAndAppManagementAssignmentFilterType::Include),
                group_id: Some("g-1".into()),
            }),
        ),
        (
            json!({"@odata.type": "microsoft.graph.exclusionGroupAssignmentTarget",
                   "deviceAndAppManagementAssignmentFilterId": "f-1",
                   "deviceAndAppManagementAssignmentFilterType": "exclude",
                   "groupId": "g-2"}),
            Target::ExclusionGroup(ExclusionGroupAssignmentTarget {
                base: GroupAssignmentTarget {
                    base: filtered(DeviceAndAppManagementAssignmentFilterType::Exclude),
                    group_id: Some("g-2".into()),
                },
            }),
        ),
        (
            json!({"@odata.type": "microsoft.graph.allDevicesAssignmentTarget",
                   "deviceAndAppManagementAssignmentFilterId": "f-1",
                   "deviceAndAppManagementAssignmentFilterType": "none"}),
            Target::AllDevices(AllDevicesAssignmentTarget {
                base: filtered(DeviceAndAppManagementAssignmentFilterType::None),
            }),
        ),
        (
            json!({"@odata.type": "microsoft.graph.allLicensedUsersAssignmentTarget"}),
            Target::AllLicensedUsers(AllLicensedUsersAssignmentTarget::default()),
        ),
        (
            json!({"@odata.type": "microsoft.graph.configurationManagerCollectionAssignmentTarget",
                   "deviceAndAppManagementAssignmentFilterId": "f-1",
                   "deviceAndAppManagementAssignmentFilterType": "include",
                   "collectionId": "c-1"}),
            Target::ConfigurationManagerCollection(
                ConfigurationManagerCollectionAssignmentTarget {
                    base: filtered(DeviceAndAppManagementAssignmentFilterType::Include),
                    collection_id: Some("c-1".into()),
                },
            ),
        ),
    ];
    for (without_hash, expected) in cases {
        let mut with_hash = without_hash.clone();
        let name = with_hash["@odata.type"].as_str().unwrap().to_owned();
        with_hash["@odata.type"] = Value::String(format!("#{name}"));

        assert_eq!(decode::<Target>(&without_hash), expected, "{without_hash}");
        assert_eq!(decode::<Target>(&with_hash), expected, "{with_hash}");
        let from_type_last: Target = serde_json::from_str(&type_last(&with_hash)).unwrap();
        assert_eq!(from_type_last, expected, "type last: {with_hash}");
        let from_value: Target = serde_json::from_value(with_hash.clone()).unwrap();
        assert_eq!(from_value, expected);
        // Written back: the type first with `#`, base properties inline, in Graph's order.
        assert_eq!(
            serde_json::to_string(&expected).unwrap(),
            with_hash.to_string()
        );
    }
}

#[test]
fn the_abstract_base_sent_as_a_value_goes_to_other_unchanged() {
    let input = r#"{"@odata.type":"microsoft.graph.deviceAndAppManagementAssignmentTarget"}"#;
    let target: Target = serde_json::from_str(input).unwrap();
    assert_eq!(
        target,
        Target::Other(UntypedResource::new(
            "microsoft.graph.deviceAndAppManagementAssignmentTarget"
        ))
    );
    assert_eq!(serde_json::to_string(&target).unwrap(), input);
}

#[test]
fn a_derived_type_the_model_does_not_know_round_trips_through_other() {
    let input = r##"{"@odata.type":"#microsoft.graph.scopeTagGroupAssignmentTarget","deviceAndAppManagementAssignmentFilterId":"f-9","deviceAndAppManagementAssignmentFilterType":"none","targetType":"user","entraObjectId":"e-1"}"##;
    let target: Target = serde_json::from_str(input).unwrap();
    let Target::Other(untyped) = &target else {
        panic!("expected other, got {target:?}")
    };
    assert_eq!(
        untyped.odata_type.as_deref(),
        Some("#microsoft.graph.scopeTagGroupAssignmentTarget")
    );
    assert_eq!(untyped.properties["entraObjectId"], "e-1");
    assert_eq!(serde_json::to_string(&target).unwrap(), input);

    // Type last: buffered, and written back with the type first, nothing else changed.
    let reordered = type_last(&serde_json::from_str(input).unwrap());
    let from_type_last: Target = serde_json::from_str(&reordered).unwrap();
    assert_eq!(from_type_last, target);
}

#[test]
fn a_value_without_type_goes_to_other_or_is_an_error() {
    let target: Target = serde_json::from_str(r#"{"groupId":"g"}"#).unwrap();
    let Target::Other(untyped) = &target else {
        panic!("expected other, got {target:?}")
    };
    assert_eq!(untyped.odata_type, None);
    assert_eq!(
        serde_json::to_string(&target).unwrap(),
        r#"{"groupId":"g"}"#
    );
    let empty: Target = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, Target::Other(UntypedResource::default()));

    let error = serde_json::from_str::<KnownTarget>(r#"{"groupId":"g"}"#)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("missing `@odata.type` for `KnownTarget`"),
        "{error}"
    );
    assert!(error.contains("`#microsoft.graph.groupAssignmentTarget`, `#microsoft.graph.allDevicesAssignmentTarget`"), "{error}");
}

#[test]
fn an_unknown_type_without_other_lists_the_known_ones() {
    for input in [
        r#"{"@odata.type":"microsoft.graph.scopeTagGroupAssignmentTarget","groupId":"g"}"#,
        r#"{"groupId":"g","@odata.type":"microsoft.graph.scopeTagGroupAssignmentTarget"}"#,
    ] {
        let error = serde_json::from_str::<KnownTarget>(input)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(
                "unknown `@odata.type` `microsoft.graph.scopeTagGroupAssignmentTarget` for `KnownTarget`, expected one of `#microsoft.graph.groupAssignmentTarget`, `#microsoft.graph.allDevicesAssignmentTarget`"
            ),
            "{error}"
        );
    }
    let error = serde_json::from_str::<KnownTarget>(r#"{"groupId":"g","@odata.type":7}"#)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("expected an `@odata.type` string"),
        "{error}"
    );
}

#[test]
fn a_list_of_assignments_with_mixed_targets_in_a_collection_response() {
    let page = json!({
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/intents('i')/assignments",
        "value": [
            {"@odata.type": "#microsoft.graph.deviceManagementIntentAssignment", "id": "a-1",
             "target": {"@odata.type": "microsoft.graph.groupAssignmentTarget", "groupId": "g-1"}},
            {"id": "a-2", "@odata.type": "#microsoft.graph.deviceManagementIntentAssignment",
             "target": {"collectionId": "c-1", "@odata.type": "microsoft.graph.configurationManagerCollectionAssignmentTarget"}},
            {"@odata.type": "#microsoft.graph.deviceManagementIntentAssignment", "id": "a-3",
             "target": {"@odata.type": "microsoft.graph.scopeTagGroupAssignmentTarget", "targetType": "group"}},
            {"@odata.type": "#microsoft.graph.deviceManagementIntentAssignment", "id": "a-4", "target": null},
            {"@odata.type": "#microsoft.graph.deviceManagementIntentAssignment", "id": "a-5",
             "target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}
        ],
        "@odata.nextLink": "https://graph.microsoft.com/beta/deviceManagement/intents('i')/assignments?$skiptoken=5"
    });
    let decoded: Page<DeviceManagementIntentAssignment> = decode(&page);
    assert_eq!(decoded.items.len(), 5);
    assert!(
        decoded
            .next_link
            .as_deref()
            .unwrap()
            .ends_with("$skiptoken=5")
    );
    let targets: Vec<Option<&Target>> = decoded.items.iter().map(|a| a.target.as_ref()).collect();
    assert!(matches!(targets[0], Some(Target::Group(g)) if g.group_id.as_deref() == Some("g-1")));
    assert!(
        matches!(targets[1], Some(Target::ConfigurationManagerCollection(c)) if c.collection_id.as_deref() == Some("c-1"))
    );
    assert!(matches!(targets[2], Some(Target::Other(u)) if u.properties["targetType"] == "group"));
    assert_eq!(targets[3], None);
    assert!(matches!(targets[4], Some(Target::AllDevices(_))));

    let round_trip: Page<DeviceManagementIntentAssignment> =
        serde_json::from_value(serde_json::to_value(&decoded).unwrap()).unwrap();
    assert_eq!(round_trip, decoded);
}

#[test]
fn polymorphic_values_nest_inside_polymorphic_values() {
    let thing = Thing::Targeted(TargetedThing {
        targets: vec![
            Target::Group(GroupAssignmentTarget {
                group_id: Some("g".into()),
                ..Default::default()
            }),
            Target::Other(UntypedResource::new("microsoft.graph.futureTarget")),
            AllDevicesAssignmentTarget::default().into(),
        ],
        primary: Some(Target::AllLicensedUsers(
            AllLicensedUsersAssignmentTarget::default(),
        )),
    });
    let text = serde_json::to_string(&thing).unwrap();
    assert_eq!(
        text,
        r##"{"@odata.type":"#microsoft.graph.targetedThing","targets":[{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g"},{"@odata.type":"microsoft.graph.futureTarget"},{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}],"primary":{"@odata.type":"#microsoft.graph.allLicensedUsersAssignmentTarget"}}"##
    );
    assert_eq!(serde_json::from_str::<Thing>(&text).unwrap(), thing);
    // The outer type last and each inner type last: buffered at every level, same value.
    let mut reordered: Value = serde_json::from_str(&text).unwrap();
    for target in reordered["targets"].as_array_mut().unwrap() {
        *target = serde_json::from_str(&type_last(target)).unwrap();
    }
    assert_eq!(
        serde_json::from_str::<Thing>(&type_last(&reordered)).unwrap(),
        thing
    );
}

#[test]
fn string_enums_are_lower_camel_case_and_read_case_insensitively() {
    use DeviceAndAppManagementAssignmentFilterType as FilterType;
    assert_eq!(
        serde_json::to_string(&FilterType::Include).unwrap(),
        r#""include""#
    );
    for (input, expected) in [
        (r#""include""#, FilterType::Include),
        (r#""Include""#, FilterType::Include),
        (r#""EXCLUDE""#, FilterType::Exclude),
        (r#""none""#, FilterType::None),
        (
            r#""unknownFutureValue""#,
            FilterType::Unknown("unknownFutureValue".into()),
        ),
    ] {
        assert_eq!(
            serde_json::from_str::<FilterType>(input).unwrap(),
            expected,
            "{input}"
        );
    }
    assert_eq!(
        serde_json::to_string(&FilterType::Unknown("unknownFutureValue".into())).unwrap(),
        r#""unknownFutureValue""#
    );
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    NotStarted,
    #[graph(rename = "inProgress")]
    Running,
    Succeeded,
}

#[test]
fn a_string_enum_without_other_lists_the_allowed_values() {
    assert_eq!(
        serde_json::to_string(&RunState::NotStarted).unwrap(),
        r#""notStarted""#
    );
    assert_eq!(
        serde_json::to_string(&RunState::Running).unwrap(),
        r#""inProgress""#
    );
    assert_eq!(
        serde_json::from_str::<RunState>(r#""INPROGRESS""#).unwrap(),
        RunState::Running
    );
    let error = serde_json::from_str::<RunState>(r#""failed""#)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("unknown `RunState` value `failed`, expected one of `notStarted`, `inProgress`, `succeeded`"),
        "{error}"
    );
    let error = serde_json::from_str::<RunState>("3")
        .unwrap_err()
        .to_string();
    assert!(error.contains("expected a `RunState` string"), "{error}");
}

#[test]
fn a_base_type_alone_has_its_own_type_name() {
    assert_eq!(
        AssignmentTargetBase::ODATA_TYPE,
        "#microsoft.graph.deviceAndAppManagementAssignmentTarget"
    );
}

#[test]
fn a_struct_without_room_reads_a_derived_body_and_writes_its_own_type() {
    let target: GroupAssignmentTarget = serde_json::from_str(
        r#"{"@odata.type":"microsoft.graph.exclusionGroupAssignmentTarget","groupId":"g","note":1}"#,
    )
    .unwrap();
    assert_eq!(target.group_id.as_deref(), Some("g"));
    assert_eq!(
        serde_json::to_value(&target).unwrap(),
        json!({"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g"})
    );
}

#[test]
fn a_second_odata_type_naming_another_type_is_an_error_naming_both() {
    for input in [
        r#"{"@odata.type":"microsoft.graph.groupAssignmentTarget","@odata.type":"microsoft.graph.x"}"#,
        r#"{"@odata.type":"microsoft.graph.x","groupId":"g","@odata.type":"microsoft.graph.groupAssignmentTarget"}"#,
    ] {
        let error = serde_json::from_str::<GroupAssignmentTarget>(input)
            .unwrap_err()
            .to_string();
        assert!(error.contains("a second `@odata.type`"), "{error}");
        assert!(error.contains("microsoft.graph.x`"), "{error}");
        assert!(
            error.contains("microsoft.graph.groupAssignmentTarget`"),
            "{error}"
        );
    }
    let same_twice = r##"{"@odata.type":"microsoft.graph.x","@odata.type":"#microsoft.graph.x"}"##;
    let object: DirectoryObject = serde_json::from_str(same_twice).unwrap();
    assert_eq!(object.additional["@odata.type"], "#microsoft.graph.x");
}

/// `microsoft.graph.directoryObject`, the base of users and groups, modelled alone: what
/// `/groups/{id}/members` holds.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DirectoryObject {
    pub id: Option<String>,
    #[graph(read_only)]
    pub deleted_date_time: Option<String>,
    #[graph(additional)]
    pub additional: serde_json::Map<String, Value>,
}

/// A user with its manager expanded: a directory object of any type.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct User {
    #[graph(base)]
    pub base: DirectoryObject,
    pub display_name: Option<String>,
    pub manager: Option<DirectoryObject>,
}

/// A member of a group, each type boxed as clippy's `large_enum_variant` asks.
#[graph_resource(path = "/groups/<>/members", operations(list))]
#[derive(Debug, Clone, PartialEq)]
pub enum DirectoryObjectKind {
    User(Box<User>),
    DirectoryObject(std::boxed::Box<DirectoryObject>),
    #[graph(other)]
    Other(UntypedResource),
}

#[test]
fn a_variant_holds_its_type_in_a_box() {
    let adele = User {
        base: DirectoryObject {
            id: Some("u1".into()),
            ..Default::default()
        },
        display_name: Some("Adele".into()),
        manager: None,
    };
    let user = json!({"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Adele"});
    let read: DirectoryObjectKind = decode(&user);
    assert_eq!(read, DirectoryObjectKind::from(adele.clone()));
    assert_eq!(read, DirectoryObjectKind::User(Box::new(adele)));
    assert_eq!(serde_json::to_value(&read).unwrap(), user);
    let type_last = json!({"id": "d1", "@odata.type": "#microsoft.graph.directoryObject"});
    assert!(matches!(
        decode::<DirectoryObjectKind>(&type_last),
        DirectoryObjectKind::DirectoryObject(object) if object.id.as_deref() == Some("d1")
    ));
    assert!(DirectoryObjectKind::has_property("deletedDateTime"));
    assert!(!DirectoryObjectKind::has_property("displayName"));
    assert!(DirectoryObjectKind::is_read_only("deletedDateTime"));
    assert!(!DirectoryObjectKind::is_read_only("displayName"));
}

#[test]
fn a_page_of_members_reads_users_and_groups_as_directory_objects() {
    let members = [
        json!({"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Adele Vance",
               "userPrincipalName": "AdeleV@contoso.com"}),
        json!({"@odata.type": "#microsoft.graph.group", "id": "g1", "displayName": "Sales",
               "groupTypes": ["Unified"], "mailEnabled": true}),
        json!({"@odata.type": "#microsoft.graph.directoryObject", "id": "d1",
               "deletedDateTime": "2024-05-01T00:00:00Z"}),
        json!({"@odata.type": "microsoft.graph.servicePrincipal", "id": "s1"}),
    ];
    let page = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
        "value": members,
    });
    let page: Page<DirectoryObject> = decode(&page);
    let ids: Vec<Option<&str>> = page.items.iter().map(|m| m.id.as_deref()).collect();
    assert_eq!(ids, [Some("u1"), Some("g1"), Some("d1"), Some("s1")]);
    let user = &page.items[0];
    assert_eq!(user.additional["@odata.type"], "#microsoft.graph.user");
    assert_eq!(user.additional["displayName"], "Adele Vance");
    assert_eq!(page.items[1].additional["groupTypes"], json!(["Unified"]));
    assert!(
        page.items[2].additional.is_empty(),
        "its own type is not kept"
    );
    assert_eq!(
        page.items[3].additional["@odata.type"], "#microsoft.graph.servicePrincipal",
        "a type read without `#` is kept with it"
    );

    // Written back, each keeps its type and every property, in the order read.
    for (member, read) in page.items.iter().zip(&members[..3]) {
        assert_eq!(
            serde_json::to_string(member).unwrap(),
            read.to_string(),
            "{read}"
        );
    }
    assert_eq!(
        serde_json::to_value(&page.items[3]).unwrap(),
        json!({"@odata.type": "#microsoft.graph.servicePrincipal", "id": "s1"})
    );
}

#[test]
fn a_derived_type_is_kept_through_a_base_and_in_an_expanded_property() {
    let read = json!({
        "@odata.type": "#microsoft.graph.guestUser",
        "id": "u2",
        "invitedBy": "u1",
        "displayName": "Guest",
        "manager": {"@odata.type": "microsoft.graph.user", "id": "m1", "displayName": "Boss"},
    });
    let user: User = decode(&read);
    assert_eq!(user.display_name.as_deref(), Some("Guest"));
    assert_eq!(
        user.base.additional["@odata.type"],
        "#microsoft.graph.guestUser"
    );
    let manager = user.manager.as_ref().unwrap();
    assert_eq!(manager.id.as_deref(), Some("m1"));
    assert_eq!(manager.additional["displayName"], "Boss");
    assert_eq!(
        serde_json::to_value(&user).unwrap(),
        json!({
            "@odata.type": "#microsoft.graph.guestUser",
            "id": "u2",
            "invitedBy": "u1",
            "displayName": "Guest",
            "manager": {"@odata.type": "#microsoft.graph.user", "id": "m1", "displayName": "Boss"},
        })
    );
    // A type set in the map is written: a value can be built as a type nothing models.
    let mut built = DirectoryObject::default();
    built
        .additional
        .insert("@odata.type".into(), json!("#microsoft.graph.orgContact"));
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        json!({"@odata.type": "#microsoft.graph.orgContact"})
    );
}

#[test]
fn a_base_map_never_writes_a_property_the_derived_struct_declares() {
    let mut user = User {
        display_name: Some("Declared".into()),
        ..Default::default()
    };
    user.base
        .additional
        .insert("displayName".into(), json!("From the map"));
    user.base
        .additional
        .insert("id".into(), json!("from the map"));
    user.base
        .additional
        .insert("jobTitle".into(), json!("Lead"));
    assert_eq!(
        serde_json::to_string(&user).unwrap(),
        r##"{"@odata.type":"#microsoft.graph.user","jobTitle":"Lead","displayName":"Declared"}"##,
        "the base writes its map after its own fields, without the names `User` declares"
    );
}

/// Records how much of the input had been read when a field was decoded: streaming decodes
/// a field as soon as it is read, buffering only after the whole object.
mod progress {
    use std::cell::Cell;
    use std::io::Read;

    thread_local! {
        static READ: Cell<usize> = const { Cell::new(0) };
        static SEEN: Cell<usize> = const { Cell::new(0) };
    }

    /// A reader that counts the bytes handed out.
    pub struct Counting<'a>(pub &'a [u8]);

    impl Read for Counting<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.read(buf)?;
            READ.with(|read| read.set(read.get() + n));
            Ok(n)
        }
    }

    /// Decodes `input` through a counting reader; the bytes read when the probe field was
    /// decoded.
    pub fn read_when_decoded<T: serde::de::DeserializeOwned>(input: &str) -> usize {
        READ.with(|read| read.set(0));
        let _: T = serde_json::from_reader(Counting(input.as_bytes())).unwrap();
        SEEN.with(Cell::get)
    }

    pub fn serialize<S: serde::Serializer>(value: &str, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(value)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<String, D::Error> {
        SEEN.with(|seen| seen.set(READ.with(Cell::get)));
        serde::Deserialize::deserialize(deserializer)
    }
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeTarget {
    #[graph(with = "progress")]
    pub group_id: String,
    pub note: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum ProbeFamily {
    Probe(ProbeTarget),
}

#[test]
fn type_first_streams_from_the_input_and_type_later_is_buffered() {
    let note = "n".repeat(1000);
    let first =
        format!(r#"{{"@odata.type":"microsoft.graph.probeTarget","groupId":"g","note":"{note}"}}"#);
    let read = progress::read_when_decoded::<ProbeFamily>(&first);
    assert!(
        read < first.len() - note.len(),
        "type first: {read} of {} bytes read before the field",
        first.len()
    );

    // As Graph answers a GET or POST: annotations first, then the type.
    let context = format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#probes/$entity","@odata.etag":"W/\"1\"","@odata.type":"microsoft.graph.probeTarget","groupId":"g","note":"{note}"}}"#
    );
    let read = progress::read_when_decoded::<ProbeFamily>(&context);
    assert!(
        read < context.len() - note.len(),
        "annotations, then the type: {read} of {} bytes read before the field",
        context.len()
    );

    let later =
        format!(r#"{{"groupId":"g","note":"{note}","@odata.type":"microsoft.graph.probeTarget"}}"#);
    let read = progress::read_when_decoded::<ProbeFamily>(&later);
    assert_eq!(
        read,
        later.len(),
        "type later: the whole object is read first"
    );
}

#[graph_resource(path = "/deviceManagement/intents/<>/assignments")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IntentAssignment {
    pub id: Option<String>,
    pub target: Option<DeviceAndAppManagementAssignmentTarget>,
}

#[tokio::test]
async fn a_decode_error_inside_a_polymorphic_value_names_its_path() {
    use graph_resource::{Client, Error, MockResponse, MockTransport};
    for body in [
        json!({"id": "a", "target": {"@odata.type": "microsoft.graph.groupAssignmentTarget", "groupId": 5}}),
        json!({"id": "a", "target": {"groupId": 5, "@odata.type": "microsoft.graph.groupAssignmentTarget"}}),
    ] {
        let mock = MockTransport::new();
        mock.push(MockResponse::json(201, body.clone()));
        let client = Client::builder()
            .bearer_token("t")
            .transport(std::sync::Arc::new(mock))
            .build()
            .unwrap();
        let error = IntentAssignment::create(&client, "i", &IntentAssignment::default())
            .await
            .unwrap_err();
        let Error::Decode(decode) = &error else {
            panic!("expected a decode error, got {error:?}")
        };
        assert!(
            decode.path().starts_with("target"),
            "{body}: path {}",
            decode.path()
        );
        assert!(
            error
                .to_string()
                .contains("invalid type: integer `5`, expected a string"),
            "{error}"
        );
    }
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeepsAnnotations {
    pub id: Option<String>,
    #[graph(additional)]
    pub additional: serde_json::Map<String, Value>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum WithAdditional {
    Keeps(KeepsAnnotations),
    Probe(ProbeTarget),
    #[graph(other)]
    Other(UntypedResource),
}

#[test]
fn annotations_before_the_type_reach_additional_and_other_in_order() {
    let body = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x/$entity",
        "@odata.etag": "W/\"7\"",
        "@odata.type": "#microsoft.graph.keepsAnnotations",
        "id": "k1",
        "extra": 1
    });
    let WithAdditional::Keeps(kept) = serde_json::from_value(body).unwrap() else {
        panic!("the typed variant");
    };
    let keys: Vec<&str> = kept.additional.keys().map(String::as_str).collect();
    assert_eq!(keys, ["@odata.context", "@odata.etag", "extra"]);
    assert_eq!(kept.id.as_deref(), Some("k1"));

    let unknown = r##"{"@odata.context":"c","@odata.type":"#microsoft.graph.future","a":1}"##;
    let WithAdditional::Other(other) = serde_json::from_str(unknown).unwrap() else {
        panic!("the other variant");
    };
    assert_eq!(
        serde_json::to_string(&other).unwrap(),
        r##"{"@odata.type":"#microsoft.graph.future","@odata.context":"c","a":1}"##
    );

    // Only annotations, and annotations then a property before the type.
    let only: WithAdditional = serde_json::from_str(r#"{"@odata.context":"c"}"#).unwrap();
    assert!(matches!(only, WithAdditional::Other(other) if other.odata_type.is_none()));
    let mixed =
        r##"{"@odata.etag":"e","id":"k2","@odata.type":"#microsoft.graph.keepsAnnotations"}"##;
    let WithAdditional::Keeps(kept) = serde_json::from_str(mixed).unwrap() else {
        panic!("the typed variant, from the buffer");
    };
    assert_eq!((kept.id.as_deref(), kept.additional.len()), (Some("k2"), 1));

    // A wrong value in a leading annotation's place is still an error at its key.
    let error = serde_json::from_str::<WithAdditional>(
        r##"{"@odata.etag":"e","@odata.type":"#microsoft.graph.probeTarget","groupId":5}"##,
    )
    .unwrap_err();
    assert!(error.to_string().contains("expected a string"), "{error}");
}

/// A variant that declares an annotation as a field, and one that keeps what it does not
/// declare.
#[graph_resource(namespace = "contoso.sdk")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Gadget {
    #[graph(rename = "@odata.etag")]
    pub etag: Option<String>,
    pub name: Option<String>,
    #[graph(additional)]
    pub additional: serde_json::Map<String, Value>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum AnyGadget {
    Gadget(Gadget),
}

#[test]
fn annotations_before_the_type_reach_the_fields_they_name() {
    let json = r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#gadgets/$entity","@odata.etag":"W/\"1\"","@odata.count":3,"@odata.type":"#contoso.sdk.gadget","name":"g"}"##;
    let AnyGadget::Gadget(gadget) = serde_json::from_str(json).unwrap();
    assert_eq!(gadget.etag.as_deref(), Some("W/\"1\""));
    assert_eq!(gadget.name.as_deref(), Some("g"));
    assert_eq!(
        Value::Object(gadget.additional),
        json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#gadgets/$entity", "@odata.count": 3})
    );
}

#[test]
fn annotations_before_the_type_keep_their_order_whatever_their_values() {
    // A number first, then strings; and a string first, then a number and a string.
    for json in [
        r##"{"@odata.count":3,"@odata.context":"c","@odata.etag":"e","@odata.type":"#contoso.sdk.gadget","name":"g"}"##,
        r##"{"@odata.context":"c","@odata.count":3,"@odata.etag":"e","@odata.type":"#contoso.sdk.gadget","name":"g"}"##,
    ] {
        let AnyGadget::Gadget(gadget) = serde_json::from_str(json).unwrap();
        assert_eq!(gadget.etag.as_deref(), Some("e"), "{json}");
        let expected: serde_json::Map<String, Value> = serde_json::from_str(json).unwrap();
        let kept: Vec<(&String, &Value)> = gadget.additional.iter().collect();
        let sent: Vec<(&String, &Value)> = expected
            .iter()
            .filter(|(key, _)| key.as_str() == "@odata.context" || key.as_str() == "@odata.count")
            .collect();
        assert_eq!(kept, sent, "{json}");
    }
    let unknown =
        r##"{"@odata.count":3,"@odata.context":"c","@odata.type":"#microsoft.graph.future"}"##;
    let WithAdditional::Other(other) = serde_json::from_str(unknown).unwrap() else {
        panic!("the other variant");
    };
    let keys: Vec<&str> = other.properties.keys().map(String::as_str).collect();
    assert_eq!(keys, ["@odata.count", "@odata.context"]);
}

/// An etag as its own type: a newtype, as serde derives it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Etag(pub String);

/// A plain serde enum of unit variants.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Shade {
    Light,
    Dark,
}

#[graph_resource(namespace = "contoso.sdk")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lamp {
    #[graph(rename = "@odata.etag")]
    pub etag: Option<Etag>,
    pub shade: Option<Shade>,
    pub name: Option<String>,
    pub watts: Option<u32>,
    pub tags: Option<Vec<String>>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum AnyLamp {
    Lamp(Lamp),
}

fn expected_lamp() -> Lamp {
    Lamp {
        etag: Some(Etag("W/\"2\"".to_owned())),
        shade: Some(Shade::Dark),
        name: Some("desk \"A\" é".to_owned()),
        watts: Some(40),
        tags: Some(vec!["a".to_owned(), "b".to_owned()]),
    }
}

#[test]
fn kept_strings_read_into_newtypes_and_unit_variants_with_the_type_before_or_after_them() {
    for json in [
        // Annotations before the type: the etag is kept aside, then read as its newtype.
        r##"{"@odata.etag":"W/\"2\"","@odata.type":"#contoso.sdk.lamp","shade":"dark","name":"desk \"A\" é","watts":40,"tags":["a","b"]}"##,
        // The type last: every value is kept aside, then read into its field.
        r##"{"@odata.etag":"W/\"2\"","shade":"dark","name":"desk \"A\" é","watts":40,"tags":["a","b"],"@odata.type":"#contoso.sdk.lamp"}"##,
        r##"{"shade":"dark","@odata.etag":"W/\"2\"","name":"desk \"A\" \u00e9","watts":40,"tags":["a","b"],"@odata.type":"#contoso.sdk.lamp"}"##,
    ] {
        let value: Value = serde_json::from_str(json).unwrap();
        // Strings borrowed from text, copied from a reader, and lent by a `Value`.
        let decoded: [AnyLamp; 3] = [
            serde_json::from_str(json).unwrap(),
            serde_json::from_reader(json.as_bytes()).unwrap(),
            serde_json::from_value(value).unwrap(),
        ];
        for AnyLamp::Lamp(lamp) in decoded {
            assert_eq!(lamp, expected_lamp(), "{json}");
        }
    }
}

#[test]
fn a_kept_value_of_the_wrong_type_names_its_property() {
    let json = r##"{"name":"n","shade":"dim","@odata.type":"#contoso.sdk.lamp"}"##;
    let error = serde_json::from_str::<AnyLamp>(json)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("at `shade`: unknown variant `dim`, expected `light` or `dark`"),
        "{error}"
    );
}

#[test]
fn nesting_100_000_levels_deep_in_a_property_before_the_type_is_an_error() {
    for (open, close) in [("[", "]"), (r#"{"a":"#, "}")] {
        let deep = format!("{}1{}", open.repeat(100_000), close.repeat(100_000));
        let json = format!(r##"{{"name":"n","tags":{deep},"@odata.type":"#contoso.sdk.lamp"}}"##);
        let error = serde_json::from_str::<AnyLamp>(&json)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("at `tags`: recursion limit exceeded"),
            "{error}"
        );
    }
}

/// A base that declares an annotation as a field, and a type derived from it that declares
/// none and keeps nothing unknown.
#[graph_resource(namespace = "contoso.sdk")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tagged {
    #[graph(rename = "@odata.etag")]
    pub etag: Option<String>,
    pub name: Option<String>,
}

#[graph_resource(namespace = "contoso.sdk")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaggedLamp {
    #[graph(base)]
    pub base: Tagged,
    pub watts: Option<u32>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum AnyTagged {
    Lamp(TaggedLamp),
    Parcel(Parcel),
}

#[test]
fn annotations_before_the_type_reach_a_field_a_base_declares() {
    let json = r##"{"@odata.context":"c","@odata.etag":"e","@odata.type":"#contoso.sdk.taggedLamp","name":"n","watts":4}"##;
    let AnyTagged::Lamp(lamp) = serde_json::from_str(json).unwrap() else {
        panic!("the lamp");
    };
    assert_eq!(lamp.base.etag.as_deref(), Some("e"));
    assert_eq!(
        (lamp.base.name.as_deref(), lamp.watts),
        (Some("n"), Some(4))
    );

    // A variant with no place for annotations drops them as its own loop would.
    let json = r##"{"@odata.etag":"e","@odata.context":"c","@odata.type":"#contoso.sdk.parcel","name":"n"}"##;
    let AnyTagged::Parcel(parcel) = serde_json::from_str(json).unwrap() else {
        panic!("the parcel");
    };
    assert_eq!(parcel.name.as_deref(), Some("n"));
}

/// Properties whose names share lengths, here and in a base: `name`/`size`/`kind`/`mode`,
/// `colour`/`weight`.
#[graph_resource(namespace = "contoso.sdk")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parcel {
    pub name: Option<String>,
    pub size: Option<i32>,
    pub colour: Option<String>,
}

#[graph_resource(namespace = "contoso.sdk")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Crate {
    #[graph(base)]
    pub base: Parcel,
    pub kind: Option<String>,
    pub mode: Option<String>,
    pub weight: Option<i32>,
    #[graph(additional)]
    pub additional: serde_json::Map<String, Value>,
}

#[test]
fn property_names_of_the_same_length_reach_their_own_fields_here_and_in_the_base() {
    let body = json!({
        "mode": "m", "name": "n", "kind": "k", "size": 2, "weight": 3, "colour": "c",
        "note": "same length as four fields", "shades": 1
    });
    let read: Crate = serde_json::from_value(body).unwrap();
    assert_eq!(
        read,
        Crate {
            base: Parcel {
                name: Some("n".into()),
                size: Some(2),
                colour: Some("c".into()),
            },
            kind: Some("k".into()),
            mode: Some("m".into()),
            weight: Some(3),
            additional: serde_json::from_value(
                json!({"note": "same length as four fields", "shades": 1})
            )
            .unwrap(),
        }
    );
}

#[path = "polymorphic/many_types.rs"]
mod many_types;
