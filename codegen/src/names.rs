//! Rust names for Graph names: UpperCamelCase items and variants, snake_case fields, with
//! keywords, names that shadow the prelude and names that collide handled.

use std::collections::BTreeSet;

/// Words that are keywords in some edition; all but [`NOT_RAW`] can be written `r#word`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type and trait names of the standard prelude (and of derives the generated code uses),
/// which a generated item must not hide.
const PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// `windows10GeneralConfiguration` → `Windows10GeneralConfiguration`; `IOS` → `Ios`;
/// `my_type` → `MyType`. Not yet checked against keywords or the prelude.
pub fn upper_camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    // An all-capitals word (`IOS`, `UNKNOWN`) reads as an acronym; Rust style writes `Ios`.
    if out.len() > 1 && !out.chars().any(|c| c.is_ascii_lowercase()) {
        let mut chars = out.chars();
        let first = chars.next().map(String::from).unwrap_or_default();
        out = first + &chars.as_str().to_ascii_lowercase();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) || out.is_empty() {
        out.insert(0, 'V');
    }
    out
}

/// The words of a camelCase or snake_case name: a new word starts after a character that is
/// not a letter or digit, at a capital after a small letter or digit, and at the last
/// capital of a run followed by a small letter (`groupIDValue` → `group`, `ID`, `Value`).
pub fn words(name: &str) -> Vec<&str> {
    let bytes = name.as_bytes();
    let mut words = Vec::new();
    let mut start = None;
    for (i, &c) in bytes.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if let Some(s) = start.take() {
                words.push(&name[s..i]);
            }
            continue;
        }
        let previous = i.checked_sub(1).and_then(|p| bytes.get(p)).copied();
        let next_small = bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        let boundary = c.is_ascii_uppercase()
            && previous.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next_small)
            });
        match start {
            Some(s) if boundary => {
                words.push(&name[s..i]);
                start = Some(i);
            }
            Some(_) => {}
            None => start = Some(i),
        }
    }
    if let Some(s) = start {
        words.push(&name[s..]);
    }
    words
}

/// `deviceManagementIntentId` → `device_management_intent_id`, `groupID` → `group_id`.
pub fn snake(name: &str) -> String {
    let mut out = words(name).join("_").to_ascii_lowercase();
    if out.starts_with(|c: char| c.is_ascii_digit()) || out.is_empty() {
        out.insert(0, 'n');
    }
    out
}

/// The JSON name `#[graph_resource]` gives a field: the words after the first start with a
/// capital (`group_id` → `groupId`, `r#type` → `type`).
pub fn field_to_property(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let mut parts = field.split('_').filter(|part| !part.is_empty());
    let mut out: String = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        let mut chars = part.chars();
        out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        out.push_str(chars.as_str());
    }
    out
}

/// `DeviceConfiguration` → `deviceConfiguration`, the JSON string of a string enum variant
/// and the default type name of a struct.
pub fn lower_first(name: &str) -> String {
    let name = name.strip_prefix("r#").unwrap_or(name);
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Names already given in one scope; `claim` finds a free one.
#[derive(Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// `wanted`, or `wanted` followed by `suffix` and a number when it is taken.
    pub fn claim(&mut self, wanted: &str, suffix: &str) -> String {
        let mut name = wanted.to_owned();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{wanted}{suffix}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// A Rust item name for a Graph type: UpperCamelCase, never a keyword or a prelude name
/// (`option` → `GraphOption`).
pub fn item_name(graph_name: &str) -> String {
    let name = upper_camel(graph_name);
    if PRELUDE.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        format!("Graph{name}")
    } else {
        name
    }
}

/// Whether `name` is a keyword in some edition.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// A variant name for an enum member: UpperCamelCase, `Self` becomes `SelfValue`.
pub fn variant_name(member: &str) -> String {
    let name = upper_camel(member);
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}Value")
    } else {
        name
    }
}

/// A field name for a JSON property: snake_case, `r#type` for a keyword, `self_` for the
/// keywords that cannot be raw.
pub fn field_name(property: &str) -> String {
    let name = snake(property);
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_upper_camel_case_and_never_hide_the_prelude() {
        assert_eq!(
            item_name("windows10GeneralConfiguration"),
            "Windows10GeneralConfiguration"
        );
        assert_eq!(item_name("option"), "GraphOption");
        assert_eq!(item_name("vec"), "GraphVec");
        assert_eq!(item_name("self"), "GraphSelf");
        assert_eq!(item_name("IOS"), "Ios");
        assert_eq!(item_name("my_type"), "MyType");
        assert_eq!(item_name("3dModel"), "V3dModel");
    }

    #[test]
    fn fields_are_snake_case_and_keywords_are_escaped() {
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(field_name("deviceID"), "device_id");
        assert_eq!(field_name("osVersion2"), "os_version2");
        assert_eq!(
            field_name("windows10EnrollmentId"),
            "windows10_enrollment_id"
        );
        assert_eq!(field_name("@odata.etag"), "odata_etag");
        assert_eq!(field_name("accessedResources_v2"), "accessed_resources_v2");
        assert_eq!(field_name("v4_0_3"), "v4_0_3");
        assert_eq!(field_to_property("v4_0_3"), "v403");
        assert_eq!(field_to_property("_odata__etag_"), "odataEtag");
        assert_eq!(field_to_property("r#type"), "type");
        assert_eq!(
            field_to_property("windows10_enrollment_id"),
            "windows10EnrollmentId"
        );
    }

    #[test]
    fn variants_and_words() {
        assert_eq!(variant_name("self"), "SelfValue");
        assert_eq!(variant_name("iOS"), "Ios");
        assert_eq!(variant_name("UNKNOWN"), "Unknown");
        assert_eq!(
            words("Windows10GeneralConfiguration"),
            ["Windows10", "General", "Configuration"]
        );
        assert_eq!(lower_first("r#Type"), "type");
    }

    #[test]
    fn a_scope_numbers_names_that_are_taken() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("Other", ""), "Other");
        assert_eq!(scope.claim("Other", ""), "Other2");
        assert_eq!(scope.claim("name", "_"), "name");
        assert_eq!(scope.claim("name", "_"), "name_2");
    }
}
