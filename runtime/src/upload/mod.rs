//! Resumable uploads: [`UploadSession`] creates a session (drive items, mail attachments,
//! print documents), then sends the content in fragments, in order, one at a time, to the
//! session's `uploadUrl` without the token, resuming where the session stands after a
//! fault or a restart.
//!
//! - `status.rs`: [`SessionStatus`], what the session says (`nextExpectedRanges`, …);
//! - `source.rs`: [`UploadSource`], the content read one fragment at a time;
//! - `send.rs`: the fragment loop, its retries and its end.

mod send;
mod source;
mod status;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use http::{HeaderMap, Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::Error;
use crate::error::decode::Json;
use crate::pipeline::bare;
use crate::request::{Answer, Request, sealed};
use crate::response::Created;
use crate::sync::lock;
use crate::text::RedactedUrl;

#[cfg(feature = "tokio")]
pub use source::ReaderSource;
pub use source::UploadSource;
pub use status::{ByteRange, SessionStatus};

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// What is uploaded, which decides the fragment sizes Graph accepts.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadKind {
    /// A drive item's content (OneDrive, SharePoint): fragments of a multiple of 320 KiB,
    /// under 60 MiB; 10 MiB by default.
    DriveItem,
    /// An Outlook attachment of 3 to 150 MB: fragments of at most 4 MiB; 3 MiB by default.
    Attachment,
    /// A Universal Print document: fragments under 10 MB; 30 × 320 KiB (9.375 MiB) by
    /// default.
    PrintDocument,
}

impl UploadKind {
    /// The fragment size used unless [`UploadSession::fragment_size`] sets another.
    pub fn default_fragment_size(self) -> u64 {
        match self {
            UploadKind::DriveItem => 32 * 320 * KIB,
            UploadKind::Attachment => 3 * MIB,
            UploadKind::PrintDocument => 30 * 320 * KIB,
        }
    }

    /// Whether Graph accepts fragments of `size` bytes for this kind; the error says the rule.
    pub fn check_fragment_size(self, size: u64) -> Result<(), Error> {
        let (fits, rule) = match self {
            UploadKind::DriveItem => (
                size > 0 && size.is_multiple_of(320 * KIB) && size < 60 * MIB,
                "a drive item's fragments must be a multiple of 320 KiB (327680 bytes) and \
                 under 60 MiB, such as 10 MiB (32 × 320 KiB)",
            ),
            UploadKind::Attachment => (
                size > 0 && size <= 4 * MIB,
                "an attachment's fragments must be at most 4 MiB (4194304 bytes)",
            ),
            UploadKind::PrintDocument => (
                size > 0 && size < 10_000_000,
                "a print document's fragments must be under 10 MB (10000000 bytes)",
            ),
        };
        if fits {
            Ok(())
        } else {
            Err(Error::InvalidArgument(format!(
                "a fragment size of {size} bytes: {rule}"
            )))
        }
    }
}

/// How far an upload is: bytes the session has accepted of the total. Cheap to clone;
/// every clone reads the same upload, from any thread, without an executor.
///
/// ```
/// # use graph_resource_runtime::{MockTransport, UploadKind, UploadSession};
/// # let mock = MockTransport::new();
/// # let client = mock.client_builder().build()?;
/// let session = UploadSession::resume(&client, "https://contoso.sharepoint.com/up/1", UploadKind::DriveItem)?;
/// let progress = session.progress();
/// // In another task, while `session.upload(…)` runs:
/// println!("{} of {} bytes", progress.sent(), progress.total());
/// # Ok::<(), graph_resource_runtime::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct UploadProgress {
    sent: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
}

impl UploadProgress {
    /// The bytes the session has accepted (after a resume, those sent before too).
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// The size of the content, once the upload started; 0 before.
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    fn set(&self, sent: u64, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        self.sent.store(sent, Ordering::Relaxed);
    }
}

/// A called back with `(sent, total)` each time the session accepts bytes.
type OnProgress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// A resumable upload session: where a large file's content goes, fragment by fragment.
///
/// Create one with [`drive_item`](UploadSession::drive_item),
/// [`attachment`](UploadSession::attachment),
/// [`print_document`](UploadSession::print_document) or, for any other
/// `createUploadSession`, [`create`](UploadSession::create); then
/// [`upload`](UploadSession::upload) the content. Store [`upload_url`](UploadSession::upload_url)
/// to [`resume`](UploadSession::resume) after a restart. Fragments go to the upload URL
/// through the client's transport with `Content-Range` and `Content-Length` and no other
/// header: no `Authorization` (the URL carries its own authorization, and the token would be
/// a leak), no default header of the client.
///
/// ```no_run
/// # use graph_resource_runtime::{Client, Created, Error, ReaderSource, UntypedResource, UploadSession};
/// # async fn run(client: &Client) -> Result<(), Error> {
/// let file = tokio::fs::File::open("report.pdf").await.map_err(|e| Error::InvalidArgument(e.to_string()))?;
/// let len = file.metadata().await.map_err(|e| Error::InvalidArgument(e.to_string()))?.len();
/// let session = UploadSession::drive_item(client, "b!drive", "root", "report.pdf")
///     .await?
///     .on_progress(|sent, total| println!("{sent} of {total} bytes"));
/// let item: Created<UntypedResource> = session.upload(ReaderSource::new(file, len)).await?;
/// # let _ = item;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct UploadSession {
    client: Client,
    url: String,
    kind: UploadKind,
    fragment_size: u64,
    /// `expirationDateTime` of the session's last answer, shared by the clones: each
    /// fragment moves it later.
    expiration: Arc<Mutex<Option<String>>>,
    /// Where the session's first answer said to start; `None` when resumed from a URL, so
    /// that the upload asks the session first.
    start: Option<u64>,
    progress: UploadProgress,
    on_progress: Option<OnProgress>,
}

impl UploadSession {
    /// `POST /drives/{drive_id}/items/{parent_id}:/{file_name}:/createUploadSession`: a
    /// session for the content of `file_name` in the folder `parent_id` (`root` for the
    /// drive's root), replacing a file of that name.
    pub async fn drive_item(
        client: &Client,
        drive_id: &str,
        parent_id: &str,
        file_name: &str,
    ) -> Result<UploadSession, Error> {
        let request = Request::custom(
            client,
            Method::POST,
            "/drives/{drive_id}/items/{parent_id}:/{file_name}:/createUploadSession",
            &[drive_id, parent_id, file_name],
        );
        UploadSession::create(request, UploadKind::DriveItem).await
    }

    /// `POST /me/messages/{message_id}/attachments/createUploadSession`: a session for a
    /// file attachment `name` of `size` bytes to a message of the signed-in user.
    pub async fn attachment(
        client: &Client,
        message_id: &str,
        name: &str,
        size: u64,
    ) -> Result<UploadSession, Error> {
        let body = AttachmentItem {
            attachment_type: "file",
            name,
            size,
        };
        let request = Request::custom(
            client,
            Method::POST,
            "/me/messages/{message_id}/attachments/createUploadSession",
            &[message_id],
        )
        .body(&Wrapped("AttachmentItem", &body));
        UploadSession::create(request, UploadKind::Attachment).await
    }

    /// `POST /print/printers/{printer_id}/jobs/{job_id}/documents/{document_id}/createUploadSession`:
    /// a session for a print document `name` of `content_type` and `size` bytes.
    pub async fn print_document(
        client: &Client,
        printer_id: &str,
        job_id: &str,
        document_id: &str,
        name: &str,
        content_type: &str,
        size: u64,
    ) -> Result<UploadSession, Error> {
        let body = PrintProperties {
            document_name: name,
            content_type,
            size,
        };
        let request = Request::custom(
            client,
            Method::POST,
            "/print/printers/{printer_id}/jobs/{job_id}/documents/{document_id}/createUploadSession",
            &[printer_id, job_id, document_id],
        )
        .body(&Wrapped("properties", &body));
        UploadSession::create(request, UploadKind::PrintDocument).await
    }

    /// Sends `request`, a `createUploadSession` of any resource with any body, and reads
    /// the session it answers. An answer without `uploadUrl`, or with one that is not an
    /// `https` URL (`http` only when the client's base URL is), is an
    /// [`Error::Incomplete`] that says so.
    ///
    /// ```
    /// # use graph_resource_runtime::{Error, MockResponse, MockTransport, Request, SessionStatus, UploadKind, UploadSession};
    /// # use http::Method;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// # let mock = MockTransport::new();
    /// # mock.push(MockResponse::json(200, serde_json::json!({"uploadUrl": "https://up.example/s1", "nextExpectedRanges": ["0-"]})));
    /// # let client = mock.client_builder().build()?;
    /// let body = serde_json::json!({"item": {"@microsoft.graph.conflictBehavior": "rename"}});
    /// let request = Request::<SessionStatus>::custom(
    ///     &client,
    ///     Method::POST,
    ///     "/sites/{}/drive/items/{}:/{}:/createUploadSession",
    ///     &["s1", "root", "plan.xlsx"],
    /// )
    /// .body(&body);
    /// let session = UploadSession::create(request, UploadKind::DriveItem).await?;
    /// assert_eq!(session.upload_url(), "https://up.example/s1");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create(
        request: Request<SessionStatus>,
        kind: UploadKind,
    ) -> Result<UploadSession, Error> {
        let (client, call) = request.into_call()?;
        let (method, url) = (call.method.clone(), call.url.clone());
        let in_flight = client.clone().start(call);
        let (_, response) = in_flight.await;
        let (mut parts, body) = response?.into_parts();
        let status = SessionStatus::read(
            &method,
            &url,
            parts.status,
            &mut parts.headers,
            Json::Bytes(&body),
        )?;
        let Some(upload_url) = status.upload_url() else {
            return Err(Error::Incomplete(format!(
                "{method} {}: expected the new session's `uploadUrl`, found none in the answer",
                RedactedUrl(&url)
            )));
        };
        let start = status.next_offset(u64::MAX).map_err(|message| {
            Error::Incomplete(format!("{method} {}: {message}", RedactedUrl(&url)))
        })?;
        let mut session = UploadSession::resume(&client, upload_url, kind).map_err(|error| {
            let why = match error {
                Error::InvalidArgument(why) => why,
                other => other.to_string(),
            };
            Error::Incomplete(format!(
                "{method} {}: expected the new session's `uploadUrl` to be usable, found that {why}",
                RedactedUrl(&url)
            ))
        })?;
        session.saw(&status);
        session.start = Some(if status.next_expected_ranges().is_empty() {
            0
        } else {
            start
        });
        Ok(session)
    }

    /// The session at `upload_url`, stored from an earlier [`upload_url`](UploadSession::upload_url):
    /// [`upload`](UploadSession::upload) asks it where it stands and sends only what it
    /// does not have. The URL must be `https` (`http` only when the client's base URL is)
    /// without user info; nothing is sent here.
    pub fn resume(
        client: &Client,
        upload_url: &str,
        kind: UploadKind,
    ) -> Result<UploadSession, Error> {
        bare::check_url(client.base_url(), upload_url, "upload URL")?;
        Ok(UploadSession {
            client: client.clone(),
            url: upload_url.to_owned(),
            kind,
            fragment_size: kind.default_fragment_size(),
            expiration: Arc::default(),
            start: None,
            progress: UploadProgress::default(),
            on_progress: None,
        })
    }

    /// Sends fragments of `size` bytes instead of the kind's default; a size the kind does
    /// not allow is an [`Error::InvalidArgument`] that states the rule.
    ///
    /// ```
    /// # use graph_resource_runtime::{MockTransport, UploadKind, UploadSession};
    /// # let mock = MockTransport::new();
    /// # let client = mock.client_builder().build()?;
    /// let session = UploadSession::resume(&client, "https://up.example/s1", UploadKind::DriveItem)?;
    /// let session = session.fragment_size(5 * 320 * 1024)?;
    /// let error = session.fragment_size(1_000_000).unwrap_err();
    /// assert!(error.to_string().contains("multiple of 320 KiB"));
    /// # Ok::<(), graph_resource_runtime::Error>(())
    /// ```
    pub fn fragment_size(mut self, size: u64) -> Result<Self, Error> {
        self.kind.check_fragment_size(size)?;
        self.fragment_size = size;
        Ok(self)
    }

    /// Calls `callback(sent, total)` each time the session accepts bytes, from the task
    /// that runs the upload: keep it short.
    #[must_use]
    pub fn on_progress(mut self, callback: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(callback));
        self
    }

    /// A handle to poll how far the upload is, from anywhere.
    pub fn progress(&self) -> UploadProgress {
        self.progress.clone()
    }

    /// The session's URL: store it to [`resume`](UploadSession::resume) the upload later.
    /// It authorizes uploads by itself: keep it as secret as a token.
    pub fn upload_url(&self) -> &str {
        &self.url
    }

    /// What is uploaded.
    pub fn kind(&self) -> UploadKind {
        self.kind
    }

    /// `expirationDateTime` of the session's last answer, as Graph wrote it: each fragment
    /// the session accepts moves it later.
    pub fn expiration_date_time(&self) -> Option<String> {
        lock(&self.expiration).clone()
    }

    /// Keeps the `expirationDateTime` of `status`, an answer of the session, if it has one.
    fn saw(&self, status: &SessionStatus) {
        if let Some(expiration) = status.expiration_date_time() {
            *lock(&self.expiration) = Some(expiration.to_owned());
        }
    }

    /// `GET` on the upload URL: where the session stands. `404` is an
    /// [`Error::SessionExpired`].
    pub async fn status(&self) -> Result<SessionStatus, Error> {
        send::ask(self).await
    }

    /// `DELETE` on the upload URL: the session and the bytes it holds are dropped. A
    /// session already gone (`404`) is an [`Error::SessionExpired`].
    pub async fn cancel(&self) -> Result<(), Error> {
        send::cancel(self).await
    }

    /// Sends `source` in fragments, in order, one at a time, and gives what the session
    /// answered at the end: the entity (`200`/`201` with a body, a drive item) or where it
    /// is (`201` with `Location` and no body, an attachment).
    ///
    /// Starts where the session stands (asking it with `GET` after a
    /// [`resume`](UploadSession::resume)), so no byte it accepted is sent again. A fragment
    /// is sent again, as the client's [`RetryPolicy`](crate::RetryPolicy) allows, after a
    /// 5xx, a 429 (at its `Retry-After`) or a dropped connection; after anything but a 429
    /// or 503, and after a `416`, the session is asked where it stands first. Memory: one
    /// fragment. Empty content is an [`Error::InvalidArgument`] (a session takes at least
    /// one byte); an expired session an [`Error::SessionExpired`].
    pub async fn upload<T: DeserializeOwned>(
        &self,
        source: impl UploadSource,
    ) -> Result<Created<T>, Error> {
        let mut source = source;
        send::upload(self, &mut source).await
    }

    /// Records that the session accepted bytes up to `sent` of `total`.
    fn accepted(&self, sent: u64, total: u64) {
        self.progress.set(sent, total);
        if let Some(callback) = &self.on_progress {
            callback(sent, total);
        }
    }
}

impl fmt::Debug for UploadSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadSession")
            .field("upload_url", &RedactedUrl(&self.url).to_string())
            .field("kind", &self.kind)
            .field("fragment_size", &self.fragment_size)
            .field("expiration_date_time", &self.expiration_date_time())
            .field("progress", &self.progress)
            .finish_non_exhaustive()
    }
}

impl sealed::Sealed for SessionStatus {}

/// The answer to `createUploadSession`: the session's JSON.
impl Answer for SessionStatus {
    type Output = SessionStatus;

    fn read(
        method: &Method,
        url: &str,
        _: StatusCode,
        _: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<SessionStatus, Error> {
        SessionStatus::from_json(body.as_bytes()).map_err(|message| {
            Error::Incomplete(format!("{method} {}: {message}", RedactedUrl(url)))
        })
    }
}

/// `{"{name}": value}`.
struct Wrapped<'a, T>(&'static str, &'a T);

impl<T: Serialize> Serialize for Wrapped<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, self.1)?;
        map.end()
    }
}

/// `attachmentItem` of an attachment's session.
struct AttachmentItem<'a> {
    attachment_type: &'static str,
    name: &'a str,
    size: u64,
}

impl Serialize for AttachmentItem<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("attachmentType", self.attachment_type)?;
        map.serialize_entry("name", self.name)?;
        map.serialize_entry("size", &self.size)?;
        map.end()
    }
}

/// `properties` of a print document's session.
struct PrintProperties<'a> {
    document_name: &'a str,
    content_type: &'a str,
    size: u64,
}

impl Serialize for PrintProperties<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("documentName", self.document_name)?;
        map.serialize_entry("contentType", self.content_type)?;
        map.serialize_entry("size", &self.size)?;
        map.end()
    }
}

#[cfg(test)]
mod tests;
