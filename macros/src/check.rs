//! Validates the model; every problem is reported at its span before anything is expanded.

use std::collections::HashMap;

use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{GenericArgument, PathArguments, Type};

use crate::ast::{Body, Container, Field, Variant, last_segment, ungroup};
use crate::attr;
use crate::case;
use crate::ctxt::Ctxt;
use crate::op::Op;
use crate::path::{self, Template};
use crate::symbol::{
    self, ADDITIONAL, BASE, CONTAINED, DEFAULT, DELTA, NAMESPACE, NAVIGATION, ODATA_TYPE,
    OPERATIONS, PATH, READ_ONLY, RENAME, SINGLETON, SKIP, Symbol, WITH,
};

mod bound;

/// What validation works out besides errors.
pub struct Checked {
    /// `#microsoft.graph.x`, for structs.
    pub odata_type: String,
    /// The template of `path`, for types that have one.
    pub template: Option<Template>,
    /// The operations to generate from the template, in order.
    pub operations: Vec<Op>,
    /// Whether to generate `delta`.
    pub delta: bool,
}

/// Reports every problem of `cont`; the derived facts even when there were some.
pub fn check(cx: &Ctxt, cont: &Container) -> Checked {
    let attrs = &cont.attrs;
    let mut checked = Checked {
        odata_type: String::new(),
        template: None,
        operations: Vec::new(),
        delta: false,
    };
    if !matches!(cont.body, Body::StringEnum(_)) {
        let singleton = attrs.singleton.is_some();
        checked.template = attrs
            .path
            .as_ref()
            .and_then(|path| path::parse(cx, &path.value, singleton));
        checked.operations = operations(cx, attrs);
        checked.delta = delta(cx, attrs);
    }
    crate::flags::check(cx, cont);
    bound::bound(cx, cont, &checked);
    match &cont.body {
        Body::Struct(fields) => {
            checked.odata_type = odata_type(cx, cont);
            check_fields(cx, fields);
            if let Some(base) = &attrs.base {
                cx.error_at(
                    base.span,
                    "`base` on the item names the type a polymorphic enum stands for; a struct names its base with a `#[graph(base)]` field",
                );
            }
        }
        Body::Polymorphic(variants) | Body::StringEnum(variants) => {
            let on_enum = |key: Symbol, span| {
                let why = if key == ODATA_TYPE || key == NAMESPACE {
                    "an enum takes its types from its variants"
                } else {
                    "a string enum is a value, not a resource with a path; put it on a struct or a polymorphic enum"
                };
                cx.error_at(
                    span,
                    format_args!("`{key}` is not allowed on this enum: {why}"),
                );
            };
            if matches!(cont.body, Body::StringEnum(_)) {
                let keys = [
                    (PATH, attrs.path.as_ref().map(|path| path.span)),
                    (SINGLETON, attrs.singleton.as_ref().map(|flag| flag.span)),
                    (OPERATIONS, attrs.operations.as_ref().map(|list| list.span)),
                    (DELTA, attrs.delta.as_ref().map(|flag| flag.span)),
                ];
                for (key, span) in keys {
                    if let Some(span) = span {
                        on_enum(key, span);
                    }
                }
            }
            if let Some(odata_type) = &attrs.odata_type {
                on_enum(ODATA_TYPE, odata_type.span);
            }
            if let Some(namespace) = &attrs.namespace {
                on_enum(NAMESPACE, namespace.span);
            }
            if let (Body::StringEnum(_), Some(base)) = (&cont.body, &attrs.base) {
                on_enum(BASE, base.span);
            }
            if variants.is_empty() {
                cx.error_spanned_by(
                    cont.ident,
                    "#[graph_resource] needs an enum with at least one variant",
                );
            }
            if matches!(cont.body, Body::Polymorphic(_)) {
                check_polymorphic(cx, variants);
            } else {
                check_string_enum(cx, variants);
            }
        }
    }
    checked
}

/// The operations a `path` generates: all of its kind, or those `operations(...)` names.
fn operations(cx: &Ctxt, attrs: &attr::Container) -> Vec<Op> {
    let singleton = attrs.singleton.as_ref();
    if attrs.path.is_none() {
        for (key, span) in [
            (SINGLETON, singleton.map(|flag| flag.span)),
            (OPERATIONS, attrs.operations.as_ref().map(|list| list.span)),
        ] {
            if let Some(span) = span {
                cx.error_at(span, format_args!("`{key}` needs a `path`"));
            }
        }
        return Vec::new();
    }
    let allowed = if singleton.is_some() {
        Op::SINGLETON
    } else {
        Op::ALL
    };
    let Some(named) = &attrs.operations else {
        return allowed.to_vec();
    };
    for operation in &named.value {
        if !allowed.contains(&operation.value) {
            cx.error_at(
                operation.span,
                format_args!(
                    "a `singleton` has no `{}`: it offers {}",
                    operation.value,
                    symbol::one_of(allowed)
                ),
            );
        }
    }
    allowed
        .iter()
        .copied()
        .filter(|name| named.value.iter().any(|operation| operation.value == *name))
        .collect()
}

/// Whether `delta` is given where it can be: on a collection's `path`.
fn delta(cx: &Ctxt, attrs: &attr::Container) -> bool {
    let Some(flag) = &attrs.delta else {
        return false;
    };
    if attrs.path.is_none() {
        cx.error_at(flag.span, format_args!("`{DELTA}` needs a `path`"));
    } else if attrs.singleton.is_some() {
        cx.error_at(
            flag.span,
            format_args!("a `{SINGLETON}` has no `{DELTA}`: delta queries track collections"),
        );
    }
    true
}

fn odata_type(cx: &Ctxt, cont: &Container) -> String {
    let attrs = &cont.attrs;
    if let (Some(_), Some(namespace)) = (&attrs.odata_type, &attrs.namespace) {
        cx.error_at(
            namespace.span,
            "`namespace` has no effect with `odata_type`; give the full type name in `odata_type`",
        );
    }
    if let Some(odata_type) = &attrs.odata_type {
        let value = odata_type.value.value();
        let name = value.strip_prefix('#').unwrap_or(&value);
        if !is_qualified_name(name) {
            cx.error_spanned_by(
                &odata_type.value,
                format_args!("`odata_type` must be a qualified name such as `microsoft.graph.groupAssignmentTarget`, found `{value}`"),
            );
        }
        return format!("#{name}");
    }
    let namespace = match &attrs.namespace {
        Some(namespace) => {
            let value = namespace.value.value();
            if !value.split('.').all(is_simple_name) {
                cx.error_spanned_by(
                    &namespace.value,
                    format_args!("`namespace` must be dotted names such as `microsoft.graph`, found `{value}`"),
                );
            }
            value
        }
        None => "microsoft.graph".to_owned(),
    };
    format!(
        "#{namespace}.{}",
        case::lower_first(&cont.ident.unraw().to_string())
    )
}

fn is_simple_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_qualified_name(name: &str) -> bool {
    name.contains('.') && name.split('.').all(is_simple_name)
}

fn check_fields(cx: &Ctxt, fields: &[Field]) {
    let mut names: HashMap<&str, &Field> = HashMap::new();
    let mut additional: Option<&Field> = None;
    let mut base: Option<&Field> = None;
    for field in fields {
        let attrs = &field.attrs;
        // Reports each of `keys` given alongside `role`.
        let reject = |role: Symbol, keys: &[Symbol]| {
            for (key, span) in attrs.key_spans() {
                if let (true, Some(span)) = (keys.contains(&key), span) {
                    cx.error_at(
                        span,
                        format_args!("`{key}` cannot be combined with `{role}`"),
                    );
                }
            }
        };
        if let Some(flag) = &attrs.additional {
            reject(
                ADDITIONAL,
                &[
                    RENAME, SKIP, DEFAULT, WITH, BASE, READ_ONLY, NAVIGATION, CONTAINED,
                ],
            );
            if additional.replace(field).is_some() {
                cx.error_at(flag.span, "only one field can be `additional`");
            }
            if !is_json_map(field.ty) {
                cx.error_spanned_by(
                    field.ty,
                    "an `additional` field must be a `serde_json::Map<String, serde_json::Value>`",
                );
            }
            continue;
        }
        if let Some(flag) = &attrs.base {
            reject(
                BASE,
                &[
                    RENAME, SKIP, DEFAULT, WITH, READ_ONLY, NAVIGATION, CONTAINED,
                ],
            );
            if base.replace(field).is_some() {
                cx.error_at(flag.span, "only one field can be `base`");
            }
            continue;
        }
        if attrs.skip.is_some() {
            reject(SKIP, &[RENAME, WITH, READ_ONLY, NAVIGATION, CONTAINED]);
            continue;
        }
        if attrs.navigation.is_some() {
            reject(NAVIGATION, &[CONTAINED]);
        }
        if let Some(rename) = &attrs.rename {
            let value = rename.value.value();
            if value.is_empty() {
                cx.error_spanned_by(&rename.value, "`rename` must not be empty");
            } else if value == "@odata.type" {
                cx.error_spanned_by(
                    &rename.value,
                    "`@odata.type` is written from the type; it cannot be a field",
                );
            }
        }
        if let Some(first) = names.insert(&field.name, field) {
            cx.error_spanned_by(
                &field.original.ident,
                format_args!(
                    "two fields have the JSON name `{}`: `{}` and `{}`",
                    field.name, first.ident, field.ident
                ),
            );
        }
    }
}

/// `serde_json::Map<String, serde_json::Value>`, however it is spelled.
fn is_json_map(ty: &Type) -> bool {
    let Some(segment) = last_segment(ty) else {
        return false;
    };
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return false;
    };
    let names: Vec<String> = args
        .args
        .iter()
        .filter_map(|arg| match arg {
            GenericArgument::Type(ty) => last_segment(ty).map(|s| s.ident.to_string()),
            _ => None,
        })
        .collect();
    segment.ident == "Map" && args.args.len() == 2 && names == ["String", "Value"]
}

fn check_variant_shape(cx: &Ctxt, variant: &Variant) {
    if let Some((_, discriminant)) = &variant.original.discriminant {
        cx.error_spanned_by(
            discriminant,
            "#[graph_resource] enums cannot have discriminants",
        );
    }
}

fn check_polymorphic(cx: &Ctxt, variants: &[Variant]) {
    check_declared(cx, variants);
    let mut other: Option<&Variant> = None;
    let mut types: HashMap<String, &Variant> = HashMap::new();
    for variant in variants {
        check_variant_shape(cx, variant);
        if let Some(rename) = &variant.attrs.rename {
            cx.error_at(rename.span, "`rename` has no meaning here: a variant's `@odata.type` comes from the type it holds");
        }
        let Some(ty) = variant.ty else {
            cx.error_spanned_by(
                variant.original,
                format_args!(
                    "each variant of a polymorphic enum holds exactly one annotated type, such as `{}(GroupAssignmentTarget)`",
                    variant.ident
                ),
            );
            continue;
        };
        if let Some(flag) = &variant.attrs.other {
            if other.replace(variant).is_some() {
                cx.error_at(flag.span, "only one variant can be `other`");
            }
            if !last_segment(ty)
                .is_some_and(|s| s.ident == "UntypedResource" && s.arguments.is_none())
            {
                cx.error_spanned_by(ty, "the `other` variant of a polymorphic enum must hold a `graph_resource::UntypedResource`");
            }
            continue;
        }
        let inner = variant.inner.unwrap_or(ty);
        if last_segment(inner).is_some_and(|s| s.ident == "UntypedResource") {
            cx.error_spanned_by(
                variant.original,
                format_args!(
                    "a variant holding an `UntypedResource` receives the types no other variant names: mark it `#[graph(other)]`, as in `#[graph(other)] {}(UntypedResource)`",
                    variant.ident
                ),
            );
            continue;
        }
        let key = ungroup(inner).to_token_stream().to_string();
        if let Some(first) = types.insert(key, variant) {
            cx.error_spanned_by(
                ty,
                format_args!(
                    "variants `{}` and `{}` hold the same type",
                    first.ident, variant.ident
                ),
            );
        }
    }
}

/// At most one `declared` variant, and not the `other` one: an object without `@odata.type`
/// is of the declared type, which a typed variant holds.
fn check_declared(cx: &Ctxt, variants: &[Variant]) {
    let mut declared: Option<&Variant> = None;
    for variant in variants {
        let Some(flag) = &variant.attrs.declared else {
            continue;
        };
        if variant.attrs.other.is_some() {
            cx.error_at(
                flag.span,
                "`declared` cannot be combined with `other`: an object without `@odata.type` is of the declared type; mark the variant that holds it",
            );
        } else if let Some(first) = declared.replace(variant) {
            cx.error_at(
                flag.span,
                format_args!(
                    "only one variant can be `declared`, and `{}` already is",
                    first.ident
                ),
            );
        }
    }
}

fn check_string_enum(cx: &Ctxt, variants: &[Variant]) {
    let mut other: Option<&Variant> = None;
    let mut values: HashMap<String, &Variant> = HashMap::new();
    for variant in variants {
        check_variant_shape(cx, variant);
        if let Some(declared) = &variant.attrs.declared {
            cx.error_at(
                declared.span,
                "`declared` has no meaning on a string enum: it marks the variant of a polymorphic enum that reads an object without `@odata.type`",
            );
        }
        if let Some(flag) = &variant.attrs.other {
            if let Some(rename) = &variant.attrs.rename {
                cx.error_at(
                    rename.span,
                    "`rename` has no meaning on the `other` variant: it holds any value",
                );
            }
            if other.replace(variant).is_some() {
                cx.error_at(flag.span, "only one variant can be `other`");
            }
            let holds_string = variant
                .ty
                .and_then(last_segment)
                .is_some_and(|s| s.ident == "String");
            if !holds_string {
                cx.error_spanned_by(
                    variant.original,
                    format_args!("the `other` variant of a string enum holds the unknown value: `{}(String)`", variant.ident),
                );
            }
            continue;
        }
        if !variant.original.fields.is_empty() {
            let message = if variant
                .ty
                .and_then(last_segment)
                .is_some_and(|s| s.ident == "String")
            {
                "a variant holding a `String` receives unknown values: mark it `#[graph(other)]`"
            } else {
                "a string enum's variants have no fields (only the `other` variant holds a `String`)"
            };
            cx.error_spanned_by(&variant.original.fields, message);
            continue;
        }
        if variant.value.is_empty() {
            cx.error_spanned_by(variant.ident, "`rename` must not be empty");
        }
        if let Some(first) = values.insert(variant.value.to_ascii_lowercase(), variant) {
            cx.error_spanned_by(
                variant.ident,
                format_args!(
                    "variants `{}` and `{}` have the same value `{}` (values are read case-insensitively)",
                    first.ident, variant.ident, variant.value
                ),
            );
        }
    }
}

/// Reports a `#[name = "…"]` that is not an OData name: the name is a path segment as it
/// is, so `/`, `?` or a space would change the path.
fn odata_name(cx: &Ctxt, name: Option<&syn::LitStr>) {
    if let Some(name) = name {
        let value = name.value();
        if let Some(problem) = odata_name_problem(&value, true) {
            cx.error_spanned_by(name, problem);
        }
    }
}

/// What is wrong with `name` as an OData name: an identifier of ASCII letters, digits and
/// `_`, not starting with a digit, or, when `qualified`, such identifiers joined by `.`
/// (`microsoft.graph.wipe`).
fn odata_name_problem(name: &str, qualified: bool) -> Option<String> {
    if name.is_empty() {
        return Some("`name` must not be empty".to_owned());
    }
    let identifier = |part: &str| {
        part.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let valid = if qualified {
        name.split('.').all(identifier)
    } else {
        identifier(name)
    };
    (!valid).then(|| {
        format!(
            "`{}` is not an OData name: expected ASCII letters, digits and `_`, not starting \
             with a digit{}, such as `{}`",
            name.escape_debug(),
            if qualified {
                " (and `.` between the parts of a qualified name)"
            } else {
                ""
            },
            if qualified { "getByIds" } else { "memberOf" },
        )
    })
}
