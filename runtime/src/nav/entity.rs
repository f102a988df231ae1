//! [`EntityPath`]: one entity at a path.

use std::fmt;
use std::marker::PhantomData;

use http::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::position::{self, Position};
use super::{Cardinality, Contained, IsA, Model, Navigation};
use crate::client::Client;
use crate::odata::ODataType;
use crate::path::PathPart;
use crate::request::{Entity, Request};

/// One entity at a path: a member of a collection, a singleton, an entity found by an
/// alternate key, or the target of a single-valued navigation property.
///
/// `K` is [`Contained`] unless the entity is the target of a single-valued navigation
/// property that relates it ([`Related`](super::Related), such as a user's `manager`): then
/// its reference can be set and removed with `$ref`.
///
/// A path holds a clone of the client (one `Arc`) and the percent-encoded path so far, or
/// the first argument error (an empty key, a path that is not one), which a request made
/// from it reports when it is awaited, before anything is sent. It is `Send + 'static`.
///
/// ```
/// # use graph_resource_runtime::{Error, EntityPath, MockResponse, MockTransport};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::json(200, serde_json::json!({"id": "u1"})));
/// # let client = mock.client_builder().build()?;
/// // In an SDK: `User::at(&client, "u1")`, or `EntityPath::<User>::root(&client, "/me")`.
/// let me = EntityPath::<serde_json::Value>::root(&client, "/me");
/// let user = me.get().await?;
/// # let _ = user;
/// assert_eq!(mock.requests()[0].uri, "https://graph.microsoft.com/v1.0/me");
/// # Ok(())
/// # }
/// ```
pub struct EntityPath<T, K = Contained> {
    at: Position,
    types: PhantomData<fn() -> (T, K)>,
}

impl<T, K> EntityPath<T, K> {
    pub(crate) fn from_position(at: Position) -> Self {
        EntityPath {
            at,
            types: PhantomData,
        }
    }

    pub(crate) fn position(&self) -> &Position {
        &self.at
    }

    pub(crate) fn into_position(self) -> Position {
        self.at
    }

    /// The entity at `path` below the client's base URL, such as `/me` or `/admin/sharepoint`:
    /// a `/` and segments as they go on the wire (percent-encoded where they need it). A
    /// path that is not one fails a request made from it when it is awaited.
    pub fn root(client: &Client, path: &str) -> Self {
        EntityPath::from_position(Position::root(client, path))
    }

    /// `GET`: the entity.
    pub fn get(self) -> Request<Entity<T>>
    where
        T: DeserializeOwned,
    {
        self.at.request(Method::GET)
    }

    /// `PATCH`es what `changes` serializes to (`None` fields are left alone); the entity
    /// when Graph returns one (`200 OK`), `None` on `204 No Content`.
    pub fn update(self, changes: &T) -> Request<Option<T>>
    where
        T: Serialize + DeserializeOwned,
    {
        self.at.request(Method::PATCH).object(changes)
    }

    /// `DELETE`s the entity.
    pub fn delete(self) -> Request<()> {
        self.at.request(Method::DELETE)
    }

    /// The same entity read as `D`, a type derived from `T`: a type-cast segment
    /// (`/directoryObjects/{id}/microsoft.graph.user`). A type that does not derive from
    /// `T` does not compile.
    pub fn cast<D>(self) -> EntityPath<D, K>
    where
        T: Model,
        D: Model,
        D::Declared: IsA<T::Declared>,
    {
        EntityPath::from_position(self.at.push(type_name::<D::Declared>()))
    }

    /// A step along a navigation property of `T` (or of a type `T` derives from): an
    /// [`EntityPath`] for a single-valued one, a [`CollectionPath`](super::CollectionPath)
    /// for a collection.
    ///
    /// `Group::at(&client, id).to(Group::MEMBERS).list().await?` reads
    /// `GET /groups/{id}/members`.
    pub fn to<B, N, C, NK>(self, navigation: Navigation<B, N, C, NK>) -> C::Path
    where
        T: Model,
        T::Declared: IsA<B>,
        N: Model,
        C: Cardinality<N, NK>,
    {
        C::path(self.at.push(navigation.name()))
    }
}

/// A type's qualified name without the `#`, as a cast segment spells it.
pub(crate) fn type_name<T: ODataType>() -> &'static str {
    T::ODATA_TYPE.strip_prefix('#').unwrap_or(T::ODATA_TYPE)
}

/// What generated code calls: `T::at(&client, k.., id)`.
pub fn at<T>(client: &Client, path: &'static [PathPart], keys: &[&str]) -> EntityPath<T> {
    EntityPath::from_position(position::at(client, path, keys))
}

impl<T, K> Clone for EntityPath<T, K> {
    fn clone(&self) -> Self {
        EntityPath::from_position(self.at.clone())
    }
}

impl<T, K> fmt::Debug for EntityPath<T, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EntityPath").field(&self.at).finish()
    }
}
