//! A JSON scanner that names the object keys and array indices a position is inside of.
//!
//! It keeps its own stack instead of recursing, so nesting of any depth is read in constant
//! stack space, and it follows serde_json's reader closely enough to say, from where serde_json
//! stopped, which of its values (or which of their keys) was being read.

use serde_json::error::Category;

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// The value of an object's key.
    Key(String),
    /// An item of an array, from 0.
    Index(usize),
    /// Between an object's entries, or in a key that could not be read.
    Unknown,
}

/// An object or array the scan is inside of.
enum Frame {
    /// An object, with the last key read whole.
    Object(Option<String>),
    /// An array, with the index of its current item.
    Array(usize),
}

/// Where in the innermost object or array the scan is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    /// Before a value: at the root, after a colon, or after a comma in an array.
    Value,
    /// After `[`, before the first item or `]`.
    FirstItem,
    /// After `{`, before the first key or `}`.
    FirstKey,
    /// After a comma in an object, before a key.
    Key,
    /// In a key's string, which starts at this offset.
    InKey(usize),
    /// In a string value.
    InString,
    /// After a backslash in a key (with its start) or a string value.
    Escape(Option<usize>),
    /// In a `\u` escape with this many hex digits still to come.
    Unicode(Option<usize>, u8),
    /// In a number.
    Number(Number),
    /// In `true`, `false` or `null`, with these bytes still to come.
    Literal(&'static [u8]),
    /// After a key, before its colon.
    Colon,
    /// After a whole value.
    After,
}

/// The parts of a JSON number, as `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Number {
    Minus,
    Zero,
    Integer,
    Dot,
    Fraction,
    Exponent,
    ExponentSign,
    ExponentDigits,
    /// A digit after a leading `0`, which serde_json refuses as part of the number.
    LeadingZero,
}

impl Number {
    /// Whether the number read so far is a whole number.
    fn is_whole(self) -> bool {
        matches!(
            self,
            Number::Zero | Number::Integer | Number::Fraction | Number::ExponentDigits
        )
    }

    /// The state after `byte`; `None` when the number cannot go on with it.
    fn next(self, byte: u8) -> Option<Number> {
        Some(match (self, byte) {
            (Number::Minus, b'0') => Number::Zero,
            (Number::Minus, b'1'..=b'9') => Number::Integer,
            (Number::Integer, b'0'..=b'9') => Number::Integer,
            (Number::Zero | Number::Integer, b'.') => Number::Dot,
            (Number::Dot | Number::Fraction, b'0'..=b'9') => Number::Fraction,
            (Number::Zero | Number::Integer | Number::Fraction, b'e' | b'E') => Number::Exponent,
            (Number::Exponent, b'+' | b'-') => Number::ExponentSign,
            (Number::Exponent | Number::ExponentSign | Number::ExponentDigits, b'0'..=b'9') => {
                Number::ExponentDigits
            }
            (Number::Zero, b'0'..=b'9') => Number::LeadingZero,
            _ => return None,
        })
    }
}

/// The scan's state.
struct Scanner<'a> {
    text: &'a [u8],
    frames: Vec<Frame>,
    at: At,
    /// Whether the last byte read closed a string: a key (`true`) or a value.
    closed: Option<bool>,
}

/// Reading stopped at a byte serde_json would not have read past.
struct Refused;

/// The path serde_json was reading at `end` in `text`, when it stopped there with an error
/// of that `category`.
///
/// The rules follow which of serde_json's readers stops where: inside a value, the path is
/// that value's; between an object's entries (a comma, a brace, a key that is not a string),
/// it ends in [`Segment::Unknown`]; between an array's items, it is the array's; right after
/// a whole value, where a data error (an invalid type, a missing field) is reported, it is
/// that value's. `text` need not be UTF-8: a byte that is not is refused outside a string.
pub(crate) fn scan(text: &[u8], end: usize, category: Category) -> Vec<Segment> {
    let mut scanner = Scanner {
        text,
        frames: Vec::new(),
        at: At::Value,
        closed: None,
    };
    let mut refused = None;
    for (offset, &byte) in text.iter().enumerate().take(end) {
        scanner.closed = None;
        if scanner.step(offset, byte).is_err() {
            refused = Some(byte);
            break;
        }
    }
    // A syntax error right after a string's closing quote is the string's own, such as a
    // lone surrogate escape, which serde_json finds when it reaches the quote.
    if category == Category::Syntax && refused.is_none() {
        match scanner.closed {
            Some(true) => scanner.at = At::InKey(0),
            Some(false) => scanner.at = At::InString,
            None => {}
        }
    }
    scanner.path(refused, category == Category::Eof)
}

impl Scanner<'_> {
    /// Reads the byte at `offset`.
    fn step(&mut self, offset: usize, byte: u8) -> Result<(), Refused> {
        self.at = match self.at {
            At::Value | At::FirstItem if is_space(byte) => self.at,
            At::FirstItem if byte == b']' => self.close(),
            At::Value | At::FirstItem => self.open(byte)?,
            At::FirstKey | At::Key | At::Colon | At::After if is_space(byte) => self.at,
            At::FirstKey if byte == b'}' => self.close(),
            At::FirstKey | At::Key if byte == b'"' => At::InKey(offset),
            At::FirstKey | At::Key => return Err(Refused),
            At::Colon if byte == b':' => At::Value,
            At::Colon => return Err(Refused),
            At::InKey(start) => match byte {
                b'"' => {
                    let key = self.key(start, offset);
                    if let Some(Frame::Object(current)) = self.frames.last_mut() {
                        *current = Some(key);
                    }
                    self.closed = Some(true);
                    At::Colon
                }
                b'\\' => At::Escape(Some(start)),
                0..=0x1f => return Err(Refused),
                _ => self.at,
            },
            At::InString => match byte {
                b'"' => {
                    self.closed = Some(false);
                    At::After
                }
                b'\\' => At::Escape(None),
                0..=0x1f => return Err(Refused),
                _ => self.at,
            },
            At::Escape(key) => match byte {
                b'u' => At::Unicode(key, 4),
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => in_string(key),
                _ => return Err(Refused),
            },
            At::Unicode(key, left) if byte.is_ascii_hexdigit() => match left {
                1 => in_string(key),
                _ => At::Unicode(key, left - 1),
            },
            At::Unicode(..) => return Err(Refused),
            At::Number(number) => match number.next(byte) {
                Some(Number::LeadingZero) => {
                    self.at = At::Number(Number::LeadingZero);
                    return Err(Refused);
                }
                Some(number) => At::Number(number),
                None if number.is_whole() => {
                    self.at = At::After;
                    return self.step(offset, byte);
                }
                None => return Err(Refused),
            },
            At::Literal([expected, rest @ ..]) if byte == *expected => match rest {
                [] => At::After,
                _ => At::Literal(rest),
            },
            At::Literal(_) => return Err(Refused),
            At::After => match (self.frames.last_mut(), byte) {
                (Some(Frame::Object(_)), b',') => At::Key,
                (Some(Frame::Object(_)), b'}') | (Some(Frame::Array(_)), b']') => self.close(),
                (Some(Frame::Array(index)), b',') => {
                    *index += 1;
                    At::Value
                }
                _ => return Err(Refused),
            },
        };
        Ok(())
    }

    /// Starts the value whose first byte is `byte`.
    fn open(&mut self, byte: u8) -> Result<At, Refused> {
        Ok(match byte {
            b'{' => {
                self.frames.push(Frame::Object(None));
                At::FirstKey
            }
            b'[' => {
                self.frames.push(Frame::Array(0));
                At::FirstItem
            }
            b'"' => At::InString,
            b'-' => At::Number(Number::Minus),
            b'0' => At::Number(Number::Zero),
            b'1'..=b'9' => At::Number(Number::Integer),
            b't' => At::Literal(b"rue"),
            b'f' => At::Literal(b"alse"),
            b'n' => At::Literal(b"ull"),
            _ => return Err(Refused),
        })
    }

    /// Ends the innermost object or array.
    fn close(&mut self) -> At {
        self.frames.pop();
        At::After
    }

    /// The key whose string runs from the quote at `start` to the one at `end`, unescaped.
    fn key(&self, start: usize, end: usize) -> String {
        let raw = self.text.get(start..=end).unwrap_or_default();
        let text = std::str::from_utf8(raw).unwrap_or_default();
        serde_json::from_str(text).unwrap_or_else(|_| {
            let inside = raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default();
            String::from_utf8_lossy(inside).into_owned()
        })
    }

    /// The path where the scan stopped: at a `refused` byte, or at its end, which an
    /// error saying the input ended too soon (`eof`) or one about a value's data marks.
    fn path(self, refused: Option<u8>, eof: bool) -> Vec<Segment> {
        let Some((top, outer)) = self.frames.split_last() else {
            return Vec::new();
        };
        let mut path: Vec<Segment> = outer
            .iter()
            .map(|frame| match frame {
                Frame::Object(key) => key.clone().map_or(Segment::Unknown, Segment::Key),
                Frame::Array(index) => Segment::Index(*index),
            })
            .collect();
        // Whether reading stopped before the data error of a whole value.
        let between = refused.is_some() || eof;
        let at = match self.at {
            At::Number(number) if number.is_whole() => At::After,
            at => at,
        };
        let last = match top {
            Frame::Object(key) => {
                let key = || key.clone().map_or(Segment::Unknown, Segment::Key);
                match at {
                    At::FirstKey | At::Key | At::InKey(_) => Some(Segment::Unknown),
                    At::Escape(Some(_)) | At::Unicode(Some(_), _) => Some(Segment::Unknown),
                    // A colon that is not there is the object's error; a key its reader
                    // refused is the key's.
                    At::Colon if between => None,
                    At::After if between => Some(Segment::Unknown),
                    _ => Some(key()),
                }
            }
            Frame::Array(index) => {
                let item = Some(Segment::Index(*index));
                match at {
                    // An array that ends too soon, or after a comma, is the array's error.
                    At::FirstItem | At::Value if eof && refused.is_none() => None,
                    At::Value if refused == Some(b']') => None,
                    At::After if between => None,
                    _ => item,
                }
            }
        };
        path.extend(last);
        path
    }
}

/// In the string (a key starting at this offset, or a value) an escape was in.
fn in_string(key: Option<usize>) -> At {
    key.map_or(At::InString, At::InKey)
}

/// JSON's whitespace.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}
