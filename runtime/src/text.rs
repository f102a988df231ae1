//! Text helpers for messages: quoting at most so many characters of what came from
//! elsewhere, excerpts of bodies, status lines.

use std::fmt;

use http::StatusCode;
use serde_json::Value;

/// How many characters of a message from elsewhere an error shows: serde quotes a wrong
/// value of megabytes whole, and a server's message can be as long as it likes.
pub(crate) const MESSAGE_CHARS: usize = 300;

/// How much of a wrong value an error message of this crate quotes.
pub(crate) const QUOTED_CHARS: usize = 100;

/// A text shown up to `.1` characters, `…` marking a cut.
pub(crate) struct Shortened<'a>(pub(crate) &'a str, pub(crate) usize);

impl fmt::Display for Shortened<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(self.1) {
            Some((cut, _)) => write!(f, "{}…", self.0.get(..cut).unwrap_or_default()),
            None => f.write_str(self.0),
        }
    }
}

/// The first `max` bytes of `body` or fewer, cut on a character boundary, lossy UTF-8.
pub(crate) fn excerpt(body: &[u8], max: usize) -> String {
    let mut end = body.len().min(max);
    // Step back over the (at most 3) continuation bytes of a cut character.
    let floor = end.saturating_sub(3);
    while end > floor && body.get(end).is_some_and(|byte| byte & 0xC0 == 0x80) {
        end -= 1;
    }
    String::from_utf8_lossy(body.get(..end).unwrap_or_default()).into_owned()
}

/// `400 Bad Request`, or just the number for a status without a standard reason.
pub(crate) struct StatusLine(pub(crate) StatusCode);

impl fmt::Display for StatusLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.canonical_reason() {
            Some(reason) => write!(f, "{} {reason}", self.0.as_u16()),
            None => write!(f, "{}", self.0.as_u16()),
        }
    }
}

/// `an object`, `a string`, …: what a JSON value is, for messages.
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A URL as error messages and traces show it: every query value replaced by `REDACTED`,
/// the parameter names kept. A `$filter` or `$search` may carry personal data, and a next
/// or delta link a token of its own.
///
/// A name ends at its first `=`, or at a percent-encoded one (`%3D`), which some servers
/// write; a query element with neither is all value, and shown as `REDACTED`. A fragment
/// is redacted too.
pub(crate) struct RedactedUrl<'a>(pub(crate) &'a str);

impl fmt::Display for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (url, fragment) = match self.0.split_once('#') {
            Some((url, _)) => (url, "#REDACTED"),
            None => (self.0, ""),
        };
        let Some((base, query)) = url.split_once('?') else {
            write_without_user_info(f, url)?;
            return f.write_str(fragment);
        };
        write_without_user_info(f, base)?;
        f.write_str("?")?;
        for (index, pair) in query.split('&').enumerate() {
            if index > 0 {
                f.write_str("&")?;
            }
            match query_name(pair) {
                Some(name) => write!(f, "{name}=REDACTED")?,
                None => f.write_str("REDACTED")?,
            }
        }
        f.write_str(fragment)
    }
}

/// `url` (without query or fragment) with the user info of its authority, which may hold a
/// password, as `REDACTED`.
fn write_without_user_info(f: &mut fmt::Formatter<'_>, url: &str) -> fmt::Result {
    let start = match url.find("://") {
        Some(scheme) => scheme + 3,
        None if url.starts_with("//") => 2,
        None => return f.write_str(url),
    };
    let rest = url.get(start..).unwrap_or_default();
    let authority = rest.split('/').next().unwrap_or_default();
    match (
        url.get(..start),
        authority.rfind('@').and_then(|at| rest.get(at..)),
    ) {
        (Some(scheme), Some(host_on)) => write!(f, "{scheme}REDACTED{host_on}"),
        _ => f.write_str(url),
    }
}

/// The name of a query element: what comes before its first `=` or `%3D`, if it has one.
fn query_name(pair: &str) -> Option<&str> {
    let bytes = pair.as_bytes();
    let end = (0..bytes.len()).find(|&at| {
        bytes.get(at) == Some(&b'=')
            || bytes
                .get(at..at + 3)
                .is_some_and(|escape| escape.eq_ignore_ascii_case(b"%3d"))
    })?;
    pair.get(..end)
}

/// `body` as text: checked by `simdutf8`, 64 bytes at a time with AVX2 or SSE 4.2 on
/// x86-64 and NEON on AArch64 (a body under 64 bytes, or on another processor, by the
/// standard library), and, when that check fails, again by the standard library, whose
/// error says where the first byte that is not UTF-8 is.
///
/// The whole body is checked once before it is read: cheaper than checking each string as
/// it is read, and for a body of 1 KB about 260 instructions fewer than
/// `std::str::from_utf8` with AVX2.
#[inline]
pub(crate) fn utf8(body: &[u8]) -> Result<&str, std::str::Utf8Error> {
    match simdutf8::basic::from_utf8(body) {
        Ok(text) => Ok(text),
        Err(_) => std::str::from_utf8(body),
    }
}

/// What is wrong with `body`, which is not UTF-8 as `utf8` says: where its first byte that
/// is not is.
#[cold]
#[inline(never)]
pub(crate) fn not_utf8_message(body: &[u8], utf8: &std::str::Utf8Error) -> String {
    let offset = utf8.valid_up_to();
    let before = body.get(..offset).unwrap_or_default();
    let line = 1 + before.iter().filter(|&&byte| byte == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |newline| newline + 1);
    let column = offset - line_start + 1;
    let byte = body.get(offset).copied().unwrap_or_default();
    match utf8.error_len() {
        Some(_) => format!(
            "expected JSON, which is UTF-8 (RFC 8259 §8.1), found the byte 0x{byte:02X}, which \
             is not UTF-8, at line {line} column {column} (byte offset {offset})"
        ),
        // A character cut short by the body's end, as a truncated body has.
        None => format!(
            "EOF while parsing the UTF-8 character that starts with the byte 0x{byte:02X} at \
             line {line} column {column} (byte offset {offset})"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether [`utf8`] accepts `bytes` exactly when `std::str::from_utf8` does. (Its error
    /// is the standard library's by construction; what could differ is the SIMD check
    /// accepting bytes that are not UTF-8, or refusing bytes that are.)
    fn agrees_with_std(bytes: &[u8]) -> bool {
        match (utf8(bytes), std::str::from_utf8(bytes)) {
            (Ok(ours), Ok(std)) => ours == std,
            (Err(_), Err(_)) => true,
            _ => false,
        }
    }

    /// Text of every width of character, and the bytes that break it: a lone continuation
    /// byte, lead bytes without their continuations, overlong forms, surrogates, a code
    /// point past U+10FFFF, a five-byte form, bytes never in UTF-8; and a BOM.
    const PIECES: [&[u8]; 17] = [
        "é".as_bytes(),
        "€".as_bytes(),
        "😀".as_bytes(),
        b"\xEF\xBB\xBF",
        b"\x80",
        b"\xC3",
        b"\xE2\x82",
        b"\xF0\x9F\x98",
        b"\xC0\xAF",
        b"\xE0\x80\x80",
        b"\xED\xA0\x80",
        b"\xED\xBF\xBF",
        b"\xF4\x90\x80\x80",
        b"\xF8\x88\x80\x80\x80",
        b"\xFF",
        b"\xFE",
        b"\x00",
    ];

    #[test]
    fn utf8_agrees_with_the_standard_library_at_every_edge_of_the_simd_checks_blocks() {
        // The SIMD check reads 64 bytes at a time and hands bodies under 64 bytes to the
        // standard library: each piece, inserted and written over the text, a few bytes
        // before and after the first 64-byte edges, the last two and the end of bodies of
        // up to 64 KiB of ASCII and 4 KiB of text that is not, which takes the check off
        // its ASCII path.
        for len in [
            0usize, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 191, 192, 193, 1000,
            1024, 4095, 4096, 4097, 65_537,
        ] {
            let ascii: Vec<u8> = (0..len).map(|i| b' ' + (i % 90) as u8).collect();
            let mixed: Vec<u8> = "é".repeat(len.min(4097) / 2).into_bytes();
            for base in [&ascii, &mixed] {
                assert!(agrees_with_std(base), "len {len}");
                // The first edges, the last two and the end.
                let len = base.len();
                let last = len - len % 64;
                for edge in [0, 64, 128, 192, 256, last.saturating_sub(64), last, len] {
                    for at in edge.saturating_sub(5).min(len)..=(edge + 5).min(len) {
                        for piece in PIECES {
                            let mut inserted = base.clone();
                            inserted.splice(at..at, piece.iter().copied());
                            assert!(agrees_with_std(&inserted), "len {len} at {at} {piece:?}");
                            let mut written = base.clone();
                            written.splice(at..(at + piece.len()).min(len), piece.iter().copied());
                            assert!(agrees_with_std(&written), "len {len} at {at} {piece:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn utf8_agrees_with_the_standard_library_on_random_text_broken_at_random() {
        let mut random = fastrand::Rng::with_seed(0x5eed_0f0a_7a00);
        for round in 0..2_000 {
            // Up to 5 KiB of characters of every width, some bodies ASCII only.
            let target = random.usize(..5_000);
            let widest = if round % 2 == 0 { 1 } else { 4 };
            let mut text = String::new();
            while text.len() < target {
                text.push(match random.u8(..widest) {
                    0 => random.char(' '..'\u{7f}'),
                    1 => random.char('\u{80}'..'\u{800}'),
                    2 => random.char('\u{800}'..'\u{d7ff}'),
                    _ => random.char('\u{10000}'..='\u{10ffff}'),
                });
            }
            let mut bytes = text.into_bytes();
            assert!(agrees_with_std(&bytes), "round {round}");
            for _ in 0..random.usize(..3) {
                let at = random.usize(..=bytes.len());
                let piece = PIECES[random.usize(..PIECES.len())];
                bytes.splice(at..at, piece.iter().copied());
            }
            if !bytes.is_empty() && round % 3 == 0 {
                let at = random.usize(..bytes.len());
                bytes[at] = random.u8(..);
            }
            if round % 5 == 0 {
                bytes.truncate(random.usize(..=bytes.len()));
            }
            assert!(agrees_with_std(&bytes), "round {round}: {bytes:?}");
        }
    }

    #[test]
    fn redacted_urls_hide_values_after_an_encoded_equals_sign_bare_elements_and_fragments() {
        let shown = |url: &str| RedactedUrl(url).to_string();
        assert_eq!(
            shown("https://g/v1.0/users?$skiptoken%3Dsecret&$filter%3ddisplayName%3D%27x%27"),
            "https://g/v1.0/users?$skiptoken=REDACTED&$filter=REDACTED"
        );
        assert_eq!(
            shown("https://g/v1.0/users?a@b.com&$top=5"),
            "https://g/v1.0/users?REDACTED&$top=REDACTED"
        );
        assert_eq!(
            shown("https://g/v1.0/users?$top=5#secret"),
            "https://g/v1.0/users?$top=REDACTED#REDACTED"
        );
        assert_eq!(
            shown("https://g/v1.0/me#secret"),
            "https://g/v1.0/me#REDACTED"
        );
        assert_eq!(shown("https://g/v1.0/me"), "https://g/v1.0/me");
        assert_eq!(
            shown("https://user:pw@g:8443/v1.0/a@b?x=1"),
            "https://REDACTED@g:8443/v1.0/a@b?x=REDACTED"
        );
        assert_eq!(shown("//user:pw@g/me#f"), "//REDACTED@g/me#REDACTED");
        assert_eq!(shown("/users/a@b.com"), "/users/a@b.com");
    }

    #[test]
    fn excerpts_cut_on_a_character_boundary() {
        let body = format!("{}é{}", "a".repeat(511), "b".repeat(100));
        assert_eq!(excerpt(body.as_bytes(), 512), "a".repeat(511));
        assert_eq!(excerpt("é".as_bytes(), 512), "é");
        assert_eq!(excerpt(&[0x80; 600], 512).chars().count(), 509);
        assert_eq!(excerpt(b"\xffabc", 512), "\u{fffd}abc");
    }
}
