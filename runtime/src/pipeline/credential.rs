//! The credential step: `Authorization: Bearer …` with a token for the client's scope.

use http::HeaderMap;
use http::HeaderValue;
use http::header::AUTHORIZATION;

use crate::credential::TokenCredential;
use crate::error::Error;

/// Asks `credential` for a token for `scope` and sets `Authorization`, marked sensitive so
/// that no `Debug` output shows it. A failing credential fails the call before anything is
/// sent.
pub(crate) async fn authorize(
    headers: &mut HeaderMap,
    credential: &dyn TokenCredential,
    scope: &str,
) -> Result<(), Error> {
    let scopes = [scope];
    let token = credential.token(&scopes).await.map_err(Error::Credential)?;
    let mut authorization =
        HeaderValue::try_from(format!("Bearer {}", token.secret())).map_err(|_| {
            Error::Credential(
                "the access token has characters that an HTTP header cannot hold".into(),
            )
        })?;
    authorization.set_sensitive(true);
    headers.insert(AUTHORIZATION, authorization);
    Ok(())
}
