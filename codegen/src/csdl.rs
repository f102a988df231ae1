//! Reads OData CSDL (the `$metadata` document) into the types, properties and entity
//! container that generation needs, the bound actions and functions, and the alternate keys
//! of entity types; unbound operations, terms and other annotations are skipped.

use std::collections::{BTreeMap, BTreeSet};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::Error;

/// The schema: every type by qualified name, and the entity container.
#[derive(Debug, Default)]
pub struct Schema {
    /// Entity, complex and enum types by qualified name (`microsoft.graph.user`).
    pub types: BTreeMap<String, TypeDef>,
    /// Entity sets by name, with their entity type.
    pub entity_sets: BTreeMap<String, String>,
    /// Singletons by name, with their type.
    pub singletons: BTreeMap<String, String>,
    /// Entity types whose collections have a `delta` function bound to them
    /// (`<Function Name="delta" IsBound="true">` whose first parameter is `Collection(type)`).
    pub delta: BTreeSet<String>,
    /// Bound actions and functions, in declaration order.
    pub operations: Vec<Operation>,
}

/// A bound action or function.
#[derive(Debug)]
pub struct Operation {
    /// The name, the path segment of a call (`assign`).
    pub name: String,
    /// `<Action>` (a `POST` with a body) rather than `<Function>` (a `GET`).
    pub action: bool,
    /// The type it is bound to: its first parameter's, one entity or a collection.
    pub binding: TypeRef,
    /// The parameters after the binding one.
    pub parameters: Vec<Property>,
    /// `<ReturnType>`, if any.
    pub returns: Option<TypeRef>,
}

/// What kind of type a [`TypeDef`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `EntityType`.
    Entity,
    /// `ComplexType`.
    Complex,
    /// `EnumType`.
    Enum,
}

/// An entity, complex or enum type.
#[derive(Debug)]
pub struct TypeDef {
    /// `microsoft.graph.user`.
    pub qualified: String,
    /// `microsoft.graph`.
    pub namespace: String,
    /// `user`.
    pub name: String,
    /// Entity, complex or enum.
    pub kind: Kind,
    /// The qualified name of the base type.
    pub base: Option<String>,
    /// `Abstract="true"`: never sent as itself.
    pub is_abstract: bool,
    /// `OpenType="true"`: accepts properties the schema does not list.
    pub open: bool,
    /// Structural properties, in declaration order.
    pub properties: Vec<Property>,
    /// Navigation properties, in declaration order.
    pub navigation: Vec<Navigation>,
    /// Enum members, in declaration order.
    pub members: Vec<String>,
    /// `IsFlags="true"` on an enum type.
    pub flags: bool,
    /// The alternate keys (`Org.OData.Core.V1.AlternateKeys`): each the aliases of its
    /// properties, one for most keys.
    pub alternate_keys: Vec<Vec<String>>,
}

/// A structural property.
#[derive(Debug)]
pub struct Property {
    /// The JSON name.
    pub name: String,
    /// The declared type.
    pub ty: TypeRef,
    /// `Nullable`, true unless `Nullable="false"`.
    pub nullable: bool,
}

/// A navigation property.
#[derive(Debug)]
pub struct Navigation {
    /// The JSON name and path segment.
    pub name: String,
    /// The target type.
    pub ty: TypeRef,
    /// `ContainsTarget="true"`: the targets live under the parent's path.
    pub contains_target: bool,
}

/// A reference to a type: `Edm.String`, `microsoft.graph.user`, or a collection of one.
#[derive(Debug, Clone)]
pub struct TypeRef {
    /// The qualified name of the element type, aliases resolved.
    pub name: String,
    /// `Collection(...)`.
    pub collection: bool,
}

impl TypeRef {
    fn parse(text: &str) -> TypeRef {
        match text
            .strip_prefix("Collection(")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            Some(inner) => TypeRef {
                name: inner.to_owned(),
                collection: true,
            },
            None => TypeRef {
                name: text.to_owned(),
                collection: false,
            },
        }
    }
}

/// Where a parse is: the schema and type being read, inside the entity container or not.
struct State {
    namespace: Option<String>,
    current: Option<TypeDef>,
    /// The depth of the element that opened `current`.
    depth_of_current: usize,
    in_container: bool,
    /// Whether a `<Schema>` element was read.
    schema_seen: bool,
    /// The bound action or function being read; `binding` is empty until its first
    /// parameter.
    operation: Option<Operation>,
    /// The depth of the `AlternateKeys` annotation being read, if any.
    alternate_keys_at: Option<usize>,
    depth: usize,
}

/// Parses CSDL text.
pub fn parse(text: &str) -> Result<Schema, Error> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut schema = Schema::default();
    let mut aliases: BTreeMap<String, String> = BTreeMap::new();
    let mut state = State {
        namespace: None,
        current: None,
        depth_of_current: 0,
        in_container: false,
        schema_seen: false,
        operation: None,
        alternate_keys_at: None,
        depth: 0,
    };
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|error| {
            Error::new(format!(
                "the CSDL is not well-formed XML at byte {position}: {error}"
            ))
        })?;
        let at = |message: String| Error::new(format!("{message} (CSDL byte {position})"));
        match event {
            Event::Start(element) => {
                state.depth += 1;
                start(&element, &mut state, &mut schema, &mut aliases).map_err(at)?;
            }
            Event::Empty(element) => {
                state.depth += 1;
                start(&element, &mut state, &mut schema, &mut aliases).map_err(at)?;
                end(element.local_name().into_inner(), &mut state, &mut schema);
                state.depth -= 1;
            }
            Event::End(element) => {
                end(element.local_name().into_inner(), &mut state, &mut schema);
                state.depth = state.depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !state.schema_seen {
        return Err(Error::new(
            "expected a CSDL document (Graph's `$metadata`: `<Schema>` elements inside \
             `<edmx:Edmx>`), found no `<Schema>` element"
                .to_owned(),
        ));
    }
    resolve_aliases(&mut schema, &aliases);
    check_references(&schema)?;
    Ok(schema)
}

fn attribute(element: &BytesStart, name: &str) -> Result<Option<String>, String> {
    match element.try_get_attribute(name) {
        Ok(Some(attribute)) => attribute
            .unescape_value()
            .map(|value| Some(value.into_owned()))
            .map_err(|error| format!("attribute `{name}` cannot be read: {error}")),
        Ok(None) => Ok(None),
        Err(error) => Err(format!("attributes cannot be read: {error}")),
    }
}

fn required(element: &BytesStart, name: &str) -> Result<String, String> {
    attribute(element, name)?.ok_or_else(|| {
        format!(
            "expected a `{name}` attribute on `<{}>`, found none",
            String::from_utf8_lossy(element.local_name().into_inner())
        )
    })
}

fn is_true(element: &BytesStart, name: &str) -> Result<bool, String> {
    Ok(attribute(element, name)?.as_deref() == Some("true"))
}

fn start(
    element: &BytesStart,
    state: &mut State,
    schema: &mut Schema,
    aliases: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    let local = element.local_name();
    match local.into_inner() {
        b"Schema" => {
            let namespace = required(element, "Namespace")?;
            if let Some(alias) = attribute(element, "Alias")? {
                aliases.insert(alias, namespace.clone());
            }
            state.namespace = Some(namespace);
            state.schema_seen = true;
        }
        kind @ (b"EntityType" | b"ComplexType" | b"EnumType") => {
            let namespace = state
                .namespace
                .clone()
                .ok_or("expected a type inside a `<Schema>`")?;
            let name = required(element, "Name")?;
            let qualified = format!("{namespace}.{name}");
            if let Some(open) = &state.current {
                return Err(format!(
                    "expected the end of `{}` before the type `{qualified}`, found it inside",
                    open.qualified
                ));
            }
            if schema.types.contains_key(&qualified) {
                return Err(format!("`{qualified}` is declared twice"));
            }
            let kind = match kind {
                b"EntityType" => Kind::Entity,
                b"ComplexType" => Kind::Complex,
                _ => Kind::Enum,
            };
            state.current = Some(TypeDef {
                qualified,
                namespace,
                name,
                kind,
                base: attribute(element, "BaseType")?,
                is_abstract: is_true(element, "Abstract")?,
                open: is_true(element, "OpenType")?,
                properties: Vec::new(),
                navigation: Vec::new(),
                members: Vec::new(),
                flags: is_true(element, "IsFlags")?,
                alternate_keys: Vec::new(),
            });
            state.depth_of_current = state.depth;
        }
        b"Property" => {
            if let Some(current) = state.current.as_mut().filter(|_| !state.in_container) {
                current.properties.push(Property {
                    name: required(element, "Name")?,
                    ty: TypeRef::parse(&required(element, "Type")?),
                    nullable: attribute(element, "Nullable")?.as_deref() != Some("false"),
                });
            }
        }
        b"NavigationProperty" => {
            if let Some(current) = state.current.as_mut() {
                current.navigation.push(Navigation {
                    name: required(element, "Name")?,
                    ty: TypeRef::parse(&required(element, "Type")?),
                    contains_target: is_true(element, "ContainsTarget")?,
                });
            }
        }
        b"Member" => {
            if let Some(current) = state.current.as_mut().filter(|c| c.kind == Kind::Enum) {
                current.members.push(required(element, "Name")?);
            }
        }
        kind @ (b"Action" | b"Function") if is_true(element, "IsBound")? => {
            state.operation = Some(Operation {
                name: required(element, "Name")?,
                action: kind == b"Action",
                binding: TypeRef::parse(""),
                parameters: Vec::new(),
                returns: None,
            });
        }
        // The first parameter of a bound operation is what it is bound to.
        b"Parameter" => {
            if let Some(operation) = state.operation.as_mut() {
                let ty = TypeRef::parse(&required(element, "Type")?);
                if operation.binding.name.is_empty() {
                    operation.binding = ty;
                } else {
                    operation.parameters.push(Property {
                        name: required(element, "Name")?,
                        ty,
                        nullable: attribute(element, "Nullable")?.as_deref() != Some("false"),
                    });
                }
            }
        }
        b"ReturnType" => {
            if let Some(operation) = state.operation.as_mut() {
                operation.returns = Some(TypeRef::parse(&required(element, "Type")?));
            }
        }
        b"Annotation"
            if state.depth == state.depth_of_current + 1
                && state
                    .current
                    .as_ref()
                    .is_some_and(|c| c.kind == Kind::Entity)
                && attribute(element, "Term")?.as_deref()
                    == Some("Org.OData.Core.V1.AlternateKeys") =>
        {
            state.alternate_keys_at = Some(state.depth);
        }
        b"Record" if state.alternate_keys_at.is_some() => {
            if attribute(element, "Type")?.as_deref() == Some("Org.OData.Core.V1.AlternateKey")
                && let Some(current) = state.current.as_mut()
            {
                current.alternate_keys.push(Vec::new());
            }
        }
        b"PropertyValue" if state.alternate_keys_at.is_some() => {
            if attribute(element, "Property")?.as_deref() == Some("Alias")
                && let Some(key) = state
                    .current
                    .as_mut()
                    .and_then(|c| c.alternate_keys.last_mut())
            {
                key.push(required(element, "String")?);
            }
        }
        b"EntityContainer" => state.in_container = true,
        member @ (b"EntitySet" | b"Singleton") if state.in_container => {
            let name = required(element, "Name")?;
            if schema.entity_sets.contains_key(&name) || schema.singletons.contains_key(&name) {
                return Err(format!(
                    "`{name}` is declared twice in the entity container"
                ));
            }
            if member == b"EntitySet" {
                let ty = required(element, "EntityType")?;
                schema.entity_sets.insert(name, ty);
            } else {
                let ty = required(element, "Type")?;
                schema.singletons.insert(name, ty);
            }
        }
        _ => {}
    }
    Ok(())
}

fn end(local: &[u8], state: &mut State, schema: &mut Schema) {
    match local {
        b"EntityType" | b"ComplexType" | b"EnumType" if state.depth == state.depth_of_current => {
            if let Some(current) = state.current.take() {
                schema.types.insert(current.qualified.clone(), current);
            }
        }
        b"Action" | b"Function" => {
            // Without a binding parameter, an operation is not bound to anything.
            if let Some(operation) = state.operation.take()
                && !operation.binding.name.is_empty()
            {
                schema.operations.push(operation);
            }
        }
        b"Annotation" if state.alternate_keys_at == Some(state.depth) => {
            state.alternate_keys_at = None;
        }
        b"EntityContainer" => state.in_container = false,
        b"Schema" => state.namespace = None,
        _ => {}
    }
}

/// `graph.user` → `microsoft.graph.user`, for every alias a schema declared.
fn resolve_aliases(schema: &mut Schema, aliases: &BTreeMap<String, String>) {
    let resolve = |name: &mut String| {
        if let Some((prefix, rest)) = name.rsplit_once('.')
            && let Some(namespace) = aliases.get(prefix)
        {
            *name = format!("{namespace}.{rest}");
        }
    };
    for def in schema.types.values_mut() {
        if let Some(base) = def.base.as_mut() {
            resolve(base);
        }
        for property in &mut def.properties {
            resolve(&mut property.ty.name);
        }
        for navigation in &mut def.navigation {
            resolve(&mut navigation.ty.name);
        }
    }
    for target in schema
        .entity_sets
        .values_mut()
        .chain(schema.singletons.values_mut())
    {
        resolve(target);
    }
    for operation in &mut schema.operations {
        resolve(&mut operation.binding.name);
        for parameter in &mut operation.parameters {
            resolve(&mut parameter.ty.name);
        }
        if let Some(returns) = operation.returns.as_mut() {
            resolve(&mut returns.name);
        }
    }
    schema.delta = schema
        .operations
        .iter()
        .filter(|o| !o.action && o.name == "delta" && o.binding.collection)
        .map(|o| o.binding.name.clone())
        .collect();
}

/// Every base type and every property type must exist, and no type may derive from itself.
fn check_references(schema: &Schema) -> Result<(), Error> {
    let known = |name: &str| name.starts_with("Edm.") || schema.types.contains_key(name);
    for def in schema.types.values() {
        if let Some(base) = &def.base
            && !schema.types.contains_key(base)
        {
            return Err(Error::new(format!(
                "`{}` names the base type `{base}`, which the schema does not declare",
                def.qualified
            )));
        }
        check_bases(schema, def)?;
        let references = def
            .properties
            .iter()
            .map(|p| (&p.name, &p.ty))
            .chain(def.navigation.iter().map(|n| (&n.name, &n.ty)));
        for (property, ty) in references {
            if !known(&ty.name) {
                return Err(Error::new(format!(
                    "property `{property}` of `{}` has the type `{}`, which the schema does not declare",
                    def.qualified, ty.name
                )));
            }
        }
    }
    for operation in &schema.operations {
        let references = std::iter::once(&operation.binding)
            .chain(operation.parameters.iter().map(|p| &p.ty))
            .chain(&operation.returns);
        for ty in references {
            if !known(&ty.name) {
                return Err(Error::new(format!(
                    "the operation `{}` names the type `{}`, which the schema does not declare",
                    operation.name, ty.name
                )));
            }
        }
    }
    for (name, ty) in schema.entity_sets.iter().chain(&schema.singletons) {
        if !schema.types.contains_key(ty) {
            return Err(Error::new(format!(
                "`{name}` of the entity container has the type `{ty}`, which the schema does not declare"
            )));
        }
    }
    Ok(())
}

/// Walks the bases of `def`: a chain that comes back to a type it passed is an error.
fn check_bases(schema: &Schema, def: &TypeDef) -> Result<(), Error> {
    let mut chain = vec![def.qualified.as_str()];
    let mut current = def.base.as_deref();
    while let Some(base) = current {
        if chain.contains(&base) {
            return Err(Error::new(format!(
                "expected a chain of base types that ends, found a cycle: {} -> {base}",
                chain.join(" -> ")
            )));
        }
        chain.push(base);
        current = schema.types.get(base).and_then(|base| base.base.as_deref());
    }
    Ok(())
}

#[cfg(test)]
mod tests;
