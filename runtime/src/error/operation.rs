//! [`OperationError`]: a long-running operation that failed, or did not end in time.

use std::fmt;
use std::time::Duration;

use super::{ErrorDetail, Url};

/// A long-running operation that ended in failure (its `error` says why), or that had not
/// ended by the caller's deadline (it goes on at Graph).
#[derive(Debug, Clone)]
pub struct OperationError {
    url: Url,
    deadline: Option<Duration>,
    /// `status` of the last answer polled, if any.
    status: Option<String>,
    percentage_complete: Option<f64>,
    error: Option<ErrorDetail>,
}

impl OperationError {
    /// The operation at `url` ended with `status` (its `status` member), its progress and
    /// its `error`; or, with a `deadline`, had not ended by then.
    pub(crate) fn new(
        url: &str,
        deadline: Option<Duration>,
        status: Option<String>,
        percentage_complete: Option<f64>,
        error: Option<ErrorDetail>,
    ) -> Self {
        OperationError {
            url: Url::new(url),
            deadline,
            status,
            percentage_complete,
            error,
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

    /// `status` of the last answer polled: the failed one, or the one before the deadline.
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// `percentageComplete` of the last answer polled, where Graph gave it.
    pub fn percentage_complete(&self) -> Option<f64> {
        self.percentage_complete
    }

    /// The operation's `error`, when it failed with one.
    pub fn error(&self) -> Option<&ErrorDetail> {
        self.error.as_ref()
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
        let state = self.status.as_deref().unwrap_or("none");
        if let Some(limit) = self.deadline {
            write!(f, "the operation at {url} did not end within {limit:?}")?;
            return match self.percentage_complete {
                Some(percent) => write!(f, " (last status `{state}`, {percent}% complete)"),
                None => write!(f, " (last status `{state}`)"),
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
