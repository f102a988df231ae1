//! What an upload session says about itself: [`SessionStatus`], read from the answer to its
//! creation, to a fragment (`202 Accepted`) or to a `GET` of its URL.

use serde_json::{Map, Value};

/// The state of an upload session: its URL (in the answer that created it), when it expires,
/// and the byte ranges it still expects.
///
/// ```
/// use graph_resource_runtime::SessionStatus;
///
/// let status = SessionStatus::from_json(
///     br#"{"expirationDateTime": "2026-12-07T09:00:00Z", "nextExpectedRanges": ["327680-"]}"#,
/// )?;
/// assert_eq!(status.next_offset(1_000_000)?, 327_680);
/// assert_eq!(status.expiration_date_time(), Some("2026-12-07T09:00:00Z"));
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionStatus {
    upload_url: Option<String>,
    expiration_date_time: Option<String>,
    next_expected_ranges: Vec<ByteRange>,
}

/// One range of `nextExpectedRanges`: `start-end` (both included) or `start-` (to the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    /// The first byte expected.
    pub start: u64,
    /// The last byte expected, `None` for "to the end of the file".
    pub end: Option<u64>,
}

impl SessionStatus {
    /// Reads a session's JSON answer. Every member is optional (a fragment's `202` has no
    /// `uploadUrl`); one of the wrong type, or a range that is not `start-end` or `start-`
    /// with `start <= end`, is an error that says what was found.
    pub fn from_json(body: &[u8]) -> Result<SessionStatus, String> {
        let value: Value = serde_json::from_slice(body).map_err(|error| {
            format!("expected the upload session's JSON object, found invalid JSON: {error}")
        })?;
        let Value::Object(members) = value else {
            return Err(format!(
                "expected the upload session's JSON object, found {}",
                crate::text::json_kind(&value)
            ));
        };
        let ranges = match members.get("nextExpectedRanges") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(ranges)) => ranges
                .iter()
                .map(|range| match range {
                    Value::String(range) => parse_range(range),
                    other => Err(format!(
                        "expected each of `nextExpectedRanges` to be a string `start-end` or \
                         `start-`, found {}",
                        crate::text::json_kind(other)
                    )),
                })
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(format!(
                    "expected `nextExpectedRanges` to be an array of strings, found {}",
                    crate::text::json_kind(other)
                ));
            }
        };
        Ok(SessionStatus {
            upload_url: string(&members, "uploadUrl")?,
            expiration_date_time: string(&members, "expirationDateTime")?,
            next_expected_ranges: ranges,
        })
    }

    /// `uploadUrl`: where the fragments go, given when the session is created.
    pub fn upload_url(&self) -> Option<&str> {
        self.upload_url.as_deref()
    }

    /// `expirationDateTime`, as Graph wrote it: when the session is deleted unless a fragment
    /// arrives before; each fragment moves it later.
    pub fn expiration_date_time(&self) -> Option<&str> {
        self.expiration_date_time.as_deref()
    }

    /// `nextExpectedRanges`: the ranges the session has not received yet.
    pub fn next_expected_ranges(&self) -> &[ByteRange] {
        &self.next_expected_ranges
    }

    /// The first byte the session expects of a file of `total` bytes: the lowest start of
    /// `nextExpectedRanges`, or `total` when it expects nothing more. A start past the end
    /// of the file is an error.
    pub fn next_offset(&self, total: u64) -> Result<u64, String> {
        let next = (self.next_expected_ranges.iter())
            .map(|range| range.start)
            .min()
            .unwrap_or(total);
        if next > total {
            return Err(format!(
                "the session expects bytes from offset {next}, past the end of the file of \
                 {total} bytes"
            ));
        }
        Ok(next)
    }
}

/// A member that is a string, or absent or `null`.
fn string(members: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match members.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value.clone())),
        Some(other) => Err(format!(
            "expected `{name}` to be a string, found {}",
            crate::text::json_kind(other)
        )),
    }
}

/// `start-end` or `start-`, decimal, with `start <= end`.
fn parse_range(range: &str) -> Result<ByteRange, String> {
    let malformed = || {
        format!(
            "expected each of `nextExpectedRanges` to be `start-end` or `start-` in decimal \
             with start <= end, found `{}`",
            crate::text::Shortened(range, crate::text::QUOTED_CHARS)
        )
    };
    let (start, end) = range.split_once('-').ok_or_else(malformed)?;
    let number = |digits: &str| {
        (!digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| digits.parse::<u64>().ok())
            .flatten()
    };
    let start = number(start).ok_or_else(malformed)?;
    let end = match end {
        "" => None,
        end => Some(
            number(end)
                .filter(|&end| end >= start)
                .ok_or_else(malformed)?,
        ),
    };
    Ok(ByteRange { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_give_the_lowest_start() {
        let status =
            SessionStatus::from_json(br#"{"nextExpectedRanges": ["700-799", "12-55", "900-"]}"#)
                .unwrap();
        assert_eq!(status.next_offset(1000), Ok(12));
        assert_eq!(
            status.next_expected_ranges()[2],
            ByteRange {
                start: 900,
                end: None
            }
        );
        let done = SessionStatus::from_json(br#"{"nextExpectedRanges": []}"#).unwrap();
        assert_eq!(done.next_offset(1000), Ok(1000));
    }

    #[test]
    fn malformed_ranges_are_errors_that_quote_them() {
        for (body, found) in [
            (r#"{"nextExpectedRanges": ["abc"]}"#, "`abc`"),
            (r#"{"nextExpectedRanges": ["-5"]}"#, "`-5`"),
            (r#"{"nextExpectedRanges": ["9-3"]}"#, "`9-3`"),
            (r#"{"nextExpectedRanges": ["+1-3"]}"#, "`+1-3`"),
            (
                r#"{"nextExpectedRanges": ["99999999999999999999999-"]}"#,
                "99999999999999999999999",
            ),
            (r#"{"nextExpectedRanges": "0-"}"#, "found a string"),
            (r#"{"nextExpectedRanges": [5]}"#, "found a number"),
            (r#"{"uploadUrl": 5}"#, "`uploadUrl` to be a string"),
            (r#"[]"#, "found an array"),
        ] {
            let error = SessionStatus::from_json(body.as_bytes()).unwrap_err();
            assert!(error.contains(found), "{body}: {error}");
        }
        let past = SessionStatus::from_json(br#"{"nextExpectedRanges": ["11-"]}"#).unwrap();
        assert!(past.next_offset(10).unwrap_err().contains("offset 11"));
    }
}
