//! Delta queries: what changed in a collection since the last look.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use http::StatusCode;
use http::header::{HeaderName, HeaderValue};
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::error::{Error, ResyncError};
use crate::located;
use crate::odata::Properties;
use crate::paging::{Page, Pages};
use crate::request::Request;

/// One change of a delta query.
#[derive(Debug, Clone, PartialEq)]
pub enum Change<T> {
    /// An entity that was created or changed since the last delta link; only the changed
    /// properties may be set.
    Upserted(T),
    /// An entity that left the collection (`@removed`).
    Removed(Removal),
    /// The last item of the stream: the `@odata.deltaLink` to store and resume from, for
    /// the changes after these.
    DeltaLink(String),
}

/// An entity that left the collection, as `{"id": …, "@removed": {"reason": …}}` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// The id of the entity.
    pub id: String,
    /// `changed` (it may come back, such as a member removed from a group) or `deleted`
    /// (gone for good), as Graph gave it.
    pub reason: Option<String>,
}

impl Removal {
    /// Whether the entity was deleted for good rather than moved out of the collection.
    pub fn is_deleted(&self) -> bool {
        self.reason.as_deref() == Some("deleted")
    }
}

/// An item of a delta page: an entity, or a removal when it has `@removed`, which Graph may
/// write after the other properties, so the item is read whole first (from any
/// self-describing format). An entity that does not decode names the property inside the
/// item where it failed.
impl<'de, T: DeserializeOwned> Deserialize<'de> for Change<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ChangeVisitor(PhantomData))
    }
}

/// Reads a [`Change`]; its errors are the item's, so the reader says where it was.
struct ChangeVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for ChangeVisitor<T> {
    type Value = Change<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object: an entity, or one `@removed`")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Change<T>, A::Error> {
        let mut object = Map::<String, Value>::deserialize(MapAccessDeserializer::new(map))?;
        let removed = object.shift_remove("@removed");
        let value = Value::Object(object);
        match removed {
            Some(removed) => {
                let id = value
                    .get("id")
                    .and_then(Value::as_str)
                    .ok_or_else(|| de::Error::custom("a removed item without a string `id`"))?;
                Ok(Change::Removed(Removal {
                    id: id.to_owned(),
                    reason: removed
                        .get("reason")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                }))
            }
            None => match T::deserialize(&value) {
                Ok(entity) => Ok(Change::Upserted(entity)),
                Err(error) => Err(de::Error::custom(located_error::<T>(&value, error))),
            },
        }
    }
}

/// The message of `error`, which reading `item` as `T` gave, led by the path inside `item`
/// where it happened. Errors read from a `Value` have no line and column: the outer
/// deserializer gives them the item's.
#[cold]
fn located_error<T: DeserializeOwned>(item: &Value, error: serde_json::Error) -> String {
    // From text, serde_json says where it stopped; that reader of `T` is the one bodies are
    // read with, so nothing more is instantiated for it.
    let text = item.to_string();
    match serde_json::from_str::<T>(&text) {
        Err(again) => {
            let path = located::error_path(text.as_bytes(), &again);
            located::with_inner_path(&path, &located::message(&again))
        }
        Ok(_) => error.to_string(),
    }
}

impl<T: Properties> Properties for Change<T> {
    const NAME: &'static str = T::NAME;

    fn has_property(name: &str) -> bool {
        T::has_property(name)
    }
}

/// A delta query of a collection, from the generated `T::delta(&client, …)`: nothing is
/// sent until [`changes`](Delta::changes) is polled.
///
/// The first query returns the whole collection as upserts; store the final
/// [`Change::DeltaLink`] and [`resume`](Delta::resume) from it later to get only what changed
/// since. A delta link Graph no longer accepts ends the stream with
/// [`Error::ResyncRequired`], which carries the `Location` to start over from.
#[must_use = "a delta query does nothing until its changes are polled"]
pub struct Delta<T> {
    request: Request<Page<Change<T>>>,
}

impl<T: DeserializeOwned + Properties + Send> Delta<T> {
    pub(crate) fn new(request: Request<Page<Change<T>>>) -> Self {
        Delta { request }
    }

    /// Resumes from `link`, an `@odata.deltaLink` (or `@odata.nextLink`) stored from an
    /// earlier query: only the changes after it. A link to another origin than the client's
    /// base URL fails the stream, and nothing is sent to it.
    pub fn resume(self, link: impl Into<String>) -> Self {
        Delta {
            request: self.request.resume(link),
        }
    }

    /// `$select`: track only these properties; see [`Request::select`].
    pub fn select<'n>(self, properties: impl IntoIterator<Item = &'n str>) -> Self {
        Delta {
            request: self.request.select(properties),
        }
    }

    /// `Prefer: odata.maxpagesize={size}`.
    pub fn page_size(self, size: u32) -> Self {
        Delta {
            request: self.request.page_size(size),
        }
    }

    /// Adds a header to every page's request; see [`Request::header`].
    pub fn header<K, V>(self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        Delta {
            request: self.request.header(name, value),
        }
    }

    /// Every change across the pages, then the [`Change::DeltaLink`] to resume from.
    pub fn changes(self) -> Changes<T> {
        Changes {
            pages: self.request.pages(),
            current: Vec::new().into_iter(),
            delta_link: None,
            done: false,
        }
    }
}

impl<T> fmt::Debug for Delta<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delta")
            .field("request", &self.request)
            .finish()
    }
}

/// The changes of a [`Delta`] query, as a [`Stream`] of `Result<Change<T>, Error>` that
/// ends with the delta link (or with an error).
#[must_use = "a stream does nothing until polled"]
pub struct Changes<T> {
    pages: Pages<Change<T>>,
    current: std::vec::IntoIter<Change<T>>,
    /// The delta link of the last page, given once its changes were.
    delta_link: Option<String>,
    done: bool,
}

impl<T: DeserializeOwned + Send> Stream for Changes<T> {
    type Item = Result<Change<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(change) = this.current.next() {
                return Poll::Ready(Some(Ok(change)));
            }
            if let Some(link) = this.delta_link.take() {
                this.done = true;
                return Poll::Ready(Some(Ok(Change::DeltaLink(link))));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => {
                    this.delta_link = page.delta_link;
                    this.current = page.items.into_iter();
                }
                Some(Err(error)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(resync(error))));
                }
                None => {
                    this.done = true;
                    return Poll::Ready(Some(Err(Error::Incomplete(
                        "the last page of the delta query has no `@odata.deltaLink` to resume from"
                            .into(),
                    ))));
                }
            }
        }
    }
}

/// Nothing in `Changes` is pinned: the buffered changes are only moved out.
impl<T> Unpin for Changes<T> {}

impl<T> fmt::Debug for Changes<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Changes")
            .field("pages", &self.pages)
            .field("buffered", &self.current.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// `410 Gone` on a delta query is [`Error::ResyncRequired`]; other errors pass.
fn resync(error: Error) -> Error {
    match error {
        Error::Api(api) if api.status() == StatusCode::GONE => {
            Error::ResyncRequired(Box::new(ResyncError::new(*api)))
        }
        other => other,
    }
}
