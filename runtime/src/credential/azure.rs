//! `azure_core` credentials, every one of `azure_identity`'s included, as
//! [`TokenCredential`]s (feature `azure-identity`).

use std::error::Error as StdError;
use std::sync::Arc;

use azure_core::credentials::TokenCredential as AzureTokenCredential;

use super::{AccessToken, IntoCredential, TokenCredential, TokenRequest};
use crate::transport::BoxFuture;

/// Every `azure_core` credential is a [`TokenCredential`], so
/// [`ClientBuilder::credential`](crate::ClientBuilder::credential) takes what
/// `azure_identity`'s constructors return:
///
/// ```no_run
/// use graph_resource_runtime::Client;
/// use graph_resource_runtime::azure_identity::DeveloperToolsCredential;
///
/// let client = Client::builder()
///     .base_url("https://graph.microsoft.com/beta")
///     .credential(DeveloperToolsCredential::new(None)?)
///     .build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// `azure_core` 1.x cannot pass the claims of a challenge to its credentials: for one, the
/// credential is asked for a token as usual, which a credential that caches its tokens may
/// answer with the token Graph has just rejected.
impl<T: AzureTokenCredential + ?Sized> TokenCredential for T {
    fn token<'a>(
        &'a self,
        request: &'a TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, Box<dyn StdError + Send + Sync>>> {
        Box::pin(async move {
            let token = self.get_token(request.scopes, None).await?;
            Ok(AccessToken::new(token.token.secret()).expiring_on(token.expires_on.into()))
        })
    }
}

/// An `azure_core` credential chosen at run time:
///
/// ```no_run
/// use std::sync::Arc;
/// use graph_resource_runtime::Client;
/// use graph_resource_runtime::azure_core::credentials::TokenCredential;
/// use graph_resource_runtime::azure_identity::{
///     ClientSecretCredential, ManagedIdentityCredential,
/// };
///
/// let credential: Arc<dyn TokenCredential> = match std::env::var("AZURE_CLIENT_SECRET") {
///     Ok(secret) => ClientSecretCredential::new("tenant", "client".into(), secret.into(), None)?,
///     Err(_) => ManagedIdentityCredential::new(None)?,
/// };
/// let client = Client::builder().credential(credential).build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl IntoCredential for Arc<dyn AzureTokenCredential> {
    fn into_credential(self) -> Arc<dyn TokenCredential> {
        Arc::new(Azure(self))
    }
}

/// Holds an `Arc<dyn azure_core::credentials::TokenCredential>`.
#[derive(Debug)]
struct Azure(Arc<dyn AzureTokenCredential>);

impl TokenCredential for Azure {
    fn token<'a>(
        &'a self,
        request: &'a TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, Box<dyn StdError + Send + Sync>>> {
        TokenCredential::token(&*self.0, request)
    }
}
