//! `Edm.Decimal`: decimal numbers kept as their text.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

/// `Edm.Decimal`: a decimal number kept as its text, so that no digit is lost to an `f64`.
///
/// Read from a JSON number, or from a string holding one (OData's `IEEE754Compatible`
/// form); written as a JSON number, exactly as read. Two values are equal when they are
/// written alike (`1.5` is not `1.50`). Reading from serde_json's text and writing to it
/// keeps every digit, request bodies included (`create`, `update`, `clear`,
/// `changed_from`). Only a [`serde_json::Value`] holds it as an `f64`: one you build from it,
/// or the buffer of a polymorphic enum whose `@odata.type` comes after the number.
///
/// ```
/// use graph_resource_runtime::Decimal;
///
/// let amounts: Vec<Decimal> =
///     serde_json::from_str(r#"[12345678901234567890.123456789, "0.10"]"#).unwrap();
/// assert_eq!(amounts[0].as_str(), "12345678901234567890.123456789");
/// assert_eq!(
///     serde_json::to_string(&amounts).unwrap(),
///     "[12345678901234567890.123456789,0.10]"
/// );
/// assert_eq!("2.5".parse::<Decimal>().unwrap().as_str().parse::<f64>().unwrap(), 2.5);
/// assert!(Decimal::new("1,5").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal(String);

impl Default for Decimal {
    fn default() -> Self {
        Decimal("0".to_owned())
    }
}

impl Decimal {
    /// Checks that `text` is a number as JSON writes one (`-12.5`, `1e-3`).
    pub fn new(text: impl Into<String>) -> Result<Decimal, String> {
        let text = text.into();
        if is_json_number(&text) {
            Ok(Decimal(text))
        } else {
            Err(format!(
                "expected a decimal number such as `-12.50`, found `{}`",
                crate::text::Shortened(&text, crate::text::QUOTED_CHARS)
            ))
        }
    }

    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Decimal {
    type Err = String;

    fn from_str(text: &str) -> Result<Decimal, String> {
        Decimal::new(text)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_json_number(text: &str) -> bool {
    fn digits(text: &str) -> (usize, &str) {
        let end = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        (end, text.get(end..).unwrap_or_default())
    }
    let rest = text.strip_prefix('-').unwrap_or(text);
    let (count, mut rest) = digits(rest);
    if count == 0 || (count > 1 && text.trim_start_matches('-').starts_with('0')) {
        return false;
    }
    if let Some(fraction) = rest.strip_prefix('.') {
        let (count, after) = digits(fraction);
        if count == 0 {
            return false;
        }
        rest = after;
    }
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        let (count, after) = digits(exponent.strip_prefix(['+', '-']).unwrap_or(exponent));
        if count == 0 {
            return false;
        }
        rest = after;
    }
    rest.is_empty()
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.0.clone()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        let number = if text.starts_with('"') {
            serde_json::from_str::<String>(text).map_err(de::Error::custom)?
        } else {
            text.to_owned()
        };
        Decimal::new(number).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_every_digit_both_ways() {
        let read = |json: &str| serde_json::from_str::<Decimal>(json);
        for number in [
            "0",
            "-0.5",
            "12345678901234567890.123456789012345678901234567890",
            "1E+400",
            "0.1000000000000000000000000001",
        ] {
            let decimal = read(number).unwrap();
            assert_eq!(decimal.as_str(), number);
            assert_eq!(serde_json::to_string(&decimal).unwrap(), number);
            let quoted = read(&format!("\"{number}\"")).unwrap();
            assert_eq!(quoted, decimal, "the string form of {number}");
        }
        for bad in ["1,5", "01", "1.", ".5", "-", "1e", "NaN", "", " 1"] {
            assert!(Decimal::new(bad).is_err(), "{bad}");
        }
        let error = read(r#""12 apples""#).unwrap_err().to_string();
        assert!(error.contains("found `12 apples`"), "{error}");
        let error = read("true").unwrap_err().to_string();
        assert!(error.contains("found `true`"), "{error}");
        let in_a_struct: Vec<Option<Decimal>> = serde_json::from_str("[null, 2.50]").unwrap();
        assert_eq!(in_a_struct[1].as_ref().map(Decimal::as_str), Some("2.50"));
    }
}
