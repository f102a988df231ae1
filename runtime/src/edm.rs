//! Values of OData primitive types that JSON has no type for: base64 binary, ISO 8601
//! durations, decimals with more digits than an `f64` keeps and floating-point numbers that
//! may be `"NaN"`, `"INF"` or `"-INF"`.

mod binary;
mod decimal;

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

pub use binary::Binary;
pub use decimal::Decimal;

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

    /// The duration as a [`std::time::Duration`], to the nanosecond (further digits of the
    /// seconds are dropped); `None` when it is negative, uses years or months (whose length
    /// depends on the calendar) or does not fit.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        let parts = parts(&self.0)?;
        if parts.negative {
            return None;
        }
        let mut total = std::time::Duration::ZERO;
        for (unit, number) in parts.units {
            let scale: u64 = match unit {
                'W' => 604_800,
                'D' => 86_400,
                'H' => 3_600,
                'm' => 60,
                'S' => 1,
                _ => return None,
            };
            let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
            let whole: u64 = if whole.is_empty() {
                0
            } else {
                whole.parse().ok()?
            };
            // Only seconds have a fraction: its first nine digits are the nanoseconds.
            let nanos = fraction
                .chars()
                .chain(std::iter::repeat('0'))
                .take(9)
                .try_fold(0u32, |nanos, c| Some(nanos * 10 + c.to_digit(10)?))?;
            let part = std::time::Duration::new(whole.checked_mul(scale)?, nanos);
            total = total.checked_add(part)?;
        }
        Some(total)
    }

    /// `duration` written in seconds, exactly (`PT90S`, `PT1.5S`, `PT0.000000001S`).
    pub fn from_std(duration: std::time::Duration) -> IsoDuration {
        let seconds = duration.as_secs();
        match duration.subsec_nanos() {
            0 => IsoDuration(format!("PT{seconds}S")),
            nanos => {
                let fraction = format!("{nanos:09}");
                IsoDuration(format!("PT{seconds}.{}S", fraction.trim_end_matches('0')))
            }
        }
    }
}

impl fmt::Display for IsoDuration {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The units of a duration and their numbers as written: `M` after `T` (minutes) is given
/// as `m`.
struct Parts<'a> {
    negative: bool,
    units: Vec<(char, &'a str)>,
}

fn parts(text: &str) -> Option<Parts<'_>> {
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
fn read_units<'a>(
    mut text: &'a str,
    allowed: &[char],
    time: bool,
    units: &mut Vec<(char, &'a str)>,
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
        if number.parse::<f64>().is_err() {
            return None;
        }
        units.push((if time && unit == 'M' { 'm' } else { unit }, number));
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
        deserializer.deserialize_string(DurationVisitor)
    }
}

/// Reads an [`IsoDuration`]; its errors are the string's, so the reader says where it was.
struct DurationVisitor;

impl de::Visitor<'_> for DurationVisitor {
    type Value = IsoDuration;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an ISO 8601 duration string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<IsoDuration, E> {
        self.visit_string(text.to_owned())
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<IsoDuration, E> {
        IsoDuration::new(text).map_err(E::custom)
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

    #[test]
    fn durations_from_std_are_exact_and_read_back() {
        use std::time::Duration;
        let cases = [
            (Duration::ZERO, "PT0S"),
            (Duration::from_millis(1500), "PT1.5S"),
            (Duration::from_nanos(1), "PT0.000000001S"),
            (Duration::new(10_000_000_000, 1), "PT10000000000.000000001S"),
            (
                Duration::new(u64::MAX, 999_999_999),
                "PT18446744073709551615.999999999S",
            ),
            (Duration::new(3, 100_000_000), "PT3.1S"),
        ];
        for (duration, text) in cases {
            let written = IsoDuration::from_std(duration);
            assert_eq!(written.as_str(), text);
            assert!(IsoDuration::new(text).is_ok(), "{text}");
            assert_eq!(written.to_std(), Some(duration), "{text}");
        }
        let std = |text: &str| IsoDuration::new(text).unwrap().to_std();
        assert_eq!(
            std("P1DT0.1234567899S"),
            Some(Duration::new(86_400, 123_456_789))
        );
        assert_eq!(std("PT.5S"), Some(Duration::from_millis(500)));
        assert_eq!(std("PT18446744073709551616S"), None);
        assert_eq!(std("P40000000000000W"), None);
    }
}
