//! How a request reads its answer: the sealed [`Answer`] trait and its implementations for
//! an entity, a page, an optional entity, a value, bytes and nothing.

use std::marker::PhantomData;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::error::Error;
use crate::error::decode::{Json, decode};
use crate::paging::Page;

/// How a [`Request`](crate::Request) reads its 2xx response.
///
/// Sealed: the operations choose it. [`Entity<T>`] decodes one entity, [`Created<T>`](crate::Created) the
/// entity or where Graph put it, [`Page<T>`] one page of a collection, `Option<T>` an entity
/// or nothing (`204 No Content`), `()` nothing; [`WithResponse<A>`](crate::WithResponse) adds the status and
/// headers to what `A` reads.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an answer a Graph request can be read as",
    label = "not `()`, `Entity<T>`, `Page<T>`, `ValueOf<T>`, `Option<T>`, `WithResponse<A>` or `Bytes`",
    note = "an action or a function answers nothing (`()`), an entity (`Entity<T>`), a collection (`Page<T>`), a value in `{{\"value\": …}}` (`ValueOf<T>`), bytes (`Bytes`), or the status and headers with one of these (`WithResponse<A>`)"
)]
pub trait Answer: sealed::Sealed {
    /// What awaiting the request gives.
    type Output;

    /// Whether [`read`](Answer::read) looks at the headers of this answer: a `$batch` reads
    /// an item's headers only then.
    #[doc(hidden)]
    fn reads_headers(status: StatusCode, body: Json<'_>) -> bool {
        let _ = (status, body);
        false
    }

    /// Whether a redirect is followed to its end, without the request's headers: a report's
    /// `302` to a pre-authenticated URL on another origin.
    #[doc(hidden)]
    const FOLLOWS_REDIRECTS: bool = false;

    /// Reads `body`, the 2xx answer of `status` with `headers` to a request for `method` on
    /// `url`; it may take the headers.
    #[doc(hidden)]
    fn read(
        method: &Method,
        url: &str,
        status: StatusCode,
        headers: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<Self::Output, Error>;
}

/// Answers that read entities of one resource type, which `select` checks names against.
pub trait Reads: Answer {
    /// The resource type.
    type Resource;
}

/// Answers of requests that change an entity, which take `if_match`.
pub trait Modifies: Answer {}

pub(crate) mod sealed {
    pub trait Sealed {}
}

/// An [`Answer`]: the body is one entity of type `T` (what `create` and `get` give), or one
/// complex value, which OData writes as the object itself.
pub struct Entity<T>(PhantomData<fn() -> T>);

impl<T> sealed::Sealed for Entity<T> {}

impl<T: DeserializeOwned> Answer for Entity<T> {
    type Output = T;

    fn read(
        method: &Method,
        url: &str,
        status: StatusCode,
        _: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<T, Error> {
        decode(method, url, status, body)
    }
}

impl<T: DeserializeOwned> Reads for Entity<T> {
    type Resource = T;
}

impl<T> sealed::Sealed for Page<T> {}

impl<T: DeserializeOwned> Answer for Page<T> {
    type Output = Page<T>;

    fn read(
        method: &Method,
        url: &str,
        status: StatusCode,
        _: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<Page<T>, Error> {
        decode(method, url, status, body)
    }
}

impl<T: DeserializeOwned> Reads for Page<T> {
    type Resource = T;
}

impl<T> sealed::Sealed for Option<T> {}

/// The entity when Graph returns one (`200 OK` with a body), `None` for `204 No Content`.
impl<T: DeserializeOwned> Answer for Option<T> {
    type Output = Option<T>;

    fn read(
        method: &Method,
        url: &str,
        status: StatusCode,
        _: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<Option<T>, Error> {
        if status == StatusCode::NO_CONTENT || body.is_empty() {
            return Ok(None);
        }
        decode(method, url, status, body).map(Some)
    }
}

impl<T: DeserializeOwned> Modifies for Option<T> {}

impl sealed::Sealed for () {}

/// Nothing: any 2xx answer (Graph sends `204 No Content`) ends the request.
impl Answer for () {
    type Output = ();

    fn read(
        _: &Method,
        _: &str,
        _: StatusCode,
        _: &mut HeaderMap,
        _: Json<'_>,
    ) -> Result<(), Error> {
        Ok(())
    }
}

impl Modifies for () {}

/// An [`Answer`]: the body is `{"value": x}`, as a function or action answers a primitive
/// value or a collection of values or complex values; awaiting gives `x` as a `T`.
pub struct ValueOf<T>(PhantomData<fn() -> T>);

impl<T> sealed::Sealed for ValueOf<T> {}

/// `{"value": x}`, other members (`@odata.context`) ignored.
struct Wrapped<T> {
    value: T,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Wrapped<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(WrappedVisitor(PhantomData))
    }
}

struct WrappedVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for WrappedVisitor<T> {
    type Value = Wrapped<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(r#"an object with the answer in `value`, such as {"value": 42}"#)
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut value = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "value" {
                if value.is_some() {
                    return Err(de::Error::duplicate_field("value"));
                }
                value = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        value
            .map(|value| Wrapped { value })
            .ok_or_else(|| de::Error::missing_field("value"))
    }
}

impl<T: DeserializeOwned> Answer for ValueOf<T> {
    type Output = T;

    fn read(
        method: &Method,
        url: &str,
        status: StatusCode,
        _: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<T, Error> {
        decode(method, url, status, body).map(|Wrapped { value }| value)
    }
}

impl sealed::Sealed for Bytes {}

/// The body as it came, such as the CSV of a report; a redirect is followed to it without
/// the request's headers.
impl Answer for Bytes {
    type Output = Bytes;

    const FOLLOWS_REDIRECTS: bool = true;

    fn read(
        _: &Method,
        _: &str,
        _: StatusCode,
        _: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<Bytes, Error> {
        Ok(Bytes::copy_from_slice(body.as_bytes()))
    }
}
