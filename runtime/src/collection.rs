//! A page of a collection, as Graph returns it.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// One page of a collection response: `{"@odata.context": …, "value": [ … ], "@odata.nextLink": …}`.
///
/// The items may be of a polymorphic type; every annotation Graph adds to the page that is
/// not a field here is kept in `additional`, in order.
///
/// ```
/// use graph_resource_runtime::{ODataCollection, UntypedResource};
///
/// let page: ODataCollection<UntypedResource> = serde_json::from_str(
///     r#"{"value":[{"id":"a"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/x?$skiptoken=2"}"#,
/// ).unwrap();
/// assert_eq!(page.value.len(), 1);
/// assert!(page.next_link.is_some());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ODataCollection<T> {
    /// `@odata.context`: the metadata URL of the page.
    pub context: Option<String>,
    /// `@odata.count`: the total count, when `$count=true` was asked for.
    pub count: Option<u64>,
    /// `value`: the items of this page.
    pub value: Vec<T>,
    /// `@odata.nextLink`: the URL of the next page, absent on the last one.
    pub next_link: Option<String>,
    /// `@odata.deltaLink`: the URL to ask for changes, on the last page of a delta query.
    pub delta_link: Option<String>,
    /// Every other property and annotation of the page.
    pub additional: Map<String, Value>,
}

impl<T> Default for ODataCollection<T> {
    fn default() -> Self {
        ODataCollection {
            context: None,
            count: None,
            value: Vec::new(),
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

impl<T: Serialize> Serialize for ODataCollection<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(context) = &self.context {
            map.serialize_entry(CONTEXT, context)?;
        }
        if let Some(count) = &self.count {
            map.serialize_entry(COUNT, count)?;
        }
        map.serialize_entry(VALUE, &self.value)?;
        if let Some(next_link) = &self.next_link {
            map.serialize_entry(NEXT_LINK, next_link)?;
        }
        if let Some(delta_link) = &self.delta_link {
            map.serialize_entry(DELTA_LINK, delta_link)?;
        }
        crate::__private_v0_1_0::ser::write_additional(&mut map, &self.additional)?;
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ODataCollection<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(CollectionVisitor(PhantomData))
    }
}

struct CollectionVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for CollectionVisitor<T> {
    type Value = ODataCollection<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a collection object with a `value` array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut page = ODataCollection::default();
        let mut value = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                VALUE => crate::__private_v0_1_0::fields::read_into(&mut value, VALUE, &mut map)?,
                CONTEXT => page.context = map.next_value()?,
                COUNT => page.count = map.next_value()?,
                NEXT_LINK => page.next_link = map.next_value()?,
                DELTA_LINK => page.delta_link = map.next_value()?,
                _ => crate::__private_v0_1_0::fields::read_additional(
                    &mut page.additional,
                    key,
                    &mut map,
                )?,
            }
        }
        page.value =
            value.ok_or_else(|| de::Error::custom("missing property `value` of a collection"))?;
        Ok(page)
    }
}
