use super::{Ahead, scan};

/// What `scan` finds after the first property name of `object`.
fn ahead_of(object: &str) -> Option<Ahead<'_>> {
    let after_name = object
        .match_indices('"')
        .nth(1)
        .map(|(at, _)| at)
        .expect("a property name");
    scan(&object.as_bytes()[after_name..]).0
}

#[test]
fn the_type_after_properties_is_found() {
    let object = r##"{"id":"1","n":2,"@odata.type":"#microsoft.graph.user"}"##;
    assert_eq!(
        ahead_of(object),
        Some(Ahead::Type(b"#microsoft.graph.user"))
    );
}
