//! The client: base URL, credential, transport, retry policy and timeout.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderName, HeaderValue, Uri};

use crate::credential::{IntoCredential, StaticToken, TokenCache, TokenCredential};
use crate::error::Error;
use crate::pipeline::headers::HeaderSettings;
use crate::pipeline::retry::RetryPolicy;
use crate::pipeline::throttle::{Gate, ThrottleScopes};
use crate::pipeline::{Call, InFlight, Pipeline};
use crate::sleep::{Sleep, default_sleep};
use crate::transport::Transport;

const DEFAULT_BASE_URL: &str = "https://graph.microsoft.com/v1.0";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);
/// Long enough for a credential that retries its token endpoint (`azure_core` retries for up
/// to 60 s by default) or starts a developer tool (`az`, `azd`), and shorter than the
/// 100 s a request may take.
const DEFAULT_CREDENTIAL_TIMEOUT: Duration = Duration::from_secs(60);

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

/// Aligned to 128 bytes, so that the `Arc`'s counts, which every request writes as it
/// clones the client and drops its clone, lie on cache lines of their own, apart from the
/// settings every call reads.
#[derive(Debug)]
#[repr(align(128))]
struct Inner {
    base_url: String,
    pipeline: Pipeline,
}

impl Client {
    /// A builder with the defaults: Graph v1.0, the reqwest transport (feature `reqwest`),
    /// the default [`RetryPolicy`], a 100 s timeout per request, the throttle gate on with
    /// Graph's throttling scopes and no limit on requests in flight. A credential is required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL every request path is appended to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Whether `other` is this client or a clone of it.
    pub(crate) fn is_same(&self, other: &Client) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// The pipeline every request of this client goes through.
    pub(crate) fn pipeline(&self) -> &Pipeline {
        &self.inner.pipeline
    }

    /// Sends `call` through the pipeline, as a future that owns the client: a request hands
    /// over its own rather than cloning it, which would write the `Arc`'s count, shared by
    /// every call on every core, once more each way.
    pub(crate) fn start(self, call: Call) -> InFlight {
        Box::pin(async move {
            let response = self.pipeline().send(&call).await;
            (call, response)
        })
    }
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
    credential_timeout: Duration,
    allow_insecure_http: bool,
    throttle_gate: bool,
    throttle_scopes: ThrottleScopes,
    max_in_flight: Option<usize>,
    headers: HeaderSettings,
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
            credential_timeout: DEFAULT_CREDENTIAL_TIMEOUT,
            allow_insecure_http: false,
            throttle_gate: true,
            throttle_scopes: ThrottleScopes::graph(),
            max_in_flight: None,
            headers: HeaderSettings::default(),
        }
    }
}

impl ClientBuilder {
    /// The URL request paths are appended to (default `https://graph.microsoft.com/v1.0`):
    /// `…/beta`, a national cloud such as `https://graph.microsoft.us/v1.0`, or a test
    /// server such as `http://127.0.0.1:8080`. Trailing `/`s are removed; `build` rejects a
    /// URL that is not `http` or `https`, has no host, has user info, a query or a fragment,
    /// and a plain `http://` URL to a host other than `localhost`, `127.0.0.0/8` or `[::1]`
    /// unless [`allow_insecure_http`](ClientBuilder::allow_insecure_http) says otherwise.
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
    /// feature, else [`ThreadSleep`](crate::ThreadSleep); [`RecordingSleep`](crate::RecordingSleep)
    /// in tests).
    pub fn sleep(mut self, sleep: Arc<dyn Sleep>) -> Self {
        self.sleep = Some(sleep);
        self
    }

    /// How long one attempt may wait for its response before it fails with a
    /// [`Timeout`](crate::TransportErrorKind::Timeout) error (default 100 s). Retries get a fresh
    /// timeout each.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long the credential may take to give a token before the call fails with
    /// [`Error::Credential`] (default 60 s, long enough for a credential that retries its
    /// token endpoint). Calls waiting for the same token fail with it, and the next call asks
    /// the credential again; calls that still have a usable token keep sending it meanwhile.
    ///
    /// ```
    /// # use graph_resource_runtime::MockTransport;
    /// # use std::time::Duration;
    /// # let mock = MockTransport::new();
    /// let client = mock.client_builder().credential_timeout(Duration::from_secs(10)).build()?;
    /// # let _ = client;
    /// # Ok::<(), graph_resource_runtime::Error>(())
    /// ```
    pub fn credential_timeout(mut self, timeout: Duration) -> Self {
        self.credential_timeout = timeout;
        self
    }

    /// Accepts a base URL over plain `http://` to any host (default: only to `localhost`,
    /// `127.0.0.0/8` and `[::1]`, for local test servers). Over plain HTTP the bearer token
    /// and every payload cross the network unencrypted, readable and changeable by anyone
    /// on the way: turn this on only behind a proxy that you trust to encrypt the rest of
    /// the way, such as a sidecar on the same host.
    ///
    /// ```
    /// # use graph_resource_runtime::MockTransport;
    /// # let mock = MockTransport::new();
    /// let plain = mock.client_builder().base_url("http://graph-proxy:8080/v1.0");
    /// assert!(plain.clone().build().is_err());
    /// let client = plain.allow_insecure_http(true).build()?;
    /// # let _ = client;
    /// # Ok::<(), graph_resource_runtime::Error>(())
    /// ```
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Whether a `429 Too Many Requests` with `Retry-After` holds every other request in
    /// the same throttling scope (see [`throttle_scopes`](ClientBuilder::throttle_scopes))
    /// until then, instead of letting each collect its own 429 (default on). Retries of
    /// other calls are held too; requests already sent are not, and the throttled request
    /// itself waits its `Retry-After` in its retry step, as without the gate. A
    /// `Retry-After` longer than the retry policy's [`max_delay`](RetryPolicy::max_delay)
    /// holds nothing: that call fails, as the others will with their own 429. A call is held
    /// no longer than the retry policy's [`max_total_delay`](RetryPolicy::max_total_delay)
    /// in all: a scope that other calls' 429s keep throttling cannot stall it forever; past
    /// that it is sent, and a 429 it gets is retried or returned like any other. An item of a
    /// [`$batch`](crate::Batch) answered 429 holds its own scope, that of its URL. Clones
    /// of the client share the gate.
    ///
    /// When a hold ends, the calls it held are released spread over a short window, each
    /// after a random delay of up to a tenth of the `Retry-After` and at most 500 ms, so
    /// that they do not reach Graph in one burst that earns a new 429.
    ///
    /// Only what is not yet sent can be held: when many calls start at once, a
    /// [`max_in_flight`](ClientBuilder::max_in_flight) limit keeps most of them waiting
    /// at the gate instead of on the wire.
    ///
    /// ```
    /// # use graph_resource_runtime::{Client, MockTransport};
    /// # let mock = MockTransport::new();
    /// let each_on_its_own = mock.client_builder().throttle_gate(false).build()?;
    /// # let _ = each_on_its_own;
    /// # Ok::<(), graph_resource_runtime::Error>(())
    /// ```
    pub fn throttle_gate(mut self, on: bool) -> Self {
        self.throttle_gate = on;
        self
    }

    /// Which requests a 429 holds at the [`throttle_gate`](ClientBuilder::throttle_gate):
    /// those in its scope on the same origin. [`ThrottleScopes::graph`] (the default)
    /// follows Graph's throttling limits, per service and per mailbox, so that one busy
    /// mailbox does not stall `/users`; [`ThrottleScopes::origin`] holds every request to
    /// the origin; [`ThrottleScopes::custom`] takes a function of the path.
    ///
    /// ```
    /// # use graph_resource_runtime::{Client, MockTransport, ThrottleScopes};
    /// # let mock = MockTransport::new();
    /// let whole_origin = mock
    ///     .client_builder()
    ///     .throttle_scopes(ThrottleScopes::origin())
    ///     .build()?;
    /// // One scope per first segment: `/users/…`, `/groups/…`, …
    /// let by_first_segment = mock
    ///     .client_builder()
    ///     .throttle_scopes(ThrottleScopes::custom(|path| {
    ///         path.split('/').nth(1).unwrap_or_default().to_ascii_lowercase()
    ///     }))
    ///     .build()?;
    /// # let _ = (whole_origin, by_first_segment);
    /// # Ok::<(), graph_resource_runtime::Error>(())
    /// ```
    pub fn throttle_scopes(mut self, scopes: ThrottleScopes) -> Self {
        self.throttle_scopes = scopes;
        self
    }

    /// Sends at most `limit` requests at once across the client and its clones (default: no
    /// limit); the others wait for a free slot in the order they came, on any executor. A
    /// request waiting out a `Retry-After` or a backoff holds no slot. `build` rejects 0.
    ///
    /// ```
    /// # use graph_resource_runtime::{Client, MockTransport};
    /// # let mock = MockTransport::new();
    /// let client = mock.client_builder().max_in_flight(16).build()?;
    /// assert!(mock.client_builder().max_in_flight(0).build().is_err());
    /// # let _ = client;
    /// # Ok::<(), graph_resource_runtime::Error>(())
    /// ```
    pub fn max_in_flight(mut self, limit: usize) -> Self {
        self.max_in_flight = Some(limit);
        self
    }

    /// Sends `name: value` with every request of the client (the `$batch` request and
    /// each request inside one too), unless the request sets a header of that name itself:
    /// [`Request::header`](crate::Request::header) wins. Called again with the same name, it
    /// adds another value. A name or value that is not valid HTTP, or `Authorization`
    /// (the credential's), fails `build`.
    ///
    /// ```
    /// # use graph_resource_runtime::{Client, MockTransport};
    /// # let mock = MockTransport::new();
    /// let client = mock.client_builder().default_header("ConsistencyLevel", "eventual").build()?;
    /// # let _ = client;
    /// # Ok::<(), graph_resource_runtime::Error>(())
    /// ```
    pub fn default_header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        self.headers.add(name, value);
        self
    }

    /// Names the SDK built on this crate in `User-Agent`, before this crate's own product
    /// token, as Graph asks SDKs to identify themselves: `contoso-intune/1.2` sends
    /// `User-Agent: contoso-intune/1.2 graph-resource/0.1.0`. `build` rejects anything but
    /// a name and an optional `/version` of HTTP token characters. A `User-Agent` set on a
    /// request, or as a default header, replaces the whole value.
    ///
    /// ```
    /// # use graph_resource_runtime::{Client, MockTransport};
    /// # let mock = MockTransport::new();
    /// let client = mock.client_builder().user_agent("contoso-intune/1.2").build()?;
    /// assert!(mock.client_builder().user_agent("contoso intune").build().is_err());
    /// # let _ = client;
    /// # Ok::<(), graph_resource_runtime::Error>(())
    /// ```
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.headers.product(product.into());
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Fails with [`Error::InvalidArgument`] for an invalid base URL (a plain `http://` one to
    /// another host than this one included), without a credential,
    /// without a transport when the `reqwest` feature is off, with a
    /// [`max_in_flight`](ClientBuilder::max_in_flight) of 0, an invalid
    /// [`default_header`](ClientBuilder::default_header) or
    /// [`user_agent`](ClientBuilder::user_agent).
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let (base_url, scope) = check_base_url(base_url, self.allow_insecure_http)?;
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
        let headers = self.headers.build()?;
        let transport = match self.transport {
            Some(transport) => transport,
            None => default_transport()?,
        };
        let throttle = Gate::new(
            self.throttle_gate,
            self.throttle_scopes,
            &base_url,
            self.max_in_flight,
        )?;
        let sleep = self.sleep.unwrap_or_else(default_sleep);
        Ok(Client {
            inner: Arc::new(Inner {
                base_url,
                pipeline: Pipeline {
                    retry: self.retry_policy,
                    credential: TokenCache::new(
                        credential,
                        scopes,
                        self.credential_timeout,
                        sleep.clone(),
                    ),
                    transport,
                    sleep,
                    timeout: self.timeout,
                    throttle,
                    headers,
                },
            }),
        })
    }
}

/// The base URL without trailing `/`, and the token scope `{scheme}://{host}/.default`;
/// plain `http` only to a loopback host unless `allow_insecure_http`.
fn check_base_url(base_url: &str, allow_insecure_http: bool) -> Result<(String, String), Error> {
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
    if scheme == "http" && !allow_insecure_http && !is_loopback(authority.host()) {
        return Err(invalid(
            "sends the token unencrypted: use `https://`, or `http://` only to `localhost`, \
             `127.0.0.0/8` or `[::1]` (`allow_insecure_http` accepts any host)",
        ));
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

/// Whether `host` (as a URL spells it) is this machine for certain: `localhost`, an IPv4
/// address in `127.0.0.0/8` or `[::1]`. A name that only starts like one
/// (`127.0.0.1.example.com`, `localhost.example.com`) is another host, and so is an IPv4
/// address mapped into IPv6 (`[::ffff:127.0.0.1]`), which some stacks send out as IPv6.
fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host
        .strip_prefix('[')
        .and_then(|host| host.strip_suffix(']'))
    {
        Some(v6) => v6.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback()),
        None => host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback()),
    }
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
