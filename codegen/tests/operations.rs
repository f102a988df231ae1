//! The generated operations compiled and called: actions with and without a body, on an
//! entity and on the collection, answering nothing, an entity, a page, a complex value and values;
//! functions with overloads, quoted strings, dates, enums, date-times and GUIDs, answering
//! bytes, values and pages; an alternate key; entry points. Paths and bodies are asserted
//! exactly as sent.

use graph_resource::{Date, DateTimeOffset, Guid, MockResponse, MockTransport};
use serde_json::json;

// A model is a library: not every item is used here.
#[allow(dead_code)]
mod operations {
    include!("golden/operations.rs");
}

use operations::*;

const BASE: &str = "https://graph.microsoft.com/v1.0";

/// The method and the URI after the base of each request `mock` received.
fn sent(mock: &MockTransport) -> Vec<(String, String)> {
    mock.requests()
        .iter()
        .map(|r| {
            let uri = r.uri.to_string();
            let path = uri.strip_prefix(BASE).unwrap_or(&uri).to_owned();
            (r.method.to_string(), path)
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(method, path)| ((*method).to_owned(), (*path).to_owned()))
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn actions_send_their_bodies_and_read_their_answers() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(204));
    mock.push(MockResponse::new(204));
    mock.push(MockResponse::new(204));
    mock.push(MockResponse::json(
        200,
        json!({"id": "d-2", "deviceName": "Copy"}),
    ));
    mock.push(MockResponse::json(
        200,
        json!({"value": [{"id": "a-1", "target": "all"}]}),
    ));
    mock.push(MockResponse::json(
        200,
        json!({"value": [{"deviceId": "d-1", "succeeded": true}]}),
    ));
    // One complex value is the object itself, beside its context (OData's JSON format).
    mock.push(MockResponse::json(
        200,
        json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.bulkResult",
            "deviceId": "d-1",
            "succeeded": false
        }),
    ));
    let client = mock.client_builder().build().unwrap();

    let device = || ManagedDevice::at(&client, "d-1");
    device()
        .call(ManagedDevice::SYNC_DEVICE, &())
        .await
        .unwrap();
    // `retire` is also a field: the action's constant says what it is.
    device()
        .call(ManagedDevice::RETIRE_ACTION, &())
        .await
        .unwrap();
    let wipe = ManagedDeviceWipeBody {
        keep_enrollment_data: Some(true),
        mac_os_unlock_code: Some("1234".into()),
        ..Default::default()
    };
    device().call(ManagedDevice::WIPE, &wipe).await.unwrap();
    let copy = ManagedDeviceCopyBody {
        device_name: Some("Copy".into()),
    };
    let copied = device().call(ManagedDevice::COPY, &copy).await.unwrap();
    assert_eq!(copied.device_name.as_deref(), Some("Copy"));
    let assign = ManagedDeviceAssignBody {
        assignments: Some(vec![DeviceAssignment {
            target: Some("all".into()),
            ..Default::default()
        }]),
    };
    let assigned = device().call(ManagedDevice::ASSIGN, &assign).await.unwrap();
    assert_eq!(assigned.items[0].base.id.as_deref(), Some("a-1"));
    let execute = ManagedDeviceExecuteActionBody {
        device_ids: Some(vec!["d-1".into()]),
    };
    let results = managed_devices(&client)
        .call(ManagedDevice::EXECUTE_ACTION, &execute)
        .await
        .unwrap();
    assert_eq!(results[0].succeeded, Some(true));
    let summary = device().call(ManagedDevice::SUMMARIZE, &()).await.unwrap();
    assert_eq!(summary.device_id.as_deref(), Some("d-1"));
    assert_eq!(summary.succeeded, Some(false));

    assert_eq!(
        sent(&mock),
        pairs(&[
            ("POST", "/managedDevices/d-1/syncDevice"),
            ("POST", "/managedDevices/d-1/retire"),
            ("POST", "/managedDevices/d-1/wipe"),
            ("POST", "/managedDevices/d-1/copy"),
            ("POST", "/managedDevices/d-1/assign"),
            ("POST", "/managedDevices/executeAction"),
            ("POST", "/managedDevices/d-1/summarize"),
        ])
    );
    let requests = mock.requests();
    assert!(requests[0].body.is_empty());
    assert!(requests[1].body.is_empty());
    assert!(requests[6].body.is_empty());
    // Parameter bodies carry no `@odata.type`; the entities inside them do.
    let bodies: Vec<serde_json::Value> = requests[2..6]
        .iter()
        .map(|r| r.body_json().unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            json!({"keepEnrollmentData": true, "macOsUnlockCode": "1234"}),
            json!({"deviceName": "Copy"}),
            json!({"assignments": [{"@odata.type": "#microsoft.graph.deviceAssignment", "target": "all"}]}),
            json!({"deviceIds": ["d-1"]}),
        ]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn functions_write_their_parameters_as_literals() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(200).body("Report Refresh Date\n"));
    mock.push(MockResponse::new(200).body("Report Refresh Date\n"));
    mock.push(MockResponse::json(200, json!({"value": ["app-1"]})));
    mock.push(MockResponse::json(
        200,
        json!({"value": [{"subject": "Call"}]}),
    ));
    mock.push(MockResponse::json(200, json!({"value": 3})));
    mock.push(MockResponse::json(200, json!({"value": 7})));
    mock.push(MockResponse::json(200, json!({"value": [{"id": "d-3"}]})));
    mock.push(MockResponse::json(200, json!({"value": [{"id": "d-4"}]})));
    let client = mock.client_builder().build().unwrap();

    let csv = reports(&client)
        .call_function(ReportRoot::get_office365_active_user_detail_with_period(
            "D7",
        ))
        .await
        .unwrap();
    assert_eq!(csv, "Report Refresh Date\n");
    let date = Date::new("2024-02-29").unwrap();
    reports(&client)
        .call_function(ReportRoot::get_office365_active_user_detail_with_date(date))
        .await
        .unwrap();
    let since = DateTimeOffset::new("2024-01-01T00:00:00Z").unwrap();
    let tenant = Guid::new("5b4c1e0a-9d2f-4c3b-8a71-0e6f2d9c4b18").unwrap();
    let apps = reports(&client)
        .call_function(ReportRoot::get_apps_by_kind(AppKind::Web, since, tenant))
        .await
        .unwrap();
    assert_eq!(apps, ["app-1"]);
    let reminders = reports(&client)
        .call_function(ReportRoot::reminder_view("o'clock", "later"))
        .await
        .unwrap();
    assert_eq!(reminders[0].subject.as_deref(), Some("Call"));
    let device = ManagedDevice::at(&client, "d-1");
    let count = device
        .call_function(ManagedDevice::active_count())
        .await
        .unwrap();
    assert_eq!(count, 3);
    let all = managed_devices(&client)
        .call_function(ManagedDevice::active_count_on_collection())
        .await
        .unwrap();
    assert_eq!(all, 7);
    let found = managed_devices(&client)
        .call_function(ManagedDevice::find_by_name("pc"))
        .await
        .unwrap();
    assert_eq!(found.items[0].base.id.as_deref(), Some("d-3"));
    let changed = ManagedDevice::at(&client, "d-1")
        .call_function(ManagedDevice::delta_function("t-1"))
        .await
        .unwrap();
    assert_eq!(changed.items[0].base.id.as_deref(), Some("d-4"));

    assert_eq!(
        sent(&mock),
        pairs(&[
            ("GET", "/reports/getOffice365ActiveUserDetail(period='D7')"),
            (
                "GET",
                "/reports/getOffice365ActiveUserDetail(date=2024-02-29)"
            ),
            // The segment is percent-encoded: `:` of the date-time too.
            (
                "GET",
                "/reports/getAppsByKind(kind='web',since=2024-01-01T00%3A00%3A00Z,tenantId=5b4c1e0a-9d2f-4c3b-8a71-0e6f2d9c4b18)"
            ),
            (
                "GET",
                "/reports/reminderView(StartDateTime='o''clock',EndDateTime='later')"
            ),
            ("GET", "/managedDevices/d-1/activeCount()"),
            ("GET", "/managedDevices/activeCount()"),
            ("GET", "/managedDevices/findByName(name='pc')"),
            ("GET", "/managedDevices/d-1/delta(token='t-1')"),
        ])
    );
}

#[tokio::test(flavor = "current_thread")]
async fn an_alternate_key_addresses_an_entity_of_the_collection() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(
        200,
        json!({"id": "app-1", "appId": "o'k"}),
    ));
    let client = mock.client_builder().build().unwrap();
    let application = Application::by_app_id(&client, "o'k").get().await.unwrap();
    assert_eq!(application.app_id.as_deref(), Some("o'k"));
    assert_eq!(
        sent(&mock),
        pairs(&[("GET", "/applications(appId='o''k')")])
    );
}
