//! Where in a payload an error happened, as a path such as `value[3].target.groupId`.
//!
//! serde_path_to_error tracks the path through one deserializer. A polymorphic object whose
//! `@odata.type` came late is read again from a buffer, by another deserializer; its errors
//! then start with `at `inner.path`: `, which [`full_path`] joins to the outer path.

use serde_path_to_error::{Path, Segment};

/// The prefix of an error that happened inside a buffered object.
const INNER_PREFIX: &str = "at `";

/// `target.groupId`, `value[3].id`; `.` for the root. A key that is empty or holds
/// characters that would make the path ambiguous is quoted: `[""]`, `["a.b"]`.
pub(crate) fn json_path(path: &Path) -> String {
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                let plain = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_alphanumeric() || "_@$-".contains(c));
                if plain {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                } else {
                    let quoted = serde_json::to_string(key).unwrap_or_default();
                    out.push_str(&format!("[{quoted}]"));
                }
            }
            Segment::Unknown => out.push_str(if out.is_empty() { "?" } else { ".?" }),
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// The path of `path` followed by the inner path `message` starts with, if any.
pub(crate) fn full_path(path: &Path, message: &str) -> String {
    let outer = json_path(path);
    match split_inner_path(message) {
        Some((inner, _)) if outer == "." => inner.to_owned(),
        Some((inner, _)) if inner.starts_with('[') => format!("{outer}{inner}"),
        Some((inner, _)) => format!("{outer}.{inner}"),
        None => outer,
    }
}

/// An error message that names a path inside a buffered object, for that object's error.
pub(crate) fn with_inner_path(path: &Path, message: &str) -> String {
    let inner = full_path(path, message);
    let rest = split_inner_path(message).map_or(message, |(_, rest)| rest);
    format!("{INNER_PREFIX}{inner}`: {rest}")
}

/// The inner path an error message starts with, and the rest of the message.
pub(crate) fn split_inner_path(message: &str) -> Option<(&str, &str)> {
    message.strip_prefix(INNER_PREFIX)?.split_once("`: ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_paths_are_split_from_their_message() {
        assert_eq!(split_inner_path("at `a.b`: oops"), Some(("a.b", "oops")));
        assert_eq!(split_inner_path("invalid type"), None);
    }
}
