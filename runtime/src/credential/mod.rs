//! Where the bearer token comes from: the [`TokenCredential`] trait, the tokens it returns,
//! and the client's cache of them.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use crate::transport::BoxFuture;

#[cfg(feature = "azure-identity")]
mod azure;
mod cache;
mod challenge;
#[cfg(test)]
mod tests;

#[cfg(test)]
use cache::thread_holds_a_copy;
pub(crate) use cache::{Authorization, TokenCache};
pub(crate) use challenge::claims_of_challenge;

/// Provides the access token sent as `Authorization: Bearer …`.
///
/// The [`Client`](crate::Client) keeps the token it gets and asks again only when it must:
/// five minutes before [`expires_on`](AccessToken::expires_on) (at half its lifetime for a
/// token shorter than ten minutes; meanwhile other calls keep sending the current token),
/// in any case before its last minute, after Graph rejected it with `401`, or when Graph asks
/// for more claims. Concurrent calls that need a new token share one call of
/// [`token`](Self::token). An error fails the call with
/// [`Error::Credential`](crate::Error::Credential) before anything is sent.
///
/// With the `azure-identity` feature every `azure_core` credential (`ClientSecretCredential`,
/// `ManagedIdentityCredential`, `DeveloperToolsCredential`, …) is a `TokenCredential` too.
///
/// Implementations must not print the token in their `Debug` output.
///
/// ```
/// use std::error::Error;
/// use std::time::{Duration, SystemTime};
/// use graph_resource_runtime::{AccessToken, BoxFuture, TokenCredential, TokenRequest};
///
/// /// Reads the token and its lifetime from environment variables.
/// #[derive(Debug)]
/// struct FromEnv;
///
/// impl TokenCredential for FromEnv {
///     fn token<'a>(
///         &'a self,
///         _request: &'a TokenRequest<'a>,
///     ) -> BoxFuture<'a, Result<AccessToken, Box<dyn Error + Send + Sync>>> {
///         Box::pin(async {
///             let seconds: u64 = std::env::var("GRAPH_TOKEN_SECONDS")?.parse()?;
///             let expires_on = SystemTime::now() + Duration::from_secs(seconds);
///             Ok(AccessToken::new(std::env::var("GRAPH_TOKEN")?).expiring_on(expires_on))
///         })
///     }
/// }
/// ```
pub trait TokenCredential: Send + Sync + fmt::Debug {
    /// Returns a new token for `request`: its scopes, and the claims Graph asked for, if any.
    fn token<'a>(
        &'a self,
        request: &'a TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, Box<dyn StdError + Send + Sync>>>;
}

/// What a [`TokenCredential`] is asked for.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct TokenRequest<'a> {
    /// The scopes the token must grant: by default `["{scheme}://{host}/.default"]` of the
    /// client's base URL, such as `https://graph.microsoft.com/.default`, or those given to
    /// [`ClientBuilder::scopes`](crate::ClientBuilder::scopes).
    pub scopes: &'a [&'a str],
    /// The claims of a `401` challenge (Graph's continuous access evaluation), as the JSON
    /// that the identity platform expects (already decoded from the header's base64). `None`
    /// for an ordinary request.
    pub claims: Option<&'a str>,
}

impl<'a> TokenRequest<'a> {
    /// A request for `scopes`, without claims.
    ///
    /// ```
    /// use graph_resource_runtime::TokenRequest;
    ///
    /// let scopes = ["https://graph.microsoft.com/.default"];
    /// let request = TokenRequest::new(&scopes).with_claims(r#"{"access_token":{}}"#);
    /// assert_eq!(request.claims, Some(r#"{"access_token":{}}"#));
    /// ```
    pub fn new(scopes: &'a [&'a str]) -> Self {
        TokenRequest {
            scopes,
            claims: None,
        }
    }

    /// The same request, asking for `claims` (JSON) as well.
    #[must_use]
    pub fn with_claims(mut self, claims: &'a str) -> Self {
        self.claims = Some(claims);
        self
    }
}

/// A bearer token and, when known, when it expires. `Debug` never shows the token.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use graph_resource_runtime::AccessToken;
///
/// let expires_on = SystemTime::now() + Duration::from_secs(3600);
/// let token = AccessToken::new("eyJ0eXAi…").expiring_on(expires_on);
/// assert_eq!(token.secret(), "eyJ0eXAi…");
/// assert_eq!(token.expires_on(), Some(expires_on));
/// assert!(!format!("{token:?}").contains("eyJ0eXAi"));
/// ```
#[derive(Clone)]
pub struct AccessToken {
    secret: String,
    expires_on: Option<SystemTime>,
}

impl AccessToken {
    /// Wraps a token without an expiry: the client keeps using it until Graph rejects it
    /// with `401`. Give the expiry with [`expiring_on`](Self::expiring_on) when you know it.
    pub fn new(secret: impl Into<String>) -> Self {
        AccessToken {
            secret: secret.into(),
            expires_on: None,
        }
    }

    /// The same token, expiring at `expires_on`: the client asks for a new one before then
    /// and never sends this one in its last minute.
    #[must_use]
    pub fn expiring_on(mut self, expires_on: SystemTime) -> Self {
        self.expires_on = Some(expires_on);
        self
    }

    /// The token itself, to put in a header. Never log it.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// When the token expires, if known.
    pub fn expires_on(&self) -> Option<SystemTime> {
        self.expires_on
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("secret", &format_args!("<redacted>"))
            .field("expires_on", &self.expires_on)
            .finish()
    }
}

/// A fixed bearer token, what [`ClientBuilder::bearer_token`](crate::ClientBuilder::bearer_token)
/// uses. It has no expiry, so the client asks for it once and keeps it. `Debug` never shows
/// the token.
#[derive(Debug, Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A credential that always answers with `token`.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(AccessToken::new(token))
    }
}

impl TokenCredential for StaticToken {
    fn token<'a>(
        &'a self,
        _request: &'a TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, Box<dyn StdError + Send + Sync>>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

/// What [`ClientBuilder::credential`](crate::ClientBuilder::credential) accepts: an `Arc`
/// of any [`TokenCredential`], `Arc<dyn TokenCredential>`, and with the `azure-identity`
/// feature `Arc<dyn azure_core::credentials::TokenCredential>` (what `azure_identity`'s
/// constructors return is already an `Arc` of a `TokenCredential`).
pub trait IntoCredential {
    /// The credential, ready to share.
    fn into_credential(self) -> Arc<dyn TokenCredential>;
}

impl<T: TokenCredential + 'static> IntoCredential for Arc<T> {
    fn into_credential(self) -> Arc<dyn TokenCredential> {
        self
    }
}

impl IntoCredential for Arc<dyn TokenCredential> {
    fn into_credential(self) -> Arc<dyn TokenCredential> {
        self
    }
}
