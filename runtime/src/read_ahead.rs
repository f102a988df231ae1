//! A look ahead in the text being read, for the `@odata.type` of an object whose first
//! property comes before it: the object is then read once, into its variant, instead of
//! being kept aside and read again once its type is known.
//!
//! serde_json does not say where it is, but a property name it lends from the text does:
//! while [`lend`] runs, the thread borrows the bytes being read, and [`type_after`] looks at
//! the text after a lent name. Text read any other way (serde_json's
//! `from_str` called directly, a reader, another deserializer) is not looked at, and such
//! objects are kept aside as before.

use std::cell::Cell;
use std::sync::LazyLock;

use bytes::Bytes;
use memchr::memmem::Finder;
use serde::de::DeserializeOwned;

scoped_tls::scoped_thread_local! {
    /// The body on loan to this thread, borrowed while it is read: its bytes are the text
    /// being read.
    static OWNER: Bytes
}

thread_local! {
    /// How many more bytes looking ahead may cover in the text on loan, so that objects
    /// nested in objects that were looked over already cannot make the reading quadratic:
    /// past it, objects are kept aside, which is linear.
    static BUDGET: Cell<usize> = const { Cell::new(0) };
    /// How far [`depth_in_lent`] walked the text on loan, once it was asked.
    static WALKS: Cell<Option<Box<Walks>>> = const { Cell::new(None) };
    /// Whether `WALKS` holds a walk: asked first, as it costs less than `WALKS`.
    static WALKED: Cell<bool> = const { Cell::new(false) };
    /// The address of the text on loan and the address past its end; `(0, 0)` when none
    /// is: [`lent`] asks it for the cost of a compare, where `OWNER` costs a call.
    static SPAN: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

/// Runs `read` with the text `owner` holds lent to the thread: objects whose type comes
/// after a property are looked ahead in it. `read` reads `owner`'s bytes, as text.
///
/// Nothing is cloned: the thread borrows `owner` while `read` runs. An enclosing loan is
/// set aside while `read` runs and is on loan again after it, where its look ahead and its
/// walk stopped, also when `read` unwinds.
pub(crate) fn lend<R>(owner: &Bytes, read: impl FnOnce() -> R) -> R {
    /// What the enclosing loan had, given back when this one ends.
    struct Enclosing {
        budget: usize,
        span: (usize, usize),
        walks: Option<Box<Walks>>,
    }
    impl Drop for Enclosing {
        #[inline]
        fn drop(&mut self) {
            BUDGET.set(self.budget);
            SPAN.set(self.span);
            if WALKED.get() || self.walks.is_some() {
                // The walk of the loan that ends is dropped here.
                drop(take_walks());
                WALKED.set(put_walks(self.walks.take()));
            }
        }
    }
    let walks = if WALKED.get() {
        WALKED.set(false);
        take_walks()
    } else {
        None
    };
    let budget = owner.len().saturating_mul(2).saturating_add(4096);
    let start = owner.as_ptr() as usize;
    let _enclosing = Enclosing {
        budget: BUDGET.replace(budget),
        span: SPAN.replace((start, start.saturating_add(owner.len()))),
        walks,
    };
    OWNER.set(owner, read)
}

/// The walk of the loan under way, taken from the thread; none once the thread's
/// thread-locals are being destroyed (a read in another thread-local's destructor).
fn take_walks() -> Option<Box<Walks>> {
    WALKS.try_with(Cell::take).ok().flatten()
}

/// Puts `walks` on the thread as the walk of the loan under way; whether it is there (not
/// when the thread's thread-locals are being destroyed: it is dropped then).
fn put_walks(walks: Option<Box<Walks>>) -> bool {
    let held = walks.is_some();
    WALKS.try_with(|slot| slot.set(walks)).is_ok() && held
}

/// Whether text is on loan to this thread; told by its span, which costs less to read than
/// the loan itself.
#[inline]
pub(crate) fn lending() -> bool {
    SPAN.get().1 != 0
}

/// Reads a `T` from a JSON body, as the client reads an answer: as `serde_json::from_slice`
/// would, but a body that is not UTF-8 fails at once (RFC 8259 §8.1), and an object whose
/// `@odata.type` comes after its properties is read in one pass.
///
/// ```
/// # use graph_resource_runtime::{Bytes, UntypedResource, from_json};
/// let body = Bytes::from_static(br##"{"id":"1","@odata.type":"#microsoft.graph.user"}"##);
/// let user: UntypedResource = from_json(&body)?;
/// assert_eq!(user.odata_type.as_deref(), Some("#microsoft.graph.user"));
/// assert_eq!(user.properties["id"], "1");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn from_json<T: DeserializeOwned>(body: &Bytes) -> Result<T, serde_json::Error> {
    let text = crate::text::utf8(body).map_err(|error| {
        <serde_json::Error as serde::de::Error>::custom(crate::text::not_utf8_message(body, &error))
    })?;
    lend(body, || serde_json::from_str(text))
}

/// What the rest of an object says of its `@odata.type`.
#[derive(Debug, PartialEq)]
pub(crate) enum Ahead<'t> {
    /// Its first `@odata.type`, a string without escapes.
    Type(&'t [u8]),
    /// It has none.
    Untyped,
}

/// Looks at the rest of the object that `key`, a property name just read, belongs to, and
/// hands what it says of the object's type to `decide`; `None` when `key` was not lent from
/// text on loan, the budget is spent, or the text is not plain enough to tell (an escape in
/// a name or in the type, a value that is not a string, an object that does not end):
/// reading the object as it comes tells then.
pub(crate) fn type_after<R>(key: &str, decide: impl FnOnce(Ahead<'_>) -> Option<R>) -> Option<R> {
    if !OWNER.is_set() {
        return None;
    }
    OWNER.with(|text| {
        // Where the key's closing quote is in the text, if the key is in it at all.
        let offset = (key.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
        let rest = text.get(offset.checked_add(key.len())?..)?;
        let budget = BUDGET.get();
        let (ahead, looked) = scan(rest.get(..budget).unwrap_or(rest));
        BUDGET.set(budget.saturating_sub(looked));
        decide(ahead?)
    })
}

/// Whether `name`, a property name just read, was lent from the text on loan. When
/// serde_json read it from that text, its value follows it there, where
/// [`with_value_after`] finds it once it was read.
#[inline]
pub(crate) fn lent(name: &str) -> bool {
    let (start, end) = SPAN.get();
    let at = name.as_ptr() as usize;
    // The name's closing quote is in the text too.
    start <= at && at.saturating_add(name.len()) < end
}

/// Hands `read` the JSON text of the value of `name`, a property name [`lent`] from the text
/// on loan whose value serde_json has read from it (so that the text there is a whole
/// value), borrowed from that text; `None` when `name` is not in the text on loan or not
/// followed there by a colon and a value.
pub(crate) fn with_value_after<R>(name: &str, read: impl FnOnce(&str) -> R) -> Option<R> {
    if !OWNER.is_set() {
        return None;
    }
    OWNER.with(|text| {
        let offset = (name.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
        let quote = offset.checked_add(name.len())?;
        (text.get(quote) == Some(&b'"')).then_some(())?;
        let colon = skip_whitespace(text, quote + 1);
        (text.get(colon) == Some(&b':')).then_some(())?;
        let start = skip_whitespace(text, colon + 1);
        let end = value_end(text, start)?;
        let value = std::str::from_utf8(text.get(start..end)?).ok()?;
        Some(read(value))
    })
}

/// The index past the end of the JSON value that starts at `at` in `text`, which holds a
/// whole one there.
fn value_end(text: &[u8], mut at: usize) -> Option<usize> {
    let mut depth = 0usize;
    loop {
        match *text.get(at)? {
            b'"' => {
                at = string_end(text, at + 1)?.0;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            b'{' | b'[' => depth += 1,
            // A number or a literal ends where the object around it goes on or ends.
            b'}' | b']' | b',' if depth == 0 => return Some(at),
            byte if depth == 0 && is_whitespace(byte) => return Some(at),
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            _ => {}
        }
        at += 1;
    }
}

/// How many arrays and objects are open, in the text on loan, at `address`; `None` when
/// `address` is not in text on loan.
///
/// The text is walked on from where the last call stopped, as the objects of a body are
/// mostly read in order, or else from the last of the places it was seen at every 4 KiB:
/// asking for each costs the text once, and reading it again (as `#[serde(untagged)]` does)
/// costs at most 4 KiB more a time.
pub(crate) fn depth_in_lent(address: usize) -> Option<usize> {
    if !OWNER.is_set() {
        return None;
    }
    OWNER.with(|text| {
        let offset = address
            .checked_sub(text.as_ptr() as usize)
            .filter(|&offset| offset < text.len())?;
        let walked = if WALKED.get() { take_walks() } else { None };
        let mut walks = walked.unwrap_or_else(|| Box::new(Walks::new()));
        let depth = walks.depth_at(text, offset);
        WALKED.set(put_walks(Some(walks)));
        depth
    })
}

/// The walks of the text on loan for [`depth_in_lent`].
struct Walks {
    /// Where the last walk stopped.
    last: Walked,
    /// Where a walk was, every [`Walks::EVERY`] bytes from the start, in order.
    seen: Vec<Walked>,
}

impl Walks {
    /// How many bytes apart the places kept in [`Walks::seen`] are.
    const EVERY: usize = 4096;

    /// Walks of the text on loan, from its start.
    fn new() -> Self {
        Walks {
            last: Walked::at(0),
            seen: Vec::new(),
        }
    }

    /// How many arrays and objects are open at `offset` in `text`; `None` when `offset` is
    /// before the start.
    fn depth_at(&mut self, text: &[u8], offset: usize) -> Option<usize> {
        if self.seen.is_empty() {
            self.seen.push(self.last);
        }
        let before = self.seen.partition_point(|seen| seen.at <= offset);
        let nearest = *self.seen.get(before.checked_sub(1)?)?;
        if self.last.at > offset || nearest.at > self.last.at {
            self.last = nearest;
        }
        loop {
            let furthest = self.seen.last().map_or(0, |seen| seen.at);
            let next = furthest + Self::EVERY;
            if self.last.at < furthest || offset < next {
                self.last.to(text, offset);
                return Some(self.last.open);
            }
            self.last.to(text, next);
            self.seen.push(self.last);
        }
    }
}

/// How deep the arrays and objects of the JSON `text` nest, its own counted, found without
/// recursion; none for a string, a number, a boolean or null.
pub(crate) fn nesting(text: &[u8]) -> usize {
    if !matches!(text.first(), Some(b'[' | b'{')) {
        return 0;
    }
    let mut walked = Walked::at(0);
    walked.to(text, text.len());
    walked.deepest
}

/// Where a walk of JSON text stopped, and what it found open there.
#[derive(Clone, Copy)]
struct Walked {
    /// The offset it stopped at.
    at: usize,
    /// The arrays and objects open there.
    open: usize,
    /// The most that were open at once on the way.
    deepest: usize,
    /// Whether it stopped inside a string, and after a backslash in it.
    in_string: bool,
    escaped: bool,
}

impl Walked {
    /// A walk that starts at `at`.
    const fn at(at: usize) -> Self {
        Walked {
            at,
            open: 0,
            deepest: 0,
            in_string: false,
            escaped: false,
        }
    }

    /// Walks on in `text` to `offset`.
    fn to(&mut self, text: &[u8], offset: usize) {
        let end = offset.min(text.len());
        while self.at < end {
            let rest = text.get(self.at..end).unwrap_or_default();
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    self.at += 1;
                    continue;
                }
                // To the next quote or backslash, many bytes at a time.
                let Some(found) = memchr::memchr2(b'"', b'\\', rest) else {
                    self.at = end;
                    break;
                };
                match rest.get(found) {
                    Some(b'"') => self.in_string = false,
                    _ => self.escaped = true,
                }
                self.at += found + 1;
                continue;
            }
            match rest.first() {
                Some(b'"') => self.in_string = true,
                Some(b'[' | b'{') => {
                    self.open += 1;
                    self.deepest = self.deepest.max(self.open);
                }
                Some(b']' | b'}') => self.open = self.open.saturating_sub(1),
                _ => {}
            }
            self.at += 1;
        }
        self.at = offset.max(self.at);
    }
}

/// `"@odata.type"`, as it stands in the text when it names a property.
const TYPE_NAME: &[u8] = b"\"@odata.type\"";

/// Finds [`TYPE_NAME`], built once.
static TYPE_NAME_FINDER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(TYPE_NAME));

/// Finds the first `@odata.type` of the object in `rest`, which starts at the closing quote
/// of one of the object's property names; with the number of bytes looked at.
fn scan(rest: &[u8]) -> (Option<Ahead<'_>>, usize) {
    // Before the first brace, which ends the object or starts an object inside it, a
    // property named `@odata.type` is the object's own; without one, a closing brace that
    // is not inside a string (no escape before it, and an odd number of quotes, the first
    // closing the name) ends the object, which has no type. memchr and memmem tell either in a fraction of the time
    // that walking the text takes.
    let first_brace = memchr::memchr2(b'{', b'}', rest).unwrap_or(rest.len());
    let looked = first_brace + 1;
    let Some(before_brace) = rest.get(..first_brace) else {
        return walk(rest);
    };
    match TYPE_NAME_FINDER.find(before_brace) {
        // Without an escape before it, no name before it is `@odata.type` escaped.
        Some(at)
            if is_name(rest, at)
                && memchr::memchr(b'\\', before_brace.get(..at).unwrap_or_default()).is_none() =>
        {
            return (type_value(rest, at + TYPE_NAME.len()), looked);
        }
        None if rest.get(first_brace) == Some(&b'}')
            && memchr::memchr(b'\\', before_brace).is_none()
            // The first quote closes the name `rest` starts after.
            && memchr::memchr_iter(b'"', before_brace).count() % 2 == 1 =>
        {
            return (Some(Ahead::Untyped), looked);
        }
        _ => {}
    }
    walk(rest)
}

/// Whether the `"@odata.type"` at `at` in `text` is a property name: after a comma (the
/// quote is then not inside a string, where it would follow a backslash) and before a colon
/// (a string before a colon is a name).
fn is_name(text: &[u8], at: usize) -> bool {
    let before = text.get(..at).unwrap_or_default();
    let comma = before.iter().rev().find(|&&byte| !is_whitespace(byte)) == Some(&b',');
    let after = skip_whitespace(text, at + TYPE_NAME.len());
    comma && text.get(after) == Some(&b':')
}

/// Walks `rest` as [`scan`] does, string by string and bracket by bracket.
fn walk(rest: &[u8]) -> (Option<Ahead<'_>>, usize) {
    let mut depth = 0usize;
    // Whether a string at the object's own level is a property name.
    let mut name_next = false;
    let mut at = 1;
    while let Some(&byte) = rest.get(at) {
        match byte {
            b'"' => {
                let Some((end, escaped)) = string_end(rest, at + 1) else {
                    return (None, rest.len());
                };
                if depth == 0 && name_next {
                    if escaped {
                        return (None, end);
                    }
                    if rest.get(at..=end) == Some(TYPE_NAME) {
                        return (type_value(rest, end + 1), end);
                    }
                    name_next = false;
                }
                at = end;
            }
            b'{' | b'[' => depth += 1,
            b'}' if depth == 0 => return (Some(Ahead::Untyped), at),
            b']' if depth == 0 => return (None, at),
            b'}' | b']' => depth -= 1,
            b',' if depth == 0 => name_next = true,
            _ => {}
        }
        at += 1;
    }
    (None, rest.len())
}

/// The index of the quote that ends the string whose characters start at `start`, and
/// whether it has escapes.
fn string_end(text: &[u8], start: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    let mut at = start;
    loop {
        at = quote_or_backslash(text, at)?;
        if text.get(at) == Some(&b'"') {
            return Some((at, escaped));
        }
        escaped = true;
        at += 2;
    }
}

/// The index of the first `"` or `\` at or after `at`, looked for eight bytes at a time.
fn quote_or_backslash(text: &[u8], mut at: usize) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH_BITS: u64 = ONES << 7;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    while let Some(chunk) = text.get(at..at.saturating_add(8)) {
        let word = u64::from_le_bytes(chunk.try_into().ok()?);
        // A byte of `quote` or `backslash` is zero where `word` has that character; the
        // lowest byte flagged below is the first such byte (a flag above it may be false).
        let (quote, backslash) = (word ^ QUOTES, word ^ BACKSLASHES);
        let flagged = (quote.wrapping_sub(ONES) & !quote
            | backslash.wrapping_sub(ONES) & !backslash)
            & HIGH_BITS;
        if flagged != 0 {
            return Some(at + flagged.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let tail = text.get(at..)?;
    tail.iter()
        .position(|&byte| byte == b'"' || byte == b'\\')
        .map(|found| at + found)
}

/// The string value that follows the `@odata.type` name that ends just before `at`, when it
/// is one without escapes.
fn type_value(text: &[u8], at: usize) -> Option<Ahead<'_>> {
    let at = skip_whitespace(text, at);
    (*text.get(at)? == b':').then_some(())?;
    let at = skip_whitespace(text, at + 1);
    (*text.get(at)? == b'"').then_some(())?;
    let (end, escaped) = string_end(text, at + 1)?;
    if escaped {
        return None;
    }
    Some(Ahead::Type(text.get(at + 1..end)?))
}

/// The index of the first byte at or after `at` that is not JSON whitespace.
fn skip_whitespace(text: &[u8], mut at: usize) -> usize {
    while text.get(at).is_some_and(|&byte| is_whitespace(byte)) {
        at += 1;
    }
    at
}

/// Whether `byte` is JSON whitespace.
fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\n' | b'\r' | b'\t')
}

#[cfg(test)]
mod tests;
