//! The typed variant of a polymorphic enum that an `@odata.type` names, found in a few
//! steps whatever the number of variants.
//!
//! Graph's larger hierarchies make enums of hundreds of types (the audit records of
//! `microsoft.graph.security.auditData`, the types derived from `entity`), whose names share
//! long prefixes and suffixes: a search in declaration order compares a name with each of
//! them. Instead, each enum's types are placed, when the enum is compiled, in a table of
//! slots by a hash of their names ([`type_index`]); reading an object hashes its type once
//! and compares it with the names in the few slots from the one it leads to ([`find`]).

/// The slots of the table of `types`, for [`Polymorphic::INDEX`](super::Polymorphic::INDEX):
/// each holds 0 when empty, or the index in `types` of a type plus one. `SLOTS` is a power
/// of two at least twice the number of types: at most half the slots are taken, and a search
/// for a name not in the table stops at an empty one. A type listed twice is found at its
/// first place, as a search in order would.
///
/// Evaluated when the enum is compiled: a `SLOTS` that breaks these rules fails the build.
pub const fn type_index<const SLOTS: usize>(types: &[&str]) -> [u16; SLOTS] {
    assert!(
        SLOTS.is_power_of_two(),
        "the slots of a type index are a power of two"
    );
    assert!(
        types.len() <= SLOTS / 2 && types.len() < u16::MAX as usize,
        "a type index has at least twice as many slots as types"
    );
    let mut slots = [0; SLOTS];
    let mut index = 0;
    while index < types.len() {
        let mut slot = home(without_hash(types[index].as_bytes()), SLOTS - 1);
        while slots[slot] != 0 {
            slot = (slot + 1) & (SLOTS - 1);
        }
        // At most `u16::MAX - 1` types (asserted above).
        slots[slot] = index as u16 + 1;
        index += 1;
    }
    slots
}

/// The index in `types` of the type `found` names, with or without its `#`: by the table
/// `index` that [`type_index`] built of `types`, or, when `index` is empty, by a search in
/// order (cheaper than hashing the name for an enum of few types).
#[inline]
pub(super) fn find(types: &[&str], index: &[u16], found: &[u8]) -> Option<usize> {
    let found = without_hash(found);
    let same = |known: &&str| without_hash(known.as_bytes()) == found;
    if index.is_empty() {
        return types.iter().position(same);
    }
    let mask = index.len() - 1;
    let mut slot = home(found, mask);
    // A table built by `type_index` has an empty slot; bounded all the same.
    for _ in 0..index.len() {
        let variant = usize::from(*index.get(slot)?).checked_sub(1)?;
        if types.get(variant).is_some_and(same) {
            return Some(variant);
        }
        slot = (slot + 1) & mask;
    }
    None
}

/// `name` without the `#` that a type name has on the wire and may lack.
const fn without_hash(name: &[u8]) -> &[u8] {
    match name {
        [b'#', rest @ ..] => rest,
        _ => name,
    }
}

/// The first slot `name` is looked for in, of a table of `mask + 1` slots: a hash of its
/// length and of every eight bytes of it. The names of one hierarchy share their namespace
/// and often their last word (`AuditRecord`, `Configuration`), and differ anywhere between:
/// a hash of a few of its words leads names of one length that differ elsewhere to one slot.
///
/// Each word is mixed in by a product with an odd constant, which maps distinct values to
/// distinct values: two names of one length that differ in any word end with different
/// values. A last 128-bit product, whose high half carries a difference in any bit down to
/// the bits the slot is taken from, spreads that value over the slots.
const fn home(name: &[u8], mask: usize) -> usize {
    let mut hash = name.len() as u64;
    let mut rest = name;
    while let Some((word, after)) = rest.split_first_chunk::<8>() {
        hash = (hash ^ u64::from_le_bytes(*word)).wrapping_mul(MIX);
        rest = after;
    }
    // The bytes after the last whole word: the last eight again, or a name shorter than eight.
    let last = match name.last_chunk::<8>() {
        Some(word) => u64::from_le_bytes(*word),
        None => short_word(name),
    };
    let product = (hash ^ last) as u128 * MIX as u128;
    ((product as u64 ^ (product >> 64) as u64) >> 40) as usize & mask
}

/// An odd constant of mixed bits.
const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

/// The bytes of a name shorter than eight bytes, as a word.
const fn short_word(name: &[u8]) -> u64 {
    let mut word = 0;
    let mut at = 0;
    while at < name.len() {
        word |= (name[at] as u64) << (8 * at);
        at += 1;
    }
    word
}

#[cfg(test)]
mod tests {
    use super::{find, home, type_index};

    const TYPES: &[&str] = &[
        "#microsoft.graph.iosGeneralDeviceConfiguration",
        "#microsoft.graph.windows10GeneralConfiguration",
        "#microsoft.graph.security.exchangeAdminAuditRecord",
        "#microsoft.graph.security.exchangeMailboxAuditRecord",
        "#a",
        "#",
        "#microsoft.graph.windows10GeneralConfiguration",
    ];
    const INDEX: &[u16] = &type_index::<16>(TYPES);

    #[test]
    fn every_type_is_found_at_its_first_place_with_or_without_its_hash() {
        for (expected, name) in TYPES.iter().enumerate().take(6) {
            assert_eq!(
                find(TYPES, INDEX, name.as_bytes()),
                Some(expected),
                "{name}"
            );
            let bare = &name.as_bytes()[1..];
            assert_eq!(find(TYPES, INDEX, bare), Some(expected), "{name}");
        }
    }

    #[test]
    fn other_names_are_not_found() {
        for name in [
            "#microsoft.graph.windows10GeneralConfiguratio",
            "#microsoft.graph.Windows10GeneralConfiguration",
            "##microsoft.graph.windows10GeneralConfiguration",
            "#microsoft.graph.security.exchangeAdminAuditRecorD",
            "#b",
        ] {
            assert_eq!(find(TYPES, INDEX, name.as_bytes()), None, "{name}");
        }
        // `#` alone names the type `""` listed as `#`.
        assert_eq!(find(TYPES, INDEX, b""), Some(5));
    }

    #[test]
    fn without_a_table_the_types_are_searched_in_order() {
        for (expected, name) in TYPES.iter().enumerate().take(6) {
            assert_eq!(find(TYPES, &[], name.as_bytes()), Some(expected), "{name}");
            assert_eq!(
                find(TYPES, &[], &name.as_bytes()[1..]),
                Some(expected),
                "{name}"
            );
        }
        assert_eq!(find(TYPES, &[], b"#b"), None);
    }

    #[test]
    fn a_thousand_names_alike_are_each_found() {
        // As the types derived from `entity`: one namespace, one last word, every length.
        let names: Vec<String> = (0..1_000)
            .map(|i| format!("#microsoft.graph.{}{i}Configuration", "x".repeat(i % 7)))
            .collect();
        let names: Vec<&'static str> = names
            .into_iter()
            .map(|name| &*Box::leak(name.into_boxed_str()))
            .collect();
        let index = build(&names);
        for (expected, name) in names.iter().enumerate() {
            assert_eq!(find(&names, &index, name.as_bytes()), Some(expected));
        }
        assert_eq!(
            find(&names, &index, b"#microsoft.graph.1000Configuration"),
            None
        );
    }

    #[test]
    fn a_table_without_an_empty_slot_ends_its_search() {
        // Not one `type_index` builds: the search stops after a round of the slots.
        assert_eq!(find(TYPES, &[1, 2, 3, 4], b"#b"), None);
        assert_eq!(find(TYPES, &[9, 9], b"#a"), None);
    }

    #[test]
    fn names_of_one_length_and_last_word_lead_to_different_slots() {
        // Types of `microsoft.graph.security.auditData`, of one length: the eight bytes at
        // their middle are `security` and the last eight `itRecord` for all three.
        let homes: Vec<usize> = ["kaizala", "powerBI", "project"]
            .iter()
            .map(|name| {
                let name = format!("microsoft.graph.security.{name}AuditRecord");
                home(name.as_bytes(), 1023)
            })
            .collect();
        assert!(
            homes[0] != homes[1] && homes[1] != homes[2] && homes[0] != homes[2],
            "{homes:?}"
        );
    }

    #[test]
    fn names_alike_are_found_in_a_few_slots() {
        // Numbered names of one namespace and one last word, of three lengths: a hash of
        // some of their words, not all, leads them to three slots.
        for format in [
            |i: usize| format!("#microsoft.graph.{i}Configuration"),
            |i: usize| format!("#microsoft.graph.generated{i}Configuration"),
            |i: usize| format!("#microsoft.graph.security.t{i:04}AuditRecord"),
        ] {
            let names: Vec<&'static str> = (0..1_000)
                .map(|i| &*Box::leak(format(i).into_boxed_str()))
                .collect();
            let index = build(&names);
            let probes: Vec<usize> = names
                .iter()
                .enumerate()
                .map(|(variant, name)| probes(&index, variant, name))
                .collect();
            let total: usize = probes.iter().sum();
            let worst = probes.iter().max().copied().unwrap_or(0);
            assert!(
                total <= 2 * names.len() && worst <= 32,
                "{}: {total} slots for {} names, {worst} at worst",
                names[0],
                names.len()
            );
        }
    }

    /// The slots a search for `types[variant]`, named `name`, visits up to its own.
    fn probes(index: &[u16], variant: usize, name: &str) -> usize {
        let mask = index.len() - 1;
        let mut slot = home(&name.as_bytes()[1..], mask);
        let mut visited = 1;
        while usize::from(index[slot]) != variant + 1 {
            slot = (slot + 1) & mask;
            visited += 1;
        }
        visited
    }

    /// `type_index` at run time, for a list of names made by the test.
    fn build(names: &[&str]) -> Vec<u16> {
        type_index::<2048>(names).to_vec()
    }
}
