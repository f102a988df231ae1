//! Serialization shared by every generated struct.

use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value};

use super::fields::Fields;
use crate::odata::ODATA_TYPE_KEY;

/// `Serialize::serialize` of an annotated struct: `@odata.type` first (the derived type it
/// was read as, kept in its `additional` map, or its own), then the fields.
pub fn serialize_struct<T: Fields, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    let odata_type = value.kept_type().unwrap_or(T::ODATA_TYPE);
    map.serialize_entry(ODATA_TYPE_KEY, odata_type)?;
    value.write_fields::<T, _>(&mut map)?;
    map.end()
}

/// `Serialize::serialize` of a parameter body (`#[graph_resource(parameters)]`): the fields
/// alone, without `@odata.type`, which Graph refuses in an action's body.
pub fn serialize_parameters<T: Fields, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    value.write_fields::<T, _>(&mut map)?;
    map.end()
}

/// Writes the entries of an `additional` map after the known fields, never `@odata.type`,
/// which comes first.
pub fn write_additional<M: SerializeMap>(
    map: &mut M,
    additional: &Map<String, Value>,
) -> Result<(), M::Error> {
    write_entries(map, additional, |_| false)
}

/// Writes the `additional` map of a struct `O` after its known fields: never
/// `@odata.type`, which comes first, nor a property that `O` declares, which its field
/// writes (or, when the field is `None`, leaves out).
pub fn write_unknown<O: Fields, M: SerializeMap>(
    map: &mut M,
    additional: &Map<String, Value>,
) -> Result<(), M::Error> {
    write_entries(map, additional, |key| O::field_index(key).is_some())
}

fn write_entries<M: SerializeMap>(
    map: &mut M,
    additional: &Map<String, Value>,
    declared: impl Fn(&str) -> bool,
) -> Result<(), M::Error> {
    for (key, value) in additional {
        if key != ODATA_TYPE_KEY && !declared(key) {
            map.serialize_entry(key, value)?;
        }
    }
    Ok(())
}
