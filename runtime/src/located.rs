//! Where in a payload an error happened, as a path such as `value[3].target.groupId`.
//!
//! serde_json says where it stopped reading as a line and column; [`error_path`] reads the
//! text up to there ([`scan`]) and names the object keys and array indices it is inside of,
//! so that a decode is never run a second time to find them. A polymorphic object whose
//! `@odata.type` came late is read again from a buffer, by another deserializer; its errors
//! then start with `at `inner.path`: `, which [`error_path`] joins to the outer path.

mod scan;
#[cfg(test)]
mod tests;

pub(crate) use scan::{Segment, scan};

/// The prefix of an error that happened inside a buffered object.
const INNER_PREFIX: &str = "at `";

/// A JSON path being written: `target.groupId`, `value[3].id`; `.` for the root. A key
/// that is empty or holds characters that would make the path ambiguous is quoted: `[""]`,
/// `["a.b"]`; a key that could not be read is `?`.
#[derive(Debug, Default)]
pub(crate) struct JsonPath(String);

impl JsonPath {
    /// Appends one segment.
    pub(crate) fn push(&mut self, segment: &Segment) {
        let out = &mut self.0;
        match segment {
            Segment::Index(index) => out.push_str(&format!("[{index}]")),
            Segment::Key(key) => {
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

    /// Appends a path written by [`JsonPath::finish`], relative to this one.
    pub(crate) fn push_path(&mut self, inner: &str) {
        if inner == "." {
            return;
        }
        if !(self.0.is_empty() || inner.starts_with('[')) {
            self.0.push('.');
        }
        self.0.push_str(inner);
    }

    /// The path; `.` for the root.
    pub(crate) fn finish(self) -> String {
        if self.0.is_empty() {
            ".".to_owned()
        } else {
            self.0
        }
    }
}

/// The path in `text` where reading it stopped with `error`, followed by the inner path the
/// error's message starts with, if any.
pub(crate) fn error_path(text: &[u8], error: &serde_json::Error) -> String {
    let mut path = JsonPath::default();
    if error.line() > 0 {
        let end = offset_of(text, error.line(), error.column());
        for segment in scan(text, end, error.classify()) {
            path.push(&segment);
        }
    }
    if let Some((inner, _)) = split_inner_path(&error.to_string()) {
        path.push_path(inner);
    }
    path.finish()
}

/// The byte offset of serde_json's `line` (from 1) and `column` (bytes read on that line).
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        text.iter()
            .enumerate()
            .filter(|&(_, &byte)| byte == b'\n')
            .nth(line - 2)
            .map_or(text.len(), |(newline, _)| newline + 1)
    };
    start.saturating_add(column).min(text.len())
}

/// `error`'s message without the line and column serde_json adds to it.
pub(crate) fn message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    if error.line() == 0 {
        return message;
    }
    let position = format!(" at line {} column {}", error.line(), error.column());
    match message.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => message,
    }
}

/// An error message that names `path` inside a buffered object (`.` for the object
/// itself, which then is not named) before what `message` says.
pub(crate) fn with_inner_path(path: &str, message: &str) -> String {
    if path == "." {
        return message.to_owned();
    }
    let rest = split_inner_path(message).map_or(message, |(_, rest)| rest);
    format!("{INNER_PREFIX}{path}`: {rest}")
}

/// The inner path an error message starts with, and the rest of the message.
pub(crate) fn split_inner_path(message: &str) -> Option<(&str, &str)> {
    message.strip_prefix(INNER_PREFIX)?.split_once("`: ")
}
