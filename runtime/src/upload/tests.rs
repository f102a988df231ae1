use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use serde_json::json;

use super::{UploadKind, UploadSession};
use crate::{Error, MockResponse, MockTransport, Request, SessionStatus, UntypedResource};

/// `time` as `yyyy-mm-ddThh:mm:ssZ`, to the second below.
fn iso(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    // Days since 1970-01-01 to a civil date (H. Hinnant's `civil_from_days`).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (hour, minute, second) = (rest / 3600, rest % 3600 / 60, rest % 60);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

#[test]
fn iso_dates_are_civil_dates() {
    assert_eq!(iso(UNIX_EPOCH), "1970-01-01T00:00:00Z");
    let leap = UNIX_EPOCH + Duration::from_secs(951_782_400 + 3661);
    assert_eq!(iso(leap), "2000-02-29T01:01:01Z");
}

#[tokio::test]
async fn an_expiration_moved_later_by_a_fragment_lets_a_second_upload_go_on() {
    let mock = MockTransport::new();
    // A whole second, more than two seconds away: the first upload is long over before
    // it, however slow the machine.
    let whole = |time: SystemTime| time.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let soon_at = UNIX_EPOCH + Duration::from_secs(whole(SystemTime::now()) + 3);
    let soon = iso(soon_at);
    let later = "2099-01-01T00:00:00Z";
    mock.push(MockResponse::json(
        200,
        json!({"uploadUrl": "https://up.example/s1", "expirationDateTime": soon, "nextExpectedRanges": ["0-"]}),
    ))
    .push(MockResponse::json(
        202,
        json!({"expirationDateTime": later, "nextExpectedRanges": ["4-"]}),
    ))
    .push(MockResponse::new(400))
    .push(MockResponse::json(200, json!({"nextExpectedRanges": ["4-"]})))
    .push(MockResponse::json(201, json!({"id": "a1"})));
    let client = mock.client_builder().build().unwrap();
    let request = Request::<SessionStatus>::custom(
        &client,
        http::Method::POST,
        "/me/messages/{}/attachments/createUploadSession",
        &["m1"],
    );
    let session = UploadSession::create(request, UploadKind::Attachment)
        .await
        .unwrap()
        .fragment_size(4)
        .unwrap();
    let content = Bytes::from_static(b"01234567");
    let first = session.upload::<UntypedResource>(content.clone()).await;
    assert!(matches!(first, Err(Error::Api(_))), "{first:?}");
    assert_eq!(session.expiration_date_time().as_deref(), Some(later));

    // The creation's expiration passes; the session's last answer moved it later.
    while SystemTime::now() < soon_at {
        std::thread::sleep(Duration::from_millis(50));
    }
    session.upload::<UntypedResource>(content).await.unwrap();
    let requests = mock.requests();
    assert_eq!(requests.len(), 5);
    assert_eq!(requests[4].header("content-range"), Some("bytes 4-7/8"));
}

#[tokio::test]
async fn a_created_session_whose_upload_url_is_not_https_is_an_incomplete_answer() {
    for upload_url in [
        "ftp://up.example/s1",
        "up.example/s1",
        "https://u:p@up.example/s1",
    ] {
        let mock = MockTransport::new();
        mock.push(MockResponse::json(200, json!({"uploadUrl": upload_url})));
        let client = mock.client_builder().build().unwrap();
        let request = Request::<SessionStatus>::custom(
            &client,
            http::Method::POST,
            "/me/messages/{}/attachments/createUploadSession",
            &["m1"],
        );
        let error = UploadSession::create(request, UploadKind::Attachment)
            .await
            .unwrap_err();
        let Error::Incomplete(message) = &error else {
            panic!("{upload_url}: expected Error::Incomplete, found {error:?}");
        };
        assert!(
            message.starts_with("POST https://graph.microsoft.com/v1.0/me/messages/m1/")
                && message.contains("`uploadUrl`"),
            "{message}"
        );
        assert!(!message.contains("u:p"), "{message}");
    }
}
