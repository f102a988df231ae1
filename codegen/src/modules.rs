//! The generated source as a directory of modules, none over [`MAX_LINES`] lines unless one
//! item alone is: `mod.rs` declares and re-exports them, each holds the items of one
//! [`Group`], in order, and reads the others' through `use super::*`.

use crate::emit::{Emitted, Group};

/// The most lines a module is given, unless one item alone has more.
pub const MAX_LINES: usize = 600;

/// The files of `emitted` as a module: `mod.rs` first, then one file per part of each group,
/// each named (`types_03.rs`) and holding its text.
pub fn split(emitted: &Emitted) -> Vec<(String, String)> {
    let groups = [
        (Group::Types, "types"),
        (Group::Kinds, "kinds"),
        (Group::Bodies, "bodies"),
        (Group::Enums, "enums"),
        (Group::EntryPoints, "entry_points"),
    ];
    let preamble = "\n#[allow(unused_imports)]\nuse super::*;\n";
    let fixed_lines = lines(&emitted.header) + lines(preamble);
    let mut root = emitted.header.clone();
    let mut files = Vec::new();
    for (group, stem) in groups {
        let items: Vec<&str> = (emitted.items.iter())
            .filter(|(of, _)| *of == group)
            .map(|(_, text)| text.as_str())
            .collect();
        let mut parts: Vec<Vec<&str>> = Vec::new();
        let mut length = 0;
        for item in items {
            match parts.last_mut() {
                Some(part) if fixed_lines + length + lines(item) <= MAX_LINES => {
                    part.push(item);
                    length += lines(item);
                }
                _ => {
                    parts.push(vec![item]);
                    length = lines(item);
                }
            }
        }
        let numbered = parts.len() > 1;
        for (index, part) in parts.iter().enumerate() {
            let name = match numbered {
                true => format!("{stem}_{:02}", index + 1),
                false => stem.to_owned(),
            };
            let first = part.first().and_then(|item| declared(item)).unwrap_or("?");
            let last = part.last().and_then(|item| declared(item)).unwrap_or("?");
            root.push_str(&format!(
                "\n/// {}: `{first}` to `{last}`.\nmod {name};\npub use {name}::*;\n",
                describe(group)
            ));
            let mut text = emitted.header.clone();
            text.push_str(preamble);
            text.extend(part.iter().copied());
            files.push((format!("{name}.rs"), text));
        }
    }
    files.insert(0, ("mod.rs".to_owned(), root));
    files
}

fn describe(group: Group) -> &'static str {
    match group {
        Group::Types => "Entity and complex types",
        Group::Kinds => "Polymorphic enums",
        Group::Bodies => "Parameter bodies of actions",
        Group::Enums => "Enumerations",
        Group::EntryPoints => "Entity sets and singletons",
    }
}

fn lines(text: &str) -> usize {
    text.lines().count()
}

/// The name an item's text declares: what follows `pub struct`, `pub enum` or `pub fn`.
fn declared(item: &str) -> Option<&str> {
    item.lines().find_map(|line| {
        let rest = (line.strip_prefix("pub struct "))
            .or_else(|| line.strip_prefix("pub enum "))
            .or_else(|| line.strip_prefix("pub fn "))?;
        rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, lines: usize) -> String {
        let mut text = format!("\n/// `{name}`.\npub struct {name} {{\n");
        text.push_str(&"    pub field: Option<String>,\n".repeat(lines.saturating_sub(4)));
        text.push_str("}\n");
        text
    }

    #[test]
    fn modules_hold_each_group_in_order_and_none_is_over_the_limit_unless_one_item_is() {
        let emitted = Emitted {
            header: "// header\n".to_owned(),
            items: vec![
                (Group::Types, item("Alpha", 250)),
                (Group::Types, item("Beta", 250)),
                (Group::Types, item("Gamma", 250)),
                (Group::Types, item("Huge", 900)),
                (Group::Enums, item("Colour", 10)),
            ],
        };
        let files = split(&emitted);
        let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "mod.rs",
                "types_01.rs",
                "types_02.rs",
                "types_03.rs",
                "enums.rs"
            ]
        );
        let (_, root) = &files[0];
        assert!(root.contains("/// Entity and complex types: `Alpha` to `Beta`.\nmod types_01;\npub use types_01::*;\n"), "{root}");
        assert!(
            root.contains("/// Enumerations: `Colour` to `Colour`.\nmod enums;\n"),
            "{root}"
        );
        for (name, text) in &files[1..] {
            assert!(text.starts_with("// header\n\n#[allow(unused_imports)]\nuse super::*;\n"));
            let lines = text.lines().count();
            assert!(
                lines <= MAX_LINES || text.contains("pub struct Huge"),
                "{name}: {lines}"
            );
        }
        // Together the modules hold every item once, in order.
        let items: String = files[1..]
            .iter()
            .map(|(_, text)| {
                text.split_once("use super::*;\n")
                    .map_or("", |(_, items)| items)
            })
            .collect();
        let expected: String = emitted
            .items
            .iter()
            .map(|(_, text)| text.as_str())
            .collect();
        assert_eq!(items, expected);
    }
}
