//! The token cache on a clock of the tests' own, and the client answering claims challenges:
//! the clock and fake credentials both share.

mod cache;
mod client;

use std::cell::Cell;
use std::error::Error as StdError;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, Method};
use serde_json::json;

use super::*;
use crate::client::Client;
use crate::error::Error;
use crate::mock::{MockResponse, MockTransport};
use crate::pipeline::Call;

const SCOPE: &str = "https://graph.microsoft.com/.default";
const CLAIMS_JSON: &str = r#"{"access_token":{"nbf":{"essential":true, "value":"1604106651"}}}"#;
const CLAIMS_CHALLENGE: &str = r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=""#;

// ---------------------------------------------------------------------------------------
// A clock per test thread, and a credential that counts what it is asked

thread_local! {
    static NOW: Cell<SystemTime> = const { Cell::new(SystemTime::UNIX_EPOCH) };
}

/// The tests' clock: `UNIX_EPOCH` plus whatever [`set_clock`] last gave.
fn now() -> SystemTime {
    NOW.with(Cell::get)
}

fn set_clock(seconds: u64) {
    NOW.with(|now| now.set(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)));
}

/// Answers `token-1`, `token-2`, … valid for `lifetime` on the tests' clock (no expiry when
/// `None`), after `delay`, and fails from call `fail_from` on. Records every request.
#[derive(Debug, Default)]
struct Fake {
    lifetime: Option<Duration>,
    delay: Duration,
    fail_from: Option<usize>,
    requests: Mutex<Vec<(Vec<String>, Option<String>)>>,
}

impl Fake {
    fn lasting(seconds: u64) -> Self {
        Fake {
            lifetime: Some(Duration::from_secs(seconds)),
            ..Fake::default()
        }
    }

    fn slow(self) -> Self {
        Fake {
            delay: Duration::from_millis(20),
            ..self
        }
    }

    fn failing_from(self, call: usize) -> Self {
        Fake {
            fail_from: Some(call),
            ..self
        }
    }

    fn calls(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    fn claims(&self) -> Vec<Option<String>> {
        let requests = self.requests.lock().unwrap();
        requests.iter().map(|(_, claims)| claims.clone()).collect()
    }
}

impl TokenCredential for Fake {
    fn token<'a>(
        &'a self,
        request: &'a TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, Box<dyn StdError + Send + Sync>>> {
        let call = {
            let mut requests = self.requests.lock().unwrap();
            let scopes = request.scopes.iter().map(|scope| scope.to_string());
            requests.push((scopes.collect(), request.claims.map(str::to_owned)));
            requests.len()
        };
        let expires_on = self.lifetime.map(|lifetime| now() + lifetime);
        let fails = self.fail_from.is_some_and(|from| call >= from);
        let delay = self.delay;
        Box::pin(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            if fails {
                return Err(format!("the token endpoint refused call {call}").into());
            }
            let token = AccessToken::new(format!("token-{call}"));
            Ok(match expires_on {
                Some(expires_on) => token.expiring_on(expires_on),
                None => token,
            })
        })
    }
}

fn cache(credential: &Arc<Fake>) -> Arc<TokenCache> {
    set_clock(0);
    Arc::new(TokenCache::with_clock(
        credential.clone(),
        vec![SCOPE.to_owned()],
        Duration::from_secs(60),
        now,
    ))
}

async fn bearer(cache: &TokenCache) -> String {
    bearer_for(cache, None).await
}

async fn bearer_for(cache: &TokenCache, claims: Option<&str>) -> String {
    let header = cache.authorization(claims).await.unwrap().header;
    assert!(header.is_sensitive());
    header.to_str().unwrap().to_owned()
}

/// The token the calls on this thread send without waiting for the credential, if any:
/// always marked sensitive.
fn fresh(cache: &TokenCache) -> Option<String> {
    let authorization = cache.fresh(None)?;
    assert!(authorization.header.is_sensitive());
    Some(authorization.header.to_str().unwrap().to_owned())
}

/// Runs `calls` calls of `authorization` at once and returns their headers in spawn order.
async fn concurrently(cache: &Arc<TokenCache>, calls: usize) -> Vec<Result<String, Error>> {
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move {
                let header = cache.authorization(None).await?.header;
                Ok(header.to_str().unwrap().to_owned())
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}
