//! Content end to end through reqwest against local servers: a download in chunks written
//! to a file, a redirect to another origin without the token, a body cut mid-way, a 503
//! before the first byte, and an upload from a stream.

#[path = "support/http_server.rs"]
mod http_server;

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use graph_resource::{Body, Bytes, Client, EntityPath, Error, RecordingSleep, TransportErrorKind};
use http_server::{Reply, TestServer};
use serde_json::json;

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

fn item(client: &Client) -> EntityPath<serde_json::Value> {
    EntityPath::root(client, "/drives/d1/items/i1")
}

/// A `200` with `body` in chunked transfer encoding, `chunk` bytes a chunk.
fn chunked(body: &[u8], chunk: usize) -> Reply {
    let mut raw = b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n\
                    transfer-encoding: chunked\r\n\r\n"
        .to_vec();
    for part in body.chunks(chunk) {
        raw.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        raw.extend_from_slice(part);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    Reply::Raw(raw)
}

fn content_of(length: usize) -> Vec<u8> {
    (0..length).map(|index| (index % 251) as u8).collect()
}

#[tokio::test]
async fn a_chunked_download_is_collected_and_written_to_a_file() {
    let content = content_of(300_000);
    let server = TestServer::scripted(vec![chunked(&content, 65_536), chunked(&content, 7)]).await;
    let client = client(&server);

    let download = item(&client).content().await.unwrap();
    assert_eq!(download.content_type(), Some("application/octet-stream"));
    assert_eq!(download.content_length(), None);
    let path = std::env::temp_dir().join(format!("graph-resource-content-{}", std::process::id()));
    let mut file = tokio::fs::File::create(&path).await.unwrap();
    assert_eq!(download.write_to(&mut file).await.unwrap(), 300_000);
    drop(file);
    let written = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(written == content, "the file differs from the content");

    let collected = item(&client)
        .content()
        .await
        .unwrap()
        .bytes(300_000)
        .await
        .unwrap();
    assert!(
        collected == content,
        "the collected bytes differ from the content"
    );
    let request = &server.requests()[0];
    assert_eq!(request.target, "/v1.0/drives/d1/items/i1/content");
    assert_eq!(
        request.header("authorization"),
        Some("Bearer local-test-token")
    );
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_followed_without_the_token() {
    let files = TestServer::scripted(vec![Reply::with_type(200, "text/csv", "a,b\n1,2\n")]).await;
    let location = format!("{}/download/f.csv?sig=secret", files.url());
    let graph = TestServer::scripted(vec![
        Reply::with_type(302, "text/plain", "").header("Location", &location),
    ])
    .await;
    let client = client(&graph);

    let download = item(&client).content().await.unwrap();
    assert_eq!(download.content_type(), Some("text/csv"));
    assert_eq!(download.bytes(1024).await.unwrap(), "a,b\n1,2\n");
    let followed = &files.requests()[0];
    assert_eq!(followed.target, "/download/f.csv?sig=secret");
    assert_eq!(followed.header("authorization"), None);
    assert_eq!(followed.header("client-request-id"), None);
    assert!(graph.requests()[0].header("authorization").is_some());
}

#[tokio::test]
async fn a_redirect_of_a_redirect_is_followed_hop_by_hop_without_a_referer() {
    let cdn = TestServer::scripted(vec![Reply::with_type(200, "text/csv", "a,b\n")]).await;
    let blob = format!("{}/blob/f.csv?se=1", cdn.url());
    let files = TestServer::scripted(vec![
        Reply::with_type(302, "text/plain", "").header("Location", &blob),
    ])
    .await;
    let location = format!("{}/download/f.csv?sig=secret", files.url());
    let graph = TestServer::scripted(vec![
        Reply::with_type(302, "text/plain", "").header("Location", &location),
    ])
    .await;
    let client = client(&graph);

    let download = item(&client).content().await.unwrap();
    assert_eq!(download.bytes(1024).await.unwrap(), "a,b\n");
    let last = &cdn.requests()[0];
    assert_eq!(last.target, "/blob/f.csv?se=1");
    // The pre-authenticated URL of the hop before must not reach the next origin.
    assert_eq!(last.header("referer"), None);
    assert_eq!(last.header("authorization"), None);
}

#[tokio::test]
async fn a_body_dropped_mid_way_is_an_error_naming_the_bytes_received_and_is_not_retried() {
    let mut raw = b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n".to_vec();
    raw.extend_from_slice(&[b'x'; 40]);
    let server = TestServer::scripted(vec![
        Reply::Raw(raw),
        Reply::with_type(200, "text/plain", "a retry must not happen"),
    ])
    .await;
    let client = client(&server);

    let mut download = item(&client).content().await.unwrap();
    let mut received = 0;
    let error = loop {
        match download.next().await {
            Some(Ok(chunk)) => received += chunk.len(),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without an error"),
        }
    };
    assert_eq!(received, 40);
    assert_eq!(
        error.as_transport().map(|error| error.kind()),
        Some(TransportErrorKind::Interrupted),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .ends_with("the content was cut after 40 of 100 bytes"),
        "{error}"
    );
    assert!(download.next().await.is_none());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_503_before_the_first_byte_is_retried() {
    let server = TestServer::scripted(vec![
        Reply::json(
            503,
            r#"{"error":{"code":"serviceNotAvailable","message":"busy"}}"#,
        )
        .header("Retry-After", "0"),
        chunked(b"file content", 5),
    ])
    .await;
    let client = client(&server);

    let download = item(&client).content().await.unwrap();
    assert_eq!(download.bytes(64).await.unwrap(), "file content");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_upload_from_a_stream_arrives_whole_with_its_content_type_and_length() {
    let content = content_of(200_000);
    let server =
        TestServer::scripted(vec![Reply::json(201, r#"{"id": "i1", "size": 200000}"#)]).await;
    let client = client(&server);

    let chunks: Vec<Result<Bytes, std::io::Error>> = content
        .chunks(30_000)
        .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
        .collect();
    let body = Body::stream(200_000, futures_util::stream::iter(chunks));
    let written = item(&client).put_content("image/png", body).await.unwrap();
    assert_eq!(written, json!({"id": "i1", "size": 200000}));

    let request = &server.requests()[0];
    assert_eq!(request.method, "PUT");
    assert_eq!(request.target, "/v1.0/drives/d1/items/i1/content");
    assert_eq!(request.header("content-type"), Some("image/png"));
    assert_eq!(request.header("content-length"), Some("200000"));
    assert_eq!(request.header("transfer-encoding"), None);
    assert!(
        request.body == content,
        "the uploaded body differs from the content"
    );
}

#[tokio::test]
async fn an_upload_whose_stream_fails_is_an_error_and_is_not_sent_again() {
    let server = TestServer::scripted(vec![]).await;
    let client = client(&server);
    let chunks = vec![
        Ok(Bytes::from_static(b"first part")),
        Err(std::io::Error::other("the disk went away")),
    ];
    let body = Body::stream(100, futures_util::stream::iter(chunks));
    let error = item(&client)
        .put_value("text/plain", body)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let chain: Vec<String> =
        std::iter::successors(Some(&error as &dyn std::error::Error), |e| e.source())
            .map(ToString::to_string)
            .collect();
    assert!(
        chain.iter().any(|m| m.contains("the disk went away")),
        "{chain:?}"
    );
    assert!(server.requests().len() <= 1);
}
