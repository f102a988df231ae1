//! Values read before an object's `@odata.type` was known, and the objects whose type came
//! after one of their properties, read again from what was kept.
//!
//! A kept value is its JSON text, borrowed from the input where serde_json lends it (a
//! string's text with its quotes too). Each value is read again, when the variant reads it,
//! from that text by serde_json's reader of text, which also reads bodies: no other reader
//! of the models or of their fields' types is compiled for it, and every value reads
//! exactly as it would have from the body, under the same recursion limit.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::depth::{ReadBack, read_back};
use super::{Leading, Polymorphic, TEXT, TYPE_NAME, variant_index};
use crate::located;
use crate::odata::{ODATA_TYPE_KEY, same_type};
use crate::text::{QUOTED_CHARS, Shortened};

/// A value kept aside while an object's type is not known yet: its JSON text, borrowed
/// from the input where serde_json lends it.
pub(super) struct Kept<'de>(pub(super) Cow<'de, str>);

impl<'de> Kept<'de> {
    /// The characters of a string without escapes: its text between the quotes; `None` for
    /// a string with escapes or anything else.
    pub(super) fn characters(&self) -> Option<&str> {
        characters(&self.0)
    }

    /// The value as JSON, for a map that keeps unknown properties, as the property `key`.
    pub(super) fn into_value(self, key: &str) -> Result<Value, serde_json::Error> {
        if let Some(characters) = self.characters() {
            return Ok(Value::String(characters.to_owned()));
        }
        let raw = self.0;
        read_back(&raw, || serde_json::from_str(&raw)).map_err(|error| in_value(key, &raw, error))
    }
}

/// The characters of the JSON string `text` when it has no escape: its text between the
/// quotes; `None` for a string with escapes or anything else.
fn characters(text: &str) -> Option<&str> {
    if text.contains('\\') {
        return None;
    }
    text.strip_prefix('"')?.strip_suffix('"')
}

/// The name by which serde_json hands a deserializer's raw text to a visitor (the protocol
/// of `serde_json::value::RawValue`): as a one-entry map whose value is the text.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// Reads a [`Kept`] value: its JSON text.
///
/// serde_json's readers give the value's text (borrowed from a `&str` or `&[u8]` input);
/// another deserializer gives the value itself, which is kept as its JSON text.
pub(super) struct KeptSeed;

impl<'de> DeserializeSeed<'de> for KeptSeed {
    type Value = Kept<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE, RawVisitor)
    }
}

/// Reads a kept value as its JSON text.
struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Kept<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    /// serde_json's raw text, or a map from a deserializer that reads a newtype as its
    /// content.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Some(key) = map.next_key_seed(TEXT)? else {
            return Ok(Kept(Cow::Borrowed("{}")));
        };
        if key == RAW_VALUE {
            return Ok(Kept(map.next_value_seed(TEXT)?));
        }
        let mut object = serde_json::Map::new();
        object.insert(key.into_owned(), map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            object.insert(key, value);
        }
        as_text(&Value::Object(object))
    }

    /// Another deserializer: the value itself.
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        as_text(&Value::deserialize(deserializer)?)
    }
}

/// `value`, read by a deserializer that is not serde_json's, kept as its JSON text.
fn as_text<'de, E: de::Error>(value: &Value) -> Result<Kept<'de>, E> {
    serde_json::to_string(value)
        .map(|text| Kept(Cow::Owned(text)))
        .map_err(E::custom)
}

/// Dispatches an object whose `@odata.type` was not its first key, from its entries kept in
/// order, duplicates included, so that reading them is what streaming would be.
///
/// The object is read again from its JSON text by serde_json's reader of text, which also
/// reads bodies, so that no other reader of the variants is compiled; an error names the
/// path inside the object where it happened.
pub(super) fn from_buffer<'de, T: Polymorphic>(
    mut buffer: Vec<(Cow<'de, str>, Kept<'de>)>,
) -> Result<T, serde_json::Error> {
    let position = buffer.iter().position(|(key, _)| key == ODATA_TYPE_KEY);
    let odata_type = match position.map(|index| buffer.remove(index).1) {
        None => None,
        Some(kept) => Some(type_name(kept)?),
    };
    if let Some(first) = &odata_type {
        buffer = without_same_type(buffer, first)?;
    }
    let index = match &odata_type {
        Some(odata_type) => variant_index::<T>(odata_type),
        None => T::DECLARED,
    };
    // Each entry is read as the annotations before a type are, by the variant's own reader
    // of one property. The variant is handed an empty map of serde_json's reader of text,
    // the map a body gives, so that its reader of the rest is the one that reads bodies and
    // no other is compiled.
    let whole = Whole::<T> {
        index,
        odata_type: odata_type.map(Cow::into_owned),
        entries: Leading::from_entries(buffer),
        variant: PhantomData,
    };
    let empty: &'de str = "{}";
    serde_json::Deserializer::from_str(empty)
        .deserialize_map(whole)
        // Without the line and column in `{}`, which would be taken for the body's.
        .map_err(|error| de::Error::custom(located::message(&error)))
}

/// Reads an object all of whose entries were kept into typed variant `index` of `T`, or
/// into its `other` variant.
struct Whole<'de, T> {
    index: Option<usize>,
    odata_type: Option<String>,
    entries: Leading<'de>,
    variant: PhantomData<T>,
}

impl<'de, T: Polymorphic> Visitor<'de> for Whole<'de, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an empty JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        match self.index {
            Some(index) => T::visit_variant(index, &self.entries, map),
            None => T::visit_other(self.odata_type, self.entries, map),
        }
    }
}

/// `entries` without the `@odata.type`s after the first, `first`, which must name the same
/// type.
fn without_same_type<'de>(
    entries: Vec<(Cow<'de, str>, Kept<'de>)>,
    first: &str,
) -> Result<Vec<(Cow<'de, str>, Kept<'de>)>, serde_json::Error> {
    let mut kept = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        if key != ODATA_TYPE_KEY {
            kept.push((key, value));
            continue;
        }
        let found = type_name(value)?;
        if !same_type(&found, first) {
            return Err(de::Error::custom(format_args!(
                "a second `@odata.type` `{}` after `{}`",
                Shortened(&found, QUOTED_CHARS),
                Shortened(first, QUOTED_CHARS)
            )));
        }
    }
    Ok(kept)
}

/// The value of one entry kept before an object's type, as the map a field of the variant
/// reads it from: from its JSON text by serde_json's reader of text, which also reads
/// bodies. An error names where in the entry it happened.
pub(super) struct Replay<'a, 'de> {
    /// The entry, until its value is read.
    entry: Option<&'a (Cow<'de, str>, Kept<'de>)>,
}

impl<'a, 'de> Replay<'a, 'de> {
    /// The value of `entry`.
    pub(super) fn one(entry: &'a (Cow<'de, str>, Kept<'de>)) -> Self {
        Replay { entry: Some(entry) }
    }
}

/// A map whose one key was read already: it gives the value of that key.
impl<'a> MapAccess<'a> for Replay<'a, '_> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        _seed: K,
    ) -> Result<Option<K::Value>, serde_json::Error> {
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, serde_json::Error> {
        let Some((key, Kept(raw))) = self.entry.take() else {
            return Err(de::Error::custom("a value was read twice"));
        };
        // From text, serde_json says where it stopped.
        let _back = ReadBack::begin(raw).map_err(|error| in_value(key, raw, error))?;
        let mut deserializer = serde_json::Deserializer::from_str(raw);
        // A reader that stops early (a `u128` takes the digits of `5.0`) is wrong about the
        // rest, as it would be in the body.
        seed.deserialize(&mut deserializer)
            .and_then(|value| deserializer.end().map(|()| value))
            .map_err(|error| in_value(key, raw, error))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(0)
    }
}

/// The characters of a kept `@odata.type`; what reading it with the type first says, at
/// its key, when it is not a string.
fn type_name(kept: Kept<'_>) -> Result<Cow<'_, str>, serde_json::Error> {
    let raw = match kept.0 {
        Cow::Borrowed(raw) => match characters(raw) {
            Some(characters) => return Ok(Cow::Borrowed(characters)),
            None => Cow::Borrowed(raw),
        },
        raw => raw,
    };
    match TYPE_NAME.deserialize(&mut serde_json::Deserializer::from_str(&raw)) {
        Ok(text) => Ok(Cow::Owned(text.into_owned())),
        Err(error) => Err(in_value(ODATA_TYPE_KEY, &raw, error)),
    }
}

/// `error`, which reading the kept value of `key` from its JSON text `raw` gave, led by its
/// path in the object and in the value, without the line and column in `raw`, which would
/// be taken for the body's.
#[cold]
#[inline(never)]
fn in_value(key: &str, raw: &str, error: serde_json::Error) -> serde_json::Error {
    let path = located::error_path(raw.as_bytes(), &error);
    let mut inner = located::JsonPath::default();
    inner.push(&located::Segment::Key(key.to_owned()));
    inner.push_path(&path);
    de::Error::custom(located::with_inner_path(
        &inner.finish(),
        &located::message(&error),
    ))
}
