//! The seed model shared by the property tests and the fuzz targets: an Intune assignment
//! whose target is a polymorphic enum, with a string enum inside.

use graph_resource::{UntypedResource, graph_resource};

/// The entity of the seed page: POST `/deviceManagement/intents/{id}/assignments`.
#[graph_resource(path = "/deviceManagement/intents/<>/assignments", delta)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceManagementIntentAssignment {
    pub id: Option<String>,
    pub target: Option<Target>,
}

/// A polymorphic enum with an `other` variant.
#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Group(GroupAssignmentTarget),
    ExclusionGroup(ExclusionGroupAssignmentTarget),
    AllDevices(AllDevicesAssignmentTarget),
    #[graph(other)]
    Other(UntypedResource),
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupAssignmentTarget {
    pub device_and_app_management_assignment_filter_type: Option<FilterType>,
    pub group_id: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExclusionGroupAssignmentTarget {
    pub group_id: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllDevicesAssignmentTarget {}

/// A string enum with an `other` variant: every JSON string is one of its values.
#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum FilterType {
    None,
    Include,
    Exclude,
    #[graph(other)]
    Unknown(String),
}

/// A string enum without an `other` variant.
#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    NotStarted,
    #[graph(rename = "inProgress")]
    Running,
    Succeeded,
}
