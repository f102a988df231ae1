//! The reading of a polymorphic enum: the keys of an object up to its `@odata.type`, what
//! came before it (`Leading`), and the variant that reads the rest of the object.

use std::any::TypeId;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::super::fields::Fields;
use super::kept::{Kept, KeptSeed, from_buffer};
use super::type_index;
use super::{KEY, TYPE_NAME, expecting};
use crate::UntypedResource;
use crate::odata::ODATA_TYPE_KEY;
use crate::read_ahead::{self, Ahead};
use crate::text::{QUOTED_CHARS, Shortened};

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

pub(super) struct KnownTypes(pub(super) &'static [&'static str]);

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

pub(super) fn variant_index<T: Polymorphic>(odata_type: &str) -> Option<usize> {
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
        let index = match start(
            &mut map,
            &mut leading,
            &VariantsOf::<T>::VARIANTS,
            self.reads_text,
        )? {
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
struct Variants {
    types: &'static [&'static str],
    index: &'static [u16],
    declared: Option<usize>,
}

/// The [`Variants`] of `T`, in a constant that [`start`] is handed a reference to.
struct VariantsOf<T>(PhantomData<T>);

impl<T: Polymorphic> VariantsOf<T> {
    const VARIANTS: Variants = Variants {
        types: T::TYPES,
        index: T::INDEX,
        declared: T::DECLARED,
    };
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
    variants: &'static Variants,
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
fn variant_ahead(variants: &Variants, name: &str) -> Option<usize> {
    read_ahead::type_after(name, |ahead| match ahead {
        Ahead::Type(odata_type) => type_index::find(variants.types, variants.index, odata_type),
        Ahead::Untyped => variants.declared,
    })
}

/// The room a buffered object starts with: the properties of a typical entity, so that
/// buffering one takes one allocation.
const BUFFER_ENTRIES: usize = 32;

/// An entry kept before an object's type was known: its name and value.
pub(super) type KeptEntry<'de> = (Cow<'de, str>, Kept<'de>);

/// What an object gave before its type was known, in order: its annotations, and the
/// property whose name led to the type when the type comes later in the text.
///
/// A first annotation whose name and text are lent by the input, most often the only one
/// (the context URL of a GET's answer), is held inline as borrowed strings: keeping it
/// takes no allocation, and dropping it nothing. (Holding any first entry as a `KeptEntry`
/// instead gives every variant's reader the drop of an owned one: 12 KiB more in the
/// Intune family's models, and slower.)
#[derive(Default)]
pub struct Leading<'de> {
    /// The first entry, an annotation, when its name and its value are lent by the input:
    /// its name, and its value's text or a string's characters, as `.2` says (see `Kept`),
    /// or nothing when the value was skipped in the text on loan.
    first: Option<(&'de str, &'de str, Form)>,
    /// The others, in order.
    rest: Vec<KeptEntry<'de>>,
    /// The name of the property read last, whose value is the next in the map: the one
    /// whose name led to the type further on in the text.
    pub(super) pending: Option<&'de str>,
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
    /// Keeps an annotation read before the type.
    #[inline]
    fn push(&mut self, key: Cow<'de, str>, value: Kept<'de>) {
        debug_assert!(key.starts_with('@'), "only annotations are pushed");
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
    pub(super) fn from_entries(rest: Vec<KeptEntry<'de>>) -> Self {
        Leading {
            first: None,
            rest,
            pending: None,
        }
    }

    /// Whether reading the entries into `T` can change it or fail: not when all of them are
    /// annotations that `T` has no place for, which are then dropped as `T`'s own loop
    /// skips them.
    pub(super) fn read_by<T: Fields>(&self) -> bool {
        // `first` holds an annotation (see `push`).
        if self.rest.is_empty() {
            T::READS_ANNOTATIONS && self.first.is_some()
        } else {
            T::READS_ANNOTATIONS || self.rest.iter().any(|(key, _)| !key.starts_with('@'))
        }
    }

    /// Hands the name and the value's JSON text of each entry to `read`, in order, until
    /// one fails.
    pub(super) fn read_each(
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

    pub(super) fn into_entries(self) -> impl Iterator<Item = KeptEntry<'de>> {
        self.first_entry().into_iter().chain(self.rest)
    }
}
