//! Change notifications: validation, `clientState`, lifecycle events, rich notifications,
//! validation tokens, bad input, subscriptions, and the axum handler on a real local server.

#[path = "support/notifications.rs"]
mod graph;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use graph::*;
use graph_resource::notifications::{
    ChangeType, DecryptError, DecryptionKey, Delivery, DropReason, FollowUp, LifecycleEvent,
    Outcome, Received, Receiver, Rejection, Subscription, TokenError, TokenValidator,
};
use graph_resource::{MockResponse, MockTransport};
use http::Method;
use serde::Deserialize;
use serde_json::{Value, json};

const STATE: &str = "the subscription's own secret";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    id: String,
    subject: Option<String>,
}

fn post(uri: &str, body: impl Into<Bytes>) -> http::Request<Bytes> {
    http::Request::post(uri).body(body.into()).unwrap()
}

fn receiver() -> Receiver<Message> {
    Receiver::builder()
        .subscription("s1", STATE)
        .build()
        .unwrap()
}

fn change(subscription: &str, client_state: &str) -> Value {
    json!({
        "subscriptionId": subscription,
        "subscriptionExpirationDateTime": "2025-03-20T11:00:00.0000000Z",
        "clientState": client_state,
        "changeType": "created",
        "resource": "users/u1/messages/m1",
        "tenantId": TENANT,
        "resourceData": {"@odata.type": "#Microsoft.Graph.Message", "id": "m1"}
    })
}

async fn deliver<T: serde::de::DeserializeOwned + std::fmt::Debug>(
    receiver: &Receiver<T>,
    body: Value,
) -> Delivery<T> {
    let received = receiver
        .receive(post("https://app.example/notify", body.to_string()))
        .await;
    assert_eq!(received.response.status(), 202);
    match received.outcome {
        Outcome::Delivered(delivery) => delivery,
        other => panic!("expected a delivery, got {other:?}"),
    }
}

async fn rejection<T: serde::de::DeserializeOwned + std::fmt::Debug>(
    receiver: &Receiver<T>,
    request: http::Request<Bytes>,
) -> (u16, Rejection) {
    let received = receiver.receive(request).await;
    match received.outcome {
        Outcome::Rejected(rejection) => (received.response.status().as_u16(), rejection),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn validation_requests_are_echoed_as_plain_text_on_both_urls() {
    let receiver = receiver();
    for url in [
        "https://app.example/notify",
        "https://app.example/lifecycle",
    ] {
        let uri = format!("{url}?validationToken=Validation%3A+Testing%20client%20application");
        let received = receiver.receive(post(&uri, "")).await;
        assert_eq!(received.response.status(), 200);
        assert_eq!(received.response.headers()["content-type"], "text/plain");
        assert_eq!(
            received.response.body(),
            "Validation: Testing client application"
        );
        assert_eq!(
            received.outcome,
            Outcome::Validation("Validation: Testing client application".into())
        );
    }
}

#[tokio::test]
async fn a_matching_client_state_is_delivered_typed() {
    let delivery = deliver(&receiver(), json!({"value": [change("s1", STATE)]})).await;
    assert!(delivery.dropped.is_empty(), "{:?}", delivery.dropped);
    let [change] = &delivery.changes[..] else {
        panic!("one change")
    };
    assert_eq!(change.subscription_id, "s1");
    assert_eq!(change.change_type, ChangeType::Created);
    assert_eq!(change.resource, "users/u1/messages/m1");
    assert_eq!(change.tenant_id.as_deref(), Some(TENANT));
    assert_eq!(
        change.resource_data,
        Some(Message {
            id: "m1".into(),
            subject: None
        })
    );
    assert_eq!(change.content, None);
}

#[tokio::test]
async fn a_mismatching_or_missing_client_state_is_dropped_and_reported() {
    let mut missing = change("s1", STATE);
    missing.as_object_mut().unwrap().remove("clientState");
    let body = json!({"value": [
        change("s1", "the subscription's own secreT"),
        change("s1", STATE),
        missing,
        change("unknown", STATE),
    ]});
    let delivery = deliver(&receiver(), body).await;
    assert_eq!(delivery.changes.len(), 1);
    let reasons: Vec<_> = delivery
        .dropped
        .iter()
        .map(|dropped| {
            (
                dropped.index,
                dropped.subscription_id.as_deref(),
                dropped.reason.clone(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            (0, Some("s1"), DropReason::ClientStateMismatch),
            (2, Some("s1"), DropReason::ClientStateMismatch),
            (3, Some("unknown"), DropReason::UnknownSubscription),
        ]
    );
}

#[tokio::test]
async fn subscriptions_added_later_are_accepted_and_removed_ones_dropped() {
    let receiver = receiver();
    receiver.add_subscription("s2", "second secret").unwrap();
    let delivery = deliver(&receiver, json!({"value": [change("s2", "second secret")]})).await;
    assert_eq!(delivery.changes.len(), 1);
    receiver.remove_subscription("s2");
    let delivery = deliver(&receiver, json!({"value": [change("s2", "second secret")]})).await;
    assert_eq!(delivery.dropped[0].reason, DropReason::UnknownSubscription);
    assert!(receiver.add_subscription("s3", "x".repeat(129)).is_err());
}

#[tokio::test]
async fn each_lifecycle_event_is_typed() {
    let event = |name: &str| {
        json!({
            "subscriptionId": "s1",
            "subscriptionExpirationDateTime": "2025-03-20T11:00:00.0000000Z",
            "tenantId": TENANT,
            "clientState": STATE,
            "lifecycleEvent": name
        })
    };
    let body = json!({"value": [
        event("reauthorizationRequired"),
        event("subscriptionRemoved"),
        event("missed"),
        event("somethingNew"),
    ]});
    let delivery = deliver(&receiver(), body).await;
    let events: Vec<_> = delivery
        .lifecycle
        .iter()
        .map(|event| event.event.clone())
        .collect();
    assert_eq!(
        events,
        [
            LifecycleEvent::ReauthorizationRequired,
            LifecycleEvent::SubscriptionRemoved,
            LifecycleEvent::Missed,
            LifecycleEvent::Other("somethingNew".into()),
        ]
    );
    assert_eq!(delivery.lifecycle[0].subscription_id, "s1");
    assert!(delivery.changes.is_empty() && delivery.dropped.is_empty());

    let mut forged = event("subscriptionRemoved");
    forged["clientState"] = json!("guess");
    let delivery = deliver(&receiver(), json!({"value": [forged]})).await;
    assert!(delivery.lifecycle.is_empty());
    assert_eq!(delivery.dropped[0].reason, DropReason::ClientStateMismatch);
}

fn rich(content: Value) -> Value {
    let mut item = change("s1", STATE);
    item["encryptedContent"] = content;
    item
}

fn rich_receiver(keys: &[(&str, &CertificateKey)]) -> Receiver<Message> {
    let mut builder = Receiver::builder().subscription("s1", STATE);
    for (id, key) in keys {
        builder = builder.decryption_key(DecryptionKey::from_pkcs8_der(*id, &key.pkcs8()).unwrap());
    }
    builder
        .danger_decrypt_without_validation_tokens()
        .build()
        .unwrap()
}

#[test]
fn a_decryption_key_without_a_token_validator_is_refused_unless_explicitly_allowed() {
    let key = CertificateKey::generate();
    let decryption_key = || DecryptionKey::from_pkcs8_der("cert-1", &key.pkcs8()).unwrap();
    let error = Receiver::<Message>::builder()
        .client_state(STATE)
        .decryption_key(decryption_key())
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("validation_tokens"), "{error}");
    assert!(
        Receiver::<Message>::builder()
            .client_state(STATE)
            .decryption_key(decryption_key())
            .danger_decrypt_without_validation_tokens()
            .build()
            .is_ok()
    );
    let client = MockTransport::new().client_builder().build().unwrap();
    assert!(
        Receiver::<Message>::builder()
            .client_state(STATE)
            .decryption_key(decryption_key())
            .validation_tokens(TokenValidator::new(&client, APP_ID))
            .build()
            .is_ok()
    );
}

const MESSAGE: &[u8] = br#"{"id":"m1","subject":"Quarterly numbers"}"#;

#[tokio::test]
async fn a_rich_notification_is_decrypted_and_decoded() {
    let key = CertificateKey::generate();
    let (content, _) = key.encrypt("cert-1", MESSAGE);
    let delivery = deliver(
        &rich_receiver(&[("cert-1", &key)]),
        json!({"value": [rich(content)]}),
    )
    .await;
    assert!(delivery.dropped.is_empty(), "{:?}", delivery.dropped);
    assert_eq!(
        delivery.changes[0].content,
        Some(Message {
            id: "m1".into(),
            subject: Some("Quarterly numbers".into())
        })
    );
}

#[tokio::test]
async fn during_a_key_rotation_each_notification_uses_the_key_it_names() {
    let old = CertificateKey::generate();
    let new = CertificateKey::generate();
    let receiver = rich_receiver(&[("cert-old", &old), ("cert-new", &new)]);
    let body = json!({"value": [
        rich(old.encrypt("cert-old", MESSAGE).0),
        rich(new.encrypt("cert-new", MESSAGE).0),
        rich(old.encrypt("cert-new", MESSAGE).0),
        rich(new.encrypt("cert-gone", MESSAGE).0),
    ]});
    let delivery = deliver(&receiver, body).await;
    assert_eq!(delivery.changes.len(), 2);
    assert!(
        delivery
            .changes
            .iter()
            .all(|change| change.content.is_some())
    );
    let reasons: Vec<_> = delivery
        .dropped
        .iter()
        .map(|d| (d.index, d.reason.clone()))
        .collect();
    assert_eq!(
        reasons,
        [
            (2, DropReason::Decryption(DecryptError::KeyUnwrap)),
            (
                3,
                DropReason::Decryption(DecryptError::UnknownCertificate {
                    id: Some("cert-gone".into()),
                    thumbprint: Some("07293748CC064953A3052FB978C735FB89E61C3D".into()),
                })
            ),
        ]
    );
}

#[tokio::test]
async fn keys_are_chosen_by_thumbprint_when_the_id_is_absent() {
    let key = CertificateKey::generate();
    let (mut content, _) = key.encrypt("ignored", MESSAGE);
    content
        .as_object_mut()
        .unwrap()
        .remove("encryptionCertificateId");
    let receiver: Receiver<Message> = Receiver::builder()
        .client_state(STATE)
        .decryption_key(
            DecryptionKey::from_pkcs8_der("cert-1", &key.pkcs8())
                .unwrap()
                .with_thumbprint("07293748cc064953a3052fb978c735fb89e61c3d"),
        )
        .danger_decrypt_without_validation_tokens()
        .build()
        .unwrap();
    let delivery = deliver(&receiver, json!({"value": [rich(content)]})).await;
    assert!(
        delivery.changes[0].content.is_some(),
        "{:?}",
        delivery.dropped
    );
}

#[tokio::test]
async fn a_tampered_data_signature_is_rejected_before_anything_is_decrypted() {
    let key = CertificateKey::generate();
    let (mut content, aes_key) = key.encrypt("cert-1", MESSAGE);
    // Data that would fail to decrypt (its padding is wrong) under a signature that does
    // not match: a decryption before the check would report the padding instead.
    let mut garbled = aes_cbc(&aes_key, MESSAGE);
    let last = garbled.len() - 1;
    garbled[last] ^= 0x55;
    content["data"] = json!(base64(&garbled));
    let delivery = deliver(
        &rich_receiver(&[("cert-1", &key)]),
        json!({"value": [rich(content.clone())]}),
    )
    .await;
    assert_eq!(
        delivery.dropped[0].reason,
        DropReason::Decryption(DecryptError::SignatureMismatch)
    );

    let mut signature =
        graph_resource::Binary::from_base64(content["dataSignature"].as_str().unwrap())
            .unwrap()
            .0;
    signature[0] ^= 1;
    content["data"] = json!(base64(&aes_cbc(&aes_key, MESSAGE)));
    content["dataSignature"] = json!(base64(&signature));
    let delivery = deliver(
        &rich_receiver(&[("cert-1", &key)]),
        json!({"value": [rich(content)]}),
    )
    .await;
    assert_eq!(
        delivery.dropped[0].reason,
        DropReason::Decryption(DecryptError::SignatureMismatch)
    );
}

#[tokio::test]
async fn truncated_or_malformed_encrypted_content_is_dropped_with_its_reason() {
    let key = CertificateKey::generate();
    let receiver = rich_receiver(&[("cert-1", &key)]);
    let (content, aes_key) = key.encrypt("cert-1", MESSAGE);

    // Truncated to a partial block and signed again: the signature holds, the data does not.
    let mut truncated = content.clone();
    let data = aes_cbc(&aes_key, MESSAGE);
    let cut = &data[..data.len() - 3];
    truncated["data"] = json!(base64(cut));
    let tag = aws_lc_rs::hmac::sign(
        &aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &aes_key),
        cut,
    );
    truncated["dataSignature"] = json!(base64(tag.as_ref()));

    let mut short_key = content.clone();
    short_key["dataKey"] = json!(base64(&[1, 2, 3]));
    let mut not_base64 = content.clone();
    not_base64["data"] = json!("not base64!");
    let mut huge_key = content.clone();
    huge_key["dataKey"] = json!("A".repeat(4096));
    let mut no_signature = content.clone();
    no_signature
        .as_object_mut()
        .unwrap()
        .remove("dataSignature");
    let not_a_message = key.encrypt("cert-1", b"[1, 2, 3]").0;

    let body = json!({"value": [
        rich(truncated), rich(short_key), rich(not_base64), rich(huge_key), rich(no_signature), rich(not_a_message)
    ]});
    let delivery = deliver(&receiver, body).await;
    assert!(delivery.changes.is_empty());
    let reasons: Vec<_> = delivery
        .dropped
        .iter()
        .map(|d| d.reason.to_string())
        .collect();
    assert_eq!(
        delivery.dropped[0].reason,
        DropReason::Decryption(DecryptError::Ciphertext)
    );
    assert_eq!(
        delivery.dropped[1].reason,
        DropReason::Decryption(DecryptError::KeyUnwrap)
    );
    assert!(
        reasons[2].contains("data: expected base64"),
        "{}",
        reasons[2]
    );
    assert!(reasons[3].contains("dataKey of at most"), "{}", reasons[3]);
    assert!(
        reasons[4].contains("missing field `dataSignature`"),
        "{}",
        reasons[4]
    );
    assert!(
        matches!(delivery.dropped[5].reason, DropReason::Content(_)),
        "{}",
        reasons[5]
    );
}

#[tokio::test]
async fn malformed_items_are_dropped_and_the_rest_delivered() {
    let mut no_resource = change("s1", STATE);
    no_resource.as_object_mut().unwrap().remove("resource");
    let mut wrong_data = change("s1", STATE);
    wrong_data["resourceData"] = json!({"id": 42});
    let body = json!({"value": [no_resource, 17, {"clientState": STATE}, wrong_data, change("s1", STATE)]});
    let delivery = deliver(&receiver(), body).await;
    assert_eq!(delivery.changes.len(), 1);
    let reasons: Vec<_> = delivery
        .dropped
        .iter()
        .map(|d| (d.index, d.reason.to_string()))
        .collect();
    assert_eq!(
        reasons[0],
        (0, "malformed notification: missing field `resource`".into())
    );
    assert_eq!(reasons[1].0, 1);
    assert!(
        reasons[2].1.contains("missing field `subscriptionId`"),
        "{:?}",
        reasons[2]
    );
    assert_eq!(reasons[3].0, 3);
    assert!(
        reasons[3].1.starts_with("resourceData does not decode"),
        "{:?}",
        reasons[3]
    );
}

#[tokio::test]
async fn bad_requests_are_refused_whole_with_a_clear_reason() {
    let receiver = receiver();
    let (status, reason) =
        rejection(&receiver, post("https://app.example/n", "{\"value\": [")).await;
    assert_eq!(status, 400);
    assert!(
        reason.to_string().contains("expected {\"value\": [...]}"),
        "{reason}"
    );

    let (status, _) = rejection(&receiver, post("https://app.example/n", "{\"values\": []}")).await;
    assert_eq!(status, 400);

    let garbage: Vec<u8> = (0..1024 * 1024)
        .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let (status, _) = rejection(&receiver, post("https://app.example/n", garbage.clone())).await;
    assert_eq!(status, 400);
    let small: Receiver<Message> = Receiver::builder()
        .client_state(STATE)
        .max_body_size(64 * 1024)
        .build()
        .unwrap();
    let (status, reason) = rejection(&small, post("https://app.example/n", garbage)).await;
    assert_eq!(status, 413);
    assert_eq!(
        reason,
        Rejection::TooLarge {
            limit: 64 * 1024,
            length: 1024 * 1024
        }
    );

    let get = http::Request::get("https://app.example/n?validationToken=x")
        .body(Bytes::new())
        .unwrap();
    let received = receiver.receive(get).await;
    assert_eq!(received.response.status(), 405);
    assert_eq!(received.response.headers()["allow"], "POST");
    assert_eq!(
        received.outcome,
        Outcome::Rejected(Rejection::Method(Method::GET))
    );

    let (status, _) = rejection(
        &receiver,
        post("https://app.example/n?validationToken=%E2%28", ""),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        Receiver::<Value>::builder()
            .client_state("x".repeat(129))
            .build()
            .is_err()
    );
}

#[tokio::test]
async fn a_delivery_of_more_items_than_graph_batches_is_refused_whole() {
    // Four bytes of body per item: each would become a dropped item with its own message,
    // about forty times the memory of the body, before anything is authenticated.
    let items = vec!["1"; 1024 * 1024].join(",");
    let body = format!("{{\"value\": [{items}]}}");
    assert!(body.len() < 4 * 1024 * 1024);
    let (status, reason) = rejection(&receiver(), post("https://app.example/n", body)).await;
    assert_eq!(status, 400);
    assert!(reason.to_string().contains("at most"), "{reason}");
}

/// A receiver whose validator reads its keys through `mock`, and the mock's first answers.
fn token_receiver(mock: &MockTransport, signers: &[&Signer]) -> Receiver<Message> {
    mock.push(MockResponse::json(200, openid_configuration()));
    mock.push(MockResponse::json(200, key_set(signers)));
    let client = mock.client_builder().build().unwrap();
    let validator = TokenValidator::new(&client, APP_ID).openid_configuration(CONFIGURATION_URL);
    Receiver::builder()
        .subscription("s1", STATE)
        .validation_tokens(validator)
        .build()
        .unwrap()
}

/// One change notification delivered with `tokens` as its `validationTokens`.
async fn with_tokens(receiver: &Receiver<Message>, tokens: &[String]) -> Received<Message> {
    let body = json!({"value": [change("s1", STATE)], "validationTokens": tokens});
    receiver
        .receive(post("https://app.example/n", body.to_string()))
        .await
}

async fn token_error(receiver: &Receiver<Message>, token: String) -> TokenError {
    match with_tokens(receiver, &[token]).await.outcome {
        Outcome::Rejected(Rejection::ValidationToken(error)) => error,
        other => panic!("expected a token rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn tokens_are_accepted_in_both_issuer_forms() {
    let signer = Signer::generate("key-1");
    let mock = MockTransport::new();
    let receiver = token_receiver(&mock, &[&signer]);
    let v1 = signer.token(json!({}));
    let v2 = signer.token(json!({
        "iss": format!("https://login.microsoftonline.com/{TENANT}/v2.0"),
        "azp": null,
        "appid": PUBLISHER,
        "aud": [APP_ID, "another"],
    }));
    let outcome = with_tokens(&receiver, &[v1, v2]).await.outcome;
    assert!(
        matches!(outcome, Outcome::Delivered(ref delivery) if delivery.changes.len() == 1),
        "{outcome:?}"
    );
    let requests: Vec<String> = mock.requests().iter().map(|r| r.uri.to_string()).collect();
    assert_eq!(
        requests,
        [CONFIGURATION_URL, JWKS_URL],
        "keys fetched once and kept"
    );
    assert!(
        mock.requests()
            .iter()
            .all(|r| r.header("authorization").is_none()),
        "no Graph token to the key endpoints"
    );
}

#[tokio::test]
async fn tokens_with_a_wrong_claim_refuse_the_whole_delivery() {
    let signer = Signer::generate("key-1");
    let mock = MockTransport::new();
    let receiver = token_receiver(&mock, &[&signer]);
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let cases = [
        (json!({"aud": "someone-else"}), "`aud`"),
        (
            json!({"azp": "11111111-2222-3333-4444-555555555555"}),
            "`azp` or `appid`",
        ),
        (json!({"azp": null}), "`azp` or `appid`"),
        (json!({"iss": "https://sts.example/evil/"}), "`iss`"),
        (json!({"exp": now - 600}), "expired"),
        (json!({"nbf": now + 600}), "valid only in"),
    ];
    for (changes, expected) in cases {
        let error = token_error(&receiver, signer.token(changes.clone())).await;
        assert!(error.to_string().contains(expected), "{changes}: {error}");
    }
    let valid = signer.token(json!({}));
    let expired = signer.token(json!({"exp": now - 600}));
    let received = with_tokens(&receiver, &[valid, expired]).await;
    assert_eq!(received.response.status(), 403);
    assert!(matches!(
        received.outcome,
        Outcome::Rejected(Rejection::ValidationToken(TokenError::Lifetime(_)))
    ));
}

#[tokio::test]
async fn tokens_not_signed_rs256_by_a_known_key_are_refused() {
    let signer = Signer::generate("key-1");
    let mock = MockTransport::new();
    let receiver = token_receiver(&mock, &[&signer]);
    let claims = json!({"iss": format!("https://sts.windows.net/{TENANT}/"), "aud": APP_ID, "azp": PUBLISHER, "exp": 4_000_000_000u64});
    let unsigned = format!(
        "{}.{}.",
        base64url(
            json!({"alg": "none", "kid": "key-1"})
                .to_string()
                .as_bytes()
        ),
        base64url(claims.to_string().as_bytes())
    );
    assert_eq!(
        token_error(&receiver, unsigned).await,
        TokenError::Algorithm("none".into())
    );
    let hs256 = signer.sign(&json!({"alg": "HS256", "kid": "key-1"}), &claims);
    assert_eq!(
        token_error(&receiver, hs256).await,
        TokenError::Algorithm("HS256".into())
    );

    let mut forged = signer.token(json!({}));
    let payload_start = forged.find('.').unwrap() + 1;
    forged.replace_range(payload_start..payload_start + 4, "eyJh");
    let error = token_error(&receiver, forged).await;
    assert!(
        matches!(error, TokenError::Signature | TokenError::Malformed(_)),
        "{error}"
    );
    let impostor = Signer::generate("key-1");
    assert_eq!(
        token_error(&receiver, impostor.token(json!({}))).await,
        TokenError::Signature
    );
    for malformed in ["", "a.b", "a.b.c.d", "!!.e30.e30"] {
        let error = token_error(&receiver, malformed.into()).await;
        assert!(
            matches!(error, TokenError::Malformed(_)),
            "{malformed}: {error}"
        );
    }
}

#[tokio::test]
async fn tokens_with_critical_header_extensions_are_refused() {
    let signer = Signer::generate("key-1");
    let mock = MockTransport::new();
    let receiver = token_receiver(&mock, &[&signer]);
    let claims = json!({"iss": format!("https://sts.windows.net/{TENANT}/"), "aud": APP_ID, "azp": PUBLISHER, "exp": 4_000_000_000u64});
    let critical = signer.sign(
        &json!({"alg": "RS256", "kid": "key-1", "crit": ["b64"], "b64": false}),
        &claims,
    );
    let error = token_error(&receiver, critical).await;
    assert!(
        matches!(&error, TokenError::Malformed(message) if message.contains("crit")),
        "{error}"
    );
}

#[tokio::test]
async fn an_unknown_key_id_fetches_the_keys_exactly_once_more() {
    let old = Signer::generate("key-old");
    let rotated = Signer::generate("key-new");
    let mock = MockTransport::new();
    let receiver = token_receiver(&mock, &[&old]);
    assert!(matches!(
        with_tokens(&receiver, &[old.token(json!({}))])
            .await
            .outcome,
        Outcome::Delivered(_)
    ));
    assert_eq!(mock.requests().len(), 2);

    mock.push(MockResponse::json(200, openid_configuration()));
    mock.push(MockResponse::json(200, key_set(&[&old, &rotated])));
    assert!(matches!(
        with_tokens(&receiver, &[rotated.token(json!({}))])
            .await
            .outcome,
        Outcome::Delivered(_)
    ));
    assert_eq!(mock.requests().len(), 4, "one refresh for the new key id");

    let stranger = Signer::generate("key-unknown");
    assert_eq!(
        token_error(&receiver, stranger.token(json!({}))).await,
        TokenError::UnknownKey("key-unknown".into())
    );
    assert_eq!(
        token_error(&receiver, stranger.token(json!({}))).await,
        TokenError::UnknownKey("key-unknown".into())
    );
    assert_eq!(
        mock.requests().len(),
        4,
        "a refresh just made is not made again for every unknown key id"
    );
}

#[tokio::test]
async fn unreachable_signing_keys_answer_503_so_that_graph_retries() {
    let signer = Signer::generate("key-1");
    let mock = MockTransport::new();
    mock.push(MockResponse::new(500));
    let client = mock.client_builder().build().unwrap();
    let validator = TokenValidator::new(&client, APP_ID).openid_configuration(CONFIGURATION_URL);
    let receiver: Receiver<Message> = Receiver::builder()
        .client_state(STATE)
        .validation_tokens(validator)
        .build()
        .unwrap();
    let received = with_tokens(&receiver, &[signer.token(json!({}))]).await;
    assert_eq!(received.response.status(), 503);
    assert!(matches!(
        received.outcome,
        Outcome::Rejected(Rejection::ValidationToken(TokenError::Keys(_)))
    ));
}

#[tokio::test]
async fn a_flood_of_tokens_while_the_keys_cannot_be_fetched_makes_one_fetch() {
    let signer = Signer::generate("key-1");
    let mock = MockTransport::new();
    mock.push(MockResponse::new(500));
    let client = mock.client_builder().build().unwrap();
    let validator = TokenValidator::new(&client, APP_ID).openid_configuration(CONFIGURATION_URL);
    let receiver: Receiver<Message> = Receiver::builder()
        .client_state(STATE)
        .validation_tokens(validator)
        .build()
        .unwrap();
    for kid in ["key-1", "key-2", "key-3"] {
        let token = signer.sign(
            &json!({"typ": "JWT", "alg": "RS256", "kid": kid}),
            &json!({}),
        );
        let received = with_tokens(&receiver, &vec![token; 10]).await;
        assert_eq!(received.response.status(), 503, "{:?}", received.outcome);
    }
    assert_eq!(
        mock.requests().len(),
        1,
        "one failed fetch, then none until the retry interval has passed"
    );
}

#[tokio::test]
async fn encrypted_content_is_decrypted_only_for_a_tenant_a_token_vouches_for() {
    let signer = Signer::generate("key-1");
    let key = CertificateKey::generate();
    let mock = MockTransport::new();
    mock.push(MockResponse::json(200, openid_configuration()));
    mock.push(MockResponse::json(200, key_set(&[&signer])));
    let client = mock.client_builder().build().unwrap();
    let validator = TokenValidator::new(&client, APP_ID).openid_configuration(CONFIGURATION_URL);
    let receiver: Receiver<Message> = Receiver::builder()
        .client_state(STATE)
        .decryption_key(DecryptionKey::from_pkcs8_der("cert-1", &key.pkcs8()).unwrap())
        .validation_tokens(validator)
        .build()
        .unwrap();
    let mut other_tenant = rich(key.encrypt("cert-1", MESSAGE).0);
    other_tenant["tenantId"] = json!("00000000-0000-0000-0000-000000000001");
    let body = json!({
        "value": [rich(key.encrypt("cert-1", MESSAGE).0), other_tenant],
        "validationTokens": [signer.token(json!({}))]
    });
    let delivery = deliver(&receiver, body).await;
    assert!(delivery.changes[0].content.is_some());
    assert_eq!(delivery.dropped[0].reason, DropReason::NoValidationToken);

    let body = json!({"value": [rich(key.encrypt("cert-1", MESSAGE).0)]});
    let delivery = deliver(&receiver, body).await;
    assert_eq!(delivery.dropped[0].reason, DropReason::NoValidationToken);
}

#[test]
fn a_renewal_margin_past_the_end_of_time_makes_the_renewal_due_without_panicking() {
    let client = MockTransport::new().client_builder().build().unwrap();
    let mut subscription = Subscription::new("users", "updated", "https://example.com/n")
        .expires_in_max(SystemTime::now());
    subscription.id = Some("s1".into());
    assert!(
        subscription
            .renewal(&client, SystemTime::now(), Duration::MAX)
            .is_some()
    );
}

#[tokio::test]
async fn subscriptions_are_created_renewed_reauthorized_and_deleted() {
    let mock = MockTransport::new();
    let client = mock.client_builder().build().unwrap();
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_742_468_400);
    let subscription = Subscription::new(
        "users/u1/messages",
        "created,updated",
        "https://app.example/n",
    )
    .lifecycle_notification_url("https://app.example/l")
    .client_state(STATE)
    .expires_in_max(now);
    mock.push(MockResponse::json(
        201,
        json!({
            "id": "s1", "resource": "users/u1/messages", "changeType": "created,updated",
            "notificationUrl": "https://app.example/n", "expirationDateTime": "2025-03-27T10:50:00Z"
        }),
    ));
    let created = Subscription::create(&client, &subscription).await.unwrap();
    assert_eq!(created.id.as_deref(), Some("s1"));
    let sent = &mock.requests()[0];
    assert_eq!(
        (sent.method.clone(), sent.uri.path()),
        (Method::POST, "/v1.0/subscriptions")
    );
    assert_eq!(
        sent.body_json().unwrap(),
        json!({
            "resource": "users/u1/messages", "changeType": "created,updated",
            "notificationUrl": "https://app.example/n", "lifecycleNotificationUrl": "https://app.example/l",
            "clientState": STATE, "expirationDateTime": "2025-03-27T10:50:00.000Z"
        })
    );

    // Far from expiry: nothing to do; within the margin: a PATCH to the longest lifetime.
    assert!(
        created
            .renewal(&client, now, Duration::from_secs(3600))
            .is_none()
    );
    let later = now + Duration::from_secs(7 * 24 * 3600 - 1800);
    mock.push(MockResponse::new(204));
    created
        .renewal(&client, later, Duration::from_secs(3600))
        .unwrap()
        .await
        .unwrap();
    let sent = &mock.requests()[1];
    assert_eq!(
        (sent.method.clone(), sent.uri.path()),
        (Method::PATCH, "/v1.0/subscriptions/s1")
    );
    assert_eq!(
        sent.body_json().unwrap(),
        json!({"expirationDateTime": "2025-04-03T10:20:00.000Z"})
    );

    let event = graph_resource::notifications::LifecycleNotification::clone(
        &deliver(&receiver(), json!({"value": [{
            "subscriptionId": "s1", "clientState": STATE, "lifecycleEvent": "reauthorizationRequired"
        }]}))
        .await
        .lifecycle[0],
    );
    mock.push(MockResponse::new(204));
    assert_eq!(
        Subscription::answer(&client, &event).await.unwrap(),
        FollowUp::Reauthorized
    );
    let sent = &mock.requests()[2];
    assert_eq!(
        (sent.method.clone(), sent.uri.path()),
        (Method::POST, "/v1.0/subscriptions/s1/reauthorize")
    );

    mock.push(MockResponse::new(204));
    Subscription::delete(&client, "s1").await.unwrap();
    let sent = &mock.requests()[3];
    assert_eq!(
        (sent.method.clone(), sent.uri.path()),
        (Method::DELETE, "/v1.0/subscriptions/s1")
    );
    assert!(
        Subscription::delete(&client, "..").await.is_err(),
        "a dot segment is refused"
    );
}

#[tokio::test]
async fn the_axum_handler_answers_on_a_real_local_server_before_the_application_acts() {
    let (sender, mut delivered) = tokio::sync::mpsc::unbounded_channel();
    let (release, released) = tokio::sync::watch::channel(false);
    let receiver = Arc::new(receiver());
    let route = graph_resource::notifications::axum::handler(receiver, move |outcome| {
        let sender = sender.clone();
        let mut released = released.clone();
        async move {
            // A slow application: it acts only once Graph has had its answer.
            let _ = released.wait_for(|released| *released).await;
            let _ = sender.send(outcome);
        }
    });
    let app = axum::Router::new()
        .route("/notify", route.clone())
        .route("/lifecycle", route);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let http = reqwest::Client::new();

    for path in ["notify", "lifecycle"] {
        let answer = http
            .post(format!(
                "http://{address}/{path}?validationToken=hello%20there"
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()["content-type"], "text/plain");
        assert_eq!(answer.text().await.unwrap(), "hello there");
    }

    let answer = http
        .post(format!("http://{address}/notify"))
        .header("content-type", "application/json")
        .body(json!({"value": [change("s1", STATE), change("s1", "forged")]}).to_string())
        .send();
    let answer = tokio::time::timeout(Duration::from_secs(10), answer)
        .await
        .expect("answered while the application waits")
        .unwrap();
    assert_eq!(answer.status(), 202);
    assert!(
        delivered.is_empty(),
        "answered before the application acted"
    );
    release.send_replace(true);
    let Some(Outcome::Delivered(delivery)) =
        tokio::time::timeout(Duration::from_secs(10), delivered.recv())
            .await
            .unwrap()
    else {
        panic!("a delivery")
    };
    assert_eq!(delivery.changes.len(), 1);
    assert_eq!(delivery.dropped[0].reason, DropReason::ClientStateMismatch);

    let answer = http
        .post(format!("http://{address}/notify"))
        .body(vec![b'x'; 5 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 413);
    let answer = http
        .get(format!("http://{address}/notify"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 405);
}

#[tokio::test]
async fn the_axum_handler_answers_413_to_a_chunked_body_past_the_bound() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let receiver = Arc::new(
        Receiver::<Message>::builder()
            .client_state(STATE)
            .max_body_size(1024)
            .build()
            .unwrap(),
    );
    let (sender, mut outcomes) = tokio::sync::mpsc::unbounded_channel();
    let route = graph_resource::notifications::axum::handler(receiver, move |outcome| {
        let sender = sender.clone();
        async move {
            let _ = sender.send(outcome);
        }
    });
    let app = axum::Router::new().route("/notify", route);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });

    // No Content-Length: the body comes in chunks, so its length is known only as it is read.
    let mut connection = tokio::net::TcpStream::connect(address).await.unwrap();
    let chunk = "x".repeat(512);
    let mut request = format!(
        "POST /notify HTTP/1.1\r\nhost: {address}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
    );
    for _ in 0..4 {
        request.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    request.push_str("0\r\n\r\n");
    connection.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    connection.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let outcome = tokio::time::timeout(Duration::from_secs(10), outcomes.recv())
        .await
        .unwrap();
    assert!(
        matches!(
            outcome,
            Some(Outcome::Rejected(Rejection::TooLarge { limit: 1024, length })) if length > 1024
        ),
        "{outcome:?}"
    );
}
