//! The operations family end to end: the real `Client` with its reqwest transport against a
//! local HTTP/1.1 server that records every request. Each test checks what the server saw
//! (method, target, headers, body) and what the caller got back.

#[path = "support/http_server.rs"]
mod http_server;

use graph_resource::{Client, Error, UntypedResource, graph_resource};
use http_server::{Captured, Reply, TestServer};
use serde_json::{Value, json};

/// The properties every device configuration has.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceConfigurationBase {
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub description: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Windows10GeneralConfiguration {
    #[graph(base)]
    pub base: DeviceConfigurationBase,
    pub password_required: Option<bool>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IosGeneralDeviceConfiguration {
    #[graph(base)]
    pub base: DeviceConfigurationBase,
    pub passcode_required: Option<bool>,
}

/// A collection of an abstract type: each member comes back as its derived type.
#[graph_resource(path = "/deviceManagement/deviceConfigurations")]
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceConfiguration {
    Windows10(Windows10GeneralConfiguration),
    Ios(IosGeneralDeviceConfiguration),
    #[graph(other)]
    Other(UntypedResource),
}

#[graph_resource(path = "/deviceManagement", singleton)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceManagement {
    pub id: Option<String>,
    pub intune_account_id: Option<String>,
    pub subscription_state: Option<String>,
}

#[graph_resource(path = "/deviceManagement/deviceConfigurations/<>/assignments")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceConfigurationAssignment {
    pub id: Option<String>,
    pub target: Option<UntypedResource>,
}

const TOKEN: &str = "operations-test-token";

fn client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1.0", server.url()))
        .bearer_token(TOKEN)
        .build()
        .unwrap()
}

fn windows10(id: &str, name: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.windows10GeneralConfiguration", "id": id, "displayName": name})
}

/// `%XX` back to bytes, for checking what a query value arrives as.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = std::str::from_utf8(&bytes[index + 1..index + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The value of query option `name` in `target`, decoded.
fn query_value(request: &Captured, name: &str) -> Option<String> {
    let (_, query) = request.target.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .map(percent_decode)
}

#[tokio::test]
async fn three_pages_with_an_empty_middle_page_and_a_count() {
    let server = TestServer::start(|request| {
        let host = request.header("host").unwrap_or_default().to_owned();
        let base = format!("http://{host}/v1.0/deviceManagement/deviceConfigurations");
        let body = match request.target.split_once("$skiptoken=").map(|(_, token)| token) {
            None => json!({
                "@odata.context": format!("http://{host}/v1.0/$metadata#deviceManagement/deviceConfigurations"),
                "@odata.count": 3,
                "value": [windows10("w1", "Baseline"), {"@odata.type": "#microsoft.graph.iosGeneralDeviceConfiguration", "id": "i1", "passcodeRequired": true}],
                "@odata.nextLink": format!("{base}?$skiptoken=a%2Bb%3D%3D")
            }),
            Some("a%2Bb%3D%3D") => json!({"value": [], "@odata.nextLink": format!("{base}?$skiptoken=last")}),
            Some(_) => json!({"value": [{"@odata.type": "#microsoft.graph.macOSGeneralDeviceConfiguration", "id": "m1"}]}),
        };
        Reply::json(200, &body.to_string())
    })
    .await;
    let client = client(&server);

    let mut pages = Vec::new();
    let mut stream = DeviceConfiguration::list(&client)
        .count()
        .page_size(2)
        .select(["id", "displayName"])
        .pages();
    while let Some(page) = futures_util::StreamExt::next(&mut stream).await {
        pages.push(page.unwrap());
    }
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].count, Some(3));
    assert!(pages[1].items.is_empty());
    let items: Vec<&DeviceConfiguration> = pages.iter().flat_map(|page| &page.items).collect();
    assert!(
        matches!(items[0], DeviceConfiguration::Windows10(w) if w.base.display_name.as_deref() == Some("Baseline"))
    );
    assert!(matches!(items[1], DeviceConfiguration::Ios(i) if i.passcode_required == Some(true)));
    assert!(
        matches!(items[2], DeviceConfiguration::Other(o) if o.odata_type.as_deref() == Some("#microsoft.graph.macOSGeneralDeviceConfiguration"))
    );

    let requests = server.requests();
    let targets: Vec<&str> = requests.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/v1.0/deviceManagement/deviceConfigurations?$select=id,displayName&$count=true",
            "/v1.0/deviceManagement/deviceConfigurations?$skiptoken=a%2Bb%3D%3D",
            "/v1.0/deviceManagement/deviceConfigurations?$skiptoken=last",
        ],
        "next links are followed exactly as given"
    );
    for request in &requests {
        assert_eq!(request.method, "GET");
        assert_eq!(request.header("consistencylevel"), Some("eventual"));
        assert_eq!(request.header("prefer"), Some("odata.maxpagesize=2"));
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }

    let all = DeviceConfiguration::list(&client).all().await.unwrap();
    assert_eq!(all.len(), 3);
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_not_followed_and_no_token_leaves() {
    let other = TestServer::start(|_| Reply::json(200, r#"{"value":[]}"#)).await;
    let port = other.url().rsplit(':').next().unwrap().to_owned();
    // Another host name, and another port, for the same machine.
    for next in [
        format!("http://localhost:{port}/v1.0/deviceManagement/deviceConfigurations?$skiptoken=2"),
        format!(
            "{}/v1.0/deviceManagement/deviceConfigurations?$skiptoken=2",
            other.url()
        ),
    ] {
        let body = json!({"value": [windows10("w1", "A")], "@odata.nextLink": next}).to_string();
        let server = TestServer::start(move |_| Reply::json(200, &body)).await;
        let client = client(&server);
        let error = DeviceConfiguration::list(&client).all().await.unwrap_err();
        let Error::NextLink(link) = &error else {
            panic!("expected a next-link error, got {error:?}");
        };
        assert_eq!((link.page(), link.link()), (Some(1), next.as_str()));
        assert!(error.to_string().contains("another origin"), "{error}");
        assert_eq!(server.requests().len(), 1);
    }
    assert!(
        other.requests().is_empty(),
        "nothing reached the other origin"
    );
}

#[tokio::test]
async fn a_repeated_next_link_is_an_error_not_a_loop() {
    let server = TestServer::start(|request| {
        let host = request.header("host").unwrap_or_default().to_owned();
        let next =
            format!("http://{host}/v1.0/deviceManagement/deviceConfigurations?$skiptoken=same");
        Reply::json(
            200,
            &json!({"value": [windows10("w", "A")], "@odata.nextLink": next}).to_string(),
        )
    })
    .await;
    let client = client(&server);
    let error = DeviceConfiguration::list(&client).all().await.unwrap_err();
    assert!(
        error.to_string().contains("of page 2") && error.to_string().contains("followed before"),
        "{error}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_stored_next_link_resumes() {
    let server = TestServer::start(|_| {
        Reply::json(
            200,
            &json!({"value": [windows10("w9", "Later")]}).to_string(),
        )
    })
    .await;
    let client = client(&server);
    let stored = format!(
        "{}/v1.0/deviceManagement/deviceConfigurations?$skiptoken=9",
        server.url()
    );
    let rest = DeviceConfiguration::list(&client)
        .resume(stored)
        .all()
        .await
        .unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(
        server.requests()[0].target,
        "/v1.0/deviceManagement/deviceConfigurations?$skiptoken=9"
    );
}

#[tokio::test]
async fn query_values_arrive_exactly_as_written() {
    let server = TestServer::start(|_| Reply::json(200, r#"{"value":[]}"#)).await;
    let client = client(&server);
    let filter = r#"displayName eq 'R&D + "Ops" #1' or startswith(description,'Zoë 日本')"#;
    DeviceConfiguration::list(&client)
        .filter(filter)
        .search("displayName:a+b & c")
        .order_by_desc("displayName")
        .top(10)
        .skip(20)
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert!(
        !request.target.contains(' ') && !request.target.contains('#'),
        "{}",
        request.target
    );
    assert_eq!(query_value(request, "$filter").as_deref(), Some(filter));
    assert_eq!(
        query_value(request, "$search").as_deref(),
        Some("\"displayName:a+b & c\"")
    );
    assert_eq!(
        query_value(request, "$orderby").as_deref(),
        Some("displayName desc")
    );
    assert_eq!(
        (
            query_value(request, "$top").as_deref(),
            query_value(request, "$skip").as_deref()
        ),
        (Some("10"), Some("20"))
    );
    assert_eq!(request.header("consistencylevel"), Some("eventual"));

    // A typo, and a property only one derived type has: Graph takes neither on the
    // collection of the abstract type.
    for name in ["displayNmae", "passcodeRequired"] {
        let error = DeviceConfiguration::list(&client)
            .select([name])
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    }
    assert_eq!(
        server.requests().len(),
        1,
        "nothing sent for an undeclared property"
    );
}

#[tokio::test]
async fn get_reads_an_entity_with_its_context_first_and_404_says_not_found() {
    let entity = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#deviceManagement/deviceConfigurations/$entity",
        "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
        "id": "w1", "displayName": "Baseline", "passwordRequired": true
    });
    let server = TestServer::scripted(vec![
        Reply::json(200, &entity.to_string()),
        Reply::json(
            404,
            r#"{"error":{"code":"ResourceNotFound","message":"No such configuration."}}"#,
        ),
    ])
    .await;
    let client = client(&server);
    let found = DeviceConfiguration::get(&client, "w1").await.unwrap();
    let DeviceConfiguration::Windows10(found) = found else {
        panic!("the derived type");
    };
    assert_eq!(found.password_required, Some(true));

    let error = DeviceConfiguration::get(&client, "gone/../x")
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    let url = format!(
        "{}/v1.0/deviceManagement/deviceConfigurations/gone%2F..%2Fx",
        server.url()
    );
    assert!(
        error
            .to_string()
            .starts_with(&format!("GET {url}: Graph answered 404 Not Found")),
        "{error}"
    );
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(targets[0], "/v1.0/deviceManagement/deviceConfigurations/w1");
}

#[tokio::test]
async fn patch_bodies_are_partial_cleared_diffed_and_keep_the_derived_type() {
    let updated = windows10("w1", "Renamed").to_string();
    let server = TestServer::scripted(vec![
        Reply::Respond {
            status: 204,
            headers: vec![],
            body: vec![],
        },
        Reply::json(200, &updated),
        Reply::Respond {
            status: 204,
            headers: vec![],
            body: vec![],
        },
    ])
    .await;
    let client = client(&server);
    let before = DeviceConfiguration::Windows10(Windows10GeneralConfiguration {
        base: DeviceConfigurationBase {
            id: Some("w1".into()),
            display_name: Some("Baseline".into()),
            description: Some("Old text".into()),
        },
        password_required: Some(true),
    });
    let mut after = before.clone();
    if let DeviceConfiguration::Windows10(config) = &mut after {
        config.base.display_name = Some("Renamed".into());
        config.base.description = None;
    }
    let partial = DeviceConfiguration::Windows10(Windows10GeneralConfiguration {
        base: DeviceConfigurationBase {
            display_name: Some("Renamed".into()),
            ..Default::default()
        },
        password_required: None,
    });

    let none = DeviceConfiguration::update(&client, "w1", &partial)
        .if_match("W/\"3\"")
        .await
        .unwrap();
    assert_eq!(none, None);
    let some = DeviceConfiguration::update(&client, "w1", &partial)
        .clear("description")
        .await
        .unwrap();
    assert!(
        matches!(some, Some(DeviceConfiguration::Windows10(w)) if w.base.display_name.as_deref() == Some("Renamed"))
    );
    DeviceConfiguration::update(&client, "w1", &after)
        .changed_from(&before)
        .await
        .unwrap();

    let requests = server.requests();
    for request in &requests {
        assert_eq!(
            (request.method.as_str(), request.target.as_str()),
            ("PATCH", "/v1.0/deviceManagement/deviceConfigurations/w1")
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
    }
    assert_eq!(requests[0].header("if-match"), Some("W/\"3\""));
    assert_eq!(
        String::from_utf8_lossy(&requests[0].body),
        r##"{"@odata.type":"#microsoft.graph.windows10GeneralConfiguration","displayName":"Renamed"}"##,
        "None is not sent, so nothing is cleared by accident"
    );
    assert_eq!(
        requests[1].json(),
        json!({"@odata.type": "#microsoft.graph.windows10GeneralConfiguration", "displayName": "Renamed", "description": null})
    );
    assert_eq!(
        String::from_utf8_lossy(&requests[2].body),
        r##"{"@odata.type":"#microsoft.graph.windows10GeneralConfiguration","displayName":"Renamed","description":null}"##,
        "exactly the changes, the type kept"
    );
}

#[tokio::test]
async fn delete_sends_if_match_and_reads_204() {
    let server = TestServer::scripted(vec![Reply::Respond {
        status: 204,
        headers: vec![],
        body: vec![],
    }])
    .await;
    let client = client(&server);
    DeviceConfigurationAssignment::delete(&client, "w1", "a 1")
        .if_match("*")
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        (
            "DELETE",
            "/v1.0/deviceManagement/deviceConfigurations/w1/assignments/a%201"
        )
    );
    assert_eq!(request.header("if-match"), Some("*"));
    assert!(request.body.is_empty() && request.header("content-type").is_none());
}

#[tokio::test]
async fn a_singleton_is_read_and_updated_without_a_key() {
    let server = TestServer::scripted(vec![
        Reply::json(200, r#"{"@odata.context":"x","id":"dm","intuneAccountId":"acc","subscriptionState":"active"}"#),
        Reply::Respond { status: 204, headers: vec![], body: vec![] },
    ])
    .await;
    let client = client(&server);
    let settings = DeviceManagement::get(&client)
        .select(["intuneAccountId"])
        .await
        .unwrap();
    assert_eq!(settings.intune_account_id.as_deref(), Some("acc"));
    let changes = DeviceManagement {
        subscription_state: Some("warning".into()),
        ..Default::default()
    };
    assert_eq!(
        DeviceManagement::update(&client, &changes).await.unwrap(),
        None
    );
    let requests = server.requests();
    assert_eq!(
        (requests[0].method.as_str(), requests[0].target.as_str()),
        ("GET", "/v1.0/deviceManagement?$select=intuneAccountId")
    );
    assert_eq!(
        (requests[1].method.as_str(), requests[1].target.as_str()),
        ("PATCH", "/v1.0/deviceManagement")
    );
    assert_eq!(
        String::from_utf8_lossy(&requests[1].body),
        r##"{"@odata.type":"#microsoft.graph.deviceManagement","subscriptionState":"warning"}"##
    );
}
