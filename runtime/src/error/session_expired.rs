//! [`SessionExpiredError`]: an upload session that is gone.

use std::fmt;

use super::Url;

/// An upload session that no longer exists: its URL answered `404 Not Found`, or its
/// `expirationDateTime` had passed. What it held is lost: create a new session and upload
/// from the start.
#[derive(Debug, Clone)]
pub struct SessionExpiredError {
    url: Url,
    expiration: Option<String>,
}

impl SessionExpiredError {
    pub(crate) fn new(url: &str, expiration: Option<&str>) -> Self {
        SessionExpiredError {
            url: Url::new(url),
            expiration: expiration.map(str::to_owned),
        }
    }

    /// The session's upload URL.
    pub fn upload_url(&self) -> &str {
        self.url.as_str()
    }

    /// The session's last known `expirationDateTime`, when one was given.
    pub fn expiration_date_time(&self) -> Option<&str> {
        self.expiration.as_deref()
    }
}

impl fmt::Display for SessionExpiredError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the upload session at {} has expired", self.url)?;
        match &self.expiration {
            Some(expiration) => write!(f, " (its expirationDateTime was {expiration})")?,
            None => f.write_str(" (its URL answered 404 Not Found)")?,
        }
        f.write_str(": create a new session and upload from the start")
    }
}

impl std::error::Error for SessionExpiredError {}
