//! `$count`: the number of members of a collection, which Graph answers as `text/plain`.

use http::{HeaderMap, Method, StatusCode};
use serde::de::Error as _;

use super::CollectionPath;
use crate::error::decode::Json;
use crate::error::{DecodeError, Error};
use crate::request::{Answer, Request, sealed};
use crate::text::{QUOTED_CHARS, Shortened};

/// An [`Answer`]: the number of members of a collection, from `GET …/$count`; awaiting
/// gives a `u64`.
///
/// Graph answers `text/plain` with the number in decimal digits, after a UTF-8 byte order
/// mark at times; any other body is a [`DecodeError`] that quotes its start.
#[derive(Debug)]
pub enum Count {}

impl sealed::Sealed for Count {}

impl Answer for Count {
    type Output = u64;

    fn read(
        method: &Method,
        url: &str,
        status: StatusCode,
        _: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<u64, Error> {
        let bytes = body.as_bytes();
        // Some OData services put a UTF-8 byte order mark before the number.
        let text = std::str::from_utf8(bytes)
            .map(|text| text.trim_start_matches('\u{feff}').trim())
            .unwrap_or_default();
        let digits = !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit());
        match text.parse::<u64>() {
            Ok(count) if digits => Ok(count),
            _ => {
                let found = String::from_utf8_lossy(bytes);
                let error = serde_json::Error::custom(format_args!(
                    "expected the count as decimal digits, found `{}`",
                    Shortened(found.trim(), QUOTED_CHARS)
                ));
                let error =
                    DecodeError::new(method, url.to_owned(), status, ".".into(), error, bytes);
                Err(Error::Decode(Box::new(error)))
            }
        }
    }
}

impl<T, K> CollectionPath<T, K> {
    /// `GET …/$count`: how many members the collection has, with
    /// `ConsistencyLevel: eventual`, which Graph requires for it; `filter` and `search`
    /// count only the members they select.
    ///
    /// `User::collection(&client).count().filter("accountEnabled eq true").await?`
    pub fn count(self) -> Request<Count> {
        self.into_position()
            .push("$count")
            .request(Method::GET)
            .header(http::header::ACCEPT, "text/plain")
            .eventual()
    }
}

/// The options of `$count`.
impl Request<Count> {
    /// `$filter`: count the members that match the OData expression, such as
    /// `accountEnabled eq true`; sent as given, percent-encoded.
    pub fn filter(self, expression: impl Into<String>) -> Self {
        self.with_filter(expression.into())
    }

    /// `$search`: count the members that match, `text` in double quotes as Graph requires
    /// (`"displayName:Win"`) unless it is quoted already.
    pub fn search(self, text: &str) -> Self {
        self.with_search(text)
    }
}
