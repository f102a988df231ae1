//! [`CollectionPath`]: a collection at a path.

use std::fmt;
use std::marker::PhantomData;

use http::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::entity::type_name;
use super::literal;
use super::position::{self, Position};
use super::{Contained, EntityPath, IsA, Model};
use crate::client::Client;
use crate::error::Error;
use crate::paging::Page;
use crate::path::PathPart;
use crate::request::Request;
use crate::response::Created;

/// A collection at a path: an entity set (`/users`), a contained collection
/// (`/users/{id}/messages`) or a collection-valued navigation property
/// (`/groups/{id}/members`).
///
/// `K` is [`Related`](super::Related) for a navigation property that relates entities
/// stored elsewhere: then references can be added, removed and listed with `$ref`
/// ([`add_reference`](CollectionPath::add_reference) and the others compile only there).
///
/// ```
/// # use graph_resource_runtime::{CollectionPath, Error, MockResponse, MockTransport};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::json(200, serde_json::json!({"value": []})));
/// # mock.push(MockResponse::new(200).header("Content-Type", "text/plain").body("42"));
/// # let client = mock.client_builder().build()?;
/// // In an SDK: `User::collection(&client)`.
/// let users = CollectionPath::<serde_json::Value>::root(&client, "/users");
/// let page = users.clone().list().await?;
/// assert!(page.items.is_empty());
/// assert_eq!(users.count().await?, 42);
/// assert_eq!(mock.requests()[1].uri, "https://graph.microsoft.com/v1.0/users/$count");
/// # Ok(())
/// # }
/// ```
pub struct CollectionPath<T, K = Contained> {
    at: Position,
    types: PhantomData<fn() -> (T, K)>,
}

impl<T, K> CollectionPath<T, K> {
    pub(crate) fn from_position(at: Position) -> Self {
        CollectionPath {
            at,
            types: PhantomData,
        }
    }

    pub(crate) fn into_position(self) -> Position {
        self.at
    }

    /// The collection at `path` below the client's base URL, such as `/users` or
    /// `/me/messages`: a `/` and segments as they go on the wire (percent-encoded where they
    /// need it). A path that is not one fails a request made from it when it is awaited.
    pub fn root(client: &Client, path: &str) -> Self {
        CollectionPath::from_position(Position::root(client, path))
    }

    /// `GET`: the first page; the request pages on (`pages`, `items`, `all`).
    pub fn list(self) -> Request<Page<T>>
    where
        T: DeserializeOwned,
    {
        self.at.request(Method::GET)
    }

    /// `POST`s `body` to the collection: the entity Graph created (`201`), or where it is
    /// (`202`, `204`).
    pub fn create(self, body: &T) -> Request<Created<T>>
    where
        T: Serialize + DeserializeOwned,
    {
        self.at.request(Method::POST).json(body)
    }

    /// The member of key `id`: `/{id}`, percent-encoded as one segment. An empty, `.` or
    /// `..` key fails a request made from it when it is awaited, before anything is sent.
    pub fn id(self, id: &str) -> EntityPath<T> {
        EntityPath::from_position(self.at.key("the key", id))
    }

    /// The member whose alternate key `name` is `value`:
    /// `/users(userPrincipalName='a''b@c.com')`, the value an OData string literal (`'`
    /// doubled), percent-encoded. A name that is not an identifier fails a request made from
    /// it when it is awaited.
    pub fn alternate_key(self, name: &str, value: &str) -> EntityPath<T> {
        let at = if is_identifier(name) {
            let mut segment = String::with_capacity(name.len() + value.len() + 8);
            segment.push('(');
            segment.push_str(name);
            segment.push('=');
            literal::push_string(&mut segment, value);
            segment.push(')');
            self.at.push_str(&segment)
        } else {
            self.at.fail(Error::InvalidArgument(format!(
                "the alternate key `{name}` is not a property name: expected letters, digits and `_`"
            )))
        };
        EntityPath::from_position(at)
    }

    /// The same collection read as `D`, a type derived from `T`: a type-cast segment
    /// (`/users/{id}/memberOf/microsoft.graph.group`), so Graph answers only the members of
    /// that type. A type that does not derive from `T` does not compile.
    pub fn cast<D>(self) -> CollectionPath<D, K>
    where
        T: Model,
        D: Model,
        D::Declared: IsA<T::Declared>,
    {
        CollectionPath::from_position(self.at.push(type_name::<D::Declared>()))
    }
}

/// Whether `name` can be a property name: ASCII letters, digits and `_`, not starting with
/// a digit.
fn is_identifier(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// What generated code calls: `T::collection(&client, k..)`.
pub fn collection<T>(
    client: &Client,
    path: &'static [PathPart],
    keys: &[&str],
) -> CollectionPath<T> {
    CollectionPath::from_position(position::at(client, path, keys))
}

impl<T, K> Clone for CollectionPath<T, K> {
    fn clone(&self) -> Self {
        CollectionPath::from_position(self.at.clone())
    }
}

impl<T, K> fmt::Debug for CollectionPath<T, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CollectionPath").field(&self.at).finish()
    }
}
