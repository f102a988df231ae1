//! What Graph does to send a rich notification, written directly on aws-lc-rs with keys
//! made on the spot: the application's certificate key, the encryption of a resource, and
//! Microsoft's token signing key with its OpenID configuration.

#![allow(dead_code)]

use aws_lc_rs::cipher::{AES_256, EncryptionContext, PaddedBlockEncryptingKey, UnboundCipherKey};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::hmac;
use aws_lc_rs::rand::{SystemRandom, fill};
use aws_lc_rs::rsa::{KeySize, OAEP_SHA1_MGF1SHA1, OaepPublicEncryptingKey, PrivateDecryptingKey};
use aws_lc_rs::signature::{KeyPair, RSA_PKCS1_SHA256, RsaKeyPair, RsaPublicKeyComponents};
use graph_resource::Binary;
use serde_json::{Value, json};

/// Graph's change-notification publisher.
pub const PUBLISHER: &str = "0bf30f3b-4a52-48df-9a82-234910c4a086";
/// The application the tokens are for.
pub const APP_ID: &str = "5e1f8b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
/// The tenant of the notifications.
pub const TENANT: &str = "84bd8158-6d4d-4958-8b9f-9d6445542f95";
/// Where the validator finds its OpenID configuration in the tests.
pub const CONFIGURATION_URL: &str = "https://login.example/common/.well-known/openid-configuration";
/// The key set that configuration names.
pub const JWKS_URL: &str = "https://login.example/common/discovery/keys";

/// An application certificate's private key.
pub struct CertificateKey {
    key: PrivateDecryptingKey,
}

impl CertificateKey {
    pub fn generate() -> CertificateKey {
        CertificateKey {
            key: PrivateDecryptingKey::generate(KeySize::Rsa2048).expect("an RSA key"),
        }
    }

    /// The private key in PKCS#8 DER.
    pub fn pkcs8(&self) -> Vec<u8> {
        self.key.as_der().expect("PKCS#8").as_ref().to_vec()
    }

    /// `plaintext` encrypted as Graph does, under a fresh AES key: the `encryptedContent`
    /// object for `certificate_id`, and the AES key.
    pub fn encrypt(&self, certificate_id: &str, plaintext: &[u8]) -> (Value, [u8; 32]) {
        let mut key = [0u8; 32];
        fill(&mut key).expect("random bytes");
        let content = self.encrypt_with(certificate_id, plaintext, &key);
        (content, key)
    }

    /// The same with a given AES key.
    pub fn encrypt_with(&self, certificate_id: &str, plaintext: &[u8], key: &[u8; 32]) -> Value {
        let data = aes_cbc(key, plaintext);
        let signature = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), &data);
        let public = OaepPublicEncryptingKey::new(self.key.public_key()).expect("an OAEP key");
        let mut wrapped = vec![0; public.ciphertext_size()];
        let wrapped = public
            .encrypt(&OAEP_SHA1_MGF1SHA1, key, &mut wrapped, None)
            .expect("OAEP encryption");
        json!({
            "data": base64(&data),
            "dataSignature": base64(signature.as_ref()),
            "dataKey": base64(wrapped),
            "encryptionCertificateId": certificate_id,
            "encryptionCertificateThumbprint": "07293748CC064953A3052FB978C735FB89E61C3D",
        })
    }
}

/// AES-256-CBC with PKCS7 padding, the key's first 16 bytes as IV.
pub fn aes_cbc(key: &[u8; 32], plaintext: &[u8]) -> Vec<u8> {
    let cipher = PaddedBlockEncryptingKey::cbc_pkcs7(
        UnboundCipherKey::new(&AES_256, key).expect("an AES key"),
    )
    .expect("a CBC key");
    let iv: [u8; 16] = std::array::from_fn(|i| key[i]);
    let mut data = plaintext.to_vec();
    cipher
        .less_safe_encrypt(&mut data, EncryptionContext::Iv128(iv.into()))
        .expect("AES encryption");
    data
}

/// Standard base64, padded.
pub fn base64(bytes: &[u8]) -> String {
    Binary(bytes.to_vec()).to_base64()
}

/// base64url without padding, as in a JWT.
pub fn base64url(bytes: &[u8]) -> String {
    base64(bytes)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

/// Microsoft's token signing key.
pub struct Signer {
    pub kid: String,
    key: RsaKeyPair,
}

impl Signer {
    pub fn generate(kid: &str) -> Signer {
        Signer {
            kid: kid.into(),
            key: RsaKeyPair::generate(KeySize::Rsa2048).expect("an RSA key"),
        }
    }

    /// The key as a JWK of a key set.
    pub fn jwk(&self) -> Value {
        let public = RsaPublicKeyComponents::<Vec<u8>>::from(self.key.public_key());
        json!({
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "n": base64url(&public.n),
            "e": base64url(&public.e),
        })
    }

    /// A token with `header` and `claims`, signed RS256 whatever the header says.
    pub fn sign(&self, header: &Value, claims: &Value) -> String {
        let signed = format!(
            "{}.{}",
            base64url(header.to_string().as_bytes()),
            base64url(claims.to_string().as_bytes())
        );
        let mut signature = vec![0; self.key.public_modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signed.as_bytes(),
                &mut signature,
            )
            .expect("an RS256 signature");
        format!("{signed}.{}", base64url(&signature))
    }

    /// A valid token for [`APP_ID`] from [`TENANT`] with `issuer`, overridden by `changes`.
    pub fn token(&self, changes: Value) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        let mut claims = json!({
            "iss": format!("https://sts.windows.net/{TENANT}/"),
            "aud": APP_ID,
            "azp": PUBLISHER,
            "iat": now - 60,
            "nbf": now - 60,
            "exp": now + 3600,
        });
        if let (Some(claims), Value::Object(changes)) = (claims.as_object_mut(), changes) {
            for (name, value) in changes {
                if value.is_null() {
                    claims.remove(&name);
                } else {
                    claims.insert(name, value);
                }
            }
        }
        self.sign(
            &json!({"typ": "JWT", "alg": "RS256", "kid": self.kid}),
            &claims,
        )
    }
}

/// The OpenID configuration that names [`JWKS_URL`].
pub fn openid_configuration() -> Value {
    json!({"issuer": "https://sts.windows.net/{tenantid}/", "jwks_uri": JWKS_URL})
}

/// A key set of `signers`.
pub fn key_set(signers: &[&Signer]) -> Value {
    json!({"keys": signers.iter().map(|signer| signer.jwk()).collect::<Vec<_>>()})
}
