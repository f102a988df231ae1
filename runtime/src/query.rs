//! OData query options (`$select`, `$filter`, …) and their encoding in a URL.

use std::fmt::Write;

use crate::path::push_encoded;

/// The query options of a request, written in a fixed order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    pub(crate) select: Vec<String>,
    pub(crate) expand: Vec<String>,
    pub(crate) filter: Option<String>,
    pub(crate) order_by: Vec<String>,
    pub(crate) top: Option<u32>,
    pub(crate) skip: Option<u32>,
    pub(crate) count: bool,
    pub(crate) search: Option<String>,
}

impl Query {
    /// Appends `?$select=…&…` to `url`, each value percent-encoded; nothing when no option
    /// is set.
    pub(crate) fn write_to(&self, url: &mut String) {
        let mut separator = '?';
        let mut option = |name: &str, value: &str| {
            url.push(separator);
            separator = '&';
            url.push_str(name);
            url.push('=');
            push_encoded(url, value, QUERY_PLAIN);
        };
        let lists = [("$select", &self.select), ("$expand", &self.expand)];
        for (name, values) in lists {
            if !values.is_empty() {
                option(name, &values.join(","));
            }
        }
        if let Some(filter) = &self.filter {
            option("$filter", filter);
        }
        if !self.order_by.is_empty() {
            option("$orderby", &self.order_by.join(","));
        }
        let mut number = String::new();
        for (name, value) in [("$top", self.top), ("$skip", self.skip)] {
            if let Some(value) = value {
                number.clear();
                let _ = write!(number, "{value}");
                option(name, &number);
            }
        }
        if self.count {
            option("$count", "true");
        }
        if let Some(search) = &self.search {
            option("$search", search);
        }
    }
}

/// What a query value keeps as written besides the RFC 3986 unreserved characters: the few
/// delimiters OData expressions are written with. So `+` (which servers read as a space),
/// `&`, `=`, `#`, `%`, `"`, spaces and non-ASCII text are always encoded.
const QUERY_PLAIN: &[u8] = b"$(),:'/@!*";

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(query: &Query) -> String {
        let mut url = String::new();
        query.write_to(&mut url);
        url
    }

    #[test]
    fn options_are_written_in_order_and_encoded() {
        let query = Query {
            select: vec!["id".into(), "displayName".into()],
            expand: vec!["assignments".into()],
            filter: Some("displayName eq 'a+b & c#\"d\"' and x ge 1".into()),
            order_by: vec!["displayName desc".into()],
            top: Some(50),
            skip: Some(10),
            count: true,
            search: Some("\"displayName:日本\"".into()),
        };
        assert_eq!(
            encoded(&query),
            "?$select=id,displayName&$expand=assignments\
             &$filter=displayName%20eq%20'a%2Bb%20%26%20c%23%22d%22'%20and%20x%20ge%201\
             &$orderby=displayName%20desc&$top=50&$skip=10&$count=true\
             &$search=%22displayName:%E6%97%A5%E6%9C%AC%22"
        );
        assert_eq!(encoded(&Query::default()), "");
    }

    #[test]
    fn every_byte_outside_the_plain_set_is_encoded() {
        for byte in 0..=0x7F_u8 {
            let text = char::from(byte).to_string();
            let mut out = String::new();
            push_encoded(&mut out, &text, QUERY_PLAIN);
            let plain = byte.is_ascii_alphanumeric() || b"-._~$(),:'/@!*".contains(&byte);
            assert_eq!(out == text, plain, "{byte:#04x} gave {out}");
            if !plain {
                assert_eq!(out, format!("%{byte:02X}"));
            }
        }
    }
}
