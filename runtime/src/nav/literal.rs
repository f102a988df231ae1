//! OData literals, as key predicates and function parameters spell them in a path.

use std::fmt::Write as _;

use crate::error::Error;
use crate::path::push_encoded;

/// Appends `value` as an OData string literal: in single quotes, each `'` doubled, and
/// everything but the RFC 3986 unreserved characters and the quotes percent-encoded, so
/// that `/`, `?`, `#` or `%` in the value never change the path.
pub(crate) fn push_string(out: &mut String, value: &str) {
    out.push('\'');
    for (index, part) in value.split('\'').enumerate() {
        if index > 0 {
            out.push_str("''");
        }
        push_encoded(out, part, b"");
    }
    out.push('\'');
}

/// A value written as an OData literal in a path, as a function's parameters are:
/// `getOffice365ActiveUserDetail(period='D7')`.
///
/// Strings are single-quoted with each `'` doubled; integers, `bool` and floating-point
/// numbers (`NaN`, `INF`, `-INF`) are unquoted, and so are a [`Guid`], a [`Date`] and a
/// [`DateTimeOffset`]. A string enum of `#[graph_resource]` writes its member quoted
/// (`'managed'`). The text is the literal as OData spells it, not yet percent-encoded: a
/// [`Function`](crate::Function) encodes its whole segment.
///
/// ```
/// use graph_resource_runtime::{Date, ODataLiteral};
///
/// let mut out = String::new();
/// "o'brien".write_literal(&mut out);
/// out.push(',');
/// Date::new("2024-02-29")?.write_literal(&mut out);
/// assert_eq!(out, "'o''brien',2024-02-29");
/// # Ok::<(), graph_resource_runtime::Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written as an OData literal in a function's parameters",
    label = "not a string, number, `bool`, `Guid`, `Date`, `DateTimeOffset` or string enum",
    note = "a function's parameters are `ODataLiteral`s; a date or a GUID from another crate goes through `Date::new`, `DateTimeOffset::new` or `Guid::new` with its text"
)]
pub trait ODataLiteral {
    /// Appends the literal to `out`.
    fn write_literal(&self, out: &mut String);
}

impl ODataLiteral for str {
    fn write_literal(&self, out: &mut String) {
        out.push('\'');
        for (index, part) in self.split('\'').enumerate() {
            if index > 0 {
                out.push_str("''");
            }
            out.push_str(part);
        }
        out.push('\'');
    }
}

impl ODataLiteral for String {
    fn write_literal(&self, out: &mut String) {
        self.as_str().write_literal(out);
    }
}

impl<T: ODataLiteral + ?Sized> ODataLiteral for &T {
    fn write_literal(&self, out: &mut String) {
        (**self).write_literal(out);
    }
}

macro_rules! unquoted {
    ($($ty:ty)*) => {$(
        impl ODataLiteral for $ty {
            fn write_literal(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}

unquoted!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize bool);

macro_rules! float {
    ($($ty:ty)*) => {$(
        /// `NaN`, `INF` and `-INF` as OData spells them; other values in decimal digits.
        impl ODataLiteral for $ty {
            fn write_literal(&self, out: &mut String) {
                if self.is_nan() {
                    out.push_str("NaN");
                } else if self.is_infinite() {
                    out.push_str(if *self > 0.0 { "INF" } else { "-INF" });
                } else {
                    let _ = write!(out, "{self}");
                }
            }
        }
    )*};
}

float!(f32 f64);

/// Defines an unquoted literal type kept as checked text.
macro_rules! checked_text {
    ($(#[$doc:meta])* $name:ident, $what:literal, $example:literal, $check:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("The ", $what, " `text`, such as `", $example, "`; other text is an ")]
            /// [`Error::InvalidArgument`] that quotes it.
            pub fn new(text: impl Into<String>) -> Result<Self, Error> {
                let text = text.into();
                if $check(text.as_bytes()) {
                    Ok($name(text))
                } else {
                    Err(Error::InvalidArgument(format!(
                        concat!("expected ", $what, " such as `", $example, "`, found `{}`"),
                        text.escape_debug()
                    )))
                }
            }

            /// The text, as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ODataLiteral for $name {
            fn write_literal(&self, out: &mut String) {
                out.push_str(&self.0);
            }
        }
    };
}

checked_text!(
    /// `Edm.Guid` as a literal: 32 hexadecimal digits in groups of 8-4-4-4-12, unquoted.
    /// From a `uuid::Uuid`: `Guid::new(id.to_string())`.
    Guid,
    "a GUID",
    "5b4c1e0a-9d2f-4c3b-8a71-0e6f2d9c4b18",
    is_guid
);

checked_text!(
    /// `Edm.Date` as a literal: `YYYY-MM-DD`, unquoted. From a `chrono::NaiveDate`:
    /// `Date::new(date.to_string())`.
    Date,
    "a date as `YYYY-MM-DD`",
    "2024-02-29",
    is_date
);

checked_text!(
    /// `Edm.DateTimeOffset` as a literal: an RFC 3339 date-time with its offset, unquoted.
    /// From a `chrono::DateTime<Utc>`: `DateTimeOffset::new(at.to_rfc3339())`.
    DateTimeOffset,
    "a date-time with an offset",
    "2024-02-29T13:45:00Z",
    is_date_time_offset
);

/// Whether all of `bytes` are ASCII digits.
fn digits(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_digit)
}

/// The number two ASCII digits spell, if they are digits.
fn two_digits(tens: u8, ones: u8) -> Option<u8> {
    digits(&[tens, ones]).then(|| (tens - b'0') * 10 + (ones - b'0'))
}

/// Whether the digits of `hh:mm` are a time of day: an hour up to 23, a minute up to 59.
fn hour_minute(h0: u8, h1: u8, m0: u8, m1: u8) -> bool {
    two_digits(h0, h1).is_some_and(|hour| hour <= 23)
        && two_digits(m0, m1).is_some_and(|minute| minute <= 59)
}

fn is_guid(bytes: &[u8]) -> bool {
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            8 | 13 | 18 | 23 => *byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

/// `YYYY-MM-DD`, a day of that month (the 29th of February in a leap year only).
fn is_date(bytes: &[u8]) -> bool {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *bytes else {
        return false;
    };
    let (Some(century), Some(year), Some(month), Some(day)) = (
        two_digits(y0, y1),
        two_digits(y2, y3),
        two_digits(m0, m1),
        two_digits(d0, d1),
    ) else {
        return false;
    };
    let year = u32::from(century) * 100 + u32::from(year);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `YYYY-MM-DDThh:mm[:ss[.fff]]` and `Z` or `±hh:mm`.
fn is_date_time_offset(bytes: &[u8]) -> bool {
    let (Some(date), Some((b'T', rest))) = (
        bytes.get(..10),
        bytes.get(10..).and_then(<[u8]>::split_first),
    ) else {
        return false;
    };
    let (time, offset_ok) = match *rest {
        [ref time @ .., b'Z'] => (time, true),
        [ref time @ .., b'+' | b'-', h0, h1, b':', m0, m1] => (time, hour_minute(h0, h1, m0, m1)),
        _ => return false,
    };
    let time_ok = match *time {
        [h0, h1, b':', m0, m1] => hour_minute(h0, h1, m0, m1),
        [h0, h1, b':', m0, m1, b':', s0, s1, ref fraction @ ..] => {
            hour_minute(h0, h1, m0, m1)
                && two_digits(s0, s1).is_some_and(|second| second <= 59)
                && match fraction {
                    [] => true,
                    [b'.', rest @ ..] => !rest.is_empty() && digits(rest),
                    _ => false,
                }
        }
        _ => false,
    };
    is_date(date) && offset_ok && time_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(value: &str) -> String {
        let mut out = String::new();
        push_string(&mut out, value);
        out
    }

    fn literal(value: impl ODataLiteral) -> String {
        let mut out = String::new();
        value.write_literal(&mut out);
        out
    }

    #[test]
    fn literals_are_written_as_odata_spells_them() {
        assert_eq!(literal("o'brien"), "'o''brien'");
        assert_eq!(literal(String::from("''")), "''''''");
        assert_eq!(literal(""), "''");
        assert_eq!(literal("a/b"), "'a/b'", "encoding is the segment's");
        assert_eq!(literal(-42_i32), "-42");
        assert_eq!(literal(u64::MAX), "18446744073709551615");
        assert_eq!(literal(true), "true");
        assert_eq!(literal(false), "false");
        assert_eq!(literal(1.5_f64), "1.5");
        assert_eq!(literal(-0.25_f32), "-0.25");
        assert_eq!(literal(f64::NAN), "NaN");
        assert_eq!(literal(f64::INFINITY), "INF");
        assert_eq!(literal(f32::NEG_INFINITY), "-INF");
    }

    #[test]
    fn guids_dates_and_date_times_are_checked_and_unquoted() -> Result<(), Error> {
        let guid = "5B4C1E0A-9d2f-4c3b-8a71-0e6f2d9c4b18";
        assert_eq!(literal(Guid::new(guid)?), guid);
        assert_eq!(literal(Date::new("2024-02-29")?), "2024-02-29");
        for date in ["2000-02-29", "2023-02-28", "2023-12-31", "2023-04-30"] {
            assert_eq!(literal(Date::new(date)?), date);
        }
        for at in [
            "2024-02-29T13:45:00Z",
            "2024-02-29T13:45Z",
            "2024-02-29T13:45:00.1234567+02:00",
            "2024-02-29T13:45:00-08:00",
        ] {
            assert_eq!(literal(DateTimeOffset::new(at)?), at);
        }
        for text in [
            "",
            "5b4c1e0a9d2f4c3b8a710e6f2d9c4b18",
            "5b4c1e0a-9d2f-4c3b-8a71-0e6f2d9c4b1g",
        ] {
            assert!(Guid::new(text).is_err(), "{text}");
        }
        for text in [
            "2024-13-01",
            "2023-02-29",
            "1900-02-29",
            "2023-04-31",
            "2024-00-10",
            "2024-02-32",
            "2024-02-00",
            "2024-2-29",
            "2024-02-29)",
            "29/02/2024",
            "2024-02-29T00:00:00Z",
        ] {
            assert!(Date::new(text).is_err(), "{text}");
        }
        for text in [
            "2024-02-29",
            "2024-02-29T13:45:00",
            "2024-02-29T13:45:00.Z",
            "2024-02-29T13:45:00+2",
            "2024-02-29T13:45:00Z,x=1",
            "2024-02-29 13:45:00Z",
            "2024-02-29T24:00:00Z",
            "2024-02-29T13:60:00Z",
            "2024-02-29T13:45:61Z",
            "2024-02-29T13:45:00+24:00",
            "2024-02-31T13:45:00Z",
        ] {
            assert!(DateTimeOffset::new(text).is_err(), "{text}");
        }
        let error = Date::new("tomorrow").unwrap_err().to_string();
        assert!(
            error
                .contains("expected a date as `YYYY-MM-DD` such as `2024-02-29`, found `tomorrow`"),
            "{error}"
        );
        Ok(())
    }

    #[test]
    fn strings_are_quoted_with_quotes_doubled_and_the_rest_encoded() {
        assert_eq!(string("a@b.com"), "'a%40b.com'");
        assert_eq!(string("o'brien@c.com"), "'o''brien%40c.com'");
        assert_eq!(string("''"), "''''''");
        assert_eq!(string(""), "''");
        assert_eq!(string("a/b?c#d%e f"), "'a%2Fb%3Fc%23d%25e%20f'");
    }
}
