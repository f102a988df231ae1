//! Where a path value stands: the client and the percent-encoded path so far, or the first
//! argument error, which a request made from it reports when it is awaited.
//!
//! The error is kept as its message, an [`Error::InvalidArgument`] once reported, so that
//! a path value can be cloned and a step taken from it twice.

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::path::{PathPart, expand, push_encoded};
use crate::request::{Answer, Request};

/// The client and the path below its base URL, or the first argument error.
#[derive(Debug, Clone)]
pub struct Position {
    client: Client,
    path: Result<String, String>,
}

impl Position {
    /// The position at `path`, checked as [`check_root`] says.
    pub(crate) fn root(client: &Client, path: &str) -> Position {
        Position::new(client, check_root(path).map(str::to_owned))
    }

    pub(crate) fn new(client: &Client, path: Result<String, Error>) -> Position {
        let path = path.map_err(message);
        Position {
            client: client.clone(),
            path,
        }
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// Appends `/{segment}`: text known to be a valid segment, such as a property name.
    pub(crate) fn push(mut self, segment: &str) -> Position {
        if let Ok(path) = &mut self.path {
            path.push('/');
            path.push_str(segment);
        }
        self
    }

    /// Appends `/{key}`, percent-encoded as one segment; an empty, `.` or `..` key is an
    /// error: it would address another resource.
    pub(crate) fn key(mut self, what: &str, key: &str) -> Position {
        if let Ok(path) = &mut self.path {
            match check_key(what, key) {
                Ok(()) => {
                    path.push('/');
                    push_encoded(path, key, b"");
                }
                Err(error) => return self.fail(error),
            }
        }
        self
    }

    /// Appends text to the last segment, as given.
    pub(crate) fn push_str(mut self, text: &str) -> Position {
        if let Ok(path) = &mut self.path {
            path.push_str(text);
        }
        self
    }

    /// Records `error` unless there is one already: the first is the one to fix first.
    pub(crate) fn fail(mut self, error: Error) -> Position {
        if self.path.is_ok() {
            self.path = Err(message(error));
        }
        self
    }

    /// The absolute URL of the position, as an `@odata.id` names it.
    pub(crate) fn url(&self) -> Result<String, Error> {
        match &self.path {
            Ok(path) => Ok(format!("{}{path}", self.client.base_url())),
            Err(message) => Err(Error::InvalidArgument(message.clone())),
        }
    }

    /// A request for `method` on the position.
    pub(crate) fn request<A: Answer>(self, method: Method) -> Request<A> {
        Request::new(
            &self.client,
            method,
            self.path.map_err(Error::InvalidArgument),
        )
    }
}

/// What an argument error says, kept until a request reports it.
fn message(error: Error) -> String {
    match error {
        Error::InvalidArgument(message) => message,
        other => other.to_string(),
    }
}

/// A key of a path: not empty, `.` or `..`.
pub(crate) fn check_key(what: &str, key: &str) -> Result<(), Error> {
    match key {
        "" => Err(Error::InvalidArgument(format!("{what} must not be empty"))),
        "." | ".." => Err(Error::InvalidArgument(format!(
            "{what} must not be `{key}`: it would address another resource"
        ))),
        _ => Ok(()),
    }
}

/// Checks a path written in code, such as `/me` or `/users/{id}/manager` once its keys are
/// in: a `/` and then segments, none empty, `.` or `..`, of characters a path segment may
/// hold as they are (RFC 3986: unreserved, sub-delimiters, `:`, `@`, and `%` escapes).
pub(crate) fn check_root(path: &str) -> Result<&str, Error> {
    let invalid = |problem: &str| {
        Err(Error::InvalidArgument(format!(
            "the path `{path}` {problem}; expected a path below the base URL such as `/me` or `/users`"
        )))
    };
    let Some(rest) = path.strip_prefix('/') else {
        return invalid("does not start with `/`");
    };
    for segment in rest.split('/') {
        if segment.is_empty() {
            return invalid("has an empty segment");
        }
        if segment == "." || segment == ".." {
            return invalid("has a `.` or `..` segment");
        }
        if let Some(c) = segment
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@%".contains(c)))
        {
            return invalid(&format!(
                "holds `{c}`, which a path segment must percent-encode"
            ));
        }
        let escaped = |escape: &str| {
            let digits = escape.as_bytes().get(..2);
            digits.is_some_and(|digits| digits.iter().all(u8::is_ascii_hexdigit))
        };
        if !segment.split('%').skip(1).all(escaped) {
            return invalid("holds `%` without two hexadecimal digits after it");
        }
    }
    Ok(path)
}

/// The entity or collection at a generated `path`, its keys filled in from `keys`.
pub(crate) fn at(client: &Client, path: &[PathPart], keys: &[&str]) -> Position {
    Position::new(client, expand(path, keys))
}
