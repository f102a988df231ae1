//! Deserialization of string enums: case-insensitive, unknown values to the `other` variant.
//!
//! The string is read by one visitor for every enum, which finds the member by a search of
//! the enum's values: each enum adds a call and a match, not its own reader of strings.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

use super::polymorphic::KnownTypes;
use crate::text::{QUOTED_CHARS, Shortened};

/// A fieldless enum written as one of a fixed set of strings.
pub trait StringEnum: Sized {
    /// The Rust name of the enum, for messages.
    const NAME: &'static str;
    /// The JSON string of each named variant, in declaration order.
    const VALUES: &'static [&'static str];
    /// Whether the enum has an `other` variant, which holds any value not in `VALUES`;
    /// `from_unknown` gives it.
    const HAS_OTHER: bool;
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
    let member = deserializer.deserialize_str(MemberVisitor {
        name: T::NAME,
        values: T::VALUES,
        has_other: T::HAS_OTHER,
    })?;
    let value = match member {
        Member::Named(index) => T::from_index(index),
        Member::Other(value) => T::from_unknown(value),
    };
    // The visitor found the member among the enum's own; an impl that disagrees with its
    // `VALUES` or `HAS_OTHER` is reported, without a position.
    value.ok_or_else(|| de::Error::custom(format_args!("`{}` has no such member", T::NAME)))
}

/// The member a string names.
enum Member {
    /// The named variant at this index in the enum's values.
    Named(usize),
    /// The `other` variant, with the string.
    Other(String),
}

/// Reads a string as a member of the enum whose name and values it holds.
struct MemberVisitor {
    name: &'static str,
    values: &'static [&'static str],
    has_other: bool,
}

impl Visitor<'_> for MemberVisitor {
    type Value = Member;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a `{}` string", self.name)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Member, E> {
        // Graph writes a member as it is declared: it is found by comparing bytes, and only
        // a value that matches none that way is looked for further, apart.
        match self.values.iter().position(|known| *known == value) {
            Some(index) => Ok(Member::Named(index)),
            None => self.not_as_declared(value),
        }
    }
}

impl MemberVisitor {
    /// The member of a value written otherwise than declared: compared again ignoring case
    /// (no two values of an enum are equal ignoring case, the macro checks, so this finds
    /// the one a byte compare would), else the `other` variant, else an error.
    #[cold]
    #[inline(never)]
    fn not_as_declared<E: de::Error>(self, value: &str) -> Result<Member, E> {
        match self
            .values
            .iter()
            .position(|known| known.eq_ignore_ascii_case(value))
        {
            Some(index) => Ok(Member::Named(index)),
            None if self.has_other => Ok(Member::Other(value.to_owned())),
            None => Err(E::custom(unknown_value(self.name, value, self.values))),
        }
    }
}

/// The message for a value that is none of `values`.
#[cold]
#[inline(never)]
fn unknown_value(name: &str, value: &str, values: &'static [&'static str]) -> String {
    format!(
        "unknown `{name}` value `{}`, expected one of {}",
        Shortened(value, QUOTED_CHARS),
        KnownTypes(values)
    )
}
