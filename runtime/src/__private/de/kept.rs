//! Values read before an object's `@odata.type` was known, and the objects whose type came
//! after one of their properties, read again from what was kept.
//!
//! A kept value is a string (a context URL, an etag), or the JSON text of any value, each
//! borrowed from the input where serde_json lends it. The entries a model has a place for
//! are written again as one JSON object ([`KeptObject`]) and read by serde_json's reader of
//! text, through the map a body gives: the model reads them with the code that reads bodies,
//! no other reader of the models is compiled for them, and every value reads exactly as it
//! would have from the body, under the same recursion limit.

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
    /// The value as JSON, for a map that keeps unknown properties, as the property `key`.
    pub(super) fn into_value(self, key: &str) -> Result<Value, serde_json::Error> {
        match self {
            Kept::Text(text) => Ok(Value::String(text.into_owned())),
            Kept::Raw(raw) => read_back(&raw, || serde_json::from_str(&raw))
                .map_err(|error| in_value(key, &raw, error)),
        }
    }
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
            return Ok(Kept::Raw(raw));
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

/// A kept value, borrowed.
#[derive(Clone, Copy)]
pub(super) enum KeptRef<'a> {
    /// A string's characters.
    Text(&'a str),
    /// Anything else, as its JSON text.
    Raw(&'a str),
}

impl KeptRef<'_> {
    /// The length of its text.
    fn len(&self) -> usize {
        match self {
            KeptRef::Text(text) | KeptRef::Raw(text) => text.len(),
        }
    }
}

impl Kept<'_> {
    /// The value, borrowed.
    pub(super) fn as_ref(&self) -> KeptRef<'_> {
        match self {
            Kept::Text(text) => KeptRef::Text(text),
            Kept::Raw(raw) => KeptRef::Raw(raw),
        }
    }
}

/// Entries kept from one object, in order, written again as the JSON text of an object,
/// to be read again by serde_json's reader of text, which also reads bodies.
///
/// The map that reader gives is the one a body gives, so the models read kept values with
/// the code that reads them from a body, and no other reader of them is compiled; every
/// value reads exactly as it would have from the body, under the same recursion limit.
pub(super) struct KeptObject {
    text: String,
    /// Records the text as being read back while it is.
    _back: ReadBack,
}

impl KeptObject {
    /// The entries of `leading` whose key `keep` keeps, or `None` when it keeps none;
    /// "recursion limit exceeded", at its key, for a value that would nest deeper than
    /// serde_json reads a body.
    ///
    /// Not generic, so that one copy serves every model.
    pub(super) fn new(
        leading: &Leading<'_>,
        keep: fn(&str) -> bool,
    ) -> Result<Option<Self>, serde_json::Error> {
        let mut entries = leading.entries().filter(|(key, _)| keep(key)).peekable();
        if entries.peek().is_none() {
            return Ok(None);
        }
        // Room for every entry with its quotes, colon and comma: escapes aside, one allocation.
        let room = leading
            .entries()
            .map(|(key, value)| key.len() + value.len() + 6)
            .sum::<usize>();
        let mut text = String::with_capacity(room + 2);
        let mut deepest: Option<(&str, &str, usize)> = None;
        text.push('{');
        for (key, value) in entries {
            if text.len() > 1 {
                text.push(',');
            }
            push_string(&mut text, key);
            text.push(':');
            match value {
                KeptRef::Text(characters) => push_string(&mut text, characters),
                KeptRef::Raw(raw) => {
                    let nesting = read_ahead::nesting(raw.as_bytes());
                    if nesting > deepest.map_or(0, |(_, _, most)| most) {
                        deepest = Some((key, raw, nesting));
                    }
                    text.push_str(raw);
                }
            }
        }
        text.push('}');
        // The values stand where the one that nests deepest stands.
        let back = match deepest {
            Some((key, value, nesting)) => ReadBack::begin(&text, value.as_ptr() as usize, nesting)
                .map_err(|error| in_value(key, value, error))?,
            None => ReadBack::begin(&text, text.as_ptr() as usize, 0)?,
        };
        Ok(Some(KeptObject { text, _back: back }))
    }

    /// Reads the object with `visitor`; an error names the path inside the object where it
    /// happened.
    pub(super) fn read<R>(
        &self,
        visitor: impl for<'t> Visitor<'t, Value = R>,
    ) -> Result<R, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(&self.text);
        deserializer
            .deserialize_map(visitor)
            .and_then(|value| deserializer.end().map(|()| value))
            .map_err(|error| in_object(&self.text, &error))
    }
}

/// Appends `characters` as a JSON string.
fn push_string(out: &mut String, characters: &str) {
    if !is_plain(characters.as_bytes()) {
        // Writing a string into memory does not fail.
        if let Ok(quoted) = serde_json::to_string(characters) {
            out.push_str(&quoted);
        }
        return;
    }
    out.push('"');
    out.push_str(characters);
    out.push('"');
}

/// Whether `text` can stand between the quotes of a JSON string as it is: it holds no quote,
/// no backslash and no control character. Eight bytes at a time.
fn is_plain(text: &[u8]) -> bool {
    let mut words = text.chunks_exact(8);
    for word in &mut words {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(word);
        if has_special(u64::from_le_bytes(bytes)) {
            return false;
        }
    }
    words
        .remainder()
        .iter()
        .all(|&byte| byte >= 0x20 && byte != b'"' && byte != b'\\')
}

/// Whether one of the eight bytes of `word` is a quote, a backslash or below 0x20.
fn has_special(word: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    // The high bit of a byte that was zero, and only of such a byte when any is.
    let zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGH;
    let quote = zero(word ^ (ONES * u64::from(b'"')));
    let backslash = zero(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    quote | backslash | control != 0
}

/// Dispatches an object whose `@odata.type` was not its first key, from its entries kept in
/// order, duplicates included, so that reading them is what streaming would be.
///
/// The entries the variant has a place for are read again as one object (see
/// [`KeptObject`]); an error names the path inside the object where it happened.
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
    // Each entry is read as the annotations before a type are, when the variant has a
    // place for it; nothing is left to stream.
    // The variant's reader is handed an empty map of serde_json's reader of text, the map a
    // body gives, so that it is the reader of bodies and no other is compiled.
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
    let mut inner = located::JsonPath::default();
    inner.push(&located::Segment::Key(key.to_owned()));
    inner.push_path(&path);
    de::Error::custom(located::with_inner_path(
        &inner.finish(),
        &located::message(&error),
    ))
}

/// `error`, which reading the JSON text of kept entries `text` gave, led by its path in
/// the object, without the line and column in `text`, which would be taken for the body's.
#[cold]
#[inline(never)]
fn in_object(text: &str, error: &serde_json::Error) -> serde_json::Error {
    let path = located::error_path(text.as_bytes(), error);
    de::Error::custom(located::with_inner_path(&path, &located::message(error)))
}
