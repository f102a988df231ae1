//! The client: base URL, credential, transport, retry policy and timeout.

use std::future::poll_fn;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderValue, Method, Request, Response, Uri};

use crate::credential::{
    IntoCredential, StaticToken, TokenCache, TokenCredential, send_authorized,
};
use crate::error::{ApiError, Error, TransportError, TransportErrorKind};
use crate::retry::{RetryPolicy, Sleep, default_sleep, retries_status, retries_transport_error};
use crate::transport::Transport;

const DEFAULT_BASE_URL: &str = "https://graph.microsoft.com/v1.0";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);
const USER_AGENT_VALUE: &str = concat!("graph-resource/", env!("CARGO_PKG_VERSION"));

/// A Microsoft Graph client: what the generated operations take as their first argument.
///
/// Cheap to clone (one `Arc`), `Send` and `Sync`: build one and share it. Its `Debug`
/// output never shows the token.
///
/// ```
/// use graph_resource_runtime::{Client, MockTransport};
/// use std::sync::Arc;
///
/// let client = Client::builder()
///     .base_url("https://graph.microsoft.com/beta/")
///     .bearer_token("eyJ0eXAi…")
///     .transport(Arc::new(MockTransport::new())) // leave out for the reqwest transport
///     .build()?;
/// assert_eq!(client.base_url(), "https://graph.microsoft.com/beta");
/// # Ok::<(), graph_resource_runtime::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    base_url: String,
    credential: TokenCache,
    transport: Arc<dyn Transport>,
    retry_policy: RetryPolicy,
    sleep: Arc<dyn Sleep>,
    timeout: Duration,
}

impl Client {
    /// A builder with the defaults: Graph v1.0, the reqwest transport (feature `reqwest`),
    /// the default [`RetryPolicy`] and a 100 s timeout per request. A credential is required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL every request path is appended to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `method` to the base URL followed by `path` (percent-encoded, starting with
    /// `/`) and returns the 2xx response; any other status becomes [`Error::Api`].
    ///
    /// Every attempt carries `Authorization` with the cached token (marked sensitive),
    /// `Accept: application/json`, `Content-Type: application/json` when there is a body,
    /// `User-Agent: graph-resource/<version>` and a `client-request-id` that is a fresh UUID
    /// v4 per call and the same on its retries, as Graph recommends; retries add
    /// `Retry-Attempt`. Retries follow the [`RetryPolicy`]; each attempt is raced against the
    /// timeout. A `401` with a claims challenge is sent once more with a token asked for
    /// those claims.
    #[doc(hidden)]
    pub async fn execute(
        &self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
    ) -> Result<Response<Bytes>, Error> {
        let inner = &*self.inner;
        let url = format!("{}{path}", inner.base_url);
        let uri = Uri::try_from(url.as_str())
            .map_err(|_| Error::InvalidArgument(format!("`{url}` is not a valid URL")))?;
        let client_request_id = new_client_request_id();
        let mut waited = Duration::ZERO;
        let mut retry: u32 = 0;
        loop {
            let request = Attempt {
                method: &method,
                uri: &uri,
                url: &url,
                client_request_id: &client_request_id,
                retry,
            };
            let error = match self.send(request, body.clone()).await {
                Ok(response) if response.status().is_success() => return Ok(response),
                Ok(response) => {
                    Error::Api(Box::new(ApiError::from_response(&method, &url, response)))
                }
                Err(error) => error,
            };
            let retry_after = match &error {
                Error::Api(api) if retries_status(&method, api.status()) => api.retry_after(),
                Error::Transport(transport)
                    if retries_transport_error(&method, transport.kind()) =>
                {
                    None
                }
                _ => return Err(error),
            };
            retry = retry.saturating_add(1);
            let Some(delay) = inner.retry_policy.next_delay(retry, waited, retry_after) else {
                return Err(error);
            };
            inner.sleep.sleep(delay).await;
            waited = waited.saturating_add(delay);
        }
    }

    /// Sends one attempt with the cached token, and once more with a new one when Graph
    /// answers with a claims challenge.
    async fn send(
        &self,
        attempt: Attempt<'_>,
        body: Option<Bytes>,
    ) -> Result<Response<Bytes>, Error> {
        send_authorized(&self.inner.credential, |authorization| {
            self.transmit(&attempt, body.clone(), authorization)
        })
        .await
    }

    /// Builds the request and races it against the timeout.
    async fn transmit(
        &self,
        attempt: &Attempt<'_>,
        body: Option<Bytes>,
        authorization: HeaderValue,
    ) -> Result<Response<Bytes>, Error> {
        let inner = &*self.inner;
        let mut request = Request::new(Bytes::new());
        *request.method_mut() = attempt.method.clone();
        *request.uri_mut() = attempt.uri.clone();
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        headers.insert("client-request-id", attempt.client_request_id.clone());
        if attempt.retry > 0 {
            headers.insert("retry-attempt", HeaderValue::from(attempt.retry));
        }
        if let Some(body) = body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            *request.body_mut() = body;
        }

        let mut send = inner.transport.send(request);
        let mut timer = None;
        let response = poll_fn(|cx| {
            if let Poll::Ready(result) = send.as_mut().poll(cx) {
                return Poll::Ready(result);
            }
            // Started only when the transport did not answer at once.
            let timer = timer.get_or_insert_with(|| inner.sleep.sleep(inner.timeout));
            timer.as_mut().poll(cx).map(|()| {
                let message = format!("no response within {:?}", inner.timeout);
                Err(TransportError::new(TransportErrorKind::Timeout, message))
            })
        });
        response
            .await
            .map_err(|error| Error::Transport(error.for_request(attempt.method, attempt.url)))
    }
}

/// One attempt of a call.
struct Attempt<'a> {
    method: &'a Method,
    uri: &'a Uri,
    url: &'a str,
    client_request_id: &'a HeaderValue,
    retry: u32,
}

/// A random UUID v4, lowercase, as Graph expects in `client-request-id`.
fn new_client_request_id() -> HeaderValue {
    let bits = fastrand::u128(..);
    let bits = (bits & !(0xF_u128 << 76)) | (0x4_u128 << 76); // version 4
    let bits = (bits & !(0x3_u128 << 62)) | (0x2_u128 << 62); // RFC 4122 variant
    let id = format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        bits >> 96,
        (bits >> 80) & 0xFFFF,
        (bits >> 64) & 0xFFFF,
        (bits >> 48) & 0xFFFF,
        bits & 0xFFFF_FFFF_FFFF
    );
    // Hex digits and dashes always make a valid header value.
    HeaderValue::try_from(id).unwrap_or(HeaderValue::from_static(
        "00000000-0000-4000-8000-000000000000",
    ))
}

/// Configures and builds a [`Client`]; see [`Client::builder`].
///
/// Its `Debug` output never shows the token.
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    credential: Option<Arc<dyn TokenCredential>>,
    scopes: Option<Vec<String>>,
    transport: Option<Arc<dyn Transport>>,
    retry_policy: RetryPolicy,
    sleep: Option<Arc<dyn Sleep>>,
    timeout: Duration,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            credential: None,
            scopes: None,
            transport: None,
            retry_policy: RetryPolicy::default(),
            sleep: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl ClientBuilder {
    /// The URL request paths are appended to (default `https://graph.microsoft.com/v1.0`):
    /// `…/beta`, a national cloud such as `https://graph.microsoft.us/v1.0`, or a test
    /// server such as `http://127.0.0.1:8080`. Trailing `/`s are removed; `build` rejects a
    /// URL that is not `http` or `https`, has no host, has user info, a query or a fragment.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Sends this fixed token as `Authorization: Bearer …` (a [`StaticToken`]).
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.credential(Arc::new(StaticToken::new(token)))
    }

    /// Gets tokens from `credential`: an `Arc` of a [`TokenCredential`](crate::TokenCredential)
    /// (with the `azure-identity` feature, any `azure_identity` credential). The client keeps
    /// the token and asks for a new one only before it expires, after a `401`, or for a
    /// claims challenge.
    pub fn credential(mut self, credential: impl IntoCredential) -> Self {
        self.credential = Some(credential.into_credential());
        self
    }

    /// Asks the credential for tokens for `scopes` instead of `{scheme}://{host}/.default`
    /// of the base URL (`https://graph.microsoft.com/.default`,
    /// `https://graph.microsoft.us/.default`, …). `build` rejects an empty list.
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Sends requests through `transport` instead of the default `ReqwestTransport`.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Replaces the default [`RetryPolicy`]; `RetryPolicy::none()` turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// The timer for retry delays and timeouts (default `TokioSleep` with the `tokio`
    /// feature, else [`ThreadSleep`](crate::ThreadSleep)).
    pub fn sleep(mut self, sleep: Arc<dyn Sleep>) -> Self {
        self.sleep = Some(sleep);
        self
    }

    /// How long one attempt may wait for its response before it fails with a
    /// [`Timeout`](TransportErrorKind::Timeout) error (default 100 s). Retries get a fresh
    /// timeout each.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Fails with [`Error::InvalidArgument`] for an invalid base URL, without a credential,
    /// or without a transport when the `reqwest` feature is off.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let (base_url, scope) = check_base_url(base_url)?;
        let credential = self.credential.ok_or_else(|| {
            Error::InvalidArgument(
                "no credential: call `bearer_token` or `credential` on the ClientBuilder".into(),
            )
        })?;
        let scopes = match self.scopes {
            None => vec![scope],
            Some(scopes) if scopes.is_empty() => {
                return Err(Error::InvalidArgument(
                    "`scopes` was given an empty list: a token needs at least one scope".into(),
                ));
            }
            Some(scopes) => scopes,
        };
        let transport = match self.transport {
            Some(transport) => transport,
            None => default_transport()?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                base_url,
                credential: TokenCache::new(credential, scopes),
                transport,
                retry_policy: self.retry_policy,
                sleep: self.sleep.unwrap_or_else(default_sleep),
                timeout: self.timeout,
            }),
        })
    }
}

/// The base URL without trailing `/`, and the token scope `{scheme}://{host}/.default`.
fn check_base_url(base_url: &str) -> Result<(String, String), Error> {
    // Quoted only without user info, which may hold a password.
    let shown = if base_url.contains('@') {
        "with user info"
    } else {
        base_url
    };
    let invalid = |why: &str| Error::InvalidArgument(format!("the base URL `{shown}` {why}"));
    let trimmed = base_url.trim_end_matches('/');
    let uri = Uri::try_from(trimmed).map_err(|_| invalid("is not a valid URL"))?;
    let scheme = uri
        .scheme_str()
        .filter(|scheme| matches!(*scheme, "https" | "http"));
    let (Some(scheme), Some(authority)) = (scheme, uri.authority()) else {
        return Err(invalid(
            "must start with `https://` or `http://` and a host",
        ));
    };
    if authority.as_str().contains('@') {
        // Not quoted: the user info may hold a password.
        return Err(Error::InvalidArgument(
            "the base URL must not contain user info".into(),
        ));
    }
    if uri.query().is_some() || trimmed.contains('#') {
        return Err(invalid("must not have a query or a fragment"));
    }
    // The scope names the resource as Entra ID knows it: without the scheme's default port.
    let default_port = if scheme == "https" { 443 } else { 80 };
    let host = authority.host();
    let scope = match authority.port_u16() {
        Some(port) if port != default_port => format!("{scheme}://{host}:{port}/.default"),
        _ => format!("{scheme}://{host}/.default"),
    };
    Ok((trimmed.to_owned(), scope))
}

#[cfg(feature = "reqwest")]
fn default_transport() -> Result<Arc<dyn Transport>, Error> {
    let transport = crate::ReqwestTransport::try_default().map_err(Error::Transport)?;
    Ok(Arc::new(transport))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport() -> Result<Arc<dyn Transport>, Error> {
    Err(Error::InvalidArgument(
        "no transport: enable the `reqwest` feature or call `transport` on the ClientBuilder"
            .into(),
    ))
}

#[cfg(test)]
pub(crate) mod tests;
