//! Upload sessions end to end: the real `Client` with the reqwest transport, a Graph-like
//! server that creates sessions, and the session itself on a second local server (another
//! origin), which keeps what it accepted and injects faults. Every test checks that no
//! request to the upload URL carries `Authorization`.

#[path = "support/http_server.rs"]
mod http_server;
#[path = "support/upload_session.rs"]
mod upload_session;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_resource::{
    Bytes, Client, Created, Error, RecordingSleep, RetryPolicy, UntypedResource, UploadKind,
    UploadSession,
};
use http_server::{Reply, TestServer};
use upload_session::{Fault, Finish, Session};

const TOKEN: &str = "local-test-token-7f3a";
const FRAGMENT: usize = 320 * 1024;
const TIMEOUT: Duration = Duration::from_secs(5);

/// Content whose every byte tells its offset apart from its neighbours'.
fn content(len: usize) -> Vec<u8> {
    (0..len).map(|index| (index % 251) as u8).collect()
}

fn client(graph: &TestServer, sleep: &RecordingSleep) -> Client {
    Client::builder()
        .base_url(graph.url())
        .bearer_token(TOKEN)
        .sleep(Arc::new(sleep.clone()))
        .timeout(TIMEOUT)
        .build()
        .unwrap()
}

/// A Graph-like server whose `createUploadSession` answers `session`'s URL.
async fn graph_for(session: &Session) -> TestServer {
    let body = format!(
        r#"{{"uploadUrl": "{}", "expirationDateTime": "2099-01-01T00:00:00Z", "nextExpectedRanges": ["0-"]}}"#,
        session.url()
    );
    TestServer::start(move |_| Reply::json(200, &body)).await
}

fn assert_no_token_on(session: &Session) {
    for request in session.server.requests() {
        assert_eq!(request.header("authorization"), None, "{request:?}");
        assert_eq!(request.header("client-request-id"), None, "{request:?}");
    }
}

async fn drive_item(graph: &TestServer, sleep: &RecordingSleep) -> UploadSession {
    UploadSession::drive_item(&client(graph, sleep), "b!drive", "root", "report.pdf")
        .await
        .unwrap()
}

#[tokio::test]
async fn fragments_go_in_order_without_the_token_and_a_one_byte_last_fragment_ends_with_the_item() {
    let session = Session::start(Finish::Item).await;
    let graph = graph_for(&session).await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let upload = drive_item(&graph, &sleep)
        .await
        .fragment_size(FRAGMENT as u64)
        .unwrap()
        .on_progress(move |sent, total| record.lock().unwrap().push((sent, total)));
    let data = content(2 * FRAGMENT + 1);
    let item: Created<serde_json::Value> = upload.upload(Bytes::from(data.clone())).await.unwrap();

    assert_eq!(item.entity().unwrap()["id"], "item-1");
    assert_eq!(session.received(), data);
    let total = data.len();
    assert_eq!(
        session.ranges(),
        [
            format!("bytes 0-{}/{total}", FRAGMENT - 1),
            format!("bytes {FRAGMENT}-{}/{total}", 2 * FRAGMENT - 1),
            format!("bytes {}-{}/{total}", 2 * FRAGMENT, 2 * FRAGMENT),
        ]
    );
    let lengths: Vec<_> = (session.server.requests().iter())
        .map(|request| request.header("content-length").unwrap().to_owned())
        .collect();
    assert_eq!(
        lengths,
        [FRAGMENT.to_string(), FRAGMENT.to_string(), "1".into()]
    );
    assert_no_token_on(&session);
    let create = &graph.requests()[0];
    assert_eq!(
        create.decoded_target(),
        "/drives/b!drive/items/root:/report.pdf:/createUploadSession"
    );
    assert_eq!(
        create.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let total = total as u64;
    let fragment = FRAGMENT as u64;
    assert_eq!(
        *seen.lock().unwrap(),
        [
            (0, total),
            (fragment, total),
            (2 * fragment, total),
            (total, total)
        ]
    );
    assert_eq!(upload.progress().sent(), total);
    assert_eq!(upload.progress().total(), total);
}

#[tokio::test]
async fn content_of_exactly_one_fragment_is_one_put_of_the_default_size() {
    let session = Session::start(Finish::Item).await;
    let graph = graph_for(&session).await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let upload = drive_item(&graph, &sleep).await;
    let data = content(10 * 1024 * 1024);
    let item: Created<UntypedResource> = upload.upload(Bytes::from(data.clone())).await.unwrap();
    assert!(item.entity().is_some());
    assert_eq!(
        session.ranges(),
        [format!("bytes 0-{}/{}", data.len() - 1, data.len())]
    );
    assert_eq!(session.received(), data);
    assert_no_token_on(&session);
}

#[tokio::test]
async fn empty_content_is_refused_before_anything_is_sent() {
    let session = Session::start(Finish::Item).await;
    let graph = graph_for(&session).await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let upload = drive_item(&graph, &sleep).await;
    let error = upload
        .upload::<UntypedResource>(Bytes::new())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error}");
    assert!(error.to_string().contains("at least one byte"), "{error}");
    assert!(session.server.requests().is_empty());
}

#[tokio::test]
async fn a_connection_dropped_mid_fragment_resumes_from_what_the_session_kept() {
    let session = Session::start(Finish::Item).await;
    let graph = graph_for(&session).await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    session.fault(2, Fault::DropHalfway);
    let upload = drive_item(&graph, &sleep)
        .await
        .fragment_size(FRAGMENT as u64)
        .unwrap();
    let data = content(3 * FRAGMENT);
    let total = data.len();
    let _: Created<UntypedResource> = upload.upload(Bytes::from(data.clone())).await.unwrap();
    assert_eq!(session.received(), data);
    assert_eq!(
        session.overlaps(),
        0,
        "a byte the session had was sent again"
    );
    let half = FRAGMENT + FRAGMENT / 2;
    assert_eq!(
        session.ranges(),
        [
            format!("bytes 0-{}/{total}", FRAGMENT - 1),
            format!("bytes {FRAGMENT}-{}/{total}", 2 * FRAGMENT - 1),
            format!("bytes {half}-{}/{total}", half + FRAGMENT - 1),
            format!("bytes {}-{}/{total}", half + FRAGMENT, total - 1),
        ]
    );
    let methods: Vec<_> = (session.server.requests().iter())
        .map(|request| request.method.clone())
        .collect();
    assert_eq!(methods, ["PUT", "PUT", "GET", "PUT", "PUT"]);
    assert_eq!(sleep.slept().len(), 1, "one retry delay");
    assert_no_token_on(&session);
}

#[tokio::test]
async fn a_503_and_a_429_on_a_fragment_send_it_again_after_retry_after() {
    let session = Session::start(Finish::Item).await;
    let graph = graph_for(&session).await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    session.fault(1, Fault::Status(503, None));
    session.fault(3, Fault::Status(429, Some("7")));
    let upload = drive_item(&graph, &sleep)
        .await
        .fragment_size(FRAGMENT as u64)
        .unwrap();
    let data = content(2 * FRAGMENT);
    let _: Created<UntypedResource> = upload.upload(Bytes::from(data.clone())).await.unwrap();
    assert_eq!(session.received(), data);
    assert_eq!(session.ranges().len(), 4);
    assert_eq!(session.ranges()[0], session.ranges()[1]);
    assert_eq!(session.ranges()[2], session.ranges()[3]);
    assert_eq!(sleep.slept().get(1), Some(&Duration::from_secs(7)));
    assert_no_token_on(&session);
}

#[tokio::test]
async fn a_416_asks_the_session_where_it_stands_and_goes_on_from_there() {
    let session = Session::start(Finish::Item).await;
    let graph = graph_for(&session).await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    session.fault(2, Fault::Status(416, None));
    let upload = drive_item(&graph, &sleep)
        .await
        .fragment_size(FRAGMENT as u64)
        .unwrap();
    let data = content(2 * FRAGMENT + 10);
    let _: Created<UntypedResource> = upload.upload(Bytes::from(data.clone())).await.unwrap();
    assert_eq!(session.received(), data);
    let methods: Vec<_> = (session.server.requests().iter())
        .map(|request| request.method.clone())
        .collect();
    assert_eq!(methods, ["PUT", "PUT", "GET", "PUT", "PUT"]);
    assert!(sleep.slept().is_empty(), "a 416 is answered at once");
    assert_no_token_on(&session);
}

#[tokio::test]
async fn an_expired_session_is_its_own_error() {
    let session = Session::start(Finish::Item).await;
    let graph = graph_for(&session).await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let upload = drive_item(&graph, &sleep).await;
    session.state.lock().unwrap().expired = true;
    let error = upload
        .upload::<UntypedResource>(Bytes::from(content(10)))
        .await
        .unwrap_err();
    let Error::SessionExpired(expired) = &error else {
        panic!("expected SessionExpired, got {error:?}");
    };
    assert_eq!(expired.upload_url(), session.url());
    assert!(
        error.to_string().contains("create a new session"),
        "{error}"
    );
    assert!(!error.to_string().contains("secret"), "{error}");

    // A session whose expirationDateTime passed is not sent anything.
    let past = TestServer::start(|_| {
        Reply::json(
            200,
            r#"{"uploadUrl": "http://127.0.0.1:9/up", "expirationDateTime": "2001-01-01T00:00:00Z"}"#,
        )
    })
    .await;
    let upload = UploadSession::drive_item(&client(&past, &sleep), "d", "root", "f")
        .await
        .unwrap();
    let error = upload
        .upload::<UntypedResource>(Bytes::from(content(10)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::SessionExpired(_)), "{error:?}");
    assert!(error.to_string().contains("2001-01-01"), "{error}");
}

#[tokio::test]
async fn a_restart_resumes_from_the_stored_url_without_sending_an_accepted_byte_twice() {
    let session = Session::start(Finish::Item).await;
    let graph = graph_for(&session).await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    session.fault(3, Fault::DropHalfway);
    let data = content(4 * FRAGMENT);
    let stored = {
        let once = Client::builder()
            .base_url(graph.url())
            .bearer_token(TOKEN)
            .sleep(Arc::new(sleep.clone()))
            .retry_policy(RetryPolicy::none())
            .timeout(TIMEOUT)
            .build()
            .unwrap();
        let upload = UploadSession::drive_item(&once, "b!drive", "root", "report.pdf")
            .await
            .unwrap()
            .fragment_size(FRAGMENT as u64)
            .unwrap();
        let error = upload
            .upload::<UntypedResource>(Bytes::from(data.clone()))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        upload.upload_url().to_owned()
    };
    let kept = session.received().len();
    assert_eq!(kept, 2 * FRAGMENT + FRAGMENT / 2);

    // A new process: a new client, the stored URL, the whole file again.
    let upload = UploadSession::resume(&client(&graph, &sleep), &stored, UploadKind::DriveItem)
        .unwrap()
        .fragment_size(FRAGMENT as u64)
        .unwrap();
    let _: Created<UntypedResource> = upload.upload(Bytes::from(data.clone())).await.unwrap();
    assert_eq!(session.received(), data);
    assert_eq!(
        session.overlaps(),
        0,
        "a byte the session had was sent again"
    );
    let ranges = session.ranges();
    assert_eq!(
        ranges[3..],
        [
            format!("bytes {kept}-{}/{}", kept + FRAGMENT - 1, data.len()),
            format!(
                "bytes {}-{}/{}",
                kept + FRAGMENT,
                data.len() - 1,
                data.len()
            ),
        ]
    );
    assert_eq!(graph.requests().len(), 1, "no second session was created");
    assert_no_token_on(&session);
}

#[tokio::test]
async fn an_attachment_ends_on_a_location_without_body() {
    let session = Session::start(Finish::Location).await;
    let graph = graph_for(&session).await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let data = content(5 * 1024 * 1024);
    let upload =
        UploadSession::attachment(&client(&graph, &sleep), "m1", "plan.pdf", data.len() as u64)
            .await
            .unwrap();
    let done: Created<UntypedResource> = upload.upload(Bytes::from(data.clone())).await.unwrap();
    assert_eq!(
        done.location(),
        Some(format!("{}/attachments/a1", session.server.url()).as_str())
    );
    assert_eq!(
        session.ranges()[0],
        format!("bytes 0-{}/{}", 3 * 1024 * 1024 - 1, data.len())
    );
    let create = &graph.requests()[0];
    assert_eq!(
        create.decoded_target(),
        "/me/messages/m1/attachments/createUploadSession"
    );
    assert_eq!(
        create.json(),
        serde_json::json!({"AttachmentItem": {"attachmentType": "file", "name": "plan.pdf", "size": data.len()}})
    );
    assert_no_token_on(&session);
}

#[tokio::test]
async fn a_location_on_another_origin_than_the_session_is_refused() {
    let session = Session::start(Finish::Location).await;
    session.state.lock().unwrap().location = "https://elsewhere.example/a1".into();
    let graph = graph_for(&session).await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let upload = UploadSession::attachment(&client(&graph, &sleep), "m1", "a.txt", 3)
        .await
        .unwrap();
    let error = upload
        .upload::<UntypedResource>(Bytes::from_static(b"abc"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Incomplete(_)), "{error:?}");
    assert!(
        error.to_string().contains("https://elsewhere.example/a1"),
        "{error}"
    );
}

#[tokio::test]
async fn cancel_deletes_the_session() {
    let session = Session::start(Finish::Item).await;
    let graph = graph_for(&session).await;
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let upload = drive_item(&graph, &sleep).await;
    upload.cancel().await.unwrap();
    assert!(session.state.lock().unwrap().deleted);
    let error = upload.status().await.unwrap_err();
    assert!(matches!(error, Error::SessionExpired(_)), "{error:?}");
    assert_no_token_on(&session);
}

#[tokio::test]
async fn bad_session_answers_are_clear_errors() {
    let sleep = RecordingSleep::new().passing(TIMEOUT);
    let no_url = TestServer::start(|_| {
        Reply::json(200, r#"{"expirationDateTime": "2099-01-01T00:00:00Z"}"#)
    })
    .await;
    let error = UploadSession::drive_item(&client(&no_url, &sleep), "d", "root", "f")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Incomplete(_)), "{error:?}");
    assert!(error.to_string().contains("`uploadUrl`"), "{error}");

    let session =
        TestServer::start(|_| Reply::json(202, r#"{"nextExpectedRanges": ["12-oops"]}"#)).await;
    let url = format!("{}/up", session.url());
    let graph =
        TestServer::start(move |_| Reply::json(200, &format!(r#"{{"uploadUrl": "{url}"}}"#))).await;
    let upload = UploadSession::attachment(&client(&graph, &sleep), "m", "a", 20)
        .await
        .unwrap()
        .fragment_size(10)
        .unwrap();
    let error = upload
        .upload::<UntypedResource>(Bytes::from(content(20)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Incomplete(_)), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("`12-oops`") && message.contains("PUT"),
        "{message}"
    );

    let wrong = UploadSession::resume(
        &client(&graph, &sleep),
        "http://x/up",
        UploadKind::DriveItem,
    )
    .unwrap()
    .fragment_size(1000)
    .unwrap_err();
    assert!(wrong.to_string().contains("multiple of 320 KiB"), "{wrong}");
    let large = UploadKind::Attachment
        .check_fragment_size(5 * 1024 * 1024)
        .unwrap_err();
    assert!(large.to_string().contains("at most 4 MiB"), "{large}");
}
