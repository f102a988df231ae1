//! Flag enums: a set of members written as one comma-separated string (`"read,write"`).

use std::fmt;
use std::marker::PhantomData;
use std::ops::BitOr;

use serde::de::value::StrDeserializer;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A member of a Graph flag enum (`IsFlags="true"` in the schema).
///
/// `#[graph_resource(flags)]` on a fieldless enum implements it, together with
/// `A | B` giving a [`Flags`] set.
pub trait Flag: Sized + PartialEq {
    /// The member's name on the wire.
    fn as_str(&self) -> &str;
}

/// A set of flag enum members, on the wire their names joined by commas (`"read,write"`).
///
/// Members keep the order in which they were received or inserted, and each is held once;
/// two sets are equal when they hold the same members in any order. Reading splits on
/// commas, trims spaces and reads each name as the member enum reads a string (so a member
/// Graph added later goes to its `other` variant, or is an error naming it).
///
/// `#[graph_resource(flags)]` in the `graph-resource` crate shows it in use.
#[derive(Debug, Clone)]
pub struct Flags<T>(Vec<T>);

impl<T> Flags<T> {
    /// An empty set, written as `""`.
    pub const fn new() -> Self {
        Flags(Vec::new())
    }

    /// The members, in the order they were received or inserted.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// How many members the set holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set holds no member.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: PartialEq> Flags<T> {
    /// Whether the set holds `flag`.
    pub fn contains(&self, flag: &T) -> bool {
        self.0.contains(flag)
    }

    /// Adds `flag`; `false` when it was already there.
    pub fn insert(&mut self, flag: T) -> bool {
        if self.contains(&flag) {
            return false;
        }
        self.0.push(flag);
        true
    }

    /// Removes `flag`; `false` when it was not there.
    pub fn remove(&mut self, flag: &T) -> bool {
        let before = self.0.len();
        self.0.retain(|member| member != flag);
        self.0.len() != before
    }
}

impl<T> Default for Flags<T> {
    fn default() -> Self {
        Flags::new()
    }
}

impl<T: PartialEq> PartialEq for Flags<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().all(|member| other.contains(member))
    }
}

impl<T: Eq> Eq for Flags<T> {}

impl<T: PartialEq> From<T> for Flags<T> {
    fn from(flag: T) -> Self {
        Flags(vec![flag])
    }
}

impl<T: PartialEq> FromIterator<T> for Flags<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut flags = Flags::new();
        flags.extend(iter);
        flags
    }
}

impl<T: PartialEq> Extend<T> for Flags<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for flag in iter {
            self.insert(flag);
        }
    }
}

impl<T> IntoIterator for Flags<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Flags<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: PartialEq> BitOr<T> for Flags<T> {
    type Output = Flags<T>;

    fn bitor(mut self, flag: T) -> Flags<T> {
        self.insert(flag);
        self
    }
}

impl<T: Flag> Serialize for Flags<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&Joined(&self.0))
    }
}

/// The names of `members` joined by commas.
struct Joined<'a, T>(&'a [T]);

impl<T: Flag> fmt::Display for Joined<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, member) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(member.as_str())?;
        }
        Ok(())
    }
}

impl<'de, T: Flag + Deserialize<'de>> Deserialize<'de> for Flags<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(FlagsVisitor(PhantomData))
    }
}

struct FlagsVisitor<T>(PhantomData<T>);

impl<'de, T: Flag + Deserialize<'de>> Visitor<'de> for FlagsVisitor<T> {
    type Value = Flags<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string of comma-separated flag names")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Flags<T>, E> {
        let mut flags = Flags::new();
        for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            flags.insert(T::deserialize(StrDeserializer::<E>::new(name))?);
        }
        Ok(flags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    enum Access {
        Read,
        Write,
    }

    impl Flag for Access {
        fn as_str(&self) -> &str {
            match self {
                Access::Read => "read",
                Access::Write => "write",
            }
        }
    }

    impl<'de> Deserialize<'de> for Access {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let name = String::deserialize(deserializer)?;
            match name.as_str() {
                "read" => Ok(Access::Read),
                "write" => Ok(Access::Write),
                other => Err(de::Error::custom(format_args!("unknown `{other}`"))),
            }
        }
    }

    fn read(json: &str) -> Result<Flags<Access>, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn names_are_split_on_commas_and_trimmed() {
        let flags = read(r#"" read ,write""#).unwrap();
        assert_eq!(
            flags.iter().collect::<Vec<_>>(),
            [&Access::Read, &Access::Write]
        );
        assert_eq!(serde_json::to_string(&flags).unwrap(), r#""read,write""#);
    }

    #[test]
    fn empty_and_repeated_names() {
        assert!(read(r#""""#).unwrap().is_empty());
        assert_eq!(
            serde_json::to_string(&Flags::<Access>::new()).unwrap(),
            r#""""#
        );
        let flags = read(r#""write,write,""#).unwrap();
        assert_eq!(flags.len(), 1);
    }

    #[test]
    fn equality_ignores_order() {
        let a: Flags<Access> = [Access::Read, Access::Write].into_iter().collect();
        let b = Flags::from(Access::Write) | Access::Read;
        assert_eq!(a, b);
        assert_ne!(a, Flags::from(Access::Read));
    }

    #[test]
    fn insert_and_remove_report_changes() {
        let mut flags = Flags::new();
        assert!(flags.insert(Access::Read));
        assert!(!flags.insert(Access::Read));
        assert!(flags.remove(&Access::Read));
        assert!(!flags.remove(&Access::Read));
    }

    #[test]
    fn an_unknown_name_or_a_non_string_is_an_error() {
        let error = read(r#""read,exec""#).unwrap_err().to_string();
        assert!(error.contains("unknown `exec`"), "{error}");
        let error = read("3").unwrap_err().to_string();
        assert!(error.contains("comma-separated flag names"), "{error}");
    }
}
