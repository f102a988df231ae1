//! Values of OData primitive types that JSON has no type for: base64 binary, ISO 8601
//! durations and floating-point numbers that may be `"NaN"`, `"INF"` or `"-INF"`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// `Edm.Binary`: bytes, on the wire a base64 string.
///
/// Written in the standard alphabet with padding, as Graph writes it; read in the standard
/// or the URL-safe alphabet, with or without padding.
///
/// ```
/// use graph_resource_runtime::Binary;
///
/// let icon: Binary = serde_json::from_str(r#""aGk=""#).unwrap();
/// assert_eq!(icon.0, b"hi");
/// assert_eq!(serde_json::to_string(&icon).unwrap(), r#""aGk=""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Binary(pub Vec<u8>);

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

impl Binary {
    /// The bytes in base64, standard alphabet, padded.
    pub fn to_base64(&self) -> String {
        let mut out = String::with_capacity(self.0.len().div_ceil(3) * 4);
        for chunk in self.0.chunks(3) {
            let bytes = [
                chunk.first().copied().unwrap_or(0),
                chunk.get(1).copied().unwrap_or(0),
                chunk.get(2).copied().unwrap_or(0),
            ];
            let n = u32::from(bytes[0]) << 16 | u32::from(bytes[1]) << 8 | u32::from(bytes[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(char::from(BASE64[(n >> (18 - 6 * i)) as usize & 63]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// Decodes base64 in the standard or URL-safe alphabet, padding optional; the error
    /// names the first character that is not base64 and its position.
    pub fn from_base64(text: &str) -> Result<Binary, String> {
        let digits = text.trim_end_matches('=');
        let mut out = Vec::with_capacity(digits.len() * 3 / 4);
        let mut buffer = 0u32;
        let mut bits = 0;
        for (position, c) in digits.char_indices() {
            let value = match c {
                'A'..='Z' => c as u32 - 'A' as u32,
                'a'..='z' => c as u32 - 'a' as u32 + 26,
                '0'..='9' => c as u32 - '0' as u32 + 52,
                '+' | '-' => 62,
                '/' | '_' => 63,
                _ => {
                    return Err(format!(
                        "expected base64, found `{c}` at position {position}"
                    ));
                }
            };
            buffer = buffer << 6 | value;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((buffer >> bits) as u8);
                buffer &= (1 << bits) - 1;
            }
        }
        if bits == 6 {
            return Err(format!(
                "expected base64, found {} digits, one too many for whole bytes",
                digits.len()
            ));
        }
        Ok(Binary(out))
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BinaryVisitor;
        impl Visitor<'_> for BinaryVisitor {
            type Value = Binary;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Binary, E> {
                Binary::from_base64(value).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(BinaryVisitor)
    }
}

/// `Edm.Duration`: an ISO 8601 duration such as `PT1H30M` or `P90D`, kept as written.
///
/// ```
/// use graph_resource_runtime::IsoDuration;
/// use std::time::Duration;
///
/// let grace: IsoDuration = serde_json::from_str(r#""P1DT2H""#).unwrap();
/// assert_eq!(grace.to_std(), Some(Duration::from_secs(26 * 3600)));
/// assert_eq!(IsoDuration::from_std(Duration::from_millis(1500)).as_str(), "PT1.5S");
/// assert!(IsoDuration::new("an hour").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IsoDuration(String);

impl Default for IsoDuration {
    fn default() -> Self {
        IsoDuration("PT0S".to_owned())
    }
}

impl IsoDuration {
    /// Checks that `text` is an ISO 8601 duration (`[-]P[nY][nM][nW][nD][T[nH][nM][n[.n]S]]`).
    pub fn new(text: impl Into<String>) -> Result<IsoDuration, String> {
        let text = text.into();
        match parts(&text) {
            Some(_) => Ok(IsoDuration(text)),
            None => Err(format!(
                "expected an ISO 8601 duration such as `PT1H30M`, found `{text}`"
            )),
        }
    }

    /// The duration as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The duration as a [`std::time::Duration`]; `None` when it is negative, uses years or
    /// months (whose length depends on the calendar) or does not fit.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        let parts = parts(&self.0)?;
        if parts.negative {
            return None;
        }
        let mut seconds = 0f64;
        for (unit, value) in parts.units {
            let scale = match unit {
                'W' => 604_800.0,
                'D' => 86_400.0,
                'H' => 3_600.0,
                'm' => 60.0,
                'S' => 1.0,
                _ => return None,
            };
            seconds += value * scale;
        }
        std::time::Duration::try_from_secs_f64(seconds).ok()
    }

    /// `duration` written in seconds (`PT90S`, `PT1.5S`).
    pub fn from_std(duration: std::time::Duration) -> IsoDuration {
        IsoDuration(format!("PT{}S", duration.as_secs_f64()))
    }
}

impl fmt::Display for IsoDuration {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The units of a duration: `M` after `T` (minutes) is given as `m`.
struct Parts {
    negative: bool,
    units: Vec<(char, f64)>,
}

fn parts(text: &str) -> Option<Parts> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let rest = rest.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) if !time.is_empty() => (date, Some(time)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut units = Vec::new();
    read_units(date, &['Y', 'M', 'W', 'D'], false, &mut units)?;
    if let Some(time) = time {
        read_units(time, &['H', 'M', 'S'], true, &mut units)?;
    }
    (!units.is_empty()).then_some(Parts { negative, units })
}

/// Reads `12H30M` into `units`, each unit at most once and in the order of `allowed`.
fn read_units(
    mut text: &str,
    allowed: &[char],
    time: bool,
    units: &mut Vec<(char, f64)>,
) -> Option<()> {
    let mut next = 0;
    while !text.is_empty() {
        let end = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let number = text.get(..end)?;
        let unit = text.get(end..)?.chars().next()?;
        let position = next + allowed.get(next..)?.iter().position(|&u| u == unit)?;
        let fraction_allowed = unit == 'S';
        if number.is_empty() || (number.contains('.') && !fraction_allowed) {
            return None;
        }
        let value: f64 = number.parse().ok()?;
        units.push((if time && unit == 'M' { 'm' } else { unit }, value));
        next = position + 1;
        text = text.get(end + 1..)?;
    }
    Some(())
}

impl Serialize for IsoDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for IsoDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        IsoDuration::new(text).map_err(de::Error::custom)
    }
}

macro_rules! float_type {
    ($(#[$doc:meta])* $name:ident, $float:ty, $edm:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
        pub struct $name(pub $float);

        impl From<$float> for $name {
            fn from(value: $float) -> Self {
                $name(value)
            }
        }

        impl From<$name> for $float {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match special_name(f64::from(self.0)) {
                    Some(name) => serializer.serialize_str(name),
                    None => self.0.serialize(serializer),
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // `as` is exact for f64 and rounds to the nearest f32 as `Edm.Single` asks.
                deserializer
                    .deserialize_any(FloatVisitor($edm))
                    .map(|value| $name(value as $float))
            }
        }
    };
}

float_type!(
    /// `Edm.Double`: a number, or one of the strings `"NaN"`, `"INF"` and `"-INF"` that Graph
    /// writes for values JSON numbers cannot hold.
    ///
    /// ```
    /// use graph_resource_runtime::Double;
    ///
    /// let values: Vec<Double> = serde_json::from_str(r#"[1.5, "NaN", "INF", "-INF", 2]"#).unwrap();
    /// assert_eq!(values[2].0, f64::INFINITY);
    /// assert_eq!(serde_json::to_string(&values[3]).unwrap(), r#""-INF""#);
    /// ```
    Double,
    f64,
    "an `Edm.Double` number or \"NaN\", \"INF\", \"-INF\""
);

float_type!(
    /// `Edm.Single`: as [`Double`], in 32 bits.
    Single,
    f32,
    "an `Edm.Single` number or \"NaN\", \"INF\", \"-INF\""
);

fn special_name(value: f64) -> Option<&'static str> {
    if value.is_nan() {
        Some("NaN")
    } else if value == f64::INFINITY {
        Some("INF")
    } else if value == f64::NEG_INFINITY {
        Some("-INF")
    } else {
        None
    }
}

/// Reads a number or one of the special strings; `.0` says what was expected.
struct FloatVisitor(&'static str);

impl Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<f64, E> {
        Ok(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<f64, E> {
        Ok(value as f64)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<f64, E> {
        Ok(value as f64)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<f64, E> {
        match value {
            "NaN" => Ok(f64::NAN),
            "INF" => Ok(f64::INFINITY),
            "-INF" => Ok(f64::NEG_INFINITY),
            _ => Err(E::invalid_value(de::Unexpected::Str(value), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_every_length() {
        for len in 0..10u8 {
            let bytes: Vec<u8> = (0..len)
                .map(|i| i.wrapping_mul(97).wrapping_add(200))
                .collect();
            let encoded = Binary(bytes.clone()).to_base64();
            assert_eq!(encoded.len() % 4, 0);
            assert_eq!(Binary::from_base64(&encoded).unwrap().0, bytes);
            assert_eq!(
                Binary::from_base64(encoded.trim_end_matches('='))
                    .unwrap()
                    .0,
                bytes
            );
        }
        assert_eq!(Binary(b"Graph".to_vec()).to_base64(), "R3JhcGg=");
        assert_eq!(Binary::from_base64("-_8").unwrap().0, [0xfb, 0xff]);
    }

    #[test]
    fn bad_base64_names_the_character() {
        let error = Binary::from_base64("aGk*").unwrap_err();
        assert_eq!(error, "expected base64, found `*` at position 3");
        assert!(Binary::from_base64("a").is_err());
        let error = serde_json::from_str::<Binary>("12")
            .unwrap_err()
            .to_string();
        assert!(error.contains("a base64 string"), "{error}");
    }

    #[test]
    fn durations_are_checked_and_converted() {
        for good in ["PT0S", "P1Y2M3W4DT5H6M7.5S", "-PT1H", "P90D", "PT36H"] {
            assert!(IsoDuration::new(good).is_ok(), "{good}");
        }
        for bad in [
            "", "P", "PT", "1H", "PT1D", "P1H", "PT1M1H", "P1.5D", "PTS", "P1D1D",
        ] {
            assert!(IsoDuration::new(bad).is_err(), "{bad}");
        }
        let std = |text: &str| IsoDuration::new(text).unwrap().to_std();
        assert_eq!(std("PT1M30S"), Some(std::time::Duration::from_secs(90)));
        assert_eq!(std("P1W"), Some(std::time::Duration::from_secs(604_800)));
        assert_eq!(std("P1M"), None);
        assert_eq!(std("-PT1S"), None);
        let error = serde_json::from_str::<IsoDuration>(r#""soon""#).unwrap_err();
        assert!(error.to_string().contains("found `soon`"), "{error}");
    }

    #[test]
    fn special_floats_are_strings_both_ways() {
        let read = |json: &str| serde_json::from_str::<Double>(json);
        assert!(read(r#""NaN""#).unwrap().0.is_nan());
        assert_eq!(read(r#""-INF""#).unwrap().0, f64::NEG_INFINITY);
        assert_eq!(read("-3").unwrap().0, -3.0);
        assert_eq!(
            read("18446744073709551615").unwrap().0,
            1.8446744073709552e19
        );
        assert_eq!(
            serde_json::to_string(&Double(f64::NAN)).unwrap(),
            r#""NaN""#
        );
        assert_eq!(serde_json::to_string(&Double(0.25)).unwrap(), "0.25");
        let error = read(r#""inf""#).unwrap_err().to_string();
        assert!(error.contains(r#""NaN", "INF", "-INF""#), "{error}");
        assert!(read("true").is_err());
        let single: Single = serde_json::from_str("0.1").unwrap();
        assert_eq!(single.0, 0.1f32);
        assert_eq!(
            serde_json::to_string(&Single(f32::INFINITY)).unwrap(),
            r#""INF""#
        );
    }
}
