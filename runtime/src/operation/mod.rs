//! Long-running operations: an action answered `202 Accepted` with a `Location` gives an
//! [`Operation`] that polls it until it ends, and resolves to its result or its error.
//!
//! - `status.rs`: [`OperationStatus`], one answer of the monitor;
//! - `export.rs`: [`ExportJob`], an entity whose `status` becomes `completed` with a
//!   download `url`.

mod export;
mod status;

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::header::{LOCATION, RETRY_AFTER};
use http::{HeaderMap, Method, Response};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::api::parse_retry_after;
use crate::error::decode::{Json, decode};
use crate::error::{Error, OperationError};
use crate::paging::origin;
use crate::pipeline::{Call, bare, retry};
use crate::sleep::within;
use crate::sync::lock;
use crate::text::RedactedUrl;

pub use export::ExportJob;
pub use status::{OperationState, OperationStatus};

/// The interval between polls when the monitor gives no `Retry-After`.
pub(crate) const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(5);
/// The longest interval between polls, whatever `Retry-After` says.
pub(crate) const MAX_POLL_INTERVAL: Duration = Duration::from_secs(60);
/// The shortest wait a `Retry-After` gives: one of `0` or a date past would poll again at
/// once, in a loop as fast as the monitor answers.
pub(crate) const MIN_RETRY_AFTER: Duration = Duration::from_secs(1);

/// Called with each status the monitor answers.
type OnProgress = Arc<dyn Fn(&OperationStatus) + Send + Sync>;

/// A long-running operation: polls its monitor URL at the interval Graph asks for
/// (`Retry-After`, at least 1 s, else every 5 s, never more than 60 s apart) until its
/// `status` says it ended. [`wait`](Operation::wait) resolves to the last status, or to an
/// [`Error::Operation`] with the operation's `error`; [`wait_for`](Operation::wait_for)
/// reads the resulting resource too. Dropping the future stops the polling; a
/// [`deadline`](Operation::deadline) bounds it.
///
/// A monitor on Graph's origin ([`from_response`](Operation::from_response),
/// [`at`](Operation::at): Teams' `/teams('{id}')/operations('{id}')`) is polled through the
/// client's pipeline, with the token; one on another origin
/// ([`monitor`](Operation::monitor): a drive copy's `asyncJobStatus`) is polled bare, with
/// no token and no header of the client's.
///
/// ```
/// # use graph_resource_runtime::{Error, MockResponse, MockTransport, Operation, Request, WithResponse};
/// # use http::Method;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::new(202).header("Location", "/teams('t1')/operations('o1')"));
/// # mock.push(MockResponse::json(200, serde_json::json!({"status": "succeeded", "targetResourceLocation": "/teams('t2')"})));
/// # let client = mock.client_builder().build()?;
/// let clone = serde_json::json!({"displayName": "Copy", "partsToClone": "apps,tabs"});
/// let accepted = Request::<WithResponse<()>>::custom(&client, Method::POST, "/teams/{}/clone", &["t1"])
///     .body(&clone)
///     .await?;
/// let operation = Operation::from_response(&client, &accepted)?
///     .on_progress(|status| println!("{:?}: {:?}%", status.status(), status.percentage_complete()));
/// let done = operation.wait().await?;
/// assert_eq!(done.resource_location(), Some("/teams('t2')"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Operation {
    client: Client,
    url: String,
    /// On Graph's origin: polled through the pipeline, with the token.
    authorized: bool,
    interval: Duration,
    deadline: Option<Duration>,
    on_progress: Option<OnProgress>,
}

impl Operation {
    /// The operation of a `202 Accepted`'s `Location` (from
    /// [`with_response`](crate::Request::with_response)); see [`at`](Operation::at).
    pub fn from_response<T>(
        client: &Client,
        response: &crate::Response<T>,
    ) -> Result<Operation, Error> {
        let Some(location) = response.location() else {
            return Err(Error::Incomplete(format!(
                "expected a `Location` to poll in the {} answer, found none",
                response.status()
            )));
        };
        Operation::at(client, location)
    }

    /// The operation at `location` on Graph's origin: a path (`/teams('{id}')/operations('{id}')`,
    /// below the client's base URL) or an absolute URL of the base URL's origin. An absolute
    /// URL of another origin is an [`Error::Incomplete`]: it gets no token (use
    /// [`monitor`](Operation::monitor) for a monitor URL that needs none).
    pub fn at(client: &Client, location: &str) -> Result<Operation, Error> {
        let url = resolve(client, location, "operation's `Location`")?;
        Ok(Operation::new(client, url, true))
    }

    /// The operation of a monitor URL on another origin that needs no token (a drive
    /// copy's `asyncJobStatus`): polled without `Authorization` or any header of the
    /// client's. It must be `https` (`http` only when the client's base URL is).
    pub fn monitor(client: &Client, url: &str) -> Result<Operation, Error> {
        bare::check_url(client.base_url(), url, "monitor URL")?;
        Ok(Operation::new(client, url.to_owned(), false))
    }

    fn new(client: &Client, url: String, authorized: bool) -> Operation {
        Operation {
            client: client.clone(),
            url,
            authorized,
            interval: DEFAULT_POLL_INTERVAL,
            deadline: None,
            on_progress: None,
        }
    }

    /// Polls every `interval` when the monitor gives no `Retry-After` (default 5 s; at most
    /// 60 s).
    #[must_use]
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.interval = interval.min(MAX_POLL_INTERVAL);
        self
    }

    /// Gives up when the operation has not ended `limit` after [`wait`](Operation::wait)
    /// started: an [`Error::Operation`] whose [`is_deadline`](OperationError::is_deadline)
    /// is true, with the last status seen. The operation itself goes on at Graph.
    #[must_use]
    pub fn deadline(mut self, limit: Duration) -> Self {
        self.deadline = Some(limit);
        self
    }

    /// Calls `callback` with each status polled (its
    /// [`percentage_complete`](OperationStatus::percentage_complete) where Graph gives it),
    /// from the task that waits: keep it short.
    #[must_use]
    pub fn on_progress(
        mut self,
        callback: impl Fn(&OperationStatus) + Send + Sync + 'static,
    ) -> Self {
        self.on_progress = Some(Arc::new(callback));
        self
    }

    /// The monitor URL, absolute.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Polls once: the operation's status now.
    pub async fn status(&self) -> Result<OperationStatus, Error> {
        self.poll().await.map(|(status, _)| status)
    }

    /// Polls until the operation ends: its last status when it succeeded, an
    /// [`Error::Operation`] with its `error` when it failed or the deadline passed.
    pub async fn wait(&self) -> Result<OperationStatus, Error> {
        let last = Mutex::new(None);
        let polling = self.run(&last);
        let Some(limit) = self.deadline else {
            return polling.await;
        };
        let sleep = self.client.pipeline().sleep.clone();
        match within(&*sleep, limit, std::pin::pin!(polling)).await {
            Some(result) => result,
            None => {
                let last = lock(&last).take();
                Err(Error::Operation(Box::new(OperationError::new(
                    &self.url,
                    Some(limit),
                    last.as_ref()
                        .and_then(|last| last.status().map(str::to_owned)),
                    last.as_ref().and_then(OperationStatus::percentage_complete),
                    None,
                ))))
            }
        }
    }

    /// [`wait`](Operation::wait)s, then reads the result at `resourceLocation` (or
    /// `targetResourceLocation`) through the client, as `T`. A result on another origin
    /// than Graph's, or no location at all, is an [`Error::Incomplete`].
    pub async fn wait_for<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let done = self.wait().await?;
        let Some(location) = done.resource_location() else {
            return Err(Error::Incomplete(format!(
                "GET {}: the operation succeeded without a `resourceLocation` to read{}",
                RedactedUrl(&self.url),
                done.resource_id()
                    .map(|id| format!(" (its `resourceId` is `{id}`)"))
                    .unwrap_or_default()
            )));
        };
        let url = resolve(&self.client, location, "operation's `resourceLocation`")?;
        let response = self.client.pipeline().send(&get(&url)).await?;
        let (parts, body) = response.into_parts();
        decode(&Method::GET, &url, parts.status, Json::Bytes(&body))
    }

    /// Polls until the operation ends, keeping the last status in `last`.
    async fn run(&self, last: &Mutex<Option<OperationStatus>>) -> Result<OperationStatus, Error> {
        loop {
            let (status, retry_after) = self.poll().await?;
            if let Some(callback) = &self.on_progress {
                callback(&status);
            }
            match status.state() {
                OperationState::Succeeded => return Ok(status),
                OperationState::Failed => {
                    return Err(Error::Operation(Box::new(OperationError::new(
                        &self.url,
                        None,
                        status.status().map(str::to_owned),
                        status.percentage_complete(),
                        status.error().cloned(),
                    ))));
                }
                OperationState::Running => {}
            }
            *lock(last) = Some(status);
            let delay = (retry_after.map(|after| after.max(MIN_RETRY_AFTER)))
                .unwrap_or(self.interval)
                .min(MAX_POLL_INTERVAL);
            self.client.pipeline().sleep.sleep(delay).await;
        }
    }

    /// One poll: the status and the `Retry-After` of its answer.
    async fn poll(&self) -> Result<(OperationStatus, Option<Duration>), Error> {
        let pipeline = self.client.pipeline();
        let response = if self.authorized {
            pipeline.send(&get(&self.url)).await?
        } else {
            retry::send(&pipeline.retry, &*pipeline.sleep, &Method::GET, |_| {
                bare::send(
                    pipeline,
                    Method::GET,
                    &self.url,
                    HeaderMap::new(),
                    Bytes::new(),
                )
            })
            .await?
        };
        read(&self.url, response)
    }
}

impl fmt::Debug for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("url", &RedactedUrl(&self.url).to_string())
            .field("authorized", &self.authorized)
            .field("interval", &self.interval)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

/// A bare `GET` of `url` through the pipeline.
fn get(url: &str) -> Call {
    Call {
        method: Method::GET,
        url: url.to_owned(),
        headers: HeaderMap::new(),
        body: None,
        follow_redirects: false,
    }
}

/// The status in a monitor's answer: its JSON, or a redirect to the finished result.
fn read(
    url: &str,
    response: Response<Bytes>,
) -> Result<(OperationStatus, Option<Duration>), Error> {
    let retry_after = (response.headers().get(RETRY_AFTER))
        .and_then(|value| parse_retry_after(value, std::time::SystemTime::now()));
    if response.status().is_redirection()
        && let Some(location) = response.headers().get(LOCATION)
        && let Ok(location) = location.to_str()
    {
        return Ok((OperationStatus::redirected(location.to_owned()), None));
    }
    let status = OperationStatus::from_json(response.body())
        .map_err(|message| Error::Incomplete(format!("GET {}: {message}", RedactedUrl(url))))?;
    Ok((status, retry_after))
}

/// `location` as an absolute URL on the client's origin: a path below the base URL, or an
/// absolute URL of the same origin; anything else an [`Error::Incomplete`] naming `what`.
fn resolve(client: &Client, location: &str, what: &str) -> Result<String, Error> {
    let base = client.base_url();
    if location.starts_with('/') && !location.starts_with("//") {
        return Ok(format!("{base}{location}"));
    }
    let here = origin(location);
    if here.is_some()
        && here == origin(base)
        && !location.split('/').nth(2).is_some_and(|a| a.contains('@'))
    {
        return Ok(location.to_owned());
    }
    Err(Error::Incomplete(format!(
        "expected the {what} to be a path or a URL on the origin of `{base}`, found `{}`: \
         no token is sent to another origin",
        RedactedUrl(location)
    )))
}
