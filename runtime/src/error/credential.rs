//! No access token for a call.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Why a call got no access token: the credential failed, did not answer in time, or gave a
/// token that cannot be sent. Nothing was sent to Graph.
///
/// When the credential failed, its own error is [`source`](StdError::source), the value it
/// returned, so that it can be downcast:
///
/// ```
/// use std::error::Error as _;
/// use graph_resource_runtime::Error;
///
/// /// Whether `error` comes from an I/O error, anywhere in its chain.
/// fn caused_by_io(error: &Error) -> bool {
///     let mut cause = error.source();
///     while let Some(error) = cause {
///         if error.downcast_ref::<std::io::Error>().is_some() {
///             return true;
///         }
///         cause = error.source();
///     }
///     false
/// }
/// ```
///
/// Calls that waited for the same token share one `CredentialError`, and with it the
/// credential's error.
#[derive(Debug, Clone)]
pub struct CredentialError {
    problem: Problem,
}

#[derive(Debug, Clone)]
enum Problem {
    /// The credential returned this error.
    Failed(Arc<dyn StdError + Send + Sync>),
    /// The credential did not answer within this time.
    TimedOut(Duration),
    /// The token has characters that a header cannot hold.
    NotAHeaderValue,
}

impl CredentialError {
    /// The credential returned `error`.
    pub(crate) fn failed(error: Box<dyn StdError + Send + Sync>) -> Self {
        CredentialError {
            problem: Problem::Failed(Arc::from(error)),
        }
    }

    /// The credential did not answer within `timeout`.
    pub(crate) fn timed_out(timeout: Duration) -> Self {
        CredentialError {
            problem: Problem::TimedOut(timeout),
        }
    }

    /// The token cannot be sent as a header.
    pub(crate) fn not_a_header_value() -> Self {
        CredentialError {
            problem: Problem::NotAHeaderValue,
        }
    }

    /// How long the credential was given, when it did not answer in time (see
    /// [`ClientBuilder::credential_timeout`](crate::ClientBuilder::credential_timeout)).
    pub fn timed_out_after(&self) -> Option<Duration> {
        match self.problem {
            Problem::TimedOut(timeout) => Some(timeout),
            _ => None,
        }
    }
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("could not get an access token")?;
        match &self.problem {
            // What the credential said is the source: not repeated here.
            Problem::Failed(_) => f.write_str(" from the credential"),
            Problem::TimedOut(timeout) => {
                write!(f, ": the credential did not answer within {timeout:?}")
            }
            Problem::NotAHeaderValue => f.write_str(
                ": the credential's token has characters that an HTTP header cannot hold",
            ),
        }
    }
}

impl StdError for CredentialError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.problem {
            Problem::Failed(error) => Some(&**error),
            Problem::TimedOut(_) | Problem::NotAHeaderValue => None,
        }
    }
}
