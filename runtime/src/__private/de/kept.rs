//! Values read before an object's `@odata.type` was known, and the objects whose type came
//! after one of their properties, read again from what was kept.
//!
//! A kept value is a string without escapes, borrowed from the input where it can be (a
//! context URL, an etag, most properties), or the JSON text of anything else, borrowed from
//! the input where serde_json lends it. Each value is read again, when the variant reads
//! it, from that text by serde_json's reader of text, which also reads bodies: no other
//! reader of the models is compiled for it, and every value reads exactly as it would have
//! from the body, under the same recursion limit.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::depth::{ReadBack, read_back};
use super::{Leading, Polymorphic, TEXT, TYPE_NAME, variant_index};
use crate::located;
use crate::odata::{ODATA_TYPE_KEY, same_type};
use crate::read_ahead;
use crate::text::{QUOTED_CHARS, Shortened};

/// A value kept aside while an object's type is not known yet.
pub(super) enum Kept<'de> {
    /// A string, borrowed from the input where it can be.
    Text(Cow<'de, str>),
    /// Anything else, as its JSON text, borrowed from the input where it can be.
    Raw(Cow<'de, str>),
}

impl<'de> Kept<'de> {
    /// `raw`, the JSON text of a value: a string without escapes as its characters,
    /// anything else (a string with escapes too, which is only checked when it is read) as
    /// text.
    fn from_raw(raw: Cow<'de, str>) -> Self {
        match raw {
            Cow::Borrowed(text) => match characters(text) {
                Some(characters) => Kept::Text(Cow::Borrowed(characters)),
                None => Kept::Raw(raw),
            },
            Cow::Owned(text) => match characters(&text) {
                Some(characters) => Kept::Text(Cow::Owned(characters.to_owned())),
                None => Kept::Raw(Cow::Owned(text)),
            },
        }
    }

    /// The value as JSON, for a map that keeps unknown properties, as the property `key`.
    pub(super) fn into_value(self, key: &str) -> Result<Value, serde_json::Error> {
        match self {
            Kept::Text(text) => Ok(Value::String(text.into_owned())),
            Kept::Raw(raw) => read_back(&raw, || serde_json::from_str(&raw))
                .map_err(|error| in_value(key, &raw, error)),
        }
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

/// Reads a [`Kept`] value.
///
/// serde_json's readers give the value's text (borrowed from a `&str` or `&[u8]` input);
/// another deserializer gives the value itself, which is kept as its JSON text. A value the
/// text on loan shows to be a string is read as one, which costs less.
pub(super) struct KeptSeed {
    /// How the value is read.
    read: Read,
}

/// How a kept value is read.
#[derive(Clone, Copy)]
enum Read {
    /// As a string, which it is known to be.
    String,
    /// As its JSON text.
    Text,
    /// As what it turns out to be: a string, or anything else written again as JSON text.
    Any,
}

impl KeptSeed {
    /// The seed of the value of the property named `key`, just read.
    pub(super) fn after(key: &str) -> Self {
        KeptSeed {
            read: match read_ahead::value_is_string(key, true) {
                Some(true) => Read::String,
                _ => Read::Text,
            },
        }
    }

    /// The seed of the value of the annotation named `key`, just read, before the type: a
    /// string, as Graph's annotations before the type are, is read as one without its text
    /// (its escapes read at once). Anything else is kept as its text when the text on loan
    /// shows it; otherwise (serde_json's own `from_str`) it is read as serde_json reads any
    /// value and written again as JSON text: an integer within 64 bits, a boolean and null
    /// as they were, but a float, a larger integer or a decimal of many digits as an `f64`.
    pub(super) fn annotation(key: &str) -> Self {
        KeptSeed {
            read: match read_ahead::value_is_string(key, false) {
                Some(true) => Read::String,
                Some(false) => Read::Text,
                None => Read::Any,
            },
        }
    }
}

impl<'de> DeserializeSeed<'de> for KeptSeed {
    type Value = Kept<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        match self.read {
            Read::String => deserializer.deserialize_str(KeptString),
            Read::Text => deserializer.deserialize_newtype_struct(RAW_VALUE, RawVisitor),
            Read::Any => deserializer.deserialize_any(KeptAny),
        }
    }
}

/// Reads a kept value as what it turns out to be.
struct KeptAny;

impl<'de> Visitor<'de> for KeptAny {
    type Value = Kept<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        KeptString.visit_borrowed_str(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        KeptString.visit_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        KeptString.visit_string(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Kept::Raw(Cow::Borrowed(if v { "true" } else { "false" })))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Kept::Raw(Cow::Borrowed("null")))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Kept::Raw(Cow::Owned(v.to_string())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Kept::Raw(Cow::Owned(v.to_string())))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        Ok(Kept::Raw(Cow::Owned(v.to_string())))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        Ok(Kept::Raw(Cow::Owned(v.to_string())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        as_text(&Value::from(v))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        as_text(&Value::deserialize(de::value::SeqAccessDeserializer::new(
            seq,
        ))?)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        as_text(&Value::deserialize(de::value::MapAccessDeserializer::new(
            map,
        ))?)
    }
}

/// Reads a kept string.
struct KeptString;

impl<'de> Visitor<'de> for KeptString {
    type Value = Kept<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Kept::Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Kept::Text(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Kept::Text(Cow::Owned(v)))
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
            return Ok(Kept::Raw(Cow::Borrowed("{}")));
        };
        if key == RAW_VALUE {
            let raw = map.next_value_seed(TEXT)?;
            return Ok(Kept::from_raw(raw));
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
        match Value::deserialize(deserializer)? {
            Value::String(text) => Ok(Kept::Text(Cow::Owned(text))),
            value => as_text(&value),
        }
    }
}

/// `value`, read by a deserializer that is not serde_json's, kept as its JSON text.
fn as_text<'de, E: de::Error>(value: &Value) -> Result<Kept<'de>, E> {
    serde_json::to_string(value)
        .map(|text| Kept::Raw(Cow::Owned(text)))
        .map_err(E::custom)
}

/// A kept string, as a deserializer: a string, `Some` of one, a newtype around one, or a
/// unit variant named by it.
pub(super) struct KeptText<'a, E> {
    text: &'a str,
    error: PhantomData<E>,
}

impl<'a, E> KeptText<'a, E> {
    fn new(text: &'a str) -> Self {
        KeptText {
            text,
            error: PhantomData,
        }
    }
}

impl<'de, E: de::Error> Deserializer<'de> for KeptText<'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_borrowed_str(self.text)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        // A `RawValue` (a `Decimal` written as a string): the string's JSON text.
        if name == RAW_VALUE {
            let raw = serde_json::to_string(self.text).map_err(E::custom)?;
            let entry = [(RAW_VALUE, StringDeserializer::<E>::new(raw))];
            return visitor.visit_map(de::value::MapDeserializer::new(entry.into_iter()));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        BorrowedStrDeserializer::new(self.text).deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
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
/// reads it from: a string as it was kept, anything else from its JSON text by serde_json's
/// reader of text, which also reads bodies. An error names where in the entry it happened.
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
        let Some((key, value)) = self.entry.take() else {
            return Err(de::Error::custom("a value was read twice"));
        };
        let raw = match value {
            Kept::Text(text) => {
                return seed
                    .deserialize(KeptText::new(text))
                    .map_err(|error| in_entry(key, ".", &error));
            }
            Kept::Raw(raw) => raw,
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
    let raw = match kept {
        Kept::Text(text) => return Ok(text),
        Kept::Raw(raw) => raw,
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
    in_entry(key, &path, &error)
}

/// `error`, which reading the kept value of `key` gave at `path` in it, led by its path in
/// the object.
#[cold]
#[inline(never)]
fn in_entry(key: &str, path: &str, error: &serde_json::Error) -> serde_json::Error {
    let mut inner = located::JsonPath::default();
    inner.push(&located::Segment::Key(key.to_owned()));
    inner.push_path(path);
    de::Error::custom(located::with_inner_path(
        &inner.finish(),
        &located::message(error),
    ))
}
