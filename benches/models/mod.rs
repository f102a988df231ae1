//! The same models three ways: `#[graph_resource]`, the plain serde derive of identical
//! structs (the practical limit), and serde's `#[serde(tag = "@odata.type")]` enums (what
//! people write by hand today).

#![allow(dead_code)]

pub mod graph {
    use graph_resource::{UntypedResource, graph_resource};

    #[graph_resource(path = "/deviceManagement/intents/<>/assignments")]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct DeviceManagementIntentAssignment {
        pub id: Option<String>,
        pub target: Option<DeviceAndAppManagementAssignmentTarget>,
    }

    #[graph_resource]
    #[derive(Debug, Clone, PartialEq)]
    pub enum DeviceAndAppManagementAssignmentTarget {
        Group(GroupAssignmentTarget),
        AllDevices(AllDevicesAssignmentTarget),
        #[graph(other)]
        Other(UntypedResource),
    }

    #[graph_resource]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct GroupAssignmentTarget {
        pub group_id: Option<String>,
    }

    #[graph_resource]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct AllDevicesAssignmentTarget {}

    #[graph_resource]
    #[derive(Debug, Clone, PartialEq)]
    pub enum DefenderScanType {
        UserDefined,
        Disabled,
        Quick,
        Full,
    }

    /// The properties every device configuration inherits.
    #[graph_resource]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct DeviceConfiguration {
        pub id: Option<String>,
        pub display_name: Option<String>,
        pub description: Option<String>,
        pub version: Option<i32>,
        pub created_date_time: Option<String>,
        pub last_modified_date_time: Option<String>,
    }

    /// A derived type with 20 properties, 6 of them from its base.
    #[graph_resource]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Windows10GeneralConfiguration {
        #[graph(base)]
        pub base: DeviceConfiguration,
        pub password_required: Option<bool>,
        pub password_minimum_length: Option<i32>,
        pub password_expiration_days: Option<i32>,
        pub password_minutes_of_inactivity_before_screen_timeout: Option<i32>,
        pub storage_require_device_encryption: Option<bool>,
        pub defender_scan_type: Option<DefenderScanType>,
        pub defender_signature_update_interval_in_hours: Option<i32>,
        pub edge_block_autofill: Option<bool>,
        pub edge_homepage_urls: Option<Vec<String>>,
        pub edge_search_engine: Option<String>,
        pub smart_screen_enable_app_install_control: Option<bool>,
        pub windows_spotlight_configure_on_lock_screen: Option<String>,
        pub settings_block_settings_app: Option<bool>,
        pub device_management_block_factory_reset_on_mobile: Option<bool>,
    }

    #[graph_resource]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct IosGeneralDeviceConfiguration {
        #[graph(base)]
        pub base: DeviceConfiguration,
        pub passcode_required: Option<bool>,
    }

    /// Variants as Graph sends them; boxing the large one would only slow the comparison.
    #[graph_resource(path = "/deviceManagement/deviceConfigurations")]
    #[derive(Debug, Clone, PartialEq)]
    #[allow(clippy::large_enum_variant)]
    pub enum AnyDeviceConfiguration {
        IosGeneral(IosGeneralDeviceConfiguration),
        Windows10General(Windows10GeneralConfiguration),
        #[graph(other)]
        Other(UntypedResource),
    }
}

pub mod plain {
    use serde::{Deserialize, Serialize};

    fn assignment_type() -> &'static str {
        "#microsoft.graph.deviceManagementIntentAssignment"
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct DeviceManagementIntentAssignment {
        #[serde(
            rename = "@odata.type",
            skip_deserializing,
            default = "assignment_type"
        )]
        pub odata_type: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub target: Option<DeviceAndAppManagementAssignmentTarget>,
    }

    /// The hand-written polymorphic enum: serde buffers the whole object to find the tag.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "@odata.type")]
    pub enum DeviceAndAppManagementAssignmentTarget {
        #[serde(rename = "#microsoft.graph.groupAssignmentTarget")]
        Group(GroupAssignmentTarget),
        #[serde(rename = "#microsoft.graph.allDevicesAssignmentTarget")]
        AllDevices(AllDevicesAssignmentTarget),
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct GroupAssignmentTarget {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub group_id: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct AllDevicesAssignmentTarget {}

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub enum DefenderScanType {
        UserDefined,
        Disabled,
        Quick,
        Full,
    }

    fn windows10_type() -> &'static str {
        "#microsoft.graph.windows10GeneralConfiguration"
    }

    /// The same 20 properties, flat: the fastest a serde derive gets.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Windows10GeneralConfiguration {
        #[serde(rename = "@odata.type", skip_deserializing, default = "windows10_type")]
        pub odata_type: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub display_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub version: Option<i32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub created_date_time: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub last_modified_date_time: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub password_required: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub password_minimum_length: Option<i32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub password_expiration_days: Option<i32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub password_minutes_of_inactivity_before_screen_timeout: Option<i32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub storage_require_device_encryption: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub defender_scan_type: Option<DefenderScanType>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub defender_signature_update_interval_in_hours: Option<i32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub edge_block_autofill: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub edge_homepage_urls: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub edge_search_engine: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub smart_screen_enable_app_install_control: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub windows_spotlight_configure_on_lock_screen: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub settings_block_settings_app: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub device_management_block_factory_reset_on_mobile: Option<bool>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct IosGeneralDeviceConfiguration {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub passcode_required: Option<bool>,
    }

    /// The hand-written polymorphic enum over the same flat structs.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[allow(clippy::large_enum_variant)]
    #[serde(tag = "@odata.type")]
    pub enum AnyDeviceConfiguration {
        #[serde(rename = "#microsoft.graph.iosGeneralDeviceConfiguration")]
        IosGeneral(IosGeneralDeviceConfiguration),
        #[serde(rename = "#microsoft.graph.windows10GeneralConfiguration")]
        Windows10General(Windows10GeneralConfiguration),
    }
}

/// The seed response body.
pub const SEED_RESPONSE: &str = r##"{"@odata.type":"#microsoft.graph.deviceManagementIntentAssignment","id":"4c63bff1-bff1-4c63-f1bf-634cf1bf634c","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"3f2a6b9c-5d4e-4f1a-9b8c-7d6e5f4a3b2c"}}"##;

/// The 20-property object with `@odata.type` first.
pub const WINDOWS10_TYPE_FIRST: &str = r##"{"@odata.type":"#microsoft.graph.windows10GeneralConfiguration","id":"7a1f3c2e-9b8d-4e6f-a5c4-3b2a1d0e9f8c","displayName":"Windows 10 baseline","description":"Password, Defender and Edge settings for managed laptops","version":7,"createdDateTime":"2026-01-12T08:30:00Z","lastModifiedDateTime":"2026-11-02T16:45:12.5Z","passwordRequired":true,"passwordMinimumLength":12,"passwordExpirationDays":90,"passwordMinutesOfInactivityBeforeScreenTimeout":15,"storageRequireDeviceEncryption":true,"defenderScanType":"full","defenderSignatureUpdateIntervalInHours":4,"edgeBlockAutofill":true,"edgeHomepageUrls":["https://intranet.contoso.com","https://portal.contoso.com/start"],"edgeSearchEngine":"bing","smartScreenEnableAppInstallControl":true,"windowsSpotlightConfigureOnLockScreen":"disabled","settingsBlockSettingsApp":false,"deviceManagementBlockFactoryResetOnMobile":true}"##;

/// The same object with `@odata.type` last.
pub fn windows10_type_last() -> String {
    let mut value: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(WINDOWS10_TYPE_FIRST).expect("valid JSON");
    let odata_type = value.shift_remove("@odata.type").expect("has a type");
    value.insert("@odata.type".into(), odata_type);
    serde_json::Value::Object(value).to_string()
}

/// The seed response with its types last.
pub fn seed_type_last() -> String {
    r##"{"id":"4c63bff1-bff1-4c63-f1bf-634cf1bf634c","target":{"groupId":"3f2a6b9c-5d4e-4f1a-9b8c-7d6e5f4a3b2c","@odata.type":"#microsoft.graph.groupAssignmentTarget"},"@odata.type":"#microsoft.graph.deviceManagementIntentAssignment"}"##.to_owned()
}

/// The 20-property object as Graph answers a GET of it: its context URL first.
pub fn windows10_context_first() -> String {
    let rest = WINDOWS10_TYPE_FIRST.strip_prefix('{').unwrap();
    format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/deviceConfigurations/$entity",{rest}"#
    )
}

/// Page `index` of `count` pages of `items` 20-property objects, each linking to the next.
pub fn page(index: usize, count: usize, items: usize) -> String {
    let item = WINDOWS10_TYPE_FIRST;
    let value = vec![item; items].join(",");
    let next = if index + 1 < count {
        format!(
            r#","@odata.nextLink":"https://graph.microsoft.com/v1.0/deviceManagement/deviceConfigurations?$skiptoken={}""#,
            index + 1
        )
    } else {
        String::new()
    };
    format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/deviceConfigurations","value":[{value}]{next}}}"#
    )
}
