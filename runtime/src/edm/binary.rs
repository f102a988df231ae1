//! `Edm.Binary`: bytes as base64.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// `Edm.Binary`: bytes, on the wire a base64 string.
///
/// Written in the standard alphabet with padding, as Graph writes it; read in the standard
/// or the URL-safe alphabet, with or without padding, with or without line breaks (MIME's
/// `\r\n` every 76 characters, as some services send).
///
/// ```
/// use graph_resource_runtime::Binary;
///
/// let icon: Binary = serde_json::from_str(r#""aGk=""#).unwrap();
/// assert_eq!(icon.0, b"hi");
/// assert_eq!(serde_json::to_string(&icon).unwrap(), r#""aGk=""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Binary(pub Vec<u8>);

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

impl Binary {
    /// The bytes in base64, standard alphabet, padded.
    pub fn to_base64(&self) -> String {
        let mut out = String::with_capacity(self.0.len().div_ceil(3) * 4);
        for chunk in self.0.chunks(3) {
            let bytes = [
                chunk.first().copied().unwrap_or(0),
                chunk.get(1).copied().unwrap_or(0),
                chunk.get(2).copied().unwrap_or(0),
            ];
            let n = u32::from(bytes[0]) << 16 | u32::from(bytes[1]) << 8 | u32::from(bytes[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(char::from(BASE64[(n >> (18 - 6 * i)) as usize & 63]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// Decodes base64 in the standard or URL-safe alphabet, padding optional, line breaks
    /// (`\r`, `\n`) skipped; the error names the first character that is not base64 and its
    /// position.
    pub fn from_base64(text: &str) -> Result<Binary, String> {
        let digits = text.trim_end_matches(['=', '\r', '\n']);
        let mut out = Vec::with_capacity(digits.len() * 3 / 4);
        let mut buffer = 0u32;
        let mut bits = 0;
        let mut count = 0usize;
        for (position, c) in digits.char_indices() {
            let value = match c {
                'A'..='Z' => c as u32 - 'A' as u32,
                'a'..='z' => c as u32 - 'a' as u32 + 26,
                '0'..='9' => c as u32 - '0' as u32 + 52,
                '+' | '-' => 62,
                '/' | '_' => 63,
                '\r' | '\n' => continue,
                _ => {
                    return Err(format!(
                        "expected base64, found `{c}` at position {position}"
                    ));
                }
            };
            count += 1;
            buffer = buffer << 6 | value;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((buffer >> bits) as u8);
                buffer &= (1 << bits) - 1;
            }
        }
        if bits == 6 {
            return Err(format!(
                "expected base64, found {count} digits, one too many for whole bytes"
            ));
        }
        Ok(Binary(out))
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BinaryVisitor;
        impl Visitor<'_> for BinaryVisitor {
            type Value = Binary;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Binary, E> {
                Binary::from_base64(value).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(BinaryVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_every_length() {
        for len in 0..10u8 {
            let bytes: Vec<u8> = (0..len)
                .map(|i| i.wrapping_mul(97).wrapping_add(200))
                .collect();
            let encoded = Binary(bytes.clone()).to_base64();
            assert_eq!(encoded.len() % 4, 0);
            assert_eq!(Binary::from_base64(&encoded).unwrap().0, bytes);
            assert_eq!(
                Binary::from_base64(encoded.trim_end_matches('='))
                    .unwrap()
                    .0,
                bytes
            );
        }
        assert_eq!(Binary(b"Graph".to_vec()).to_base64(), "R3JhcGg=");
        assert_eq!(Binary::from_base64("-_8").unwrap().0, [0xfb, 0xff]);
    }

    #[test]
    fn bad_base64_names_the_character() {
        let error = Binary::from_base64("aGk*").unwrap_err();
        assert_eq!(error, "expected base64, found `*` at position 3");
        assert!(Binary::from_base64("a").is_err());
        let error = serde_json::from_str::<Binary>("12")
            .unwrap_err()
            .to_string();
        assert!(error.contains("a base64 string"), "{error}");
    }

    #[test]
    fn base64_with_mime_line_breaks_decodes() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        let encoded = Binary(bytes.clone()).to_base64();
        let lines: Vec<&str> = encoded
            .as_bytes()
            .chunks(76)
            .map(|line| std::str::from_utf8(line).unwrap())
            .collect();
        let wrapped = lines.join("\r\n") + "\r\n";
        assert_eq!(Binary::from_base64(&wrapped).unwrap().0, bytes);
        assert_eq!(Binary::from_base64("aG\nk=\n").unwrap().0, b"hi");
        let read: Binary = serde_json::from_str(r#""aGk=\r\n""#).unwrap();
        assert_eq!(read.0, b"hi");
        assert_eq!(
            Binary::from_base64("a\r\nGk*").unwrap_err(),
            "expected base64, found `*` at position 5"
        );
        assert_eq!(
            Binary::from_base64("aGk=a\r\n").unwrap_err(),
            "expected base64, found `=` at position 3"
        );
        assert_eq!(
            Binary::from_base64("aGkaa\r\n").unwrap_err(),
            "expected base64, found 5 digits, one too many for whole bytes"
        );
    }
}
