//! What to generate: the selected types and everything they need (bases, property types,
//! polymorphic enums of derived types), and the paths that resolve to them.

use std::collections::{BTreeMap, BTreeSet};

use crate::csdl::{Kind, Schema, TypeDef, TypeRef};
use crate::{Derived, Error, Options};

/// One generated item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Item {
    /// A struct for an entity or complex type.
    Struct(String),
    /// A string enum (or flag enum) for an enum type.
    Enum(String),
    /// A polymorphic enum of a type and its derived types.
    Kind(String),
    /// The parameters of a bound action, as its body: the index of the operation in the
    /// schema.
    Body(usize),
}

/// Where a `--path` leads.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The path as given.
    pub path: String,
    /// Whether it names a single entity (a singleton or a single-valued navigation).
    pub singleton: bool,
    /// Whether it names a collection whose type has a bound `delta` function.
    pub delta: bool,
}

/// The selection and its closure.
pub struct Selection<'s> {
    /// The schema.
    pub schema: &'s Schema,
    /// Every item to generate.
    pub items: BTreeSet<Item>,
    /// The typed variants of each polymorphic enum, by qualified type name.
    pub kinds: BTreeMap<String, Vec<String>>,
    /// The paths of the items that have one: the polymorphic enum of a type with derived
    /// types (so that each member reads as its own type), else the type's struct.
    pub paths: BTreeMap<Item, Resolved>,
    /// The bound actions and functions of each generated entity type, by qualified type
    /// name: indexes into the schema's operations.
    pub operations: BTreeMap<String, Vec<usize>>,
    /// The types directly derived from each type.
    derived: BTreeMap<String, Vec<String>>,
}

impl<'s> Selection<'s> {
    /// Selects what `options` asks for and closes over what it needs.
    pub fn new(schema: &'s Schema, options: &Options) -> Result<Selection<'s>, Error> {
        let mut derived: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for def in schema.types.values() {
            if let Some(base) = &def.base {
                derived
                    .entry(base.clone())
                    .or_default()
                    .push(def.qualified.clone());
            }
        }
        let mut selection = Selection {
            schema,
            items: BTreeSet::new(),
            kinds: BTreeMap::new(),
            paths: BTreeMap::new(),
            operations: BTreeMap::new(),
            derived,
        };
        let mut roots = Vec::new();
        for name in &options.types {
            roots.push(selection.find_type(name)?.qualified.clone());
        }
        let mut paths: BTreeMap<String, Resolved> = BTreeMap::new();
        for path in &options.paths {
            let (ty, singleton) = resolve_path(schema, path)?;
            // The first path to a type is its `path`; the others are reached through entry
            // points and navigation.
            paths.entry(ty.clone()).or_insert_with(|| Resolved {
                path: path.clone(),
                singleton,
                delta: !singleton && schema.delta.contains(&ty),
            });
            if selection.has_derived(&ty) {
                selection.add(Item::Kind(ty.clone()), options.derived);
            }
            roots.push(ty);
        }
        if options.all {
            for def in schema.types.values() {
                roots.push(def.qualified.clone());
                if def.kind != Kind::Enum && selection.has_derived(&def.qualified) {
                    selection.add(Item::Kind(def.qualified.clone()), options.derived);
                }
            }
        }
        if roots.is_empty() {
            return Err(Error::new(
                "nothing selected: give `--type`, `--path` or `--all`".to_owned(),
            ));
        }
        for root in roots {
            let item = match selection.def(&root).map(|d| d.kind) {
                Some(Kind::Enum) => Item::Enum(root),
                _ => Item::Struct(root),
            };
            selection.add(item, options.derived);
        }
        selection.add_operations(options.derived);
        selection.choose_variants(options.derived);
        for (ty, resolved) in paths {
            // Without a polymorphic enum (no concrete derived type to list), the struct.
            let item = if selection.kinds.contains_key(&ty) {
                Item::Kind(ty)
            } else {
                Item::Struct(ty)
            };
            selection.paths.insert(item, resolved);
        }
        Ok(selection)
    }

    /// The definition of a type, when it is not an `Edm` primitive.
    pub fn def(&self, name: &str) -> Option<&'s TypeDef> {
        self.schema.types.get(name)
    }

    /// Whether any type derives from `name`.
    pub fn has_derived(&self, name: &str) -> bool {
        self.derived.contains_key(name)
    }

    /// `name` and every type derived from it, directly or not, sorted.
    fn family(&self, name: &str) -> Vec<String> {
        let mut out = BTreeSet::new();
        let mut queue = vec![name.to_owned()];
        while let Some(next) = queue.pop() {
            if out.insert(next.clone()) {
                queue.extend(self.derived.get(&next).into_iter().flatten().cloned());
            }
        }
        out.into_iter().collect()
    }

    /// `microsoft.graph.x`, `graph.x` (an alias) or `x` (in `microsoft.graph`).
    fn find_type(&self, name: &str) -> Result<&'s TypeDef, Error> {
        let candidates = [
            name.to_owned(),
            format!("microsoft.graph.{name}"),
            name.strip_prefix("graph.")
                .map(|rest| format!("microsoft.graph.{rest}"))
                .unwrap_or_default(),
        ];
        if let Some(def) = candidates.iter().find_map(|c| self.def(c)) {
            return Ok(def);
        }
        let short = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
        let similar: Vec<&str> = self
            .schema
            .types
            .values()
            .filter(|d| d.name.to_ascii_lowercase().contains(&short))
            .map(|d| d.qualified.as_str())
            .take(20)
            .collect();
        Err(Error::new(format!(
            "unknown type `{name}`; {}",
            if similar.is_empty() {
                "no type has a similar name".to_owned()
            } else {
                format!("similar: {}", similar.join(", "))
            }
        )))
    }

    /// Adds `item` and what it needs.
    fn add(&mut self, item: Item, mode: Derived) {
        let mut queue = vec![item];
        while let Some(item) = queue.pop() {
            if !self.items.insert(item.clone()) {
                continue;
            }
            match item {
                Item::Enum(_) | Item::Body(_) => {}
                Item::Kind(name) => {
                    if mode == Derived::All {
                        for member in self.family(&name) {
                            if self.def(&member).is_some_and(|d| !d.is_abstract) {
                                queue.push(Item::Struct(member));
                            }
                        }
                    } else if self.def(&name).is_some_and(|d| !d.is_abstract) {
                        queue.push(Item::Struct(name));
                    }
                }
                Item::Struct(name) => {
                    let Some(def) = self.def(&name) else { continue };
                    if let Some(base) = &def.base {
                        queue.push(Item::Struct(base.clone()));
                    }
                    for property in &def.properties {
                        queue.extend(self.item_for(&property.ty));
                    }
                }
            }
        }
    }

    /// The bound operations of every generated entity type, and what their parameters and
    /// answers need, until nothing new comes in.
    fn add_operations(&mut self, mode: Derived) {
        let mut done = BTreeSet::new();
        loop {
            let mut added = Vec::new();
            for (index, operation) in self.schema.operations.iter().enumerate() {
                let bound = Item::Struct(operation.binding.name.clone());
                let entity = self
                    .def(&operation.binding.name)
                    .is_some_and(|d| d.kind == Kind::Entity);
                if !entity || !self.items.contains(&bound) || !done.insert(index) {
                    continue;
                }
                self.operations
                    .entry(operation.binding.name.clone())
                    .or_default()
                    .push(index);
                if operation.action && !operation.parameters.is_empty() {
                    added.push(Item::Body(index));
                }
                let types = operation
                    .parameters
                    .iter()
                    .map(|p| &p.ty)
                    .chain(&operation.returns);
                added.extend(types.filter_map(|ty| self.item_for(ty)));
            }
            if added.is_empty() {
                return;
            }
            for item in added {
                self.add(item, mode);
            }
        }
    }

    /// The item a property of type `ty` needs, if any.
    pub fn item_for(&self, ty: &TypeRef) -> Option<Item> {
        let def = self.def(&ty.name)?;
        Some(match def.kind {
            Kind::Enum => Item::Enum(def.qualified.clone()),
            _ if self.has_derived(&def.qualified) => Item::Kind(def.qualified.clone()),
            _ => Item::Struct(def.qualified.clone()),
        })
    }

    /// The typed variants of each polymorphic enum: the concrete members of the family,
    /// all of them or those generated anyway.
    fn choose_variants(&mut self, mode: Derived) {
        let kinds: Vec<String> = self
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Kind(name) => Some(name.clone()),
                _ => None,
            })
            .collect();
        for name in kinds {
            let variants: Vec<String> = self
                .family(&name)
                .into_iter()
                .filter(|member| self.def(member).is_some_and(|d| !d.is_abstract))
                .filter(|member| {
                    mode == Derived::All || self.items.contains(&Item::Struct(member.clone()))
                })
                .collect();
            if variants.is_empty() {
                // Nothing to dispatch to: properties of this type hold an untyped resource.
                self.items.remove(&Item::Kind(name));
            } else {
                self.kinds.insert(name, variants);
            }
        }
    }
}

/// Follows `path` from the entity container to the type it names; `true` when it names a
/// single entity rather than a collection.
pub fn resolve_path(schema: &Schema, path: &str) -> Result<(String, bool), Error> {
    enum At {
        Root,
        Collection(String),
        Member(String),
        Single(String),
    }
    let fail = |segment: &str, index: usize, why: String| {
        Error::new(format!(
            "path `{path}`: segment {} `{segment}` {why}",
            index + 1
        ))
    };
    let Some(rest) = path.strip_prefix('/') else {
        return Err(Error::new(format!("path `{path}` must start with `/`")));
    };
    let mut at = At::Root;
    for (index, segment) in rest.split('/').enumerate() {
        let is_key = (segment.starts_with('<') && segment.ends_with('>'))
            || (segment.starts_with('{') && segment.ends_with('}'));
        at = match at {
            At::Root => {
                if let Some(ty) = schema.entity_sets.get(segment) {
                    At::Collection(ty.clone())
                } else if let Some(ty) = schema.singletons.get(segment) {
                    At::Single(ty.clone())
                } else {
                    let names = schema.entity_sets.keys().chain(schema.singletons.keys());
                    return Err(fail(
                        segment,
                        index,
                        format!(
                            "is not an entity set or singleton; candidates: {}",
                            candidates(segment, names)
                        ),
                    ));
                }
            }
            At::Collection(ty) => {
                if !is_key {
                    return Err(fail(
                        segment,
                        index,
                        format!(
                            "follows a collection of `{ty}`: expected a key placeholder such as `<>`"
                        ),
                    ));
                }
                At::Member(ty)
            }
            At::Member(ty) | At::Single(ty) => {
                let mut navigations = Vec::new();
                let mut current = schema.types.get(&ty);
                while let Some(def) = current {
                    navigations.extend(def.navigation.iter());
                    current = def.base.as_ref().and_then(|b| schema.types.get(b));
                }
                let contained = navigations.iter().filter(|n| n.contains_target);
                let found = navigations.iter().find(|n| n.name == segment);
                match found {
                    Some(n) if n.contains_target && n.ty.collection => {
                        At::Collection(n.ty.name.clone())
                    }
                    Some(n) if n.contains_target => At::Single(n.ty.name.clone()),
                    _ => {
                        let why = if found.is_some() {
                            "is a navigation property of `{ty}` that is not contained (its entities live at their own path); contained ones"
                        } else {
                            "is not a contained navigation property of `{ty}`; candidates"
                        };
                        return Err(fail(
                            segment,
                            index,
                            format!(
                                "{}: {}",
                                why.replace("{ty}", &ty),
                                candidates(segment, contained.map(|n| &n.name))
                            ),
                        ));
                    }
                }
            }
        };
    }
    match at {
        At::Root => Err(Error::new(format!("path `{path}` names nothing"))),
        At::Collection(ty) => Ok((ty, false)),
        At::Single(ty) => Ok((ty, true)),
        At::Member(ty) => Err(Error::new(format!(
            "path `{path}` ends in a key: end it at the collection of `{ty}`"
        ))),
    }
}

/// The names most like `wanted` first (sharing a prefix or contained), then the rest,
/// at most 30.
fn candidates<'a>(wanted: &str, names: impl Iterator<Item = &'a String>) -> String {
    let wanted = wanted.to_ascii_lowercase();
    let stem: String = wanted.chars().take(4).collect();
    let mut names: Vec<&String> = names.collect();
    names.sort_by_key(|name| {
        let lower = name.to_ascii_lowercase();
        let close = lower.contains(&wanted) || wanted.contains(&lower) || lower.starts_with(&stem);
        (!close, (*name).clone())
    });
    names.dedup();
    if names.is_empty() {
        return "none".to_owned();
    }
    let shown: Vec<String> = names.iter().take(30).map(|n| format!("`{n}`")).collect();
    let more = names.len().saturating_sub(30);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
