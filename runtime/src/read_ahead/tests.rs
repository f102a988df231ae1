use bytes::Bytes;

use super::{
    Ahead, WALKED, WALKS, depth_in_lent, lend, lending, lent, scan, type_after, walk,
    with_value_after,
};

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
    let looks = lend(&body, || {
        (0..100)
            .take_while(|_| type_after(key, |ahead| Some(ahead == Ahead::Type(b"x"))) == Some(true))
            .count()
    });
    // Each look covers the rest of the object, 1,023 bytes, out of 2 x 1,026 + 4,096.
    assert_eq!(looks, 6);
    // Text not on loan is not looked at.
    assert_eq!(type_after(key, |_| Some(())), None);
}

/// How many arrays and objects are open at each offset of `text`, counted naively.
fn open_at_each(text: &[u8]) -> Vec<usize> {
    let (mut open, mut in_string, mut escaped) = (0usize, false, false);
    let mut each = Vec::with_capacity(text.len());
    for &byte in text {
        each.push(open);
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => open += 1,
            b']' | b'}' => open -= 1,
            _ => {}
        }
    }
    each
}

#[test]
fn the_depth_in_lent_text_is_found_forward_backward_and_past_many_kibibytes() {
    let item = r#"{"a":[1,{"b":"x]\"}{"}],"c":{"d":[[]]}},"#;
    let text = format!("[{}0]", item.repeat(600));
    assert!(text.len() > 5 * 4096);
    let expected = open_at_each(text.as_bytes());
    let body = Bytes::from(text);
    let base = body.as_ptr() as usize;
    // In order, then from the end back to the start, then at random.
    let mut offsets: Vec<usize> = (0..body.len()).step_by(7).collect();
    offsets.extend((0..body.len()).rev().step_by(5));
    let mut rng = fastrand::Rng::with_seed(7);
    offsets.extend((0..2000).map(|_| rng.usize(..body.len())));
    lend(&body, || {
        for offset in offsets {
            assert_eq!(
                depth_in_lent(base + offset),
                Some(expected[offset]),
                "at {offset}"
            );
        }
        assert_eq!(depth_in_lent(base + body.len()), None);
    });
    // Outside a loan, nothing is known.
    assert_eq!(depth_in_lent(base), None);
}

#[test]
fn the_depth_in_a_part_of_lent_text_counts_from_the_part() {
    let body = Bytes::from_static(br#"{"responses":[{"body":{"a":[1]}}]}"#);
    let whole = std::str::from_utf8(&body).expect("UTF-8");
    let start = whole.find(r#"{"a""#).expect("the item's body");
    let part = body.slice(start..start + 11);
    let base = whole.as_ptr() as usize;
    lend(&part, || {
        assert_eq!(depth_in_lent(base + start), Some(0));
        assert_eq!(depth_in_lent(base + start + 5), Some(1));
        assert_eq!(depth_in_lent(base + start + 6), Some(2));
        assert_eq!(depth_in_lent(base + 2), None);
    });
}

#[test]
fn a_loan_inside_another_leaves_the_enclosing_walk_where_it_stopped() {
    let text = format!("[{}0]", "[1],".repeat(3000));
    let body = Bytes::from(text);
    let base = body.as_ptr() as usize;
    let inner = Bytes::from_static(b"[[[1]]]");
    // Where the walk of the loan under way stopped.
    let walk_state = || {
        let walks = WALKS.take();
        let walked = walks.as_ref().map(|walks| walks.last.at);
        assert_eq!(walked.is_some(), WALKED.get());
        WALKS.set(walks);
        walked
    };
    lend(&body, || {
        // Each item is `[1],`: its `[` has one array open before it, its `]` two.
        assert_eq!(depth_in_lent(base + 10_001), Some(1));
        assert_eq!(walk_state(), Some(10_001));
        lend(&inner, || {
            // The inner text is walked apart, from its own start.
            assert_eq!(depth_in_lent(inner.as_ptr() as usize + 3), Some(3));
            assert_eq!(walk_state(), Some(3));
            // Text of the enclosing loan is not on loan now.
            assert_eq!(depth_in_lent(base + 10_003), None);
        });
        // Back in the enclosing loan, its walk goes on from where it stopped, also after a
        // loan that asked for no depth.
        assert_eq!(walk_state(), Some(10_001));
        lend(&inner, || {
            assert_eq!(depth_in_lent(base + 10_003), None);
            assert_eq!(walk_state(), None);
        });
        assert_eq!(walk_state(), Some(10_001));
        assert_eq!(depth_in_lent(base + 10_003), Some(2));
        assert_eq!(walk_state(), Some(10_003));
    });
    // A walk ends with its loan.
    assert_eq!(walk_state(), None);
}

#[test]
fn a_loan_ends_with_its_read_also_when_the_read_unwinds() {
    fn nest(body: &Bytes, levels: usize) -> usize {
        lend(body, || {
            let below = if levels > 1 {
                nest(body, levels - 1)
            } else {
                0
            };
            assert!(lending());
            below + 1
        })
    }
    let body = Bytes::from_static(b"[[1]]");
    assert_eq!(nest(&body, 100), 100);
    assert!(!lending());
    let outer = Bytes::from_static(br##"{"a":1,"@odata.type":"#outer"}"##);
    let outer_text = std::str::from_utf8(&outer).expect("UTF-8");
    let key = &outer_text[2..3];
    lend(&outer, || {
        let unwound = std::panic::catch_unwind(|| {
            lend(&body, || panic!("a read that fails"));
        });
        assert!(unwound.is_err());
        // The enclosing loan is on loan again.
        assert!(lending());
        assert_eq!(
            type_after(key, |ahead| Some(ahead == Ahead::Type(b"#outer"))),
            Some(true)
        );
    });
    assert!(!lending());
    // An empty body is on loan too: `lending` tells a loan by its span's end, never zero.
    for empty in [
        Bytes::new(),
        Bytes::from(Vec::new()),
        Bytes::from_static(b""),
    ] {
        lend(&empty, || assert!(lending()));
        assert!(!lending());
    }
}

/// The name `@a` that `body` starts with, as serde_json lends it.
fn first_name(body: &Bytes) -> &str {
    std::str::from_utf8(&body[2..4]).expect("the name `@a`")
}

#[test]
fn the_value_after_a_lent_name_is_found_whole_in_the_text_on_loan() {
    let cases = [
        (r#"{"@a":"x","b":1}"#, r#""x""#),
        (r#"{"@a" :  "q\"}],\\" , "b":1}"#, r#""q\"}],\\""#),
        (r#"{"@a":12.50e+3,"b":1}"#, "12.50e+3"),
        (r#"{"@a":-0}"#, "-0"),
        ("{\"@a\":true\r\n}", "true"),
        (r#"{"@a":null ,"b":[]}"#, "null"),
        (
            r#"{"@a":{"b":["}",{"c":"]"}],"d":{}},"e":2}"#,
            r#"{"b":["}",{"c":"]"}],"d":{}}"#,
        ),
        ("{\"@a\":\n\t[[1,2],[]]}", "[[1,2],[]]"),
        (r#"{"@a":{}}"#, "{}"),
    ];
    for (object, value) in cases {
        let body = Bytes::from(object);
        let name = first_name(&body);
        let found = lend(&body, || {
            assert!(lent(name), "{object}");
            with_value_after(name, str::to_owned)
        });
        assert_eq!(found.as_deref(), Some(value), "{object}");
    }
}

#[test]
fn a_name_is_lent_only_from_the_text_on_loan_while_it_is_on_loan() {
    let body = Bytes::from_static(br#"{"@a":1}"#);
    let name = first_name(&body);
    let copy = name.to_owned();
    assert!(!lent(name));
    assert_eq!(with_value_after(name, |_| ()), None);
    lend(&body, || {
        assert!(lent(name));
        assert!(!lent(&copy));
        assert_eq!(with_value_after(&copy, |_| ()), None);
        // Another body read meanwhile is on loan instead, and then this one again.
        let inner = Bytes::from_static(br#"{"@a":2}"#);
        let inner_name = first_name(&inner);
        lend(&inner, || {
            assert!(!lent(name));
            assert!(lent(inner_name));
            assert_eq!(with_value_after(name, |_| ()), None);
            assert_eq!(
                with_value_after(inner_name, str::to_owned).as_deref(),
                Some("2")
            );
        });
        assert!(lent(name));
        assert_eq!(with_value_after(name, str::to_owned).as_deref(), Some("1"));
    });
    assert!(!lent(name));
    // A name that ends the text has no closing quote there, and is not lent.
    let cut = Bytes::from_static(br#"{"@a"#);
    lend(&cut, || assert!(!lent(first_name(&cut))));
}
