//! The spellings Graph uses: lowerCamelCase properties and type names, snake_case parameters.

/// `group_id` → `groupId`, `r#type` → `type`.
pub fn field_to_property(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let mut out = String::with_capacity(field.len());
    let mut upper_next = false;
    for c in field.chars() {
        if c == '_' {
            upper_next = !out.is_empty();
        } else if upper_next {
            out.extend(c.to_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `DeviceManagementIntentAssignment` → `deviceManagementIntentAssignment`.
pub fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `deviceManagementIntentId` → `device_management_intent_id`, `groupID` → `group_id`.
pub fn camel_to_snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let previous = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if previous.is_ascii_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_ascii_uppercase() && next_is_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The singular of a collection name: `intents` → `intent`, `policies` → `policy`,
/// `deviceStatuses` → `deviceStatus`, `analyses` → `analysis`.
pub fn singular(plural: &str) -> String {
    if let Some(stem) = plural.strip_suffix("ies") {
        return format!("{stem}y");
    }
    if let Some(stem) = plural.strip_suffix("yses") {
        return format!("{stem}ysis");
    }
    for suffix in ["sses", "shes", "ches", "xes", "zes", "uses", "iases"] {
        if plural.ends_with(suffix) {
            return plural[..plural.len() - 2].to_owned();
        }
    }
    match plural.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') => stem.to_owned(),
        _ => plural.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_are_lower_camel_case() {
        assert_eq!(field_to_property("group_id"), "groupId");
        assert_eq!(field_to_property("r#type"), "type");
        assert_eq!(field_to_property("id"), "id");
        assert_eq!(
            field_to_property("device_and_app_management_assignment_filter_id"),
            "deviceAndAppManagementAssignmentFilterId"
        );
        assert_eq!(field_to_property("os_version_2"), "osVersion2");
    }

    #[test]
    fn type_names_start_lower_case() {
        assert_eq!(
            lower_first("DeviceManagementIntentAssignment"),
            "deviceManagementIntentAssignment"
        );
        assert_eq!(lower_first("Win32LobApp"), "win32LobApp");
    }

    #[test]
    fn placeholders_become_snake_case() {
        assert_eq!(
            camel_to_snake("deviceManagementIntentId"),
            "device_management_intent_id"
        );
        assert_eq!(camel_to_snake("groupID"), "group_id");
        assert_eq!(camel_to_snake("win32LobAppId"), "win32_lob_app_id");
        assert_eq!(camel_to_snake("id"), "id");
    }

    #[test]
    fn collections_become_singular() {
        assert_eq!(singular("intents"), "intent");
        assert_eq!(singular("deviceConfigurations"), "deviceConfiguration");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("deviceManagement"), "deviceManagement");
        assert_eq!(singular("deviceStatuses"), "deviceStatus");
        assert_eq!(singular("userStatuses"), "userStatus");
        assert_eq!(singular("aliases"), "alias");
        assert_eq!(singular("analyses"), "analysis");
        assert_eq!(singular("databases"), "database");
        assert_eq!(singular("licenses"), "license");
    }
}
