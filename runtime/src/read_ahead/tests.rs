use bytes::Bytes;

use super::{Ahead, Lent, lend, scan, type_after, walk};

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

#[test]
fn a_walk_skips_what_is_nested_and_stops_at_the_objects_end() {
    let walked = |object: &'static str| {
        let after_name = object.find("\":").expect("a property name");
        walk(&object.as_bytes()[after_name..]).0
    };
    let nested = r##"{"a":{"@odata.type":"#inner","b":[{"c":"}"}]},"@odata.type":"#outer"}"##;
    assert_eq!(walked(nested), Some(Ahead::Type(b"#outer")));
    assert_eq!(
        walked(r#"{"a":{"b":1},"c":"{"}, "d": 2"#),
        Some(Ahead::Untyped)
    );
    // An escaped name may be `@odata.type`; an escaped type, cut text or a list's end
    // cannot be told.
    assert_eq!(walked(r##"{"a":1,"@odata\u002etype":"#x"}"##), None);
    assert_eq!(walked(r##"{"a":1,"@odata.type":"#\u0078"}"##), None);
    assert_eq!(walked(r##"{"a":1,"@odata.type":"#x"##), None);
    assert_eq!(walked(r#"{"a":1]"#), None);
}

#[test]
fn looking_ahead_stops_once_twice_the_text_was_looked_over() {
    let text = format!(r#"{{"a":"{}","@odata.type":"x"}}"#, " ".repeat(1000));
    let body = Bytes::from(text);
    let key = std::str::from_utf8(&body[2..3]).expect("the name `a`");
    let whole = std::str::from_utf8(&body).expect("UTF-8");
    let looks = lend(Lent::Bytes(body.clone()), whole, || {
        (0..100)
            .take_while(|_| type_after(key, |ahead| Some(ahead == Ahead::Type(b"x"))) == Some(true))
            .count()
    });
    // Each look covers the rest of the object, 1,023 bytes, out of 2 x 1,026 + 4,096.
    assert_eq!(looks, 6);
    // Text not on loan is not looked at.
    assert_eq!(type_after(key, |_| Some(())), None);
}
