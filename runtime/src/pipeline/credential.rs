//! The credential step: `Authorization: Bearer …` with the client's cached token, and the
//! answer to a claims challenge (Graph's continuous access evaluation).

use std::future::Future;

use http::header::AUTHORIZATION;
use http::{Request, Response, StatusCode};

use crate::credential::{Authorization, TokenCache, claims_of_challenge};
use crate::error::Error;

/// Sets `Authorization` (marked sensitive, so that no `Debug` output shows it) on the request
/// `build` makes and sends it through `next`. A failing credential fails the call before
/// anything is sent. The request is built again for the claims challenge's second send,
/// rather than cloned for every send in case one comes.
///
/// A `401` drops the token it rejected from `cache`. When it carries a claims challenge, the
/// request is sent once more with a token asked for those claims; any other `401` (or a
/// second challenge) is returned as it is.
///
/// Not an `async fn`: one would keep a second copy of its arguments in its state.
#[expect(
    clippy::manual_async_fn,
    reason = "an `async fn` keeps its arguments twice"
)]
pub(crate) fn send<'a, B, R, F, Fut>(
    cache: &'a TokenCache,
    build: impl Fn() -> Request<B> + 'a,
    mut next: F,
) -> impl Future<Output = Result<Response<R>, Error>> + 'a
where
    F: FnMut(Request<B>) -> Fut + 'a,
    Fut: Future<Output = Result<Response<R>, Error>> + 'a,
{
    async move {
        let mut claims = None;
        loop {
            // The cached token, else the cache's future, boxed: the rare calls that wait for
            // the credential pay for its state, not every call.
            let fresh = cache.fresh(claims.as_deref());
            let Authorization { header, token } = match fresh {
                Some(authorization) => authorization,
                None => Box::pin(cache.authorization(claims.as_deref())).await?,
            };
            // The header goes into the request, and only the token's number stays for a
            // `401`: one clone of the header per send. The request is built inside the
            // argument, not as a local of its own: a local would keep its place in this
            // future's state across the `await`, although `next` has taken it.
            let response = next({
                let mut attempt = build();
                (attempt.headers_mut()).insert(AUTHORIZATION, header);
                attempt
            })
            .await?;
            if response.status() != StatusCode::UNAUTHORIZED {
                return Ok(response);
            }
            cache.reject(token);
            if claims.is_some() {
                return Ok(response);
            }
            claims = claims_of_challenge(response.headers());
            if claims.is_none() {
                return Ok(response);
            }
        }
    }
}
