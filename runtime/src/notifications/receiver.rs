//! The receiver: from the HTTP request Graph sends to the response to give back and the
//! typed events to act on, without any web framework.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;
use std::sync::RwLock;

use aws_lc_rs::constant_time::verify_slices_are_equal;
use bytes::Bytes;
use http::header::{ALLOW, CONTENT_TYPE};
use http::{HeaderValue, Method, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::crypto::{self, DecryptionKey, EncryptedContent};
use super::validation_token::{TokenError, TokenValidator};
use super::{
    ChangeNotification, ChangeType, Delivery, DropReason, Dropped, LifecycleEvent,
    LifecycleNotification,
};
use crate::error::Error;
use crate::path::percent_escape;

/// The default bound on a delivery's body: Graph's rich notifications stay well below it.
const DEFAULT_MAX_BODY: usize = 4 * 1024 * 1024;
/// The longest `clientState` Graph accepts.
const MAX_CLIENT_STATE: usize = 128;
/// The longest validation token echoed.
const MAX_VALIDATION_TOKEN: usize = 4096;
/// The most `validationTokens` read from one delivery.
const MAX_TOKENS: usize = 64;
/// The most items read from one delivery: far more than Graph batches, and few enough that
/// a body of tiny items cannot make many times its size in dropped items.
const MAX_ITEMS: usize = 10_000;

/// Receives Graph's change notifications for the model type `T` (`serde_json::Value` or
/// [`UntypedResource`](crate::UntypedResource) to keep them untyped).
///
/// [`receive`](Receiver::receive) answers a validation request, or reads a delivery: it
/// checks each item's `clientState`, decrypts rich notifications, verifies
/// `validationTokens`, and returns the response to send at once with the events to act on
/// after it has been sent. Share it (`Arc<Receiver<T>>`) between the handlers of the
/// notification URL and the lifecycle URL.
pub struct Receiver<T> {
    default_client_state: Option<String>,
    client_states: RwLock<HashMap<String, String>>,
    keys: Vec<DecryptionKey>,
    tokens: Option<TokenValidator>,
    max_body: usize,
    model: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Receiver<T> {
    /// Shows no `clientState` and no key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("keys", &self.keys)
            .field("tokens", &self.tokens)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Receiver`]; see [`Receiver::builder`].
#[must_use]
pub struct ReceiverBuilder<T> {
    default_client_state: Option<String>,
    client_states: HashMap<String, String>,
    keys: Vec<DecryptionKey>,
    tokens: Option<TokenValidator>,
    decrypt_without_tokens: bool,
    max_body: usize,
    model: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for ReceiverBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceiverBuilder")
            .field("keys", &self.keys)
            .field("tokens", &self.tokens)
            .field("decrypt_without_tokens", &self.decrypt_without_tokens)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// What [`Receiver::receive`] made of a request: the response to send back now, and what to
/// act on once it is sent.
#[non_exhaustive]
#[derive(Debug)]
pub struct Received<T> {
    /// The answer for Graph: `200` with the token for a validation, `202` for a delivery,
    /// a 4xx (or `503` when the signing keys could not be fetched) for a rejected request.
    pub response: http::Response<Bytes>,
    /// What the request was.
    pub outcome: Outcome<T>,
}

/// What a request to the notification endpoint was.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<T> {
    /// A validation request, answered with its token.
    Validation(String),
    /// A delivery: its notifications that passed every check, and those dropped.
    Delivered(Delivery<T>),
    /// The request as a whole was refused.
    Rejected(Rejection),
}

/// Why a request was refused as a whole.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum Rejection {
    /// Not a `POST` (`405`).
    Method(Method),
    /// The body is longer than the receiver's bound (`413`).
    TooLarge {
        /// The bound.
        limit: usize,
        /// The body's length, or for a body sent in chunks, the length read when it
        /// passed the bound.
        length: usize,
    },
    /// Not a validation request nor `{"value": [...]}`; the message says what is wrong
    /// (`400`).
    Malformed(String),
    /// A token in `validationTokens` is not valid: the whole delivery is refused (`403`,
    /// or `503` when the signing keys could not be fetched).
    ValidationToken(TokenError),
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Method(method) => write!(f, "expected POST, found {method}"),
            Rejection::TooLarge { limit, length } => write!(
                f,
                "expected a body of at most {limit} bytes, found {length}"
            ),
            Rejection::Malformed(message) => write!(f, "malformed request: {message}"),
            Rejection::ValidationToken(error) => write!(f, "validationTokens: {error}"),
        }
    }
}

impl std::error::Error for Rejection {}

impl<T> Receiver<T> {
    /// A builder: give it the `clientState` of the subscriptions, and for rich
    /// notifications the decryption keys and a [`TokenValidator`].
    ///
    /// ```
    /// use graph_resource_runtime::notifications::Receiver;
    ///
    /// let receiver = Receiver::<serde_json::Value>::builder()
    ///     .subscription("7f105c7d-2dc5-4530-97cd-4e7ae6534c07", "secret for this one")
    ///     .max_body_size(1024 * 1024)
    ///     .build()?;
    /// receiver.add_subscription("a later subscription id", "its secret")?;
    /// # Ok::<(), graph_resource_runtime::Error>(())
    /// ```
    pub fn builder() -> ReceiverBuilder<T> {
        ReceiverBuilder {
            default_client_state: None,
            client_states: HashMap::new(),
            keys: Vec::new(),
            tokens: None,
            decrypt_without_tokens: false,
            max_body: DEFAULT_MAX_BODY,
            model: PhantomData,
        }
    }

    /// Accepts notifications of subscription `id` whose `clientState` is `client_state`,
    /// such as one created after the receiver. Fails for a `clientState` longer than 128
    /// characters, which Graph does not accept.
    pub fn add_subscription(
        &self,
        id: impl Into<String>,
        client_state: impl Into<String>,
    ) -> Result<(), Error> {
        let client_state = checked_client_state(client_state.into())?;
        let mut states = self
            .client_states
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        states.insert(id.into(), client_state);
        Ok(())
    }

    /// Stops accepting notifications of subscription `id` (unless the receiver has a
    /// `clientState` for every subscription).
    pub fn remove_subscription(&self, id: &str) {
        let mut states = self
            .client_states
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        states.remove(id);
    }

    /// The longest body this receiver reads: a server should stop reading a request's body
    /// past it (and may answer `413` itself).
    pub fn max_body_size(&self) -> usize {
        self.max_body
    }

    /// Whether `client_state` is the one of subscription `id`, compared in constant time.
    fn client_state_matches(&self, id: &str, client_state: Option<&str>) -> Result<(), DropReason> {
        let states = self
            .client_states
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let expected = states
            .get(id)
            .or(self.default_client_state.as_ref())
            .ok_or(DropReason::UnknownSubscription)?;
        let given = client_state.ok_or(DropReason::ClientStateMismatch)?;
        verify_slices_are_equal(expected.as_bytes(), given.as_bytes())
            .map_err(|_| DropReason::ClientStateMismatch)
    }
}

impl<T: DeserializeOwned> Receiver<T> {
    /// Answers `request`: a validation at once, a delivery after its checks. Send
    /// [`Received::response`] back before acting on [`Received::outcome`]: Graph expects
    /// an answer within seconds.
    pub async fn receive(&self, request: http::Request<Bytes>) -> Received<T> {
        let outcome = self.read(request).await;
        let response = match &outcome {
            Outcome::Validation(token) => {
                let mut response = respond(StatusCode::OK, Bytes::from(token.clone()));
                let headers = response.headers_mut();
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
                headers.insert(
                    "x-content-type-options",
                    HeaderValue::from_static("nosniff"),
                );
                response
            }
            Outcome::Delivered(_) => respond(StatusCode::ACCEPTED, Bytes::new()),
            Outcome::Rejected(rejection) => {
                let mut response = respond(rejection_status(rejection), Bytes::new());
                if matches!(rejection, Rejection::Method(_)) {
                    response
                        .headers_mut()
                        .insert(ALLOW, HeaderValue::from_static("POST"));
                }
                response
            }
        };
        Received { response, outcome }
    }

    async fn read(&self, request: http::Request<Bytes>) -> Outcome<T> {
        if request.method() != Method::POST {
            return Outcome::Rejected(Rejection::Method(request.method().clone()));
        }
        match validation_token(request.uri().query()) {
            Ok(Some(token)) => return Outcome::Validation(token),
            Ok(None) => {}
            Err(message) => return Outcome::Rejected(Rejection::Malformed(message)),
        }
        let body = request.body();
        if body.len() > self.max_body {
            return Outcome::Rejected(Rejection::TooLarge {
                limit: self.max_body,
                length: body.len(),
            });
        }
        match self.deliver(body).await {
            Ok(delivery) => Outcome::Delivered(delivery),
            Err(rejection) => Outcome::Rejected(rejection),
        }
    }

    /// Reads a delivery's body: the checks of the whole, then of each item.
    async fn deliver(&self, body: &[u8]) -> Result<Delivery<T>, Rejection> {
        let batch: WireBatch<'_> = serde_json::from_slice(body).map_err(|error| {
            Rejection::Malformed(format!("expected {{\"value\": [...]}}: {error}"))
        })?;
        let mut vouched = HashSet::new();
        if let Some(validator) = &self.tokens {
            let tokens = batch.validation_tokens.as_deref().unwrap_or_default();
            if tokens.len() > MAX_TOKENS {
                return Err(Rejection::Malformed(format!(
                    "expected at most {MAX_TOKENS} validationTokens, found {}",
                    tokens.len()
                )));
            }
            for token in tokens {
                let valid = validator
                    .validate(token)
                    .await
                    .map_err(Rejection::ValidationToken)?;
                vouched.insert(valid.tenant_id);
            }
        }
        let mut delivery = Delivery {
            changes: Vec::new(),
            lifecycle: Vec::new(),
            dropped: Vec::new(),
        };
        for (index, raw) in batch.value.into_iter().enumerate() {
            let item = match serde_json::from_str::<WireItem<'_>>(raw.get()) {
                Ok(item) => item,
                Err(error) => {
                    let reason = DropReason::Malformed(error.to_string());
                    delivery.dropped.push(Dropped {
                        index,
                        subscription_id: None,
                        reason,
                    });
                    continue;
                }
            };
            let subscription_id = item.subscription_id.clone();
            if let Err(reason) = self.read_item(item, &vouched, &mut delivery) {
                delivery.dropped.push(Dropped {
                    index,
                    subscription_id: Some(subscription_id),
                    reason,
                });
            }
        }
        Ok(delivery)
    }

    /// Checks one item and adds it to `delivery`, or says why it is dropped.
    fn read_item(
        &self,
        item: WireItem<'_>,
        vouched: &HashSet<String>,
        delivery: &mut Delivery<T>,
    ) -> Result<(), DropReason> {
        self.client_state_matches(&item.subscription_id, item.client_state.as_deref())?;
        if let Some(event) = item.lifecycle_event {
            delivery.lifecycle.push(LifecycleNotification {
                subscription_id: item.subscription_id,
                subscription_expiration: item.subscription_expiration_date_time,
                tenant_id: item.tenant_id,
                event: LifecycleEvent::parse(&event),
            });
            return Ok(());
        }
        let missing = |field: &str| DropReason::Malformed(format!("missing field `{field}`"));
        let change_type = item.change_type.ok_or_else(|| missing("changeType"))?;
        let resource = item.resource.ok_or_else(|| missing("resource"))?;
        let resource_data = item
            .resource_data
            .map(|raw| serde_json::from_str::<T>(raw.get()))
            .transpose()
            .map_err(|error| DropReason::ResourceData(error.to_string()))?;
        let content = match &item.encrypted_content {
            None => None,
            Some(encrypted) => {
                let tenant_vouched = item
                    .tenant_id
                    .as_ref()
                    .is_some_and(|tenant| vouched.contains(tenant));
                if self.tokens.is_some() && !tenant_vouched {
                    return Err(DropReason::NoValidationToken);
                }
                let plaintext =
                    crypto::decrypt(&self.keys, encrypted).map_err(DropReason::Decryption)?;
                let content = serde_json::from_slice::<T>(&plaintext)
                    .map_err(|error| DropReason::Content(error.to_string()))?;
                Some(content)
            }
        };
        delivery.changes.push(ChangeNotification {
            subscription_id: item.subscription_id,
            subscription_expiration: item.subscription_expiration_date_time,
            change_type: ChangeType::parse(&change_type),
            resource,
            tenant_id: item.tenant_id,
            resource_data,
            content,
        });
        Ok(())
    }
}

impl<T> ReceiverBuilder<T> {
    /// Accepts notifications of every subscription whose `clientState` is `client_state`
    /// (those given to [`subscription`](ReceiverBuilder::subscription) have their own).
    pub fn client_state(mut self, client_state: impl Into<String>) -> Self {
        self.default_client_state = Some(client_state.into());
        self
    }

    /// Accepts notifications of subscription `id` whose `clientState` is `client_state`.
    pub fn subscription(mut self, id: impl Into<String>, client_state: impl Into<String>) -> Self {
        self.client_states.insert(id.into(), client_state.into());
        self
    }

    /// Decrypts rich notifications encrypted for `key`'s certificate. Give two keys during a
    /// rotation. Needs [`validation_tokens`](ReceiverBuilder::validation_tokens) too: anyone
    /// who knows the certificate's public key and a `clientState` can make content that
    /// decrypts, so [`build`](ReceiverBuilder::build) refuses a key without a validator.
    pub fn decryption_key(mut self, key: DecryptionKey) -> Self {
        self.keys.push(key);
        self
    }

    /// Verifies `validationTokens` with `validator`: a delivery with an invalid token is
    /// refused whole, and encrypted content is decrypted only for a tenant a valid token of
    /// the same delivery vouches for.
    pub fn validation_tokens(mut self, validator: TokenValidator) -> Self {
        self.tokens = Some(validator);
        self
    }

    /// Lets a receiver with decryption keys decrypt rich notifications without verifying
    /// their `validationTokens`: anyone who knows the certificate's public key and a
    /// `clientState` can then forge content that decrypts. For tests and benchmarks only;
    /// Graph sends valid tokens with every rich notification.
    pub fn danger_decrypt_without_validation_tokens(mut self) -> Self {
        self.decrypt_without_tokens = true;
        self
    }

    /// Refuses bodies longer than `bytes` (default 4 MiB) with `413`.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// Checks the settings: every `clientState` at most 128 characters, as Graph requires,
    /// and a [`TokenValidator`] for decryption keys (unless
    /// [`danger_decrypt_without_validation_tokens`](ReceiverBuilder::danger_decrypt_without_validation_tokens)).
    pub fn build(self) -> Result<Receiver<T>, Error> {
        if !self.keys.is_empty() && self.tokens.is_none() && !self.decrypt_without_tokens {
            return Err(Error::InvalidArgument(
                "expected validation_tokens(TokenValidator) with a decryption key, found none: \
                 without it anyone who knows the certificate's public key and a clientState \
                 can forge rich notifications"
                    .into(),
            ));
        }
        let default_client_state = self
            .default_client_state
            .map(checked_client_state)
            .transpose()?;
        let client_states = self
            .client_states
            .into_iter()
            .map(|(id, state)| Ok((id, checked_client_state(state)?)))
            .collect::<Result<_, Error>>()?;
        Ok(Receiver {
            default_client_state,
            client_states: RwLock::new(client_states),
            keys: self.keys,
            tokens: self.tokens,
            max_body: self.max_body,
            model: PhantomData,
        })
    }
}

fn checked_client_state(client_state: String) -> Result<String, Error> {
    let length = client_state.chars().count();
    if length > MAX_CLIENT_STATE {
        return Err(Error::InvalidArgument(format!(
            "expected a clientState of at most {MAX_CLIENT_STATE} characters, found {length}"
        )));
    }
    Ok(client_state)
}

/// A delivery as Graph sends it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireBatch<'a> {
    #[serde(borrow, deserialize_with = "bounded_items")]
    value: Vec<&'a RawValue>,
    #[serde(default)]
    validation_tokens: Option<Vec<String>>,
}

/// The items of `value`, refused past [`MAX_ITEMS`] before the rest is read.
fn bounded_items<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<&'de RawValue>, D::Error> {
    struct Items;
    impl<'de> serde::de::Visitor<'de> for Items {
        type Value = Vec<&'de RawValue>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an array of at most {MAX_ITEMS} notifications")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                if items.len() == MAX_ITEMS {
                    return Err(serde::de::Error::custom(format_args!(
                        "expected at most {MAX_ITEMS} notifications in `value`, found more"
                    )));
                }
                items.push(item);
            }
            Ok(items)
        }
    }
    deserializer.deserialize_seq(Items)
}

/// One item of a delivery: a change notification or a lifecycle event.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireItem<'a> {
    subscription_id: String,
    #[serde(default)]
    client_state: Option<String>,
    #[serde(default)]
    subscription_expiration_date_time: Option<String>,
    #[serde(default)]
    tenant_id: Option<String>,
    #[serde(default)]
    change_type: Option<String>,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default, borrow)]
    resource_data: Option<&'a RawValue>,
    #[serde(default)]
    encrypted_content: Option<EncryptedContent>,
    #[serde(default)]
    lifecycle_event: Option<String>,
}

fn respond(status: StatusCode, body: Bytes) -> http::Response<Bytes> {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    response
}

fn rejection_status(rejection: &Rejection) -> StatusCode {
    match rejection {
        Rejection::Method(_) => StatusCode::METHOD_NOT_ALLOWED,
        Rejection::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        Rejection::Malformed(_) => StatusCode::BAD_REQUEST,
        Rejection::ValidationToken(TokenError::Keys(_)) => StatusCode::SERVICE_UNAVAILABLE,
        Rejection::ValidationToken(_) => StatusCode::FORBIDDEN,
    }
}

/// The URL-decoded `validationToken` of a query, if it has one.
fn validation_token(query: Option<&str>) -> Result<Option<String>, String> {
    let Some(query) = query else {
        return Ok(None);
    };
    let Some(encoded) = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("validationToken="))
    else {
        return Ok(None);
    };
    if encoded.len() > MAX_VALIDATION_TOKEN {
        return Err(format!(
            "expected a validationToken of at most {MAX_VALIDATION_TOKEN} characters, found {}",
            encoded.len()
        ));
    }
    percent_decode(encoded).map(Some)
}

/// Decodes `%XX` escapes and `+` (a space in a query) as UTF-8.
fn percent_decode(text: &str) -> Result<String, String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        rest = tail;
        match byte {
            b'+' => bytes.push(b' '),
            b'%' => {
                let Some((value, tail)) = percent_escape(rest) else {
                    return Err("validationToken: expected two hex digits after `%`".into());
                };
                bytes.push(value);
                rest = tail;
            }
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).map_err(|_| "validationToken: expected UTF-8 once decoded".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_tokens_are_url_decoded() {
        assert_eq!(
            validation_token(Some(
                "validationToken=Validation%3A+Testing%20client%20%C3%A9"
            )),
            Ok(Some("Validation: Testing client é".into()))
        );
        assert_eq!(validation_token(Some("other=1")), Ok(None));
        assert_eq!(validation_token(None), Ok(None));
        assert!(validation_token(Some("validationToken=%4")).is_err());
        assert!(validation_token(Some("validationToken=%zz")).is_err());
        assert!(validation_token(Some("validationToken=%FF")).is_err());
    }
}
