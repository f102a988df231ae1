//! References (`$ref`): the entities a navigation property that is not contained relates,
//! added, removed and listed by their `@odata.id`.

use http::Method;
use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::position::{Position, check_key};
use super::{CollectionPath, EntityPath, Related};
use crate::client::Client;
use crate::error::Error;
use crate::odata::Properties;
use crate::paging::Page;
use crate::path::push_encoded;
use crate::request::Request;
use crate::text::json_kind;

/// A reference to an entity, as `GET …/$ref` lists them: its `@odata.id`, the URL that
/// addresses it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reference {
    /// `@odata.id`, such as `https://graph.microsoft.com/v1.0/directoryObjects/{id}`.
    pub id: String,
}

/// `{"@odata.id": "…"}`; other properties and annotations are ignored.
impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ReferenceVisitor)
    }
}

/// Reads a [`Reference`]; its errors are the object's, so the reader says where it was.
struct ReferenceVisitor;

impl<'de> Visitor<'de> for ReferenceVisitor {
    type Value = Reference;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a JSON object with an `{ODATA_ID}`")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Reference, A::Error> {
        let mut object = Map::<String, Value>::deserialize(MapAccessDeserializer::new(map))?;
        match object.remove(ODATA_ID) {
            Some(Value::String(id)) => Ok(Reference { id }),
            Some(other) => Err(A::Error::custom(format_args!(
                "expected `{ODATA_ID}` to be a string, found {}",
                json_kind(&other)
            ))),
            None => Err(A::Error::missing_field(ODATA_ID)),
        }
    }
}

const ODATA_ID: &str = "@odata.id";

/// A reference has no properties to select or order by; `filter`, `top` and the others
/// apply to `$ref` as to any collection.
impl Properties for Reference {
    const NAME: &'static str = "$ref";
    fn has_property(_: &str) -> bool {
        false
    }
}

/// What a reference points at: the `@odata.id` a `$ref` body names.
///
/// An id (`&str`, `String`) is a directory object, `{base URL}/directoryObjects/{id}`, as
/// group members, owners and a user's manager are; an [`EntityPath`] is the entity at that
/// path, for references to anything else. Graph refuses a bare id: the URL is always whole.
pub trait ReferenceTarget {
    /// The absolute URL of the entity, for a client of base URL `client.base_url()`.
    #[doc(hidden)]
    fn odata_id(&self, client: &Client) -> Result<String, Error>;
}

impl ReferenceTarget for str {
    fn odata_id(&self, client: &Client) -> Result<String, Error> {
        check_key("the id of the referenced object", self)?;
        let base = client.base_url();
        let mut url = String::with_capacity(base.len() + 18 + self.len());
        url.push_str(base);
        url.push_str("/directoryObjects/");
        push_encoded(&mut url, self, b"");
        Ok(url)
    }
}

impl ReferenceTarget for String {
    fn odata_id(&self, client: &Client) -> Result<String, Error> {
        self.as_str().odata_id(client)
    }
}

impl<R: ReferenceTarget + ?Sized> ReferenceTarget for &R {
    fn odata_id(&self, client: &Client) -> Result<String, Error> {
        (**self).odata_id(client)
    }
}

impl<T, K> ReferenceTarget for EntityPath<T, K> {
    fn odata_id(&self, _: &Client) -> Result<String, Error> {
        self.position().url()
    }
}

/// A request for `method` on `at` with the reference to `target` as its body.
fn with_target(at: Position, method: Method, target: impl ReferenceTarget) -> Request<()> {
    match target.odata_id(at.client()) {
        Ok(id) => at
            .push("$ref")
            .request(method)
            .json(&serde_json::json!({ ODATA_ID: id })),
        Err(error) => at.fail(error).request(method),
    }
}

/// `$ref` on a collection-valued navigation property that is not contained.
impl<T> CollectionPath<T, Related> {
    /// `POST …/$ref`: relates `target` (an id of a directory object, or an [`EntityPath`]),
    /// such as a new member of a group. Graph answers `204 No Content`.
    ///
    /// `Group::at(&client, group_id).to(Group::MEMBERS).add_reference(user_id).await?`
    pub fn add_reference(self, target: impl ReferenceTarget) -> Request<()> {
        with_target(self.into_position(), Method::POST, target)
    }

    /// `DELETE …/{id}/$ref`: removes the reference to the member of key `id`, leaving the
    /// entity itself alone.
    pub fn remove_reference(self, id: &str) -> Request<()> {
        self.into_position()
            .key("the id of the referenced object", id)
            .push("$ref")
            .request(Method::DELETE)
    }

    /// `GET …/$ref`: the first page of the references, each an `@odata.id`.
    pub fn references(self) -> Request<Page<Reference>> {
        self.into_position().push("$ref").request(Method::GET)
    }
}

/// `$ref` on a single-valued navigation property that is not contained.
impl<T> EntityPath<T, Related> {
    /// `PUT …/$ref`: points the property at `target` (an id of a directory object, or an
    /// [`EntityPath`]), such as a user's manager. Graph answers `204 No Content`.
    pub fn set_reference(self, target: impl ReferenceTarget) -> Request<()> {
        with_target(self.into_position(), Method::PUT, target)
    }

    /// `DELETE …/$ref`: empties the property, leaving the entity it pointed at alone.
    pub fn remove_reference(self) -> Request<()> {
        self.into_position().push("$ref").request(Method::DELETE)
    }
}
