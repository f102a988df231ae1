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
