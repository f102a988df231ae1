//! OData literals, as key predicates and function parameters spell them in a path.

use crate::path::push_encoded;

/// Appends `value` as an OData string literal: in single quotes, each `'` doubled, and
/// everything but the RFC 3986 unreserved characters and the quotes percent-encoded, so
/// that `/`, `?`, `#` or `%` in the value never change the path.
pub(crate) fn push_string(out: &mut String, value: &str) {
    out.push('\'');
    for (index, part) in value.split('\'').enumerate() {
        if index > 0 {
            out.push_str("''");
        }
        push_encoded(out, part, b"");
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(value: &str) -> String {
        let mut out = String::new();
        push_string(&mut out, value);
        out
    }

    #[test]
    fn strings_are_quoted_with_quotes_doubled_and_the_rest_encoded() {
        assert_eq!(string("a@b.com"), "'a%40b.com'");
        assert_eq!(string("o'brien@c.com"), "'o''brien%40c.com'");
        assert_eq!(string("''"), "''''''");
        assert_eq!(string(""), "''");
        assert_eq!(string("a/b?c#d%e f"), "'a%2Fb%3Fc%23d%25e%20f'");
    }
}
