//! `validationTokens`: JSON web tokens that Microsoft's identity platform signs for Graph's
//! change-notification publisher, verified with RS256 on aws-lc-rs against Microsoft's
//! published signing keys.
//!
//! A token is three base64url parts, `header.payload.signature`. The signature over
//! `header.payload` is verified before any claim is read; only `RS256` is accepted.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use bytes::Bytes;
use serde::Deserialize;

use super::GRAPH_PUBLISHER_ID;
use crate::client::Client;
use crate::edm::Binary;
use crate::sync::lock;
use crate::text::{QUOTED_CHARS, Shortened};

/// Microsoft's OpenID configuration for every tenant, which names its signing keys.
const OPENID_CONFIGURATION: &str =
    "https://login.microsoftonline.com/common/.well-known/openid-configuration";
/// The longest token read; Microsoft's are about 1.5 KiB.
const MAX_TOKEN_LEN: usize = 16 * 1024;
/// The longest answer read from the key endpoints.
const MAX_KEYS_BODY: usize = 1024 * 1024;
/// The shortest time between a failed fetch of the signing keys and the next, so that a
/// flood of tokens while the key endpoints fail does not make one fetch per token.
const RETRY_INTERVAL: Duration = Duration::from_secs(10);

/// Verifies the `validationTokens` of rich notifications: RS256 signatures by Microsoft's
/// signing keys, the issuer (`https://sts.windows.net/{tenant}/` or
/// `https://login.microsoftonline.com/{tenant}/v2.0`), the audience (the application's
/// id), the publisher (`azp` or `appid` is [`GRAPH_PUBLISHER_ID`]) and the lifetime.
///
/// The keys come from Microsoft's OpenID configuration through the client's transport
/// (without the client's token); they are kept for a day, and fetched again at once for a
/// token signed with a key id they do not hold (at most once per five minutes). After a
/// failed fetch the next waits ten seconds, tokens meanwhile refused as when the keys could
/// not be fetched. Cheap to clone: clones share the keys.
///
/// ```
/// use graph_resource_runtime::{Client, MockTransport};
/// use graph_resource_runtime::notifications::TokenValidator;
/// use std::time::Duration;
///
/// let client = MockTransport::new().client_builder().build()?;
/// let validator = TokenValidator::new(&client, "my-application-id").leeway(Duration::from_secs(60));
/// # let _ = validator;
/// # Ok::<(), graph_resource_runtime::Error>(())
/// ```
#[derive(Clone)]
pub struct TokenValidator {
    client: Client,
    audience: String,
    configuration_url: String,
    leeway: Duration,
    key_lifetime: Duration,
    refresh_interval: Duration,
    keys: Arc<Mutex<KeyCache>>,
}

impl fmt::Debug for TokenValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenValidator")
            .field("audience", &self.audience)
            .field("configuration_url", &self.configuration_url)
            .field("leeway", &self.leeway)
            .finish_non_exhaustive()
    }
}

/// The signing keys fetched last.
#[derive(Default)]
struct KeyCache {
    keys: HashMap<String, Arc<SigningKey>>,
    fetched: Option<Instant>,
    /// When an unknown key id last made the keys be fetched again.
    forced: Option<Instant>,
    /// When the last fetch started, while it is under way or after it failed.
    unsettled: Option<Instant>,
}

/// An RSA public key of the key set.
struct SigningKey {
    modulus: Vec<u8>,
    exponent: Vec<u8>,
}

/// What a valid token vouches for.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedToken {
    /// The tenant of the issuer.
    pub tenant_id: String,
}

/// Why a validation token was refused.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// It is not three base64url parts with a JSON header and payload, or its header names
    /// critical extensions (`crit`); the message says what is wrong.
    Malformed(String),
    /// Its algorithm is not `RS256` (`none` and `HS256` included).
    Algorithm(String),
    /// No signing key has its key id, even after fetching the keys again.
    UnknownKey(String),
    /// Its signature does not verify with the key it names.
    Signature,
    /// A claim has the wrong value: the message names the claim, what was expected and
    /// what was found.
    Claim(String),
    /// It has expired or is not valid yet.
    Lifetime(String),
    /// The signing keys could not be fetched or read.
    Keys(String),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Malformed(message) => write!(f, "malformed token: {message}"),
            TokenError::Algorithm(alg) => write!(f, "expected alg `RS256`, found `{}`", Shown(alg)),
            TokenError::UnknownKey(kid) => write!(f, "no signing key has key id `{}`", Shown(kid)),
            TokenError::Signature => f.write_str("the token's signature does not verify"),
            TokenError::Claim(message) | TokenError::Lifetime(message) => f.write_str(message),
            TokenError::Keys(message) => write!(f, "could not get the signing keys: {message}"),
        }
    }
}

impl std::error::Error for TokenError {}

#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
    /// Extensions the token says must be understood: this validator understands none.
    #[serde(default)]
    crit: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct Claims {
    #[serde(default)]
    iss: Option<String>,
    #[serde(default)]
    aud: Option<Audience>,
    #[serde(default)]
    azp: Option<String>,
    #[serde(default)]
    appid: Option<String>,
    #[serde(default)]
    exp: Option<f64>,
    #[serde(default)]
    nbf: Option<f64>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

impl TokenValidator {
    /// Verifies tokens for the application `application_id` (their audience), fetching
    /// Microsoft's signing keys through `client`'s transport.
    pub fn new(client: &Client, application_id: impl Into<String>) -> Self {
        TokenValidator {
            client: client.clone(),
            audience: application_id.into(),
            configuration_url: OPENID_CONFIGURATION.to_owned(),
            leeway: Duration::from_secs(120),
            key_lifetime: Duration::from_secs(24 * 60 * 60),
            refresh_interval: Duration::from_secs(5 * 60),
            keys: Arc::default(),
        }
    }

    /// Reads the signing keys from the OpenID configuration at `url` (its `jwks_uri`)
    /// instead of Microsoft's common one: a national cloud's, or a test server's.
    #[must_use]
    pub fn openid_configuration(mut self, url: impl Into<String>) -> Self {
        self.configuration_url = url.into();
        self
    }

    /// How far `exp` and `nbf` may be off the local clock (default 2 minutes).
    #[must_use]
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Verifies `token` and returns the tenant it vouches for.
    pub async fn validate(&self, token: &str) -> Result<ValidatedToken, TokenError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(TokenError::Malformed(format!(
                "expected at most {MAX_TOKEN_LEN} characters, found {}",
                token.len()
            )));
        }
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed(
                "expected three parts separated by `.`".into(),
            ));
        };
        let header: Header = json_part("header", header)?;
        if header.alg != "RS256" {
            return Err(TokenError::Algorithm(header.alg));
        }
        if header.crit.is_some() {
            return Err(TokenError::Malformed(
                "expected no `crit` header: its extensions must be understood, and none are".into(),
            ));
        }
        let kid = header
            .kid
            .ok_or_else(|| TokenError::Malformed("the header has no `kid`".into()))?;
        let signature = base64_part("signature", signature)?;
        let key = self.key(&kid).await?;
        let signed = token.rsplit_once('.').map_or("", |(signed, _)| signed);
        RsaPublicKeyComponents {
            n: &key.modulus,
            e: &key.exponent,
        }
        .verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature)
        .map_err(|_| TokenError::Signature)?;

        let claims: Claims = json_part("payload", payload)?;
        self.check(&claims, SystemTime::now())
    }

    /// Checks the claims of a token whose signature verified.
    fn check(&self, claims: &Claims, now: SystemTime) -> Result<ValidatedToken, TokenError> {
        let issuer = claims.iss.as_deref().unwrap_or_default();
        let tenant_id = tenant_of(issuer).ok_or_else(|| {
            TokenError::Claim(format!(
                "expected `iss` to be `https://sts.windows.net/{{tenant}}/` or \
                 `https://login.microsoftonline.com/{{tenant}}/v2.0`, found `{issuer}`"
            ))
        })?;
        let audience_ok = match &claims.aud {
            Some(Audience::One(audience)) => *audience == self.audience,
            Some(Audience::Many(audiences)) => audiences.contains(&self.audience),
            None => false,
        };
        if !audience_ok {
            return Err(TokenError::Claim(format!(
                "expected `aud` to be the application id `{}`",
                self.audience
            )));
        }
        let publisher = claims.azp.as_deref().or(claims.appid.as_deref());
        if publisher != Some(GRAPH_PUBLISHER_ID) {
            return Err(TokenError::Claim(format!(
                "expected `azp` or `appid` to be Graph's publisher `{GRAPH_PUBLISHER_ID}`, found {:?}",
                publisher.unwrap_or("nothing")
            )));
        }
        let now = now
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64();
        let leeway = self.leeway.as_secs_f64();
        let expires = claims
            .exp
            .ok_or_else(|| TokenError::Lifetime("the token has no `exp`".into()))?;
        if now > expires + leeway {
            return Err(TokenError::Lifetime(format!(
                "the token expired {:.0} s ago",
                now - expires
            )));
        }
        if let Some(not_before) = claims.nbf
            && now + leeway < not_before
        {
            return Err(TokenError::Lifetime(format!(
                "the token is valid only in {:.0} s",
                not_before - now
            )));
        }
        Ok(ValidatedToken {
            tenant_id: tenant_id.to_owned(),
        })
    }

    /// The signing key `kid`: from the cache, else after fetching the keys (again). A fetch
    /// starts only when none is under way or failed less than [`RETRY_INTERVAL`] ago, and
    /// for an unknown key id at most once per `refresh_interval`.
    async fn key(&self, kid: &str) -> Result<Arc<SigningKey>, TokenError> {
        let fetch = {
            let mut cache = lock(&self.keys);
            let fresh = self.fresh(&cache);
            if fresh && let Some(key) = cache.keys.get(kid) {
                return Ok(Arc::clone(key));
            }
            let may_retry = cache
                .unsettled
                .is_none_or(|started| started.elapsed() >= RETRY_INTERVAL);
            let may_refresh = !fresh
                || cache
                    .forced
                    .is_none_or(|forced| forced.elapsed() >= self.refresh_interval);
            let fetch = may_retry && may_refresh;
            if fetch {
                let now = Instant::now();
                cache.unsettled = Some(now);
                if fresh {
                    cache.forced = Some(now);
                }
            }
            fetch
        };
        if fetch {
            let keys = self.fetch_keys().await?;
            let mut cache = lock(&self.keys);
            cache.keys = keys;
            cache.fetched = Some(Instant::now());
            cache.unsettled = None;
        }
        let cache = lock(&self.keys);
        if !self.fresh(&cache) {
            return Err(TokenError::Keys(format!(
                "the last fetch failed or is under way; the next starts at most {} s after it",
                RETRY_INTERVAL.as_secs()
            )));
        }
        cache
            .keys
            .get(kid)
            .cloned()
            .ok_or_else(|| TokenError::UnknownKey(kid.to_owned()))
    }

    /// Whether the keys of `cache` were fetched less than `key_lifetime` ago.
    fn fresh(&self, cache: &KeyCache) -> bool {
        cache
            .fetched
            .is_some_and(|fetched| fetched.elapsed() < self.key_lifetime)
    }

    /// Reads the OpenID configuration, then its key set.
    async fn fetch_keys(&self) -> Result<HashMap<String, Arc<SigningKey>>, TokenError> {
        #[derive(Deserialize)]
        struct Configuration {
            jwks_uri: String,
        }
        #[derive(Deserialize)]
        struct KeySet {
            keys: Vec<Jwk>,
        }
        #[derive(Deserialize)]
        struct Jwk {
            #[serde(default)]
            kty: Option<String>,
            #[serde(default, rename = "use")]
            usage: Option<String>,
            #[serde(default)]
            kid: Option<String>,
            #[serde(default)]
            n: Option<String>,
            #[serde(default)]
            e: Option<String>,
        }

        let configuration: Configuration = self.get_json(&self.configuration_url).await?;
        if self.configuration_url.starts_with("https://")
            && !configuration.jwks_uri.starts_with("https://")
        {
            return Err(TokenError::Keys(format!(
                "expected an https `jwks_uri`, found `{}`",
                configuration.jwks_uri
            )));
        }
        let set: KeySet = self.get_json(&configuration.jwks_uri).await?;
        let mut keys = HashMap::new();
        for jwk in set.keys {
            let usable = jwk.kty.as_deref() == Some("RSA")
                && jwk.usage.as_deref().is_none_or(|usage| usage == "sig");
            let (true, Some(kid), Some(n), Some(e)) = (usable, jwk.kid, jwk.n, jwk.e) else {
                continue;
            };
            let (Ok(modulus), Ok(exponent)) = (Binary::from_base64(&n), Binary::from_base64(&e))
            else {
                continue;
            };
            let key = SigningKey {
                modulus: modulus.0,
                exponent: exponent.0,
            };
            keys.insert(kid, Arc::new(key));
        }
        Ok(keys)
    }

    /// GETs `url` through the client's transport, without its token, and reads its JSON.
    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, TokenError> {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::ACCEPT,
            http::HeaderValue::from_static("application/json"),
        );
        let response = crate::pipeline::bare::exchange::<Bytes>(
            self.client.pipeline(),
            &http::Method::GET,
            url,
            headers,
            crate::pipeline::exchange::Payload::Bytes(Bytes::new()),
        )
        .await
        .map_err(|error| TokenError::Keys(error.to_string()))?;
        if !response.status().is_success() {
            return Err(TokenError::Keys(format!(
                "GET {url}: expected 200, found {}",
                response.status()
            )));
        }
        let body = response.body();
        if body.len() > MAX_KEYS_BODY {
            return Err(TokenError::Keys(format!(
                "GET {url}: expected at most {MAX_KEYS_BODY} bytes, found {}",
                body.len()
            )));
        }
        serde_json::from_slice(body)
            .map_err(|error| TokenError::Keys(format!("GET {url}: {error}")))
    }
}

/// The tenant of an issuer in either of Microsoft's forms.
fn tenant_of(issuer: &str) -> Option<&str> {
    let tenant = issuer
        .strip_prefix("https://sts.windows.net/")
        .and_then(|rest| rest.strip_suffix('/'))
        .or_else(|| {
            issuer
                .strip_prefix("https://login.microsoftonline.com/")
                .and_then(|rest| rest.strip_suffix("/v2.0"))
        })?;
    let plain = !tenant.is_empty()
        && tenant
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.'));
    plain.then_some(tenant)
}

fn base64_part(name: &str, part: &str) -> Result<Vec<u8>, TokenError> {
    Binary::from_base64(part)
        .map(|binary| binary.0)
        .map_err(|why| TokenError::Malformed(format!("the {name} is not base64url: {why}")))
}

fn json_part<T: serde::de::DeserializeOwned>(name: &str, part: &str) -> Result<T, TokenError> {
    let bytes = base64_part(name, part)?;
    serde_json::from_slice(&bytes).map_err(|error| {
        TokenError::Malformed(format!("the {name} is not the JSON expected: {error}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_in_both_forms_name_their_tenant() {
        let tenant = "84bd8158-6d4d-4958-8b9f-9d6445542f95";
        assert_eq!(
            tenant_of(&format!("https://sts.windows.net/{tenant}/")),
            Some(tenant)
        );
        assert_eq!(
            tenant_of(&format!("https://login.microsoftonline.com/{tenant}/v2.0")),
            Some(tenant)
        );
        for wrong in [
            "https://sts.windows.net//",
            "https://sts.windows.net/a/b/",
            "https://evil.example/t/",
            "https://login.microsoftonline.com/t/v2.0/x",
            "http://sts.windows.net/t/",
        ] {
            assert_eq!(tenant_of(wrong), None, "{wrong}");
        }
    }
}

/// A value a token's sender chose, as a message shows it: escaped (no line breaks or control
/// characters to forge log lines with) and shortened.
struct Shown<'a>(&'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let escaped = self.0.escape_debug().to_string();
        Shortened(&escaped, QUOTED_CHARS).fmt(f)
    }
}

#[cfg(test)]
mod shown_tests {
    use super::TokenError;

    #[test]
    fn a_senders_key_id_and_algorithm_are_escaped_and_shortened_in_messages() {
        let forged = format!("k1\nINFO accepted token{}", "x".repeat(500));
        for error in [
            TokenError::UnknownKey(forged.clone()),
            TokenError::Algorithm(forged.clone()),
        ] {
            let message = error.to_string();
            assert!(!message.contains('\n'), "{message}");
            assert!(message.contains("k1\\nINFO"), "{message}");
            assert!(message.len() < 200, "{message}");
        }
    }
}
