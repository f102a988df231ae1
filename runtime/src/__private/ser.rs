//! Serialization shared by every generated struct.

use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value};

use super::fields::Fields;
use crate::odata::ODATA_TYPE_KEY;

/// `Serialize::serialize` of an annotated struct: `@odata.type` first, then the fields.
pub fn serialize_struct<T: Fields, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry(ODATA_TYPE_KEY, T::ODATA_TYPE)?;
    value.write_fields(&mut map)?;
    map.end()
}

/// Writes the entries of an `additional` map after the known fields.
pub fn write_additional<M: SerializeMap>(
    map: &mut M,
    additional: &Map<String, Value>,
) -> Result<(), M::Error> {
    for (key, value) in additional {
        if key != ODATA_TYPE_KEY {
            map.serialize_entry(key, value)?;
        }
    }
    Ok(())
}
