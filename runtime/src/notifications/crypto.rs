//! Rich notifications: the application's private keys and the decryption of
//! `encryptedContent`, all on aws-lc-rs.
//!
//! Graph wraps a fresh AES-256 key with the application's RSA public key (RSA-OAEP with
//! SHA-1), signs the ciphertext with HMAC-SHA256 under that key, and encrypts the resource
//! with AES-256-CBC, PKCS7 padding, the key's first 16 bytes as IV. The HMAC is checked, in
//! constant time, before anything is decrypted with AES.

use std::fmt;

use aws_lc_rs::cipher::{AES_256, DecryptionContext, PaddedBlockDecryptingKey, UnboundCipherKey};
use aws_lc_rs::hmac;
use aws_lc_rs::iv::FixedLength;
use aws_lc_rs::rsa::{OAEP_SHA1_MGF1SHA1, OaepPrivateDecryptingKey, PrivateDecryptingKey};
use serde::Deserialize;

use crate::edm::Binary;
use crate::error::Error;

/// The longest base64 `dataKey` read: an RSA-OAEP ciphertext under a 8192-bit key.
const MAX_DATA_KEY: usize = 1400;
/// The longest base64 `dataSignature` read: an HMAC-SHA256 tag is 44 characters.
const MAX_DATA_SIGNATURE: usize = 64;
/// The length of the symmetric key Graph wraps: AES-256.
const SYMMETRIC_KEY_LEN: usize = 32;

/// The `encryptedContent` of a rich notification, as Graph sends it.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EncryptedContent {
    /// The resource, AES-256-CBC encrypted, base64.
    pub data: String,
    /// HMAC-SHA256 of the encrypted `data` under the symmetric key, base64.
    pub data_signature: String,
    /// The symmetric key, RSA-OAEP encrypted with the application's public key, base64.
    pub data_key: String,
    /// The id given as `encryptionCertificateId` when the subscription was created.
    #[serde(default)]
    pub encryption_certificate_id: Option<String>,
    /// The thumbprint of the certificate whose public key wrapped the key, hex.
    #[serde(default)]
    pub encryption_certificate_thumbprint: Option<String>,
}

/// Why `encryptedContent` was not decrypted.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecryptError {
    /// No key of the receiver has this certificate id or thumbprint.
    UnknownCertificate {
        /// The `encryptionCertificateId` of the notification.
        id: Option<String>,
        /// The `encryptionCertificateThumbprint` of the notification.
        thumbprint: Option<String>,
    },
    /// A field is not base64, or is longer or shorter than it can be; the message says which.
    Malformed(String),
    /// The `dataKey` does not decrypt with the chosen key.
    KeyUnwrap,
    /// The HMAC of `data` is not `dataSignature`: the content was not decrypted.
    SignatureMismatch,
    /// The data does not decrypt: its length or padding is wrong.
    Ciphertext,
}

impl fmt::Display for DecryptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecryptError::UnknownCertificate { id, thumbprint } => write!(
                f,
                "no decryption key for certificate id {:?}, thumbprint {:?}",
                id.as_deref().unwrap_or("(none)"),
                thumbprint.as_deref().unwrap_or("(none)")
            ),
            DecryptError::Malformed(message) => f.write_str(message),
            DecryptError::KeyUnwrap => {
                f.write_str("dataKey does not decrypt with the certificate's private key")
            }
            DecryptError::SignatureMismatch => {
                f.write_str("dataSignature is not the HMAC-SHA256 of data; nothing was decrypted")
            }
            DecryptError::Ciphertext => {
                f.write_str("data does not decrypt: wrong length or padding")
            }
        }
    }
}

impl std::error::Error for DecryptError {}

/// An application's private key for rich notifications, with the certificate id given to
/// Graph as `encryptionCertificateId` (and optionally the certificate's thumbprint).
///
/// During a key rotation give the receiver both keys: each notification names the one it
/// was encrypted for.
///
/// ```
/// use graph_resource_runtime::notifications::DecryptionKey;
///
/// let pem = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----";
/// let error = DecryptionKey::from_pkcs8_pem("cert-2025", pem).unwrap_err();
/// assert!(error.to_string().contains("PKCS#8"));
/// ```
pub struct DecryptionKey {
    certificate_id: String,
    thumbprint: Option<String>,
    key: OaepPrivateDecryptingKey,
}

impl fmt::Debug for DecryptionKey {
    /// Shows the certificate id and thumbprint, never the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptionKey")
            .field("certificate_id", &self.certificate_id)
            .field("thumbprint", &self.thumbprint)
            .field("bits", &self.key.key_size_bits())
            .finish_non_exhaustive()
    }
}

impl DecryptionKey {
    /// An RSA private key in PKCS#8 DER, for notifications whose `encryptionCertificateId`
    /// is `certificate_id`. Fails with [`Error::InvalidArgument`] for anything else, or an
    /// RSA key shorter than 2048 bits.
    pub fn from_pkcs8_der(certificate_id: impl Into<String>, der: &[u8]) -> Result<Self, Error> {
        let invalid = |why: String| {
            Error::InvalidArgument(format!(
                "expected an RSA private key of at least 2048 bits in PKCS#8: {why}"
            ))
        };
        let key =
            PrivateDecryptingKey::from_pkcs8(der).map_err(|error| invalid(error.to_string()))?;
        let key = OaepPrivateDecryptingKey::new(key)
            .map_err(|_| invalid("not usable for OAEP".into()))?;
        Ok(DecryptionKey {
            certificate_id: certificate_id.into(),
            thumbprint: None,
            key,
        })
    }

    /// The same from PEM (`-----BEGIN PRIVATE KEY-----`), as `openssl pkcs12 -nocerts
    /// -nodes` writes it.
    pub fn from_pkcs8_pem(certificate_id: impl Into<String>, pem: &str) -> Result<Self, Error> {
        const BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
        const END: &str = "-----END PRIVATE KEY-----";
        let body = pem
            .split_once(BEGIN)
            .and_then(|(_, rest)| rest.split_once(END))
            .map(|(body, _)| body)
            .ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "expected a PKCS#8 PEM key between `{BEGIN}` and `{END}`"
                ))
            })?;
        let base64: String = body.split_whitespace().collect();
        let der = Binary::from_base64(&base64).map_err(|why| {
            Error::InvalidArgument(format!("the PKCS#8 PEM key is not base64: {why}"))
        })?;
        Self::from_pkcs8_der(certificate_id, &der.0)
    }

    /// Also chooses this key for notifications that name the certificate by its thumbprint
    /// (hex, any case) instead of its id.
    #[must_use]
    pub fn with_thumbprint(mut self, thumbprint: impl Into<String>) -> Self {
        self.thumbprint = Some(thumbprint.into());
        self
    }

    /// The certificate id this key answers to.
    pub fn certificate_id(&self) -> &str {
        &self.certificate_id
    }

    fn matches(&self, content: &EncryptedContent) -> bool {
        if let Some(id) = &content.encryption_certificate_id {
            return *id == self.certificate_id;
        }
        match (&content.encryption_certificate_thumbprint, &self.thumbprint) {
            (Some(theirs), Some(ours)) => theirs.eq_ignore_ascii_case(ours),
            _ => false,
        }
    }
}

/// Decrypts `content` with the key among `keys` that it names: checks the HMAC of the data
/// before it decrypts anything with AES.
pub(crate) fn decrypt(
    keys: &[DecryptionKey],
    content: &EncryptedContent,
) -> Result<Vec<u8>, DecryptError> {
    let key = keys
        .iter()
        .find(|key| key.matches(content))
        .ok_or_else(|| DecryptError::UnknownCertificate {
            id: content.encryption_certificate_id.clone(),
            thumbprint: content.encryption_certificate_thumbprint.clone(),
        })?;
    let wrapped = base64_field("dataKey", &content.data_key, MAX_DATA_KEY)?;
    let signature = base64_field("dataSignature", &content.data_signature, MAX_DATA_SIGNATURE)?;
    let mut data = base64_field("data", &content.data, usize::MAX)?;

    let mut unwrapped = vec![0; key.key.min_output_size()];
    let symmetric = key
        .key
        .decrypt(&OAEP_SHA1_MGF1SHA1, &wrapped, &mut unwrapped, None)
        .map_err(|_| DecryptError::KeyUnwrap)?;
    let Ok(symmetric) = <&[u8; SYMMETRIC_KEY_LEN]>::try_from(&*symmetric) else {
        return Err(DecryptError::Malformed(format!(
            "expected a {SYMMETRIC_KEY_LEN}-byte key in dataKey, found {} bytes",
            symmetric.len()
        )));
    };

    let hmac_key = hmac::Key::new(hmac::HMAC_SHA256, symmetric);
    hmac::verify(&hmac_key, &data, &signature).map_err(|_| DecryptError::SignatureMismatch)?;

    let iv: [u8; 16] = std::array::from_fn(|i| symmetric[i]);
    let cipher = UnboundCipherKey::new(&AES_256, symmetric)
        .and_then(PaddedBlockDecryptingKey::cbc_pkcs7)
        .map_err(|_| DecryptError::Ciphertext)?;
    let context = DecryptionContext::Iv128(FixedLength::from(iv));
    let plaintext = cipher
        .decrypt(&mut data, context)
        .map_err(|_| DecryptError::Ciphertext)?;
    let length = plaintext.len();
    data.truncate(length);
    Ok(data)
}

/// The bytes of a base64 field of at most `max` characters.
fn base64_field(name: &str, text: &str, max: usize) -> Result<Vec<u8>, DecryptError> {
    if text.len() > max {
        return Err(DecryptError::Malformed(format!(
            "expected {name} of at most {max} base64 characters, found {}",
            text.len()
        )));
    }
    Binary::from_base64(text)
        .map(|binary| binary.0)
        .map_err(|why| DecryptError::Malformed(format!("{name}: {why}")))
}
