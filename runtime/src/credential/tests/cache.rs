//! The cache: one token request for concurrent calls, early refresh, claims and failures.

use super::*;

#[tokio::test]
async fn one_token_request_serves_100_concurrent_calls() {
    let credential = Arc::new(Fake::lasting(3600).slow());
    let cache = cache(&credential);
    let results = concurrently(&cache, 100).await;
    assert!(
        results
            .iter()
            .all(|r| r.as_deref().ok() == Some("Bearer token-1"))
    );
    assert_eq!(credential.calls(), 1);
    for _ in 0..100 {
        assert_eq!(bearer(&cache).await, "Bearer token-1");
    }
    assert_eq!(credential.calls(), 1, "the cached token serves later calls");
    assert_eq!(
        credential.requests.lock().unwrap()[0],
        (vec![SCOPE.to_owned()], None)
    );
}

#[tokio::test]
async fn a_token_is_replaced_once_five_minutes_before_it_expires() {
    let credential = Arc::new(Fake::lasting(3600));
    let cache = cache(&credential);
    assert_eq!(bearer(&cache).await, "Bearer token-1");
    set_clock(3299);
    assert_eq!(bearer(&cache).await, "Bearer token-1");
    set_clock(3300);
    assert_eq!(bearer(&cache).await, "Bearer token-2");
    for _ in 0..10 {
        assert_eq!(bearer(&cache).await, "Bearer token-2");
    }
    assert_eq!(credential.calls(), 2);
}

#[tokio::test]
async fn while_one_call_refreshes_early_the_others_keep_the_current_token() {
    let credential = Arc::new(Fake::lasting(3600).slow());
    let cache = cache(&credential);
    assert_eq!(bearer(&cache).await, "Bearer token-1");
    set_clock(3400);
    let results = concurrently(&cache, 100).await;
    let results: Vec<&str> = results.iter().map(|r| r.as_deref().unwrap()).collect();
    assert_eq!(results[0], "Bearer token-2", "the first call refreshes");
    assert!(results[1..].iter().all(|r| *r == "Bearer token-1"));
    assert_eq!(credential.calls(), 2);
    assert_eq!(bearer(&cache).await, "Bearer token-2");
}

#[tokio::test]
async fn a_token_in_its_last_minute_is_never_sent() {
    let credential = Arc::new(Fake::lasting(3600).failing_from(2));
    let cache = cache(&credential);
    assert_eq!(bearer(&cache).await, "Bearer token-1");
    set_clock(3400);
    assert_eq!(
        bearer(&cache).await,
        "Bearer token-1",
        "a failed early refresh falls back on the current token"
    );
    set_clock(3429);
    assert_eq!(bearer(&cache).await, "Bearer token-1");
    assert_eq!(credential.calls(), 2, "no new attempt for 30 s");
    set_clock(3430);
    assert_eq!(bearer(&cache).await, "Bearer token-1");
    assert_eq!(credential.calls(), 3);
    set_clock(3540);
    let error = cache.authorization(None).await.unwrap_err();
    assert_eq!(
        error.source().unwrap().to_string(),
        "the token endpoint refused call 4"
    );
    assert!(matches!(error, Error::Credential(_)));
}

#[tokio::test]
async fn a_short_lived_token_serves_only_the_calls_that_waited_for_it() {
    let credential = Arc::new(Fake::lasting(30).slow());
    let cache = cache(&credential);
    let results = concurrently(&cache, 10).await;
    assert!(
        results
            .iter()
            .all(|r| r.as_deref().ok() == Some("Bearer token-1"))
    );
    assert_eq!(credential.calls(), 1);
    assert_eq!(bearer(&cache).await, "Bearer token-2");
    assert_eq!(credential.calls(), 2);
}

#[tokio::test]
async fn a_token_without_expiry_is_kept_until_graph_rejects_it() {
    let credential = Arc::new(Fake::default());
    let cache = cache(&credential);
    let first = cache.authorization(None).await.unwrap();
    set_clock(10 * 365 * 24 * 3600);
    assert_eq!(bearer(&cache).await, "Bearer token-1");
    assert_eq!(credential.calls(), 1);
    cache.reject(&first);
    assert_eq!(bearer(&cache).await, "Bearer token-2");
    cache.reject(&first);
    assert_eq!(
        bearer(&cache).await,
        "Bearer token-2",
        "a late rejection of a replaced token changes nothing"
    );
    assert_eq!(credential.calls(), 2);
}

#[tokio::test]
async fn a_token_asked_for_claims_then_serves_every_call() {
    let credential = Arc::new(Fake::lasting(3600));
    let cache = cache(&credential);
    assert_eq!(bearer(&cache).await, "Bearer token-1");
    assert_eq!(
        bearer_for(&cache, Some(CLAIMS_JSON)).await,
        "Bearer token-2"
    );
    assert_eq!(bearer(&cache).await, "Bearer token-2");
    assert_eq!(
        bearer_for(&cache, Some(CLAIMS_JSON)).await,
        "Bearer token-2"
    );
    assert_eq!(bearer_for(&cache, Some("{}")).await, "Bearer token-3");
    assert_eq!(
        credential.claims(),
        [None, Some(CLAIMS_JSON.to_owned()), Some("{}".to_owned())]
    );
}

#[tokio::test]
async fn concurrent_calls_share_one_failure_and_the_next_call_asks_again() {
    let credential = Arc::new(Fake::default().slow().failing_from(1));
    let cache = cache(&credential);
    let results = concurrently(&cache, 100).await;
    assert_eq!(credential.calls(), 1);
    for result in results {
        let error = result.unwrap_err();
        assert_eq!(
            error.to_string(),
            "could not get an access token from the credential"
        );
        assert_eq!(
            error.source().unwrap().to_string(),
            "the token endpoint refused call 1"
        );
        assert_eq!(
            format!("{error:?}"),
            r#"Credential(CredentialError { problem: Failed("the token endpoint refused call 1") })"#
        );
    }
    cache.authorization(None).await.unwrap_err();
    assert_eq!(credential.calls(), 2, "failures are not cached");
}

#[tokio::test]
async fn when_the_call_that_asked_is_dropped_a_waiting_call_asks_instead() {
    let credential = Arc::new(Fake::default().slow());
    let cache = cache(&credential);
    let leader = {
        let cache = cache.clone();
        tokio::spawn(async move {
            tokio::time::timeout(Duration::from_millis(5), cache.authorization(None)).await
        })
    };
    let waiter = {
        let cache = cache.clone();
        tokio::spawn(async move { bearer(&cache).await })
    };
    assert!(leader.await.unwrap().is_err(), "the leader timed out");
    assert_eq!(waiter.await.unwrap(), "Bearer token-2");
    assert_eq!(credential.calls(), 2);
}

#[test]
fn the_cache_debug_shows_the_credential_and_scopes_never_the_token() {
    let cache = TokenCache::with_clock(
        Arc::new(StaticToken::new("SECRET-1")),
        vec![SCOPE.into()],
        Duration::from_secs(60),
        now,
    );
    let debug = format!("{cache:?}");
    assert!(debug.contains(SCOPE), "{debug}");
    assert!(debug.contains("StaticToken"), "{debug}");
    assert!(!debug.contains("SECRET"), "{debug}");
    let token = AccessToken::new("SECRET-2").expiring_on(SystemTime::UNIX_EPOCH);
    assert_eq!(
        format!("{token:?}"),
        "AccessToken { secret: <redacted>, expires_on: Some(SystemTime { tv_sec: 0, tv_nsec: 0 }) }"
    );
}
