//! Every way a call can fail: [`Error`], with Graph's error envelope in [`api`] and the
//! failure to read a 2xx body in [`decode`]. Transport failures live beside the
//! [`Transport`](crate::Transport) trait.

use std::error::Error as StdError;
use std::fmt;

use http::StatusCode;

pub use api::{ApiError, ErrorDetail, InnerError};
pub use credential::CredentialError;
pub use decode::DecodeError;
pub use next_link::NextLinkError;
pub(crate) use next_link::Problem;
pub use operation::OperationError;
pub use resync::ResyncError;
pub use session_expired::SessionExpiredError;

use crate::text::RedactedUrl;
use crate::transport::TransportError;

pub(crate) mod api;
mod credential;
pub(crate) mod decode;
mod next_link;
mod operation;
mod resync;
mod session_expired;

/// Why a call failed.
///
/// Nothing here ever holds the bearer token, so `Debug` and `Display` are safe to log.
///
/// A message says what failed; what caused it, when something did (the credential's own
/// error, the HTTP client's, serde_json's), is [`source`](StdError::source), whose message
/// is not repeated: walk the chain, or use a reporter that does (`anyhow`'s `{:#}`), to log
/// all of it.
///
/// ```
/// use graph_resource_runtime::Error;
///
/// fn describe(error: &Error) -> String {
///     match error {
///         Error::Api(api) if api.status() == http::StatusCode::NOT_FOUND => "no such resource".into(),
///         Error::Api(api) => format!("Graph said {:?}", api.code()),
///         other => other.to_string(),
///     }
/// }
/// ```
#[non_exhaustive]
#[derive(Debug)]
pub enum Error {
    /// Graph answered with a status other than 2xx (after any retries).
    Api(Box<ApiError>),
    /// No complete response arrived: the connection failed, timed out or was cut.
    Transport(TransportError),
    /// A 2xx response whose body is not the JSON that was expected.
    Decode(Box<DecodeError>),
    /// The request body could not be serialized.
    Encode(serde_json::Error),
    /// An argument was rejected before anything was sent (a path key, a base URL, …).
    InvalidArgument(String),
    /// No access token: the credential failed (its error is the
    /// [`source`](StdError::source)) or did not answer in time.
    Credential(CredentialError),
    /// A page's `@odata.nextLink` was not followed (another origin, a link followed before).
    NextLink(Box<NextLinkError>),
    /// Graph's answer left a request without its result: a `$batch` answer without a
    /// response for it or whose `$batch` request failed, a delta query whose last page has no
    /// delta link, an upload session's answer without `uploadUrl` or with malformed
    /// `nextExpectedRanges`, a `Location` on an origin it may not point to.
    Incomplete(String),
    /// A delta query's link is no longer accepted (`410 Gone`): start over from
    /// [`ResyncError::location`].
    ResyncRequired(Box<ResyncError>),
    /// Downloaded content could not be written where it was going (a file, a socket).
    Io(std::io::Error),

    /// An upload session is gone (its URL answered `404`, or its `expirationDateTime`
    /// passed): create a new one.
    SessionExpired(Box<SessionExpiredError>),
    /// A long-running operation ended in failure, with its `error`, or did not end by the
    /// caller's deadline.
    Operation(Box<OperationError>),
}

impl Error {
    /// The HTTP status of the response, for [`Api`](Error::Api) and
    /// [`Decode`](Error::Decode) errors.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status()),
            Error::Decode(error) => Some(error.status()),
            _ => None,
        }
    }

    /// Whether Graph answered `404 Not Found`: the resource does not exist (or is not visible
    /// to the caller).
    pub fn is_not_found(&self) -> bool {
        self.as_api().is_some_and(ApiError::is_not_found)
    }

    /// The API error, when Graph answered with a status other than 2xx.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The transport error, when no complete response arrived.
    pub fn as_transport(&self) -> Option<&TransportError> {
        match self {
            Error::Transport(error) => Some(error),
            _ => None,
        }
    }

    /// The decode error, when a 2xx body was not the JSON expected.
    pub fn as_decode(&self) -> Option<&DecodeError> {
        match self {
            Error::Decode(error) => Some(error),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(error) => error.fmt(f),
            Error::Transport(error) => error.fmt(f),
            Error::Decode(error) => error.fmt(f),
            Error::Encode(_) => f.write_str("could not serialize the request body"),
            Error::InvalidArgument(message) => write!(f, "invalid argument: {message}"),
            Error::Credential(error) => error.fmt(f),
            Error::NextLink(error) => error.fmt(f),
            Error::ResyncRequired(error) => error.fmt(f),
            Error::Incomplete(message) => write!(f, "incomplete answer: {message}"),
            Error::Io(error) => write!(f, "could not write the content: {error}"),

            Error::SessionExpired(error) => error.fmt(f),
            Error::Operation(error) => error.fmt(f),
        }
    }
}

/// An error that shows the message of a variant's error as its own (an [`ApiError`], a
/// [`TransportError`], a [`CredentialError`], …) continues with that error's source; an
/// [`Encode`](Error::Encode) error continues with serde_json's.
impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Transport(error) => error.source(),
            Error::Decode(error) => error.source(),
            Error::Encode(error) => Some(error),
            Error::Credential(error) => error.source(),
            Error::Io(error) => error.source(),
            Error::Api(_)
            | Error::InvalidArgument(_)
            | Error::NextLink(_)
            | Error::ResyncRequired(_)
            | Error::Incomplete(_)
            | Error::SessionExpired(_)
            | Error::Operation(_) => None,
        }
    }
}

/// The URL of a request kept in an error: the whole of it for the error's accessors, its
/// query values redacted in `Display` and `Debug`.
#[derive(Clone)]
pub(crate) struct Url(String);

impl Url {
    pub(crate) fn new(url: impl Into<String>) -> Self {
        Url(url.into())
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        RedactedUrl(&self.0).fmt(f)
    }
}

impl fmt::Debug for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

impl From<NextLinkError> for Error {
    fn from(error: NextLinkError) -> Self {
        Error::NextLink(Box::new(error))
    }
}

#[cfg(test)]
mod tests;
