//! The cost of receiving a rich notification (a delivery of one item: parse, `clientState`,
//! RSA-OAEP unwrap, HMAC check, AES-256-CBC, decode into the model) through the
//! `Receiver`, against the same steps written directly on aws-lc-rs and serde_json.
//!
//! ```text
//! cargo bench --bench notifications --features notifications
//! ```

#[path = "../tests/support/notifications.rs"]
mod graph;
#[path = "../tests/support/ready.rs"]
mod ready;

use std::hint::black_box;

use aws_lc_rs::cipher::{AES_256, DecryptionContext, PaddedBlockDecryptingKey, UnboundCipherKey};
use aws_lc_rs::constant_time::verify_slices_are_equal;
use aws_lc_rs::hmac;
use aws_lc_rs::rsa::{OAEP_SHA1_MGF1SHA1, OaepPrivateDecryptingKey, PrivateDecryptingKey};
use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use graph::CertificateKey;
use graph_resource::Binary;
use graph_resource::notifications::{DecryptionKey, Outcome, Receiver};
use ready::block_on;
use serde::Deserialize;
use serde_json::json;

const STATE: &str = "a client state of a reasonable length";

/// An Outlook message with the properties a rich notification typically carries.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // read by serde, looked at by nobody
struct Message {
    id: String,
    subject: Option<String>,
    body_preview: Option<String>,
    importance: Option<String>,
    is_read: Option<bool>,
    received_date_time: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ByHand {
    value: Vec<ItemByHand>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemByHand {
    client_state: String,
    encrypted_content: ContentByHand,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContentByHand {
    data: String,
    data_signature: String,
    data_key: String,
}

/// The same steps without the receiver: parse, compare the state, unwrap, verify, decrypt,
/// decode.
fn by_hand(key: &OaepPrivateDecryptingKey, body: &[u8]) -> Message {
    let delivery: ByHand = serde_json::from_slice(body).unwrap();
    let item = delivery.value.into_iter().next().unwrap();
    verify_slices_are_equal(item.client_state.as_bytes(), STATE.as_bytes()).unwrap();
    let content = item.encrypted_content;
    let wrapped = Binary::from_base64(&content.data_key).unwrap().0;
    let signature = Binary::from_base64(&content.data_signature).unwrap().0;
    let mut data = Binary::from_base64(&content.data).unwrap().0;
    let mut unwrapped = vec![0; key.min_output_size()];
    let symmetric = key
        .decrypt(&OAEP_SHA1_MGF1SHA1, &wrapped, &mut unwrapped, None)
        .unwrap();
    hmac::verify(
        &hmac::Key::new(hmac::HMAC_SHA256, symmetric),
        &data,
        &signature,
    )
    .unwrap();
    let iv: [u8; 16] = symmetric[..16].try_into().unwrap();
    let cipher =
        PaddedBlockDecryptingKey::cbc_pkcs7(UnboundCipherKey::new(&AES_256, symmetric).unwrap())
            .unwrap();
    let plaintext = cipher
        .decrypt(&mut data, DecryptionContext::Iv128(iv.into()))
        .unwrap();
    serde_json::from_slice(plaintext).unwrap()
}

fn rich_notification(c: &mut Criterion) {
    let certificate = CertificateKey::generate();
    let message = json!({
        "@odata.type": "#Microsoft.Graph.Message",
        "id": "AAMkAGUwNjQ4ZjIxLTQ3Y2YtNDViMi1iZjc4LTMA",
        "subject": "Quarterly numbers",
        "bodyPreview": "The numbers for the quarter are attached; the summary is below.",
        "importance": "normal",
        "isRead": false,
        "receivedDateTime": "2025-03-20T11:00:00Z"
    });
    let (content, _) = certificate.encrypt("cert-1", message.to_string().as_bytes());
    let body = Bytes::from(
        json!({"value": [{
            "subscriptionId": "s1",
            "clientState": STATE,
            "changeType": "created",
            "resource": "users/u1/messages/m1",
            "tenantId": graph::TENANT,
            "resourceData": {"id": "m1"},
            "encryptedContent": content,
        }]})
        .to_string(),
    );
    let receiver: Receiver<Message> = Receiver::builder()
        .subscription("s1", STATE)
        .decryption_key(DecryptionKey::from_pkcs8_der("cert-1", &certificate.pkcs8()).unwrap())
        .danger_decrypt_without_validation_tokens()
        .build()
        .unwrap();
    let key = OaepPrivateDecryptingKey::new(
        PrivateDecryptingKey::from_pkcs8(&certificate.pkcs8()).unwrap(),
    )
    .unwrap();

    let mut group = c.benchmark_group("rich_notification");
    group.bench_function("receiver", |b| {
        b.iter(|| {
            let request = http::Request::post("https://app.example/notify")
                .body(body.clone())
                .unwrap();
            match block_on(receiver.receive(black_box(request))).outcome {
                Outcome::Delivered(delivery) => black_box(delivery.changes),
                other => panic!("expected a delivery, got {other:?}"),
            }
        })
    });
    group.bench_function("by_hand_on_aws_lc_rs", |b| {
        b.iter(|| black_box(by_hand(&key, black_box(&body))))
    });
    group.finish();
}

criterion_group!(benches, rich_notification);
criterion_main!(benches);
