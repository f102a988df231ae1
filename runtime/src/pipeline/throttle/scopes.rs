//! Throttling scopes: which requests the `429` of one request holds at the gate.

use crate::path::percent_escape;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// How the throttle gate tells throttling scopes apart: a `429 Too Many Requests` with
/// `Retry-After` holds the other requests of its scope, and only those, until then; set with
/// [`ClientBuilder::throttle_scopes`](crate::ClientBuilder::throttle_scopes).
///
/// Graph throttles per service, and Outlook per mailbox ("Microsoft Graph service-specific
/// throttling limits"): a busy mailbox or one report answering `Retry-After: 120` says nothing
/// about `/users` or `/groups`. A scope is computed from the request URL's path after the
/// client's base URL path (`/users/a/messages` in `https://graph.microsoft.com/v1.0/users/a/messages`),
/// next links included, percent-encoded as sent, without the query. The origin (scheme, host
/// and port) is always part of it too: the same path on another host is another scope.
///
/// [`graph`](ThrottleScopes::graph), the default, follows Graph's documented scopes. Path
/// segments are compared without regard to case or percent-encoding, a function call's or an
/// alternate key's parentheses are looked into (`/users('a@b.com')`,
/// `/users(userPrincipalName='a@b.com')` and `/users/A%40b.com` are one user), a leading
/// `/v1.0` or `/beta` (a URL of the other version than the base URL's) is passed over, and
/// `{u}` and `{g}` are any user or group key:
///
/// | path | scope |
/// |---|---|
/// | `/users/{u}/` + `messages`, `mailFolders`, `events`, `calendar`, `calendars`, `calendarGroups`, `calendarView`, `contacts`, `contactFolders`, `mailboxSettings`, `inferenceClassification`, `outlook`, `people`, `photo`, `photos`, `todo`, `sendMail`, `findMeetingTimes`, `getMailTips`, `reminderView` | the mailbox of user `u` |
/// | `/me/` + the same | the signed-in user's mailbox |
/// | `/groups/{g}/` + `conversations`, `threads`, `events`, `calendar`, `calendarView`, `photo`, `photos`, `acceptedSenders`, `rejectedSenders` | the mailbox of group `g` |
/// | `/deviceManagement`, `/deviceAppManagement`; `managedDevices`, `managedAppRegistrations` of a user or `/me` | Intune |
/// | `/drives`, `/drive`, `/sites`, `/shares`; `drive`, `drives`, `followedSites` of a user or `/me`; `drive`, `drives`, `sites` of a group | files and SharePoint |
/// | `/teams`, `/chats`, `/teamwork`, `/appCatalogs`; `chats`, `joinedTeams`, `teamwork` of a user or `/me`; `team` of a group | Teams |
/// | `/planner`; `planner` of a user, `/me` or a group | Planner |
/// | `onenote` of a user, `/me` or a group | OneNote |
/// | `insights` of a user or `/me` | insights |
/// | `/communications`; `presence` of a user or `/me` | cloud communications |
/// | `/search`, `/external` | search and connectors |
/// | `/reports/{report}` | that report: each has limits of its own |
/// | `/users`, `/groups`, `/me` and their other paths; `/applications`, `/servicePrincipals`, `/directoryObjects`, `/devices`, `/directoryRoles`, `/directoryRoleTemplates`, `/domains`, `/organization`, `/contacts`, `/contracts`, `/oauth2PermissionGrants`, `/subscribedSkus`, `/groupSettings`, `/groupSettingTemplates`, `/policies`, `/directory` | identity and access |
/// | any other path: `/security`, `/education`, `/subscriptions`, `/print`, `/auditLogs`, `/solutions`, … | its first segment |
///
/// A mailbox is known by the key in the path: `/me/messages` and `/users/{my id}/messages`
/// are the same mailbox to Graph but two scopes here, as are a user's id and their
/// `userPrincipalName`.
///
/// ```
/// use graph_resource_runtime::ThrottleScopes;
///
/// let graph = ThrottleScopes::graph();
/// let mailbox = graph.scope("/users/a@b.com/messages");
/// assert_eq!(graph.scope("/users('A%40b.com')/mailFolders/inbox"), mailbox);
/// assert_ne!(graph.scope("/users/c@b.com/messages"), mailbox);
/// assert_ne!(graph.scope("/groups"), mailbox);
/// assert_eq!(graph.scope("/groups"), graph.scope("/users"));
/// ```
#[derive(Clone, Default)]
pub struct ThrottleScopes(Kind);

#[derive(Clone, Default)]
enum Kind {
    #[default]
    Graph,
    Origin,
    Custom(Arc<dyn Fn(&str) -> String + Send + Sync>),
}

impl ThrottleScopes {
    /// Graph's throttling scopes, in the table above (the default).
    pub fn graph() -> Self {
        ThrottleScopes(Kind::Graph)
    }

    /// One scope per origin: a `429` holds every request to its scheme, host and port.
    pub fn origin() -> Self {
        ThrottleScopes(Kind::Origin)
    }

    /// The scope is what `scope` returns for the path: two requests to one origin are in
    /// the same scope when it returns equal strings for their paths. The function gets the
    /// path after the base URL's path, as [`scope`](ThrottleScopes::scope) does, and runs
    /// only for a 429 and while some scope is held; another `ThrottleScopes` can decide the
    /// paths it leaves.
    ///
    /// ```
    /// use graph_resource_runtime::ThrottleScopes;
    ///
    /// // Bookings throttles per business; everything else as Graph's table says.
    /// let graph = ThrottleScopes::graph();
    /// let scopes = ThrottleScopes::custom(move |path| {
    ///     match path.strip_prefix("/solutions/bookingBusinesses/") {
    ///         Some(business) => format!("bookings {}", business.split('/').next().unwrap_or("")),
    ///         None => graph.scope(path),
    ///     }
    /// });
    /// assert_ne!(
    ///     scopes.scope("/solutions/bookingBusinesses/a/appointments"),
    ///     scopes.scope("/solutions/bookingBusinesses/b/appointments"),
    /// );
    /// assert_eq!(scopes.scope("/users"), scopes.scope("/groups"));
    /// ```
    pub fn custom(scope: impl Fn(&str) -> String + Send + Sync + 'static) -> Self {
        ThrottleScopes(Kind::Custom(Arc::new(scope)))
    }

    /// The scope of `path`, a request's path after the base URL's path (from its `/`,
    /// without the query): equal strings are one scope. Graph's scopes read
    /// `mailbox:users/{u}`, `mailbox:me`, `mailbox:groups/{g}`, `intune`, `files`, `teams`,
    /// `planner`, `onenote`, `insights`, `communications`, `search`, `reports/{report}`,
    /// `identity`, or the first segment (`/security`), lowercase; with
    /// [`origin`](ThrottleScopes::origin) the scope is empty for every path.
    pub fn scope(&self, path: &str) -> String {
        match &self.0 {
            Kind::Graph => graph_scope(path),
            Kind::Origin => String::new(),
            Kind::Custom(scope) => scope(path),
        }
    }
}

impl fmt::Debug for ThrottleScopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Kind::Graph => "ThrottleScopes::graph()",
            Kind::Origin => "ThrottleScopes::origin()",
            Kind::Custom(_) => "ThrottleScopes::custom(..)",
        })
    }
}

/// The paths of a user or `/me` that Outlook serves, per mailbox.
const USER_MAILBOX: &[&str] = &[
    "messages",
    "mailfolders",
    "events",
    "calendar",
    "calendars",
    "calendargroups",
    "calendarview",
    "contacts",
    "contactfolders",
    "mailboxsettings",
    "inferenceclassification",
    "outlook",
    "people",
    "photo",
    "photos",
    "todo",
    "sendmail",
    "findmeetingtimes",
    "getmailtips",
    "reminderview",
];

/// The paths of a group that Outlook serves, per group mailbox.
const GROUP_MAILBOX: &[&str] = &[
    "conversations",
    "threads",
    "events",
    "calendar",
    "calendarview",
    "photo",
    "photos",
    "acceptedsenders",
    "rejectedsenders",
];

/// The entity sets and singletons of identity and access, beside `/users`, `/groups`, `/me`.
const IDENTITY: &[&str] = &[
    "applications",
    "serviceprincipals",
    "directoryobjects",
    "devices",
    "directoryroles",
    "directoryroletemplates",
    "domains",
    "organization",
    "contacts",
    "contracts",
    "oauth2permissiongrants",
    "subscribedskus",
    "groupsettings",
    "groupsettingtemplates",
    "policies",
    "directory",
];

/// Whose paths a path below `/users/{u}`, `/me` or `/groups/{g}` is.
enum Owner {
    Me,
    User(String),
    Group(String),
}

/// The scope of `path` in Graph's table; see [`ThrottleScopes`].
fn graph_scope(path: &str) -> String {
    let mut segments = path.split('/').filter(|segment| !segment.is_empty());
    let mut first = segments.next().map(Segment::new);
    if let Some(version) = &first
        && matches!(version.name(), "v1.0" | "beta")
    {
        first = segments.next().map(Segment::new);
    }
    let Some(first) = first else {
        return "/".to_owned();
    };
    let owner = match first.name() {
        "me" => Owner::Me,
        "users" | "groups" => {
            // `/users('a@b.com')/…` or `/users/a@b.com/…`.
            let key = match first.key() {
                Some(key) => Some(key),
                None => segments.next().map(|key| Segment::new(key).text),
            };
            match (first.name(), key) {
                ("users", Some(key)) => Owner::User(key),
                (_, Some(key)) => Owner::Group(key),
                (_, None) => return "identity".to_owned(),
            }
        }
        _ => return service_scope(&first, segments.next()),
    };
    match segments.next() {
        Some(navigation) => owned_scope(owner, Segment::new(navigation).name()),
        None => "identity".to_owned(),
    }
}

/// The scope of a path that does not start at a user, a group or `/me`.
fn service_scope(first: &Segment, second: Option<&str>) -> String {
    let scope = match first.name() {
        "devicemanagement" | "deviceappmanagement" => "intune",
        "drives" | "drive" | "sites" | "shares" => "files",
        "teams" | "chats" | "teamwork" | "appcatalogs" => "teams",
        "planner" => "planner",
        "communications" => "communications",
        "search" | "external" => "search",
        "reports" => {
            return match second {
                Some(report) => format!("reports/{}", Segment::new(report).name()),
                None => "reports".to_owned(),
            };
        }
        name if IDENTITY.contains(&name) => "identity",
        name => return format!("/{name}"),
    };
    scope.to_owned()
}

/// The scope of `navigation` (a lowercase segment name) below `owner`.
fn owned_scope(owner: Owner, navigation: &str) -> String {
    let scope = match (&owner, navigation) {
        (Owner::Group(_), "drive" | "drives" | "sites") => "files",
        (Owner::Group(_), "team") => "teams",
        (Owner::Group(group), _) if GROUP_MAILBOX.contains(&navigation) => {
            return format!("mailbox:groups/{group}");
        }
        (Owner::Group(_), _) => return owned_by_anyone(navigation),
        (_, "drive" | "drives" | "followedsites") => "files",
        (_, "manageddevices" | "managedappregistrations") => "intune",
        (_, "chats" | "joinedteams" | "teamwork") => "teams",
        (_, "insights") => "insights",
        (_, "presence") => "communications",
        (Owner::Me, _) if USER_MAILBOX.contains(&navigation) => return "mailbox:me".to_owned(),
        (Owner::User(user), _) if USER_MAILBOX.contains(&navigation) => {
            return format!("mailbox:users/{user}");
        }
        _ => return owned_by_anyone(navigation),
    };
    scope.to_owned()
}

/// The scope of `navigation` of a user, `/me` or a group when it is none of theirs alone.
fn owned_by_anyone(navigation: &str) -> String {
    match navigation {
        "planner" => "planner",
        "onenote" => "onenote",
        _ => "identity",
    }
    .to_owned()
}

/// One path segment, percent-decoded and lowercase.
struct Segment {
    text: String,
}

impl Segment {
    fn new(raw: &str) -> Self {
        Segment {
            text: percent_decode(raw).to_lowercase(),
        }
    }

    /// The segment without its parentheses: `users` for `users('a@b.com')`.
    fn name(&self) -> &str {
        self.text
            .split_once('(')
            .map_or(self.text.as_str(), |(name, _)| name)
    }

    /// The key in the segment's parentheses, unquoted: `a@b.com` for `users('a@b.com')`
    /// and for `users(userPrincipalName='a@b.com')`.
    fn key(&self) -> Option<String> {
        let (_, inside) = self.text.split_once('(')?;
        let inside = inside.rsplit_once(')').map_or(inside, |(inside, _)| inside);
        let value = match inside.split_once('=') {
            Some((property, value)) if !property.contains('\'') => value,
            _ => inside,
        };
        let value = value.trim();
        let unquoted = value
            .strip_prefix('\'')
            .and_then(|value| value.strip_suffix('\''))
            .map_or_else(|| value.to_owned(), |value| value.replace("''", "'"));
        Some(unquoted)
    }
}

/// `segment` with its `%XX` escapes decoded; an escape that is not two hex digits stays as
/// it is, and bytes that are not UTF-8 become U+FFFD.
fn percent_decode(segment: &str) -> Cow<'_, str> {
    if !segment.contains('%') {
        return Cow::Borrowed(segment);
    }
    let mut decoded = Vec::with_capacity(segment.len());
    let mut rest = segment.as_bytes();
    while let Some((&byte, after)) = rest.split_first() {
        if byte == b'%'
            && let Some((value, tail)) = percent_escape(after)
        {
            decoded.push(value);
            rest = tail;
        } else {
            decoded.push(byte);
            rest = after;
        }
    }
    Cow::Owned(String::from_utf8_lossy(&decoded).into_owned())
}

#[cfg(test)]
mod tests;
