//! Claims challenges, Graph's continuous access evaluation: a `401` whose
//! `WWW-Authenticate: Bearer …, error="insufficient_claims", claims="<base64 JSON>"` asks
//! for a token carrying more claims. The credential step of the pipeline sends the request
//! once more with such a token.

use http::HeaderMap;
use http::header::WWW_AUTHENTICATE;

use crate::edm::Binary;

/// The claims JSON of the first `Bearer` challenge that carries decodable ones.
pub(crate) fn claims_of_challenge(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(challenges)
        .filter(|challenge| challenge.scheme.eq_ignore_ascii_case("bearer"))
        .flat_map(|challenge| challenge.params)
        .filter(|(name, _)| name.eq_ignore_ascii_case("claims"))
        .find_map(|(_, value)| {
            let json = String::from_utf8(Binary::from_base64(value.trim()).ok()?.0).ok()?;
            (!json.trim().is_empty()).then_some(json)
        })
}

/// One challenge of a `WWW-Authenticate` value: its scheme and its `name=value` parameters.
#[derive(Debug, PartialEq)]
pub(crate) struct Challenge<'a> {
    pub(crate) scheme: &'a str,
    pub(crate) params: Vec<(&'a str, String)>,
}

/// The challenges of one `WWW-Authenticate` value (RFC 9110 §11.6.1): `Scheme a=b, c="d",
/// Other e=f`. Malformed parts are skipped; a token68 (`Basic dXNlcg==`) is ignored.
pub(crate) fn challenges(value: &str) -> Vec<Challenge<'_>> {
    let mut cursor = Cursor { rest: value };
    let mut found: Vec<Challenge<'_>> = Vec::new();
    loop {
        cursor.skip(|c| c == ',' || c == ' ' || c == '\t');
        if cursor.rest.is_empty() {
            return found;
        }
        let Some(name) = cursor.token() else {
            cursor.skip_one();
            continue;
        };
        cursor.skip(|c| c == ' ' || c == '\t');
        let current = found.last_mut().filter(|_| cursor.rest.starts_with('='));
        match current {
            Some(challenge) => {
                cursor.skip_one();
                cursor.skip(|c| c == ' ' || c == '\t');
                let value = if cursor.rest.starts_with('"') {
                    cursor.quoted()
                } else {
                    cursor.token().unwrap_or_default().to_owned()
                };
                challenge.params.push((name, value));
            }
            None => found.push(Challenge {
                scheme: name,
                params: Vec::new(),
            }),
        }
    }
}

struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn skip(&mut self, what: impl Fn(char) -> bool) {
        self.rest = self.rest.trim_start_matches(what);
    }

    fn skip_one(&mut self) {
        let mut chars = self.rest.chars();
        chars.next();
        self.rest = chars.as_str();
    }

    /// An RFC 9110 token, if one starts here.
    fn token(&mut self) -> Option<&'a str> {
        let end = self
            .rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)))
            .unwrap_or(self.rest.len());
        let (token, rest) = self.rest.split_at_checked(end)?;
        self.rest = rest;
        (!token.is_empty()).then_some(token)
    }

    /// A quoted string starting here, unescaped; an unterminated one runs to the end.
    fn quoted(&mut self) -> String {
        let mut value = String::new();
        let mut chars = self.rest.char_indices().skip(1);
        while let Some((index, c)) = chars.next() {
            match c {
                '"' => {
                    self.rest = self.rest.get(index + 1..).unwrap_or_default();
                    return value;
                }
                '\\' => value.extend(chars.next().map(|(_, escaped)| escaped)),
                c => value.push(c),
            }
        }
        self.rest = "";
        value
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    /// `{"access_token":{"nbf":{"essential":true, "value":"1604106651"}}}`, as Graph sends it.
    const CLAIMS: &str =
        "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=";
    const CLAIMS_JSON: &str =
        r#"{"access_token":{"nbf":{"essential":true, "value":"1604106651"}}}"#;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(WWW_AUTHENTICATE, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn graphs_challenge_gives_the_decoded_claims() {
        let value = format!(
            r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="{CLAIMS}""#
        );
        assert_eq!(
            claims_of_challenge(&headers(&[&value])).as_deref(),
            Some(CLAIMS_JSON)
        );
    }

    #[test]
    fn claims_are_found_in_any_challenge_and_header_line() {
        let unpadded = CLAIMS.trim_end_matches('=');
        let url_safe = "eyJhIjoiPz8_In0"; // `{"a":"???"}` in the URL-safe alphabet
        for value in [
            format!(r#"Basic realm="x", Bearer claims="{CLAIMS}""#),
            format!("Basic dXNlcg==, bearer error=insufficient_claims, CLAIMS={unpadded}"),
            format!(r#"PoP nonce="a\"b", Bearer realm="", claims="{unpadded}""#),
        ] {
            assert_eq!(
                claims_of_challenge(&headers(&[&value])).as_deref(),
                Some(CLAIMS_JSON),
                "{value}"
            );
        }
        let lines = headers(&["Basic realm=\"x\"", &format!("Bearer claims={url_safe}")]);
        assert_eq!(
            claims_of_challenge(&lines).as_deref(),
            Some(r#"{"a":"???"}"#)
        );
    }

    #[test]
    fn challenges_without_usable_claims_give_none() {
        for value in [
            r#"Bearer realm="", error="invalid_token""#,
            r#"Bearer claims="""#,
            r#"Bearer claims="not base64!""#,
            r#"Bearer claims="/w==""#, // decodes, but not to UTF-8
            r#"Basic claims="e30=""#,  // `{}` but not in a Bearer challenge
            "Bearer claims",
            "Bearer =,=,\"",
            "",
        ] {
            assert_eq!(claims_of_challenge(&headers(&[value])), None, "{value}");
        }
        assert_eq!(claims_of_challenge(&HeaderMap::new()), None);
    }

    #[test]
    fn challenges_are_split_as_rfc_9110_says() {
        assert_eq!(
            challenges(
                r#"Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple""#
            ),
            [
                Challenge {
                    scheme: "Newauth",
                    params: vec![
                        ("realm", "apps".into()),
                        ("type", "1".into()),
                        ("title", r#"Login to "apps""#.into()),
                    ],
                },
                Challenge {
                    scheme: "Basic",
                    params: vec![("realm", "simple".into())],
                },
            ]
        );
        assert_eq!(
            challenges(r#"Bearer claims="unterminated"#),
            [Challenge {
                scheme: "Bearer",
                params: vec![("claims", "unterminated".into())],
            }]
        );
    }
}
