//! The cache: one token request for concurrent calls, early refresh, claims and failures.

use std::pin::Pin;
use std::task::Poll;

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
    cache.reject(first.token);
    assert_eq!(bearer(&cache).await, "Bearer token-2");
    cache.reject(first.token);
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
    // Polled here and nowhere else, the leader cannot end before it is dropped, however
    // soon the credential answers.
    let mut leader = Box::pin(cache.authorization(None));
    let mut waiter = Box::pin(bearer(&cache));
    assert!(once(&mut leader).await.is_pending());
    assert_eq!(credential.calls(), 1, "the leader asked");
    assert!(once(&mut waiter).await.is_pending());
    assert_eq!(credential.calls(), 1, "the waiter waits for the leader");
    drop(leader);
    let waited = tokio::time::timeout(Duration::from_secs(10), waiter).await;
    assert_eq!(waited.as_deref(), Ok("Bearer token-2"), "the waiter asked");
    assert_eq!(credential.calls(), 2);
}

/// Polls `future` once, with the waker of the calling task.
async fn once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    std::future::poll_fn(|cx| Poll::Ready(Pin::new(&mut *future).poll(cx))).await
}

#[tokio::test]
async fn a_fresh_token_is_read_without_taking_the_cache_lock() {
    let credential = Arc::new(Fake::lasting(3600));
    let cache = cache(&credential);
    assert_eq!(bearer(&cache).await, "Bearer token-1");
    let (copied, locked, read) = (mpsc::channel(), mpsc::channel(), mpsc::channel());
    let reader = {
        let cache = cache.clone();
        thread::spawn(move || {
            // The first call of a thread copies the token, with the state locked.
            assert_eq!(fresh(&cache).as_deref(), Some("Bearer token-1"));
            copied.0.send(()).unwrap();
            locked.1.recv().unwrap();
            read.0.send(fresh(&cache)).unwrap();
        })
    };
    copied.1.recv().unwrap();
    let second = cache.while_locked(|| {
        locked.0.send(()).unwrap();
        read.1.recv_timeout(Duration::from_secs(10))
    });
    let second = second.expect("a call with a fresh copy does not wait for the lock");
    assert_eq!(second.as_deref(), Some("Bearer token-1"));
    reader.join().unwrap();
}

#[tokio::test]
async fn a_rejected_token_is_not_sent_again_from_a_threads_copy() {
    let credential = Arc::new(Fake::default());
    let cache = cache(&credential);
    let first = cache.authorization(None).await.unwrap();
    assert_eq!(fresh(&cache).as_deref(), Some("Bearer token-1"));
    cache.reject(first.token);
    assert_eq!(fresh(&cache), None);
    assert_eq!(bearer(&cache).await, "Bearer token-2");
    assert_eq!(fresh(&cache).as_deref(), Some("Bearer token-2"));
}

#[tokio::test]
async fn a_threads_copy_of_the_token_ends_when_its_refresh_is_due() {
    let credential = Arc::new(Fake::lasting(3600));
    let cache = cache(&credential);
    assert_eq!(bearer(&cache).await, "Bearer token-1");
    assert_eq!(fresh(&cache).as_deref(), Some("Bearer token-1"));
    set_clock(3299);
    assert_eq!(fresh(&cache).as_deref(), Some("Bearer token-1"));
    set_clock(3300);
    assert_eq!(
        fresh(&cache),
        None,
        "the call that finds it due refreshes it"
    );
}

#[tokio::test]
async fn while_a_refresh_is_under_way_the_copies_serve_the_current_token_until_it_is_replaced() {
    let credential = Arc::new(Fake::lasting(3600).slow());
    let cache = cache(&credential);
    assert_eq!(bearer(&cache).await, "Bearer token-1");
    set_clock(3400);
    assert_eq!(fresh(&cache), None);
    let refresh = {
        let cache = cache.clone();
        tokio::spawn(async move { bearer(&cache).await })
    };
    // The refresh starts, and waits for the credential.
    tokio::task::yield_now().await;
    assert_eq!(credential.calls(), 2);
    assert_eq!(fresh(&cache).as_deref(), Some("Bearer token-1"));
    assert_eq!(refresh.await.unwrap(), "Bearer token-2");
    assert_eq!(fresh(&cache).as_deref(), Some("Bearer token-2"));
}

#[tokio::test]
async fn two_caches_on_one_thread_each_send_their_own_token() {
    let one = cache(&Arc::new(Fake::default()));
    let other = TokenCache::with_clock(
        Arc::new(StaticToken::new("other")),
        vec![SCOPE.into()],
        Duration::from_secs(60),
        now,
    );
    // Both changed as often: only which cache a copy is of tells them apart.
    assert_eq!(bearer(&one).await, "Bearer token-1");
    assert_eq!(bearer(&other).await, "Bearer other");
    for _ in 0..2 {
        assert_eq!(fresh(&one).as_deref(), Some("Bearer token-1"));
        assert_eq!(fresh(&other).as_deref(), Some("Bearer other"));
    }
}

#[tokio::test]
async fn a_dropped_cache_leaves_no_copy_of_its_token_on_the_thread_that_drops_it() {
    let credential = Arc::new(Fake::default());
    let cache = cache(&credential);
    assert_eq!(bearer(&cache).await, "Bearer token-1");
    assert_eq!(fresh(&cache).as_deref(), Some("Bearer token-1"));
    assert!(thread_holds_a_copy());
    drop(cache);
    assert!(!thread_holds_a_copy());
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
