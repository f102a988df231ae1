//! Deserialization shared by every generated type.
//!
//! A struct implements [`Fields`]; one generic loop, [`visit_fields`], reads any of them.
//! A polymorphic enum implements [`Polymorphic`] (`de/polymorphic.rs`): when `@odata.type`
//! is the first key, or comes after annotations only, or the text on loan shows it after
//! the first property (as the client reads), the variant's fields are read from the same
//! map; otherwise the object is kept aside first (`de/kept.rs`).
//! A string enum implements [`StringEnum`].

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::fields::Fields;
use crate::odata::{ODATA_TYPE_KEY, same_type};
use crate::text::{QUOTED_CHARS, Shortened};

mod depth;
mod kept;
mod polymorphic;
mod string_enum;
mod type_index;

use kept::Replay;

pub use polymorphic::{
    Leading, Polymorphic, deserialize_polymorphic, no_such_variant, visit_untyped,
};
pub use string_enum::{StringEnum, deserialize_string_enum};
pub use type_index::type_index;

/// `Deserialize::deserialize` of an annotated struct.
pub fn deserialize_struct<'de, T: Fields, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(StructVisitor::<T>(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        expecting(f, "a JSON object of type", T::ODATA_TYPE)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        read_fields(None, map, TypeRead::Absent)
    }
}

/// What a visitor of a generated type expects: `what`, then `name` quoted; apart, so that
/// each type's visitor only calls it.
fn expecting(f: &mut fmt::Formatter, what: &str, name: &str) -> fmt::Result {
    write!(f, "{what} `{name}`")
}

/// Reads the properties of `T` from `map`, the rest of an object whose `@odata.type` an
/// enum read as `T`'s.
///
/// `leading` are the annotations an enum read before it knew the type: they are read first,
/// as the properties they are (a field renamed to `@odata.etag`, or the `additional` map),
/// and then the rest of the object streams from `map` through the loop a struct takes.
#[inline]
pub fn visit_fields<'de, T: Fields, A: MapAccess<'de>>(
    leading: &Leading<'_>,
    map: A,
) -> Result<T, A::Error> {
    read_fields(Some(leading), map, TypeRead::Own)
}

/// `error`, which an annotation read before the type gave, once the rest of the object is
/// read past; an error in that rest instead.
///
/// The error names the annotation as a path inside the object, and serde_json, which says
/// where it stopped, must then have stopped at the object's end, as it does for an object
/// that was kept whole: at the `@odata.type` it would name that instead.
#[cold]
#[inline(never)]
fn past_the_rest<'de, A: MapAccess<'de>>(mut map: A, pending: bool, error: A::Error) -> A::Error {
    // The value of a property whose name was read already comes first.
    if pending && let Err(rest) = map.next_value::<IgnoredAny>() {
        return rest;
    }
    loop {
        match map.next_entry::<IgnoredAny, IgnoredAny>() {
            Ok(Some(_)) => {}
            Ok(None) => return error,
            Err(rest) => return rest,
        }
    }
}

/// Reads the entries that came before the type into `partial`, in order, as [`read_fields`]
/// would have read them from the map. They are read through the map a buffered object is
/// read again from, so that no other reader of `T`'s fields is instantiated.
///
/// Generic over the error type, so that the deserializers that share one (serde_json's
/// readers) share this code; the loop over the entries is compiled once.
#[inline(never)]
fn read_all_leading<T: Fields, E: de::Error>(
    partial: &mut T::Partial,
    leading: &Leading<'_>,
) -> Result<(), E> {
    // The error names where in the entry it happened: the value's path is found in its
    // text, once, at the level where the error is met.
    leading
        .read_each(&mut |key, text| read_entry::<T>(partial, key, text))
        .map_err(de::Error::custom)
}

/// Reads one kept entry into `partial`, from the map that replays it.
fn read_entry<T: Fields>(
    partial: &mut T::Partial,
    key: &str,
    text: &str,
) -> Result<(), serde_json::Error> {
    let mut value = Replay::one(key, text);
    match KeySeed::<T>::classify(key) {
        Key::Field(index) => T::read_field(partial, index, &mut value),
        Key::Unknown if T::HAS_ADDITIONAL => T::read_unknown(partial, key.to_owned(), &mut value),
        Key::ODataType | Key::Unknown => Ok(()),
    }
}

/// The `@odata.type` an object gave so far.
enum TypeRead {
    /// None yet.
    Absent,
    /// `T`'s own.
    Own,
    /// A type derived from `T` (or any other: a struct cannot tell), with its `#`.
    Derived(String),
}

/// The loop of [`deserialize_struct`] and [`visit_fields`], over a struct's own map or the
/// rest of a variant's, after what an enum kept before the type (`leading`).
///
/// `@odata.type` may come anywhere or not at all. A type other than `T`'s is read as a
/// type derived from it: its properties that `T` declares are read, the others go where
/// unknown properties go, and the type is kept with them (see [`Fields::keep_type`]) so that
/// writing the value back writes it. A second `@odata.type` naming another type is an error.
fn read_fields<'de, T: Fields, A: MapAccess<'de>>(
    leading: Option<&Leading<'_>>,
    mut map: A,
    mut type_read: TypeRead,
) -> Result<T, A::Error> {
    let mut partial = T::Partial::default();
    if let Some(leading) = leading
        && leading.read_by::<T>()
        && let Err(error) = read_all_leading::<T, A::Error>(&mut partial, leading)
    {
        return Err(past_the_rest(map, leading.pending.is_some(), error));
    }
    // Counted after what was kept before the type: that is read as values inside `T`.
    let _level = depth::Level::enter();
    // The name of an unknown property that is kept; outside the key, so that the key
    // itself stays a small value for the common case.
    let mut unknown = String::new();
    // The property whose name led to the type further on, read first, where it stands.
    let mut pending = leading.and_then(|leading| leading.pending);
    loop {
        let key = match pending.take() {
            Some(name) => KeySeed::<T>::classify_kept(name, &mut unknown),
            None => match map.next_key_seed(KeySeed::<T> {
                unknown: &mut unknown,
                marker: PhantomData,
            })? {
                Some(key) => key,
                None => break,
            },
        };
        match key {
            Key::Field(index) => T::read_field(&mut partial, index, &mut map)?,
            Key::ODataType => {
                let found = map.next_value_seed(TYPE_NAME)?;
                let earlier = match &type_read {
                    TypeRead::Absent if same_type(&found, T::ODATA_TYPE) => {
                        type_read = TypeRead::Own;
                        continue;
                    }
                    TypeRead::Absent => {
                        type_read = TypeRead::Derived(with_hash(found));
                        continue;
                    }
                    TypeRead::Own => T::ODATA_TYPE,
                    TypeRead::Derived(first) => first.as_str(),
                };
                if !same_type(&found, earlier) {
                    return Err(de::Error::custom(format_args!(
                        "a second `@odata.type` `{}` after `{}`",
                        Shortened(&found, QUOTED_CHARS),
                        Shortened(earlier, QUOTED_CHARS)
                    )));
                }
            }
            Key::Unknown if T::HAS_ADDITIONAL => {
                T::read_unknown(&mut partial, std::mem::take(&mut unknown), &mut map)?;
            }
            Key::Unknown => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    if let TypeRead::Derived(odata_type) = type_read {
        T::keep_type(&mut partial, odata_type);
    }
    T::finish(partial)
}

/// `odata_type` with its leading `#`, as serialization writes it.
fn with_hash(odata_type: Cow<'_, str>) -> String {
    if odata_type.starts_with('#') {
        odata_type.into_owned()
    } else {
        format!("#{odata_type}")
    }
}

#[derive(Clone, Copy)]
enum Key {
    Field(u16),
    ODataType,
    Unknown,
}

/// Classifies a property name of `T`, statically dispatched so that the match of names
/// inlines into the loop. The name of an unknown property is kept in `unknown` when `T`
/// keeps unknown properties.
struct KeySeed<'a, T> {
    unknown: &'a mut String,
    marker: PhantomData<T>,
}

impl<T: Fields> KeySeed<'_, T> {
    /// [`classify`](Self::classify), keeping the name of an unknown property in `unknown`
    /// when `T` keeps unknown properties.
    fn classify_kept(key: &str, unknown: &mut String) -> Key {
        let class = Self::classify(key);
        if T::HAS_ADDITIONAL && matches!(class, Key::Unknown) {
            key.clone_into(unknown);
        }
        class
    }

    /// The class of `key`, returned in registers.
    ///
    /// Never inlined: one instance per struct holds the match of its names, and the seed
    /// around it stays small enough to inline into the loop with serde_json's read of the
    /// name. Inlined, the match made the seed a function of its own, called for every key,
    /// that handed the class back through memory.
    #[inline(never)]
    fn classify(key: &str) -> Key {
        if key == ODATA_TYPE_KEY {
            Key::ODataType
        } else {
            T::field_index(key).map_or(Key::Unknown, Key::Field)
        }
    }
}

impl<'de, T: Fields> DeserializeSeed<'de> for KeySeed<'_, T> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<T: Fields> Visitor<'_> for KeySeed<'_, T> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(Self::classify_kept(key, self.unknown))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key, E> {
        let class = Self::classify(&key);
        if T::HAS_ADDITIONAL && matches!(class, Key::Unknown) {
            *self.unknown = key;
        }
        Ok(class)
    }
}

/// A string borrowed from the input where it can be; `.0` says what was expected.
#[derive(Clone, Copy)]
struct Text(&'static str);

/// The value of `@odata.type`.
const TYPE_NAME: Text = Text("an `@odata.type` string");

/// A property name.
const KEY: Text = Text("a property name");

/// A string.
const TEXT: Text = Text("a string");

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}
