//! How a request reads its answer: the sealed [`Answer`] trait and its implementations for
//! an entity, a page, an optional entity and nothing.

use std::marker::PhantomData;

use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::error::decode::{Json, decode};
use crate::paging::Page;

/// How a [`Request`](crate::Request) reads its 2xx response.
///
/// Sealed: the operations choose it. [`Entity<T>`] decodes one entity, [`Created<T>`](crate::Created) the
/// entity or where Graph put it, [`Page<T>`] one page of a collection, `Option<T>` an entity
/// or nothing (`204 No Content`), `()` nothing; [`WithResponse<A>`](crate::WithResponse) adds the status and
/// headers to what `A` reads.
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

/// An [`Answer`]: the body is one entity of type `T` (what `create` and `get` give).
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
