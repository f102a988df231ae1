//! Where the bearer token comes from.

use std::error::Error as StdError;
use std::fmt;

use crate::transport::BoxFuture;

/// Provides the access token sent as `Authorization: Bearer …`.
///
/// The [`Client`](crate::Client) asks for a token before every request, retries included,
/// so an implementation can cache a token and refresh it when it nears expiry. `scopes` is
/// `["{scheme}://{host}/.default"]` of the client's base URL, such as
/// `https://graph.microsoft.com/.default`. An error fails the call with
/// [`Error::Credential`](crate::Error::Credential) before anything is sent.
///
/// Implementations must not print the token in their `Debug` output.
///
/// ```
/// use std::error::Error;
/// use graph_resource_runtime::{AccessToken, BoxFuture, TokenCredential};
///
/// /// Reads the token from an environment variable on every request.
/// #[derive(Debug)]
/// struct FromEnv;
///
/// impl TokenCredential for FromEnv {
///     fn token<'a>(
///         &'a self,
///         _scopes: &'a [&'a str],
///     ) -> BoxFuture<'a, Result<AccessToken, Box<dyn Error + Send + Sync>>> {
///         Box::pin(async { Ok(AccessToken::new(std::env::var("GRAPH_TOKEN")?)) })
///     }
/// }
/// ```
pub trait TokenCredential: Send + Sync + fmt::Debug {
    /// Returns a token valid for `scopes`.
    fn token<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, Box<dyn StdError + Send + Sync>>>;
}

/// A bearer token. Its `Debug` output is `AccessToken(<redacted>)`.
///
/// ```
/// use graph_resource_runtime::AccessToken;
///
/// let token = AccessToken::new("eyJ0eXAi…");
/// assert_eq!(token.secret(), "eyJ0eXAi…");
/// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
/// ```
#[derive(Clone)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a token.
    pub fn new(secret: impl Into<String>) -> Self {
        AccessToken(secret.into())
    }

    /// The token itself, to put in a header. Never log it.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// A fixed bearer token, what [`ClientBuilder::bearer_token`](crate::ClientBuilder::bearer_token)
/// uses. `Debug` shows `StaticToken(AccessToken(<redacted>))`.
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
        _scopes: &'a [&'a str],
    ) -> BoxFuture<'a, Result<AccessToken, Box<dyn StdError + Send + Sync>>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}
