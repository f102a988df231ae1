use graph_resource::{graph_resource, UntypedResource};

#[graph_resource]
pub enum DeviceAndAppManagementAssignmentFilterType {
    None,
    Include,
    Exclude,
    #[graph(other)]
    Unknown(String),
}

#[graph_resource(odata_type = "microsoft.graph.deviceAndAppManagementAssignmentTarget")]
pub struct TargetBase {
    pub device_and_app_management_assignment_filter_id: Option<String>,
    pub device_and_app_management_assignment_filter_type: Option<DeviceAndAppManagementAssignmentFilterType>,
}

#[graph_resource]
pub struct GroupAssignmentTarget {
    #[graph(base)]
    pub base: TargetBase,
    pub group_id: Option<String>,
}

#[graph_resource]
pub struct AllDevicesAssignmentTarget {
    #[graph(base)]
    pub base: TargetBase,
}

#[graph_resource]
pub struct EmptyMarker {}

#[graph_resource]
pub enum Target {
    Group(GroupAssignmentTarget),
    AllDevices(AllDevicesAssignmentTarget),
    #[graph(other)]
    Other(UntypedResource),
}

#[graph_resource]
pub enum ClosedTarget {
    Group(GroupAssignmentTarget),
    Marker(EmptyMarker),
}

fn main() {
    let _ = Target::from(AllDevicesAssignmentTarget {
        base: TargetBase {
            device_and_app_management_assignment_filter_id: None,
            device_and_app_management_assignment_filter_type: None,
        },
    });
    let _ = ClosedTarget::Marker(EmptyMarker {});
}
