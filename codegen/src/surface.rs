//! What an entity type offers beyond its properties: its bound actions and functions with
//! their Rust names, parameters and answers, its alternate keys, and the entry points of the
//! entity sets and singletons, or why something the runtime cannot express is left out.

use std::collections::BTreeMap;

use crate::csdl::{Kind, Operation, Property, TypeRef};
use crate::model::{Field, Model};
use crate::names::{self, Scope};
use crate::select::Item;

/// The associated items `#[graph_resource]` writes itself on a type with a `path`.
const OWN_ITEMS: [&str; 7] = [
    "at",
    "collection",
    "create",
    "list",
    "get",
    "update",
    "delete",
];

/// What a function parameter is in Rust: every one an `ODataLiteral`.
pub enum ParamType {
    /// `Edm.String`, taken as `&str`.
    Str,
    /// A Rust primitive (`i32`, `bool`, `f64`).
    Plain(&'static str),
    /// A literal type of the runtime (`Date`, `DateTimeOffset`, `Guid`).
    Literal(&'static str),
    /// A generated string enum, by Rust name.
    Enum(String),
}

/// A parameter of a generated function.
pub struct ParamShape<'s> {
    /// The Rust parameter name.
    pub ident: String,
    /// The Graph parameter name.
    pub name: &'s str,
    /// Its type.
    pub ty: ParamType,
}

/// How a call is answered, in the runtime's `Answer` types.
pub enum Answer<'s> {
    /// Nothing: `()`.
    Unit,
    /// Content: `Bytes`.
    Bytes,
    /// One entity or one complex value, the object itself: `Entity<T>`.
    Entity(&'s TypeRef),
    /// A collection of entities, paged like `list`: `Page<T>`.
    Page(&'s TypeRef),
    /// `{"value": …}`: `ValueOf<T>`, or `ValueOf<Vec<T>>` for a collection.
    Value(&'s TypeRef),
}

/// A bound action or function as the type declares it.
pub struct OperationShape<'s> {
    /// The operation.
    pub operation: &'s Operation,
    /// The Rust name (snake_case; an action's constant is it in capitals).
    pub ident: String,
    /// A function's parameters.
    pub params: Vec<ParamShape<'s>>,
    /// The answer.
    pub answer: Answer<'s>,
}

/// The operations and alternate keys of an entity type, and what is left out and why.
#[derive(Default)]
pub struct Surface<'s> {
    /// Actions, then functions, sorted by Graph name.
    pub operations: Vec<OperationShape<'s>>,
    /// The alternate keys, by alias (`userPrincipalName`).
    pub alternate_keys: Vec<&'s str>,
    /// What the runtime cannot express, one sentence each.
    pub left_out: Vec<String>,
}

/// An entity set or singleton as a generated fn.
pub struct EntryPoint {
    /// The fn name.
    pub ident: String,
    /// `/users`.
    pub path: String,
    /// The entity set or singleton.
    pub name: String,
    /// The qualified type.
    pub qualified: String,
    /// The Rust item it gives a path to.
    pub item: String,
    /// A singleton (an `EntityPath`) rather than an entity set (a `CollectionPath`).
    pub singleton: bool,
}

impl<'s> Model<'s> {
    /// The surface of each generated entity type that has operations or alternate keys.
    pub(crate) fn shape_surfaces(&mut self) {
        let mut surfaces = BTreeMap::new();
        for (name, shape) in &self.structs {
            let Some(def) = self.selection.def(name) else {
                continue;
            };
            if def.kind != Kind::Entity {
                continue;
            }
            let mut scope = Scope::default();
            for own in OWN_ITEMS {
                scope.claim(own, "");
            }
            let path = self.selection.paths.get(&Item::Struct(name.clone()));
            if path.is_some_and(|p| p.delta) {
                scope.claim("delta", "");
            }
            // Fields, navigation constants included, keep their names.
            let own_fields = shape.base.iter().chain(&shape.additional);
            for field in shape.fields.iter().map(|f| &f.ident).chain(own_fields) {
                scope.claim(field.strip_prefix("r#").unwrap_or(field), "");
            }
            for annotation in &shape.annotations {
                scope.claim(&annotation.ident, "");
            }
            let mut surface = Surface::default();
            self.shape_operations(name, &mut scope, &mut surface);
            self.shape_alternate_keys(name, &mut scope, &mut surface);
            if !surface.operations.is_empty()
                || !surface.alternate_keys.is_empty()
                || !surface.left_out.is_empty()
            {
                surfaces.insert(name.clone(), surface);
            }
        }
        self.surfaces = surfaces;
    }

    /// Rust names for operations: the Graph name in snake_case; where one name has
    /// overloads, the collection-bound one ends in `_on_collection` and each with
    /// parameters in `_with_` and its parameters (`_with_period`); a name taken by a field
    /// (and so a navigation constant), an item of the macro's own (`get`, `delete`, ...) or
    /// another operation ends in `_action` or `_function`, then in a number.
    fn shape_operations(&self, name: &str, scope: &mut Scope, surface: &mut Surface<'s>) {
        let schema = self.selection.schema;
        let mut operations: Vec<&'s Operation> = self
            .selection
            .operations
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|&index| schema.operations.get(index))
            .collect();
        let key = |o: &Operation| {
            let params: Vec<&str> = o.parameters.iter().map(|p| p.name.as_str()).collect();
            (
                !o.action,
                o.name.clone(),
                o.binding.collection,
                params.len(),
                params.join(","),
            )
        };
        operations.sort_by_key(|o| key(o));
        operations.dedup_by_key(|o| key(o));
        let delta_on_path = [Item::Struct(name.to_owned()), Item::Kind(name.to_owned())]
            .iter()
            .any(|item| self.selection.paths.get(item).is_some_and(|p| p.delta));
        let mut shaped = Vec::new();
        for operation in &operations {
            let what = if operation.action {
                "action"
            } else {
                "function"
            };
            let on = if operation.binding.collection {
                " on the collection"
            } else {
                ""
            };
            if !operation.action && operation.name == "delta" && operation.binding.collection {
                if !delta_on_path {
                    surface.left_out.push(
                        "the function `delta` on the collection: delta queries are the `delta` \
                         of a collection's `path` (give the collection with `--path`)"
                            .to_owned(),
                    );
                }
                continue;
            }
            let answer = match self.answer(operation.returns.as_ref()) {
                Ok(answer) => answer,
                Err(why) => {
                    surface
                        .left_out
                        .push(format!("the {what} `{}`{on}: {why}", operation.name));
                    continue;
                }
            };
            let params = if operation.action {
                Ok(Vec::new())
            } else {
                self.params(&operation.parameters)
            };
            match params {
                Ok(params) => shaped.push((*operation, params, answer)),
                Err(why) => surface
                    .left_out
                    .push(format!("the {what} `{}`{on}: {why}", operation.name)),
            }
        }
        for (operation, params, answer) in shaped {
            let base = names::snake(&operation.name);
            let siblings: Vec<&Operation> = operations
                .iter()
                .copied()
                .filter(|o| names::snake(&o.name) == base)
                .collect();
            let mut wanted = base;
            if operation.binding.collection && siblings.iter().any(|o| !o.binding.collection) {
                wanted.push_str("_on_collection");
            }
            let same_binding = siblings
                .iter()
                .filter(|o| o.binding.collection == operation.binding.collection)
                .count();
            if same_binding > 1 && !operation.parameters.is_empty() {
                let params: Vec<String> = operation
                    .parameters
                    .iter()
                    .map(|p| names::snake(&p.name))
                    .collect();
                wanted = format!("{wanted}_with_{}", params.join("_and_"));
            }
            if names::is_keyword(&wanted) {
                wanted.push('_');
            }
            if scope.contains(&wanted) {
                let what = if operation.action {
                    "_action"
                } else {
                    "_function"
                };
                wanted.push_str(what);
            }
            surface.operations.push(OperationShape {
                operation,
                ident: scope.claim(&wanted, "_"),
                params,
                answer,
            });
        }
    }

    /// A function's parameters, each an OData literal, or why one cannot be.
    fn params(&self, parameters: &'s [Property]) -> Result<Vec<ParamShape<'s>>, String> {
        let mut scope = Scope::default();
        let mut params = Vec::new();
        for parameter in parameters {
            let ty = &parameter.ty;
            let cannot = |what: String| {
                format!(
                    "its parameter `{}` is {what}, which a function call cannot carry as an \
                     OData literal",
                    parameter.name
                )
            };
            if ty.collection {
                return Err(cannot(format!("a collection (`Collection({})`)", ty.name)));
            }
            let plain = match ty.name.as_str() {
                "Edm.String" => Some(ParamType::Str),
                "Edm.Boolean" => Some(ParamType::Plain("bool")),
                "Edm.Byte" => Some(ParamType::Plain("u8")),
                "Edm.SByte" => Some(ParamType::Plain("i8")),
                "Edm.Int16" => Some(ParamType::Plain("i16")),
                "Edm.Int32" => Some(ParamType::Plain("i32")),
                "Edm.Int64" => Some(ParamType::Plain("i64")),
                "Edm.Single" => Some(ParamType::Plain("f32")),
                "Edm.Double" => Some(ParamType::Plain("f64")),
                "Edm.Date" => Some(ParamType::Literal("Date")),
                "Edm.DateTimeOffset" => Some(ParamType::Literal("DateTimeOffset")),
                "Edm.Guid" => Some(ParamType::Literal("Guid")),
                _ => None,
            };
            let ty = match plain {
                Some(ty) => ty,
                None => match self.selection.def(&ty.name) {
                    Some(def) if def.kind == Kind::Enum && !def.flags => {
                        ParamType::Enum(self.name(&Item::Enum(ty.name.clone())).to_owned())
                    }
                    Some(def) if def.kind == Kind::Enum => {
                        return Err(cannot(format!("a flag enum (`{}`)", ty.name)));
                    }
                    Some(_) => return Err(cannot(format!("a structured type (`{}`)", ty.name))),
                    None => return Err(cannot(format!("`{}`", ty.name))),
                },
            };
            let mut ident = names::field_name(&parameter.name);
            if ident.ends_with('_') || ident.starts_with("r#") {
                ident = format!("{}_", ident.trim_start_matches("r#").trim_end_matches('_'));
            }
            params.push(ParamShape {
                ident: scope.claim(&ident, "_"),
                name: &parameter.name,
                ty,
            });
        }
        Ok(params)
    }

    /// The answer of an operation returning `returns`.
    fn answer(&self, returns: Option<&'s TypeRef>) -> Result<Answer<'s>, String> {
        let Some(ty) = returns else {
            return Ok(Answer::Unit);
        };
        let kind = self.selection.def(&ty.name).map(|d| d.kind);
        Ok(match (ty.name.as_str(), ty.collection) {
            ("Edm.Stream", false) => Answer::Bytes,
            ("Edm.Stream", true) => {
                return Err("it answers a collection of streams, which has no answer type".into());
            }
            _ if kind == Some(Kind::Entity) && ty.collection => Answer::Page(ty),
            // One entity, or one complex value: both are the object itself (OData's JSON
            // format wraps only primitive values and collections in `value`).
            _ if matches!(kind, Some(Kind::Entity | Kind::Complex)) && !ty.collection => {
                Answer::Entity(ty)
            }
            _ => Answer::Value(ty),
        })
    }

    /// Alternate keys: on a type with a collection `path` of its own, as `by_…` fns; the
    /// others are left out with the reason.
    fn shape_alternate_keys(&self, name: &str, scope: &mut Scope, surface: &mut Surface<'s>) {
        let Some(def) = self.selection.def(name) else {
            return;
        };
        let own_collection = self
            .selection
            .paths
            .get(&Item::Struct(name.to_owned()))
            .is_some_and(|p| !p.singleton);
        for key in &def.alternate_keys {
            let [alias] = key.as_slice() else {
                surface.left_out.push(format!(
                    "the alternate key of {} properties ({}): the runtime addresses one",
                    key.len(),
                    key.join(", ")
                ));
                continue;
            };
            if !own_collection {
                surface.left_out.push(format!(
                    "the alternate key `{alias}`: the type has no collection `path` of its own; \
                     `.alternate_key(\"{alias}\", value)` on a collection path reaches it"
                ));
                continue;
            }
            let wanted = format!("by_{}", names::snake(alias));
            if scope.contains(&wanted) {
                surface.left_out.push(format!(
                    "the alternate key `{alias}`: `{wanted}` is taken; \
                     `.alternate_key(\"{alias}\", value)` on the collection reaches it"
                ));
                continue;
            }
            scope.claim(&wanted, "");
            surface.alternate_keys.push(alias);
        }
    }

    /// The fields of each action's parameter body.
    pub(crate) fn shape_bodies(&mut self) {
        let mut bodies = BTreeMap::new();
        for item in self.names.keys() {
            let &Item::Body(index) = item else { continue };
            let Some(operation) = self.selection.schema.operations.get(index) else {
                continue;
            };
            let mut scope = Scope::default();
            let fields = operation
                .parameters
                .iter()
                .map(|parameter| Field {
                    ident: scope.claim(&names::field_name(&parameter.name), "_"),
                    property: &parameter.name,
                    ty: &parameter.ty,
                    // A body is written, never read from Graph: its collections hold
                    // values.
                    items_nullable: false,
                    boxed: false,
                    navigation: None,
                })
                .collect();
            bodies.insert(index, fields);
        }
        self.bodies = bodies;
    }

    /// An entry point for every entity set and singleton whose type is generated, named
    /// after it in snake_case.
    pub(crate) fn shape_entry_points(&mut self) {
        let schema = self.selection.schema;
        let mut scope = Scope::default();
        let roots = schema
            .entity_sets
            .iter()
            .map(|(name, ty)| (name, ty, false))
            .chain(schema.singletons.iter().map(|(name, ty)| (name, ty, true)));
        let mut entry_points = Vec::new();
        for (name, ty, singleton) in roots {
            let item = [Item::Kind(ty.clone()), Item::Struct(ty.clone())]
                .into_iter()
                .find_map(|item| self.names.get(&item));
            let Some(item) = item else { continue };
            let mut ident = names::snake(name);
            if names::is_keyword(&ident) {
                ident.push('_');
            }
            entry_points.push(EntryPoint {
                ident: scope.claim(&ident, "_"),
                path: format!("/{name}"),
                name: name.clone(),
                qualified: ty.clone(),
                item: item.clone(),
                singleton,
            });
        }
        entry_points.sort_by(|a, b| a.ident.cmp(&b.ident));
        self.entry_points = entry_points;
    }
}
