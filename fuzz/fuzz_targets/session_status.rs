//! A first byte that picks the mode, then bytes as what an upload session or a long-running
//! operation answers: the answer to `createUploadSession`, a fragment's `202 Accepted`, or
//! an operation's monitor. No panic; what is read agrees with the parsers; a fragment never
//! goes past the content, never back before what the session accepted, never carries the
//! token; an operation's status is what `OperationStatus::from_json` reads.
#![no_main]

use graph_resource::{
    Bytes, Client, Created, Error, MockResponse, MockTransport, Operation, OperationStatus,
    RetryPolicy, SessionStatus, UntypedResource, UploadKind, UploadSession,
};
use graph_resource_fuzz::block_on;
use libfuzzer_sys::fuzz_target;

const UPLOAD_URL: &str = "https://up.example/session/1?tempauth=t";
const CONTENT: usize = 12;

fn client(mock: &MockTransport) -> Client {
    mock.client_builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a valid client configuration")
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let mock = MockTransport::new();
    let client = client(&mock);
    match mode % 3 {
        0 => {
            let direct = SessionStatus::from_json(body);
            mock.push(MockResponse::new(200).body(body.to_vec()));
            let request = graph_resource::Request::<SessionStatus>::custom(
                &client,
                http::Method::POST,
                "/me/messages/{}/attachments/createUploadSession",
                &["m1"],
            );
            match (block_on(UploadSession::create(request, UploadKind::Attachment)), direct) {
                (Ok(session), Ok(direct)) => {
                    assert_eq!(Some(session.upload_url()), direct.upload_url());
                }
                (Err(Error::Incomplete(message)), _) => assert!(!message.is_empty()),
                (session, direct) => panic!("create gave {session:?}, the parser {direct:?}"),
            }
            if let Ok(status) = SessionStatus::from_json(body) {
                for total in [0, 1, CONTENT as u64, u64::MAX] {
                    if let Ok(next) = status.next_offset(total) {
                        assert!(next <= total);
                    }
                }
            }
        }
        1 => {
            // The resumed session is asked first and expects everything; the first
            // fragment is answered with the fuzzed 202, every later one with the item.
            mock.push(MockResponse::json(
                200,
                serde_json::json!({"nextExpectedRanges": ["0-"]}),
            ));
            mock.push(MockResponse::new(202).body(body.to_vec()));
            for _ in 0..CONTENT {
                mock.push(MockResponse::json(201, serde_json::json!({"id": "a1"})));
            }
            let session = UploadSession::resume(&client, UPLOAD_URL, UploadKind::Attachment)
                .and_then(|session| session.fragment_size(4))
                .expect("a valid session");
            let content = Bytes::from(vec![7u8; CONTENT]);
            let result: Result<Created<UntypedResource>, Error> =
                block_on(session.upload(content));
            let requests = mock.requests();
            let mut accepted = 0u64;
            for request in &requests {
                assert!(request.headers.get("authorization").is_none());
                if request.method == http::Method::PUT {
                    let range = request.header("content-range").expect("a Content-Range");
                    let (start, rest) = range
                        .strip_prefix("bytes ")
                        .and_then(|range| range.split_once('-'))
                        .expect("bytes a-b/total");
                    let (end, total) = rest.split_once('/').expect("a total");
                    let (start, end): (u64, u64) = (start.parse().unwrap(), end.parse().unwrap());
                    assert_eq!(total, CONTENT.to_string());
                    assert!(start <= end && end < CONTENT as u64, "{range}");
                    assert!(start >= accepted, "{range} after {accepted} were accepted");
                    accepted = start;
                }
            }
            if let Err(error) = result {
                let _ = error.to_string();
            }
        }
        _ => {
            let direct = OperationStatus::from_json(body);
            mock.push(MockResponse::new(200).body(body.to_vec()));
            let operation = Operation::at(&client, "/teams('t1')/operations('o1')")
                .expect("a path on Graph's origin");
            match (block_on(operation.status()), direct) {
                (Ok(status), Ok(direct)) => assert_eq!(status, direct),
                (Err(Error::Incomplete(message)), Err(direct)) => {
                    assert!(message.ends_with(&direct), "{message} / {direct}")
                }
                (status, direct) => panic!("status gave {status:?}, the parser {direct:?}"),
            }
        }
    }
});
