//! The recursion limit of kept text read back.
//!
//! serde_json passes over a value it keeps as text without counting how deep it nests, and
//! a reader of that text starts counting afresh. So that kept text read back nests no deeper
//! than the body it came from could, the text being read back is recorded on the thread
//! with how deep its root stands: text kept inside it, read back in turn, stands as deep as
//! where it is found in it, and the depth adds up along any chain of texts read back one
//! inside the other.

use std::cell::RefCell;

use serde::de;

use crate::read_ahead;

/// How deep serde_json nests arrays and objects before it stops with "recursion limit
/// exceeded".
const RECURSION_LIMIT: usize = 128;

thread_local! {
    /// The kept text being read back on this thread, innermost first.
    static READING: RefCell<Option<Reading>> = const { RefCell::new(None) };
}

/// Kept text being read back.
struct Reading {
    /// Where the text starts in memory, to tell whether text read from it lies in it.
    start: usize,
    /// Where it ends.
    end: usize,
    /// How many arrays and objects enclose its root in the body.
    base: usize,
    /// How its arrays and objects nest.
    nesting: Nesting,
}

impl Reading {
    /// How many arrays and objects enclose, in the body, the text at `address`; `None` when
    /// `address` is not in this text.
    fn depth_at(&self, address: usize) -> Option<usize> {
        if !(self.start..self.end).contains(&address) {
            return None;
        }
        let offset = address - self.start;
        let brackets = &self.nesting.brackets;
        let before = brackets.partition_point(|&(at, _)| at < offset);
        let open = match before.checked_sub(1).and_then(|last| brackets.get(last)) {
            Some(&(_, open)) => open,
            None => 0,
        };
        Some(self.base + open)
    }
}

/// How the arrays and objects of a JSON text nest.
pub(super) struct Nesting {
    /// How deep they nest, the text's own counted.
    deepest: usize,
    /// The offset of each bracket outside strings, in order, with how many arrays and
    /// objects are open after it.
    brackets: Vec<(usize, usize)>,
}

impl Nesting {
    /// The nesting of the JSON `text`, found without recursion; nothing for a string, a
    /// number, a boolean or null.
    pub(super) fn of(text: &str) -> Self {
        let mut nesting = Nesting {
            deepest: 0,
            brackets: Vec::new(),
        };
        nesting.add(0, 0, text.as_bytes());
        nesting
    }

    /// The nesting of the text of an object, to which [`value_at`](Nesting::value_at) adds
    /// each value and [`end`](Nesting::end) the closing brace.
    pub(super) fn object() -> Self {
        Nesting {
            deepest: 1,
            brackets: vec![(0, 1)],
        }
    }

    /// Adds the JSON text `value` of one of the object's values, at `offset` in its text.
    pub(super) fn value_at(&mut self, offset: usize, value: &str) {
        self.add(offset, 1, value.as_bytes());
    }

    /// Adds the object's closing brace, at `offset` in its text.
    pub(super) fn end(&mut self, offset: usize) {
        self.brackets.push((offset, 0));
    }

    /// Adds the brackets of `text`, which stands at `offset` inside `open` arrays and
    /// objects.
    fn add(&mut self, offset: usize, mut open: usize, text: &[u8]) {
        if !matches!(text.first(), Some(b'[' | b'{')) {
            return;
        }
        let mut at = 0usize;
        while let Some(&byte) = text.get(at) {
            match byte {
                // A string: to its closing quote, passing over escapes.
                b'"' => loop {
                    let Some(found) = text
                        .get(at + 1..)
                        .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
                    else {
                        return;
                    };
                    at += 1 + found;
                    if text.get(at) == Some(&b'"') {
                        break;
                    }
                    // A backslash and the character it escapes.
                    at += 1;
                },
                b'[' | b'{' => {
                    open += 1;
                    self.deepest = self.deepest.max(open);
                    self.brackets.push((offset + at, open));
                }
                b']' | b'}' => {
                    open = open.saturating_sub(1);
                    self.brackets.push((offset + at, open));
                }
                _ => {}
            }
            at += 1;
        }
    }
}

/// Where kept text stands in what it was kept from.
pub(super) enum Found<'a, I> {
    /// The text of an object made of entries kept from text: where any one of its parts
    /// (names and values) stands, less one.
    Inside(I),
    /// The text of a value kept from text: where it stands.
    At(&'a str),
}

impl<'a> Found<'a, std::iter::Empty<&'a str>> {
    /// The text of the value `text`, kept from text.
    pub(super) fn at(text: &'a str) -> Self {
        Found::At(text)
    }
}

/// Runs `read`, which reads back the kept JSON `text`, which nests as `nesting` says and
/// was found as `found` says, with a reader
/// of its own; "recursion limit exceeded" when the text would nest deeper there than
/// serde_json reads a body.
///
/// Kept text found in the text being read back, or else in a body on loan (as the client
/// reads answers), stands where it is found. Other kept text stands at its least depth when
/// nothing is being read back (kept from text that serde_json's `from_str` reads, which does
/// not say how deep it is: the body up to the text and the text each nest as deep as
/// serde_json reads), and below all of the text being read back otherwise (kept text whose
/// names and strings all had escapes, or text that another reader of JSON reads inside the
/// text being read back). No chain of texts read back one inside the other nests deeper
/// than that, and no stack grows with the input.
pub(super) fn read_back<'a, T, I: Iterator<Item = &'a str>>(
    text: &str,
    nesting: Nesting,
    found: Found<'a, I>,
    read: impl FnOnce() -> Result<T, serde_json::Error>,
) -> Result<T, serde_json::Error> {
    struct Restore(Option<Reading>);
    impl Drop for Restore {
        fn drop(&mut self) {
            READING.set(self.0.take());
        }
    }
    let base = READING.with_borrow(|reading| {
        if reading.is_none() && !read_ahead::lending() {
            return match found {
                Found::Inside(_) => 0,
                Found::At(_) => 1,
            };
        }
        // How many arrays and objects enclose the text at an address, in the text being read
        // back, or else in the body on loan.
        let depth_at = |address: usize| match reading {
            Some(reading) => reading.depth_at(address),
            None => read_ahead::depth_in_lent(address),
        };
        let (least, found) = match found {
            Found::Inside(mut parts) => (
                0,
                parts
                    .find_map(|part| depth_at(part.as_ptr() as usize))
                    .map(|depth| depth.saturating_sub(1)),
            ),
            Found::At(value) => (1, depth_at(value.as_ptr() as usize)),
        };
        match (found, reading) {
            (Some(depth), _) => depth,
            (None, Some(reading)) => reading.base + reading.nesting.deepest,
            (None, None) => least,
        }
    });
    if base + nesting.deepest >= RECURSION_LIMIT {
        return Err(de::Error::custom("recursion limit exceeded"));
    }
    let start = text.as_ptr() as usize;
    let reading = Reading {
        start,
        end: start + text.len(),
        base,
        nesting,
    };
    let _restore = Restore(READING.replace(Some(reading)));
    read()
}
