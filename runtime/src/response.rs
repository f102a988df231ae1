//! What a request's answer says beside its body: [`Response`] (status and headers with the
//! decoded value) and [`Created`] (what a `create` gave).

use std::marker::PhantomData;

use http::header::{ETAG, LOCATION};
use http::{HeaderMap, HeaderName, Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::error::decode::{Json, decode};
use crate::request::{Answer, Modifies, Reads, Request, sealed};

const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
const PREFERENCE_APPLIED: HeaderName = HeaderName::from_static("preference-applied");

/// The decoded value of an answer with its status and headers; what a request gives after
/// [`with_response`](Request::with_response).
///
/// ```
/// # use graph_resource_runtime::{Client, Error, MockResponse, MockTransport, Response};
/// # use graph_resource_runtime::__private::{get, PathPart::{Key, Literal}};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(
/// #     MockResponse::json(200, serde_json::json!({"id": "g1"}))
/// #         .header("ETag", "W/\"1\"")
/// #         .header("request-id", "7c3f0e2a-0d5b-4c8e-9a51-3f1d2b6c8e90"),
/// # );
/// # let client = mock.client_builder().build()?;
/// # let groups = &[Literal("/groups/"), Key("group_id")];
/// // In an SDK: `Group::get(&client, "g1").with_response().await?`.
/// let group: Response<serde_json::Value> = get(&client, groups, &["g1"]).with_response().await?;
/// assert_eq!(group.status(), 200);
/// assert_eq!(group.etag(), Some("W/\"1\""));
/// assert_eq!(group.request_id(), Some("7c3f0e2a-0d5b-4c8e-9a51-3f1d2b6c8e90"));
/// assert_eq!(group.value()["id"], "g1");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    value: T,
}

impl<T> Response<T> {
    /// The HTTP status of the answer (of the item, for a request of a `$batch`).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every header of the answer.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// `ETag`: the version of the entity, for [`if_match`](Request::if_match).
    pub fn etag(&self) -> Option<&str> {
        self.header(&ETAG)
    }

    /// `Location`: where a created entity, or the operation that creates it, can be read.
    pub fn location(&self) -> Option<&str> {
        self.header(&LOCATION)
    }

    /// `request-id`: Graph's id of the request, which Microsoft's support asks for.
    pub fn request_id(&self) -> Option<&str> {
        self.header(&REQUEST_ID)
    }

    /// `client-request-id`: the id the request was sent with, as Graph echoes it.
    pub fn client_request_id(&self) -> Option<&str> {
        self.header(&CLIENT_REQUEST_ID)
    }

    /// `Preference-Applied`: which preferences of the request's `Prefer` Graph honoured,
    /// such as `odata.maxpagesize=50` or `return=minimal`.
    pub fn preference_applied(&self) -> Option<&str> {
        self.header(&PREFERENCE_APPLIED)
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, the status and headers dropped.
    pub fn into_value(self) -> T {
        self.value
    }

    /// A header's value as text; `None` when absent or not visible ASCII.
    fn header(&self, name: &HeaderName) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

impl<A: Answer> Request<A> {
    /// Gives the status and headers of the answer beside its decoded value, as a
    /// [`Response`]: `T::get(&client, id).with_response().await?.etag()`. Chain it after the
    /// other options. In a `$batch` the item's own status and headers are given.
    pub fn with_response(self) -> Request<WithResponse<A>> {
        self.answer_as()
    }
}

/// An [`Answer`]: what `A` reads, with the answer's status and headers, as a [`Response`];
/// from [`Request::with_response`].
pub struct WithResponse<A>(PhantomData<fn() -> A>);

impl<A> sealed::Sealed for WithResponse<A> {}

impl<A: Answer> Answer for WithResponse<A> {
    type Output = Response<A::Output>;

    const FOLLOWS_REDIRECTS: bool = A::FOLLOWS_REDIRECTS;

    fn reads_headers(_: StatusCode, _: Json<'_>) -> bool {
        true
    }

    fn read(
        method: &Method,
        url: &str,
        status: StatusCode,
        headers: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<Self::Output, Error> {
        let value = A::read(method, url, status, headers, body)?;
        Ok(Response {
            status,
            headers: std::mem::take(headers),
            value,
        })
    }
}

impl<A: Reads> Reads for WithResponse<A> {
    type Resource = A::Resource;
}

impl<A: Modifies> Modifies for WithResponse<A> {}

/// What a `create` gave: the entity, or where it will be when Graph answered without it.
///
/// Graph answers a POST with `201 Created` and the entity, unless the request asked for
/// `Prefer: return=minimal` (`204 No Content`) or the service creates it in the background
/// (`202 Accepted`); either way the entity was, or is being, created: sending the request
/// again would create a second one.
///
/// ```
/// # use graph_resource_runtime::{Client, Created, Error, MockResponse, MockTransport};
/// # use graph_resource_runtime::__private::{create, PathPart::{Key, Literal}};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::json(201, serde_json::json!({"id": "a1"})));
/// # mock.push(MockResponse::new(204).header("Location", "https://graph.microsoft.com/v1.0/groups/g2"));
/// # let client = mock.client_builder().build()?;
/// # let groups = &[Literal("/groups")];
/// # let group = serde_json::json!({});
/// // In an SDK: `Group::create(&client, &group).await?`.
/// let created = create(&client, groups, &[], &group).await?;
/// assert_eq!(created.entity().map(|group| &group["id"]), Some(&"a1".into()));
///
/// match create(&client, groups, &[], &group).header("Prefer", "return=minimal").await? {
///     Created::Entity(group) => println!("created {}", group["id"]),
///     created => println!("created at {:?}", created.location()),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Created<T> {
    /// `200 OK` or `201 Created` with the entity as Graph stored it.
    Entity(T),
    /// `202 Accepted`: the entity is being created; `Location` (when Graph gave one) is
    /// the operation to poll or the entity to read once done.
    Accepted {
        /// The `Location` header.
        location: Option<String>,
    },
    /// `204 No Content` (`Prefer: return=minimal`), or another 2xx without a body: the
    /// entity was created; `Location` (when Graph gave one) is where to read it.
    NoContent {
        /// The `Location` header.
        location: Option<String>,
    },
}

impl<T> Created<T> {
    /// The created entity, when Graph sent it.
    pub fn entity(&self) -> Option<&T> {
        match self {
            Created::Entity(entity) => Some(entity),
            _ => None,
        }
    }

    /// The created entity, when Graph sent it.
    pub fn into_entity(self) -> Option<T> {
        match self {
            Created::Entity(entity) => Some(entity),
            _ => None,
        }
    }

    /// The `Location` Graph gave with a `202` or `204`; `None` for an entity (read its id,
    /// or use [`with_response`](Request::with_response) for every header).
    pub fn location(&self) -> Option<&str> {
        match self {
            Created::Entity(_) => None,
            Created::Accepted { location } | Created::NoContent { location } => location.as_deref(),
        }
    }
}

impl<T> sealed::Sealed for Created<T> {}

/// The entity of a `200` or `201` with a body, else where Graph said it is.
impl<T: DeserializeOwned> Answer for Created<T> {
    type Output = Created<T>;

    fn reads_headers(status: StatusCode, body: Json<'_>) -> bool {
        without_entity(status, body)
    }

    fn read(
        method: &Method,
        url: &str,
        status: StatusCode,
        headers: &mut HeaderMap,
        body: Json<'_>,
    ) -> Result<Created<T>, Error> {
        if !without_entity(status, body) {
            return decode(method, url, status, body).map(Created::Entity);
        }
        let location = headers
            .get(LOCATION)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        Ok(if status == StatusCode::ACCEPTED {
            Created::Accepted { location }
        } else {
            Created::NoContent { location }
        })
    }
}

/// Whether a 2xx answer to a `create` carries no entity: `202`, `204` or an empty body.
fn without_entity(status: StatusCode, body: Json<'_>) -> bool {
    status == StatusCode::ACCEPTED || status == StatusCode::NO_CONTENT || body.is_empty()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::__private::{create, get, list};
    use crate::mock::{MockResponse, MockTransport};
    use crate::paging::Page;
    use crate::path::PathPart::{self, Key, Literal};

    const GROUPS: &[PathPart] = &[Literal("/groups")];
    const GROUP: &[PathPart] = &[Literal("/groups/"), Key("group_id")];
    const REQUEST_ID: &str = "7c3f0e2a-0d5b-4c8e-9a51-3f1d2b6c8e90";

    #[tokio::test]
    async fn a_get_with_response_gives_the_etag_and_request_id_beside_the_entity() {
        let mock = MockTransport::new();
        mock.push(
            MockResponse::json(200, json!({"id": "g1"}))
                .header("ETag", "W/\"3\"")
                .header("request-id", REQUEST_ID)
                .header("client-request-id", "c1"),
        );
        let client = mock.client_builder().build().unwrap();
        let read: Response<Value> = get(&client, GROUP, &["g1"]).with_response().await.unwrap();
        assert_eq!(read.status(), StatusCode::OK);
        assert_eq!(read.etag(), Some("W/\"3\""));
        assert_eq!(read.request_id(), Some(REQUEST_ID));
        assert_eq!(read.client_request_id(), Some("c1"));
        assert_eq!(read.location(), None);
        assert_eq!(
            read.headers().get("content-type").unwrap(),
            "application/json"
        );
        assert_eq!(read.value(), &json!({"id": "g1"}));
        assert_eq!(read.into_value(), json!({"id": "g1"}));
    }

    #[tokio::test]
    async fn a_page_with_response_gives_the_preference_graph_applied() {
        let mock = MockTransport::new();
        mock.push(
            MockResponse::json(200, json!({"value": [{"id": "g1"}]}))
                .header("Preference-Applied", "odata.maxpagesize=1"),
        );
        let client = mock.client_builder().build().unwrap();
        let page: Response<Page<Value>> = list(&client, GROUPS, &[])
            .header("Prefer", "odata.maxpagesize=1")
            .with_response()
            .await
            .unwrap();
        assert_eq!(page.preference_applied(), Some("odata.maxpagesize=1"));
        assert_eq!(page.value().items, [json!({"id": "g1"})]);
    }

    #[tokio::test]
    async fn a_create_with_response_gives_the_location_of_a_204() {
        let mock = MockTransport::new();
        let location = "https://graph.microsoft.com/v1.0/groups/g2";
        mock.push(
            MockResponse::new(204)
                .header("Location", location)
                .header("Preference-Applied", "return=minimal"),
        );
        let client = mock.client_builder().build().unwrap();
        let created = create(&client, GROUPS, &[], &json!({}))
            .header("Prefer", "return=minimal")
            .with_response()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::NO_CONTENT);
        assert_eq!(created.preference_applied(), Some("return=minimal"));
        assert_eq!(created.location(), Some(location));
        assert_eq!(created.value().location(), Some(location));
    }

    #[tokio::test]
    async fn batch_items_give_their_own_status_and_headers() {
        let mock = MockTransport::new();
        let location = "https://graph.microsoft.com/v1.0/groups/g2";
        mock.push(
            MockResponse::json(
                200,
                json!({"responses": [
                    {"id": "1", "status": 200, "headers": {"ETag": "W/\"7\"", "request-id": REQUEST_ID},
                     "body": {"id": "g1"}},
                    {"id": "2", "status": 202, "headers": {"Location": location}},
                    {"id": "3", "status": 200, "headers": {"ETag": "W/\"8\""}, "body": {"id": "g3"}},
                ]}),
            )
            .header("request-id", "outer"),
        );
        let client = mock.client_builder().build().unwrap();
        let mut batch = client.batch();
        let read = batch.add(get::<Value>(&client, GROUP, &["g1"]).with_response());
        let created = batch.add(create(&client, GROUPS, &[], &json!({})));
        let plain = batch.add(get::<Value>(&client, GROUP, &["g3"]));
        let mut responses = batch.send().await.unwrap();

        let read = responses.take(read).unwrap();
        assert_eq!(read.status(), StatusCode::OK);
        assert_eq!(read.etag(), Some("W/\"7\""));
        assert_eq!(read.request_id(), Some(REQUEST_ID));
        assert_eq!(read.value(), &json!({"id": "g1"}));
        let created: Created<Value> = responses.take(created).unwrap();
        assert_eq!(
            created,
            Created::Accepted {
                location: Some(location.into())
            }
        );
        assert_eq!(responses.take(plain).unwrap(), json!({"id": "g3"}));
    }
}
