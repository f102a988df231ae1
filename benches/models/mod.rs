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

/// 64 of the 392 types of audit records derived from `microsoft.graph.security.auditData`,
/// with two properties each, three ways: a polymorphic enum of 64 typed variants is where
/// finding the variant of an `@odata.type` shows.
macro_rules! audit_records {
    ($($variant:ident = $odata_type:literal, $tag:literal;)*) => {
        pub mod graph {
            use graph_resource::{UntypedResource, graph_resource};

            $(
                #[graph_resource(odata_type = $odata_type)]
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct $variant {
                    pub id: Option<String>,
                    pub created_date_time: Option<String>,
                }
            )*

            #[graph_resource]
            #[derive(Debug, Clone, PartialEq)]
            pub enum AnyAuditRecord {
                $($variant($variant),)*
                #[graph(other)]
                Other(UntypedResource),
            }
        }

        pub mod plain {
            use serde::Deserialize;

            $(
                #[derive(Debug, Clone, PartialEq, Deserialize)]
                #[serde(rename_all = "camelCase")]
                pub struct $variant {
                    pub id: Option<String>,
                    pub created_date_time: Option<String>,
                }
            )*

            #[derive(Debug, Clone, PartialEq, Deserialize)]
            #[serde(tag = "@odata.type")]
            pub enum AnyAuditRecord {
                $(#[serde(rename = $tag)] $variant($variant),)*
            }
        }

        /// The `@odata.type` of each, in order.
        pub const TYPES: &[&str] = &[$($tag),*];
    };
}

/// Audit records of 64 types (see `audit_records!`).
pub mod records {
    audit_records! {
    A365AiExecuteTool = "microsoft.graph.security.a365AiExecuteTool", "#microsoft.graph.security.a365AiExecuteTool";
    AadRiskDetectionAuditRecord = "microsoft.graph.security.aadRiskDetectionAuditRecord", "#microsoft.graph.security.aadRiskDetectionAuditRecord";
    AiInteractionsChangeNotificationAuditRecord = "microsoft.graph.security.aiInteractionsChangeNotificationAuditRecord", "#microsoft.graph.security.aiInteractionsChangeNotificationAuditRecord";
    AipHeartBeat = "microsoft.graph.security.aipHeartBeat", "#microsoft.graph.security.aipHeartBeat";
    AirManualInvestigationData = "microsoft.graph.security.airManualInvestigationData", "#microsoft.graph.security.airManualInvestigationData";
    AuditSearchAuditRecord = "microsoft.graph.security.auditSearchAuditRecord", "#microsoft.graph.security.auditSearchAuditRecord";
    AzureActiveDirectoryAuditRecord = "microsoft.graph.security.azureActiveDirectoryAuditRecord", "#microsoft.graph.security.azureActiveDirectoryAuditRecord";
    CdpConsumptionResourceRecord = "microsoft.graph.security.cdpConsumptionResourceRecord", "#microsoft.graph.security.cdpConsumptionResourceRecord";
    CdpdlmaiInteractionInsightsRecord = "microsoft.graph.security.cdpdlmaiInteractionInsightsRecord", "#microsoft.graph.security.cdpdlmaiInteractionInsightsRecord";
    ComplianceDLMSharePointAuditRecord = "microsoft.graph.security.complianceDLMSharePointAuditRecord", "#microsoft.graph.security.complianceDLMSharePointAuditRecord";
    ComplianceDLPExchangeAuditRecord = "microsoft.graph.security.complianceDLPExchangeAuditRecord", "#microsoft.graph.security.complianceDLPExchangeAuditRecord";
    ComplianceDLPSharePointClassificationCdpRecord = "microsoft.graph.security.complianceDLPSharePointClassificationCdpRecord", "#microsoft.graph.security.complianceDLPSharePointClassificationCdpRecord";
    ComplianceSitGradingSharePointAuditRecord = "microsoft.graph.security.complianceSitGradingSharePointAuditRecord", "#microsoft.graph.security.complianceSitGradingSharePointAuditRecord";
    CopilotForSecurityLoggingAuditRecord = "microsoft.graph.security.copilotForSecurityLoggingAuditRecord", "#microsoft.graph.security.copilotForSecurityLoggingAuditRecord";
    CopilotSettingAuditRecord = "microsoft.graph.security.copilotSettingAuditRecord", "#microsoft.graph.security.copilotSettingAuditRecord";
    CrossTenantAccessPolicyAuditRecord = "microsoft.graph.security.crossTenantAccessPolicyAuditRecord", "#microsoft.graph.security.crossTenantAccessPolicyAuditRecord";
    DataSecurityInvestigationAuditRecord = "microsoft.graph.security.dataSecurityInvestigationAuditRecord", "#microsoft.graph.security.dataSecurityInvestigationAuditRecord";
    DeployFeatureActivityRecord = "microsoft.graph.security.deployFeatureActivityRecord", "#microsoft.graph.security.deployFeatureActivityRecord";
    DlpImportResultAuditRecord = "microsoft.graph.security.dlpImportResultAuditRecord", "#microsoft.graph.security.dlpImportResultAuditRecord";
    Dynamics365BusinessCentralAuditRecord = "microsoft.graph.security.dynamics365BusinessCentralAuditRecord", "#microsoft.graph.security.dynamics365BusinessCentralAuditRecord";
    ExchangeMailboxAuditGroupRecord = "microsoft.graph.security.exchangeMailboxAuditGroupRecord", "#microsoft.graph.security.exchangeMailboxAuditGroupRecord";
    HrSignalAuditRecord = "microsoft.graph.security.hrSignalAuditRecord", "#microsoft.graph.security.hrSignalAuditRecord";
    IntegratedAppsAppAdminActivityAuditRecord = "microsoft.graph.security.integratedAppsAppAdminActivityAuditRecord", "#microsoft.graph.security.integratedAppsAppAdminActivityAuditRecord";
    LabelContentExplorerAuditRecord = "microsoft.graph.security.labelContentExplorerAuditRecord", "#microsoft.graph.security.labelContentExplorerAuditRecord";
    MDASHAuditRecord = "microsoft.graph.security.mDASHAuditRecord", "#microsoft.graph.security.mDASHAuditRecord";
    MapgPolicyAuditRecord = "microsoft.graph.security.mapgPolicyAuditRecord", "#microsoft.graph.security.mapgPolicyAuditRecord";
    MdcEventsRecord = "microsoft.graph.security.mdcEventsRecord", "#microsoft.graph.security.mdcEventsRecord";
    Microsoft365BackupRestoreItemAuditRecord = "microsoft.graph.security.microsoft365BackupRestoreItemAuditRecord", "#microsoft.graph.security.microsoft365BackupRestoreItemAuditRecord";
    MicrosoftGraphDataConnectConsent = "microsoft.graph.security.microsoftGraphDataConnectConsent", "#microsoft.graph.security.microsoftGraphDataConnectConsent";
    MicrosoftPurviewPrivacyAuditEvent = "microsoft.graph.security.microsoftPurviewPrivacyAuditEvent", "#microsoft.graph.security.microsoftPurviewPrivacyAuditEvent";
    MicrosoftTeamsDeviceAuditRecord = "microsoft.graph.security.microsoftTeamsDeviceAuditRecord", "#microsoft.graph.security.microsoftTeamsDeviceAuditRecord";
    MipAutoLabelProgressFeedbackAuditRecord = "microsoft.graph.security.mipAutoLabelProgressFeedbackAuditRecord", "#microsoft.graph.security.mipAutoLabelProgressFeedbackAuditRecord";
    MipExactDataMatchAuditRecord = "microsoft.graph.security.mipExactDataMatchAuditRecord", "#microsoft.graph.security.mipExactDataMatchAuditRecord";
    Ms365dIncidentAuditRecord = "microsoft.graph.security.ms365dIncidentAuditRecord", "#microsoft.graph.security.ms365dIncidentAuditRecord";
    MsdeRolesSettingsAuditRecord = "microsoft.graph.security.msdeRolesSettingsAuditRecord", "#microsoft.graph.security.msdeRolesSettingsAuditRecord";
    OfficeNativeAuditRecord = "microsoft.graph.security.officeNativeAuditRecord", "#microsoft.graph.security.officeNativeAuditRecord";
    OrganizationalDataInM365AuditRecord = "microsoft.graph.security.organizationalDataInM365AuditRecord", "#microsoft.graph.security.organizationalDataInM365AuditRecord";
    P4aiAssessmentLocationResultRecord = "microsoft.graph.security.p4aiAssessmentLocationResultRecord", "#microsoft.graph.security.p4aiAssessmentLocationResultRecord";
    PlannerChatMessageListAuditRecord = "microsoft.graph.security.plannerChatMessageListAuditRecord", "#microsoft.graph.security.plannerChatMessageListAuditRecord";
    PlannerPlanSensitivityLabelAuditRecord = "microsoft.graph.security.plannerPlanSensitivityLabelAuditRecord", "#microsoft.graph.security.plannerPlanSensitivityLabelAuditRecord";
    PolicyConfigChangeAuditRecord = "microsoft.graph.security.policyConfigChangeAuditRecord", "#microsoft.graph.security.policyConfigChangeAuditRecord";
    PowerPagesSiteAuditRecord = "microsoft.graph.security.powerPagesSiteAuditRecord", "#microsoft.graph.security.powerPagesSiteAuditRecord";
    PowerPlatformServiceActivityAuditRecord = "microsoft.graph.security.powerPlatformServiceActivityAuditRecord", "#microsoft.graph.security.powerPlatformServiceActivityAuditRecord";
    PrivacyDigestEmailRecord = "microsoft.graph.security.privacyDigestEmailRecord", "#microsoft.graph.security.privacyDigestEmailRecord";
    ProjectForTheWebAssignedToMeSettingsAuditRecord = "microsoft.graph.security.projectForTheWebAssignedToMeSettingsAuditRecord", "#microsoft.graph.security.projectForTheWebAssignedToMeSettingsAuditRecord";
    ProjectForTheWebTaskAuditRecord = "microsoft.graph.security.projectForTheWebTaskAuditRecord", "#microsoft.graph.security.projectForTheWebTaskAuditRecord";
    QuarantineAuditRecord = "microsoft.graph.security.quarantineAuditRecord", "#microsoft.graph.security.quarantineAuditRecord";
    RtiOperationsAgentAuditRecord = "microsoft.graph.security.rtiOperationsAgentAuditRecord", "#microsoft.graph.security.rtiOperationsAgentAuditRecord";
    SearchAuditRecord = "microsoft.graph.security.searchAuditRecord", "#microsoft.graph.security.searchAuditRecord";
    SecurityCopilotIdentityManagementAuditRecord = "microsoft.graph.security.securityCopilotIdentityManagementAuditRecord", "#microsoft.graph.security.securityCopilotIdentityManagementAuditRecord";
    SentinelAIToolAuditRecord = "microsoft.graph.security.sentinelAIToolAuditRecord", "#microsoft.graph.security.sentinelAIToolAuditRecord";
    SentinelLakeOnboardingAuditRecord = "microsoft.graph.security.sentinelLakeOnboardingAuditRecord", "#microsoft.graph.security.sentinelLakeOnboardingAuditRecord";
    SharePointContentSecurityPolicyAuditRecord = "microsoft.graph.security.sharePointContentSecurityPolicyAuditRecord", "#microsoft.graph.security.sharePointContentSecurityPolicyAuditRecord";
    SharePointListOperationAuditRecord = "microsoft.graph.security.sharePointListOperationAuditRecord", "#microsoft.graph.security.sharePointListOperationAuditRecord";
    SonarDetonationEntityAuditRecord = "microsoft.graph.security.sonarDetonationEntityAuditRecord", "#microsoft.graph.security.sonarDetonationEntityAuditRecord";
    SupervisoryReviewDayXInsightsAuditRecord = "microsoft.graph.security.supervisoryReviewDayXInsightsAuditRecord", "#microsoft.graph.security.supervisoryReviewDayXInsightsAuditRecord";
    TeamsEvalDataHubPermissionChangeAuditRecord = "microsoft.graph.security.teamsEvalDataHubPermissionChangeAuditRecord", "#microsoft.graph.security.teamsEvalDataHubPermissionChangeAuditRecord";
    ThreatIntelligenceExportAuditRecord = "microsoft.graph.security.threatIntelligenceExportAuditRecord", "#microsoft.graph.security.threatIntelligenceExportAuditRecord";
    UamOperationAuditRecord = "microsoft.graph.security.uamOperationAuditRecord", "#microsoft.graph.security.uamOperationAuditRecord";
    UrbacAssignmentAuditRecord = "microsoft.graph.security.urbacAssignmentAuditRecord", "#microsoft.graph.security.urbacAssignmentAuditRecord";
    VfamDeletePolicyAuditRecord = "microsoft.graph.security.vfamDeletePolicyAuditRecord", "#microsoft.graph.security.vfamDeletePolicyAuditRecord";
    VivaGlintAdvancedConfigurationAuditRecord = "microsoft.graph.security.vivaGlintAdvancedConfigurationAuditRecord", "#microsoft.graph.security.vivaGlintAdvancedConfigurationAuditRecord";
    VivaGlintQuestionAuditRecord = "microsoft.graph.security.vivaGlintQuestionAuditRecord", "#microsoft.graph.security.vivaGlintQuestionAuditRecord";
    VivaGlintUserGroupAuditRecord = "microsoft.graph.security.vivaGlintUserGroupAuditRecord", "#microsoft.graph.security.vivaGlintUserGroupAuditRecord";
    }

    /// An audit record of type `TYPES[index]`, its type first, as Graph writes one.
    pub fn record(index: usize) -> String {
        format!(
            r#"{{"@odata.type":"{}","id":"4c63bff1-bff1-4c63-f1bf-634cf1bf634c","createdDateTime":"2026-11-02T16:45:12Z"}}"#,
            TYPES[index]
        )
    }
}
