//! The operation of the seed page, end to end through the public API: POST
//! `/deviceManagement/intents/{deviceManagementIntentId}/assignments`, `201 Created`.

use std::sync::Arc;

use graph_resource::{
    Client, Created, Error, MockResponse, MockTransport, UntypedResource, graph_resource,
};
use serde_json::{Value, json};

#[graph_resource(path = "/deviceManagement/intents/{deviceManagementIntentId}/assignments")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
    pub target: Option<UntypedResource>,
}

/// The request body of the seed page's example.
const SEED_REQUEST: &str = r##"{
  "@odata.type": "#microsoft.graph.deviceManagementIntentAssignment",
  "target": {
    "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"
  }
}"##;

/// The response body of the seed page's example.
const SEED_RESPONSE: &str = r##"{
  "@odata.type": "#microsoft.graph.deviceManagementIntentAssignment",
  "id": "4c63bff1-bff1-4c63-f1bf-634cf1bf634c",
  "target": {
    "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"
  }
}"##;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn seed_request() -> DeviceManagementIntentAssignment {
    DeviceManagementIntentAssignment {
        id: None,
        target: Some(UntypedResource::new(
            "microsoft.graph.deviceAndAppManagementAssignmentTarget",
        )),
    }
}

fn client(mock: &MockTransport) -> Client {
    Client::builder()
        .base_url("https://graph.microsoft.com/beta")
        .bearer_token("seed-token")
        .transport(Arc::new(mock.clone()))
        .build()
        .unwrap()
}

#[test]
fn the_seed_request_and_response_round_trip() {
    for body in [SEED_REQUEST, SEED_RESPONSE] {
        let decoded: DeviceManagementIntentAssignment = serde_json::from_str(body).unwrap();
        let target = decoded.target.as_ref().unwrap();
        // The nested abstract type keeps its spelling, without `#`.
        assert_eq!(
            target.odata_type.as_deref(),
            Some("microsoft.graph.deviceAndAppManagementAssignmentTarget")
        );
        assert_eq!(serde_json::to_value(&decoded).unwrap(), json(body));
    }
    let response: DeviceManagementIntentAssignment = serde_json::from_str(SEED_RESPONSE).unwrap();
    assert_eq!(
        response.id.as_deref(),
        Some("4c63bff1-bff1-4c63-f1bf-634cf1bf634c")
    );
    assert_eq!(
        serde_json::to_value(seed_request()).unwrap(),
        json(SEED_REQUEST)
    );
}

#[tokio::test]
async fn create_sends_exactly_the_seed_request() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(201, json(SEED_RESPONSE)));
    let client = client(&mock);

    let created =
        DeviceManagementIntentAssignment::create(&client, "7c7e1a6b-intent", &seed_request())
            .await
            .unwrap();

    assert_eq!(
        created,
        Created::Entity(serde_json::from_str(SEED_RESPONSE).unwrap())
    );
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.method, http::Method::POST);
    assert_eq!(
        sent.uri.to_string(),
        "https://graph.microsoft.com/beta/deviceManagement/intents/7c7e1a6b-intent/assignments"
    );
    assert_eq!(sent.header("authorization"), Some("Bearer seed-token"));
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(sent.header("accept"), Some("application/json"));
    assert_eq!(sent.body_json().unwrap(), json(SEED_REQUEST));
}

#[tokio::test]
async fn keys_address_exactly_one_segment() {
    let cases = [
        ("a/b", "a%2Fb"),
        ("what?x=1", "what%3Fx%3D1"),
        ("frag#ment", "frag%23ment"),
        ("100%", "100%25"),
        ("with space", "with%20space"),
        ("zürich-日本", "z%C3%BCrich-%E6%97%A5%E6%9C%AC"),
        ("../..%2F", "..%2F..%252F"),
        ("~a-b_c.d", "~a-b_c.d"),
    ];
    for (key, encoded) in cases {
        let mock = MockTransport::new();
        mock.push(MockResponse::json(201, json(SEED_RESPONSE)));
        DeviceManagementIntentAssignment::create(&client(&mock), key, &seed_request())
            .await
            .unwrap();
        let uri = mock.requests()[0].uri.to_string();
        assert_eq!(
            uri,
            format!(
                "https://graph.microsoft.com/beta/deviceManagement/intents/{encoded}/assignments"
            ),
            "key {key:?}"
        );
        let path = uri
            .strip_prefix("https://graph.microsoft.com/beta")
            .unwrap();
        assert_eq!(
            path.split('/').count(),
            5,
            "key {key:?} must stay one segment: {path}"
        );
    }
}

#[tokio::test]
async fn empty_and_dot_keys_are_rejected_before_anything_is_sent() {
    for key in ["", ".", ".."] {
        let mock = MockTransport::new();
        mock.push(MockResponse::json(201, json(SEED_RESPONSE)));
        let error = DeviceManagementIntentAssignment::create(&client(&mock), key, &seed_request())
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::InvalidArgument(_)),
            "{key:?}: {error:?}"
        );
        assert!(
            error.to_string().contains("device_management_intent_id"),
            "{error}"
        );
        assert!(mock.requests().is_empty(), "{key:?} must not be sent");
    }
}

#[tokio::test]
async fn a_graph_error_is_readable_without_parsing_strings() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(
        400,
        json!({
            "error": {
                "code": "BadRequest",
                "message": "Resource not found for the segment 'intents'.",
                "innerError": {
                    "date": "2026-11-28T10:00:00",
                    "request-id": "b52b9e5d-5e8a-4d4a-9ab3-2f0d8a3c1c0e",
                    "client-request-id": "0f3e4c0a-1b2c-4d5e-8f90-a1b2c3d4e5f6"
                }
            }
        }),
    ));
    let error = DeviceManagementIntentAssignment::create(&client(&mock), "intent", &seed_request())
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status(), http::StatusCode::BAD_REQUEST);
    assert_eq!(api.code(), Some("BadRequest"));
    assert_eq!(
        api.message(),
        Some("Resource not found for the segment 'intents'.")
    );
    assert_eq!(
        api.request_id(),
        Some("b52b9e5d-5e8a-4d4a-9ab3-2f0d8a3c1c0e")
    );
    let inner = api.inner_error().unwrap();
    assert_eq!(
        inner.client_request_id(),
        Some("0f3e4c0a-1b2c-4d5e-8f90-a1b2c3d4e5f6")
    );
    assert_eq!(inner.date(), Some("2026-11-28T10:00:00"));
    assert_eq!(mock.requests().len(), 1, "a 400 is not retried");
}
