//! Deserialization shared by every generated type.
//!
//! A struct implements [`Fields`]; one generic loop, [`visit_fields`], reads any of them.
//! A polymorphic enum implements [`Polymorphic`]: when `@odata.type` is the first key, or
//! comes after annotations only, or the text on loan shows it after the first property (as
//! the client reads), the variant's fields are read from the same map; otherwise the object
//! is kept aside first (`de/kept.rs`).
//! A string enum implements [`StringEnum`].

use std::any::TypeId;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::fields::Fields;
use crate::UntypedResource;
use crate::odata::{ODATA_TYPE_KEY, same_type};
use crate::read_ahead::{self, Ahead};
use crate::text::{QUOTED_CHARS, Shortened};

mod depth;
mod kept;
mod string_enum;
mod type_index;

use kept::{Kept, KeptSeed, Replay, from_buffer};

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

/// An enum whose variants are the derived types of one base type.
pub trait Polymorphic: Sized {
    /// The Rust name of the enum, for messages.
    const NAME: &'static str;
    /// The `@odata.type` of each typed variant, in declaration order.
    const TYPES: &'static [&'static str];
    /// `TYPES` by name: the slots `type_index` fills, as many as the smallest power of two
    /// at least twice the number of `TYPES`; none for an enum of fewer types than the macro
    /// builds a table for, whose types are searched in order.
    const INDEX: &'static [u16];
    /// The index in `TYPES` of the `declared` variant, which reads an object without
    /// `@odata.type` (the type the property is declared with); `None` sends such an object
    /// to [`visit_other`](Polymorphic::visit_other).
    const DECLARED: Option<usize> = None;
    /// Reads the rest of an object into typed variant `index` (an index into `TYPES`), after
    /// what came before its `@odata.type` was known (see [`Leading`]).
    fn visit_variant<'de, A: MapAccess<'de>>(
        index: usize,
        leading: &Leading<'de>,
        map: A,
    ) -> Result<Self, A::Error>;
    /// Reads the rest of an object of any other type; an error listing the known types
    /// unless the enum has an `other` variant.
    fn visit_other<'de, A: MapAccess<'de>>(
        odata_type: Option<String>,
        leading: Leading<'de>,
        map: A,
    ) -> Result<Self, A::Error> {
        drop((leading, map));
        Err(unknown_type::<Self, A::Error>(odata_type.as_deref()))
    }
}

/// Reads the rest of an object into the `other` variant's [`UntypedResource`].
pub fn visit_untyped<'de, A: MapAccess<'de>>(
    odata_type: Option<String>,
    leading: Leading<'de>,
    map: A,
) -> Result<UntypedResource, A::Error> {
    let leading = leading
        .into_entries()
        .map(|(key, value)| {
            let value = value.into_value(&key).map_err(de::Error::custom)?;
            Ok((key.into_owned(), value))
        })
        .collect::<Result<Vec<_>, A::Error>>()?;
    UntypedResource::from_rest(odata_type, leading.into_iter(), map)
}

/// The error for a variant index that is not in `TYPES`.
pub fn no_such_variant<T: Polymorphic, E: de::Error>(index: usize) -> E {
    E::custom(format_args!("`{}` has no variant {index}", T::NAME))
}

fn unknown_type<T: Polymorphic, E: de::Error>(found: Option<&str>) -> E {
    let expected = KnownTypes(T::TYPES);
    match found {
        Some(found) => E::custom(format_args!(
            "unknown `@odata.type` `{}` for `{}`, expected one of {expected}",
            Shortened(found, QUOTED_CHARS),
            T::NAME
        )),
        None => E::custom(format_args!(
            "missing `@odata.type` for `{}`, expected one of {expected}",
            T::NAME
        )),
    }
}

struct KnownTypes(&'static [&'static str]);

impl fmt::Display for KnownTypes {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, name) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{name}`")?;
        }
        Ok(())
    }
}

fn variant_index<T: Polymorphic>(odata_type: &str) -> Option<usize> {
    type_index::find(T::TYPES, T::INDEX, odata_type.as_bytes())
}

/// `Deserialize::deserialize` of a polymorphic enum.
pub fn deserialize_polymorphic<'de, T: Polymorphic, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(PolymorphicVisitor::<T> {
        reads_text: reads_text::<D>(),
        marker: PhantomData,
    })
}

/// Whether `D` is serde_json's reader of text in memory (`from_str`, `from_slice`), which
/// reads an object's entries from its text, in order: a value passed over there stands
/// after its name in the text, where it can be found again. Any other deserializer, a map
/// built by hand for one, may give names borrowed from the text with values of its own.
///
/// Decided when `D` is compiled: the ids compared are constants.
fn reads_text<'de, D: Deserializer<'de>>() -> bool {
    let reader = typeid::of::<D>();
    reader == TypeId::of::<&mut serde_json::Deserializer<serde_json::de::StrRead<'static>>>()
        || reader
            == TypeId::of::<&mut serde_json::Deserializer<serde_json::de::SliceRead<'static>>>()
}

struct PolymorphicVisitor<T> {
    /// What [`reads_text`] says of the deserializer.
    reads_text: bool,
    marker: PhantomData<T>,
}

impl<'de, T: Polymorphic> Visitor<'de> for PolymorphicVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        expecting(f, "a JSON object of one of the types of", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut leading = Leading::default();
        let index = match start(&mut map, &mut leading, Variants::of::<T>(), self.reads_text)? {
            Start::Typed(odata_type) => match variant_index::<T>(&odata_type) {
                Some(index) => index,
                None => return T::visit_other(Some(odata_type.into_owned()), leading, map),
            },
            Start::Ahead(index) => index,
            Start::Untyped => match T::DECLARED {
                Some(index) => index,
                None => return T::visit_other(None, leading, map),
            },
            Start::Whole(buffer) => return from_buffer::<T>(buffer).map_err(de::Error::custom),
        };
        T::visit_variant(index, &leading, map)
    }
}

/// What the keys of a polymorphic object said of its type, once read up to it.
enum Start<'de> {
    /// Its `@odata.type`.
    Typed(Cow<'de, str>),
    /// The typed variant the text on loan shows after the property just read, whose name
    /// is then `Leading::pending`.
    Ahead(usize),
    /// It has none.
    Untyped,
    /// It comes after a property the text on loan did not show it after: the object was
    /// kept aside whole, in order.
    Whole(Vec<KeptEntry<'de>>),
}

/// What [`start`] needs to know of a polymorphic enum: its typed variants' types, by name,
/// and the variant that reads an object without one (see [`Polymorphic`]).
#[derive(Clone, Copy)]
struct Variants {
    types: &'static [&'static str],
    index: &'static [u16],
    declared: Option<usize>,
}

impl Variants {
    fn of<T: Polymorphic>() -> Self {
        Variants {
            types: T::TYPES,
            index: T::INDEX,
            declared: T::DECLARED,
        }
    }
}

/// Reads the keys of a polymorphic object up to its type, keeping the annotations before
/// it in `leading`. `reads_text` says that `map` reads the object from its text, in order
/// (see [`reads_text`]).
///
/// Generic over the map only, so that every enum read from one kind of map shares it.
#[inline(never)]
fn start<'de, A: MapAccess<'de>>(
    map: &mut A,
    leading: &mut Leading<'de>,
    variants: Variants,
    reads_text: bool,
) -> Result<Start<'de>, A::Error> {
    // Annotations before the type (`@odata.context`, `@odata.etag`, as Graph answers a
    // GET or POST) are kept aside, borrowed where they can be, and handed to the variant
    // ahead of the rest of the map.
    let first_key = loop {
        match map.next_key_seed(KEY)? {
            Some(key) if key == ODATA_TYPE_KEY => {
                return Ok(Start::Typed(map.next_value_seed(TYPE_NAME)?));
            }
            Some(key) if key.starts_with('@') => {
                // One whose name was lent from the text on loan, read from that text, is
                // passed over as a struct passes over it: its text is found after its name
                // when it is read.
                let value = match key {
                    Cow::Borrowed(name) if reads_text && read_ahead::lent(name) => {
                        map.next_value::<IgnoredAny>()?;
                        Kept::Lent(name)
                    }
                    _ => map.next_value_seed(KeptSeed::annotation())?,
                };
                leading.push(key, value);
            }
            Some(key) => {
                // The rest of the object named its type: the variant reads this property
                // where it stands, and the rest after it.
                if let Cow::Borrowed(name) = key
                    && let Some(index) = variant_ahead(variants, name)
                {
                    leading.pending = Some(name);
                    return Ok(Start::Ahead(index));
                }
                break key;
            }
            None => return Ok(Start::Untyped),
        }
    };
    // The type comes after a property: keep the object aside, in order, strings borrowed
    // from the input where they can be, then read it from there.
    let mut buffer = Vec::with_capacity(BUFFER_ENTRIES);
    buffer.extend(std::mem::take(leading).into_entries());
    let value = map.next_value_seed(KeptSeed::Text)?;
    buffer.push((first_key, value));
    while let Some(key) = map.next_key_seed(KEY)? {
        // An annotation is kept as the annotations before the first property are.
        let seed = if key.starts_with('@') {
            KeptSeed::annotation()
        } else {
            KeptSeed::Text
        };
        let value = map.next_value_seed(seed)?;
        buffer.push((key, value));
    }
    Ok(Start::Whole(buffer))
}

/// The typed variant of the object whose property `name` was just read, lent from text
/// that says it further on: the one its `@odata.type` names, or the `declared` one when it
/// has none.
fn variant_ahead(variants: Variants, name: &str) -> Option<usize> {
    read_ahead::type_after(name, |ahead| match ahead {
        Ahead::Type(odata_type) => type_index::find(variants.types, variants.index, odata_type),
        Ahead::Untyped => variants.declared,
    })
}

/// The room a buffered object starts with: the properties of a typical entity, so that
/// buffering one takes one allocation.
const BUFFER_ENTRIES: usize = 32;

/// An entry kept before an object's type was known: its name and value.
type KeptEntry<'de> = (Cow<'de, str>, Kept<'de>);

/// What an object gave before its type was known, in order: its annotations, and the
/// property whose name led to the type when the type comes later in the text.
///
/// A first one whose name and text are lent by the input, most often the only one
/// (the context URL of a GET's answer, the `id` before a late type), is held inline as
/// borrowed strings: keeping it takes no allocation, and dropping it nothing. (Holding any
/// first entry as a `KeptEntry` instead gives every variant's reader the drop of an owned
/// one: 12 KiB more in the Intune family's models, and slower.)
#[derive(Default)]
pub struct Leading<'de> {
    /// The first entry, when its name and its value are lent by the input: its name, and
    /// its value's text or a string's characters, as `.2` says (see `Kept`), or nothing
    /// when the value was skipped in the text on loan.
    first: Option<(&'de str, &'de str, Form)>,
    /// The others, in order.
    rest: Vec<KeptEntry<'de>>,
    /// The name of the property read last, whose value is the next in the map: the one
    /// whose name led to the type further on in the text.
    pending: Option<&'de str>,
}

/// How the first entry of [`Leading`] holds its value.
#[derive(Clone, Copy)]
enum Form {
    /// Its JSON text.
    Text,
    /// A string's characters.
    Characters,
    /// Skipped in the text on loan (`Kept::Lent`).
    Lent,
}

impl<'de> Leading<'de> {
    #[inline]
    fn push(&mut self, key: Cow<'de, str>, value: Kept<'de>) {
        if self.first.is_none() && self.rest.is_empty() {
            let first = match (&key, &value) {
                (Cow::Borrowed(key), Kept::Text(Cow::Borrowed(text))) => {
                    Some((*key, *text, Form::Text))
                }
                (Cow::Borrowed(key), Kept::Characters(Cow::Borrowed(text))) => {
                    Some((*key, *text, Form::Characters))
                }
                (Cow::Borrowed(key), Kept::Lent(_)) => Some((*key, "", Form::Lent)),
                _ => None,
            };
            if first.is_some() {
                self.first = first;
                return;
            }
        }
        self.rest.push((key, value));
    }

    /// The first entry, held inline, as the entry it is.
    fn first_entry(&self) -> Option<KeptEntry<'de>> {
        self.first.map(|(key, text, form)| {
            let value = match form {
                Form::Text => Kept::Text(Cow::Borrowed(text)),
                Form::Characters => Kept::Characters(Cow::Borrowed(text)),
                Form::Lent => Kept::Lent(key),
            };
            (Cow::Borrowed(key), value)
        })
    }

    /// What was kept of an object, in order.
    fn from_entries(rest: Vec<KeptEntry<'de>>) -> Self {
        Leading {
            first: None,
            rest,
            pending: None,
        }
    }

    /// Whether reading the entries into `T` can change it or fail: not when all of them are
    /// annotations that `T` has no place for, which are then dropped as `T`'s own loop
    /// skips them.
    fn read_by<T: Fields>(&self) -> bool {
        match &self.first {
            Some(_) if T::READS_ANNOTATIONS => true,
            Some((key, ..)) if !key.starts_with('@') => true,
            _ if self.rest.is_empty() => false,
            _ => T::READS_ANNOTATIONS || self.rest.iter().any(|(key, _)| !key.starts_with('@')),
        }
    }

    /// Hands the name and the value's JSON text of each entry to `read`, in order, until
    /// one fails.
    fn read_each(
        &self,
        read: &mut dyn FnMut(&str, &str) -> Result<(), serde_json::Error>,
    ) -> Result<(), serde_json::Error> {
        if let Some((key, value)) = self.first_entry() {
            value.read_text(|text| read(key.as_ref(), text))?;
        }
        self.rest
            .iter()
            .try_for_each(|(key, value)| value.read_text(|text| read(key, text)))
    }

    fn into_entries(self) -> impl Iterator<Item = KeptEntry<'de>> {
        self.first_entry().into_iter().chain(self.rest)
    }
}
