//! The bearer token never appears in the `Debug` or `Display` output of the client, its
//! builder, the credentials, the recorded requests, or any error and its sources, whether
//! the call succeeds or fails.

use std::error::Error as StdError;
use std::fmt::Debug;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use graph_resource::{
    AccessToken, BoxFuture, Client, ClientBuilder, Error, IntoCredential, MockResponse,
    MockTransport, RetryPolicy, StaticToken, TokenCredential, TokenRequest, TransportError,
    TransportErrorKind, graph_resource,
};
use serde_json::json;

#[graph_resource(path = "/deviceManagement/intents/<>/assignments")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
}

const TOKEN: &str = "eyJ0eXAi.SECRET-5f0e9c1d-do-not-log.sig";

/// What must never be printed: the token, or its distinctive middle on its own.
const SECRETS: [&str; 2] = [TOKEN, "SECRET-5f0e9c1d"];

const BASE_URL: &str = "https://graph.microsoft.com/beta";

// ---------------------------------------------------------------------------------------
// Helpers

fn assert_hidden_in(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows the token: {text}");
    }
}

/// Checks `{:?}` and `{:#?}` of `value`.
fn assert_debug_hides_the_token(what: &str, value: &impl Debug) {
    assert_hidden_in(what, &format!("{value:?}"));
    assert_hidden_in(what, &format!("{value:#?}"));
}

/// Checks `Display` and `Debug` of `error` and of every error in its `source` chain.
fn assert_error_hides_the_token(what: &str, error: &(dyn StdError + 'static)) {
    let mut next = Some(error);
    let mut depth = 0;
    while let Some(error) = next {
        let what = format!("{what} (source {depth})");
        assert_hidden_in(&what, &error.to_string());
        assert_debug_hides_the_token(&what, &error);
        next = error.source();
        depth += 1;
    }
}

fn builder(mock: &MockTransport) -> ClientBuilder {
    Client::builder()
        .base_url(BASE_URL)
        .bearer_token(TOKEN)
        .transport(Arc::new(mock.clone()))
        .retry_policy(RetryPolicy::default().base_delay(std::time::Duration::ZERO))
}

fn client(mock: &MockTransport) -> Client {
    builder(mock).build().expect("a valid client configuration")
}

async fn create(
    client: &Client,
    intent_id: &str,
) -> Result<DeviceManagementIntentAssignment, Error> {
    let created =
        DeviceManagementIntentAssignment::create(client, intent_id, &Default::default()).await?;
    Ok(created.into_entity().expect("a 201 with the entity"))
}

/// A transport failure with an underlying I/O error, as a real transport reports one.
fn connection_reset() -> TransportError {
    let io = std::io::Error::new(
        std::io::ErrorKind::ConnectionReset,
        "connection reset by peer",
    );
    TransportError::new(TransportErrorKind::Interrupted, "the connection was cut").with_source(io)
}

/// Answers for one call each: each makes `create` fail in a different way.
fn failing_answers(mock: &MockTransport) {
    mock.push(MockResponse::json(
        400,
        json!({"error": {"code": "BadRequest", "message": "Invalid intent",
                          "innerError": {"request-id": "r-1", "client-request-id": "c-1"}}}),
    ))
    .push(
        MockResponse::json(401, json!({"error": {"code": "InvalidAuthenticationToken", "message": "Access token is empty."}}))
            .header("www-authenticate", r#"Bearer realm="", error="invalid_token""#),
    )
    .push(MockResponse::new(403).header("content-type", "text/html").body("<html>Forbidden</html>"))
    .push(MockResponse::new(201).body("<html>not JSON</html>"))
    .push(MockResponse::json(201, json!({"id": 42})))
    .push_error(connection_reset())
    .push_error(TransportError::new(TransportErrorKind::Connect, "connection refused"));
}

// ---------------------------------------------------------------------------------------
// Tests

#[test]
fn the_builder_the_client_and_the_credentials_do_not_show_the_token() {
    let mock = MockTransport::new();
    let builder = builder(&mock);
    assert_debug_hides_the_token("ClientBuilder", &builder);
    let client = builder.build().expect("a valid client configuration");
    assert_debug_hides_the_token("Client", &client);
    assert_debug_hides_the_token("StaticToken", &StaticToken::new(TOKEN));
    let token = AccessToken::new(TOKEN);
    assert_debug_hides_the_token("AccessToken", &token);
    assert_eq!(token.secret(), TOKEN, "the secret is still there to send");
}

#[tokio::test]
async fn requests_carry_the_token_but_print_it_as_sensitive() {
    let mock = MockTransport::new();
    mock.push(
        MockResponse::json(429, json!({"error": {"code": "TooManyRequests"}}))
            .header("retry-after", "0"),
    )
    .push(MockResponse::json(201, json!({"id": "a-1"})));
    let created = create(&client(&mock), "intent")
        .await
        .expect("created on the retry");
    assert_eq!(created.id.as_deref(), Some("a-1"));

    let requests = mock.requests();
    assert_eq!(requests.len(), 2, "the first send and its retry");
    for (index, request) in requests.iter().enumerate() {
        let bearer = format!("Bearer {TOKEN}");
        assert_eq!(request.header("authorization"), Some(bearer.as_str()));
        assert!(
            request.headers["authorization"].is_sensitive(),
            "request {index}"
        );
        let debug = format!("{request:?}");
        assert!(
            debug.contains(r#""authorization": Sensitive"#),
            "request {index}: {debug}"
        );
        assert_debug_hides_the_token(&format!("request {index}"), request);
    }
    assert_debug_hides_the_token("MockTransport", &mock);
}

#[tokio::test]
async fn no_failed_call_shows_the_token_in_its_error() {
    let mock = MockTransport::new();
    failing_answers(&mock);
    let client = Client::builder()
        .base_url(BASE_URL)
        .bearer_token(TOKEN)
        .transport(Arc::new(mock.clone()))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a valid client configuration");

    let mut kinds = Vec::new();
    while mock.pending() > 0 {
        let error = create(&client, "intent")
            .await
            .expect_err("every answer is a failure");
        assert_error_hides_the_token(&format!("{error:?}"), &error);
        kinds.push(match &error {
            Error::Api(api) => format!("api {}", api.status().as_u16()),
            Error::Decode(decode) => format!("decode {}", decode.path()),
            Error::Transport(transport) => format!("transport {:?}", transport.kind()),
            other => format!("{other:?}"),
        });
    }
    assert_eq!(
        kinds,
        [
            "api 400",
            "api 401",
            "api 403",
            "decode .",
            "decode id",
            "transport Interrupted",
            "transport Connect"
        ]
    );
    let sent = mock.requests().len();

    for invalid_key in ["", ".", ".."] {
        let error = create(&client, invalid_key)
            .await
            .expect_err("an invalid key");
        assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
        assert_error_hides_the_token("invalid argument", &error);
    }
    let error = create(&client, "no answer left")
        .await
        .expect_err("an empty queue");
    assert_error_hides_the_token("the empty queue", &error);
    assert_eq!(mock.requests().len(), sent + 1, "invalid keys are not sent");
    for request in mock.requests() {
        assert_debug_hides_the_token("a request of a failed call", &request);
    }
}

#[tokio::test]
async fn a_token_that_no_header_can_hold_is_not_echoed_in_the_credential_error() {
    let mock = MockTransport::new();
    let client = Client::builder()
        .base_url(BASE_URL)
        .bearer_token(format!("{TOKEN}\r\nx-injected: 1"))
        .transport(Arc::new(mock.clone()))
        .build()
        .expect("a valid client configuration");
    assert_debug_hides_the_token("Client", &client);
    let error = create(&client, "intent")
        .await
        .expect_err("an unusable token");
    assert!(matches!(error, Error::Credential(_)), "{error:?}");
    assert_error_hides_the_token("credential error", &error);
    assert!(
        mock.requests().is_empty(),
        "nothing is sent without a usable token"
    );
}

#[test]
fn a_password_in_the_base_url_is_not_echoed_in_the_error() {
    let result = Client::builder()
        .base_url(format!("https://user:{TOKEN}@graph.microsoft.com/beta"))
        .bearer_token(TOKEN)
        .transport(Arc::new(MockTransport::new()))
        .build();
    let error = result.expect_err("user info is rejected");
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    assert_error_hides_the_token("base URL error", &error);
}

/// Answers [`TOKEN`], valid for an hour; with `fail_claims`, refuses requests for claims
/// with an error that names them.
#[derive(Debug)]
struct Expiring {
    fail_claims: bool,
}

impl TokenCredential for Expiring {
    fn token<'a>(
        &'a self,
        request: &'a TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, Box<dyn StdError + Send + Sync>>> {
        let result = match request.claims {
            Some(claims) if self.fail_claims => {
                Err(format!("cannot add the claims {claims}").into())
            }
            _ => {
                let expires_on = SystemTime::now() + Duration::from_secs(3600);
                Ok(AccessToken::new(TOKEN).expiring_on(expires_on))
            }
        };
        Box::pin(std::future::ready(result))
    }
}

/// A claims challenge for `{"access_token":{"nbf":{"essential":true}}}`.
fn claims_challenge() -> MockResponse {
    MockResponse::json(
        401,
        json!({"error": {"code": "InvalidAuthenticationToken", "message": "Continuous access evaluation resulted in challenge"}}),
    )
    .header(
        "www-authenticate",
        r#"Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ==""#,
    )
}

/// A mock that answers `create` once, then with two claims challenges.
fn created_then_challenged() -> MockTransport {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(201, json!({"id": "a-1"})))
        .push(claims_challenge())
        .push(claims_challenge());
    mock
}

fn client_with(credential: impl IntoCredential, mock: &MockTransport) -> Client {
    Client::builder()
        .base_url(BASE_URL)
        .credential(credential)
        .transport(Arc::new(mock.clone()))
        .build()
        .expect("a valid client configuration")
}

/// Checks the client, every request sent and `error` (when there is one).
fn assert_nothing_shows_the_token(client: &Client, mock: &MockTransport, error: Option<&Error>) {
    assert_debug_hides_the_token("Client holding a cached token", client);
    for request in mock.requests() {
        assert!(request.headers["authorization"].is_sensitive());
        assert_debug_hides_the_token("a request", &request);
    }
    if let Some(error) = error {
        assert_error_hides_the_token("error", error);
    }
}

#[tokio::test]
async fn cached_tokens_and_claims_challenges_do_not_show_the_token() {
    let token = AccessToken::new(TOKEN).expiring_on(SystemTime::now());
    assert_debug_hides_the_token("AccessToken with an expiry", &token);

    for fail_claims in [false, true] {
        let mock = created_then_challenged();
        let credential = Arc::new(Expiring { fail_claims });
        assert_debug_hides_the_token("credential", &credential);
        let client = client_with(credential, &mock);
        create(&client, "intent").await.expect("created");
        assert_nothing_shows_the_token(&client, &mock, None);
        let error = create(&client, "intent")
            .await
            .expect_err("a challenge that is not met");
        match &error {
            Error::Credential(_) => assert!(fail_claims, "{error:?}"),
            Error::Api(api) => assert_eq!(api.status(), 401),
            other => panic!("unexpected {other:?}"),
        }
        let sent = if fail_claims { 2 } else { 3 };
        assert_eq!(mock.requests().len(), sent, "{error:?}");
        assert_nothing_shows_the_token(&client, &mock, Some(&error));
    }
}

#[cfg(feature = "azure-identity")]
#[tokio::test]
async fn azure_credentials_do_not_show_the_token() {
    use graph_resource::azure_core::credentials::{
        AccessToken as AzureToken, Secret, TokenCredential as AzureCredential, TokenRequestOptions,
    };
    use graph_resource::azure_core::time::{Duration as AzureDuration, OffsetDateTime};

    /// Answers [`TOKEN`] as `azure_identity`'s credentials answer.
    #[derive(Debug)]
    struct Azure;

    #[async_trait::async_trait]
    impl AzureCredential for Azure {
        async fn get_token(
            &self,
            _scopes: &[&str],
            _options: Option<TokenRequestOptions<'_>>,
        ) -> graph_resource::azure_core::Result<AzureToken> {
            let expires_on = OffsetDateTime::now_utc() + AzureDuration::hours(1);
            Ok(AzureToken::new(Secret::new(TOKEN), expires_on))
        }
    }

    let mock = created_then_challenged();
    let credential: Arc<dyn AzureCredential> = Arc::new(Azure);
    let client = client_with(credential, &mock);
    create(&client, "intent").await.expect("created");
    let error = create(&client, "intent")
        .await
        .expect_err("a challenge that is not met");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(401));
    assert_eq!(
        mock.requests()[2].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str()),
        "the token an azure credential gives is what is sent"
    );
    assert_nothing_shows_the_token(&client, &mock, Some(&error));
}
