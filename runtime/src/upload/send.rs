//! The fragment loop: each fragment a bare `PUT` to the upload URL through the client's
//! transport (no token, no header of the client's), in order, one at a time, retried as the
//! client's retry policy allows, resumed from where the session says it stands.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_RANGE, LOCATION};
use http::{HeaderMap, HeaderValue, Method, Response, StatusCode};
use serde::de::DeserializeOwned;

use super::source::{UploadSource, read_exact};
use super::{SessionStatus, UploadSession};
use crate::date_time_offset::parse_utc;
use crate::error::decode::{Json, decode};
use crate::error::{Error, SessionExpiredError};
use crate::paging::origin;
use crate::pipeline::{bare, retry, telemetry};
use crate::response::Created;
use crate::text::RedactedUrl;
use crate::transport::{TransportError, TransportErrorKind};

/// How many answers in a row may leave the session where it was (a `416`, a `202` that
/// accepted nothing) before the upload gives up: a session that never moves would
/// otherwise be asked forever.
const MAX_IDLE_ROUNDS: u32 = 4;

/// The upload loop of [`UploadSession::upload`].
pub(super) async fn upload<T: DeserializeOwned>(
    session: &UploadSession,
    source: &mut dyn UploadSource,
) -> Result<Created<T>, Error> {
    let total = source.len();
    if total == 0 {
        return Err(Error::InvalidArgument(
            "the content to upload is empty: an upload session takes at least one byte; \
             upload an empty file with a plain `PUT` of its content"
                .into(),
        ));
    }
    let expiration = session.expiration_date_time();
    if (expiration.as_deref())
        .and_then(parse_utc)
        .is_some_and(|expires| expires <= SystemTime::now())
    {
        return Err(expired(session));
    }
    let pipeline = session.client.pipeline();
    let fresh = session.progress.total() == 0;
    let mut next = match session.start {
        Some(start) if fresh => start.min(total),
        _ => offset(session, &Method::GET, &ask(session).await?, total)?,
    };
    let mut window = Window::default();
    let (mut retry, mut waited, mut idle) = (0u32, Duration::ZERO, 0u32);
    loop {
        session.accepted(next, total);
        if next >= total {
            return Err(Error::Incomplete(format!(
                "PUT {}: the session holds all {total} bytes but did not answer with the \
                 uploaded item: expected `200 OK` or `201 Created` to the last fragment",
                RedactedUrl(&session.url)
            )));
        }
        let end = next.saturating_add(session.fragment_size).min(total);
        let body = window.fragment(session, source, next, end).await?;
        let failure = match exchange(session, Method::PUT, content_range(next, end, total), body)
            .await
        {
            Ok(response) if matches!(response.status(), StatusCode::OK | StatusCode::CREATED) => {
                session.accepted(total, total);
                return finish(session, response);
            }
            Ok(response) => {
                let status = read_status(session, &Method::PUT, response.body())?;
                let before = next;
                next = offset(session, &Method::PUT, &status, total)?;
                if next > before {
                    (retry, waited, idle) = (0, Duration::ZERO, 0);
                } else {
                    idle = stalled(session, idle, before)?;
                }
                continue;
            }
            Err(failure) => failure,
        };
        let (ask_first, retry_after) = match &failure {
            Error::Api(api) if api.status() == StatusCode::RANGE_NOT_SATISFIABLE => {
                idle = stalled(session, idle, next)?;
                next = offset(session, &Method::GET, &ask(session).await?, total)?;
                continue;
            }
            Error::Api(api)
                if matches!(
                    api.status(),
                    StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
                ) =>
            {
                (false, api.retry_after())
            }
            Error::Api(api) if api.status().is_server_error() => (true, api.retry_after()),
            Error::Transport(error) if error.kind() != TransportErrorKind::Other => (true, None),
            _ => return Err(failure),
        };
        retry = retry.saturating_add(1);
        let Some(delay) = pipeline.retry.next_delay(retry, waited, retry_after) else {
            return Err(failure);
        };
        telemetry::retrying(retry, delay, &failure);
        pipeline.sleep.sleep(delay).await;
        waited = waited.saturating_add(delay);
        if ask_first {
            // The session may have taken some of the fragment before the fault.
            next = offset(session, &Method::GET, &ask(session).await?, total)?;
        }
    }
}

/// `GET` on the upload URL, retried as the client's policy allows: where the session stands.
pub(super) async fn ask(session: &UploadSession) -> Result<SessionStatus, Error> {
    let pipeline = session.client.pipeline();
    let response = retry::send(&pipeline.retry, &*pipeline.sleep, &Method::GET, |_| {
        exchange(session, Method::GET, HeaderMap::new(), Bytes::new())
    })
    .await?;
    read_status(session, &Method::GET, response.body())
}

/// `DELETE` on the upload URL, retried as the client's policy allows.
pub(super) async fn cancel(session: &UploadSession) -> Result<(), Error> {
    let pipeline = session.client.pipeline();
    retry::send(&pipeline.retry, &*pipeline.sleep, &Method::DELETE, |_| {
        exchange(session, Method::DELETE, HeaderMap::new(), Bytes::new())
    })
    .await
    .map(drop)
}

/// One request to the upload URL with only `headers` ([`bare::send`]): `404` is the
/// session gone.
async fn exchange(
    session: &UploadSession,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response<Bytes>, Error> {
    match bare::send(
        session.client.pipeline(),
        method,
        &session.url,
        headers,
        body,
    )
    .await
    {
        Err(Error::Api(api)) if api.status() == StatusCode::NOT_FOUND => Err(expired(session)),
        result => result,
    }
}

/// `Content-Range: bytes {start}-{end - 1}/{total}` and `Content-Length`.
fn content_range(start: u64, end: u64, total: u64) -> HeaderMap {
    let mut headers = HeaderMap::with_capacity(2);
    let range = format!("bytes {start}-{}/{total}", end.saturating_sub(1));
    if let Ok(range) = HeaderValue::try_from(range) {
        headers.insert(CONTENT_RANGE, range);
    }
    headers.insert(CONTENT_LENGTH, HeaderValue::from(end - start));
    headers
}

/// The session's JSON answer to `method`; a malformed one is an [`Error::Incomplete`]
/// that quotes what was wrong.
fn read_status(
    session: &UploadSession,
    method: &Method,
    body: &[u8],
) -> Result<SessionStatus, Error> {
    let status =
        SessionStatus::from_json(body).map_err(|message| protocol(session, method, &message))?;
    session.saw(&status);
    Ok(status)
}

/// Where `status` says the upload goes on, for content of `total` bytes.
fn offset(
    session: &UploadSession,
    method: &Method,
    status: &SessionStatus,
    total: u64,
) -> Result<u64, Error> {
    status
        .next_offset(total)
        .map_err(|message| protocol(session, method, &message))
}

/// One more round in which the session accepted nothing from `offset`, or an error when
/// there were too many.
fn stalled(session: &UploadSession, idle: u32, offset: u64) -> Result<u32, Error> {
    let idle = idle + 1;
    if idle > MAX_IDLE_ROUNDS {
        return Err(protocol(
            session,
            &Method::PUT,
            &format!(
                "the session accepted no byte from offset {offset} in {idle} rounds in a row: \
                 expected it to move on"
            ),
        ));
    }
    Ok(idle)
}

/// The end of the upload: the entity in the body, or where it is (`Location`, which must be
/// on the upload URL's origin).
fn finish<T: DeserializeOwned>(
    session: &UploadSession,
    response: Response<Bytes>,
) -> Result<Created<T>, Error> {
    let (parts, body) = response.into_parts();
    if !body.is_empty() {
        let entity = decode(&Method::PUT, &session.url, parts.status, Json::Bytes(&body))?;
        return Ok(Created::Entity(entity));
    }
    let location = match parts.headers.get(LOCATION) {
        None => None,
        Some(value) => {
            let location = value.to_str().ok().filter(|location| {
                let here = origin(location);
                here.is_some() && here == origin(&session.url)
            });
            let Some(location) = location else {
                return Err(protocol(
                    session,
                    &Method::PUT,
                    &format!(
                        "expected the `Location` of the uploaded item on the upload URL's \
                         origin, found `{}`",
                        RedactedUrl(&String::from_utf8_lossy(value.as_bytes()))
                    ),
                ));
            };
            Some(location.to_owned())
        }
    };
    Ok(Created::NoContent { location })
}

/// An answer of the session that breaks its protocol.
fn protocol(session: &UploadSession, method: &Method, message: &str) -> Error {
    Error::Incomplete(format!("{method} {}: {message}", RedactedUrl(&session.url)))
}

fn expired(session: &UploadSession) -> Error {
    let expiration = session.expiration_date_time();
    Error::SessionExpired(Box::new(SessionExpiredError::new(
        &session.url,
        expiration.as_deref(),
    )))
}

/// The fragment last read from the source: resent in part or whole without reading again.
#[derive(Debug, Default)]
struct Window {
    /// The offset of its first byte.
    start: u64,
    bytes: Bytes,
}

impl Window {
    /// The bytes `next..end` of the content: from the window when it holds them, else read
    /// from the source (skipping forward to `next`), keeping what the window holds of them.
    async fn fragment(
        &mut self,
        session: &UploadSession,
        source: &mut dyn UploadSource,
        next: u64,
        end: u64,
    ) -> Result<Bytes, Error> {
        let start = self.start;
        let held_end = start + self.bytes.len() as u64;
        let index = |offset: u64| usize::try_from(offset - start).unwrap_or(usize::MAX);
        if next >= start && end <= held_end {
            return Ok(self.bytes.slice(index(next)..index(end)));
        }
        if next < start {
            return Err(protocol(
                session,
                &Method::PUT,
                &format!(
                    "the session expects bytes from offset {next} again, which it had \
                     accepted; the content cannot be read again before offset {start}"
                ),
            ));
        }
        let unreadable = |error: std::io::Error| {
            let error = TransportError::new(
                TransportErrorKind::Other,
                format!("could not read the content to upload at offset {next}"),
            )
            .with_source(error);
            Error::Transport(error.for_request(&Method::PUT, &session.url))
        };
        let len = usize::try_from(end - next).map_err(|_| {
            Error::InvalidArgument("a fragment larger than this machine's memory".into())
        })?;
        // Only what is still needed of the old window stays in memory beside the new one.
        let kept = if next < held_end {
            self.bytes.slice(index(next)..)
        } else {
            Bytes::new()
        };
        self.bytes = Bytes::new();
        let mut buffer = vec![0; len];
        if let Some(head) = buffer.get_mut(..kept.len()) {
            head.copy_from_slice(&kept);
        }
        let from = next.max(held_end);
        if from > held_end {
            source.skip(from - held_end).await.map_err(unreadable)?;
        }
        let rest = buffer.get_mut(kept.len()..).unwrap_or_default();
        read_exact(source, rest).await.map_err(unreadable)?;
        self.start = next;
        self.bytes = Bytes::from(buffer);
        Ok(self.bytes.clone())
    }
}
