//! The recursion limit of kept values read back.
//!
//! serde_json passes over a value it keeps as text without counting how deep it nests, and
//! a reader of that text starts counting afresh. So that a kept value read back nests no
//! deeper than the body it came from could, the one being read back is recorded on the
//! thread with how deep it stands: a value kept inside it, and read back in turn, is part
//! of it and nests no deeper, so it needs no count of its own.

use std::cell::Cell;

use serde::de;

use crate::read_ahead;

/// How deep serde_json nests arrays and objects before it stops with "recursion limit
/// exceeded".
const RECURSION_LIMIT: usize = 128;

thread_local! {
    /// The kept value being read back on this thread, outside any other that is.
    static READING: Cell<Option<Reading>> = const { Cell::new(None) };
    /// How many models are being read on this thread, one inside the other.
    static LEVELS: Cell<usize> = const { Cell::new(0) };
}

/// A model being read: counted while it lives, so that a value kept from text that does not
/// say how deep it is stands at least as deep as the models around it.
pub(super) struct Level(());

impl Level {
    /// Counts a model being read on this thread.
    #[inline]
    pub(super) fn enter() -> Self {
        LEVELS.set(LEVELS.get().saturating_add(1));
        Level(())
    }
}

impl Drop for Level {
    #[inline]
    fn drop(&mut self) {
        LEVELS.set(LEVELS.get().saturating_sub(1));
    }
}

/// A kept value being read back.
#[derive(Clone, Copy)]
struct Reading {
    /// Where its text starts in memory, to tell whether text read from it lies in it.
    start: usize,
    /// Where it ends.
    end: usize,
    /// How deep it reaches in the body: the arrays and objects around it, and its own.
    reach: usize,
}

/// Runs `read`, which reads back `text`, the JSON text of a value kept from the body, with
/// a reader of its own; "recursion limit exceeded" when the value would nest deeper there
/// than serde_json reads a body.
///
/// A value stands where it is in a body on loan (as the client reads answers). Kept from
/// text that serde_json's `from_str` reads, which does not say how deep it is, it stands
/// inside the models being read around it: the arrays and maps around it are not counted.
/// Text that another reader of JSON reads inside a value being read back stands below all
/// of that value.
pub(super) fn read_back<T>(
    text: &str,
    read: impl FnOnce() -> Result<T, serde_json::Error>,
) -> Result<T, serde_json::Error> {
    let _back = ReadBack::begin(text)?;
    read()
}

/// A kept value being read back (see [`read_back`]), recorded on the thread until this is
/// dropped.
pub(super) struct ReadBack(Option<Option<Reading>>);

impl ReadBack {
    /// Records `text`, the JSON text of a kept value about to be read back; "recursion limit
    /// exceeded" when it would nest deeper there than serde_json reads a body.
    ///
    /// Not generic, so that one copy serves every reader of a kept value.
    pub(super) fn begin(text: &str) -> Result<Self, serde_json::Error> {
        let start = text.as_ptr() as usize;
        let outer = READING.get();
        if let Some(outer) = outer
            && (outer.start..outer.end).contains(&start)
        {
            return Ok(ReadBack(None));
        }
        let nesting = read_ahead::nesting(text.as_bytes());
        // A string, number, boolean or null holds nothing that nests.
        if nesting == 0 {
            return Ok(ReadBack(None));
        }
        let base = match outer {
            Some(outer) => outer.reach,
            // The value is inside an object whose own reading of its properties has not
            // begun.
            None => read_ahead::depth_in_lent(start).unwrap_or_else(|| LEVELS.get() + 1),
        };
        let reach = base + nesting;
        if reach >= RECURSION_LIMIT {
            return Err(de::Error::custom("recursion limit exceeded"));
        }
        Ok(ReadBack(Some(READING.replace(Some(Reading {
            start,
            end: start + text.len(),
            reach,
        })))))
    }
}

impl Drop for ReadBack {
    fn drop(&mut self) {
        if let Some(outer) = self.0 {
            READING.set(outer);
        }
    }
}
