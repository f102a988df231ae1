//! The Rust shape of a selection: item and field names, which fields are boxed to break
//! recursion, which structs can derive `Default`.

use std::collections::{BTreeMap, BTreeSet};

use crate::csdl::{Kind, TypeDef, TypeRef};
use crate::names::{self, Scope};
use crate::select::{Item, Selection};
use crate::surface::{EntryPoint, Surface};

/// A field of a generated struct. Every field is an `Option`: Graph leaves out what a
/// `$select` or its default subset does not name, `Nullable="false"` properties included.
pub struct Field<'s> {
    /// The Rust field name (`r#type`, `device_id`).
    pub ident: String,
    /// The JSON property name.
    pub property: &'s str,
    /// The declared type.
    pub ty: &'s TypeRef,
    /// For a collection, whether its items may be `null`: in CSDL, `Nullable` on a
    /// collection speaks of its items.
    pub items_nullable: bool,
    /// Whether the value is boxed to break a cycle of types that hold each other.
    pub boxed: bool,
    /// For a navigation property, whether it contains its targets (`ContainsTarget`).
    pub navigation: Option<bool>,
}

/// An instance annotation that an entity carries as a field of its own.
pub struct AnnotationField {
    /// The Rust field name (`odata_etag`).
    pub ident: String,
    /// The annotation (`@odata.etag`).
    pub name: &'static str,
    /// What it is, for the field's documentation.
    pub doc: &'static str,
}

/// The annotations every entity carries, on the root of each entity type's chain of bases:
/// what `if_match` needs, and the entity's address.
const ENTITY_ANNOTATIONS: [(&str, &str, &str); 2] = [
    (
        "odata_etag",
        "@odata.etag",
        "`@odata.etag`: the entity's version, for `if_match` on an update or a delete.",
    ),
    (
        "odata_id",
        "@odata.id",
        "`@odata.id`: the entity's address, where Graph gives it.",
    ),
];

/// A generated struct: the fields besides the base and the additional map.
pub struct StructShape<'s> {
    /// The field holding the base type, if any.
    pub base: Option<String>,
    /// The entity annotations carried as fields (on root entity types).
    pub annotations: Vec<AnnotationField>,
    /// The properties, then the navigation properties whose types are generated too.
    pub fields: Vec<Field<'s>>,
    /// The `Edm.Stream` properties: content read from its own URL, never inline, so left
    /// out of the fields.
    pub streams: Vec<&'s str>,
    /// The field holding unknown properties and annotations: on an open type, and on the
    /// root of each entity type's chain of bases.
    pub additional: Option<String>,
}

/// A variant of a generated enum.
pub struct VariantShape {
    /// The Rust variant name.
    pub ident: String,
    /// The member name (string enums) or the qualified type (polymorphic enums).
    pub value: String,
}

/// Names and shapes of everything a selection generates.
pub struct Model<'s> {
    /// The selection.
    pub selection: Selection<'s>,
    /// The Rust name of each item.
    pub names: BTreeMap<Item, String>,
    /// The shape of each struct, by qualified type name.
    pub structs: BTreeMap<String, StructShape<'s>>,
    /// The variants of each string enum, by qualified type name; the name of the variant
    /// receiving unknown values is last.
    pub enums: BTreeMap<String, (Vec<VariantShape>, String)>,
    /// The variants of each polymorphic enum; the name of the `other` variant is last.
    pub kinds: BTreeMap<String, (Vec<VariantShape>, String)>,
    /// The operations and alternate keys of entity types, by qualified type name.
    pub surfaces: BTreeMap<String, Surface<'s>>,
    /// The fields of each action's parameter body, by operation index.
    pub bodies: BTreeMap<usize, Vec<Field<'s>>>,
    /// The entity sets and singletons whose types are generated, by fn name.
    pub entry_points: Vec<EntryPoint>,
}

/// What a property of some type is in Rust.
pub enum Target<'a> {
    /// An `Edm` primitive.
    Primitive(&'a str),
    /// A generated item, by Rust name; `flags` for a flag enum.
    Item { name: &'a str, flags: bool },
    /// A type with derived types and no polymorphic enum: an untyped resource.
    Untyped,
}

impl<'s> Model<'s> {
    /// Names and shapes the items of `selection`.
    pub fn new(selection: Selection<'s>) -> Model<'s> {
        let names = item_names(&selection);
        let mut model = Model {
            selection,
            names,
            structs: BTreeMap::new(),
            enums: BTreeMap::new(),
            kinds: BTreeMap::new(),
            surfaces: BTreeMap::new(),
            bodies: BTreeMap::new(),
            entry_points: Vec::new(),
        };
        model.shape_enums();
        model.shape_kinds();
        model.shape_structs();
        model.box_cycles();
        model.shape_bodies();
        model.shape_surfaces();
        model.shape_entry_points();
        model
    }

    /// The Rust name of `item`.
    pub fn name(&self, item: &Item) -> &str {
        self.names.get(item).map_or("", String::as_str)
    }

    /// What a property of type `ty` holds (the element type of a collection).
    pub fn target<'a>(&'a self, ty: &'a TypeRef) -> Target<'a> {
        let (Some(def), Some(item)) = (self.selection.def(&ty.name), self.selection.item_for(ty))
        else {
            return Target::Primitive(&ty.name);
        };
        match self.names.get(&item) {
            Some(name) => Target::Item {
                name,
                flags: def.flags,
            },
            None => Target::Untyped,
        }
    }

    /// The item a property of type `ty` holds by value (not through a collection).
    fn held_item(&self, ty: &TypeRef) -> Option<Item> {
        let item = self.selection.item_for(ty).filter(|_| !ty.collection)?;
        (!matches!(item, Item::Enum(_)) && self.names.contains_key(&item)).then_some(item)
    }

    fn shape_enums(&mut self) {
        for item in self.names.keys() {
            let Item::Enum(name) = item else { continue };
            let Some(def) = self.selection.def(name) else {
                continue;
            };
            let mut scope = Scope::default();
            let mut seen = BTreeSet::new();
            let variants = def
                .members
                .iter()
                // Values are read case-insensitively: a second spelling of a member
                // could never be told apart from the first.
                .filter(|member| seen.insert(member.to_ascii_lowercase()))
                .map(|member| VariantShape {
                    ident: scope.claim(&names::variant_name(member), ""),
                    value: member.clone(),
                })
                .collect();
            let other = claim_first(&mut scope, &["Unknown", "UnknownValue", "Unrecognized"]);
            self.enums.insert(name.clone(), (variants, other));
        }
    }

    fn shape_kinds(&mut self) {
        for (name, members) in &self.selection.kinds {
            let base = self.name(&Item::Kind(name.clone())).to_owned();
            let base = base.strip_suffix("Kind").unwrap_or(&base);
            let full: Vec<String> = members
                .iter()
                .map(|m| self.name(&Item::Struct(m.clone())).to_owned())
                .collect();
            let short_list: Vec<String> =
                full.iter().map(|f| strip_common_suffix(f, base)).collect();
            let mut scope = Scope::default();
            let variants = members
                .iter()
                .zip(full.iter().zip(&short_list))
                .map(|(member, (full, short))| {
                    let ambiguous = short.is_empty()
                        || short.starts_with(|c: char| c.is_ascii_digit())
                        || short == "Other"
                        || short_list.iter().filter(|s| *s == short).count() > 1;
                    VariantShape {
                        ident: scope.claim(if ambiguous { full } else { short }, ""),
                        value: member.clone(),
                    }
                })
                .collect();
            let other = claim_first(&mut scope, &["Other", "OtherType", "Untyped"]);
            self.kinds.insert(name.clone(), (variants, other));
        }
    }

    fn shape_structs(&mut self) {
        let items: Vec<String> = self
            .names
            .keys()
            .filter_map(|item| match item {
                Item::Struct(name) => Some(name.clone()),
                _ => None,
            })
            .collect();
        for name in items {
            let Some(def) = self.selection.def(&name) else {
                continue;
            };
            let shape = self.shape_struct(def);
            self.structs.insert(name, shape);
        }
    }

    fn shape_struct(&self, def: &'s TypeDef) -> StructShape<'s> {
        let mut scope = Scope::default();
        let base = def.base.as_ref().map(|_| scope.claim("base", "_"));
        let root_entity = def.kind == Kind::Entity && def.base.is_none();
        let annotations = ENTITY_ANNOTATIONS
            .iter()
            .filter(|_| root_entity)
            .map(|&(ident, name, doc)| AnnotationField {
                ident: scope.claim(ident, "_"),
                name,
                doc,
            })
            .collect();
        let mut fields = Vec::new();
        let mut streams = Vec::new();
        for property in &def.properties {
            if property.ty.name == "Edm.Stream" {
                streams.push(property.name.as_str());
                continue;
            }
            fields.push(Field {
                ident: scope.claim(&names::field_name(&property.name), "_"),
                property: &property.name,
                ty: &property.ty,
                items_nullable: property.ty.collection && property.nullable,
                boxed: false,
                navigation: None,
            });
        }
        for navigation in &def.navigation {
            if matches!(self.target(&navigation.ty), Target::Item { .. }) {
                fields.push(Field {
                    ident: scope.claim(&names::field_name(&navigation.name), "_"),
                    property: &navigation.name,
                    ty: &navigation.ty,
                    // A collection of entities holds no nulls.
                    items_nullable: false,
                    boxed: false,
                    navigation: Some(navigation.contains_target),
                });
            }
        }
        let has_map = |d: &TypeDef| d.open || (d.kind == Kind::Entity && d.base.is_none());
        let inherits_map = self.bases(def).any(has_map);
        let additional =
            (has_map(def) && !inherits_map).then(|| scope.claim("additional_data", "_"));
        StructShape {
            base,
            annotations,
            fields,
            streams,
            additional,
        }
    }

    /// The bases of `def`, nearest first.
    fn bases<'a>(&'a self, def: &'a TypeDef) -> impl Iterator<Item = &'s TypeDef> + 'a {
        let mut current = def.base.as_deref();
        std::iter::from_fn(move || {
            let next = self.selection.def(current?)?;
            current = next.base.as_deref();
            Some(next)
        })
    }

    /// Boxes every field that closes a cycle of types holding each other by value.
    fn box_cycles(&mut self) {
        let items: Vec<Item> = self.names.keys().cloned().collect();
        let index: BTreeMap<&Item, usize> =
            items.iter().enumerate().map(|(i, it)| (it, i)).collect();
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
        for (from, item) in items.iter().enumerate() {
            let mut targets = Vec::new();
            match item {
                Item::Struct(name) => {
                    if let Some(shape) = self.structs.get(name) {
                        for field in &shape.fields {
                            targets.extend(self.held_item(field.ty));
                        }
                    }
                    if let Some(base) = self.selection.def(name).and_then(|d| d.base.clone()) {
                        targets.push(Item::Struct(base));
                    }
                }
                Item::Kind(name) => {
                    for member in self.selection.kinds.get(name).into_iter().flatten() {
                        targets.push(Item::Struct(member.clone()));
                    }
                }
                Item::Enum(_) | Item::Body(_) => {}
            }
            edges[from].extend(targets.iter().filter_map(|t| index.get(t).copied()));
        }
        let component = components(&edges);
        let mut boxed = Vec::new();
        for (name, shape) in &self.structs {
            let Some(&from) = index.get(&Item::Struct(name.clone())) else {
                continue;
            };
            for (position, field) in shape.fields.iter().enumerate() {
                let to = self
                    .held_item(field.ty)
                    .and_then(|t| index.get(&t).copied());
                if to.is_some_and(|to| component[to] == component[from]) {
                    boxed.push((name.clone(), position));
                }
            }
        }
        for (name, position) in boxed {
            if let Some(field) = self
                .structs
                .get_mut(&name)
                .and_then(|s| s.fields.get_mut(position))
            {
                field.boxed = true;
            }
        }
    }
}

/// The Rust names of every item: UpperCamelCase, a namespace other than `microsoft.graph`
/// as a prefix (`microsoft.graph.security.alert` → `SecurityAlert`), polymorphic enums as
/// the type's name + `Kind`; a name taken already gets a number.
fn item_names(selection: &Selection) -> BTreeMap<Item, String> {
    let mut scope = Scope::default();
    let mut names = BTreeMap::new();
    let mut types: Vec<(bool, &str, Item)> = Vec::new();
    for item in &selection.items {
        let (Item::Struct(name) | Item::Enum(name)) = item else {
            continue;
        };
        let Some(def) = selection.def(name) else {
            continue;
        };
        types.push((def.namespace != "microsoft.graph", name, item.clone()));
    }
    // `microsoft.graph` first, so that its types keep their plain names.
    types.sort();
    for (_, name, item) in types {
        let Some(def) = selection.def(name) else {
            continue;
        };
        let prefix = def
            .namespace
            .strip_prefix("microsoft.graph")
            .unwrap_or(&def.namespace);
        let wanted = names::item_name(&format!("{prefix}.{}", def.name));
        names.insert(item, scope.claim(&wanted, ""));
    }
    for item in &selection.items {
        if let Item::Kind(name) = item {
            let type_name = names
                .get(&Item::Struct(name.clone()))
                .cloned()
                .or_else(|| selection.def(name).map(|d| names::item_name(&d.name)))
                .unwrap_or_default();
            names.insert(item.clone(), scope.claim(&format!("{type_name}Kind"), ""));
        }
    }
    // An action's body: its type's name, the action's, then `Body`.
    for item in &selection.items {
        if let &Item::Body(index) = item
            && let Some(operation) = selection.schema.operations.get(index)
        {
            let type_name = names
                .get(&Item::Struct(operation.binding.name.clone()))
                .cloned()
                .unwrap_or_default();
            let action = names::upper_camel(&operation.name);
            names.insert(
                item.clone(),
                scope.claim(&format!("{type_name}{action}Body"), ""),
            );
        }
    }
    names
}

fn claim_first(scope: &mut Scope, wanted: &[&str]) -> String {
    match wanted.iter().find(|w| !scope.contains(w)) {
        Some(free) => scope.claim(free, ""),
        None => scope.claim(wanted.first().copied().unwrap_or("Other"), ""),
    }
}

/// `Windows10GeneralConfiguration` against `DeviceConfiguration` → `Windows10General`:
/// the words both end with are dropped; empty when nothing is left.
fn strip_common_suffix(name: &str, base: &str) -> String {
    let name_words = names::words(name);
    let base_words = names::words(base);
    let common = name_words
        .iter()
        .rev()
        .zip(base_words.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    name_words[..name_words.len() - common].concat()
}

/// The strongly connected components of a graph: `result[node]` is its component.
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    // First pass: finishing order, iteratively.
    let mut visited = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.pop() {
            match edges[node].get(next) {
                Some(&to) => {
                    stack.push((node, next + 1));
                    if !visited[to] {
                        visited[to] = true;
                        stack.push((to, 0));
                    }
                }
                None => order.push(node),
            }
        }
    }
    // Second pass: on the reversed graph, in reverse finishing order.
    let mut reversed: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            reversed[to].push(from);
        }
    }
    let mut component = vec![usize::MAX; n];
    let mut count = 0;
    for &start in order.iter().rev() {
        if component[start] != usize::MAX {
            continue;
        }
        let mut stack = vec![start];
        component[start] = count;
        while let Some(node) = stack.pop() {
            for &from in &reversed[node] {
                if component[from] == usize::MAX {
                    component[from] = count;
                    stack.push(from);
                }
            }
        }
        count += 1;
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_shared_with_the_base_are_dropped() {
        assert_eq!(
            strip_common_suffix("Windows10GeneralConfiguration", "DeviceConfiguration"),
            "Windows10General"
        );
        assert_eq!(
            strip_common_suffix(
                "GroupAssignmentTarget",
                "DeviceAndAppManagementAssignmentTarget"
            ),
            "Group"
        );
        assert_eq!(strip_common_suffix("Thing", "Thing"), "");
    }

    #[test]
    fn cycles_are_components() {
        // 0 → 1 → 2 → 0, 2 → 3, 3 → 3.
        let component = components(&[vec![1], vec![2], vec![0, 3], vec![3]]);
        assert_eq!(component[0], component[1]);
        assert_eq!(component[1], component[2]);
        assert_ne!(component[2], component[3]);
    }
}
