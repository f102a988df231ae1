//! The field table of an annotated struct: the [`Fields`] trait every generated struct
//! implements, and the helpers its generated methods call to read, check and write fields.

use serde::Deserialize;
use serde::de::{self, MapAccess};
use serde::ser::SerializeMap;
use serde_json::map::Entry;
use serde_json::{Map, Value};

use crate::ODataType;
use crate::odata::ODATA_TYPE_KEY;
use crate::text::{QUOTED_CHARS, Shortened};

/// The properties of an annotated struct, read and written one at a time.
///
/// `Partial` holds what has been read so far; a derived struct embeds its base's `Partial`
/// and numbers the base's fields after its own.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `#[graph_resource]` struct",
    label = "annotate `{Self}` with `#[graph_resource]`",
    note = "variants of a polymorphic enum and `#[graph(base)]` fields hold `#[graph_resource]` structs"
)]
pub trait Fields: ODataType + Sized {
    /// The fields read so far.
    type Partial: Default;
    /// Whether unknown properties are kept (an `additional` map here or in a base).
    const HAS_ADDITIONAL: bool;
    /// Whether an annotation (a property whose name starts with `@`) can be read into the
    /// struct: a field of such a name here or in a base, or an `additional` map. An enum
    /// that kept annotations before it knew the type hands them only to such a struct.
    const READS_ANNOTATIONS: bool = true;
    /// The index of the field a JSON property name belongs to.
    fn field_index(key: &str) -> Option<u16>;
    /// Reads the value of field `index` from `map`.
    fn read_field<'de, A: MapAccess<'de>>(
        partial: &mut Self::Partial,
        index: u16,
        map: &mut A,
    ) -> Result<(), A::Error>;
    /// Reads the value of a property no field claims (only called when `HAS_ADDITIONAL`).
    fn read_unknown<'de, A: MapAccess<'de>>(
        partial: &mut Self::Partial,
        key: String,
        map: &mut A,
    ) -> Result<(), A::Error>;
    /// Whether the property of that JSON name is marked `#[graph(read_only)]`, here or in a
    /// base.
    fn is_read_only(name: &str) -> bool {
        let _ = name;
        false
    }
    /// Keeps the `@odata.type` of a derived type that was read (with its `#`) where unknown
    /// properties are kept, so that [`kept_type`](Fields::kept_type) gives it back; without
    /// an `additional` map it is dropped.
    fn keep_type(partial: &mut Self::Partial, odata_type: String) {
        let _ = (partial, odata_type);
    }
    /// Checks that every required field was read and builds the value.
    fn finish<E: de::Error>(partial: Self::Partial) -> Result<Self, E>;
    /// The `@odata.type` held where unknown properties are kept: the derived type that was
    /// read, which serialization writes instead of `ODATA_TYPE`.
    fn kept_type(&self) -> Option<&str> {
        None
    }
    /// Writes every field (not `@odata.type`) into `map`; `O` is the struct being written,
    /// whose declared properties an `additional` map does not write again.
    fn write_fields<O: Fields, M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// The `@odata.type` of an annotated struct, in a constant.
pub const fn odata_type<T: Fields>() -> &'static str {
    T::ODATA_TYPE
}

/// Reads one field's value, rejecting a second occurrence of the property.
#[inline]
pub fn read_into<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    name: &'static str,
    map: &mut A,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(duplicate(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the value of an `Option` field straight into it, rejecting a second occurrence of
/// the property: `seen` says whether it was read already (a `null` leaves `None`, as absent).
#[inline]
pub fn read_option<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    field: &mut Option<T>,
    seen: &mut bool,
    name: &'static str,
    map: &mut A,
) -> Result<(), A::Error> {
    if *seen {
        return Err(duplicate(name));
    }
    *seen = true;
    *field = map.next_value()?;
    Ok(())
}

/// The error for a property read twice; apart, so that each field's read is small.
#[cold]
#[inline(never)]
fn duplicate<E: de::Error>(name: &str) -> E {
    E::custom(format_args!("duplicate property `{name}`"))
}

/// Reads a property no field claims into an `additional` map, rejecting a second
/// occurrence of the property as [`read_into`] does.
pub fn read_additional<'de, A: MapAccess<'de>>(
    additional: &mut Map<String, Value>,
    key: String,
    map: &mut A,
) -> Result<(), A::Error> {
    match additional.entry(key) {
        Entry::Vacant(entry) => {
            entry.insert(map.next_value()?);
            Ok(())
        }
        Entry::Occupied(entry) => Err(de::Error::custom(format_args!(
            "duplicate property `{}`",
            Shortened(entry.key(), QUOTED_CHARS)
        ))),
    }
}

/// Keeps the `@odata.type` of a derived type in an `additional` map.
pub fn keep_type(additional: &mut Map<String, Value>, odata_type: String) {
    additional.insert(ODATA_TYPE_KEY.to_owned(), Value::String(odata_type));
}

/// The `@odata.type` an `additional` map holds.
pub fn kept_type(additional: &Map<String, Value>) -> Option<&str> {
    additional.get(ODATA_TYPE_KEY).and_then(Value::as_str)
}

/// The value of a required field, or an error naming the property and the type.
pub fn required<T, E: de::Error>(
    slot: Option<T>,
    name: &'static str,
    odata_type: &'static str,
) -> Result<T, E> {
    slot.ok_or_else(|| E::custom(format_args!("missing property `{name}` of `{odata_type}`")))
}

/// Whether two property names are equal, in a constant.
pub const fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
