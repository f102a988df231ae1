//! The golden models compiled and used: Graph-shaped bodies decode and encode back
//! unchanged, polymorphic properties dispatch on `@odata.type`, flag enums read and write
//! comma-separated names, recursive types nest, and paths give typed operations: on the
//! polymorphic enum of an abstract collection, on singletons, and delta queries.
//!
//! Bodies shaped like Graph's real answers decode too: default subsets and `$select`
//! answers without `Nullable="false"` properties, objects without `@odata.type` (a concrete
//! base's own), etags and ids, date-times without an offset, stream properties present as
//! their media annotations or absent, unknown annotations and properties newer than the
//! schema.

use std::sync::Arc;

use futures_util::StreamExt;
use graph_resource::{
    Change, Client, Flags, MockResponse, MockTransport, ODataType, Removal, UntypedResource,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

// A model is a library: not every item is used here.
#[allow(dead_code)]
mod model {
    include!("golden/model.rs");
}

// A model is a library: not every item is used here.
#[allow(dead_code)]
mod selected {
    include!("golden/selected.rs");
}

// A model is a library: not every item is used here.
#[allow(dead_code)]
mod serde_model {
    include!("golden/serde.rs");
}

use model::*;

/// Decodes `body` as a `T` and checks that it encodes back to the same JSON.
fn round_trip<T: Serialize + DeserializeOwned>(body: Value) -> T {
    let decoded: T = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), body);
    decoded
}

fn group_target(filter_type: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.groupAssignmentTarget",
        "deviceAndAppManagementAssignmentFilterId": "f-1",
        "deviceAndAppManagementAssignmentFilterType": filter_type,
        "groupId": "g-1"
    })
}

#[test]
fn an_assignment_with_each_kind_of_target() {
    let assignment: DeviceConfigurationAssignment = round_trip(json!({
        "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
        "id": "a-1",
        "target": group_target("include")
    }));
    assert_eq!(assignment.base.id.as_deref(), Some("a-1"));
    let Some(DeviceAndAppManagementAssignmentTargetKind::Group(group)) = &assignment.target else {
        panic!("a group target: {assignment:?}");
    };
    assert_eq!(group.group_id.as_deref(), Some("g-1"));
    assert_eq!(
        group.base.device_and_app_management_assignment_filter_type,
        Some(DeviceAndAppManagementAssignmentFilterType::Include)
    );

    // Two levels of bases; then a type this model does not know, kept as it came.
    let exclusion: DeviceAndAppManagementAssignmentTargetKind = round_trip(json!({
        "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget",
        "deviceAndAppManagementAssignmentFilterType": "none",
        "groupId": "g-2"
    }));
    let DeviceAndAppManagementAssignmentTargetKind::ExclusionGroup(exclusion) = exclusion else {
        panic!("an exclusion group target");
    };
    assert_eq!(exclusion.base.group_id.as_deref(), Some("g-2"));
    let unknown: DeviceAndAppManagementAssignmentTargetKind = round_trip(json!({
        "@odata.type": "microsoft.graph.scopeTagGroupAssignmentTarget",
        "groupId": "g-3"
    }));
    assert!(matches!(
        unknown,
        DeviceAndAppManagementAssignmentTargetKind::Other(UntypedResource { .. })
    ));
    // A property marked `Nullable="false"` may be absent all the same.
    let all_devices: DeviceAndAppManagementAssignmentTargetKind = round_trip(json!({
        "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"
    }));
    assert_eq!(
        all_devices,
        DeviceAndAppManagementAssignmentTargetKind::AllDevices(Default::default())
    );
}

#[test]
fn a_derived_configuration_with_its_expanded_assignments() {
    let configuration: Windows10GeneralConfiguration = round_trip(json!({
        "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
        "id": "c-1",
        "displayName": "Baseline",
        "version": 3,
        "createdDateTime": "2024-05-06T07:08:09Z",
        "assignments": [{
            "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
            "id": "a-1",
            "target": {
                "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
                "deviceAndAppManagementAssignmentFilterType": "exclude"
            }
        }],
        "passwordRequired": true,
        "definedApps": ["notepad", "calc"]
    }));
    let base = &configuration.base;
    assert_eq!(base.display_name.as_deref(), Some("Baseline"));
    assert_eq!(
        base.created_date_time.map(|t| t.to_rfc3339()).as_deref(),
        Some("2024-05-06T07:08:09+00:00")
    );
    assert_eq!(base.assignments.as_ref().map(Vec::len), Some(1));
    assert_eq!(configuration.password_required, Some(true));
    assert_eq!(configuration.defender_scan_max_cpu, None);
}

#[test]
fn every_primitive_type() {
    let sampler: EdmSampler = round_trip(json!({
        "@odata.type": "#microsoft.graph.edmSampler",
        "text": "hello",
        "flag": false,
        "byte": 255,
        "signedByte": -128,
        "small": -300,
        "count": 7,
        "big": 9007199254740993i64,
        "ratio": 0.5,
        "score": "NaN",
        "amount": 12.25,
        "thumbnail": "aGk=",
        "gracePeriod": "P1DT2H",
        "lastSeenDateTime": "2024-01-02T03:04:05.678Z",
        "birthday": "2024-02-29",
        "startTime": "08:30:00",
        "tenantId": "0d6c3e2f-4a1b-4c8d-9e0f-123456789abc",
        "anything": [null, true],
        "scores": [1.5, "INF", "-INF"],
        "access": "read,write",
        "requiredAccess": "delete",
        "odd": "iOS"
    }));
    assert!(sampler.score.is_some_and(|score| score.0.is_nan()));
    assert_eq!(sampler.big, Some(9_007_199_254_740_993));
    assert_eq!(
        sampler.thumbnail.as_ref().map(|b| b.0.as_slice()),
        Some(&b"hi"[..])
    );
    let grace = sampler.grace_period.as_ref().and_then(|d| d.to_std());
    assert_eq!(grace, Some(std::time::Duration::from_secs(26 * 3600)));
    assert_eq!(
        sampler.birthday.map(|d| d.to_string()).as_deref(),
        Some("2024-02-29")
    );
    assert_eq!(
        sampler.tenant_id.map(|g| g.as_u128()),
        Some(0x0d6c3e2f_4a1b_4c8d_9e0f_123456789abc)
    );
    assert_eq!(
        sampler.scores.as_ref().map(|scores| scores[1].0),
        Some(f64::INFINITY)
    );
    assert_eq!(sampler.access, Some(AccessLevel::Write | AccessLevel::Read));
    assert_eq!(
        sampler.required_access,
        Some(Flags::from(AccessLevel::Delete))
    );
    assert_eq!(sampler.odd, Some(OddMembers::Ios));

    // Nothing is required: an empty object is the default, and writes back empty.
    let empty: EdmSampler = round_trip(json!({"@odata.type": "#microsoft.graph.edmSampler"}));
    assert_eq!(empty, EdmSampler::default());
    let error = serde_json::from_value::<EdmSampler>(json!({"requiredAccess": 3})).unwrap_err();
    assert!(
        error.to_string().contains("comma-separated flag names"),
        "{error}"
    );
}

#[test]
fn flag_enums_read_any_case_and_keep_unknown_members() {
    let flags: Flags<AccessLevel> = serde_json::from_value(json!("Read, WRITE")).unwrap();
    assert_eq!(serde_json::to_value(&flags).unwrap(), json!("read,write"));
    let flags: Flags<AccessLevel> = serde_json::from_value(json!("none,later")).unwrap();
    assert_eq!(
        flags.iter().collect::<Vec<_>>(),
        [&AccessLevel::None, &AccessLevel::Unknown("later".into())]
    );
    assert_eq!(serde_json::to_value(&flags).unwrap(), json!("none,later"));
    // Not a flag enum: a single value.
    let member: OddMembers = serde_json::from_value(json!("UNKNOWNFUTUREVALUE")).unwrap();
    assert_eq!(member, OddMembers::UnknownFutureValue);
}

#[test]
fn recursive_types_nest() {
    let tree: TreeNode = round_trip(json!({
        "@odata.type": "#microsoft.graph.treeNode",
        "label": "leaf",
        "parent": {
            "@odata.type": "#microsoft.graph.treeNode",
            "label": "root",
            "children": [{"@odata.type": "#microsoft.graph.treeNode", "label": "sibling"}]
        }
    }));
    assert_eq!(
        tree.parent.as_ref().and_then(|p| p.label.as_deref()),
        Some("root")
    );

    let rule: Rule = round_trip(json!({
        "@odata.type": "#microsoft.graph.rule",
        "when": {
            "@odata.type": "#microsoft.graph.notCondition",
            "inner": {
                "@odata.type": "#microsoft.graph.allOfCondition",
                "conditions": [
                    {"@odata.type": "#microsoft.graph.textCondition", "contains": "x"},
                    {"@odata.type": "#microsoft.graph.notCondition",
                     "inner": {"@odata.type": "#microsoft.graph.textCondition"}}
                ]
            }
        }
    }));
    let Some(ConditionKind::Not(not)) = rule.when else {
        panic!("a not condition");
    };
    assert!(matches!(
        not.inner.as_deref(),
        Some(ConditionKind::AllOf(_))
    ));

    let folder: FolderInfo = round_trip(json!({
        "@odata.type": "#microsoft.graph.folderInfo",
        "readme": {"@odata.type": "#microsoft.graph.fileInfo",
                   "folder": {"@odata.type": "#microsoft.graph.folderInfo"}}
    }));
    assert!(folder.readme.and_then(|r| r.folder).is_some());
}

#[test]
fn open_types_keep_what_the_schema_does_not_list() {
    let child: OpenChild = round_trip(json!({
        "@odata.type": "#microsoft.graph.openChild",
        "name": "n",
        "color": "blue",
        "size": 3
    }));
    assert_eq!(child.base.additional_data["color"], "blue");
    let user: User = round_trip(json!({
        "@odata.type": "#microsoft.graph.user",
        "id": "u-1",
        "displayName": "Adele",
        "manager": {"@odata.type": "#microsoft.graph.user", "id": "u-2", "extensionAttribute": 1},
        "settings": {"@odata.type": "#microsoft.graph.userSettings", "contributionToContentDiscoveryDisabled": false}
    }));
    let Some(UserKind::User(manager)) = user.manager.as_deref() else {
        panic!("a user as manager: {user:?}");
    };
    assert_eq!(manager.base.additional_data["extensionAttribute"], 1);
}

#[test]
fn keywords_prelude_names_and_collisions_keep_their_graph_names() {
    let naming: Naming = round_trip(json!({
        "@odata.type": "#microsoft.graph.naming",
        "type": "t", "self": "s", "crate": "c", "super": "u", "match": "m", "base": "b",
        "displayName": "d1", "display_name": "d2", "deviceID": "i", "request-id": "r",
        "v4_0_3": true,
        "option": {"@odata.type": "#microsoft.graph.option", "value": "o"},
        "results": [{"@odata.type": "#microsoft.graph.result", "ok": true,
                     "box": {"@odata.type": "#microsoft.graph.box", "string": "vec"}}]
    }));
    assert_eq!(naming.r#type.as_deref(), Some("t"));
    assert_eq!(naming.self_.as_deref(), Some("s"));
    assert_eq!(naming.display_name_2.as_deref(), Some("d2"));
    assert_eq!(GraphOption::ODATA_TYPE, "#microsoft.graph.option");
    assert_eq!(Item::ODATA_TYPE, "#microsoft.graph.Item");
    assert_eq!(Item2::ODATA_TYPE, "#microsoft.graph.item");
    assert_eq!(SecurityAlert::ODATA_TYPE, "#microsoft.graph.securityAlert");
    assert_eq!(
        SecurityAlert2::ODATA_TYPE,
        "#microsoft.graph.security.alert"
    );
    let alert: SecurityAlert = round_trip(json!({
        "@odata.type": "#microsoft.graph.securityAlert",
        "detail": {"@odata.type": "#microsoft.graph.security.alert", "status": "resolved"}
    }));
    assert_eq!(
        alert.detail.and_then(|d| d.status),
        Some(SecurityAlertStatus::Resolved)
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_path_gives_create() {
    let mock = MockTransport::new();
    let created = json!({
        "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
        "id": "a-9",
        "target": group_target("include")
    });
    mock.push(MockResponse::json(201, created));
    let client = Client::builder()
        .bearer_token("token")
        .transport(Arc::new(mock.clone()))
        .build()
        .unwrap();
    let body: DeviceConfigurationAssignment = serde_json::from_value(json!({
        "target": group_target("include")
    }))
    .unwrap();
    let assignment = DeviceConfigurationAssignment::create(&client, "c-1", &body)
        .await
        .unwrap()
        .into_entity()
        .unwrap();
    assert_eq!(assignment.base.id.as_deref(), Some("a-9"));
    let sent = &mock.requests()[0];
    assert_eq!(
        sent.uri,
        "https://graph.microsoft.com/v1.0/deviceManagement/deviceConfigurations/c-1/assignments"
    );
    let sent: Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(sent["target"]["groupId"], "g-1");
}

fn windows_configuration() -> Value {
    json!({
        "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
        "id": "c-1",
        "displayName": "Baseline",
        "version": 3,
        "createdDateTime": "2024-05-06T07:08:09Z",
        "passwordRequired": true
    })
}

#[tokio::test(flavor = "current_thread")]
async fn the_abstract_collection_lists_and_gets_each_member_as_its_own_type() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(
        200,
        json!({
            "value": [
                windows_configuration(),
                {
                    "@odata.type": "#microsoft.graph.iosGeneralDeviceConfiguration",
                    "id": "c-2",
                    "displayName": "Phones",
                    "version": 1,
                    "createdDateTime": "2024-05-06T07:08:09Z",
                    "passcodeMinimumLength": 6
                },
                {"@odata.type": "#microsoft.graph.macOSGeneralDeviceConfiguration", "id": "c-3"}
            ]
        }),
    ));
    mock.push(MockResponse::json(200, windows_configuration()));
    let client = mock.client_builder().build().unwrap();

    let page = DeviceConfigurationKind::list(&client).await.unwrap();
    let [
        DeviceConfigurationKind::Windows10General(windows),
        DeviceConfigurationKind::IosGeneral(ios),
        DeviceConfigurationKind::Other(other),
    ] = page.items.as_slice()
    else {
        panic!("a Windows, an iOS and an unknown configuration: {page:?}");
    };
    // The derived properties are there, beside the base's.
    assert_eq!(windows.password_required, Some(true));
    assert_eq!(windows.base.display_name.as_deref(), Some("Baseline"));
    assert_eq!(ios.passcode_minimum_length, Some(6));
    assert_eq!(
        serde_json::to_value(other).unwrap()["@odata.type"],
        "#microsoft.graph.macOSGeneralDeviceConfiguration"
    );

    let got = DeviceConfigurationKind::get(&client, "c-1").await.unwrap();
    assert!(matches!(got, DeviceConfigurationKind::Windows10General(_)));
    let uris: Vec<String> = mock.requests().iter().map(|r| r.uri.to_string()).collect();
    assert_eq!(
        uris,
        [
            "https://graph.microsoft.com/v1.0/deviceManagement/deviceConfigurations",
            "https://graph.microsoft.com/v1.0/deviceManagement/deviceConfigurations/c-1",
        ]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn singletons_get_and_update_without_a_key() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(
        200,
        json!({
            "@odata.type": "#microsoft.graph.deviceManagement",
            "id": "dm",
            "subscriptionState": "active",
            "deviceConfigurations": [windows_configuration()]
        }),
    ));
    mock.push(MockResponse::new(204));
    mock.push(MockResponse::json(
        200,
        json!({"id": "s-1", "contributionToContentDiscoveryDisabled": true}),
    ));
    let client = mock.client_builder().build().unwrap();

    let management = DeviceManagement::get(&client).await.unwrap();
    assert_eq!(management.subscription_state.as_deref(), Some("active"));
    assert!(matches!(
        management.device_configurations.as_deref(),
        Some([DeviceConfigurationKind::Windows10General(_)])
    ));
    // `Default` leaves out all but the changed property; `204` gives no entity back.
    let changes = DeviceManagement {
        subscription_state: Some("warning".into()),
        ..Default::default()
    };
    let updated = DeviceManagement::update(&client, &changes).await.unwrap();
    assert!(updated.is_none());
    let settings = UserSettings::get(&client, "u-1").await.unwrap();
    assert_eq!(
        settings.contribution_to_content_discovery_disabled,
        Some(true)
    );

    let requests = mock.requests();
    let calls: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.uri))
        .collect();
    assert_eq!(
        calls,
        [
            "GET https://graph.microsoft.com/v1.0/deviceManagement",
            "PATCH https://graph.microsoft.com/v1.0/deviceManagement",
            "GET https://graph.microsoft.com/v1.0/users/u-1/settings",
        ]
    );
    assert_eq!(
        requests[1].body_json().unwrap(),
        json!({"@odata.type": "#microsoft.graph.deviceManagement", "subscriptionState": "warning"})
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_collection_with_a_bound_delta_function_has_delta() {
    let mock = MockTransport::new();
    let link = "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=d1";
    mock.push(MockResponse::json(
        200,
        json!({
            "value": [
                {"id": "u-1", "displayName": "Adele"},
                {"id": "u-2", "@removed": {"reason": "deleted"}}
            ],
            "@odata.deltaLink": link
        }),
    ));
    let client = mock.client_builder().build().unwrap();
    let changes: Vec<Change<UserKind>> = UserKind::delta(&client)
        .changes()
        .map(Result::unwrap)
        .collect()
        .await;
    let [
        Change::Upserted(UserKind::User(user)),
        Change::Removed(Removal { id, .. }),
        Change::DeltaLink(delta_link),
    ] = changes.as_slice()
    else {
        panic!("an upsert, a removal and the delta link: {changes:?}");
    };
    assert_eq!(user.display_name.as_deref(), Some("Adele"));
    assert_eq!(id, "u-2");
    assert_eq!(delta_link, link);
    assert_eq!(
        mock.requests()[0].uri,
        "https://graph.microsoft.com/v1.0/users/delta"
    );
}

#[test]
fn only_selected_derived_types_and_strings_for_dates() {
    use selected::*;
    let kind: DeviceAndAppManagementAssignmentTargetKind = round_trip(group_target("include"));
    assert!(matches!(
        kind,
        DeviceAndAppManagementAssignmentTargetKind::Group(_)
    ));
    // Not selected: kept untyped.
    let kind: DeviceAndAppManagementAssignmentTargetKind = round_trip(json!({
        "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget",
        "groupId": "g"
    }));
    assert!(matches!(
        kind,
        DeviceAndAppManagementAssignmentTargetKind::Other(_)
    ));
    let sampler: EdmSampler = serde_json::from_value(json!({
        "text": "t", "count": 1, "score": 2, "scores": [], "requiredAccess": "",
        "lastSeenDateTime": "2024-01-02T03:04:05Z", "tenantId": "not checked"
    }))
    .unwrap();
    assert_eq!(
        sampler.last_seen_date_time.as_deref(),
        Some("2024-01-02T03:04:05Z")
    );
}

#[test]
fn the_serde_model_reads_the_same_bodies() {
    let assignment: serde_model::DeviceConfigurationAssignment = serde_json::from_value(json!({
        "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
        "id": "a-1",
        "target": group_target("include")
    }))
    .unwrap();
    let Some(serde_model::DeviceAndAppManagementAssignmentTargetKind::Group(group)) =
        assignment.target
    else {
        panic!("a group target");
    };
    assert_eq!(group.group_id.as_deref(), Some("g-1"));
    assert_eq!(
        serde_json::to_value(&group.base).unwrap(),
        json!({"deviceAndAppManagementAssignmentFilterId": "f-1", "deviceAndAppManagementAssignmentFilterType": "include"})
    );
}

/// Decodes `body`, which has no `@odata.type` (Graph leaves it out where an object is of
/// the declared type), and checks that it encodes back to the same JSON, every object now
/// with its type and the outer one with `odata_type`: nothing is lost.
fn round_trip_untyped<T: Serialize + DeserializeOwned>(body: Value, odata_type: &str) -> T {
    fn without_types(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.shift_remove("@odata.type");
                map.values_mut().for_each(without_types);
            }
            Value::Array(items) => items.iter_mut().for_each(without_types),
            _ => {}
        }
    }
    let decoded: T = serde_json::from_value(body.clone()).unwrap();
    let mut encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(encoded["@odata.type"], odata_type);
    without_types(&mut encoded);
    assert_eq!(encoded, body);
    decoded
}

fn the_user(kind: &UserKind) -> &User {
    match kind {
        UserKind::User(user) => user,
        other => panic!("a user without `@odata.type` is a `User`: {other:?}"),
    }
}

#[test]
fn the_default_subset_of_users_decodes_without_its_non_nullable_properties() {
    // `GET /users`: no `@odata.type`, and none of `assignedLicenses`,
    // `deviceEnrollmentLimit` or `hireDate`, which the schema marks `Nullable="false"`.
    let page: graph_resource::Page<UserKind> = serde_json::from_value(json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
        "value": [
            {"businessPhones": [], "displayName": "Conf Room Adams", "id": "u-1"},
            {"businessPhones": ["+1 425 555 0109"], "displayName": "Adele Vance", "id": "u-2"}
        ]
    }))
    .unwrap();
    let users: Vec<&User> = page.items.iter().map(the_user).collect();
    assert_eq!(users[0].business_phones, Some(Vec::new()));
    assert_eq!(users[0].assigned_licenses, None);
    assert_eq!(users[0].device_enrollment_limit, None);
    assert_eq!(users[1].base.id.as_deref(), Some("u-2"));

    let user: UserKind = round_trip_untyped(
        json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
            "businessPhones": ["+1 425 555 0109"],
            "displayName": "Adele Vance",
            "id": "u-2"
        }),
        "#microsoft.graph.user",
    );
    assert_eq!(
        the_user(&user).business_phones.as_deref(),
        Some(&["+1 425 555 0109".to_owned()][..])
    );
}

#[test]
fn a_select_answer_decodes_with_only_what_it_names() {
    let user: UserKind = round_trip_untyped(
        json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(assignedLicenses)/$entity",
            "assignedLicenses": [{
                "disabledPlans": [],
                "skuId": "b05e124f-c7cc-45a0-a6aa-8cf78c946968"
            }]
        }),
        "#microsoft.graph.user",
    );
    let user = the_user(&user);
    assert_eq!(user.base.id, None);
    assert_eq!(user.display_name, None);
    let licenses = user.assigned_licenses.as_deref().unwrap_or_default();
    assert_eq!(
        licenses[0].sku_id.map(|id| id.to_string()).as_deref(),
        Some("b05e124f-c7cc-45a0-a6aa-8cf78c946968")
    );
}

#[test]
fn a_derived_type_names_itself_and_its_concrete_base_needs_no_type() {
    let agent: UserKind = round_trip(json!({
        "@odata.type": "#microsoft.graph.agentUser",
        "id": "u-3",
        "displayName": "Helper",
        "agentIdentityBlueprintId": "b-1"
    }));
    let UserKind::Agent(agent) = agent else {
        panic!("an agent user: {agent:?}");
    };
    assert_eq!(agent.agent_identity_blueprint_id.as_deref(), Some("b-1"));
    assert_eq!(agent.base.display_name.as_deref(), Some("Helper"));
    // The type after the properties, as some services write it.
    let agent: UserKind =
        serde_json::from_value(json!({"id": "u-3", "@odata.type": "microsoft.graph.agentUser"}))
            .unwrap();
    assert!(matches!(agent, UserKind::Agent(_)));
    let user: UserKind = serde_json::from_value(json!({"id": "u-4"})).unwrap();
    assert_eq!(the_user(&user).base.id.as_deref(), Some("u-4"));
}

#[test]
fn collection_items_are_nullable_unless_the_schema_says_otherwise() {
    let user: User = round_trip(json!({
        "@odata.type": "#microsoft.graph.user",
        "imAddresses": [null, "sip:adele@contoso.com"],
        "businessPhones": ["+1 425 555 0109"]
    }));
    assert_eq!(
        user.im_addresses,
        Some(vec![None, Some("sip:adele@contoso.com".to_owned())])
    );
    // `Nullable="false"` on a collection: its items are never null.
    let error = serde_json::from_value::<User>(json!({"businessPhones": [null]})).unwrap_err();
    assert!(error.to_string().contains("invalid type: null"), "{error}");
}

#[test]
fn a_body_writes_what_was_set_and_an_empty_collection_is_set() {
    let changes = User {
        display_name: Some("Adele".into()),
        business_phones: Some(Vec::new()),
        ..User::default()
    };
    assert_eq!(
        serde_json::to_value(&changes).unwrap(),
        json!({"@odata.type": "#microsoft.graph.user", "displayName": "Adele", "businessPhones": []})
    );
    assert_eq!(
        serde_json::to_value(User::default()).unwrap(),
        json!({"@odata.type": "#microsoft.graph.user"})
    );
}

#[test]
fn a_date_time_without_offset_is_utc() {
    let user: User = serde_json::from_value(json!({"hireDate": "2018-01-01T00:00:00"})).unwrap();
    assert_eq!(
        user.hire_date.map(|t| t.to_rfc3339()).as_deref(),
        Some("2018-01-01T00:00:00+00:00")
    );
    // Written back with its offset; a date-time with another offset is the same instant.
    assert_eq!(
        serde_json::to_value(&user).unwrap()["hireDate"],
        "2018-01-01T00:00:00Z"
    );
    let user: User =
        serde_json::from_value(json!({"hireDate": "2017-12-31T16:00:00-08:00"})).unwrap();
    assert_eq!(
        user.hire_date.map(|t| t.to_rfc3339()).as_deref(),
        Some("2018-01-01T00:00:00+00:00")
    );
    let error = serde_json::from_value::<User>(json!({"hireDate": "January"})).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("input contains invalid characters"),
        "{error}"
    );
}

#[test]
fn a_stream_property_is_content_and_never_fails_a_decode() {
    // Present as its media annotations, kept and written back; or absent.
    let application: Application = round_trip_untyped(
        json!({
            "id": "a-1",
            "displayName": "Contoso",
            "logo@odata.mediaReadLink": "https://graph.microsoft.com/v1.0/applications/a-1/logo",
            "logo@odata.mediaContentType": "image/png",
            "tags": []
        }),
        "#microsoft.graph.application",
    );
    assert_eq!(
        application.base.additional_data["logo@odata.mediaContentType"],
        "image/png"
    );
    let application: Application =
        round_trip_untyped(json!({"id": "a-2"}), "#microsoft.graph.application");
    assert_eq!(application.tags, None);
}

#[test]
fn unknown_annotations_and_newer_properties_are_kept() {
    let application: Application = round_trip_untyped(
        json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications/$entity",
            "@microsoft.graph.tips": "Use $select to choose only the properties your app needs",
            "id": "a-1",
            "nativeAuthenticationApisEnabled": "all",
            "displayName": "Contoso"
        }),
        "#microsoft.graph.application",
    );
    let kept = &application.base.additional_data;
    assert_eq!(kept["nativeAuthenticationApisEnabled"], "all");
    assert!(kept.contains_key("@microsoft.graph.tips"));
    // A complex type that is not open has no room for them, and reads all the same.
    let license: AssignedLicense =
        serde_json::from_value(json!({"skuId": null, "futureProperty": {"a": [1]}})).unwrap();
    assert_eq!(license, AssignedLicense::default());
}

#[tokio::test(flavor = "current_thread")]
async fn an_entity_carries_its_etag_and_id_and_the_etag_goes_to_if_match() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(
        200,
        json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications/$entity",
            "@odata.etag": "W/\"JzEtQXBwbGljYXRpb24=\"",
            "@odata.id": "https://graph.microsoft.com/v2/t-1/directoryObjects/a-1/Microsoft.DirectoryServices.Application",
            "id": "a-1",
            "displayName": "Contoso"
        }),
    ));
    mock.push(MockResponse::new(204));
    let client = mock.client_builder().build().unwrap();

    let application = Application::get(&client, "a-1").await.unwrap();
    let entity = &application.base;
    assert_eq!(
        entity.odata_etag.as_deref(),
        Some("W/\"JzEtQXBwbGljYXRpb24=\"")
    );
    assert!(entity.odata_id.as_deref().is_some_and(|id| {
        id.ends_with("/directoryObjects/a-1/Microsoft.DirectoryServices.Application")
    }));
    // The annotations are fields, not left-over properties.
    assert!(!entity.additional_data.contains_key("@odata.etag"));

    let changes = Application {
        display_name: Some("Contoso (retired)".into()),
        ..Application::default()
    };
    let etag = entity.odata_etag.as_deref().unwrap_or_default();
    Application::update(&client, "a-1", &changes)
        .if_match(etag)
        .await
        .unwrap();
    let requests = mock.requests();
    assert_eq!(
        requests[1].header("if-match"),
        Some("W/\"JzEtQXBwbGljYXRpb24=\"")
    );
    assert_eq!(
        requests[1].body_json().unwrap(),
        json!({"@odata.type": "#microsoft.graph.application", "displayName": "Contoso (retired)"})
    );
}

#[tokio::test(flavor = "current_thread")]
async fn navigation_casts_and_entry_points_reach_a_type_at_each_of_its_paths() {
    let mock = MockTransport::new();
    let message = |id: &str| json!({"id": id, "subject": "Hello"});
    mock.push(MockResponse::json(201, message("m-1")));
    mock.push(MockResponse::json(200, json!({"value": [message("m-2")]})));
    mock.push(MockResponse::json(200, json!({"value": [message("m-3")]})));
    mock.push(MockResponse::json(
        200,
        json!({"value": [{"@odata.type": "#microsoft.graph.agentUser", "id": "u-4", "agentIdentityBlueprintId": "b-1"}]}),
    ));
    mock.push(MockResponse::json(
        200,
        json!({"id": "u-2", "displayName": "Boss"}),
    ));
    mock.push(MockResponse::json(
        200,
        json!({"value": [{"id": "a-1", "target": group_target("include")}]}),
    ));
    let client = mock.client_builder().build().unwrap();

    // The first path is the type's own: `create` with its key.
    let draft = Message {
        subject: Some("Hello".into()),
        ..Default::default()
    };
    Message::create(&client, "u-1", &draft).await.unwrap();
    // The others through entry points and navigation steps, with the same model.
    let mine = me(&client).to(User::MESSAGES).list().await.unwrap();
    assert_eq!(mine.items[0].base.id.as_deref(), Some("m-2"));
    let filed = users(&client)
        .id("u-1")
        .to(User::MAIL_FOLDERS)
        .id("inbox")
        .to(MailFolder::MESSAGES)
        .list()
        .await
        .unwrap();
    assert_eq!(filed.items[0].subject.as_deref(), Some("Hello"));
    // A related, polymorphic collection cast to a derived type.
    let agents = users(&client)
        .id("u-1")
        .to(User::DIRECT_REPORTS)
        .cast::<AgentUser>()
        .list()
        .await
        .unwrap();
    assert_eq!(
        agents.items[0].agent_identity_blueprint_id.as_deref(),
        Some("b-1")
    );
    // A single-valued navigation: a user without `@odata.type` is a `User`.
    let manager = users(&client)
        .id("u-1")
        .to(User::MANAGER)
        .get()
        .await
        .unwrap();
    assert_eq!(the_user(&manager).display_name.as_deref(), Some("Boss"));
    // Contained navigation from a singleton, through the polymorphic enum's base.
    let assignments = device_management(&client)
        .to(DeviceManagement::DEVICE_CONFIGURATIONS)
        .id("c-1")
        .to(DeviceConfiguration::ASSIGNMENTS)
        .list()
        .await
        .unwrap();
    assert_eq!(assignments.items[0].base.id.as_deref(), Some("a-1"));

    let requests = mock.requests();
    let sent: Vec<(String, String)> = requests
        .iter()
        .map(|r| (r.method.to_string(), r.uri.to_string()))
        .collect();
    let base = "https://graph.microsoft.com/v1.0";
    let expected = [
        ("POST", "/users/u-1/messages"),
        ("GET", "/me/messages"),
        ("GET", "/users/u-1/mailFolders/inbox/messages"),
        ("GET", "/users/u-1/directReports/microsoft.graph.agentUser"),
        ("GET", "/users/u-1/manager"),
        (
            "GET",
            "/deviceManagement/deviceConfigurations/c-1/assignments",
        ),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(method, path)| ((*method).to_owned(), format!("{base}{path}")))
        .collect();
    assert_eq!(sent, expected);
    assert_eq!(
        requests[0].body_json().unwrap(),
        json!({"@odata.type": "#microsoft.graph.message", "subject": "Hello"})
    );
}
