//! Request paths: templates with keys, each key percent-encoded as one segment.

use std::fmt;

use crate::error::Error;

/// One piece of a path template, as the generated code spells it:
/// `[Literal("/deviceManagement/intents/"), Key("intent_id"), Literal("/assignments")]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPart {
    /// Fixed text, used as it is.
    Literal(&'static str),
    /// A key given at call time; the string is the parameter name used in error messages.
    Key(&'static str),
}

/// Fills the keys of `parts` in, in order, each encoded with [`encode_path_segment`].
///
/// Fails with [`Error::InvalidArgument`] when the number of keys is wrong, or a key is empty,
/// `.` or `..`: such a key would address another resource than the one meant.
pub(crate) fn expand(parts: &[PathPart], keys: &[&str]) -> Result<String, Error> {
    let wrong_count = || {
        let expected = parts
            .iter()
            .filter(|part| matches!(part, PathPart::Key(_)))
            .count();
        Error::InvalidArgument(format!(
            "the path `{}` takes {expected} key(s), {} were given",
            Template(parts),
            keys.len()
        ))
    };
    // Literals, and each key at its longest once encoded: one allocation.
    let capacity = parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text.len(),
            PathPart::Key(_) => 0,
        })
        .sum::<usize>()
        + keys.iter().map(|key| key.len() * 3).sum::<usize>();
    let mut path = String::with_capacity(capacity);
    let mut keys = keys.iter();
    for part in parts {
        match *part {
            PathPart::Literal(text) => path.push_str(text),
            PathPart::Key(name) => {
                let key = *keys.next().ok_or_else(wrong_count)?;
                match key {
                    "" => return Err(Error::InvalidArgument(format!("{name} must not be empty"))),
                    "." | ".." => {
                        return Err(Error::InvalidArgument(format!(
                            "{name} must not be `{key}`: it would address another resource"
                        )));
                    }
                    _ => push_encoded(&mut path, key, b""),
                }
            }
        }
    }
    match keys.next() {
        Some(_) => Err(wrong_count()),
        None => Ok(path),
    }
}

/// Percent-encodes `key` as exactly one path segment: every byte of its UTF-8 form except
/// the RFC 3986 unreserved characters (`A`–`Z`, `a`–`z`, `0`–`9`, `-`, `.`, `_`, `~`)
/// becomes `%XX`. So `/`, `?`, `#`, `%`, spaces and non-ASCII text in a key never change
/// which resource a path addresses.
///
/// The segments `.` and `..` pass unchanged; the generated operations reject them.
///
/// ```
/// use graph_resource_runtime::encode_path_segment;
///
/// assert_eq!(encode_path_segment("a/b c?#%é"), "a%2Fb%20c%3F%23%25%C3%A9");
/// assert_eq!(encode_path_segment("0f9a-B_x.y~z"), "0f9a-B_x.y~z");
/// ```
pub fn encode_path_segment(key: &str) -> String {
    let mut encoded = String::with_capacity(key.len());
    push_encoded(&mut encoded, key, b"");
    encoded
}

/// The byte a `%XX` escape stands for, given what follows the `%`, and the rest after it;
/// `None` unless two hex digits follow.
pub(crate) fn percent_escape(after: &[u8]) -> Option<(u8, &[u8])> {
    let ([high, low], rest) = after.split_first_chunk::<2>()?;
    let digit = |digit: u8| char::from(digit).to_digit(16);
    let value = digit(*high)? * 16 + digit(*low)?;
    Some((u8::try_from(value).ok()?, rest))
}

/// Percent-encodes `value` into `out`: every byte but the RFC 3986 unreserved characters
/// and those in `also_plain`.
pub(crate) fn push_encoded(out: &mut String, value: &str, also_plain: &[u8]) {
    for byte in value.bytes() {
        let unreserved = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
        if unreserved || also_plain.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0xF));
        }
    }
}

/// The uppercase hex digit of a nibble (`0..16`).
fn hex_digit(nibble: u8) -> char {
    char::from(if nibble < 10 {
        b'0' + nibble
    } else {
        b'A' + nibble - 10
    })
}

/// Displays a template as `/deviceManagement/intents/{intent_id}/assignments`.
struct Template<'a>(&'a [PathPart]);

impl fmt::Display for Template<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|part| match part {
            PathPart::Literal(text) => f.write_str(text),
            PathPart::Key(name) => write!(f, "{{{name}}}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved_characters() {
        for byte in 0..=u8::MAX {
            let text = [byte];
            let Ok(text) = std::str::from_utf8(&text) else {
                continue;
            };
            let encoded = encode_path_segment(text);
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                assert_eq!(encoded, text);
            } else {
                assert_eq!(encoded, format!("%{byte:02X}"));
            }
        }
        assert_eq!(encode_path_segment("ünï/code"), "%C3%BCn%C3%AF%2Fcode");
    }

    #[test]
    fn expands_templates_with_several_keys() {
        let parts = [
            Literal("/a/"),
            Key("a_id"),
            Literal("/b/"),
            Key("b_id"),
            Literal("/c"),
        ];
        assert_eq!(expand(&parts, &["x y", "z"]).unwrap(), "/a/x%20y/b/z/c");
        assert_eq!(expand(&[Literal("/me")], &[]).unwrap(), "/me");
        let error = expand(&parts, &["x", ".."]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid argument: b_id must not be `..`: it would address another resource"
        );
    }

    use PathPart::{Key, Literal};
}
