//! Typed Microsoft Graph v1.0 resources for the directory and device management: users,
//! groups, devices, device configurations and compliance policies with their assignments,
//! managed devices, and mobile apps with their assignments.
//!
//! Every item of this crate is generated: `graph-resource-codegen` read Graph's v1.0 schema
//! (its OData CSDL) and wrote [`#[graph_resource]`](graph_resource::graph_resource) models
//! for the paths that `codegen.args` lists, with every type they need (bases, complex and
//! enum property types, polymorphic enums of derived types). Each model reads what Graph
//! sends (every property may be absent, unknown `@odata.type`s land in an `Other`
//! variant), writes only what you set, and a type with a path has its typed operations:
//! `list`, `get`, `create`, `update`, `delete`, and `delta` where Graph has it.
//!
//! | Path | Model |
//! |---|---|
//! | `/users` | [`UserKind`] ([`User`] and [`AgentUser`]) |
//! | `/groups` | [`Group`] |
//! | `/devices` | [`Device`] |
//! | `/deviceManagement/deviceConfigurations` | [`DeviceConfigurationKind`] |
//! | `/deviceManagement/deviceConfigurations/{id}/assignments` | [`DeviceConfigurationAssignment`] |
//! | `/deviceManagement/deviceCompliancePolicies` | [`DeviceCompliancePolicyKind`] |
//! | `/deviceManagement/deviceCompliancePolicies/{id}/assignments` | [`DeviceCompliancePolicyAssignment`] |
//! | `/deviceManagement/managedDevices` | [`ManagedDevice`] |
//! | `/deviceAppManagement/mobileApps` | [`MobileAppKind`] |
//! | `/deviceAppManagement/mobileApps/{id}/assignments` | [`MobileAppAssignment`] |
//!
//! ```
//! use graph_resource::{MockResponse, MockTransport};
//! use graph_resource_directory_devices::{ManagedDevice, UserKind};
//! use serde_json::json;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), graph_resource::Error> {
//! // A client as any other; here one whose transport answers from a queue.
//! let mock = MockTransport::new();
//! mock.push(MockResponse::json(200, json!({
//!     "value": [{"id": "u1", "displayName": "Adele Vance", "userPrincipalName": "adele@contoso.com"}]
//! })));
//! mock.push(MockResponse::json(200, json!({"id": "d1", "deviceName": "DESKTOP-1", "complianceState": "compliant"})));
//! let client = mock.client_builder().build()?;
//!
//! // GET /users: a user without `@odata.type` is a `User`.
//! let users = UserKind::list(&client).await?;
//! let Some(UserKind::User(adele)) = users.items.first() else { panic!("one user") };
//! assert_eq!(adele.display_name.as_deref(), Some("Adele Vance"));
//!
//! // GET /deviceManagement/managedDevices/d1
//! let device = ManagedDevice::get(&client, "d1").await?;
//! assert_eq!(device.device_name.as_deref(), Some("DESKTOP-1"));
//! # Ok(())
//! # }
//! ```
//!
//! `examples/directory_devices.rs` goes further against an endpoint it starts in its own
//! process: it lists users, reads a group, assigns a device configuration to it and
//! changes a managed device. `examples/intune.rs` goes through the Intune family the same
//! way: device configurations and compliance policies with their assignments and `assign`,
//! managed devices with `syncDevice`, `retire` and `wipe`, mobile apps with their
//! assignments and `assign`.
//!
//! # Regenerating
//!
//! `codegen.args` holds the generator's options: the paths, and where the files go. At the
//! workspace root, with Graph's whole v1.0 schema (`clean_v10_metadata/cleanMetadata.xml` of
//! `microsoftgraph/msgraph-metadata`, plain or gzip-compressed):
//!
//! ```text
//! cargo run -p graph-resource-codegen -- --args sdk/codegen.args --csdl v1.0-cleanMetadata.xml.gz
//! ```
//!
//! writes `src/generated/` (the source as modules of at most 600 lines) and
//! `schema/graph-v1.0-subset.xml`: the part of the schema
//! that the selection reads (its types, their bound operations and container members, with
//! the schema's license in `schema/NOTICE`), from which the generator writes the same
//! source, as it checks before writing. This crate's test `generated_is_current`
//! regenerates from that part and fails, with the command above, when the committed source
//! is not what the generator writes now, or when `codegen.args` changed without a
//! regeneration; so no test needs the whole schema or a network.
#![forbid(unsafe_code)]

// As the generator wrote it (prettyplease), which the up-to-date test compares byte for byte.
#[rustfmt::skip]
mod generated;

pub use generated::*;
