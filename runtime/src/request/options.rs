//! The options chained on a request before it is awaited: query options, `Prefer`, the
//! pages of `list`, and the body edits of `update` (`clear`, `changed_from`, `If-Match`).

use http::header::{HeaderName, IF_MATCH};
use http::{HeaderMap, HeaderValue};
use std::fmt;

use serde::Serialize;
use serde::de::{DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::{Answer, Body, Modifies, Reads, Request, Target};
use crate::error::Error;
use crate::odata::Properties;
use crate::paging::{Items, Page, Pages};
use crate::transport::BoxFuture;

/// `$select`, `$expand`: the options of a request that reads entities.
impl<A: Answer + Reads> Request<A>
where
    A::Resource: Properties,
{
    /// `$select`: only these properties (JSON names, such as `displayName`). A name the model
    /// does not declare, through its bases too, is an [`Error::InvalidArgument`] when the
    /// request is awaited, and nothing is sent.
    pub fn select<'n>(mut self, properties: impl IntoIterator<Item = &'n str>) -> Self {
        for property in properties {
            if self.declared(property, "select") {
                self.parts.query.select.push(property.to_owned());
            }
        }
        self
    }

    /// `$expand`: navigation properties to read inline, such as `assignments`, or an
    /// expression such as `assignments($select=id)`; sent as given.
    pub fn expand(mut self, expression: impl Into<String>) -> Self {
        self.parts.query.expand.push(expression.into());
        self
    }

    /// Whether the model of `A` declares `property`; records an error if not.
    fn declared(&mut self, property: &str, option: &str) -> bool {
        let declared = A::Resource::has_property(property);
        if !declared {
            self.fail(Error::InvalidArgument(format!(
                "`{option}` names `{property}`, which `{}` does not declare",
                A::Resource::NAME
            )));
        }
        declared
    }
}

/// The options of `list`, and its pages.
impl<T: DeserializeOwned + Properties + Send> Request<Page<T>> {
    /// `$filter`: an OData filter expression, such as `startswith(displayName,'Win')`; sent
    /// as given, percent-encoded.
    pub fn filter(self, expression: impl Into<String>) -> Self {
        self.with_filter(expression.into())
    }

    /// `$orderby` by `property`, ascending; call again for a second key.
    pub fn order_by(self, property: &str) -> Self {
        self.order(property, "")
    }

    /// `$orderby` by `property`, descending.
    pub fn order_by_desc(self, property: &str) -> Self {
        self.order(property, " desc")
    }

    fn order(mut self, property: &str, direction: &str) -> Self {
        if self.declared(property, "order_by") {
            self.parts
                .query
                .order_by
                .push(format!("{property}{direction}"));
        }
        self
    }

    /// `$top=count`. Graph reads it as "at most this many items" on some collections and as
    /// the page size on others, which then still link to a next page: `all()` and `items()`
    /// follow those links, so stop early (`items()` with `take`) to read only `count`.
    pub fn top(mut self, count: u32) -> Self {
        self.parts.query.top = Some(count);
        self
    }

    /// `$skip`: leave out the first `count` items.
    pub fn skip(mut self, count: u32) -> Self {
        self.parts.query.skip = Some(count);
        self
    }

    /// `$count=true`: the first page carries the total in [`Page::count`]. Adds
    /// `ConsistencyLevel: eventual`, which Graph requires for it.
    pub fn count(mut self) -> Self {
        self.parts.query.count = true;
        self.eventual()
    }

    /// `$search`: `text` in double quotes as Graph requires (`"displayName:Win"`), unless it
    /// is quoted already. Adds `ConsistencyLevel: eventual`.
    pub fn search(self, text: &str) -> Self {
        self.with_search(text)
    }

    /// `Prefer: odata.maxpagesize={size}`: Graph's page size, for collections that honour it.
    ///
    /// Called again, the last size wins. Other preferences set with
    /// [`header`](Request::header)`("Prefer", …)`, before or after, are kept and sent with
    /// it in one `Prefer` header (`return=minimal, odata.maxpagesize=50`); an
    /// `odata.maxpagesize` among them gives way to this one.
    pub fn page_size(mut self, size: u32) -> Self {
        self.parts.page_size = Some(size);
        self
    }

    /// Starts from `next_link`, an `@odata.nextLink` stored from an earlier page, instead of
    /// the first page; the options of this request are not sent again (the link carries
    /// them), its headers are. A link to another origin than the client's base URL fails
    /// the request when it is awaited, and nothing is sent to it.
    pub fn resume(mut self, next_link: impl Into<String>) -> Self {
        self.parts.target = Target::Link(next_link.into());
        self
    }
}

/// The options a page and a `$count` share.
impl<A: Answer> Request<A> {
    /// `$filter`, sent as given, percent-encoded.
    pub(crate) fn with_filter(mut self, expression: String) -> Self {
        self.parts.query.filter = Some(expression);
        self
    }

    /// `$search`: `text` in double quotes unless it is quoted already; adds
    /// `ConsistencyLevel: eventual`.
    pub(crate) fn with_search(mut self, text: &str) -> Self {
        let quoted = text.len() >= 2 && text.starts_with('"') && text.ends_with('"');
        self.parts.query.search = Some(if quoted {
            text.to_owned()
        } else {
            format!("\"{text}\"")
        });
        self.eventual()
    }

    /// `ConsistencyLevel: eventual`, which Graph requires for `$count` and `$search`.
    pub(crate) fn eventual(mut self) -> Self {
        let name = HeaderName::from_static("consistencylevel");
        self.parts
            .headers
            .insert(name, HeaderValue::from_static("eventual"));
        self
    }
}

/// The pages of `list`, whatever the item type.
impl<T: DeserializeOwned + Send> Request<Page<T>> {
    /// Every page, as a stream that follows `@odata.nextLink` lazily: a page is requested
    /// when the one before it was taken. Each page's request carries this request's
    /// headers.
    pub fn pages(self) -> Pages<T> {
        match self.into_call() {
            Ok((client, call)) => Pages::new(client, call),
            Err(error) => Pages::failed(error),
        }
    }

    /// Every item of every page, as a stream; see [`pages`](Request::pages).
    pub fn items(self) -> Items<T> {
        Items::new(self.pages())
    }

    /// Every item of every page, collected.
    pub fn all(self) -> BoxFuture<'static, Result<Vec<T>, Error>>
    where
        T: 'static,
    {
        Box::pin(self.pages().collect_items())
    }
}

/// The options of `update`.
impl<T: Serialize + DeserializeOwned + Properties> Request<Option<T>> {
    /// Sends `property` as `null`, which clears it: `None` fields are left out of the body,
    /// so that nothing is cleared by accident. A name the model does not declare is an
    /// [`Error::InvalidArgument`] when the request is awaited.
    pub fn clear(mut self, property: &str) -> Self {
        let declared = T::has_property(property);
        match &mut self.parts.body {
            Body::Object(object) if declared => object.set(property, null()),
            _ if !declared => self.fail(Error::InvalidArgument(format!(
                "`clear` names `{property}`, which `{}` does not declare",
                T::NAME
            ))),
            _ => {}
        }
        self
    }

    /// Sends only what changed from `before`, the entity as it was read, to the body given
    /// to `update`: properties whose value differs, and `null` (which clears) for those that
    /// became `None`. `@odata.type` is kept, so a derived type stays derived.
    ///
    /// The body should be a clone of `before`, then edited: a value built with
    /// `..Default::default()` has `None` wherever it was not set, and each of those that
    /// `before` had is cleared. The key `id` and properties marked `#[graph(read_only)]` are
    /// never sent, changed or not: Graph does not let clients write them.
    pub fn changed_from(mut self, before: &T) -> Self {
        let before = match to_object(before) {
            Ok(before) => before,
            Err(error) => {
                self.fail(error);
                return self;
            }
        };
        if let Body::Object(after) = &mut self.parts.body {
            *after = diff(&before, std::mem::take(after), |name| {
                name == KEY || T::is_read_only(name)
            });
        }
        self
    }
}

/// `If-Match`, for requests that change an entity.
impl<A: Answer + Modifies> Request<A> {
    /// `If-Match: {etag}`: Graph applies the change only while the entity still has this
    /// `@odata.etag`, and answers `412 Precondition Failed` otherwise.
    pub fn if_match(self, etag: &str) -> Self {
        self.header(IF_MATCH, etag)
    }
}

/// The key of Graph's entities, which a diff never sends.
const KEY: &str = "id";

/// The properties of `after` that differ from `before` (`@odata.type` always), then `null`
/// for each property of `before` that `after` lacks; never a property that is `read_only`.
/// Annotations (`@odata.etag`, `x@odata.bind`, …) are never cleared: they are not
/// properties. Values are compared as the JSON text their type wrote, so a change in the
/// twentieth digit of a `Decimal` is a change.
fn diff(before: &Object, after: Object, read_only: impl Fn(&str) -> bool) -> Object {
    let removed: Vec<String> = before
        .keys()
        .filter(|key| !key.contains('@') && after.get(key).is_none() && !read_only(key))
        .map(str::to_owned)
        .collect();
    let mut changed = Object::default();
    for (key, value) in after.0 {
        let unchanged = before.get(&key).map(RawValue::get) == Some(value.get());
        if key == "@odata.type" || (!read_only(&key) && !unchanged) {
            changed.0.push((key, value));
        }
    }
    for key in removed {
        changed.0.push((key, null()));
    }
    changed
}

const PREFER: HeaderName = HeaderName::from_static("prefer");

/// Sets `odata.maxpagesize={size}` in one `Prefer` header that keeps every other
/// preference of `headers`. A value that is not visible ASCII is left as it is, a `Prefer`
/// header of its own.
pub(super) fn prefer_page_size(headers: &mut HeaderMap, size: u32) {
    let mut joined = String::new();
    let mut opaque = Vec::new();
    for value in headers.get_all(PREFER) {
        let Ok(text) = value.to_str() else {
            opaque.push(value.clone());
            continue;
        };
        for preference in preferences(text) {
            let name = preference.split(['=', ';']).next().unwrap_or_default();
            if !name.trim().eq_ignore_ascii_case("odata.maxpagesize") {
                joined.push_str(preference);
                joined.push_str(", ");
            }
        }
    }
    joined.push_str("odata.maxpagesize=");
    joined.push_str(&size.to_string());
    headers.remove(PREFER);
    // Visible ASCII taken from valid values, and digits: always a valid value.
    if let Ok(value) = HeaderValue::try_from(joined) {
        headers.insert(PREFER, value);
    }
    for value in opaque {
        headers.append(PREFER, value);
    }
}

/// The preferences of a `Prefer` value: split at commas outside quoted strings, trimmed,
/// empty ones left out.
fn preferences(value: &str) -> impl Iterator<Item = &str> {
    let mut quoted = false;
    let mut escaped = false;
    value
        .split(move |c: char| {
            match c {
                _ if escaped => escaped = false,
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                ',' if !quoted => return true,
                _ => {}
            }
            false
        })
        .map(str::trim)
        .filter(|preference| !preference.is_empty())
}

/// A JSON object to send that options edit (`clear`, `changed_from`): its properties in the
/// order they were written, each value the exact JSON text its type wrote, so that a
/// `Decimal` keeps every digit (a `serde_json::Value` would make it an `f64`).
#[derive(Debug, Default)]
pub(super) struct Object(Vec<(String, Box<RawValue>)>);

impl Object {
    /// How many properties it has.
    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(key, _)| key.as_str())
    }

    fn get(&self, key: &str) -> Option<&RawValue> {
        self.0
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| &**value)
    }

    /// Sets `key` to `value`, in its place when it is there already, else last.
    fn set(&mut self, key: &str, value: Box<RawValue>) {
        match self.0.iter_mut().find(|(name, _)| name == key) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((key.to_owned(), value)),
        }
    }
}

impl Serialize for Object {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
    }
}

/// Reads the properties of a JSON object, each value as its text.
struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Object;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Object, M::Error> {
        let mut object = Object::default();
        while let Some((key, value)) = map.next_entry::<String, Box<RawValue>>()? {
            object.set(&key, value);
        }
        Ok(object)
    }
}

/// `null`, as a value of an [`Object`].
fn null() -> Box<RawValue> {
    RawValue::NULL.to_owned()
}

/// Serializes `value` as a JSON object, for a body that options edit.
pub(super) fn to_object<B: Serialize + ?Sized>(value: &B) -> Result<Object, Error> {
    let json = serde_json::to_string(value).map_err(Error::Encode)?;
    let kind = match json.trim_start().as_bytes().first() {
        Some(b'{') => return json_object(&json),
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        _ => "a number",
    };
    Err(Error::InvalidArgument(format!(
        "the body must serialize to a JSON object, not {kind}"
    )))
}

/// The properties of `json`, an object serde_json wrote.
fn json_object(json: &str) -> Result<Object, Error> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    deserializer
        .deserialize_map(ObjectVisitor)
        .map_err(Error::Encode)
}
