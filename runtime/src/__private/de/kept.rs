//! Values read before an object's `@odata.type` was known, and the objects whose type came
//! after one of their properties, read again from what was kept.
//!
//! A kept value is its JSON text, borrowed from the input where serde_json lends it (a
//! string's text with its quotes too); an annotation read where no text is on loan is read
//! as serde_json reads any value, which counts how deep it nests where it stands, and kept
//! as a string's characters or as the text of anything else. An annotation before the first
//! property, read by serde_json from the text on loan (the context URL of a GET's answer),
//! is passed over as a struct passes over it and kept as its name: its text is found after
//! the name when the entry is read (by a variant that reads annotations, by `other`, or with
//! the whole object when its type came after a property). Each value is read again, when
//! the variant reads it, from its text by serde_json's reader of text, which also reads
//! bodies: no other reader of the models or of their fields' types is compiled for it, and
//! every value reads as it would have from the body, under the same recursion limit.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::depth::{ReadBack, read_back};
use super::polymorphic::{KeptEntry, Leading, Polymorphic, variant_index};
use super::{TEXT, TYPE_NAME};
use crate::located;
use crate::odata::{ODATA_TYPE_KEY, same_type};
use crate::read_ahead;
use crate::text::{QUOTED_CHARS, Shortened};

/// A value kept aside while an object's type is not known yet.
pub(super) enum Kept<'de> {
    /// Its JSON text, borrowed from the input where serde_json lends it.
    Text(Cow<'de, str>),
    /// A string's characters, read where no text is on loan.
    Characters(Cow<'de, str>),
    /// Passed over where it stands in the text on loan, after the property name it holds,
    /// by serde_json reading that text (see `read_ahead::lent`): its text is found there
    /// when the entry is read.
    Lent(&'de str),
}

impl<'de> Kept<'de> {
    /// The characters of a string without escapes; `None` for a string with escapes, kept
    /// as its text, or anything else.
    pub(super) fn characters(&self) -> Option<&str> {
        match self {
            Kept::Text(text) => characters(text),
            Kept::Characters(characters) => Some(characters),
            Kept::Lent(_) => None,
        }
    }

    /// Hands its JSON text to `read`: written again for a string kept as its characters,
    /// and where it stands in the text on loan for one skipped there, so that reading it
    /// back knows how deep it stands, as for text borrowed from the body.
    #[inline]
    pub(super) fn read_text<R>(
        &self,
        read: impl FnOnce(&str) -> Result<R, serde_json::Error>,
    ) -> Result<R, serde_json::Error> {
        match self {
            Kept::Text(text) => read(text),
            // Writing a string into memory does not fail.
            Kept::Characters(characters) => {
                read(&serde_json::to_string(&**characters).unwrap_or_default())
            }
            Kept::Lent(name) => read_ahead::with_value_after(name, read)
                .unwrap_or_else(|| Err(not_after_its_name(name))),
        }
    }

    /// The value as JSON, for a map that keeps unknown properties, as the property `key`.
    pub(super) fn into_value(self, key: &str) -> Result<Value, serde_json::Error> {
        if let Some(characters) = self.characters() {
            return Ok(Value::String(characters.to_owned()));
        }
        self.read_text(|raw| {
            read_back(raw, || serde_json::from_str(raw)).map_err(|error| in_value(key, raw, error))
        })
    }
}

/// The error for a value passed over in the text on loan that is not found after its name
/// there. The object's entries are read while that text is on loan, and only serde_json
/// reading it passes a value over, so that this does not happen; it is an error rather than
/// a wrong value if it did.
#[cold]
fn not_after_its_name(name: &str) -> serde_json::Error {
    de::Error::custom(format_args!(
        "the value of `{}` is not after its name in the text being read",
        Shortened(name, QUOTED_CHARS)
    ))
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
/// another deserializer gives the value itself, which is kept as its JSON text.
pub(super) enum KeptSeed {
    /// As its JSON text.
    Text,
    /// As what it turns out to be: a string's characters, or anything else written again as
    /// JSON text.
    Any,
}

impl KeptSeed {
    /// The seed of an annotation before the type. Where the text is on loan it is kept as
    /// its text; otherwise (serde_json's own `from_str`) it is read as serde_json reads any
    /// value, which counts how deep it nests where it stands, as with the type first, and
    /// written again as JSON text: an integer within 64 bits, a boolean and null as they
    /// were, but a float, a larger integer or a decimal of many digits as an `f64`.
    #[inline]
    pub(super) fn annotation() -> Self {
        if read_ahead::lending() {
            KeptSeed::Text
        } else {
            KeptSeed::Any
        }
    }
}

impl<'de> DeserializeSeed<'de> for KeptSeed {
    type Value = Kept<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        match self {
            KeptSeed::Text => deserializer.deserialize_newtype_struct(RAW_VALUE, RawVisitor),
            KeptSeed::Any => deserializer.deserialize_any(KeptAny),
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
        Ok(Kept::Characters(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Kept::Characters(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Kept::Characters(Cow::Owned(v)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Kept::Text(Cow::Borrowed(if v { "true" } else { "false" })))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Kept::Text(Cow::Borrowed("null")))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Kept::Text(Cow::Owned(v.to_string())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Kept::Text(Cow::Owned(v.to_string())))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        Ok(Kept::Text(Cow::Owned(v.to_string())))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        Ok(Kept::Text(Cow::Owned(v.to_string())))
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
            return Ok(Kept::Text(Cow::Borrowed("{}")));
        };
        if key == RAW_VALUE {
            return Ok(Kept::Text(map.next_value_seed(TEXT)?));
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
        .map(|text| Kept::Text(Cow::Owned(text)))
        .map_err(E::custom)
}

/// Dispatches an object whose `@odata.type` was not its first key, from its entries kept in
/// order, duplicates included, so that reading them is what streaming would be.
///
/// The object is read again from its JSON text by serde_json's reader of text, which also
/// reads bodies, so that no other reader of the variants is compiled; an error names the
/// path inside the object where it happened.
pub(super) fn from_buffer<'de, T: Polymorphic>(
    mut buffer: Vec<KeptEntry<'de>>,
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
    entries: Vec<KeptEntry<'de>>,
    first: &str,
) -> Result<Vec<KeptEntry<'de>>, serde_json::Error> {
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
pub(super) struct Replay<'a> {
    /// The entry's name and its value's JSON text, until the value is read.
    entry: Option<(&'a str, &'a str)>,
}

impl<'a> Replay<'a> {
    /// The value of the entry named `key`, whose JSON text is `text`.
    pub(super) fn one(key: &'a str, text: &'a str) -> Self {
        Replay {
            entry: Some((key, text)),
        }
    }
}

/// A map whose one key was read already: it gives the value of that key.
impl<'a> MapAccess<'a> for Replay<'a> {
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
        let Some((key, raw)) = self.entry.take() else {
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
    match kept {
        Kept::Characters(characters) => return Ok(characters),
        Kept::Text(Cow::Borrowed(raw)) => {
            if let Some(characters) = characters(raw) {
                return Ok(Cow::Borrowed(characters));
            }
        }
        Kept::Text(_) | Kept::Lent(_) => {}
    }
    kept.read_text(|raw| {
        match TYPE_NAME.deserialize(&mut serde_json::Deserializer::from_str(raw)) {
            Ok(text) => Ok(Cow::Owned(text.into_owned())),
            Err(error) => Err(in_value(ODATA_TYPE_KEY, raw, error)),
        }
    })
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
