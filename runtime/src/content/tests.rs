use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::json;

use crate::nav::{EntityPath, Function};
use crate::transport::{Body, TransportErrorKind};
use crate::{Error, MockResponse, MockTransport};

struct ReportRoot;

impl crate::ODataType for ReportRoot {
    const ODATA_TYPE: &'static str = "#microsoft.graph.reportRoot";
}

impl crate::Model for ReportRoot {
    type Declared = ReportRoot;
}

fn item(mock: &MockTransport) -> EntityPath<serde_json::Value> {
    let client = mock.client_builder().build().unwrap();
    EntityPath::root(&client, "/drives/d1/items/i1")
}

#[tokio::test]
async fn downloads_stream_the_content_in_the_chunks_it_arrives_in() {
    let mock = MockTransport::new();
    mock.push(
        MockResponse::new(200)
            .header("content-type", "text/csv")
            .header("content-length", "10")
            .body("0123456789")
            .chunks(4),
    );
    let mut content = item(&mock).content().await.unwrap();
    assert_eq!(content.content_length(), Some(10));
    assert_eq!(content.content_type(), Some("text/csv"));
    let (mut chunks, mut total) = (Vec::new(), 0);
    while let Some(chunk) = content.next().await {
        let chunk = chunk.unwrap();
        total += chunk.len() as u64;
        assert_eq!(content.received(), total);
        chunks.push(chunk);
    }
    assert_eq!(chunks, ["0123", "4567", "89"]);
    let sent = &mock.requests()[0];
    assert_eq!(
        sent.uri,
        "https://graph.microsoft.com/v1.0/drives/d1/items/i1/content"
    );
    assert_eq!(sent.header("accept"), Some("*/*"));
    assert!(sent.header("authorization").is_some());
}

#[tokio::test]
async fn values_and_stream_functions_download_from_their_segments() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(200).body("jpeg"))
        .push(MockResponse::new(200).body("csv"));
    let photo = item(&mock).value().await.unwrap();
    assert_eq!(photo.bytes(16).await.unwrap(), "jpeg");
    let client = mock.client_builder().build().unwrap();
    let reports = EntityPath::<ReportRoot>::root(&client, "/reports");
    let function: Function<ReportRoot, Bytes> =
        Function::new("getOffice365ActiveUserDetail").arg("period", "D7");
    let csv = reports.download(function).await.unwrap();
    assert_eq!(csv.bytes(16).await.unwrap(), "csv");
    let uris: Vec<String> = mock.requests().iter().map(|r| r.uri.to_string()).collect();
    assert_eq!(
        uris,
        [
            "https://graph.microsoft.com/v1.0/drives/d1/items/i1/$value",
            "https://graph.microsoft.com/v1.0/reports/getOffice365ActiveUserDetail(period='D7')",
        ]
    );
}

#[tokio::test]
async fn downloads_follow_a_redirect_to_another_origin_without_any_header_of_the_request() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(302).header("location", "https://files.example/f?sig=s"))
        .push(MockResponse::new(200).body("file").chunks(1));
    let content = item(&mock).content().header("if-none-match", "\"e1\"");
    let content = content.await.unwrap();
    assert_eq!(content.bytes(16).await.unwrap(), "file");
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("if-none-match"), Some("\"e1\""));
    assert_eq!(requests[1].uri, "https://files.example/f?sig=s");
    assert!(requests[1].headers.is_empty(), "{:?}", requests[1].headers);
}

#[tokio::test]
async fn a_cut_mid_body_is_an_error_naming_the_bytes_received_and_is_not_retried() {
    let mock = MockTransport::new();
    mock.push(
        MockResponse::new(200)
            .header("content-length", "10")
            .body("0123456789")
            .chunks(3)
            .cut_after(7),
    )
    .push(MockResponse::new(200).body("0123456789"));
    let mut content = item(&mock).content().await.unwrap();
    let mut received = Vec::new();
    let error = loop {
        match content.next().await {
            Some(Ok(chunk)) => received.extend_from_slice(&chunk),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without its error"),
        }
    };
    assert_eq!(received, b"0123456");
    let transport = error.as_transport().unwrap();
    assert_eq!(transport.kind(), TransportErrorKind::Interrupted);
    assert_eq!(
        error.to_string(),
        "GET https://graph.microsoft.com/v1.0/drives/d1/items/i1/content: the content was cut \
         after 7 of 10 bytes"
    );
    assert!(content.next().await.is_none());
    assert_eq!((mock.requests().len(), mock.pending()), (1, 1));
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_an_error() {
    let mock = MockTransport::new();
    mock.push(
        MockResponse::new(200)
            .header("content-length", "10")
            .body("01234"),
    );
    let error = item(&mock).content().await.unwrap().bytes(64).await;
    let error = error.unwrap_err().to_string();
    assert!(
        error.ends_with("the content ended after 5 of 10 bytes"),
        "{error}"
    );
}

#[tokio::test]
async fn a_503_before_the_first_byte_is_retried() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(503).header("retry-after", "1"))
        .push(MockResponse::new(200).body("file"));
    let content = item(&mock).content().await.unwrap();
    assert_eq!(content.bytes(16).await.unwrap(), "file");
    assert_eq!(mock.requests().len(), 2);
    assert_eq!(mock.slept(), [std::time::Duration::from_secs(1)]);
}

#[tokio::test]
async fn a_connection_cut_before_the_first_byte_is_retried() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(200).body("file").cut_after(0))
        .push(MockResponse::new(200).body("file").chunks(2));
    let content = item(&mock).content().await.unwrap();
    assert_eq!(content.bytes(16).await.unwrap(), "file");
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn error_answers_of_downloads_keep_graphs_error() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(
        404,
        json!({"error": {"code": "itemNotFound", "message": "no such item"}}),
    ));
    let Err(Error::Api(error)) = item(&mock).content().await else {
        panic!("expected the 404");
    };
    assert_eq!(error.code(), Some("itemNotFound"));
}

#[tokio::test]
async fn collecting_stops_at_the_limit() {
    let mock = MockTransport::new();
    mock.push(
        MockResponse::new(200)
            .header("content-length", "10")
            .body("0123456789"),
    )
    .push(MockResponse::new(200).body("0123456789").chunks(4));
    let error = item(&mock).content().await.unwrap().bytes(9).await;
    let error = error.unwrap_err().to_string();
    assert!(
        error.contains("longer than the 9 bytes expected at most (its length is 10)"),
        "{error}"
    );
    let error = item(&mock).content().await.unwrap().bytes(7).await;
    let error = error.unwrap_err().to_string();
    assert!(
        error.contains("longer than the 7 bytes expected at most (8 bytes arrived)"),
        "{error}"
    );
}

#[cfg(feature = "tokio")]
#[tokio::test]
async fn writes_the_content_into_an_async_writer() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(200).body("0123456789").chunks(3));
    let mut written = Vec::new();
    let content = item(&mock).content().await.unwrap();
    assert_eq!(content.write_to(&mut written).await.unwrap(), 10);
    assert_eq!(written, b"0123456789");
}

fn stream_of(parts: &[&'static str]) -> Body {
    let length = parts.iter().map(|part| part.len() as u64).sum();
    let chunks: Vec<_> = parts.iter().map(|part| Ok(Bytes::from(*part))).collect();
    Body::stream(length, futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn uploads_from_a_stream_send_it_whole_with_its_content_type_and_answer_the_entity() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(201, json!({"id": "i1", "size": 6})));
    let written = item(&mock)
        .put_content("text/plain", stream_of(&["ab", "cd", "ef"]))
        .await
        .unwrap();
    assert_eq!(written, json!({"id": "i1", "size": 6}));
    let sent = &mock.requests()[0];
    assert_eq!(sent.method, http::Method::PUT);
    assert_eq!(sent.header("content-type"), Some("text/plain"));
    assert_eq!(sent.body, "abcdef");
}

#[tokio::test]
async fn uploads_from_bytes_are_retried_and_from_a_stream_are_sent_once() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(503))
        .push(MockResponse::new(204))
        .push(MockResponse::new(503));
    item(&mock).put_value("image/png", "png").await.unwrap();
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[1].uri,
        "https://graph.microsoft.com/v1.0/drives/d1/items/i1/$value"
    );
    assert_eq!(requests[1].body, "png");
    let error = item(&mock)
        .put_value("image/png", stream_of(&["png"]))
        .await;
    assert_eq!(
        error.unwrap_err().status(),
        Some(http::StatusCode::SERVICE_UNAVAILABLE)
    );
    assert_eq!(mock.requests().len(), 3);
}

#[tokio::test]
async fn a_304_to_a_conditional_download_is_its_api_error_not_a_broken_redirect() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(304).header("etag", "\"e1\""));
    let error = item(&mock)
        .content()
        .header("if-none-match", "\"e1\"")
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected the 304 as an API error, found {error:?}");
    };
    assert_eq!(api.status(), 304);
    assert_eq!(mock.requests().len(), 1);
}
