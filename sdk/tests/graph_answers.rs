//! The SDK's models read bodies shaped like Graph's answers for its paths and write them
//! back unchanged: default subsets and `$select` answers without the properties the schema
//! calls non-nullable, members pages mixing users, groups and devices, objects without
//! `@odata.type`, etags, date-times without an offset, and properties newer than the schema;
//! and an action's answer of one complex value, which Graph sends as the object itself.

use chrono::{TimeZone, Utc};
use graph_resource::{MockResponse, MockTransport};
use graph_resource_directory_devices::{
    Application, ApplicationAddPasswordBody, ComplianceState, DeviceActionResultKind,
    DeviceConfigurationKind, DirectoryObjectKind, Group, ManagedDevice, MobileAppKind,
    PasswordCredential, UserKind, applications,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes `body` as a `T` and checks that it encodes back to the same JSON, but for what
/// the models write by design: a `null` reads as an absent value and is not written back,
/// and each object names its type in `@odata.type`.
fn round_trip<T: Serialize + DeserializeOwned>(body: Value) -> T {
    fn normalized(value: &Value) -> Value {
        match value {
            Value::Object(members) => members
                .iter()
                .filter(|(name, value)| !value.is_null() && *name != "@odata.type")
                .map(|(name, value)| (name.clone(), normalized(value)))
                .collect(),
            Value::Array(items) => items.iter().map(normalized).collect(),
            other => other.clone(),
        }
    }
    let decoded: T = match serde_json::from_value(body.clone()) {
        Ok(decoded) => decoded,
        Err(error) => panic!("{body} does not decode: {error}"),
    };
    let written = serde_json::to_value(&decoded).unwrap();
    assert_eq!(normalized(&written), normalized(&body));
    decoded
}

#[test]
fn the_default_subset_of_users_is_a_page_of_users() {
    // `GET /users`: Graph's default subset, without `@odata.type`, `assignedLicenses` or
    // any other property the schema calls non-nullable.
    let user = json!({
        "businessPhones": [],
        "displayName": "Adele Vance",
        "givenName": "Adele",
        "jobTitle": null,
        "mail": "AdeleV@contoso.com",
        "mobilePhone": null,
        "officeLocation": "18/2111",
        "preferredLanguage": "en-US",
        "surname": "Vance",
        "userPrincipalName": "AdeleV@contoso.com",
        "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd"
    });
    let UserKind::User(adele) = round_trip::<UserKind>(user) else {
        panic!("a user without `@odata.type` is a `User`")
    };
    assert_eq!(adele.surname.as_deref(), Some("Vance"));
    assert_eq!(adele.business_phones, Some(vec![]));
    assert_eq!(adele.assigned_licenses, None);
}

#[test]
fn a_select_answer_with_an_etag_keeps_it_for_if_match() {
    // `GET /groups/{id}?$select=displayName,groupTypes`
    let group: Group = round_trip(json!({
        "@odata.etag": "W/\"JzEtR3JvdXAgIDEyMzQ1Njc4OTAn\"",
        "displayName": "Sales",
        "groupTypes": ["Unified"],
        "id": "02bd9fd6-8f93-4758-87c3-1fb73740a315"
    }));
    assert_eq!(
        group.base.base.odata_etag.as_deref(),
        Some("W/\"JzEtR3JvdXAgIDEyMzQ1Njc4OTAn\"")
    );
    assert_eq!(group.group_types, Some(vec!["Unified".to_owned()]));
    assert_eq!(group.mail_enabled, None);
}

#[test]
fn a_members_page_mixes_users_groups_devices_and_untyped_objects() {
    // `GET /groups/{id}/members`: each member names its type; a directory object without
    // one is the declared `directoryObject`, a type newer than the schema is kept as is.
    let members: Vec<DirectoryObjectKind> = round_trip(json!([
        {
            "@odata.type": "#microsoft.graph.user",
            "id": "u1",
            "businessPhones": ["+1 425 555 0109"],
            "displayName": "Adele Vance",
            "userPrincipalName": "AdeleV@contoso.com"
        },
        {
            "@odata.type": "#microsoft.graph.group",
            "id": "g1",
            "displayName": "Sales",
            "groupTypes": [],
            "securityEnabled": true
        },
        {
            "@odata.type": "#microsoft.graph.device",
            "id": "d1",
            "deviceId": "4c299165-6e8f-4b45-a5ba-c5d250a707ff",
            "displayName": "DESKTOP-1",
            "approximateLastSignInDateTime": "2024-01-05T10:00:00Z"
        },
        {"id": "o1", "deletedDateTime": null},
        {"@odata.type": "#microsoft.graph.someNewDirectoryObject", "id": "n1", "shape": "new"}
    ]));
    let [
        DirectoryObjectKind::User(user),
        DirectoryObjectKind::Group(group),
        DirectoryObjectKind::Device(device),
        DirectoryObjectKind::DirectoryObject(object),
        DirectoryObjectKind::Other(other),
    ] = members.as_slice()
    else {
        panic!("each member as its own type: {members:?}")
    };
    assert_eq!(user.display_name.as_deref(), Some("Adele Vance"));
    assert_eq!(group.security_enabled, Some(true));
    assert_eq!(
        device.approximate_last_sign_in_date_time,
        Some(Utc.with_ymd_and_hms(2024, 1, 5, 10, 0, 0).unwrap())
    );
    assert_eq!(object.base.id.as_deref(), Some("o1"));
    assert_eq!(
        other.odata_type.as_deref(),
        Some("#microsoft.graph.someNewDirectoryObject")
    );
}

#[test]
fn a_managed_device_with_offset_less_dates_and_newer_properties() {
    // Intune sends some date-times without an offset; they are UTC. A property newer than
    // the schema is kept and written back.
    let body = json!({
        "id": "d1",
        "deviceName": "DESKTOP-1",
        "complianceState": "compliant",
        "enrolledDateTime": "2024-03-01T08:30:00Z",
        "lastSyncDateTime": "2024-03-02T09:00:00",
        "managedDeviceNameFromTheFuture": "x"
    });
    let device: ManagedDevice = serde_json::from_value(body).unwrap();
    assert_eq!(device.compliance_state, Some(ComplianceState::Compliant));
    assert_eq!(
        device.last_sync_date_time,
        Some(Utc.with_ymd_and_hms(2024, 3, 2, 9, 0, 0).unwrap())
    );
    assert_eq!(
        device
            .base
            .additional_data
            .get("managedDeviceNameFromTheFuture"),
        Some(&json!("x"))
    );
    // Written back, the date-time carries its offset.
    let written = serde_json::to_value(&device).unwrap();
    assert_eq!(written["lastSyncDateTime"], "2024-03-02T09:00:00Z");
    assert_eq!(written["managedDeviceNameFromTheFuture"], "x");
}

#[test]
fn device_configurations_and_mobile_apps_are_read_as_their_derived_types() {
    let configuration: DeviceConfigurationKind = round_trip(json!({
        "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
        "id": "c1",
        "displayName": "Windows baseline",
        "version": 3,
        "passwordRequired": true
    }));
    let DeviceConfigurationKind::Windows10General(windows) = configuration else {
        panic!("a Windows 10 configuration")
    };
    assert_eq!(windows.password_required, Some(true));
    assert_eq!(windows.base.version, Some(3));

    let app: MobileAppKind = round_trip(json!({
        "@odata.type": "#microsoft.graph.webApp",
        "id": "a1",
        "displayName": "Portal",
        "appUrl": "https://portal.contoso.com",
        "useManagedBrowser": false
    }));
    assert!(matches!(app, MobileAppKind::Web(_)), "a web app: {app:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn add_password_reads_the_credential_graph_answers() {
    // `POST /applications/{id}/addPassword` answers the `passwordCredential` itself.
    let mock = MockTransport::new();
    mock.push(MockResponse::json(
        200,
        json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.passwordCredential",
            "customKeyIdentifier": null,
            "displayName": "Password friendly name",
            "endDateTime": "2021-09-09T19:50:29.3086381Z",
            "hint": "n5Q",
            "keyId": "f0b0b335-1d71-4883-8f98-567911bfdca6",
            "secretText": "[6gyXA5S20@MN+WRXAJ]I-TO7g1:h2P8",
            "startDateTime": "2019-09-09T19:50:29.3086381Z"
        }),
    ));
    let client = mock.client_builder().build().unwrap();
    let body = ApplicationAddPasswordBody {
        password_credential: Some(PasswordCredential {
            display_name: Some("Password friendly name".into()),
            ..Default::default()
        }),
    };
    let credential = applications(&client)
        .id("a1")
        .call(Application::ADD_PASSWORD, &body)
        .await
        .unwrap();
    assert_eq!(credential.hint.as_deref(), Some("n5Q"));
    assert_eq!(
        credential.secret_text.as_deref(),
        Some("[6gyXA5S20@MN+WRXAJ]I-TO7g1:h2P8")
    );
}

#[test]
fn a_managed_device_as_intune_documents_it_names_types_without_a_hash() {
    // Intune's answers name the entity's own type, and name types without the leading `#`.
    let device: ManagedDevice = serde_json::from_value(json!({
        "@odata.type": "#microsoft.graph.managedDevice",
        "id": "d1",
        "deviceActionResults": [
            {
                "@odata.type": "microsoft.graph.deviceActionResult",
                "actionName": "Action Name value",
                "actionState": "pending",
                "startDateTime": "2016-12-31T23:58:46.7156189-08:00",
                "lastUpdatedDateTime": "2017-01-01T00:00:56.8321556-08:00"
            },
            {
                "@odata.type": "microsoft.graph.locateDeviceActionResult",
                "actionName": "locateDevice",
                "deviceLocation": {"latitude": 47.6, "longitude": -122.3}
            }
        ],
        "deviceHealthAttestationState": {
            "@odata.type": "microsoft.graph.deviceHealthAttestationState",
            "lastUpdateDateTime": "Last Update Date Time value"
        }
    }))
    .unwrap();
    let results = device.device_action_results.unwrap();
    assert!(
        matches!(
            results.as_slice(),
            [
                Some(DeviceActionResultKind::DeviceActionResult(_)),
                Some(DeviceActionResultKind::Locate(_))
            ]
        ),
        "{results:?}"
    );
}
