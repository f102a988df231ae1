//! Collections a page at a time: [`Page`], and the streams that follow `@odata.nextLink`.

use std::collections::HashSet;
use std::fmt;
use std::future::poll_fn;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures_core::Stream;
use http::{HeaderMap, Method, Response, Uri};
use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::decode::decode_body;
use crate::error::{Error, NextLinkError, Problem};
use crate::pipeline::{Call, InFlight};
use crate::text::RedactedUrl;

/// One page of a collection: `{"@odata.context": …, "value": [ … ], "@odata.nextLink": …}`,
/// what `list` gives.
///
/// The items may be of a polymorphic type; they are decoded in place, as the page is read.
/// Every annotation Graph adds to the page that is not a field here is kept in `additional`,
/// in order.
///
/// ```
/// use graph_resource_runtime::{Page, UntypedResource};
///
/// let page: Page<UntypedResource> = serde_json::from_str(
///     r#"{"value":[{"id":"a"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/x?$skiptoken=2"}"#,
/// ).unwrap();
/// assert_eq!(page.items.len(), 1);
/// assert!(page.next_link.is_some());
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// `@odata.context`: the metadata URL of the page.
    pub context: Option<String>,
    /// `@odata.count`: the total count, when `$count=true` was asked for (first page only).
    pub count: Option<u64>,
    /// `value`: the items of this page.
    pub items: Vec<T>,
    /// `@odata.nextLink`: the URL of the next page, absent on the last one.
    pub next_link: Option<String>,
    /// `@odata.deltaLink`: the URL to ask for changes, on the last page of a delta query.
    pub delta_link: Option<String>,
    /// Every other property and annotation of the page.
    pub additional: Map<String, Value>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            context: None,
            count: None,
            items: Vec::new(),
            next_link: None,
            delta_link: None,
            additional: Map::new(),
        }
    }
}

const CONTEXT: &str = "@odata.context";
const COUNT: &str = "@odata.count";
const VALUE: &str = "value";
const NEXT_LINK: &str = "@odata.nextLink";
const DELTA_LINK: &str = "@odata.deltaLink";

impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(context) = &self.context {
            map.serialize_entry(CONTEXT, context)?;
        }
        if let Some(count) = &self.count {
            map.serialize_entry(COUNT, count)?;
        }
        map.serialize_entry(VALUE, &self.items)?;
        if let Some(next_link) = &self.next_link {
            map.serialize_entry(NEXT_LINK, next_link)?;
        }
        if let Some(delta_link) = &self.delta_link {
            map.serialize_entry(DELTA_LINK, delta_link)?;
        }
        crate::__private::ser::write_additional(&mut map, &self.additional)?;
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(CollectionVisitor(PhantomData))
    }
}

struct CollectionVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for CollectionVisitor<T> {
    type Value = Page<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a collection object with a `value` array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut page = Page::default();
        let mut value = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                VALUE => crate::__private::fields::read_into(&mut value, VALUE, &mut map)?,
                CONTEXT => page.context = map.next_value()?,
                COUNT => page.count = map.next_value()?,
                NEXT_LINK => page.next_link = map.next_value()?,
                DELTA_LINK => page.delta_link = map.next_value()?,
                _ => {
                    crate::__private::fields::read_additional(&mut page.additional, key, &mut map)?
                }
            }
        }
        page.items =
            value.ok_or_else(|| de::Error::custom("missing property `value` of a collection"))?;
        Ok(page)
    }
}

/// Every page of a collection: a [`Stream`] of `Result<Page<T>, Error>` that requests the
/// next page (`@odata.nextLink`, exactly as Graph gave it) only when the one before was
/// taken. From [`Request::pages`](crate::Request::pages).
///
/// A next link to another scheme, host or port than the client's base URL, or one that was
/// followed before, ends the stream with an [`Error::NextLink`]: nothing is sent to it, so
/// the token never leaves Graph and a server that links in a circle cannot loop the caller
/// forever. After an error the stream ends.
#[must_use = "a stream does nothing until polled"]
pub struct Pages<T> {
    client: Option<Client>,
    /// The first request's headers, sent with every page.
    headers: HeaderMap,
    /// The request of the next page, or why there is none.
    next: Option<Result<Call, Error>>,
    /// The request of the current page and its answer, decoded once it came: the same
    /// future whatever `T`.
    in_flight: Option<InFlight>,
    /// The number of the last page requested, from 1.
    page: u32,
    /// Every link requested so far.
    followed: HashSet<String>,
    items: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned + Send> Pages<T> {
    /// Pages starting with `first`.
    pub(crate) fn new(client: Client, first: Call) -> Self {
        let mut followed = HashSet::new();
        followed.insert(first.url.clone());
        Pages {
            client: Some(client),
            headers: first.headers.clone(),
            next: Some(Ok(first)),
            in_flight: None,
            page: 0,
            followed,
            items: PhantomData,
        }
    }

    /// A stream whose only item is `error`.
    pub(crate) fn failed(error: Error) -> Self {
        Pages {
            client: None,
            headers: HeaderMap::new(),
            next: Some(Err(error)),
            in_flight: None,
            page: 0,
            followed: HashSet::new(),
            items: PhantomData,
        }
    }

    /// The request for `link`, the next link of page `self.page`.
    fn follow(&mut self, link: &str) -> Result<Call, Error> {
        let base_url = self.client.as_ref().map_or("", Client::base_url);
        check_origin(base_url, link, Some(self.page))?;
        if !self.followed.insert(link.to_owned()) {
            return Err(NextLinkError::new(Some(self.page), link, Problem::Repeated).into());
        }
        Ok(Call {
            method: Method::GET,
            url: link.to_owned(),
            headers: self.headers.clone(),
            body: None,
            follow_redirects: false,
        })
    }

    /// Collects the items of every page.
    pub(crate) async fn collect_items(mut self) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        while let Some(page) = poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            let mut page = page?;
            if items.is_empty() {
                items = std::mem::take(&mut page.items);
            } else {
                items.append(&mut page.items);
            }
        }
        Ok(items)
    }
}

/// Decodes page number `page`, the answer to `call`, in place; a decode error names the page.
fn read_page<T: DeserializeOwned>(
    call: &Call,
    response: Result<Response<Bytes>, Error>,
    page: u32,
) -> Result<Page<T>, Error> {
    decode_body(&call.method, &call.url, &response?).map_err(|error| match error {
        Error::Decode(decode) => Error::Decode(Box::new(decode.on_page(page))),
        other => other,
    })
}

impl<T: DeserializeOwned + Send> Stream for Pages<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(in_flight) = &mut this.in_flight {
                let (call, response) = ready!(in_flight.as_mut().poll(cx));
                this.in_flight = None;
                let result = read_page(&call, response, this.page);
                if let Ok(Page {
                    next_link: Some(link),
                    ..
                }) = &result
                {
                    this.next = Some(this.follow(link));
                }
                return Poll::Ready(Some(result));
            }
            match (this.next.take(), &this.client) {
                (Some(Ok(call)), Some(client)) => {
                    this.page = this.page.saturating_add(1);
                    this.in_flight = Some(client.clone().start(call));
                }
                (Some(Err(error)), _) => return Poll::Ready(Some(Err(error))),
                _ => return Poll::Ready(None),
            }
        }
    }
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("page", &self.page)
            .field(
                "next",
                &self
                    .next
                    .as_ref()
                    .map(|next| next.as_ref().map(|call| RedactedUrl(&call.url).to_string())),
            )
            .field("in_flight", &self.in_flight.is_some())
            .finish_non_exhaustive()
    }
}

/// Every item of every page, as a [`Stream`] of `Result<T, Error>`; empty pages are passed
/// over. From [`Request::items`](crate::Request::items); see [`Pages`].
///
/// It holds a clone of the client, so a function that owns the client can return it:
///
/// ```
/// # use graph_resource_runtime::{Client, Error, Items, MockResponse, MockTransport};
/// # use graph_resource_runtime::__private::{list, PathPart::Literal};
/// use futures_util::StreamExt;
///
/// // In an SDK: `Group::list(&client).page_size(100).items()`.
/// fn every_group(client: Client) -> Items<serde_json::Value> {
///     list(&client, &[Literal("/groups")], &[]).items()
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::json(200, serde_json::json!({"value": [{"id": "g1"}, {"id": "g2"}]})));
/// let mut groups = every_group(mock.client_builder().build()?);
/// let mut ids = Vec::new();
/// while let Some(group) = groups.next().await {
///     ids.push(group?["id"].clone());
/// }
/// assert_eq!(ids, ["g1", "g2"]);
/// # Ok(())
/// # }
/// ```
#[must_use = "a stream does nothing until polled"]
pub struct Items<T> {
    pages: Pages<T>,
    current: std::vec::IntoIter<T>,
}

impl<T: DeserializeOwned + Send> Items<T> {
    pub(crate) fn new(pages: Pages<T>) -> Self {
        Items {
            pages,
            current: Vec::new().into_iter(),
        }
    }
}

impl<T: DeserializeOwned + Send> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.current = page.items.into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

/// Nothing in `Items` is pinned: the buffered items are only moved out.
impl<T> Unpin for Items<T> {}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.current.len())
            .finish()
    }
}

/// Checks that `link` has the scheme, host and port of `base_url`, so that a request to it
/// carries the token to no other server. `page` is the page that gave it, `None` for a
/// stored link.
pub(crate) fn check_origin(base_url: &str, link: &str, page: Option<u32>) -> Result<(), Error> {
    if link.split_once("://").is_some_and(|(_, rest)| {
        rest.split(['/', '?', '#'])
            .next()
            .is_some_and(|authority| authority.contains('@'))
    }) {
        return Err(NextLinkError::new(page, link, Problem::UserInfo).into());
    }
    match (origin(base_url), origin(link)) {
        (Some(base), Some(next)) if base == next => Ok(()),
        (Some((scheme, host, port)), Some(_)) => {
            let base = format!("{scheme}://{host}:{port}");
            Err(NextLinkError::new(page, link, Problem::ForeignOrigin(base)).into())
        }
        _ => Err(NextLinkError::new(page, link, Problem::NotAnAbsoluteUrl).into()),
    }
}

/// The scheme, host and port of an absolute URL, lowercase, the port defaulted.
pub(crate) fn origin(url: &str) -> Option<(String, String, u16)> {
    let uri = Uri::try_from(url).ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let authority = uri.authority()?;
    let default_port = if scheme == "https" { 443 } else { 80 };
    let port = authority.port_u16().unwrap_or(default_port);
    Some((scheme, authority.host().to_ascii_lowercase(), port))
}

#[cfg(test)]
mod tests;
