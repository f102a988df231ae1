//! The Graph-like endpoint of the examples: a few users, a group of a user and a device, a
//! device configuration and a managed device.

use serde_json::{Value, json};

use crate::http_server::{Captured, Reply};

/// The group's id.
pub const GROUP: &str = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
/// The device configuration's id.
pub const CONFIGURATION: &str = "9e1a6f3c-22f4-4b8e-a6b5-0f3c5d7e8a91";
/// The managed device's id.
pub const DEVICE: &str = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d";

/// The endpoint's answer to `request`.
pub fn answer(request: &Captured) -> Reply {
    let path = request.target.split('?').next().unwrap_or_default();
    let host = request.header("host").unwrap_or_default();
    let no_content = || Reply::Respond {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    };
    let configuration = format!("/v1.0/deviceManagement/deviceConfigurations/{CONFIGURATION}");
    let device = format!("/v1.0/deviceManagement/managedDevices/{DEVICE}");
    let group = format!("/v1.0/groups/{GROUP}");
    match (request.method.as_str(), path) {
        ("GET", "/v1.0/users") => {
            let users = [
                json!({"id": "u1", "displayName": "Adele Vance", "userPrincipalName": "adele@contoso.com"}),
                json!({"id": "u2", "displayName": "Alex Wilber", "userPrincipalName": "alex@contoso.com"}),
                json!({"id": "u3", "displayName": "Megan Bowen", "userPrincipalName": "megan@contoso.com"}),
            ];
            let skip: usize = request
                .target
                .split("$skiptoken=")
                .nth(1)
                .and_then(|token| token.parse().ok())
                .unwrap_or(0);
            let size = request
                .header("prefer")
                .and_then(|prefer| prefer.strip_prefix("odata.maxpagesize="))
                .and_then(|size| size.parse().ok())
                .unwrap_or(100);
            let items: Vec<&Value> = users.iter().skip(skip).take(size).collect();
            let mut page = json!({
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
                "value": items,
            });
            if skip + size < users.len() {
                page["@odata.nextLink"] =
                    format!("http://{host}{path}?$skiptoken={}", skip + size).into();
            }
            Reply::json(200, &page.to_string())
        }
        ("GET", path) if path == group => Reply::json(
            200,
            &json!({"id": GROUP, "displayName": "Contoso Devices", "groupTypes": []}).to_string(),
        ),
        ("GET", path) if path.strip_prefix(&group) == Some("/members") => Reply::json(
            200,
            &json!({"value": [
                {"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Adele Vance"},
                {"@odata.type": "#microsoft.graph.device", "id": "dv1", "displayName": "DESKTOP-ADELE"},
            ]})
            .to_string(),
        ),
        ("POST", path) if path.strip_prefix(&configuration) == Some("/assign") => {
            let Ok(Value::Object(body)) = serde_json::from_slice(&request.body) else {
                return error(400, "BadRequest", "Invalid JSON.");
            };
            let mut assignments = body.get("assignments").cloned().unwrap_or(json!([]));
            if let Some(list) = assignments.as_array_mut() {
                for (index, assignment) in list.iter_mut().enumerate() {
                    assignment["id"] = format!("{CONFIGURATION}_{index}").into();
                }
            }
            Reply::json(200, &json!({"value": assignments}).to_string())
        }
        ("GET", path) if path == device => Reply::json(
            200,
            &json!({
                "id": DEVICE,
                "deviceName": "DESKTOP-ADELE",
                "complianceState": "compliant",
                "managedDeviceOwnerType": "company",
            })
            .to_string(),
        ),
        ("POST", path)
            if matches!(
                path.strip_prefix(&device),
                Some("/syncDevice" | "/retire" | "/wipe")
            ) =>
        {
            no_content()
        }
        _ => error(404, "ResourceNotFound", "Resource not found."),
    }
}

fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": {"code": code, "message": message}}).to_string(),
    )
}
