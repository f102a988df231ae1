//! Paging, query options, update and delete on a [`MockTransport`].

use std::future::poll_fn;
use std::pin::Pin;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Value, json};

use super::*;
use crate::mock::{MockResponse, MockTransport};
use crate::odata::Properties;
use crate::ops::{delete, list, update};
use crate::path::PathPart::{self, Key, Literal};

/// A resource with two declared properties, `id` and `displayName`.
#[derive(Debug, Clone, PartialEq)]
struct Item(Value);

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Item)
    }
}

impl Properties for Item {
    const NAME: &'static str = "microsoft.graph.item";

    fn has_property(name: &str) -> bool {
        matches!(name, "id" | "displayName")
    }
}

const ITEMS: &[PathPart] = &[Literal("/items")];
const ITEM: &[PathPart] = &[Literal("/items/"), Key("item_id")];
const BASE: &str = "https://graph.microsoft.com/v1.0";

fn page(ids: &[&str], next: Option<&str>) -> MockResponse {
    let items: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    let mut body = json!({"@odata.context": format!("{BASE}/$metadata#items"), "value": items});
    if let Some(next) = next {
        body["@odata.nextLink"] = json!(next);
    }
    MockResponse::json(200, body)
}

fn ids(items: &[Item]) -> Vec<&str> {
    items
        .iter()
        .filter_map(|item| item.0["id"].as_str())
        .collect()
}

async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

#[tokio::test]
async fn pages_follow_next_links_lazily_through_an_empty_page_with_the_first_headers() {
    let mock = MockTransport::new();
    let second = format!("{BASE}/items?$skiptoken=p2%2B");
    let third = format!("{BASE}/items?$skiptoken=p3");
    let first = MockResponse::json(
        200,
        json!({"@odata.count": 3, "value": [{"id": "a"}, {"id": "b"}], "@odata.nextLink": second}),
    );
    mock.push(first)
        .push(page(&[], Some(&third)))
        .push(page(&["c"], None));
    let client = mock.client_builder().build().unwrap();

    let mut pages = list::<Item>(&client, ITEMS, &[])
        .count()
        .page_size(2)
        .pages();
    let one = next(&mut pages).await.unwrap().unwrap();
    assert_eq!((ids(&one.items), one.count), (vec!["a", "b"], Some(3)));
    assert_eq!(
        mock.requests().len(),
        1,
        "the next page is asked for lazily"
    );
    let two = next(&mut pages).await.unwrap().unwrap();
    assert!(two.items.is_empty());
    let three = next(&mut pages).await.unwrap().unwrap();
    assert_eq!((ids(&three.items), three.next_link), (vec!["c"], None));
    assert!(next(&mut pages).await.is_none());

    let requests = mock.requests();
    let urls: Vec<String> = requests.iter().map(|r| r.uri.to_string()).collect();
    assert_eq!(urls, [format!("{BASE}/items?$count=true"), second, third]);
    for request in &requests {
        assert_eq!(request.header("consistencylevel"), Some("eventual"));
        assert_eq!(request.header("prefer"), Some("odata.maxpagesize=2"));
        assert!(request.client_request_id().is_some());
    }
}

#[tokio::test]
async fn items_and_all_read_every_page() {
    let mock = MockTransport::new();
    for _ in 0..2 {
        mock.push(page(&["a"], Some(&format!("{BASE}/items?p=2"))))
            .push(page(&[], Some(&format!("{BASE}/items?p=3"))))
            .push(page(&["b", "c"], None));
    }
    let client = mock.client_builder().build().unwrap();
    let all = list::<Item>(&client, ITEMS, &[]).all().await.unwrap();
    assert_eq!(ids(&all), ["a", "b", "c"]);
    let mut items = list::<Item>(&client, ITEMS, &[]).items();
    let mut seen = Vec::new();
    while let Some(item) = next(&mut items).await {
        seen.push(item.unwrap());
    }
    assert_eq!(ids(&seen), ["a", "b", "c"]);
    assert_eq!(mock.requests().len(), 6);
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_an_error_and_nothing_is_sent_to_it() {
    let foreign = [
        "https://evil.example/v1.0/items?$skiptoken=2",
        "http://graph.microsoft.com/v1.0/items?$skiptoken=2",
        "https://graph.microsoft.com:8443/v1.0/items",
        "https://graph.microsoft.com.evil.example/v1.0/items",
        "https://user@evil.example/v1.0/items",
        "https://user:pw@graph.microsoft.com/v1.0/items",
        "/v1.0/items?$skiptoken=2",
        "not a url",
    ];
    for link in foreign {
        let mock = MockTransport::new();
        mock.push(page(&["a"], Some(link))).push(page(&["b"], None));
        let client = mock.client_builder().build().unwrap();
        let error = list::<Item>(&client, ITEMS, &[]).all().await.unwrap_err();
        let Error::NextLink(next_link) = &error else {
            panic!("{link}: {error:?}");
        };
        assert_eq!((next_link.page(), next_link.link()), (Some(1), link));
        assert_eq!(mock.requests().len(), 1, "{link}: nothing sent to it");
        assert!(
            error
                .to_string()
                .starts_with("the `@odata.nextLink` of page 1"),
            "{error}"
        );
    }
    // The same origin in another spelling is followed.
    let mock = MockTransport::new();
    mock.push(page(
        &["a"],
        Some("HTTPS://Graph.Microsoft.com:443/v1.0/items?p=2"),
    ))
    .push(page(&["b"], None));
    let client = mock.client_builder().build().unwrap();
    let all = list::<Item>(&client, ITEMS, &[]).all().await.unwrap();
    assert_eq!(ids(&all), ["a", "b"]);
}

#[tokio::test]
async fn a_repeated_next_link_ends_paging_with_an_error() {
    let mock = MockTransport::new();
    let second = format!("{BASE}/items?p=2");
    let third = format!("{BASE}/items?p=3");
    mock.push(page(&["a"], Some(&second)))
        .push(page(&["b"], Some(&third)))
        .push(page(&["c"], Some(&second)));
    let client = mock.client_builder().build().unwrap();
    let mut pages = list::<Item>(&client, ITEMS, &[]).pages();
    for _ in 0..3 {
        next(&mut pages).await.unwrap().unwrap();
    }
    let error = next(&mut pages).await.unwrap().unwrap_err();
    assert!(
        error.to_string().contains("page 3") && error.to_string().contains("followed before"),
        "{error}"
    );
    assert!(
        next(&mut pages).await.is_none(),
        "the stream ends after an error"
    );
    assert_eq!(mock.requests().len(), 3);
}

#[tokio::test]
async fn a_stored_next_link_resumes_and_a_foreign_one_is_refused() {
    let mock = MockTransport::new();
    mock.push(page(&["c"], None));
    let client = mock.client_builder().build().unwrap();
    let stored = format!("{BASE}/items?$skiptoken=abc");
    let rest = list::<Item>(&client, ITEMS, &[])
        .page_size(5)
        .resume(stored.clone())
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&rest), ["c"]);
    let requests = mock.requests();
    assert_eq!(requests[0].uri, stored.as_str());
    assert_eq!(requests[0].header("prefer"), Some("odata.maxpagesize=5"));

    let error = list::<Item>(&client, ITEMS, &[])
        .resume("https://evil.example/items")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::NextLink(e) if e.page().is_none()),
        "{error:?}"
    );
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn a_page_that_does_not_decode_names_its_number() {
    let mock = MockTransport::new();
    mock.push(page(&["a"], Some(&format!("{BASE}/items?p=2"))))
        .push(page(&["b"], Some(&format!("{BASE}/items?p=3"))))
        .push(MockResponse::json(
            200,
            json!({"value": {"id": "not a list"}}),
        ));
    let client = mock.client_builder().build().unwrap();
    let error = list::<Item>(&client, ITEMS, &[]).all().await.unwrap_err();
    let decode = error.as_decode().expect("a decode error");
    assert_eq!((decode.page(), decode.path()), (Some(3), "value"));
    assert!(
        error.to_string().starts_with(&format!(
            "GET {BASE}/items?p=REDACTED: page 3: could not decode"
        )),
        "{error}"
    );
}

#[tokio::test]
async fn query_options_are_encoded_and_undeclared_properties_send_nothing() {
    let mock = MockTransport::new();
    mock.push(page(&[], None));
    let client = mock.client_builder().build().unwrap();
    list::<Item>(&client, ITEMS, &[])
        .select(["id", "displayName"])
        .filter("displayName eq 'R&D #1 + \"x\"'")
        .order_by_desc("displayName")
        .order_by("id")
        .top(5)
        .skip(10)
        .search("Zoë")
        .await
        .unwrap();
    assert_eq!(
        mock.requests()[0].uri,
        "https://graph.microsoft.com/v1.0/items?$select=id,displayName\
         &$filter=displayName%20eq%20'R%26D%20%231%20%2B%20%22x%22'\
         &$orderby=displayName%20desc,id&$top=5&$skip=10&$search=%22Zo%C3%AB%22"
    );
    assert_eq!(
        mock.requests()[0].header("consistencylevel"),
        Some("eventual")
    );

    for request in [
        list::<Item>(&client, ITEMS, &[]).select(["id", "displayNme"]),
        list::<Item>(&client, ITEMS, &[]).order_by("createdDateTime"),
    ] {
        let error = request.await.unwrap_err();
        assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
        assert!(
            error
                .to_string()
                .contains("`microsoft.graph.item` does not declare"),
            "{error}"
        );
    }
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn update_sends_what_is_set_clears_on_request_and_diffs() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(204))
        .push(MockResponse::json(
            200,
            json!({"id": "1", "displayName": "New"}),
        ))
        .push(MockResponse::new(204));
    let client = mock.client_builder().build().unwrap();
    let changes = Item(json!({"@odata.type": "#microsoft.graph.item", "displayName": "New"}));

    let none = update(&client, ITEM, &["1"], &changes)
        .if_match("W/\"etag-1\"")
        .await
        .unwrap();
    assert_eq!(none, None);
    let some = update(&client, ITEM, &["1"], &changes)
        .clear("id")
        .await
        .unwrap();
    assert_eq!(some, Some(Item(json!({"id": "1", "displayName": "New"}))));

    let before = Item(json!({
        "@odata.type": "#microsoft.graph.item",
        "@odata.etag": "W/\"1\"",
        "id": "1",
        "displayName": "Old",
        "note": "x"
    }));
    let after =
        Item(json!({"@odata.type": "#microsoft.graph.item", "id": "1", "displayName": "New"}));
    update(&client, ITEM, &["1"], &after)
        .changed_from(&before)
        .await
        .unwrap();

    let requests = mock.requests();
    assert_eq!(requests[0].method, Method::PATCH);
    assert_eq!(requests[0].uri, "https://graph.microsoft.com/v1.0/items/1");
    assert_eq!(requests[0].header("if-match"), Some("W/\"etag-1\""));
    assert_eq!(
        requests[0].body_json().unwrap(),
        json!({"@odata.type": "#microsoft.graph.item", "displayName": "New"})
    );
    assert_eq!(
        requests[1].body_json().unwrap(),
        json!({"@odata.type": "#microsoft.graph.item", "displayName": "New", "id": null})
    );
    assert_eq!(requests[1].header("if-match"), None);
    assert_eq!(
        requests[2].body,
        r##"{"@odata.type":"#microsoft.graph.item","displayName":"New","note":null}"##
    );

    let error = update(&client, ITEM, &["1"], &changes)
        .clear("nope")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    assert_eq!(mock.requests().len(), 3);
}

#[tokio::test]
async fn delete_sends_nothing_but_the_method_and_if_match() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(204)).push(MockResponse::json(
        404,
        json!({"error": {"code": "ResourceNotFound"}}),
    ));
    let client = mock.client_builder().build().unwrap();
    delete(&client, ITEM, &["1"]).if_match("*").await.unwrap();
    let error = delete(&client, ITEM, &["1"]).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("DELETE https://graph.microsoft.com/v1.0/items/1: Graph answered 404"),
        "{error}"
    );
    let requests = mock.requests();
    assert_eq!(requests[0].method, Method::DELETE);
    assert_eq!(requests[0].header("if-match"), Some("*"));
    assert!(requests[0].body.is_empty() && requests[0].header("content-type").is_none());
}

#[tokio::test]
async fn huge_pages_are_read_in_place_and_wrong_shapes_are_errors() {
    let mock = MockTransport::new();
    let items: Vec<Value> = (0..200_000).map(|n| json!({"id": n.to_string()})).collect();
    mock.push(MockResponse::json(200, json!({"value": items})))
        .push(MockResponse::json(
            200,
            json!({"value": "x".repeat(10_000_000)}),
        ))
        .push(MockResponse::json(
            200,
            json!({"value": [1, 2, 3], "@odata.nextLink": 5}),
        ));
    let client = mock.client_builder().build().unwrap();
    let all = list::<Item>(&client, ITEMS, &[]).all().await.unwrap();
    assert_eq!(all.len(), 200_000);
    for _ in 0..2 {
        let error = list::<Item>(&client, ITEMS, &[]).all().await.unwrap_err();
        let decode = error.as_decode().expect("a decode error");
        assert_eq!(decode.page(), Some(1));
        assert!(
            error.to_string().len() < 2_000,
            "{} bytes",
            error.to_string().len()
        );
    }
}

#[tokio::test]
async fn a_header_that_is_not_valid_http_is_named_and_nothing_is_sent() {
    let mock = MockTransport::new();
    let client = mock.client_builder().build().unwrap();
    let error = list::<Item>(&client, ITEMS, &[])
        .header("Prefer", "a\r\nInjected: yes")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    assert!(error.to_string().contains("header `prefer`"), "{error}");
    let error = list::<Item>(&client, ITEMS, &[])
        .header("Bad Name", "x")
        .await
        .unwrap_err();
    assert!(error.to_string().contains("header name"), "{error}");
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn page_size_twice_sends_one_prefer_with_the_last_size_beside_the_other_preferences() {
    let mock = MockTransport::new();
    for _ in 0..3 {
        mock.push(page(&["a"], None));
    }
    let client = mock.client_builder().build().unwrap();
    list::<Item>(&client, ITEMS, &[])
        .page_size(10)
        .page_size(20)
        .await
        .unwrap();
    list::<Item>(&client, ITEMS, &[])
        .header("Prefer", "return=minimal, odata.maxpagesize=5")
        .page_size(10)
        .header(
            "Prefer",
            r#"odata.include-annotations="display.*,odata.etag""#,
        )
        .await
        .unwrap();
    list::<Item>(&client, ITEMS, &[])
        .page_size(10)
        .resume(format!("{BASE}/items?$skiptoken=2"))
        .await
        .unwrap();
    let prefer = |request: &crate::mock::RecordedRequest| -> Vec<String> {
        let values = request.headers.get_all("prefer").iter();
        values
            .map(|value| value.to_str().unwrap().to_owned())
            .collect()
    };
    let requests = mock.requests();
    assert_eq!(prefer(&requests[0]), ["odata.maxpagesize=20"]);
    assert_eq!(
        prefer(&requests[1]),
        [
            r#"return=minimal, odata.include-annotations="display.*,odata.etag", odata.maxpagesize=10"#
        ]
    );
    assert_eq!(prefer(&requests[2]), ["odata.maxpagesize=10"]);
}

#[tokio::test]
async fn debug_of_a_request_and_of_its_pages_redacts_query_values() {
    let mock = MockTransport::new();
    mock.push(page(
        &["a"],
        Some(&format!("{BASE}/items?$skiptoken=secret-token")),
    ));
    let client = mock.client_builder().build().unwrap();
    let request = list::<Item>(&client, ITEMS, &[]).filter("mail eq 'a@b.com'");
    let shown = format!("{request:?}");
    assert!(shown.contains("/items?$filter=REDACTED"), "{shown}");
    assert!(
        !shown.contains("a@b.com") && !shown.contains("a%40b.com"),
        "{shown}"
    );
    let resumed =
        list::<Item>(&client, ITEMS, &[]).resume(format!("{BASE}/items?$skiptoken=stored"));
    let shown = format!("{resumed:?}");
    assert!(
        shown.contains("?$skiptoken=REDACTED") && !shown.contains("stored"),
        "{shown}"
    );

    let mut pages = list::<Item>(&client, ITEMS, &[]).pages();
    next(&mut pages).await.unwrap().unwrap();
    let shown = format!("{pages:?}");
    assert!(shown.contains("?$skiptoken=REDACTED"), "{shown}");
    assert!(!shown.contains("secret-token"), "{shown}");
}
