//! The part of a CSDL document that a selection reads, cut from the document's own text so
//! that what is kept reads exactly as the source wrote it.

use std::collections::{BTreeMap, BTreeSet};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::csdl::Schema;
use crate::select::{Item, Selection, resolve_path};
use crate::{Error, Options};

/// The types the subset keeps: every generated item, every member of a polymorphic enum's
/// family (whether a type has derived types shapes what is generated), the types the
/// paths pass through, and the bases of all of them.
fn kept_types(schema: &Schema, selection: &Selection, options: &Options) -> BTreeSet<String> {
    let mut derived: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for def in schema.types.values() {
        if let Some(base) = &def.base {
            derived.entry(base).or_default().push(&def.qualified);
        }
    }
    let mut queue: Vec<String> = Vec::new();
    for item in &selection.items {
        match item {
            Item::Struct(name) | Item::Enum(name) => queue.push(name.clone()),
            // An action's body: its parameters' types are items of their own.
            Item::Body(_) => {}
            Item::Kind(name) => {
                let mut family = vec![name.as_str()];
                while let Some(member) = family.pop() {
                    queue.push(member.to_owned());
                    family.extend(derived.get(member).into_iter().flatten());
                }
            }
        }
    }
    for path in &options.paths {
        let mut prefix = String::new();
        for segment in path.split('/').skip(1) {
            prefix.push('/');
            prefix.push_str(segment);
            if let Ok((ty, _)) = resolve_path(schema, &prefix) {
                queue.push(ty);
            }
        }
    }
    let mut kept = BTreeSet::new();
    while let Some(name) = queue.pop() {
        if let Some(base) = schema.types.get(&name).and_then(|def| def.base.clone()) {
            queue.push(base);
        }
        kept.insert(name);
    }
    kept
}

/// An open element and what is known about keeping it.
struct Frame {
    /// Its local name.
    name: String,
    /// Where its text starts, with the indentation before it.
    from: usize,
    /// Whether it goes (decided when it opens, or for operations when it closes).
    drop: bool,
    /// The namespace of a `Schema`.
    namespace: String,
    /// Children kept, for a `Schema` (an empty one goes).
    kept_children: usize,
    /// For an `Action` or `Function`: whether its first parameter binds it to a kept type,
    /// once that parameter has been read.
    bound: Option<bool>,
    /// For an `Action` or `Function`: whether every parameter and return type is kept.
    known: bool,
}

/// What the cut needs to know: kept types, kept entity sets and singletons, and the
/// schema aliases.
struct Cut {
    kept: BTreeSet<String>,
    container: BTreeSet<String>,
    aliases: BTreeMap<String, String>,
}

impl Cut {
    /// Whether a type reference (`graph.user`, `Collection(Edm.String)`) names a kept
    /// type; `Edm` primitives count as kept.
    fn keeps(&self, reference: &str) -> bool {
        let name = reference
            .strip_prefix("Collection(")
            .and_then(|rest| rest.strip_suffix(')'))
            .unwrap_or(reference);
        if name.starts_with("Edm.") {
            return true;
        }
        let qualified = match name.rsplit_once('.') {
            Some((prefix, local)) => match self.aliases.get(prefix) {
                Some(namespace) => format!("{namespace}.{local}"),
                None => name.to_owned(),
            },
            None => name.to_owned(),
        };
        self.kept.contains(&qualified)
    }
}

fn attribute(element: &BytesStart, name: &str) -> Result<String, Error> {
    match element.try_get_attribute(name) {
        Ok(Some(value)) => value
            .unescape_value()
            .map(|value| value.into_owned())
            .map_err(|error| Error::new(format!("attribute `{name}` cannot be read: {error}"))),
        Ok(None) => Ok(String::new()),
        Err(error) => Err(Error::new(format!("attributes cannot be read: {error}"))),
    }
}

/// Writes the subset of `csdl` for `selection`, with `notice` as a comment at its top.
pub fn write(
    csdl: &str,
    schema: &Schema,
    selection: &Selection,
    options: &Options,
    notice: Option<&str>,
) -> Result<String, Error> {
    let kept = kept_types(schema, selection, options);
    let container = schema
        .entity_sets
        .iter()
        .chain(&schema.singletons)
        .filter(|(_, ty)| kept.contains(*ty))
        .map(|(name, _)| name.clone())
        .collect();
    let cut = Cut {
        kept,
        container,
        aliases: aliases(csdl)?,
    };
    let drops = drops(csdl, &cut)?;
    let mut body = String::with_capacity(csdl.len() / 8);
    let mut at = 0;
    for (from, to) in drops {
        if from >= at {
            body.push_str(csdl.get(at..from).unwrap_or_default());
            at = to;
        }
    }
    body.push_str(csdl.get(at..).unwrap_or_default());
    // The XML declaration, if any, comes first; then the notice, then the root element.
    let body = body.trim_start();
    let (declaration, root) = match body.find("?>") {
        Some(end) if body.starts_with("<?xml") => body.split_at(end + 2),
        _ => ("", body),
    };
    let mut out = String::with_capacity(body.len() + notice.map_or(0, str::len) + 16);
    if !declaration.is_empty() {
        out.push_str(declaration);
        out.push('\n');
    }
    if let Some(notice) = notice {
        if notice.contains("--") {
            return Err(Error::new(
                "the schema notice cannot hold `--`, which ends an XML comment".to_owned(),
            ));
        }
        out.push_str("<!--\n");
        out.push_str(notice.trim_end());
        out.push_str("\n-->\n");
    }
    out.push_str(root.trim_start());
    Ok(out)
}

/// The alias of each schema that declares one, with its namespace.
fn aliases(csdl: &str) -> Result<BTreeMap<String, String>, Error> {
    let mut reader = Reader::from_str(csdl);
    let mut aliases = BTreeMap::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(element)) if element.local_name().as_ref() == b"Schema" => {
                let alias = attribute(&element, "Alias")?;
                if !alias.is_empty() {
                    aliases.insert(alias, attribute(&element, "Namespace")?);
                }
            }
            Ok(Event::Eof) => return Ok(aliases),
            Ok(_) => {}
            Err(error) => {
                return Err(Error::new(format!(
                    "the CSDL is not well-formed XML at byte {}: {error}",
                    reader.buffer_position()
                )));
            }
        }
    }
}

/// The byte ranges to leave out, each with the indentation before it, in document order of
/// their ends (an element's range covers those of its children).
fn drops(csdl: &str, cut: &Cut) -> Result<Vec<(usize, usize)>, Error> {
    let mut reader = Reader::from_str(csdl);
    let mut stack: Vec<Frame> = Vec::new();
    let mut drops = Vec::new();
    // Where the whitespace before the next element starts, when only whitespace came since
    // the last event.
    let mut indent: Option<usize> = None;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|error| {
            Error::new(format!(
                "the CSDL is not well-formed XML at byte {before}: {error}"
            ))
        })?;
        let after = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Event::Text(text) if text.iter().all(u8::is_ascii_whitespace) => {
                indent = Some(before);
                continue;
            }
            Event::Start(element) => {
                let frame = open(&element, indent.unwrap_or(before), &mut stack, cut)?;
                stack.push(frame);
            }
            Event::Empty(element) => {
                let frame = open(&element, indent.unwrap_or(before), &mut stack, cut)?;
                close(frame, after, &mut stack, &mut drops);
            }
            Event::End(_) => {
                if let Some(frame) = stack.pop() {
                    close(frame, after, &mut stack, &mut drops);
                }
            }
            // A comment before the root (the notice of a subset cut from a subset) is the
            // source's, not the subset's.
            Event::Comment(_) if stack.is_empty() => drops.push((before, after)),
            Event::Eof => break,
            _ => {}
        }
        indent = None;
    }
    drops.sort_unstable();
    Ok(drops)
}

/// The frame of an element that opens inside `stack`, with what its parent learns from it.
fn open(element: &BytesStart, from: usize, stack: &mut [Frame], cut: &Cut) -> Result<Frame, Error> {
    let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
    let mut frame = Frame {
        name,
        from,
        drop: false,
        namespace: String::new(),
        kept_children: 0,
        bound: None,
        known: true,
    };
    let namespace = stack
        .iter()
        .rev()
        .find(|frame| frame.name == "Schema")
        .map(|frame| frame.namespace.clone())
        .unwrap_or_default();
    let parent = stack.last_mut();
    let parent_name = parent.as_ref().map(|p| p.name.as_str()).unwrap_or_default();
    match (parent_name, frame.name.as_str()) {
        (_, "Schema") => frame.namespace = attribute(element, "Namespace")?,
        ("Schema", "EntityType" | "ComplexType" | "EnumType") => {
            let qualified = format!("{namespace}.{}", attribute(element, "Name")?);
            frame.drop = !cut.kept.contains(&qualified);
        }
        ("Schema", "Action" | "Function") => {
            frame.drop = attribute(element, "IsBound")? != "true";
        }
        ("Schema", "EntityContainer") => {}
        ("Schema", _) => frame.drop = true,
        ("EntityType" | "ComplexType", "Property" | "NavigationProperty") => {
            frame.drop = !cut.keeps(&attribute(element, "Type")?);
        }
        ("EntityContainer", "EntitySet" | "Singleton") => {
            frame.drop = !cut.container.contains(&attribute(element, "Name")?);
        }
        ("EntityContainer", _) => frame.drop = true,
        ("EntitySet" | "Singleton", "NavigationPropertyBinding") => {
            let target = attribute(element, "Target")?;
            let first = target.split('/').next().unwrap_or_default();
            frame.drop = !cut.container.contains(first);
        }
        ("Action" | "Function", "Parameter" | "ReturnType") => {
            let ty = attribute(element, "Type")?;
            if let Some(parent) = parent {
                let keeps = cut.keeps(&ty);
                if parent.bound.is_none() && frame.name == "Parameter" {
                    parent.bound = Some(keeps && !ty.starts_with("Edm."));
                }
                parent.known &= keeps;
            }
        }
        _ => {}
    }
    Ok(frame)
}

/// Closes `frame` at byte `to`: records its range when it goes, and counts it in its
/// parent when it stays.
fn close(frame: Frame, to: usize, stack: &mut [Frame], drops: &mut Vec<(usize, usize)>) {
    let operation = matches!(frame.name.as_str(), "Action" | "Function");
    let drop = frame.drop
        || (operation && !(frame.bound == Some(true) && frame.known))
        || (frame.name == "Schema" && frame.kept_children == 0);
    if drop {
        drops.push((frame.from, to));
    } else if let Some(parent) = stack.last_mut() {
        parent.kept_children += 1;
    }
}
