//! `Edm.DateTimeOffset` as Graph writes it, for `#[graph(with = "graph_resource::date_time_offset")]`
//! (or serde's `#[serde(with = "…")]`) on a field of any date-time type that reads RFC 3339
//! text: `chrono::DateTime<Utc>`, `jiff::Timestamp`, `String`, an `Option` or a `Vec` of one.
//!
//! Some Graph services leave the offset out (`"hireDate": "2018-01-01T00:00:00"`), which
//! means UTC; RFC 3339 parsers refuse such text. Read through this module, a date-time
//! without an offset gets `Z`; one with an offset is read as it is. Writing is the type's
//! own.
//!
//! ```
//! use graph_resource_runtime::date_time_offset;
//!
//! let read = |json: &str| -> Option<String> {
//!     date_time_offset::deserialize(&mut serde_json::Deserializer::from_str(json)).unwrap()
//! };
//! assert_eq!(read(r#""2018-01-01T00:00:00""#).as_deref(), Some("2018-01-01T00:00:00Z"));
//! assert_eq!(read(r#""2018-01-01T00:00:00-08:00""#).as_deref(), Some("2018-01-01T00:00:00-08:00"));
//! assert_eq!(read("null"), None);
//! ```

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

/// Writes `value` as its type does.
pub fn serialize<T: Serialize + ?Sized, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.serialize(serializer)
}

/// Reads a `T` from a date-time, `null` or an array of them, each date-time without an
/// offset taken as UTC.
pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let mut value = Value::deserialize(deserializer)?;
    assume_utc(&mut value);
    T::deserialize(value).map_err(de::Error::custom)
}

/// Adds `Z` to every date-time in `value` that has no offset.
fn assume_utc(value: &mut Value) {
    match value {
        Value::String(text) if lacks_offset(text) => text.push('Z'),
        Value::Array(items) => items.iter_mut().for_each(assume_utc),
        _ => {}
    }
}

/// Whether `text` is a date and a time with neither `Z` nor `±hh:mm` after the time.
fn lacks_offset(text: &str) -> bool {
    text.split_once(['T', 't'])
        .is_some_and(|(_, time)| !time.is_empty() && !time.contains(['Z', 'z', '+', '-']))
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; without an offset, UTC (as Graph means).
pub(crate) fn parse_utc(text: &str) -> Option<SystemTime> {
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = text.get(range)?;
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| digits.parse().ok())?
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if !separators.iter().all(|&(at, byte)| {
        text.as_bytes()
            .get(at)
            .is_some_and(|&b| b.eq_ignore_ascii_case(&byte))
    }) {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = text.get(19..)?;
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let (fraction, tail) = fraction.split_at(digits);
        for (index, digit) in fraction.bytes().take(9).enumerate() {
            nanos += u32::from(digit - b'0') * 10u32.pow(8 - index as u32);
        }
        rest = tail;
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (hours, minutes) = rest.get(1..)?.split_once(':')?;
            let valid = hours.len() == 2 && minutes.len() == 2;
            let (hours, minutes): (i64, i64) = (hours.parse().ok()?, minutes.parse().ok()?);
            if !valid || hours > 23 || minutes > 59 {
                return None;
            }
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    let seconds = u64::try_from(seconds).ok()?;
    UNIX_EPOCH.checked_add(Duration::new(seconds, nanos))
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_time_without_offset_lacks_one() {
        for text in ["2018-01-01T00:00:00", "2018-01-01t00:00:00.1234567"] {
            assert!(lacks_offset(text), "{text}");
        }
        for text in [
            "2018-01-01T00:00:00Z",
            "2018-01-01T00:00:00.5z",
            "2017-01-01T00:02:43.5775965-08:00",
            "2017-01-01T00:02:43+05:30",
            "2018-01-01",
            "2018-01-01T",
            "",
        ] {
            assert!(!lacks_offset(text), "{text}");
        }
    }

    #[test]
    fn dates_in_arrays_and_options_get_utc_and_other_values_stay() {
        let read = |json: &str| -> Result<Option<Vec<Option<String>>>, serde_json::Error> {
            deserialize(&mut serde_json::Deserializer::from_str(json))
        };
        assert_eq!(
            read(r#"["2018-01-01T00:00:00", null, "2018-01-01T00:00:00+01:00"]"#).unwrap(),
            Some(vec![
                Some("2018-01-01T00:00:00Z".to_owned()),
                None,
                Some("2018-01-01T00:00:00+01:00".to_owned())
            ])
        );
        assert_eq!(read("null").unwrap(), None);
        let error = read("7").unwrap_err().to_string();
        assert!(error.contains("invalid type: integer `7`"), "{error}");
    }
}
