//! `$batch` end to end: the real `Client` with its reqwest transport against a local server
//! that answers `$batch` requests item by item, in reverse order, and records them.

#[path = "support/http_server.rs"]
mod http_server;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use graph_resource::{
    BatchResponses, Client, Entity, Error, Handle, MAX_BATCH_REQUESTS, MockResponse, MockTransport,
    Page, RecordingSleep, RetryPolicy, graph_resource,
};
use http_server::{Captured, Reply, TestServer};
use serde_json::{Value, json};

#[graph_resource(path = "/groups")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    pub id: Option<String>,
    pub display_name: Option<String>,
}

/// In Intune's throttling scope, where `Group` is in identity and access's.
#[graph_resource(path = "/deviceManagement/deviceConfigurations")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceConfiguration {
    pub id: Option<String>,
}

const TOKEN: &str = "batch-test-token";
/// The per-attempt timeout; timers of this length run for real, retry delays are recorded.
const TIMEOUT: Duration = Duration::from_secs(5);

fn recording_sleep() -> RecordingSleep {
    RecordingSleep::new().passing(TIMEOUT)
}

fn client(server: &TestServer, sleep: &RecordingSleep) -> Client {
    Client::builder()
        .base_url(format!("{}/v1.0", server.url()))
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::default().max_delay(Duration::from_secs(10)))
        .sleep(Arc::new(sleep.clone()))
        .timeout(TIMEOUT)
        .build()
        .unwrap()
}

/// A server that answers each item of a `$batch` through `item` (given the item and the
/// number of the `$batch` request, from 1), listing the answers in reverse order.
async fn batch_server(item: impl Fn(&Value, usize) -> Value + Send + Sync + 'static) -> TestServer {
    let batches = AtomicUsize::new(0);
    TestServer::start(move |request: &Captured| {
        if request.method != "POST" || request.target != "/v1.0/$batch" {
            return Reply::json(404, r#"{"error":{"code":"NotFound"}}"#);
        }
        let number = batches.fetch_add(1, Ordering::SeqCst) + 1;
        let body = request.json();
        let mut responses: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| {
                let mut response = item(entry, number);
                response["id"] = entry["id"].clone();
                response
            })
            .collect();
        responses.reverse();
        Reply::json(200, &json!({"responses": responses}).to_string())
    })
    .await
}

fn group_answer(entry: &Value) -> Value {
    let url = entry["url"].as_str().unwrap();
    let id = url.rsplit('/').next().unwrap();
    json!({"status": 200, "headers": {"content-type": "application/json"}, "body": {"id": id, "displayName": format!("Group {id}")}})
}

/// Sends one `get` of group `g{n}` for each `n`, in one batch; the handles in that order and
/// the responses.
async fn get_groups(
    client: &Client,
    numbers: impl Iterator<Item = usize>,
) -> (Vec<Handle<Entity<Group>>>, BatchResponses) {
    let mut batch = client.batch();
    let handles = numbers
        .map(|n| batch.add(Group::get(client, &format!("g{n}"))))
        .collect();
    (handles, batch.send().await.unwrap())
}

/// A `$batch` answer giving every item its group, in order.
fn every_group(request: &Captured) -> Reply {
    let responses: Vec<Value> = requests_of(request)
        .iter()
        .map(|entry| {
            let mut answer = group_answer(entry);
            answer["id"] = entry["id"].clone();
            answer
        })
        .collect();
    Reply::json(200, &json!({"responses": responses}).to_string())
}

fn requests_of(request: &Captured) -> Vec<Value> {
    request.json()["requests"].as_array().unwrap().clone()
}

#[tokio::test]
async fn forty_five_requests_go_as_three_batches_and_each_handle_gets_its_answer() {
    let server = batch_server(|entry, _| group_answer(entry)).await;
    let sleep = recording_sleep();
    let client = client(&server, &sleep);
    let (handles, mut responses) = get_groups(&client, 0..45).await;
    for (n, handle) in handles.into_iter().enumerate() {
        let group = responses.take(handle).unwrap();
        assert_eq!(group.id, Some(format!("g{n}")));
    }
    let sent = server.requests();
    let sizes: Vec<usize> = sent
        .iter()
        .map(|request| requests_of(request).len())
        .collect();
    assert_eq!(sizes, [MAX_BATCH_REQUESTS, MAX_BATCH_REQUESTS, 5]);
    let first = &requests_of(&sent[0])[0];
    assert_eq!(
        first,
        &json!({"id": "1", "method": "GET", "url": "/groups/g0"})
    );
    for request in &sent {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
    }
    assert!(sleep.slept().is_empty());
}

#[tokio::test]
async fn each_operation_reads_its_item_as_the_direct_call_would() {
    let server = batch_server(|entry, _| match entry["method"].as_str().unwrap() {
        "POST" => json!({"status": 201, "body": {"id": "new", "displayName": entry["body"]["displayName"]}}),
        "GET" if entry["url"] == "/groups?$top=2" => json!({"status": 200, "body": {"value": [{"id": "a"}], "@odata.nextLink": "https://graph.microsoft.com/v1.0/groups?$skiptoken=x"}}),
        "GET" => json!({"status": 404, "headers": {"request-id": "r-404"}, "body": {"error": {"code": "Request_ResourceNotFound", "message": "Resource 'gone' does not exist."}}}),
        "PATCH" => json!({"status": 204}),
        _ => json!({"status": 204}),
    })
    .await;
    let sleep = recording_sleep();
    let client = client(&server, &sleep);
    let new = Group {
        display_name: Some("Ops".into()),
        ..Default::default()
    };
    let mut batch = client.batch();
    let created = batch.add(Group::create(&client, &new));
    let listed = batch.add(Group::list(&client).top(2));
    let missing = batch.add(Group::get(&client, "gone"));
    let updated = batch.add(Group::update(&client, "a", &new).if_match("W/\"1\""));
    let deleted = batch.add(Group::delete(&client, "b"));
    let mut responses = batch.send().await.unwrap();

    let created = responses.take(created).unwrap().into_entity().unwrap();
    assert_eq!(created.id.as_deref(), Some("new"));
    let page: Page<Group> = responses.take(listed).unwrap();
    assert_eq!((page.items.len(), page.next_link.is_some()), (1, true));
    let error = responses.take(missing).unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    let api = error.as_api().unwrap();
    assert_eq!(
        (api.code(), api.request_id()),
        (Some("Request_ResourceNotFound"), Some("r-404"))
    );
    assert_eq!(responses.take(updated).unwrap(), None);
    responses.take(deleted).unwrap();
    assert!(
        matches!(responses.take(deleted), Err(Error::InvalidArgument(_))),
        "taken once"
    );

    let sent = requests_of(&server.requests()[0]);
    assert_eq!(
        sent[0]["body"],
        json!({"@odata.type": "#microsoft.graph.group", "displayName": "Ops"})
    );
    assert_eq!(
        sent[0]["headers"],
        json!({"content-type": "application/json"})
    );
    assert_eq!(sent[3]["headers"]["if-match"], "W/\"1\"");
    assert_eq!(
        sent[4],
        json!({"id": "5", "method": "DELETE", "url": "/groups/b"})
    );
}

#[tokio::test]
async fn a_throttled_item_is_sent_again_alone_after_the_longest_retry_after() {
    let server = batch_server(|entry, number| {
        let throttled = number == 1 && (entry["id"] == "2" || entry["id"] == "3");
        if throttled {
            let after = if entry["id"] == "2" { "1.5" } else { "3" };
            return json!({"status": 429, "headers": {"retry-after": after}, "body": {"error": {"code": "TooManyRequests"}}});
        }
        group_answer(entry)
    })
    .await;
    let sleep = recording_sleep();
    let client = client(&server, &sleep);
    let (handles, mut responses) = get_groups(&client, 1..=4).await;
    for (n, handle) in handles.into_iter().enumerate() {
        assert_eq!(
            responses.take(handle).unwrap().id,
            Some(format!("g{}", n + 1))
        );
    }
    assert_eq!(
        sleep.slept(),
        [Duration::from_secs(3)],
        "the longest Retry-After"
    );
    let sent = server.requests();
    assert_eq!(sent.len(), 2);
    let again: Vec<Value> = requests_of(&sent[1])
        .iter()
        .map(|entry| entry["id"].clone())
        .collect();
    assert_eq!(again, ["2", "3"], "only the throttled items are sent again");
}

#[tokio::test]
async fn a_throttled_item_holds_its_scope_for_the_other_calls_but_not_for_its_batch() {
    for gate in [true, false] {
        let batches = AtomicUsize::new(0);
        let server = TestServer::start(move |request: &Captured| {
            if request.target != "/v1.0/$batch" {
                return Reply::json(200, r#"{"id": "g9"}"#);
            }
            if batches.fetch_add(1, Ordering::SeqCst) == 0 {
                let throttled = json!({"responses": [{"id": "1", "status": 429, "headers": {"retry-after": "30"}, "body": {"error": {"code": "TooManyRequests"}}}]});
                return Reply::json(200, &throttled.to_string());
            }
            every_group(request)
        })
        .await;
        let sleep = recording_sleep();
        let client = Client::builder()
            .base_url(format!("{}/v1.0", server.url()))
            .bearer_token(TOKEN)
            .sleep(Arc::new(sleep.clone()))
            .timeout(TIMEOUT)
            .throttle_gate(gate)
            .build()
            .unwrap();
        let (handles, mut responses) = get_groups(&client, 1..=1).await;
        assert_eq!(
            responses.take(handles[0]).unwrap().id.as_deref(),
            Some("g1")
        );
        assert_eq!(
            sleep.slept(),
            [Duration::from_secs(30)],
            "the batch waits for its item once; its follow-up is not held"
        );

        let configuration = DeviceConfiguration::get(&client, "g9").await.unwrap();
        assert_eq!(configuration.id.as_deref(), Some("g9"));
        assert_eq!(sleep.slept().len(), 1, "another scope is not held");

        let group = Group::get(&client, "g9").await.unwrap();
        assert_eq!(group.id.as_deref(), Some("g9"));
        let slept = sleep.slept();
        if gate {
            assert_eq!(slept.len(), 2, "{slept:?}");
            // What is left of the item's Retry-After, and the release spread: up to 0.5 s.
            assert!(
                slept[1] <= Duration::from_millis(30_500) && slept[1] > Duration::from_secs(20),
                "another call in the item's scope waits for the hold: {slept:?}"
            );
        } else {
            assert_eq!(
                slept.len(),
                1,
                "without the gate nothing is held: {slept:?}"
            );
        }
        assert_eq!(server.requests().len(), 4, "two batches and the gets");
    }
}

#[tokio::test]
async fn dependents_of_a_failed_item_are_424_naming_it() {
    let server = batch_server(|entry, _| {
        if entry["id"] == "1" {
            return json!({"status": 400, "body": {"error": {"code": "Request_BadRequest", "message": "Invalid value."}}});
        }
        if entry.get("dependsOn").is_some() {
            return json!({"status": 424, "body": {"error": {"code": "FailedDependency"}}});
        }
        group_answer(entry)
    })
    .await;
    let sleep = recording_sleep();
    let client = client(&server, &sleep);
    let mut batch = client.batch();
    let first = batch.add(Group::create(&client, &Group::default()));
    let second = batch.add_after(Group::get(&client, "g2"), [first.id()]);
    let third = batch.add_after(Group::delete(&client, "g3"), [second.id()]);
    let free = batch.add(Group::get(&client, "g4"));
    let mut responses = batch.send().await.unwrap();
    assert_eq!(
        responses
            .take(first)
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(400)
    );
    for (error, on) in [
        (responses.take(second).unwrap_err(), 1),
        (responses.take(third).unwrap_err(), 2),
    ] {
        assert_eq!(error.status().map(|s| s.as_u16()), Some(424), "{error}");
        assert!(
            error
                .to_string()
                .contains(&format!("request {on} of the batch")),
            "{error}"
        );
    }
    assert_eq!(responses.take(free).unwrap().id.as_deref(), Some("g4"));
    let sent = requests_of(&server.requests()[0]);
    assert_eq!(sent[1]["dependsOn"], json!(["1"]));
    assert_eq!(sent[2]["dependsOn"], json!(["2"]));
}

#[tokio::test]
async fn a_chain_of_21_cannot_be_sent_and_nothing_is() {
    let server = batch_server(|entry, _| group_answer(entry)).await;
    let sleep = recording_sleep();
    let client = client(&server, &sleep);
    let mut batch = client.batch();
    let mut previous = batch.add(Group::get(&client, "g0"));
    for n in 1..21 {
        previous = batch.add_after(Group::get(&client, &format!("g{n}")), [previous.id()]);
    }
    let error = batch.send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    assert!(error.to_string().contains("chain of 21"), "{error}");
    assert!(server.requests().is_empty());

    // Twenty fit, with others around them.
    let mut batch = client.batch();
    let loose = batch.add(Group::get(&client, "loose"));
    let mut previous = batch.add(Group::get(&client, "c0"));
    for n in 1..20 {
        previous = batch.add_after(Group::get(&client, &format!("c{n}")), [previous.id()]);
    }
    let mut responses = batch.send().await.unwrap();
    assert_eq!(responses.take(previous).unwrap().id.as_deref(), Some("c19"));
    assert_eq!(responses.take(loose).unwrap().id.as_deref(), Some("loose"));
    let sizes: Vec<usize> = server
        .requests()
        .iter()
        .map(|r| requests_of(r).len())
        .collect();
    assert_eq!(sizes, [1, 20], "the chain stays whole");
}

#[tokio::test]
async fn a_body_that_is_not_json_comes_as_base64_and_is_decoded() {
    let server = batch_server(|_, _| {
        // "<html>bad gateway</html>" in base64, as Graph sends bodies that are not JSON.
        json!({"status": 502, "headers": {"content-type": "text/html"}, "body": "PGh0bWw+YmFkIGdhdGV3YXk8L2h0bWw+"})
    })
    .await;
    let sleep = recording_sleep();
    let client = client(&server, &sleep);
    let mut batch = client.batch();
    let item = batch.add(Group::get(&client, "g1"));
    let mut responses = batch.send().await.unwrap();
    let error = responses.take(item).unwrap_err();
    assert_eq!(
        error.as_api().unwrap().raw_body(),
        Some(&b"<html>bad gateway</html>"[..])
    );
}

#[tokio::test]
async fn a_throttled_batch_is_retried_as_any_request() {
    let answered = AtomicUsize::new(0);
    let server = TestServer::start(move |request| {
        if answered.fetch_add(1, Ordering::SeqCst) == 0 {
            return Reply::json(429, r#"{"error":{"code":"TooManyRequests"}}"#)
                .header("Retry-After", "2");
        }
        every_group(request)
    })
    .await;
    let sleep = recording_sleep();
    let client = client(&server, &sleep);
    let mut batch = client.batch();
    let item = batch.add(Group::get(&client, "g1"));
    let mut responses = batch.send().await.unwrap();
    assert_eq!(responses.take(item).unwrap().id.as_deref(), Some("g1"));
    assert_eq!(sleep.slept(), [Duration::from_secs(2)]);
    let sent = server.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].header("retry-attempt"), Some("1"));
}

#[tokio::test]
async fn missing_duplicate_and_unknown_ids_leave_no_handle_without_a_result() {
    let server = TestServer::start(|_| {
        let body = json!({"responses": [
            {"id": "1", "status": 200, "body": {"id": "first"}},
            {"id": "1", "status": 200, "body": {"id": "second"}},
            {"id": "99", "status": 200, "body": {"id": "stray"}},
            {"id": 3, "status": "oops"}
        ]});
        Reply::json(200, &body.to_string())
    })
    .await;
    let sleep = recording_sleep();
    let client = client(&server, &sleep);
    let mut batch = client.batch();
    let one = batch.add(Group::get(&client, "g1"));
    let two = batch.add(Group::get(&client, "g2"));
    let three = batch.add(Group::get(&client, "g3"));
    let mut responses = batch.send().await.unwrap();
    assert_eq!(responses.take(one).unwrap().id.as_deref(), Some("first"));
    for handle in [two, three] {
        let error = responses.take(handle).unwrap_err();
        assert!(
            error.to_string().contains("no response for request"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn an_item_that_does_not_decode_names_the_json_path_as_the_direct_call_would() {
    let server = batch_server(|entry, _| match entry["url"].as_str().unwrap() {
        "/groups/bad" => json!({"status": 200, "body": {"id": "bad", "displayName": 7}}),
        _ => group_answer(entry),
    })
    .await;
    let sleep = recording_sleep();
    let client = client(&server, &sleep);
    let mut batch = client.batch();
    let good = batch.add(Group::get(&client, "good"));
    let bad = batch.add(Group::get(&client, "bad"));
    let mut responses = batch.send().await.unwrap();
    assert_eq!(responses.take(good).unwrap().id.as_deref(), Some("good"));
    let Err(Error::Decode(error)) = responses.take(bad) else {
        panic!("a body that does not decode is a decode error");
    };
    assert_eq!(error.path(), "displayName");
    assert!(error.to_string().contains("/groups/bad"), "{error}");
}

#[tokio::test]
async fn a_batch_answer_that_is_not_utf8_fails_its_requests_saying_where() {
    let mock = MockTransport::new();
    let mut answer = br#"{"responses":[{"id":"1","status":200,"body":{"id":"g"#.to_vec();
    answer.push(0xFF);
    answer.extend_from_slice(br#""}}]}"#);
    mock.push(MockResponse::new(200).body(answer));
    let client = mock.client_builder().build().unwrap();
    let mut batch = client.batch();
    let one = batch.add(Group::get(&client, "g1"));
    let two = batch.add(Group::get(&client, "g2"));
    let mut responses = batch.send().await.unwrap();
    let Err(Error::Decode(error)) = responses.take(one) else {
        panic!("an answer that is not UTF-8 is a decode error");
    };
    assert!(
        error
            .to_string()
            .contains("not UTF-8: invalid utf-8 sequence of 1 bytes from index 52"),
        "{error}"
    );
    let error = responses.take(two).unwrap_err();
    assert!(error.to_string().contains("not UTF-8"), "{error}");
}

#[tokio::test]
async fn a_later_batch_that_fails_keeps_the_answers_of_those_before_it() {
    let broken = TestServer::start(|request| {
        if requests_of(request).len() < MAX_BATCH_REQUESTS {
            return Reply::json(200, r#"{"responses": 7}"#);
        }
        every_group(request)
    })
    .await;
    let sleep = recording_sleep();
    let client = client(&broken, &sleep);
    let (handles, mut responses) = get_groups(&client, 0..21).await;
    for (n, handle) in handles.into_iter().enumerate() {
        match responses.take(handle) {
            Ok(group) => assert!(n < 20 && group.id == Some(format!("g{n}")), "{n}"),
            Err(error) => {
                assert_eq!(n, 20, "{error}");
                assert!(matches!(error, Error::Decode(_)), "{error:?}");
            }
        }
    }
}

#[tokio::test]
async fn a_request_of_another_client_or_with_a_bad_argument_keeps_its_own_error() {
    let server = batch_server(|entry, number| {
        if number == 1 && entry["id"] == "1" {
            return json!({"status": 429, "headers": {"retry-after": "1"}});
        }
        group_answer(entry)
    })
    .await;
    let sleep = recording_sleep();
    let client = client(&server, &sleep);
    let other = Client::builder()
        .base_url("https://graph.microsoft.com/beta")
        .bearer_token("another-tenant")
        .build()
        .unwrap();
    let mut batch = client.batch();
    let throttled = batch.add(Group::get(&client, "g1"));
    let empty_key = batch.add_after(Group::get(&client, ""), [throttled.id()]);
    let foreign = batch.add(Group::get(&other, "g2"));
    let mut responses = batch.send().await.unwrap();
    assert_eq!(responses.take(throttled).unwrap().id.as_deref(), Some("g1"));
    let error = responses.take(empty_key).unwrap_err();
    assert!(
        error.to_string().contains("group_id must not be empty"),
        "{error}"
    );
    let error = responses.take(foreign).unwrap_err();
    assert!(
        error.to_string().contains("the client of the batch"),
        "{error}"
    );
    for request in server.requests() {
        let urls: Vec<Value> = requests_of(&request)
            .iter()
            .map(|e| e["url"].clone())
            .collect();
        assert_eq!(urls, ["/groups/g1"], "only the sendable request goes out");
    }
}

#[tokio::test]
async fn repeated_headers_are_joined() {
    let server = batch_server(|entry, _| group_answer(entry)).await;
    let sleep = recording_sleep();
    let client = client(&server, &sleep);
    let mut batch = client.batch();
    let listed = batch.add(
        Group::list(&client)
            .header("Prefer", "return=minimal")
            .page_size(5),
    );
    let _ = batch.send().await.unwrap().take(listed);
    let sent = requests_of(&server.requests()[0]);
    assert_eq!(
        sent[0]["headers"]["prefer"],
        "return=minimal, odata.maxpagesize=5"
    );
}
