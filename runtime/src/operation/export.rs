//! [`ExportJob`]: an entity that Graph fills in the background, whose `status` becomes
//! `completed` with a download `url` that needs no token (Intune report exports, Cloud PC
//! exports).

use std::time::Duration;

use super::{Operation, OperationStatus};
use crate::client::Client;
use crate::content::Download;
use crate::error::Error;
use crate::text::RedactedUrl;

/// An export job: polls the job entity until its `status` is `completed`, then gives its
/// download `url`, which [`download`](ExportJob::download) streams without the token.
///
/// ```
/// # use graph_resource_runtime::{Error, ExportJob, MockResponse, MockTransport};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::json(200, serde_json::json!({"status": "completed", "url": "https://exports.example/r.zip?sig=s"})));
/// # mock.push(MockResponse::new(200).body(b"PK".to_vec()));
/// # let client = mock.client_builder().build()?;
/// let job = ExportJob::at(&client, "/deviceManagement/reports/exportJobs('Devices_1')")?;
/// let url = job.wait().await?;
/// let zip = job.download(&url).await?.bytes(1 << 20).await?;
/// assert_eq!(&zip[..], b"PK");
/// assert!(mock.requests()[1].headers.get("authorization").is_none());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ExportJob {
    operation: Operation,
}

impl ExportJob {
    /// The job entity at `path` below the client's base URL (or an absolute URL on its
    /// origin), polled with the token.
    pub fn at(client: &Client, path: &str) -> Result<ExportJob, Error> {
        Ok(ExportJob {
            operation: Operation::at(client, path)?,
        })
    }

    /// Polls every `interval` when Graph gives no `Retry-After` (default 5 s).
    #[must_use]
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.operation = self.operation.poll_interval(interval);
        self
    }

    /// Gives up when the job has not completed `limit` after [`wait`](ExportJob::wait)
    /// started.
    #[must_use]
    pub fn deadline(mut self, limit: Duration) -> Self {
        self.operation = self.operation.deadline(limit);
        self
    }

    /// Calls `callback` with each status polled.
    #[must_use]
    pub fn on_progress(
        mut self,
        callback: impl Fn(&OperationStatus) + Send + Sync + 'static,
    ) -> Self {
        self.operation = self.operation.on_progress(callback);
        self
    }

    /// Polls until the job completed and gives its download `url`; a failed job is an
    /// [`Error::Operation`], a completed one without `url` an [`Error::Incomplete`].
    pub async fn wait(&self) -> Result<String, Error> {
        let done = self.operation.wait().await?;
        done.url().map(str::to_owned).ok_or_else(|| {
            Error::Incomplete(format!(
                "GET {}: the export job completed without a download `url`",
                RedactedUrl(self.operation.url())
            ))
        })
    }

    /// `GET url` without the token or any header of the client's (the URL authorizes the
    /// download): a [`Download`] whose content streams in constant memory, such as into a
    /// file with [`write_to`](crate::ContentStream::write_to). A redirect is followed as
    /// bare; a failure before the first byte is retried as the client's policy allows.
    pub fn download(&self, url: &str) -> Download {
        Download::bare(&self.operation.client, url)
    }
}
