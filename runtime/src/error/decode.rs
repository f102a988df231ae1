//! A 2xx response whose body is not the JSON that was expected.

use std::error::Error as StdError;
use std::fmt;

use bytes::Bytes;
use http::{Method, Response, StatusCode};
use serde::de::DeserializeOwned;

use super::{Error, Url};
use crate::read_ahead;
use crate::text::{MESSAGE_CHARS, Shortened, StatusLine, excerpt};

/// A 2xx response whose body could not be decoded into the expected type.
#[derive(Debug)]
pub struct DecodeError {
    method: Method,
    url: Url,
    status: StatusCode,
    path: String,
    error: serde_json::Error,
    body_excerpt: String,
    /// The page of a collection the response was, from 1.
    page: Option<u32>,
}

/// How many bytes of the body a [`DecodeError`] keeps.
const EXCERPT_BYTES: usize = 512;

impl DecodeError {
    pub(crate) fn new(
        method: &Method,
        url: String,
        status: StatusCode,
        path: String,
        error: serde_json::Error,
        body: &[u8],
    ) -> Self {
        DecodeError {
            method: method.clone(),
            url: Url::new(url),
            status,
            path,
            error,
            body_excerpt: excerpt(body, EXCERPT_BYTES),
            page: None,
        }
    }

    /// Names the page of a collection the response was.
    pub(crate) fn on_page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// The page of a collection (from 1) whose response could not be decoded, when paging.
    pub fn page(&self) -> Option<u32> {
        self.page
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The JSON path where decoding failed, such as `target.groupId` (`.` for the root).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The error serde_json reported, with line and column; for a body that is not UTF-8,
    /// which is not read, an error whose message says where its first byte that is not is.
    pub fn error(&self) -> &serde_json::Error {
        &self.error
    }

    /// The start of the body (up to 512 bytes, invalid UTF-8 replaced).
    pub fn body_excerpt(&self) -> &str {
        &self.body_excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (method, url, status) = (&self.method, &self.url, StatusLine(self.status));
        write!(f, "{method} {url}: ")?;
        if let Some(page) = self.page {
            write!(f, "page {page}: ")?;
        }
        if self.body_excerpt.is_empty() {
            write!(
                f,
                "expected a JSON body in the {status} response, found an empty body"
            )
        } else {
            let message = self.error.to_string();
            let message = crate::located::split_inner_path(&message)
                .map_or(message.as_str(), |(_, rest)| rest);
            write!(
                f,
                "could not decode the {status} response at `{}`: {}",
                self.path,
                Shortened(message, MESSAGE_CHARS)
            )
        }
    }
}

/// The message restates serde_json's at the whole JSON path, so `source` continues with what
/// caused serde_json's error (an I/O error, when reading failed); serde_json's error itself
/// is [`error`](DecodeError::error).
impl StdError for DecodeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.error.source()
    }
}

/// A body to decode: bytes as they came off the wire, or text already known to be UTF-8 (an
/// item of a `$batch` answer), which serde_json reads without checking each string again.
#[derive(Debug, Clone, Copy)]
pub enum Json<'a> {
    /// Bytes that may not be UTF-8.
    Bytes(&'a Bytes),
    /// Text, checked when the whole answer that holds it was.
    Text {
        /// The text.
        text: &'a str,
        /// The same text as bytes, held by the whole answer, lent to the thread while it
        /// is read.
        lent: &'a Bytes,
    },
}

impl<'a> Json<'a> {
    /// The body as bytes.
    pub(crate) fn as_bytes(self) -> &'a [u8] {
        match self {
            Json::Bytes(bytes) => bytes,
            Json::Text { text, .. } => text.as_bytes(),
        }
    }

    /// Whether there is no body at all.
    pub(crate) fn is_empty(self) -> bool {
        self.as_bytes().is_empty()
    }
}

/// Decodes the body of a 2xx `response` to `call` as `T`; on failure a [`DecodeError`] that
/// names the JSON path where it happened.
pub(crate) fn decode_body<T: DeserializeOwned>(
    method: &Method,
    url: &str,
    response: &Response<Bytes>,
) -> Result<T, Error> {
    decode(method, url, response.status(), Json::Bytes(response.body()))
}

/// Decodes `body`, the answer of `status` to `method` on `url`, as `T`; on failure a
/// [`DecodeError`] that names the JSON path where it happened.
///
/// `T` is read once, from text, whatever the body: a body that is not UTF-8 is not JSON
/// (RFC 8259 §8.1) and fails before it is read. Only this function and serde_json's reader
/// are instantiated per `T`; what happens on failure is not.
pub(crate) fn decode<T: DeserializeOwned>(
    method: &Method,
    url: &str,
    status: StatusCode,
    body: Json<'_>,
) -> Result<T, Error> {
    let (text, lent) = match body {
        // Checking the whole body once is cheaper than checking each string as it is read.
        Json::Bytes(bytes) => match crate::text::utf8(bytes) {
            Ok(text) => (text, bytes),
            Err(error) => return Err(not_utf8(method, url, status, bytes, &error)),
        },
        Json::Text { text, lent } => (text, lent),
    };
    read_ahead::lend(lent, || serde_json::from_str(text))
        .map_err(|error| failed(method, url, status, text, error))
}

/// The [`Error::Decode`] of `error`, which reading `text` gave, at the JSON path where
/// reading stopped.
#[cold]
#[inline(never)]
fn failed(
    method: &Method,
    url: &str,
    status: StatusCode,
    text: &str,
    error: serde_json::Error,
) -> Error {
    let body = text.as_bytes();
    let path = crate::located::error_path(body, &error);
    let error = DecodeError::new(method, url.to_owned(), status, path, error, body);
    Error::Decode(Box::new(error))
}

/// The [`Error::Decode`] of a body that is not UTF-8, which says where its first byte that
/// is not is, and the JSON path there.
#[cold]
#[inline(never)]
fn not_utf8(
    method: &Method,
    url: &str,
    status: StatusCode,
    body: &[u8],
    utf8: &std::str::Utf8Error,
) -> Error {
    let offset = utf8.valid_up_to();
    let error =
        <serde_json::Error as serde::de::Error>::custom(crate::text::not_utf8_message(body, utf8));
    // The path serde_json would have been reading when it met that byte.
    let mut path = crate::located::JsonPath::default();
    for segment in crate::located::scan(body, offset + 1, serde_json::error::Category::Syntax) {
        path.push(&segment);
    }
    let error = DecodeError::new(method, url.to_owned(), status, path.finish(), error, body);
    Error::Decode(Box::new(error))
}
