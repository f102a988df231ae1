//! Typed Microsoft Graph resources for Rust SDK crates.
//!
//! Annotate a plain model struct with `#[graph_resource]` and get Graph's OData JSON,
//! `@odata.type` included, and typed operations such as `create`:
//!
//! ```
//! use graph_resource::{graph_resource, Client, MockResponse, MockTransport, UntypedResource};
//! use std::sync::Arc;
//!
//! #[graph_resource(path = "/deviceManagement/intents/<>/assignments")]
//! #[derive(Debug, Clone, PartialEq, Default)]
//! pub struct DeviceManagementIntentAssignment {
//!     pub id: Option<String>,
//!     pub target: Option<UntypedResource>,
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), graph_resource::Error> {
//! let mock = MockTransport::new();
//! mock.push(MockResponse::json(201, serde_json::json!({
//!     "@odata.type": "#microsoft.graph.deviceManagementIntentAssignment",
//!     "id": "4c63bff1-bff1-4c63-f1bf-634cf1bf634c",
//!     "target": {"@odata.type": "microsoft.graph.allDevicesAssignmentTarget"}
//! })));
//! let client = Client::builder()
//!     .base_url("https://graph.microsoft.com/beta")
//!     .bearer_token("token")
//!     .transport(Arc::new(mock.clone()))
//!     .build()?;
//!
//! let assignment = DeviceManagementIntentAssignment {
//!     target: Some(UntypedResource::new("microsoft.graph.allDevicesAssignmentTarget")),
//!     ..Default::default()
//! };
//! // `<>` after `intents` names the parameter `intent_id`.
//! // `201 Created` with the entity gives `Created::Entity`; a `204` or `202` says where it is.
//! let created = DeviceManagementIntentAssignment::create(&client, "intent-1", &assignment).await?;
//! let created = created.into_entity().expect("Graph sent the entity back");
//! assert_eq!(created.id.as_deref(), Some("4c63bff1-bff1-4c63-f1bf-634cf1bf634c"));
//!
//! let sent = &mock.requests()[0];
//! assert_eq!(sent.uri, "https://graph.microsoft.com/beta/deviceManagement/intents/intent-1/assignments");
//! # Ok(())
//! # }
//! ```
//!
//! # The attribute
//!
//! On a struct with named fields, `#[graph_resource(...)]` takes:
//!
//! | key | meaning |
//! |---|---|
//! | `path = "..."` | the collection path; enables the operations (see [Operations](#operations)) |
//! | `singleton` | with `path`: the path names one entity (`/deviceManagement`, `/me`), which has `get` and `update` without a key |
//! | `operations(list, get, ...)` | with `path`: only these of `create`, `list`, `get`, `update`, `delete` |
//! | `delta` | with a collection's `path`: also `T::delta`, its delta query |
//! | `actions(sync_device, wipe(WipeBody), assign(Body) -> Page<T>, ...)` | bound actions: one constant each (`T::SYNC_DEVICE`), an [`Action`] for `.call(T::SYNC_DEVICE, &body)` |
//! | `functions(report(period: &str) -> Bytes, ...)` | bound functions: one fn each (`T::report("D7")`), a [`Function`] for `.call_function(..)`; parameters are [`ODataLiteral`]s |
//! | `alternate_keys(userPrincipalName, ...)` | with a collection's `path`: `T::by_user_principal_name(&client, k.., value)`, the entity at `{path}(userPrincipalName='…')` |
//! | `parameters` | alone: the struct is the JSON body of an action's parameters, written without `@odata.type` |
//! | `odata_type = "microsoft.graph.x"` | the type name; `#` optional; default `microsoft.graph.` + the struct name in lowerCamelCase |
//! | `namespace = "microsoft.graph"` | namespace for the default type name |
//! | `crate = "path"` | where the generated code finds this crate, for SDK crates that re-export it |
//!
//! An entry of `actions` or `functions` may start with `#[collection]` (bound to the
//! collection, not to an entity) and `#[name = "graphName"]` (the Graph name, by default the
//! Rust name in lowerCamelCase); a function's parameter may take `#[name = "GraphName"]`.
//! Without `-> Answer` an entry answers `()`. See the README's "Paths" section for every
//! form and its calls.
//!
//! A polymorphic enum takes `path`, `singleton`, `operations`, `delta` and `crate`: its
//! operations read and write each member as its own derived type. A fieldless enum takes
//! `flags` (see [Flag enums](#flag-enums)) and `crate`.
//!
//! A path is `/`-separated literal segments and placeholders; each placeholder becomes a
//! `&str` parameter of every operation, in order:
//! - `<>`: named from the segment before it, singular + `_id` (`intents/<>` gives `intent_id`,
//!   `policies/<>` gives `policy_id`);
//! - `<name>`: that snake_case name;
//! - `{deviceManagementIntentId}`: the Graph docs spelling; becomes `device_management_intent_id`.
//!
//! Fields take `#[graph(...)]`:
//!
//! | key | meaning |
//! |---|---|
//! | `rename = "jsonName"` | the JSON property name (default: the field in lowerCamelCase, `r#type` as `type`) |
//! | `additional` | on a `serde_json::Map<String, serde_json::Value>`: every property and annotation the struct does not model, written back after the known ones, and the `@odata.type` of a derived type that was read (see [The wire](#the-wire)); a name the struct declares is never written from the map, its field writes it (or, when `None`, leaves it out) |
//! | `base` | an embedded base type (itself annotated) whose properties are read and written inline |
//! | `skip` | neither read nor written; `Default::default()` (or `default = "path"`) when read |
//! | `default`, `default = "path"` | a missing property takes `Default::default()` or `path()` instead of being an error |
//! | `with = "module"` | (de)serialize through `module::serialize` and `module::deserialize`, as in serde |
//! | `read_only` | Graph does not let clients write the property (`createdDateTime`, `isBuiltIn`): [`Request::changed_from`] never sends it, nor the key `id` |
//!
//! `cfg` and `cfg_attr` work on fields and variants as anywhere else: the generated code
//! names only the fields and variants that are compiled, and
//! `#[cfg_attr(feature = "x", graph(rename = "y"))]` applies its keys when `x` is on.
//!
//! # Operations
//!
//! From a collection's `path` the attribute generates, as associated functions (`k..` are
//! the path's keys; the member key is named after the last segment, `assignments` giving
//! `assignment_id`):
//!
//! | call | HTTP | `.await` gives |
//! |---|---|---|
//! | `T::create(&client, k.., &body)` | `POST {path}` | `Result<Created<T>>`: the entity (`201`), or its `Location` (`202`, `204`) |
//! | `T::list(&client, k..)` | `GET {path}` | `Result<Page<T>>`, one page |
//! | `T::get(&client, k.., id)` | `GET {path}/{id}` | `Result<T>` |
//! | `T::update(&client, k.., id, &changes)` | `PATCH {path}/{id}` | `Result<Option<T>>` |
//! | `T::delete(&client, k.., id)` | `DELETE {path}/{id}` | `Result<()>` |
//! | `T::delta(&client, k..)` (with `delta`) | `GET {path}/delta` | a [`Delta`] whose `changes()` stream upserts and removals, then the delta link |
//!
//! Each returns a [`Request`] value: nothing is sent until it is awaited, options chain
//! before the `.await` (`select`, `expand`, `filter`, `order_by`, `top`, `skip`, `count`,
//! `search`, `page_size`, `header`; `clear`, `changed_from` and `if_match` on updates), and
//! the same value can go into a [`Batch`]. `list` pages on with `pages()`, `items()` and
//! `all()`, following `@odata.nextLink` only to the base URL's origin. `with_response()`,
//! chained last, gives a [`Response`] with the status and headers (`etag()`, `location()`,
//! `request_id()`, `preference_applied()`) beside the value. A request value holds a clone
//! of the client, so it and its streams can be spawned or returned from a function.
//!
//! # The wire
//!
//! Serialization writes `"@odata.type": "#microsoft.graph.x"` first, then the fields in
//! declaration order (`None` omitted), then the `additional` map. A field is optional when its
//! type is written `Option<T>` (or `std::option::Option<T>`): an alias of `Option` is taken
//! for a required field. Deserialization accepts the
//! type with or without `#` or not at all, and `@odata.*` annotations anywhere. A missing
//! non-`Option` field is an error naming the property and the type, and so is a property
//! given twice (declared or kept in the `additional` map). Unknown properties never fail a
//! payload.
//!
//! A body of another type is read as a type derived from the struct's, as OData allows
//! wherever a base type is expected (`/groups/{id}/members` holds users and groups, all of
//! them `directoryObject`s): the properties the struct declares are read, the others go to
//! its `additional` map (its own or a base's) with the type itself, under `@odata.type`, and
//! serialization writes that type back. A struct without an `additional` map drops them and
//! writes its own type. A second `@odata.type` naming another type is an error.
//!
//! # Polymorphism
//!
//! On an enum whose variants each hold one annotated type, `#[graph_resource]` dispatches on
//! `@odata.type`; a `#[graph(other)]` variant holding an [`UntypedResource`] receives any other
//! type and writes it back unchanged. A variant may hold its type in a `Box`
//! (`User(Box<User>)`, as clippy's `large_enum_variant` asks); `From` takes the type itself.
//! On a fieldless enum it derives a Graph string enum, read case-insensitively, with an
//! optional `#[graph(other)] Unknown(String)` variant.
//!
//! A polymorphic enum is the model for code that tells the types apart or needs their own
//! properties typed: each member is read as its own type. A base struct with an
//! `additional` map suits code that needs only what every type has (an `id`, a name): it
//! reads any derived type and writes it back whole.
//!
//! Graph leaves `@odata.type` out when an object is of the type its property or collection is
//! declared with (`GET /users/{id}` answers a plain user). The variant that holds that type,
//! marked `#[graph(declared)]`, reads such an object; without one it goes to the `other`
//! variant, or is an error. One variant at most is `declared`, and not the `other` one.
//!
//! ```
//! use graph_resource::{graph_resource, UntypedResource};
//!
//! #[graph_resource]
//! #[derive(Debug, Clone, PartialEq, Default)]
//! pub struct User {
//!     pub id: Option<String>,
//! }
//!
//! #[graph_resource]
//! #[derive(Debug, Clone, PartialEq, Default)]
//! pub struct AgentUser {
//!     #[graph(base)]
//!     pub base: User,
//! }
//!
//! #[graph_resource]
//! #[derive(Debug, Clone, PartialEq)]
//! pub enum UserKind {
//!     #[graph(declared)]
//!     User(User),
//!     Agent(AgentUser),
//!     #[graph(other)]
//!     Other(UntypedResource),
//! }
//!
//! let user: UserKind = serde_json::from_str(r#"{"id":"u-1"}"#).unwrap();
//! assert_eq!(user, UserKind::User(User { id: Some("u-1".into()) }));
//! let agent: UserKind =
//!     serde_json::from_str(r##"{"@odata.type":"#microsoft.graph.agentUser","id":"u-2"}"##).unwrap();
//! assert!(matches!(agent, UserKind::Agent(_)));
//! ```
//!
//! # Flag enums
//!
//! `#[graph_resource(flags)]` on a fieldless enum makes it a string enum whose members also
//! combine, with `|`, into a [`Flags`] set: what Graph writes for a flag enum
//! (`IsFlags="true"` in its schema), the member names joined by commas. The enum derives
//! `PartialEq`.
//!
//! ```
//! use graph_resource::{graph_resource, Flags};
//!
//! #[graph_resource(flags)]
//! #[derive(Debug, Clone, PartialEq)]
//! pub enum Access {
//!     Read,
//!     Write,
//!     #[graph(other)]
//!     Unknown(String),
//! }
//!
//! let access: Flags<Access> = serde_json::from_str(r#""read, write, execute""#).unwrap();
//! assert_eq!(access, Access::Write | Access::Read | Access::Unknown("execute".into()));
//! assert!(access.contains(&Access::Write));
//! assert_eq!(serde_json::to_string(&access).unwrap(), r#""read,write,execute""#);
//! ```
//!
//! # Values JSON has no type for
//!
//! [`Binary`] (`Edm.Binary`, base64), [`IsoDuration`] (`Edm.Duration`), [`Decimal`]
//! (`Edm.Decimal`, every digit kept), [`Double`] and [`Single`] (`Edm.Double` and
//! `Edm.Single`, which Graph may write as `"NaN"`, `"INF"` or `"-INF"`) are ordinary serde
//! types, usable as fields of annotated structs. A date-time field read
//! `#[graph(with = "graph_resource::date_time_offset")]` takes one that Graph writes without
//! an offset (`2018-01-01T00:00:00`) as UTC ([`date_time_offset`]).
//!
//! # Features
//!
//! - `reqwest` (default): [`ReqwestTransport`], the default transport, and tokio timers for
//!   retry delays.
//! - `tokio`: tokio timers without the reqwest transport.
//! - `notifications`: `notifications`, the change-notification receiver and subscriptions.
//! - `axum`: `notifications::axum::handler`, the receiver as an axum route.
//!
//! With `default-features = false` nothing but the [`Transport`] trait ties you to an HTTP
//! stack or an executor.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use graph_resource_macros::graph_resource;
pub use graph_resource_runtime::*;

#[doc(hidden)]
pub use graph_resource_macros::__GraphResourceConfigured;
#[doc(hidden)]
pub use graph_resource_runtime::__private_v0_1_0;

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
