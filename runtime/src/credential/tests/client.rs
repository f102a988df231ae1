//! The client: the tokens it sends, claims challenges, scopes, credentials that fail or
//! never answer, and `azure_core` credentials.

use super::*;

/// `error` and every error of its source chain, in order.
fn chain<'a>(error: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |&error| error.source()).collect()
}

/// Asserts that no message of `error`'s chain shows up again in a later one, so that a
/// reporter printing the chain prints each once.
fn assert_no_message_repeated(error: &(dyn StdError + 'static)) {
    let messages: Vec<String> = chain(error).iter().map(ToString::to_string).collect();
    for (at, message) in messages.iter().enumerate() {
        for later in &messages[at + 1..] {
            assert!(!message.contains(later.as_str()), "{messages:#?}");
        }
    }
}

/// A credential's own error type.
#[derive(Debug)]
struct Refused {
    code: u32,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AADSTS{}: invalid client secret", self.code)
    }
}

impl StdError for Refused {}

/// Fails with [`Refused`] after a short wait, so that concurrent calls share the failure.
#[derive(Debug)]
struct Refusing;

impl TokenCredential for Refusing {
    fn token<'a>(
        &'a self,
        _request: &'a TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, Box<dyn StdError + Send + Sync>>> {
        Box::pin(async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Err(Refused { code: 7000215 }.into())
        })
    }
}

#[tokio::test]
async fn a_credentials_own_error_is_in_the_source_chain_of_every_call_that_waited() {
    let mock = MockTransport::new();
    let client = Client::builder()
        .credential(Arc::new(Refusing))
        .transport(Arc::new(mock.clone()))
        .build()
        .unwrap();
    let (first, second) = tokio::join!(get(&client), get(&client));
    for error in [first.unwrap_err(), second.unwrap_err()] {
        assert!(matches!(error, Error::Credential(_)), "{error:?}");
        let refused = chain(&error)
            .into_iter()
            .find_map(|link| link.downcast_ref::<Refused>())
            .expect("the credential's error in the source chain");
        assert_eq!(refused.code, 7000215);
        assert_eq!(
            error.to_string(),
            "could not get an access token from the credential"
        );
        assert_no_message_repeated(&error);
    }
    assert!(mock.requests().is_empty());
}

/// Timers that end only once [`release`](Held::release) is called; records their lengths.
#[derive(Debug, Clone, Default)]
struct Held {
    state: Arc<Mutex<HeldState>>,
}

#[derive(Debug, Default)]
struct HeldState {
    asked: Vec<Duration>,
    released: bool,
    wakers: Vec<std::task::Waker>,
}

impl Held {
    fn asked(&self) -> Vec<Duration> {
        self.state.lock().unwrap().asked.clone()
    }

    fn release(&self) {
        let wakers = {
            let mut state = self.state.lock().unwrap();
            state.released = true;
            std::mem::take(&mut state.wakers)
        };
        wakers.into_iter().for_each(std::task::Waker::wake);
    }
}

impl crate::Sleep for Held {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.state.lock().unwrap().asked.push(duration);
        let state = self.state.clone();
        Box::pin(std::future::poll_fn(move |cx| {
            let mut state = state.lock().unwrap();
            if state.released {
                return std::task::Poll::Ready(());
            }
            state.wakers.push(cx.waker().clone());
            std::task::Poll::Pending
        }))
    }
}

/// Never answers its first request; answers `token-N` to the later ones.
#[derive(Debug, Default)]
struct StuckOnce {
    calls: Mutex<usize>,
}

impl TokenCredential for StuckOnce {
    fn token<'a>(
        &'a self,
        _request: &'a TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, Box<dyn StdError + Send + Sync>>> {
        let call = {
            let mut calls = self.calls.lock().unwrap();
            *calls += 1;
            *calls
        };
        if call == 1 {
            return Box::pin(std::future::pending());
        }
        Box::pin(std::future::ready(Ok(AccessToken::new(format!(
            "token-{call}"
        )))))
    }
}

#[tokio::test]
async fn a_credential_that_never_answers_fails_the_waiting_calls_and_the_next_call_asks_again() {
    let bound = Duration::from_secs(30);
    let credential = Arc::new(StuckOnce::default());
    let sleep = Held::default();
    let mock = MockTransport::new();
    mock.push(MockResponse::json(200, json!({})));
    let client = Client::builder()
        .credential(credential.clone())
        .credential_timeout(bound)
        .sleep(Arc::new(sleep.clone()))
        .transport(Arc::new(mock.clone()))
        .build()
        .unwrap();
    let both = async {
        tokio::join!(get(&client), get(&client), async {
            // Both calls are waiting for the stuck credential: the bound passes.
            assert_eq!(sleep.asked(), [bound]);
            sleep.release();
        })
    };
    let (first, second, ()) = tokio::time::timeout(Duration::from_secs(5), both)
        .await
        .expect("the calls end once the credential timeout passed");
    for error in [first.unwrap_err(), second.unwrap_err()] {
        let Error::Credential(credential_error) = &error else {
            panic!("expected a credential error, got {error:?}");
        };
        assert_eq!(credential_error.timed_out_after(), Some(bound));
        assert_eq!(
            error.to_string(),
            "could not get an access token: the credential did not answer within 30s"
        );
    }
    assert_eq!(*credential.calls.lock().unwrap(), 1);
    assert!(mock.requests().is_empty());

    get(&client).await.unwrap();
    assert_eq!(*credential.calls.lock().unwrap(), 2);
    assert_eq!(sent_tokens(&mock), ["Bearer token-2"]);
}

fn client(credential: &Arc<Fake>, mock: &MockTransport) -> Client {
    Client::builder()
        .credential(credential.clone())
        .transport(Arc::new(mock.clone()))
        .build()
        .unwrap()
}

async fn get(client: &Client) -> Result<(), Error> {
    let call = Call {
        method: Method::GET,
        url: format!("{}/me", client.base_url()),
        headers: HeaderMap::new(),
        body: None,
        follow_redirects: false,
    };
    client.pipeline().send(&call).await.map(drop)
}

fn sent_tokens(mock: &MockTransport) -> Vec<String> {
    let requests = mock.requests();
    let tokens = requests
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned());
    tokens.collect()
}

fn unauthorized(www_authenticate: &str) -> MockResponse {
    MockResponse::json(
        401,
        json!({"error": {"code": "InvalidAuthenticationToken", "message": "Continuous access evaluation resulted in challenge"}}),
    )
    .header("www-authenticate", www_authenticate)
}

#[tokio::test]
async fn the_client_asks_once_for_100_concurrent_calls() {
    let credential = Arc::new(Fake::default().slow());
    let mock = MockTransport::new();
    for _ in 0..100 {
        mock.push(MockResponse::json(200, json!({})));
    }
    let client = client(&credential, &mock);
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { get(&client).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(credential.calls(), 1);
    assert_eq!(sent_tokens(&mock), ["Bearer token-1"; 100]);
}

#[tokio::test]
async fn a_claims_challenge_is_answered_once_with_a_token_for_those_claims() {
    let credential = Arc::new(Fake::default());
    let mock = MockTransport::new();
    mock.push(unauthorized(CLAIMS_CHALLENGE))
        .push(MockResponse::json(200, json!({})))
        .push(MockResponse::json(200, json!({})));
    let client = client(&credential, &mock);
    get(&client).await.unwrap();
    get(&client).await.unwrap();
    assert_eq!(
        sent_tokens(&mock),
        ["Bearer token-1", "Bearer token-2", "Bearer token-2"]
    );
    assert_eq!(credential.claims(), [None, Some(CLAIMS_JSON.to_owned())]);
    let requests = mock.requests();
    assert_eq!(
        requests[0].header("client-request-id"),
        requests[1].header("client-request-id"),
        "the new attempt belongs to the same call"
    );
    assert_eq!(requests[1].header("retry-attempt"), None);
}

#[tokio::test]
async fn a_second_claims_challenge_is_returned_with_its_envelope() {
    let credential = Arc::new(Fake::default());
    let mock = MockTransport::new();
    mock.push(unauthorized(CLAIMS_CHALLENGE))
        .push(unauthorized(CLAIMS_CHALLENGE))
        .push(MockResponse::json(200, json!({})));
    let client = client(&credential, &mock);
    let error = get(&client).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.status(), 401);
    assert_eq!(api.code(), Some("InvalidAuthenticationToken"));
    assert_eq!(mock.requests().len(), 2, "exactly one new attempt");

    get(&client).await.unwrap();
    assert_eq!(
        sent_tokens(&mock),
        ["Bearer token-1", "Bearer token-2", "Bearer token-3"],
        "the rejected token is not sent again"
    );
    assert_eq!(
        credential.claims(),
        [None, Some(CLAIMS_JSON.to_owned()), None]
    );
}

#[tokio::test]
async fn any_other_401_is_returned_at_once() {
    for www_authenticate in [
        r#"Bearer realm="", error="invalid_token""#,
        r#"Bearer error="insufficient_claims", claims="not base64!""#,
        r#"Basic claims="e30=""#,
    ] {
        let credential = Arc::new(Fake::default());
        let mock = MockTransport::new();
        mock.push(unauthorized(www_authenticate))
            .push(MockResponse::new(401))
            .push(MockResponse::json(200, json!({})));
        let client = client(&credential, &mock);
        let error = get(&client).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
        assert_eq!(mock.requests().len(), 1, "{www_authenticate}");
        get(&client).await.unwrap_err();
        get(&client).await.unwrap();
        assert_eq!(
            sent_tokens(&mock),
            ["Bearer token-1", "Bearer token-2", "Bearer token-3"],
            "{www_authenticate}: a rejected token is forgotten"
        );
        assert_eq!(credential.claims(), [None, None, None]);
    }
}

#[tokio::test]
async fn scopes_follow_the_base_url_unless_given() {
    let cases = [
        ("https://graph.microsoft.com/beta", SCOPE),
        (
            "https://graph.microsoft.us/v1.0",
            "https://graph.microsoft.us/.default",
        ),
        (
            "https://dod-graph.microsoft.us/v1.0",
            "https://dod-graph.microsoft.us/.default",
        ),
        (
            "https://microsoftgraph.chinacloudapi.cn/v1.0",
            "https://microsoftgraph.chinacloudapi.cn/.default",
        ),
    ];
    for (base_url, scope) in cases {
        let credential = Arc::new(Fake::default());
        let mock = MockTransport::new();
        mock.push(MockResponse::json(200, json!({})));
        let client = Client::builder()
            .base_url(base_url)
            .credential(credential.clone())
            .transport(Arc::new(mock))
            .build()
            .unwrap();
        get(&client).await.unwrap();
        assert_eq!(credential.requests.lock().unwrap()[0].0, [scope]);
    }

    let credential = Arc::new(Fake::default());
    let mock = MockTransport::new();
    mock.push(MockResponse::json(200, json!({})));
    let client = Client::builder()
        .credential(credential.clone() as Arc<dyn TokenCredential>)
        .scopes(["api://graph-proxy/.default", "offline_access"])
        .transport(Arc::new(mock))
        .build()
        .unwrap();
    get(&client).await.unwrap();
    assert_eq!(
        credential.requests.lock().unwrap()[0].0,
        ["api://graph-proxy/.default", "offline_access"]
    );

    let error = Client::builder()
        .bearer_token("t")
        .scopes(Vec::<String>::new())
        .transport(Arc::new(MockTransport::new()))
        .build()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid argument: `scopes` was given an empty list: a token needs at least one scope"
    );
}

// ---------------------------------------------------------------------------------------
// azure_core credentials

#[cfg(feature = "azure-identity")]
mod azure {
    use azure_core::credentials::{
        AccessToken as AzureToken, Secret, TokenCredential as AzureCredential, TokenRequestOptions,
    };
    use azure_core::time::{Duration as AzureDuration, OffsetDateTime};

    use super::*;

    /// Answers `azure-token-N`, valid for an hour, or fails when `fails`.
    #[derive(Debug, Default)]
    struct FakeAzure {
        fails: bool,
        scopes: Mutex<Vec<Vec<String>>>,
    }

    #[async_trait::async_trait]
    impl AzureCredential for FakeAzure {
        async fn get_token(
            &self,
            scopes: &[&str],
            _options: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AzureToken> {
            let call = {
                let mut calls = self.scopes.lock().unwrap();
                calls.push(scopes.iter().map(|scope| scope.to_string()).collect());
                calls.len()
            };
            if self.fails {
                return Err(azure_core::Error::with_message(
                    azure_core::error::ErrorKind::Credential,
                    "AADSTS7000215: Invalid client secret provided.",
                ));
            }
            let expires_on = OffsetDateTime::now_utc() + AzureDuration::hours(1);
            Ok(AzureToken::new(
                Secret::new(format!("azure-token-{call}")),
                expires_on,
            ))
        }
    }

    #[tokio::test]
    async fn an_azure_credential_is_a_token_credential_with_its_expiry() {
        let credential = FakeAzure::default();
        let scopes = [SCOPE];
        let request = TokenRequest::new(&scopes).with_claims(CLAIMS_JSON);
        let before = SystemTime::now();
        let token = TokenCredential::token(&credential, &request).await.unwrap();
        let after = SystemTime::now();
        assert_eq!(token.secret(), "azure-token-1");
        let hour = Duration::from_secs(3600);
        let expires_on = token.expires_on().unwrap();
        assert!(before + hour <= expires_on && expires_on <= after + hour);
        assert_eq!(*credential.scopes.lock().unwrap(), [[SCOPE]]);
    }

    /// The tokens sent by three calls of a client built from `builder`.
    async fn three_calls(builder: crate::ClientBuilder) -> Vec<String> {
        let mock = MockTransport::new();
        for _ in 0..3 {
            mock.push(MockResponse::json(200, json!({})));
        }
        let client = builder
            .base_url("https://graph.microsoft.us/v1.0")
            .transport(Arc::new(mock.clone()))
            .build()
            .unwrap();
        for _ in 0..3 {
            get(&client).await.unwrap();
        }
        sent_tokens(&mock)
    }

    #[tokio::test]
    async fn the_builder_takes_azure_credentials_and_the_client_caches_their_tokens() {
        let us_scope = ["https://graph.microsoft.us/.default"];
        let concrete = Arc::new(FakeAzure::default());
        let sent = three_calls(Client::builder().credential(concrete.clone())).await;
        assert_eq!(sent, ["Bearer azure-token-1"; 3]);
        assert_eq!(*concrete.scopes.lock().unwrap(), [us_scope]);

        let chosen_at_run_time = Arc::new(FakeAzure::default());
        let chosen: Arc<dyn AzureCredential> = chosen_at_run_time.clone();
        let sent = three_calls(Client::builder().credential(chosen)).await;
        assert_eq!(sent, ["Bearer azure-token-1"; 3]);
        assert_eq!(*chosen_at_run_time.scopes.lock().unwrap(), [us_scope]);
    }

    #[tokio::test]
    async fn an_azure_failure_is_a_credential_error_and_nothing_is_sent() {
        let mock = MockTransport::new();
        let client = Client::builder()
            .credential(Arc::new(FakeAzure {
                fails: true,
                ..FakeAzure::default()
            }))
            .transport(Arc::new(mock.clone()))
            .build()
            .unwrap();
        let error = get(&client).await.unwrap_err();
        assert!(matches!(error, Error::Credential(_)), "{error:?}");
        let azure = chain(&error)
            .into_iter()
            .find_map(|link| link.downcast_ref::<azure_core::Error>())
            .expect("azure_core's error in the source chain");
        assert_eq!(*azure.kind(), azure_core::error::ErrorKind::Credential);
        assert!(azure.to_string().contains("AADSTS7000215"), "{azure}");
        assert_no_message_repeated(&error);
        assert!(mock.requests().is_empty());
    }
}
