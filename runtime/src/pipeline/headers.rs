//! The headers a client adds to its requests: its default headers and its `User-Agent`.
//! A header the request sets itself wins over the client's of the same name.

use std::fmt;

use http::header::AUTHORIZATION;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::error::Error;

/// This crate's product token, last in every `User-Agent` it sends.
const PRODUCT: &str = concat!("graph-resource/", env!("CARGO_PKG_VERSION"));

/// What [`ClientBuilder`](crate::ClientBuilder) collects: checked at `build`.
#[derive(Clone, Default)]
pub(crate) struct HeaderSettings {
    defaults: HeaderMap,
    /// The SDK's product token, before this crate's in `User-Agent`.
    product: Option<String>,
    /// Why the first invalid default header is invalid.
    invalid: Option<String>,
}

impl HeaderSettings {
    /// Adds `name: value` to every request; a name or value that is not valid HTTP is kept
    /// to fail `build`.
    pub(crate) fn add<K, V>(&mut self, name: K, value: V)
    where
        K: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        let problem = match (name.try_into(), value.try_into()) {
            (Ok(name), _) if name == AUTHORIZATION => {
                "`Authorization` cannot be a default header: the client's credential sets it"
                    .to_owned()
            }
            (Ok(name), Ok(value)) => {
                self.defaults.append(name, value);
                return;
            }
            (Ok(name), Err(_)) => format!(
                "the value of default header `{name}` is not a valid HTTP header value: \
                 expected visible ASCII, spaces and tabs, without line breaks"
            ),
            (Err(_), _) => "a default header name is not a valid HTTP header name: expected a \
                            token of letters, digits and `!#$%&'*+-.^_`|~`"
                .to_owned(),
        };
        self.invalid.get_or_insert(problem);
    }

    /// Names the SDK in `User-Agent`, before this crate.
    pub(crate) fn product(&mut self, product: String) {
        self.product = Some(product);
    }

    /// The checked headers, or the first problem as an [`Error::InvalidArgument`].
    pub(crate) fn build(self) -> Result<ClientHeaders, Error> {
        if let Some(problem) = self.invalid {
            return Err(Error::InvalidArgument(problem));
        }
        let user_agent = match self.product {
            None => HeaderValue::from_static(PRODUCT),
            Some(product) if is_product(&product) => {
                HeaderValue::try_from(format!("{product} {PRODUCT}")).map_err(|_| {
                    Error::InvalidArgument(format!("`{product}` is not a valid header value"))
                })?
            }
            Some(product) => {
                return Err(Error::InvalidArgument(format!(
                    "the user agent product `{}` is not a product token such as \
                     `contoso-intune/1.2`: expected a name, then optionally `/` and a version, \
                     each of letters, digits and `!#$%&'*+-.^_`|~`",
                    product.escape_debug()
                )));
            }
        };
        Ok(ClientHeaders {
            defaults: self.defaults,
            user_agent,
        })
    }
}

/// Names only: a default header may carry a key.
impl fmt::Debug for HeaderSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeaderSettings")
            .field("defaults", &self.defaults.keys().collect::<Vec<_>>())
            .field("product", &self.product)
            .finish_non_exhaustive()
    }
}

/// `name` or `name/version`, each an HTTP token (RFC 9110, section 10.1.5).
fn is_product(product: &str) -> bool {
    let token = |text: &str| {
        !text.is_empty()
            && text
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
    };
    match product.split_once('/') {
        Some((name, version)) => token(name) && token(version),
        None => token(product),
    }
}

/// The headers every request of a client carries unless it sets them itself.
pub(crate) struct ClientHeaders {
    defaults: HeaderMap,
    /// `User-Agent`: the SDK's product token, if any, then this crate's.
    pub(crate) user_agent: HeaderValue,
}

impl ClientHeaders {
    /// Adds each default header whose name `headers` does not have.
    pub(crate) fn add_defaults(&self, headers: &mut HeaderMap) {
        for name in self.defaults.keys() {
            if !headers.contains_key(name) {
                for value in self.defaults.get_all(name) {
                    headers.append(name.clone(), value.clone());
                }
            }
        }
    }

    /// The default header `name`, if the client has one.
    pub(crate) fn get(&self, name: &HeaderName) -> Option<&HeaderValue> {
        self.defaults.get(name)
    }
}

/// Names only: a default header may carry a key.
impl fmt::Debug for ClientHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientHeaders")
            .field("defaults", &self.defaults.keys().collect::<Vec<_>>())
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::__private::{get, list};
    use crate::mock::{MockResponse, MockTransport, is_client_request_id};
    use crate::path::PathPart::{self, Key, Literal};

    const GROUPS: &[PathPart] = &[Literal("/groups")];
    const GROUP: &[PathPart] = &[Literal("/groups/"), Key("group_id")];
    const OURS: &str = concat!("graph-resource/", env!("CARGO_PKG_VERSION"));
    const CALLER_ID: &str = "0f6e3c1a-2b4d-4e8f-9a0b-1c2d3e4f5a6b";

    #[tokio::test]
    async fn a_caller_client_request_id_is_kept_on_every_retry_attempt() {
        let mock = MockTransport::new();
        mock.push(MockResponse::new(503))
            .push(MockResponse::new(503))
            .push(MockResponse::json(200, json!({"id": "g1"})));
        let client = mock.client_builder().build().unwrap();
        get::<Value>(&client, GROUP, &["g1"])
            .header("client-request-id", CALLER_ID)
            .await
            .unwrap();
        let requests = mock.requests();
        assert_eq!(requests.len(), 3);
        for request in &requests {
            let ids: Vec<_> = request
                .headers
                .get_all("client-request-id")
                .iter()
                .collect();
            assert_eq!(ids, [CALLER_ID], "{request:?}");
        }
        assert_eq!(requests[2].header("retry-attempt"), Some("2"));
    }

    #[tokio::test]
    async fn a_caller_accept_and_user_agent_are_kept() {
        let mock = MockTransport::new();
        mock.push(MockResponse::json(200, json!({})))
            .push(MockResponse::json(200, json!({})));
        let client = mock.client_builder().build().unwrap();
        get::<Value>(&client, GROUP, &["g1"])
            .header("Accept", "application/json;odata.metadata=none")
            .header("User-Agent", "contoso-tool/2")
            .await
            .unwrap();
        get::<Value>(&client, GROUP, &["g1"]).await.unwrap();
        let requests = mock.requests();
        let accepts: Vec<_> = requests[0].headers.get_all("accept").iter().collect();
        assert_eq!(accepts, ["application/json;odata.metadata=none"]);
        assert_eq!(requests[0].header("user-agent"), Some("contoso-tool/2"));
        assert_eq!(requests[1].header("accept"), Some("application/json"));
        assert_eq!(requests[1].header("user-agent"), Some(OURS));
        assert!(is_client_request_id(
            requests[1].header("client-request-id").unwrap()
        ));
    }

    #[tokio::test]
    async fn the_sdk_product_goes_before_ours_in_user_agent() {
        let mock = MockTransport::new();
        mock.push(MockResponse::json(200, json!({})));
        let client = mock
            .client_builder()
            .user_agent("contoso-intune/1.2")
            .build()
            .unwrap();
        get::<Value>(&client, GROUP, &["g1"]).await.unwrap();
        let expected = format!("contoso-intune/1.2 {OURS}");
        assert_eq!(
            mock.requests()[0].header("user-agent"),
            Some(expected.as_str())
        );
    }

    #[test]
    fn an_invalid_product_or_default_header_fails_build() {
        let mock = MockTransport::new();
        let error = mock
            .client_builder()
            .user_agent("contoso intune/1.2")
            .build()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid argument: the user agent product `contoso intune/1.2` is not a product \
             token such as `contoso-intune/1.2`: expected a name, then optionally `/` and a \
             version, each of letters, digits and `!#$%&'*+-.^_`|~`"
        );
        let invalid = [
            mock.client_builder().default_header("x-tag", "a\nb"),
            mock.client_builder().default_header("x tag", "a"),
            mock.client_builder()
                .default_header("Authorization", "Bearer other"),
        ];
        for builder in invalid {
            let shown = format!("{builder:?}");
            let built = builder.build();
            assert!(matches!(built, Err(Error::InvalidArgument(_))), "{shown}");
        }
    }

    #[tokio::test]
    async fn default_headers_go_on_every_request_unless_the_request_sets_them() {
        let mock = MockTransport::new();
        mock.push(MockResponse::json(200, json!({"value": []})))
            .push(MockResponse::json(200, json!({"value": []})))
            .push(MockResponse::json(
                200,
                json!({"responses": [
                    {"id": "1", "status": 200, "body": {"value": []}},
                    {"id": "2", "status": 200, "body": {"value": []}},
                ]}),
            ));
        let client = mock
            .client_builder()
            .default_header("x-tenant-tag", "ops")
            .default_header("Prefer", "return=minimal")
            .default_header("Prefer", "odata.track-changes")
            .build()
            .unwrap();
        list::<Value>(&client, GROUPS, &[]).await.unwrap();
        list::<Value>(&client, GROUPS, &[])
            .header("Prefer", "odata.maxpagesize=5")
            .await
            .unwrap();
        let mut batch = client.batch();
        let plain = batch.add(list::<Value>(&client, GROUPS, &[]));
        let own = batch.add(list::<Value>(&client, GROUPS, &[]).header("x-tenant-tag", "own"));
        let mut responses = batch.send().await.unwrap();
        responses.take(plain).unwrap();
        responses.take(own).unwrap();

        let requests = mock.requests();
        let prefer = |index: usize| -> Vec<&str> {
            let values = requests[index].headers.get_all("prefer").iter();
            values.map(|value| value.to_str().unwrap()).collect()
        };
        assert_eq!(requests[0].header("x-tenant-tag"), Some("ops"));
        assert_eq!(prefer(0), ["return=minimal", "odata.track-changes"]);
        assert_eq!(requests[1].header("x-tenant-tag"), Some("ops"));
        assert_eq!(prefer(1), ["odata.maxpagesize=5"]);
        // The `$batch` request carries them, and so does each request inside it.
        assert_eq!(requests[2].header("x-tenant-tag"), Some("ops"));
        let items = requests[2].body_json().unwrap();
        let headers = |index: usize| &items["requests"][index]["headers"];
        assert_eq!(headers(0)["x-tenant-tag"], "ops");
        assert_eq!(headers(0)["prefer"], "return=minimal, odata.track-changes");
        assert_eq!(headers(1)["x-tenant-tag"], "own");
    }

    #[test]
    fn product_tokens_are_a_name_and_an_optional_version() {
        for valid in ["contoso-intune/1.2", "contoso", "a.b_c/1.0.0-beta+7"] {
            assert!(is_product(valid), "{valid}");
        }
        for invalid in [
            "",
            "/1.2",
            "contoso/",
            "contoso intune/1",
            "a/b/c",
            "x/(1)",
            "é/1",
        ] {
            assert!(!is_product(invalid), "{invalid}");
        }
    }
}
