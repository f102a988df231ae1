//! Values read before an object's `@odata.type` was known, and the objects whose type came
//! after one of their properties, read again from what was kept.
//!
//! A kept value is a string borrowed from the input where the deserializer lends one (a
//! context URL, an etag, most properties), a scalar, or a nested array or object as JSON.
//! Nested values are read by the input's own deserializer, under its recursion limit.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::{
    BorrowedStrDeserializer, I128Deserializer, MapAccessDeserializer, U128Deserializer,
};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::{Leading, Polymorphic, variant_index};
use crate::located;
use crate::odata::ODATA_TYPE_KEY;

/// A value kept aside while an object's type is not known yet.
pub(super) enum Kept<'de> {
    /// A string, borrowed from the input where it can be.
    Text(Cow<'de, str>),
    /// Anything else.
    Json(Value),
}

impl Kept<'_> {
    /// The text a [`Replay`] reads a kept value from: the JSON of an array or object;
    /// nothing for a string or scalar, which is read as it was kept.
    pub(super) fn text(&self) -> String {
        match self {
            Kept::Json(value @ (Value::Array(_) | Value::Object(_))) => {
                serde_json::to_string(value).unwrap_or_default()
            }
            Kept::Text(_) | Kept::Json(_) => String::new(),
        }
    }

    /// The value as JSON, for a map that keeps unknown properties.
    pub(super) fn into_value(self) -> Value {
        match self {
            Kept::Text(text) => Value::String(text.into_owned()),
            Kept::Json(value) => value,
        }
    }
}

/// Reads a [`Kept`] value.
pub(super) struct KeptSeed;

impl<'de> DeserializeSeed<'de> for KeptSeed {
    type Value = Kept<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeptSeed {
    type Value = Kept<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
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

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Kept::Json(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Kept::Json(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Kept::Json(Value::from(v)))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        Value::deserialize(I128Deserializer::<E>::new(v)).map(Kept::Json)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        Value::deserialize(U128Deserializer::<E>::new(v)).map(Kept::Json)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Kept::Json(Value::from(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Kept::Json(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Kept::Json(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Kept::Json)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Kept::Json)
    }
}

/// A kept string, number, boolean or null, as a deserializer that gives it as serde_json
/// would: a string, `Some` of one, a newtype around one, or a unit variant named by a
/// string. It reads scalars only, so that reading one compiles no model's visitor again.
pub(super) struct KeptScalar<'de, E> {
    value: Scalar<'de>,
    error: PhantomData<E>,
}

/// What a [`KeptScalar`] holds.
enum Scalar<'de> {
    /// A kept string.
    Text(&'de str),
    /// A kept number, boolean or null.
    Json(&'de Value),
}

impl<'de, E> KeptScalar<'de, E> {
    fn new(value: Scalar<'de>) -> Self {
        KeptScalar {
            value,
            error: PhantomData,
        }
    }
}

impl<'de, E: de::Error> Deserializer<'de> for KeptScalar<'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Scalar::Text(text) => visitor.visit_borrowed_str(text),
            Scalar::Json(Value::String(text)) => visitor.visit_borrowed_str(text),
            Scalar::Json(Value::Bool(value)) => visitor.visit_bool(*value),
            Scalar::Json(Value::Number(number)) => {
                match (number.as_u64(), number.as_i64(), number.as_f64()) {
                    (Some(value), _, _) => visitor.visit_u64(value),
                    (None, Some(value), _) => visitor.visit_i64(value),
                    (None, None, Some(value)) => visitor.visit_f64(value),
                    (None, None, None) => Err(E::custom("a number out of range")),
                }
            }
            Scalar::Json(Value::Null | Value::Array(_) | Value::Object(_)) => visitor.visit_unit(),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Scalar::Json(Value::Null) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match self.value {
            Scalar::Text(text) => {
                BorrowedStrDeserializer::new(text).deserialize_enum(name, variants, visitor)
            }
            Scalar::Json(_) => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// Dispatches an object whose `@odata.type` was not its first key, from its entries kept in
/// order, duplicates included, so that reading them is what streaming would be.
pub(super) fn from_buffer<T: Polymorphic>(
    mut buffer: Vec<(Cow<'_, str>, Kept<'_>)>,
) -> Result<T, serde_json::Error> {
    let position = buffer.iter().position(|(key, _)| key == ODATA_TYPE_KEY);
    let odata_type = match position.map(|index| buffer.remove(index).1) {
        None => None,
        Some(Kept::Text(odata_type)) => Some(odata_type),
        Some(Kept::Json(other)) => return Err(type_not_a_string(&other)),
    };
    let visitor = BufferedVisitor::<T> {
        index: match &odata_type {
            Some(odata_type) => variant_index::<T>(odata_type),
            None => T::DECLARED,
        },
        odata_type: odata_type.as_deref(),
        marker: PhantomData,
    };
    let texts: Vec<String> = buffer.iter().map(|(_, kept)| kept.text()).collect();
    let (first, inside_first_pass) = {
        let pass = FirstPass::enter();
        let replay = Replay::new(&buffer, &texts, false);
        match MapAccessDeserializer::new(replay).deserialize_map(visitor) {
            Ok(value) => return Ok(value),
            Err(error) => (error, pass.inside),
        }
    };
    // An object read on the first pass over its parent has its error located by the
    // parent's second pass, which reads it again; locating it here too would double the
    // work at each level of nesting.
    if inside_first_pass {
        return Err(first);
    }
    // Read it again, to say where in the object the error happened.
    match MapAccessDeserializer::new(Replay::new(&buffer, &texts, true)).deserialize_map(visitor) {
        Err(error) => Err(error),
        Ok(_) => Err(first),
    }
}

thread_local! {
    /// Whether an object is being read from its buffer on a first pass, which does not
    /// locate errors.
    static FIRST_PASS: Cell<bool> = const { Cell::new(false) };
}

/// Marks a first pass on this thread while it lives; dropping it, also when unwinding,
/// restores the mark it found.
struct FirstPass {
    /// Whether a first pass over an enclosing object was under way.
    inside: bool,
}

impl FirstPass {
    fn enter() -> Self {
        FirstPass {
            inside: FIRST_PASS.replace(true),
        }
    }
}

impl Drop for FirstPass {
    fn drop(&mut self) {
        FIRST_PASS.set(self.inside);
    }
}

/// The kept entries of an object, as a map; strings are lent, not copied, and anything else
/// is read from its JSON text by serde_json's reader of text, which also reads bodies: no
/// other reader of the models is compiled for what was kept.
pub(super) struct Replay<'a, 'de> {
    entries: std::slice::Iter<'a, (Cow<'de, str>, Kept<'de>)>,
    /// The entry whose key was read last.
    entry: Option<&'a (Cow<'de, str>, Kept<'de>)>,
    /// The text of each entry's value ([`Kept::text`]).
    texts: &'a [String],
    /// Whether errors are to name where in the object they happened.
    locate: bool,
    /// The number of entries.
    len: usize,
}

impl<'a, 'de> Replay<'a, 'de> {
    fn new(entries: &'a [(Cow<'de, str>, Kept<'de>)], texts: &'a [String], locate: bool) -> Self {
        Replay {
            entries: entries.iter(),
            entry: None,
            texts,
            locate,
            len: entries.len(),
        }
    }

    /// The value of one kept entry, whose text is `text` ([`Kept::text`]; none is needed for
    /// a string or scalar), as the map a field reads it from.
    pub(super) fn one(entry: &'a (Cow<'de, str>, Kept<'de>), text: &'a [String]) -> Self {
        Replay {
            entries: [].iter(),
            entry: Some(entry),
            texts: text,
            locate: false,
            len: 1,
        }
    }

    /// The value of one kept entry, as [`one`](Replay::one), with errors that name where in
    /// the value they happened.
    pub(super) fn one_located(
        entry: &'a (Cow<'de, str>, Kept<'de>),
        text: &'a [String; 1],
    ) -> Self {
        Replay {
            locate: true,
            ..Replay::one(entry, text)
        }
    }

    /// `error`, which reading the value of `key` gave (at `path` in it), led by its path in
    /// the object when locating; as it is otherwise.
    #[cold]
    #[inline(never)]
    fn located(&self, key: &str, path: &str, error: serde_json::Error) -> serde_json::Error {
        if !self.locate {
            return error;
        }
        let mut inner = located::JsonPath::default();
        inner.push(&located::Segment::Key(key.to_owned()));
        inner.push_path(path);
        let message = located::with_inner_path(&inner.finish(), &located::message(&error));
        de::Error::custom(message)
    }

    /// `error`, which reading the value of `key` from `text` gave: located as
    /// [`located`](Replay::located) does, or without the line and column in `text`, which
    /// would be taken for the body's.
    #[cold]
    #[inline(never)]
    fn text_error(&self, key: &str, text: &str, error: serde_json::Error) -> serde_json::Error {
        if self.locate {
            let path = located::error_path(text.as_bytes(), &error);
            self.located(key, &path, error)
        } else {
            de::Error::custom(located::message(&error))
        }
    }
}

impl<'a> MapAccess<'a> for Replay<'a, '_> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, serde_json::Error> {
        match self.entries.next() {
            Some(entry) => {
                self.entry = Some(entry);
                seed.deserialize(BorrowedStrDeserializer::new(&entry.0))
                    .map(Some)
                    .map_err(|error| self.located(&entry.0, ".", error))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, serde_json::Error> {
        let Some((key, value)) = self.entry.take() else {
            return Err(de::Error::custom("a value was read before its key"));
        };
        match value {
            Kept::Text(text) => seed
                .deserialize(KeptScalar::new(Scalar::Text(text)))
                .map_err(|error| self.located(key, ".", error)),
            Kept::Json(value @ (Value::Null | Value::Bool(_) | Value::Number(_))) => seed
                .deserialize(KeptScalar::new(Scalar::Json(value)))
                .map_err(|error| self.located(key, ".", error)),
            // From text, serde_json says where it stopped; the text's reader is the one
            // bodies are read with, so nothing more is instantiated for it.
            Kept::Json(_) => {
                let index = self.len - self.entries.len() - 1;
                let text = self.texts.get(index).map_or("", String::as_str);
                let mut deserializer = serde_json::Deserializer::from_str(text);
                seed.deserialize(&mut deserializer)
                    .map_err(|error| self.text_error(key, text, error))
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// Reads a buffered object into the variant its `@odata.type` chose.
struct BufferedVisitor<'a, T> {
    index: Option<usize>,
    odata_type: Option<&'a str>,
    marker: PhantomData<T>,
}

impl<T> Clone for BufferedVisitor<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for BufferedVisitor<'_, T> {}

impl<'de, T: Polymorphic> Visitor<'de> for BufferedVisitor<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a JSON object of one of the types of `{}`", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        match self.index {
            Some(index) => T::visit_variant(index, Leading::default(), map),
            None => T::visit_other(self.odata_type.map(str::to_owned), Leading::default(), map),
        }
    }
}

/// The error of an `@odata.type` kept as `value`, which is not a string, at its key.
#[cold]
#[inline(never)]
fn type_not_a_string(value: &Value) -> serde_json::Error {
    let error: serde_json::Error =
        de::Error::invalid_type(unexpected(value), &"an `@odata.type` string");
    let mut path = located::JsonPath::default();
    path.push(&located::Segment::Key(ODATA_TYPE_KEY.to_owned()));
    de::Error::custom(located::with_inner_path(&path.finish(), &error.to_string()))
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}
