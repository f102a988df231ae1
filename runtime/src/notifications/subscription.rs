//! Subscriptions: the entity, its calls (create, get, renew, reauthorize, delete), its
//! documented lifetimes and the answer to a lifecycle event.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::Method;
use serde::{Deserialize, Serialize};

use super::{LifecycleEvent, LifecycleNotification};
use crate::client::Client;
use crate::date_time_offset::parse_utc;
use crate::error::Error;
use crate::path::PathPart::{self, Key, Literal};
use crate::path::expand;
use crate::request::{Entity, Request};

const COLLECTION: &[PathPart] = &[Literal("/subscriptions")];
const MEMBER: &[PathPart] = &[Literal("/subscriptions/"), Key("subscription_id")];
const REAUTHORIZE: &[PathPart] = &[
    Literal("/subscriptions/"),
    Key("subscription_id"),
    Literal("/reauthorize"),
];

/// A Graph subscription (`microsoft.graph.subscription`): what to watch and where to send
/// its notifications.
///
/// ```
/// use graph_resource_runtime::notifications::Subscription;
/// use std::time::SystemTime;
///
/// let subscription = Subscription::new(
///     "users/48d31887-5fad-4d73-a9f5-3c356e68a038/messages",
///     "created,updated",
///     "https://example.com/notify",
/// )
/// .lifecycle_notification_url("https://example.com/lifecycle")
/// .client_state("a secret of at most 128 characters")
/// .expires_in_max(SystemTime::now());
/// assert!(subscription.expiration_date_time.is_some());
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    /// The id Graph gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The resource watched, relative to the base URL (`users/{id}/messages`).
    pub resource: String,
    /// The changes notified, comma-separated: `created`, `updated`, `deleted`.
    pub change_type: String,
    /// Where change notifications go (`https`).
    pub notification_url: String,
    /// Where lifecycle events go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_notification_url: Option<String>,
    /// A secret of at most 128 characters that every notification carries back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_state: Option<String>,
    /// When it expires (ISO 8601, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_date_time: Option<String>,
    /// Whether notifications carry the resource, encrypted (rich notifications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_resource_data: Option<bool>,
    /// With `include_resource_data`: the certificate, base64 DER, whose public key encrypts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_certificate: Option<String>,
    /// With `include_resource_data`: the id that notifications name the certificate by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_certificate_id: Option<String>,
    /// The application that created it (set by Graph).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
}

/// What to do after a lifecycle event, once [`Subscription::answer`] did its part.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUp {
    /// The subscription was reauthorized: nothing more to do.
    Reauthorized,
    /// The subscription is gone: create it again, then read what changed meanwhile.
    Recreate,
    /// Notifications were lost: read the resources again (a delta query) to catch up.
    Resync,
    /// An event this crate does not know; its name.
    Unknown(String),
}

impl Subscription {
    /// A subscription to `change_type` changes of `resource`, notified at
    /// `notification_url`. Set its expiry before creating it.
    pub fn new(
        resource: impl Into<String>,
        change_type: impl Into<String>,
        notification_url: impl Into<String>,
    ) -> Self {
        Subscription {
            resource: resource.into(),
            change_type: change_type.into(),
            notification_url: notification_url.into(),
            ..Subscription::default()
        }
    }

    /// Sends lifecycle events to `url`.
    #[must_use]
    pub fn lifecycle_notification_url(mut self, url: impl Into<String>) -> Self {
        self.lifecycle_notification_url = Some(url.into());
        self
    }

    /// The secret that every notification of the subscription carries back.
    #[must_use]
    pub fn client_state(mut self, client_state: impl Into<String>) -> Self {
        self.client_state = Some(client_state.into());
        self
    }

    /// Asks for rich notifications, encrypted for `certificate` (base64 DER), which they
    /// name by `certificate_id`.
    #[must_use]
    pub fn include_resource_data(
        mut self,
        certificate: impl Into<String>,
        certificate_id: impl Into<String>,
    ) -> Self {
        self.include_resource_data = Some(true);
        self.encryption_certificate = Some(certificate.into());
        self.encryption_certificate_id = Some(certificate_id.into());
        self
    }

    /// Expires as late as Graph allows for its resource, counted from `now`.
    #[must_use]
    pub fn expires_in_max(mut self, now: SystemTime) -> Self {
        let expiry = now + Self::max_lifetime(&self.resource);
        self.expiration_date_time = Some(format_utc(expiry));
        self
    }

    /// The longest lifetime Graph documents for subscriptions to `resource`, rounded down:
    /// 60 minutes for presence and Teams chats and channels, 3 days less 90 minutes for
    /// call records and unknown resources, under 7 days for Outlook messages, events and
    /// contacts, 29 days for users and groups, 29 days and 8 hours for OneDrive and
    /// SharePoint, 30 days for security alerts.
    pub fn max_lifetime(resource: &str) -> Duration {
        let path = resource.split('?').next().unwrap_or_default();
        let segments: Vec<&str> = path
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(|segment| segment.split('(').next().unwrap_or_default())
            .collect();
        let has = |name: &str| {
            segments
                .iter()
                .any(|segment| segment.eq_ignore_ascii_case(name))
        };
        let last = segments.last().copied().unwrap_or_default();
        let minutes = if [
            "presences",
            "presence",
            "chats",
            "teams",
            "channels",
            "getAllMessages",
        ]
        .iter()
        .any(|name| has(name))
        {
            60
        } else if has("alerts") && has("security") {
            43_200
        } else if has("drives") || has("drive") || has("lists") || has("sites") {
            42_300
        } else if ["messages", "events", "contacts"]
            .iter()
            .any(|name| last.eq_ignore_ascii_case(name))
        {
            10_070
        } else if segments.len() == 1 && (has("users") || has("groups")) {
            41_760
        } else {
            4_230
        };
        Duration::from_secs(minutes * 60)
    }

    /// When the subscription expires, if it says and it is a valid ISO 8601 date-time.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expiration_date_time.as_deref().and_then(parse_utc)
    }

    /// `POST /subscriptions`: creates `subscription`; Graph answers with it, its `id` set.
    pub fn create(client: &Client, subscription: &Subscription) -> Request<Entity<Subscription>> {
        Request::new(client, Method::POST, expand(COLLECTION, &[])).json(subscription)
    }

    /// `GET /subscriptions/{id}`.
    pub fn get(client: &Client, id: &str) -> Request<Entity<Subscription>> {
        Request::new(client, Method::GET, expand(MEMBER, &[id]))
    }

    /// `PATCH /subscriptions/{id}` of its `expirationDateTime`: keeps it alive until
    /// `expiry`.
    pub fn renew(client: &Client, id: &str, expiry: SystemTime) -> Request<Option<Subscription>> {
        let body = serde_json::json!({ "expirationDateTime": format_utc(expiry) });
        Request::new(client, Method::PATCH, expand(MEMBER, &[id])).json(&body)
    }

    /// `POST /subscriptions/{id}/reauthorize`: the answer to `reauthorizationRequired`.
    pub fn reauthorize(client: &Client, id: &str) -> Request<()> {
        Request::new(client, Method::POST, expand(REAUTHORIZE, &[id]))
    }

    /// `DELETE /subscriptions/{id}`.
    pub fn delete(client: &Client, id: &str) -> Request<()> {
        Request::new(client, Method::DELETE, expand(MEMBER, &[id]))
    }

    /// The renewal of this subscription when it expires within `margin` of `now` (or says
    /// no expiry): a PATCH to the longest lifetime its resource allows. `None` while it
    /// has longer to live, or without an id.
    ///
    /// ```
    /// # use graph_resource_runtime::{MockResponse, MockTransport};
    /// # use graph_resource_runtime::notifications::Subscription;
    /// # use std::time::{Duration, SystemTime};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), graph_resource_runtime::Error> {
    /// # let mock = MockTransport::new();
    /// # mock.push(MockResponse::new(204));
    /// # let client = mock.client_builder().build()?;
    /// # let mut subscription = Subscription::new("users", "updated", "https://example.com/n");
    /// # subscription.id = Some("s1".into());
    /// let now = SystemTime::now();
    /// if let Some(renewal) = subscription.renewal(&client, now, Duration::from_secs(3600)) {
    ///     renewal.await?;
    /// }
    /// # assert_eq!(mock.requests().len(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn renewal(
        &self,
        client: &Client,
        now: SystemTime,
        margin: Duration,
    ) -> Option<Request<Option<Subscription>>> {
        let id = self.id.as_deref()?;
        let due = self.expires_at().is_none_or(|expiry| {
            now.checked_add(margin)
                .is_none_or(|horizon| expiry <= horizon)
        });
        due.then(|| Self::renew(client, id, now + Self::max_lifetime(&self.resource)))
    }

    /// Does what a lifecycle event asks that can be done here (reauthorizes on
    /// `reauthorizationRequired`) and says what is left for the application.
    pub async fn answer(client: &Client, event: &LifecycleNotification) -> Result<FollowUp, Error> {
        match &event.event {
            LifecycleEvent::ReauthorizationRequired => {
                Self::reauthorize(client, &event.subscription_id).await?;
                Ok(FollowUp::Reauthorized)
            }
            LifecycleEvent::SubscriptionRemoved => Ok(FollowUp::Recreate),
            LifecycleEvent::Missed => Ok(FollowUp::Resync),
            LifecycleEvent::Other(name) => Ok(FollowUp::Unknown(name.clone())),
        }
    }
}

/// `time` as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
fn format_utc(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since.as_secs();
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60,
        since.subsec_millis()
    )
}

/// The date of a number of days since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_round_trip_and_read_graphs_forms() {
        let time = UNIX_EPOCH + Duration::from_millis(1_742_468_400_123);
        assert_eq!(format_utc(time), "2025-03-20T11:00:00.123Z");
        assert_eq!(parse_utc("2025-03-20T11:00:00.123Z"), Some(time));
        assert_eq!(
            parse_utc("2025-03-20T11:00:00.1230000Z"),
            Some(time),
            "seven fraction digits, as Graph writes them"
        );
        assert_eq!(parse_utc("2025-03-20T12:30:00.123+01:30"), Some(time));
        assert_eq!(
            parse_utc("2025-03-20T11:00:00"),
            Some(UNIX_EPOCH + Duration::from_secs(1_742_468_400))
        );
        assert_eq!(format_utc(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            parse_utc("2024-02-29T00:00:00Z").map(format_utc).as_deref(),
            Some("2024-02-29T00:00:00.000Z")
        );
        for wrong in [
            "",
            "2025-03-20",
            "2025-13-01T00:00:00Z",
            "2025-03-20T11:00:00.Z",
            "2025-03-20T11:00:00+1:00",
            "２０２５-03-20T11:00:00Z",
            "2025-03-20T11:00:00X",
        ] {
            assert_eq!(parse_utc(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn lifetimes_follow_the_resource() {
        let minutes = |resource: &str| Subscription::max_lifetime(resource).as_secs() / 60;
        assert_eq!(minutes("me/mailFolders('Inbox')/messages"), 10_070);
        assert_eq!(minutes("/users/u1/events"), 10_070);
        assert_eq!(minutes("users"), 41_760);
        assert_eq!(minutes("/groups"), 41_760);
        assert_eq!(minutes("/drives/d1/root"), 42_300);
        assert_eq!(minutes("security/alerts?$filter=status eq 'New'"), 43_200);
        assert_eq!(minutes("/communications/presences?$filter=id in ('a')"), 60);
        assert_eq!(minutes("/chats/c1/messages"), 60);
        assert_eq!(minutes("/communications/callRecords"), 4_230);
    }
}
