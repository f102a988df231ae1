//! Change notifications (feature `notifications`): what Graph pushes to an application's
//! endpoint, and the subscriptions that ask for it.
//!
//! The [`Receiver`] is independent of any web framework: it takes an
//! `http::Request<Bytes>` and gives the `http::Response<Bytes>` to send back at once, plus
//! the typed events to act on afterwards ([`Received`]). With the `axum` feature,
//! [`axum::handler`](crate::notifications::axum) wires it into an axum router.
//!
//! - Validation: a `POST` with `?validationToken=…` is answered `200 text/plain` with the
//!   URL-decoded token, on the notification URL and the lifecycle URL alike.
//! - Delivery: `{"value": [...]}` becomes [`ChangeNotification`]s (their `resourceData`
//!   and decrypted `encryptedContent` decoded into the model type `T`) and
//!   [`LifecycleNotification`]s; an item whose `clientState` is not its subscription's
//!   (compared in constant time) is [`Dropped`], never handed on. The answer is `202`.
//! - Rich notifications: `encryptedContent` is decrypted with a [`DecryptionKey`] chosen
//!   by `encryptionCertificateId` or thumbprint, after its HMAC is checked.
//! - `validationTokens`: verified by a [`TokenValidator`] against Microsoft's signing keys.
//! - [`Subscription`]: create, renew, reauthorize and delete.
//!
//! ```
//! use bytes::Bytes;
//! use graph_resource_runtime::notifications::{Outcome, Receiver};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), graph_resource_runtime::Error> {
//! let receiver = Receiver::<serde_json::Value>::builder()
//!     .client_state("a secret of at most 128 characters")
//!     .build()?;
//! let body = r#"{"value": [{"subscriptionId": "s1", "clientState": "a secret of at most 128 characters",
//!     "changeType": "created", "resource": "users/u1/messages/m1", "tenantId": "t1",
//!     "resourceData": {"id": "m1"}}]}"#;
//! let request = http::Request::post("https://example.com/notify").body(Bytes::from(body)).unwrap();
//!
//! let received = receiver.receive(request).await;
//! assert_eq!(received.response.status(), 202); // send this back first, then act
//! let Outcome::Delivered(delivery) = received.outcome else { panic!("a delivery") };
//! assert_eq!(delivery.changes[0].resource, "users/u1/messages/m1");
//! assert_eq!(delivery.changes[0].resource_data.as_ref().unwrap()["id"], "m1");
//! # Ok(())
//! # }
//! ```

#[cfg(feature = "axum")]
pub mod axum;
mod crypto;
mod receiver;
mod subscription;
mod validation_token;

pub use crypto::{DecryptError, DecryptionKey, EncryptedContent};
pub use receiver::{Outcome, Received, Receiver, ReceiverBuilder, Rejection};
pub use subscription::{FollowUp, Subscription};
pub use validation_token::{TokenError, TokenValidator, ValidatedToken};

/// The application id of Graph's change-notification publisher: the `azp` or `appid` of
/// every genuine validation token.
pub const GRAPH_PUBLISHER_ID: &str = "0bf30f3b-4a52-48df-9a82-234910c4a086";

/// A change to a subscribed resource.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeNotification<T> {
    /// The subscription that asked for it.
    pub subscription_id: String,
    /// When the subscription expires, as Graph wrote it (ISO 8601).
    pub subscription_expiration: Option<String>,
    /// What happened to the resource.
    pub change_type: ChangeType,
    /// The changed resource, relative to the Graph base URL (`users/{id}/messages/{id}`).
    pub resource: String,
    /// The tenant the resource belongs to.
    pub tenant_id: Option<String>,
    /// `resourceData`: the resource's id, type and etag (its properties too in a rich
    /// notification without encryption), decoded into `T`.
    pub resource_data: Option<T>,
    /// The decrypted `encryptedContent` of a rich notification, decoded into `T`.
    pub content: Option<T>,
}

/// The `changeType` of a [`ChangeNotification`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeType {
    /// `created`
    Created,
    /// `updated`
    Updated,
    /// `deleted`
    Deleted,
    /// A change type this crate does not know, as Graph wrote it.
    Other(String),
}

impl ChangeType {
    fn parse(text: &str) -> ChangeType {
        match text {
            "created" => ChangeType::Created,
            "updated" => ChangeType::Updated,
            "deleted" => ChangeType::Deleted,
            other => ChangeType::Other(other.to_owned()),
        }
    }
}

/// An event about a subscription itself, sent to its `lifecycleNotificationUrl`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct LifecycleNotification {
    /// The subscription concerned.
    pub subscription_id: String,
    /// When the subscription expires, as Graph wrote it (ISO 8601).
    pub subscription_expiration: Option<String>,
    /// The tenant of the subscription.
    pub tenant_id: Option<String>,
    /// What happened.
    pub event: LifecycleEvent,
}

/// The `lifecycleEvent` of a [`LifecycleNotification`], and what to do about it.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LifecycleEvent {
    /// The access token of the subscription is about to expire or was revoked: reauthorize
    /// it ([`Subscription::reauthorize`]) or renew it, or notifications stop.
    ReauthorizationRequired,
    /// The subscription was removed: create it again, then read what changed meanwhile.
    SubscriptionRemoved,
    /// Some notifications could not be delivered: read the resources again (a delta query)
    /// to catch up.
    Missed,
    /// An event this crate does not know, as Graph wrote it.
    Other(String),
}

impl LifecycleEvent {
    fn parse(text: &str) -> LifecycleEvent {
        match text {
            "reauthorizationRequired" => LifecycleEvent::ReauthorizationRequired,
            "subscriptionRemoved" => LifecycleEvent::SubscriptionRemoved,
            "missed" => LifecycleEvent::Missed,
            other => LifecycleEvent::Other(other.to_owned()),
        }
    }
}

/// The notifications of one delivery that passed every check, and those that did not.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery<T> {
    /// The change notifications, in the order Graph sent them.
    pub changes: Vec<ChangeNotification<T>>,
    /// The lifecycle events, in the order Graph sent them.
    pub lifecycle: Vec<LifecycleNotification>,
    /// The items that were not handed on, each with its reason.
    pub dropped: Vec<Dropped>,
}

/// An item of a delivery that was not handed on.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    /// Its position in the delivery's `value` array.
    pub index: usize,
    /// Its `subscriptionId`, when it had one.
    pub subscription_id: Option<String>,
    /// Why it was dropped.
    pub reason: DropReason,
}

/// Why an item of a delivery was dropped.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum DropReason {
    /// Its subscription has no known `clientState`: the receiver does not expect it.
    UnknownSubscription,
    /// Its `clientState` is not its subscription's (or is missing): it may be forged.
    ClientStateMismatch,
    /// It is not a change notification or lifecycle event: a field is missing, of the
    /// wrong type or too long. The message says which.
    Malformed(String),
    /// Its `resourceData` does not decode into the model type.
    ResourceData(String),
    /// Its `encryptedContent` could not be checked or decrypted.
    Decryption(DecryptError),
    /// Its decrypted content does not decode into the model type.
    Content(String),
    /// It carries encrypted content from a tenant for which the delivery has no valid
    /// validation token.
    NoValidationToken,
}

impl std::fmt::Display for DropReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DropReason::UnknownSubscription => {
                f.write_str("no clientState is known for its subscription")
            }
            DropReason::ClientStateMismatch => {
                f.write_str("its clientState is not its subscription's")
            }
            DropReason::Malformed(message) => write!(f, "malformed notification: {message}"),
            DropReason::ResourceData(message) => {
                write!(f, "resourceData does not decode: {message}")
            }
            DropReason::Decryption(error) => write!(f, "encryptedContent: {error}"),
            DropReason::Content(message) => {
                write!(f, "the decrypted content does not decode: {message}")
            }
            DropReason::NoValidationToken => f.write_str(
                "encrypted content from a tenant without a valid token in validationTokens",
            ),
        }
    }
}
