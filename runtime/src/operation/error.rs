//! [`OperationError`]: a long-running operation that failed, or did not end in time.

use std::fmt;
use std::time::Duration;

use super::OperationStatus;
use crate::error::{ErrorDetail, Url};

/// A long-running operation that ended in failure (its `error` says why), or that had not
/// ended by the caller's deadline (it goes on at Graph).
#[derive(Debug, Clone)]
pub struct OperationError {
    url: Url,
    deadline: Option<Duration>,
    status: Option<OperationStatus>,
}

impl OperationError {
    pub(crate) fn failed(url: &str, status: OperationStatus) -> Self {
        OperationError {
            url: Url::new(url),
            deadline: None,
            status: Some(status),
        }
    }

    pub(crate) fn deadline(url: &str, limit: Duration, last: Option<OperationStatus>) -> Self {
        OperationError {
            url: Url::new(url),
            deadline: Some(limit),
            status: last,
        }
    }

    /// The monitor URL.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// Whether the caller's deadline passed before the operation ended.
    pub fn is_deadline(&self) -> bool {
        self.deadline.is_some()
    }

    /// The last status polled: the failed one, or the one before the deadline.
    pub fn last_status(&self) -> Option<&OperationStatus> {
        self.status.as_ref()
    }

    /// The operation's `error`, when it failed with one.
    pub fn error(&self) -> Option<&ErrorDetail> {
        self.status.as_ref()?.error()
    }

    /// `error.code`.
    pub fn code(&self) -> Option<&str> {
        self.error()?.code()
    }

    /// `error.message`.
    pub fn message(&self) -> Option<&str> {
        self.error()?.message()
    }
}

impl fmt::Display for OperationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = &self.url;
        let status = self.status.as_ref();
        let state = status
            .and_then(OperationStatus::status)
            .unwrap_or("no status");
        if let Some(limit) = self.deadline {
            write!(f, "the operation at {url} did not end within {limit:?}")?;
            return match status {
                Some(status) => match status.percentage_complete() {
                    Some(percent) => write!(f, " (last status `{state}`, {percent}% complete)"),
                    None => write!(f, " (last status `{state}`)"),
                },
                None => f.write_str(" (no status was read)"),
            };
        }
        write!(f, "the operation at {url} failed (status `{state}`)")?;
        match (self.code(), self.message()) {
            (Some(code), Some(message)) => write!(f, ": {code}: {message}"),
            (Some(text), None) | (None, Some(text)) => write!(f, ": {text}"),
            (None, None) => f.write_str(" without an `error`"),
        }
    }
}

impl std::error::Error for OperationError {}
