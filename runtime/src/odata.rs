//! The OData type name of a resource.

/// A Graph resource type with a fixed OData type name.
///
/// `#[graph_resource]` implements it for every annotated struct. Serialization writes
/// [`ODATA_TYPE`](ODataType::ODATA_TYPE) as the first property, `@odata.type`;
/// deserialization accepts it with or without the leading `#`.
///
/// ```
/// use graph_resource_runtime::ODataType;
///
/// struct GroupAssignmentTarget;
/// impl ODataType for GroupAssignmentTarget {
///     const ODATA_TYPE: &'static str = "#microsoft.graph.groupAssignmentTarget";
/// }
/// assert_eq!(GroupAssignmentTarget::ODATA_TYPE, "#microsoft.graph.groupAssignmentTarget");
/// ```
pub trait ODataType {
    /// The qualified type name with its leading `#`, as written to `@odata.type`.
    const ODATA_TYPE: &'static str;
}

/// The JSON property names of a resource type, through its bases: what `select`,
/// `order_by` and `clear` check names against before anything is sent.
///
/// `#[graph_resource]` implements it for every type with a `path`; for a polymorphic enum a
/// name counts when any of its types declares it.
pub trait Properties {
    /// The type's name, for messages (`microsoft.graph.x`, or the enum's Rust name).
    const NAME: &'static str;
    /// Whether the type declares a property of that JSON name.
    fn has_property(name: &str) -> bool;
    /// Whether Graph does not let clients write the property: a field marked
    /// `#[graph(read_only)]` (for a polymorphic enum, in any of its types).
    /// [`changed_from`](crate::Request::changed_from) never sends it, nor the key `id`.
    fn is_read_only(name: &str) -> bool {
        let _ = name;
        false
    }
}

/// The key of the type annotation in OData JSON.
pub(crate) const ODATA_TYPE_KEY: &str = "@odata.type";

/// Whether two `@odata.type` values name the same type; the leading `#` is optional on both.
pub(crate) fn same_type(found: &str, expected: &str) -> bool {
    found.strip_prefix('#').unwrap_or(found) == expected.strip_prefix('#').unwrap_or(expected)
}

#[cfg(test)]
mod tests {
    use super::same_type;

    #[test]
    fn the_hash_is_optional_on_either_side() {
        assert!(same_type("microsoft.graph.a", "#microsoft.graph.a"));
        assert!(same_type("#microsoft.graph.a", "#microsoft.graph.a"));
        assert!(same_type("#microsoft.graph.a", "microsoft.graph.a"));
        assert!(!same_type("#microsoft.graph.ab", "#microsoft.graph.a"));
        assert!(!same_type("##microsoft.graph.a", "#microsoft.graph.a"));
    }
}
