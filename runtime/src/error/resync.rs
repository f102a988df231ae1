//! A delta link Graph no longer accepts.

use std::error::Error as StdError;
use std::fmt;

use http::header::LOCATION;

use super::ApiError;
use crate::text::RedactedUrl;

/// `410 Gone` on a delta query: the stored link expired or the collection must be read
/// again from the start; [`location`](ResyncError::location) says where to start over.
#[derive(Debug, Clone)]
pub struct ResyncError {
    api: ApiError,
}

impl ResyncError {
    pub(crate) fn new(api: ApiError) -> Self {
        ResyncError { api }
    }

    /// The `Location` header: the URL to start a fresh delta query from, when Graph gave one.
    pub fn location(&self) -> Option<&str> {
        self.api.headers().get(LOCATION)?.to_str().ok()
    }

    /// The `410` response: its envelope, headers and request.
    pub fn api(&self) -> &ApiError {
        &self.api
    }
}

impl fmt::Display for ResyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; the delta link can no longer be followed", self.api)?;
        match self.location() {
            Some(location) => write!(f, ": start again from `{}`", RedactedUrl(location)),
            None => f.write_str(": start a new delta query"),
        }
    }
}

impl StdError for ResyncError {}
