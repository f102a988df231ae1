//! Bound actions, functions and alternate keys declared on their types, end to end: bodies
//! (a parameter body without `@odata.type`), answers (a collection, nothing, `202
//! Accepted`, bytes behind a redirect), parameters as OData literals, and an action in a
//! `$batch`, through the mock transport and through reqwest against local servers.

#[path = "support/http_server.rs"]
mod http_server;

use std::sync::Arc;
use std::time::Duration;

use graph_resource::{
    Bytes, Client, Date, DateTimeOffset, Entity, EntityPath, Error, MockResponse, MockTransport,
    Page, RecordingSleep, ValueOf, WithResponse, graph_resource,
};
use http_server::{Reply, TestServer};
use serde::Serialize;
use serde_json::json;

#[graph_resource(
    path = "/deviceManagement/deviceConfigurations",
    actions(assign(AssignBody) -> Page<DeviceConfigurationAssignment>),
)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceConfiguration {
    pub id: Option<String>,
    pub display_name: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceConfigurationAssignment {
    pub id: Option<String>,
}

#[graph_resource(
    path = "/deviceManagement/managedDevices",
    actions(sync_device, wipe(serde_json::Value) -> WithResponse<()>),
    functions(
        app_diagnostics(
            #[name = "upn"] user: &str,
            since: Date,
            state: ManagementState,
            at: DateTimeOffset,
        ) -> Entity<serde_json::Value>,
    ),
)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ManagedDevice {
    pub id: Option<String>,
    pub management_state: Option<ManagementState>,
}

#[graph_resource]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ManagementState {
    Managed,
    RetirePending,
}

#[graph_resource(
    path = "/groups",
    actions(
        #[collection] validate_properties(serde_json::Value),
        #[collection] #[name = "getByIds"] by_ids(IdsBody) -> Page<Group>,
    ),
    functions(#[collection] #[name = "delta"] changes() -> Page<Self>, #[collection] count_deleted() -> ValueOf<u64>),
    alternate_keys(uniqueName),
)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    pub id: Option<String>,
    #[graph(navigation)]
    pub members: Option<Vec<Group>>,
}

#[graph_resource(functions(get_office365_active_user_detail(period: &str) -> Bytes))]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportRoot {
    pub id: Option<String>,
}

/// The body of `assign`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignBody {
    pub assignments: Vec<serde_json::Value>,
}

/// The body of `getByIds`: a parameter body, without `@odata.type`.
#[graph_resource(parameters)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdsBody {
    pub ids: Vec<String>,
    pub types: Option<Vec<String>>,
    pub first_assignment: Option<DeviceConfigurationAssignment>,
}

impl ReportRoot {
    fn root(client: &Client) -> EntityPath<Self> {
        EntityPath::root(client, "/reports")
    }
}

const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);

/// A client of base URL `{server}/v1.0` whose retry delays are recorded, not waited.
fn client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1.0", server.url()))
        .bearer_token("local-test-token")
        .timeout(ATTEMPT_TIMEOUT)
        .sleep(Arc::new(RecordingSleep::new().passing(ATTEMPT_TIMEOUT)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_action_posts_its_typed_body_and_reads_a_collection() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        r#"{"value": [{"id": "a1"}, {"id": "a2"}]}"#,
    )])
    .await;
    let client = client(&server);
    let body = AssignBody {
        assignments: vec![json!({"target": {"groupId": "g1"}})],
    };
    let page = DeviceConfiguration::at(&client, "c1")
        .call(DeviceConfiguration::ASSIGN, &body)
        .await
        .unwrap();
    let ids: Vec<_> = page.items.iter().map(|a| a.id.as_deref()).collect();
    assert_eq!(ids, [Some("a1"), Some("a2")]);
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.target,
        "/v1.0/deviceManagement/deviceConfigurations/c1/assign"
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json(),
        json!({"assignments": [{"target": {"groupId": "g1"}}]})
    );
}

#[tokio::test]
async fn an_action_without_parameters_sends_no_body_and_reads_no_content() {
    let server = TestServer::scripted(vec![Reply::json(204, "")]).await;
    let client = client(&server);
    ManagedDevice::at(&client, "d1")
        .call(ManagedDevice::SYNC_DEVICE, &())
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.target,
        "/v1.0/deviceManagement/managedDevices/d1/syncDevice"
    );
    assert!(request.body.is_empty(), "{:?}", request.body);
}

#[tokio::test]
async fn an_action_answering_accepted_gives_the_status_and_location() {
    let location = "https://graph.microsoft.com/v1.0/operations/o1";
    let server =
        TestServer::scripted(vec![Reply::json(202, "").header("Location", location)]).await;
    let client = client(&server);
    let accepted = ManagedDevice::at(&client, "d1")
        .call(ManagedDevice::WIPE, &json!({"keepUserData": true}))
        .await
        .unwrap();
    assert_eq!(accepted.status(), 202);
    assert_eq!(accepted.location(), Some(location));
    assert_eq!(server.requests()[0].json(), json!({"keepUserData": true}));
}

#[tokio::test]
async fn a_collection_bound_action_posts_to_the_collection() {
    let server = TestServer::scripted(vec![Reply::json(204, "")]).await;
    let client = client(&server);
    Group::collection(&client)
        .call(Group::VALIDATE_PROPERTIES, &json!({"displayName": "x"}))
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/v1.0/groups/validateProperties"
    );
}

#[tokio::test]
async fn function_parameters_reach_the_server_as_odata_literals() {
    let server = TestServer::scripted(vec![Reply::json(200, r#"{"id": "r1"}"#)]).await;
    let client = client(&server);
    let function = ManagedDevice::app_diagnostics(
        "o'brien@contoso.com",
        Date::new("2024-02-29").unwrap(),
        ManagementState::RetirePending,
        DateTimeOffset::new("2024-02-29T13:45:00+02:00").unwrap(),
    );
    let answer = ManagedDevice::at(&client, "d1")
        .call_function(function)
        .await
        .unwrap();
    assert_eq!(answer, json!({"id": "r1"}));
    let request = &server.requests()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.decoded_target(),
        "/v1.0/deviceManagement/managedDevices/d1/appDiagnostics(upn='o''brien@contoso.com',\
         since=2024-02-29,state='retirePending',at=2024-02-29T13:45:00+02:00)"
    );
    assert!(
        request
            .target
            .contains("at=2024-02-29T13%3A45%3A00%2B02%3A00)"),
        "`+` is encoded, so no server reads it as a space: {}",
        request.target
    );
}

#[tokio::test]
async fn a_report_follows_its_redirect_to_another_origin_without_the_token() {
    let storage = TestServer::scripted(vec![Reply::with_type(
        200,
        "application/octet-stream",
        "Report Refresh Date,User Principal Name\n2024-02-29,a@contoso.com\n",
    )])
    .await;
    let csv_url = format!("{}/reports/data.csv?sig=pre-authenticated", storage.url());
    let graph = TestServer::scripted(vec![Reply::json(302, "").header("Location", &csv_url)]).await;
    let client = client(&graph);
    let csv = ReportRoot::root(&client)
        .call_function(ReportRoot::get_office365_active_user_detail("D7"))
        .await
        .unwrap();
    assert_eq!(
        csv,
        "Report Refresh Date,User Principal Name\n2024-02-29,a@contoso.com\n"
    );
    let asked = &graph.requests()[0];
    assert_eq!(
        asked.decoded_target(),
        "/v1.0/reports/getOffice365ActiveUserDetail(period='D7')"
    );
    assert_eq!(
        asked.header("authorization"),
        Some("Bearer local-test-token")
    );
    let redirected = &storage.requests()[0];
    assert_eq!(redirected.target, "/reports/data.csv?sig=pre-authenticated");
    assert_eq!(redirected.header("authorization"), None);
    assert_eq!(
        redirected.header("client-request-id"),
        None,
        "the client follows the redirect, with none of the request's headers"
    );
}

/// A mock client: the mock transport does not follow redirects, so the client does.
fn mock_client() -> (Client, MockTransport) {
    let mock = MockTransport::new();
    let client = mock.client_builder().build().unwrap();
    (client, mock)
}

#[tokio::test]
async fn the_client_follows_a_report_redirect_with_none_of_the_request_headers() {
    let (client, mock) = mock_client();
    let csv_url = "https://reportsncu.office.com/data.csv?sig=s";
    mock.push(MockResponse::new(302).header("Location", csv_url));
    mock.push(MockResponse::new(200).body("a,b\n"));
    let csv = ReportRoot::root(&client)
        .call_function(ReportRoot::get_office365_active_user_detail("D7"))
        .header("Prefer", "graph-only")
        .await
        .unwrap();
    assert_eq!(csv, "a,b\n");
    let requests = mock.requests();
    let (asked, redirected) = (&requests[0], &requests[1]);
    assert!(asked.headers.contains_key("authorization"));
    assert_eq!(redirected.method, "GET");
    assert_eq!(redirected.uri, csv_url);
    assert!(
        redirected.headers.is_empty(),
        "no Graph header goes to the other origin: {:?}",
        redirected.headers
    );
}

#[tokio::test]
async fn a_redirect_loop_too_many_redirects_or_a_missing_location_is_an_error() {
    let (client, mock) = mock_client();
    let graph_url =
        "https://graph.microsoft.com/v1.0/reports/getOffice365ActiveUserDetail(period='D7')";
    mock.push(MockResponse::new(302).header("Location", "https://storage.example/a"));
    mock.push(MockResponse::new(302).header("Location", graph_url));
    let report = || {
        ReportRoot::root(&client).call_function(ReportRoot::get_office365_active_user_detail("D7"))
    };
    let error = report().await.unwrap_err().to_string();
    assert!(error.contains("a redirect loop"), "{error}");

    mock.push(MockResponse::new(302));
    let error = report().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let error = error.to_string();
    assert!(error.contains("has no `Location` header"), "{error}");

    for hop in 0..11 {
        let next = format!("https://storage.example/{hop}");
        mock.push(MockResponse::new(302).header("Location", next.as_str()));
    }
    let error = report().await.unwrap_err().to_string();
    assert!(error.contains("more than 10 redirects"), "{error}");
    assert_eq!(mock.requests().len(), 3 + 11, "ten hops followed, no more");
}

#[tokio::test]
async fn a_function_without_parameters_answering_a_value_reads_it_from_value() {
    let (client, mock) = mock_client();
    mock.push(MockResponse::json(
        200,
        json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Edm.Int64", "value": 42}),
    ));
    mock.push(MockResponse::json(200, json!({"count": 42})));
    let count = || Group::collection(&client).call_function(Group::count_deleted());
    assert_eq!(count().await.unwrap(), 42);
    assert_eq!(
        mock.requests()[0].uri,
        "https://graph.microsoft.com/v1.0/groups/countDeleted()"
    );
    let error = count().await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(
        error.to_string().contains("missing field `value`"),
        "{error}"
    );
}

#[tokio::test]
async fn a_report_in_a_batch_is_refused_before_anything_is_sent() {
    let (client, mock) = mock_client();
    mock.push(MockResponse::json(
        200,
        json!({"responses": [{"id": "2", "status": 204}]}),
    ));
    let mut batch = client.batch();
    let report = batch.add(
        ReportRoot::root(&client).call_function(ReportRoot::get_office365_active_user_detail("D7")),
    );
    let synced = batch.add(ManagedDevice::at(&client, "d1").call(ManagedDevice::SYNC_DEVICE, &()));
    let mut responses = batch.send().await.unwrap();
    let error = responses.take(report).unwrap_err().to_string();
    assert!(error.contains("cannot come through a batch"), "{error}");
    responses.take(synced).unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&mock.requests()[0].body).unwrap();
    assert_eq!(sent["requests"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn an_action_goes_in_a_batch_with_a_navigation_request() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        r#"{"responses": [
            {"id": "1", "status": 200, "body": {"value": [{"id": "g2"}]}},
            {"id": "2", "status": 200, "body": {"value": [{"id": "a1"}]}}
        ]}"#,
    )])
    .await;
    let client = client(&server);
    let mut batch = client.batch();
    let members = batch.add(Group::at(&client, "g1").to(Group::MEMBERS).list());
    let body = AssignBody {
        assignments: Vec::new(),
    };
    let assigned =
        batch.add(DeviceConfiguration::at(&client, "c1").call(DeviceConfiguration::ASSIGN, &body));
    let mut responses = batch.send().await.unwrap();
    assert_eq!(responses.take(members).unwrap().items.len(), 1);
    assert_eq!(responses.take(assigned).unwrap().items.len(), 1);
    let sent = server.requests()[0].json();
    assert_eq!(sent["requests"][0]["url"], "/groups/g1/members");
    assert_eq!(sent["requests"][1]["method"], "POST");
    assert_eq!(
        sent["requests"][1]["url"],
        "/deviceManagement/deviceConfigurations/c1/assign"
    );
    assert_eq!(sent["requests"][1]["body"], json!({"assignments": []}));
}

#[tokio::test]
async fn a_collection_action_posts_a_parameter_body_without_odata_type() {
    let server = TestServer::scripted(vec![Reply::json(200, r#"{"value": [{"id": "g1"}]}"#)]).await;
    let client = client(&server);
    let body = IdsBody {
        ids: vec!["g1".to_owned()],
        types: None,
        first_assignment: Some(DeviceConfigurationAssignment {
            id: Some("a1".to_owned()),
        }),
    };
    let page = Group::collection(&client)
        .call(Group::BY_IDS, &body)
        .await
        .unwrap();
    assert_eq!(page.items[0].id.as_deref(), Some("g1"));
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/v1.0/groups/getByIds");
    assert_eq!(
        request.json(),
        json!({
            "ids": ["g1"],
            "firstAssignment": {
                "@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
                "id": "a1"
            }
        }),
        "the body has no `@odata.type` of its own, its models keep theirs"
    );
}

#[test]
fn a_parameter_body_reads_back_what_it_writes() {
    let body = IdsBody {
        ids: vec!["g1".to_owned(), "g2".to_owned()],
        types: Some(vec!["group".to_owned()]),
        first_assignment: None,
    };
    let json = serde_json::to_value(&body).unwrap();
    assert_eq!(json, json!({"ids": ["g1", "g2"], "types": ["group"]}));
    assert_eq!(serde_json::from_value::<IdsBody>(json).unwrap(), body);
}

#[tokio::test]
async fn a_collection_function_reads_a_page_of_the_type() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        r#"{"value": [{"id": "g1"}, {"id": "g2"}]}"#,
    )])
    .await;
    let client = client(&server);
    let page = Group::collection(&client)
        .call_function(Group::changes())
        .await
        .unwrap();
    let ids: Vec<_> = page.items.iter().map(|g| g.id.as_deref()).collect();
    assert_eq!(ids, [Some("g1"), Some("g2")]);
    let request = &server.requests()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/v1.0/groups/delta()");
}

#[tokio::test]
async fn an_alternate_key_writes_its_value_as_a_quoted_literal() {
    let server = TestServer::scripted(vec![Reply::json(200, r#"{"id": "g1"}"#)]).await;
    let client = client(&server);
    let group = Group::by_unique_name(&client, "o'brien's team/1")
        .get()
        .await
        .unwrap();
    assert_eq!(group.id.as_deref(), Some("g1"));
    let request = &server.requests()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.decoded_target(),
        "/v1.0/groups(uniqueName='o''brien''s team/1')"
    );
    assert!(
        request.target.contains("%2F1')"),
        "a `/` in the value is encoded, so that it stays one segment: {}",
        request.target
    );
}
