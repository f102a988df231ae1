//! Deserialization of string enums: case-insensitive, unknown values to the `other` variant.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};

use super::KnownTypes;
use crate::text::{QUOTED_CHARS, Shortened};

/// A fieldless enum written as one of a fixed set of strings.
pub trait StringEnum: Sized {
    /// The Rust name of the enum, for messages.
    const NAME: &'static str;
    /// The JSON string of each named variant, in declaration order.
    const VALUES: &'static [&'static str];
    /// The named variant at `index` in `VALUES`.
    fn from_index(index: usize) -> Option<Self>;
    /// The `other` variant holding `value`, if the enum has one.
    fn from_unknown(value: String) -> Option<Self>;
}

/// `Deserialize::deserialize` of a string enum: case-insensitive, unknown values go to the
/// `other` variant or are an error listing the allowed ones.
pub fn deserialize_string_enum<'de, T: StringEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(StringEnumVisitor::<T>(PhantomData))
}

struct StringEnumVisitor<T>(PhantomData<T>);

impl<T: StringEnum> Visitor<'_> for StringEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a `{}` string", T::NAME)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        let known = T::VALUES
            .iter()
            .position(|known| known.eq_ignore_ascii_case(value));
        known
            .and_then(T::from_index)
            .or_else(|| T::from_unknown(value.to_owned()))
            .ok_or_else(|| {
                E::custom(format_args!(
                    "unknown `{}` value `{}`, expected one of {}",
                    T::NAME,
                    Shortened(value, QUOTED_CHARS),
                    KnownTypes(T::VALUES)
                ))
            })
    }
}
