//! The Graph-like endpoint of the Intune examples: device configurations, compliance
//! policies, managed devices and mobile apps, with their assignments and actions.

use serde_json::{Value, json};

use crate::http_server::{Captured, Reply};

/// The device configuration's id.
pub const CONFIGURATION: &str = "9e1a6f3c-22f4-4b8e-a6b5-0f3c5d7e8a91";
/// The compliance policy's id.
pub const POLICY: &str = "3c2b1a09-8f7e-4d6c-9b5a-1f2e3d4c5b6a";
/// The managed device's id.
pub const DEVICE: &str = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d";
/// The mobile app's id.
pub const APP: &str = "5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c";
/// The group the examples assign to.
pub const GROUP: &str = "02bd9fd6-8f93-4758-87c3-1fb73740a315";

/// The endpoint's answer to `request`.
pub fn answer(request: &Captured) -> Reply {
    let path = request.target.split('?').next().unwrap_or_default();
    let to_group =
        json!({"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": GROUP});
    let configuration = json!({
        "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
        "id": CONFIGURATION,
        "displayName": "Windows 10 baseline",
        "version": 3,
        "passwordRequired": true,
    });
    let policy = json!({
        "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
        "id": POLICY,
        "displayName": "Windows 10 compliance",
        "bitLockerEnabled": true,
    });
    let device = json!({
        "id": DEVICE,
        "deviceName": "DESKTOP-ADELE",
        "complianceState": "compliant",
        "managedDeviceOwnerType": "company",
    });
    let app = json!({
        "@odata.type": "#microsoft.graph.webApp",
        "id": APP,
        "displayName": "Contoso portal",
        "appUrl": "https://portal.contoso.com",
    });
    let page = |items: Value| Reply::json(200, &json!({"value": items}).to_string());
    let configurations = "/v1.0/deviceManagement/deviceConfigurations";
    let policies = "/v1.0/deviceManagement/deviceCompliancePolicies";
    let devices = "/v1.0/deviceManagement/managedDevices";
    let apps = "/v1.0/deviceAppManagement/mobileApps";
    let below = |collection: &str, id: &str| {
        path.strip_prefix(collection)
            .and_then(|rest| rest.strip_prefix('/'))
            .and_then(|rest| rest.strip_prefix(id))
            .map(str::to_owned)
    };
    match (request.method.as_str(), path) {
        ("GET", path) if path == configurations => page(json!([configuration])),
        ("GET", path) if path == policies => page(json!([policy])),
        ("GET", path) if path == devices => page(json!([device])),
        ("GET", path) if path == apps => page(json!([app])),
        ("GET", _) if below(configurations, CONFIGURATION).as_deref() == Some("") => {
            Reply::json(200, &configuration.to_string())
        }
        ("GET", _) if below(devices, DEVICE).as_deref() == Some("") => {
            Reply::json(200, &device.to_string())
        }
        ("GET", _) if below(policies, POLICY).as_deref() == Some("/assignments") => page(json!([
            {"id": format!("{POLICY}_0"), "target": to_group}
        ])),
        ("GET", _) if below(apps, APP).as_deref() == Some("/assignments") => page(json!([
            {"id": format!("{APP}_0"), "intent": "required", "target": to_group}
        ])),
        ("POST", _)
            if below(configurations, CONFIGURATION).as_deref() == Some("/assign")
                || below(policies, POLICY).as_deref() == Some("/assign") =>
        {
            let Ok(Value::Object(body)) = serde_json::from_slice(&request.body) else {
                return error(400, "BadRequest", "Invalid JSON.");
            };
            let mut assignments = body.get("assignments").cloned().unwrap_or(json!([]));
            if let Some(list) = assignments.as_array_mut() {
                for (index, assignment) in list.iter_mut().enumerate() {
                    assignment["id"] = format!("assignment_{index}").into();
                }
            }
            page(assignments)
        }
        ("POST", _) if below(apps, APP).as_deref() == Some("/assign") => no_content(),
        ("POST", _)
            if matches!(
                below(devices, DEVICE).as_deref(),
                Some("/syncDevice" | "/retire" | "/wipe")
            ) =>
        {
            no_content()
        }
        _ => error(404, "ResourceNotFound", "Resource not found."),
    }
}

fn no_content() -> Reply {
    Reply::Respond {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    }
}

fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": {"code": code, "message": message}}).to_string(),
    )
}
