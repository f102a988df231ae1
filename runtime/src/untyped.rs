//! A resource of a type the model does not know.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::odata::{ODATA_TYPE_KEY, same_type};
use crate::text::{QUOTED_CHARS, Shortened};

/// An OData object kept as it came: its `@odata.type` and every other property.
///
/// It is what a `#[graph(other)]` variant of a polymorphic enum holds: an abstract base type
/// sent as a value, or a derived type added to Graph after the SDK was written. It writes
/// itself back unchanged: the type string exactly as received (with or without `#`), then
/// the properties in the order they came.
///
/// ```
/// use graph_resource_runtime::UntypedResource;
///
/// let json = r#"{"@odata.type":"microsoft.graph.scopeTagGroupAssignmentTarget","groupId":"g1"}"#;
/// let target: UntypedResource = serde_json::from_str(json).unwrap();
/// assert_eq!(target.odata_type.as_deref(), Some("microsoft.graph.scopeTagGroupAssignmentTarget"));
/// assert_eq!(target.properties["groupId"], "g1");
/// assert_eq!(serde_json::to_string(&target).unwrap(), json);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UntypedResource {
    /// The `@odata.type` value exactly as received, if there was one.
    pub odata_type: Option<String>,
    /// Every other property and annotation, in the order received.
    pub properties: Map<String, Value>,
}

impl UntypedResource {
    /// A resource of the given type with no properties.
    pub fn new(odata_type: impl Into<String>) -> Self {
        UntypedResource {
            odata_type: Some(odata_type.into()),
            properties: Map::new(),
        }
    }

    /// Reads the rest of an object whose `@odata.type` (if any) was already read.
    pub(crate) fn from_rest<'de, A: MapAccess<'de>>(
        mut odata_type: Option<String>,
        leading: impl Iterator<Item = (String, Value)>,
        mut map: A,
    ) -> Result<Self, A::Error> {
        let mut properties: Map<String, Value> = leading.collect();
        while let Some(key) = map.next_key::<String>()? {
            if key == ODATA_TYPE_KEY {
                let found: String = map.next_value()?;
                match &odata_type {
                    None => odata_type = Some(found),
                    Some(first) if same_type(first, &found) => {}
                    Some(first) => {
                        return Err(de::Error::custom(format_args!(
                            "two different `@odata.type` values: `{}` and `{}`",
                            Shortened(first, QUOTED_CHARS),
                            Shortened(&found, QUOTED_CHARS)
                        )));
                    }
                }
            } else {
                let value = map.next_value()?;
                properties.insert(key, value);
            }
        }
        Ok(UntypedResource {
            odata_type,
            properties,
        })
    }
}

impl Serialize for UntypedResource {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(odata_type) = &self.odata_type {
            map.serialize_entry(ODATA_TYPE_KEY, odata_type)?;
        }
        for (key, value) in &self.properties {
            if !(key == ODATA_TYPE_KEY && self.odata_type.is_some()) {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for UntypedResource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UntypedVisitor;
        impl<'de> Visitor<'de> for UntypedVisitor {
            type Value = UntypedResource;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<UntypedResource, A::Error> {
                UntypedResource::from_rest(None, std::iter::empty(), map)
            }
        }
        deserializer.deserialize_map(UntypedVisitor)
    }
}
