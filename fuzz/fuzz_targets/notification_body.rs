//! Arbitrary bytes as what reaches a change-notification endpoint, to a receiver that
//! decrypts rich notifications. The first byte picks how the rest is used:
//!
//! - even: the whole body of a delivery (malformed JSON, items of every shape, bogus
//!   `encryptedContent`, validation requests);
//! - odd: the ciphertext of one rich notification, signed with the right HMAC key under a
//!   `dataKey` wrapped for the receiver's key, so that the AES-CBC decryption, its padding
//!   and the decoding of what it gives are reached.
//!
//! Nothing panics, the answer is 202 for a delivery and 4xx for a refused body, and an item
//! is handed on only with its `clientState`.
#![no_main]

use std::sync::OnceLock;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::hmac;
use aws_lc_rs::rsa::{KeySize, OAEP_SHA1_MGF1SHA1, OaepPublicEncryptingKey, PrivateDecryptingKey};
use bytes::Bytes;
use graph_resource::Binary;
use graph_resource::notifications::{DecryptionKey, Outcome, Receiver};
use graph_resource_fuzz::block_on;
use libfuzzer_sys::fuzz_target;

const STATE: &str = "state";
const AES_KEY: [u8; 32] = *b"0123456789abcdef0123456789ABCDEF";

struct Setup {
    receiver: Receiver<serde_json::Value>,
    wrapped_key: String,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let private = PrivateDecryptingKey::generate(KeySize::Rsa2048).expect("an RSA key");
        let public = OaepPublicEncryptingKey::new(private.public_key()).expect("an OAEP key");
        let mut wrapped = vec![0; public.ciphertext_size()];
        let wrapped = public
            .encrypt(&OAEP_SHA1_MGF1SHA1, &AES_KEY, &mut wrapped, None)
            .expect("OAEP encryption");
        let der = private.as_der().expect("PKCS#8");
        let key = DecryptionKey::from_pkcs8_der("cert", der.as_ref()).expect("a valid key");
        let receiver = Receiver::builder()
            .subscription("s", STATE)
            .decryption_key(key)
            .danger_decrypt_without_validation_tokens()
            .max_body_size(256 * 1024)
            .build()
            .expect("a valid receiver");
        Setup {
            receiver,
            wrapped_key: Binary(wrapped.to_vec()).to_base64(),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let setup = setup();
    let (uri, body) = if mode % 2 == 0 {
        let uri = if mode % 4 == 2 {
            // The rest as a query, as a validation request would carry it.
            format!("https://app.example/n?validationToken={}", String::from_utf8_lossy(rest))
        } else {
            "https://app.example/n".to_owned()
        };
        (uri, Bytes::copy_from_slice(rest))
    } else {
        let signature = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &AES_KEY), rest);
        let body = serde_json::json!({"value": [{
            "subscriptionId": "s",
            "clientState": STATE,
            "changeType": "updated",
            "resource": "users/u",
            "encryptedContent": {
                "data": Binary(rest.to_vec()).to_base64(),
                "dataSignature": Binary(signature.as_ref().to_vec()).to_base64(),
                "dataKey": setup.wrapped_key,
                "encryptionCertificateId": "cert",
            },
        }]});
        ("https://app.example/n".to_owned(), Bytes::from(body.to_string()))
    };
    let Ok(request) = http::Request::post(uri.as_str()).body(body) else {
        return;
    };
    let received = block_on(setup.receiver.receive(request));
    let status = received.response.status().as_u16();
    match received.outcome {
        Outcome::Validation(_) => assert_eq!(status, 200),
        Outcome::Delivered(delivery) => {
            assert_eq!(status, 202);
            assert!(delivery.lifecycle.iter().all(|event| event.subscription_id == "s"));
            assert!(delivery.changes.iter().all(|change| change.subscription_id == "s"));
            if mode % 2 == 1 {
                assert_eq!(delivery.changes.len() + delivery.dropped.len(), 1);
            }
        }
        Outcome::Rejected(rejection) => {
            assert!((400..500).contains(&status), "{rejection}: {status}");
            assert!(mode % 2 == 0, "a well-formed delivery is never refused whole");
        }
        _ => {}
    }
});
