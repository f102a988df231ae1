//! Parses `#[graph_resource(...)]` on the item and `#[graph(...)]` on fields and variants.
//!
//! Every unknown or repeated key is an error at its span; parsing goes on after an error so
//! that all of them are reported.

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Attribute, LitStr};

use crate::ctxt::Ctxt;
use crate::op::Op;
use crate::operation::{self, ActionDecl, FunctionDecl};
use crate::symbol::{
    self, ACTIONS, ADDITIONAL, ALTERNATE_KEYS, BASE, CONTAINED, CRATE, DEFAULT, DELTA, FLAGS,
    FUNCTIONS, GRAPH, NAMESPACE, NAVIGATION, ODATA_TYPE, OPERATIONS, OTHER, PARAMETERS, PATH,
    READ_ONLY, RENAME, SINGLETON, SKIP, Symbol, WITH,
};

/// A key given once, remembering where.
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// Sets `slot` from the key `name`, or reports a repeated key.
fn set_once<T>(
    cx: &Ctxt,
    slot: &mut Option<Spanned<T>>,
    meta: &ParseNestedMeta,
    name: Symbol,
    value: T,
) {
    let span = meta.path.span_of_first();
    if slot.is_some() {
        cx.error_at(span, format_args!("duplicate `{name}`"));
    } else {
        *slot = Some(Spanned { value, span });
    }
}

/// Sets the flag `name` (a key without a value), or reports a repeated key or a value.
fn set_flag(
    cx: &Ctxt,
    slot: &mut Option<Spanned<()>>,
    meta: &ParseNestedMeta,
    name: Symbol,
) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        cx.error_at(
            meta.path.span_of_first(),
            format_args!("`{name}` takes no value: write `{name}` alone"),
        );
        return skip_value(meta);
    }
    set_once(cx, slot, meta, name, ());
    Ok(())
}

trait PathSpan {
    fn span_of_first(&self) -> Span;
}

impl PathSpan for syn::Path {
    fn span_of_first(&self) -> Span {
        self.segments
            .first()
            .map_or_else(Span::call_site, |segment| segment.ident.span())
    }
}

/// Skips what follows an unknown key (`= value` or `(...)`), so parsing can go on.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.input.parse::<syn::Token![=]>()?;
        while !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
            meta.input.parse::<proc_macro2::TokenTree>()?;
        }
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

fn key_name(meta: &ParseNestedMeta) -> String {
    quote::ToTokens::to_token_stream(&meta.path)
        .to_string()
        .replace(' ', "")
}

fn unknown_key(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    context: &str,
    expected: &[Symbol],
) -> syn::Result<()> {
    cx.error_at(
        meta.path.span_of_first(),
        format_args!(
            "unknown {context} key `{}`, expected one of {}",
            key_name(meta),
            symbol::one_of(expected)
        ),
    );
    skip_value(meta)
}

/// Reports a parse error at its span and skips the rest of the key.
fn recover(cx: &Ctxt, meta: &ParseNestedMeta, result: syn::Result<()>) -> syn::Result<()> {
    if let Err(error) = result {
        cx.syn_error(error);
        while !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
            meta.input.parse::<proc_macro2::TokenTree>()?;
        }
    }
    Ok(())
}

/// `#[graph_resource(path = "...", singleton, operations(...), delta, actions(...),
/// functions(...), alternate_keys(...), odata_type = "...", namespace = "...", crate =
/// "...")]`, `parameters` on a struct, or `flags` on a fieldless enum.
#[derive(Default)]
pub struct Container {
    pub path: Option<Spanned<LitStr>>,
    pub singleton: Option<Spanned<()>>,
    /// The operations named in `operations(...)`, each with its span.
    pub operations: Option<Spanned<Vec<Spanned<Op>>>>,
    pub flags: Option<Spanned<()>>,
    /// `delta`: the collection offers a delta query.
    pub delta: Option<Spanned<()>>,
    pub odata_type: Option<Spanned<LitStr>>,
    pub namespace: Option<Spanned<LitStr>>,
    pub krate: Option<Spanned<syn::Path>>,
    /// `base = "Type"` on a polymorphic enum: the type it stands for, whose navigation
    /// properties and casts apply to it.
    pub base: Option<Spanned<syn::Path>>,
    /// The bound actions declared in `actions(...)`.
    pub actions: Option<Spanned<Vec<ActionDecl>>>,
    /// The bound functions declared in `functions(...)`.
    pub functions: Option<Spanned<Vec<FunctionDecl>>>,
    /// The property names of `alternate_keys(...)`.
    pub alternate_keys: Option<Spanned<Vec<proc_macro2::Ident>>>,
    /// `parameters`: the struct is the JSON body of an action's parameters.
    pub parameters: Option<Spanned<()>>,
}

impl Container {
    pub fn parse(cx: &Ctxt, args: TokenStream) -> Container {
        let mut attrs = Container::default();
        let parser = syn::meta::parser(|meta| {
            let result = if meta.path == PATH {
                meta.value()
                    .and_then(|v| v.parse())
                    .map(|lit| set_once(cx, &mut attrs.path, &meta, PATH, lit))
            } else if meta.path == SINGLETON {
                set_flag(cx, &mut attrs.singleton, &meta, SINGLETON)
            } else if meta.path == OPERATIONS {
                let named = operations(cx, &meta);
                named.map(|named| set_once(cx, &mut attrs.operations, &meta, OPERATIONS, named))
            } else if meta.path == ACTIONS {
                parenthesized(&meta, |input| operation::parse_actions(cx, input))
                    .map(|list| set_once(cx, &mut attrs.actions, &meta, ACTIONS, list))
            } else if meta.path == FUNCTIONS {
                parenthesized(&meta, |input| operation::parse_functions(cx, input))
                    .map(|list| set_once(cx, &mut attrs.functions, &meta, FUNCTIONS, list))
            } else if meta.path == ALTERNATE_KEYS {
                parenthesized(&meta, operation::parse_alternate_keys).map(|keys| {
                    set_once(cx, &mut attrs.alternate_keys, &meta, ALTERNATE_KEYS, keys)
                })
            } else if meta.path == PARAMETERS {
                set_flag(cx, &mut attrs.parameters, &meta, PARAMETERS)
            } else if meta.path == ODATA_TYPE {
                meta.value()
                    .and_then(|v| v.parse())
                    .map(|lit| set_once(cx, &mut attrs.odata_type, &meta, ODATA_TYPE, lit))
            } else if meta.path == NAMESPACE {
                meta.value()
                    .and_then(|v| v.parse())
                    .map(|lit| set_once(cx, &mut attrs.namespace, &meta, NAMESPACE, lit))
            } else if meta.path == DELTA {
                set_flag(cx, &mut attrs.delta, &meta, DELTA)
            } else if meta.path == FLAGS {
                set_flag(cx, &mut attrs.flags, &meta, FLAGS)
            } else if meta.path == CRATE {
                meta.value()
                    .and_then(|v| v.parse::<LitStr>())
                    .and_then(|lit| lit.parse::<syn::Path>())
                    .map(|path| set_once(cx, &mut attrs.krate, &meta, CRATE, path))
            } else if meta.path == BASE {
                meta.value()
                    .and_then(|v| v.parse::<LitStr>())
                    .and_then(|lit| lit.parse::<syn::Path>())
                    .map(|path| set_once(cx, &mut attrs.base, &meta, BASE, path))
            } else {
                return unknown_key(cx, &meta, "graph_resource", symbol::CONTAINER_KEYS);
            };
            recover(cx, &meta, result)
        });
        if let Err(error) = parser.parse2(args) {
            cx.syn_error(error);
        }
        attrs
    }
}

/// What the parentheses after a key hold, read by `parse`.
fn parenthesized<T>(
    meta: &ParseNestedMeta,
    parse: impl FnOnce(syn::parse::ParseStream) -> syn::Result<T>,
) -> syn::Result<T> {
    let content;
    syn::parenthesized!(content in meta.input);
    parse(&content)
}

/// The names in `operations(create, list, ...)`; unknown and repeated names are reported.
fn operations(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Vec<Spanned<Op>>> {
    let mut named: Vec<Spanned<Op>> = Vec::new();
    meta.parse_nested_meta(|operation| {
        let span = operation.path.span_of_first();
        match Op::ALL.iter().find(|op| operation.path.is_ident(op.name())) {
            Some(&name) if named.iter().any(|seen| seen.value == name) => {
                cx.error_at(span, format_args!("duplicate operation `{name}`"));
            }
            Some(&name) => named.push(Spanned { value: name, span }),
            None => cx.error_at(
                span,
                format_args!(
                    "unknown operation `{}`, expected one of {}",
                    key_name(&operation),
                    symbol::one_of(Op::ALL)
                ),
            ),
        }
        skip_value(&operation)
    })?;
    Ok(named)
}

/// `#[graph(...)]` on a field of a struct.
#[derive(Default)]
pub struct Field {
    pub rename: Option<Spanned<LitStr>>,
    pub additional: Option<Spanned<()>>,
    pub base: Option<Spanned<()>>,
    pub skip: Option<Spanned<()>>,
    /// `default`, or `default = "path"`.
    pub default: Option<Spanned<Option<syn::Path>>>,
    pub with: Option<Spanned<syn::Path>>,
    /// `read_only`: Graph does not let clients write the property; a diff never sends it.
    pub read_only: Option<Spanned<()>>,
    /// `navigation`: a navigation property that relates entities stored elsewhere.
    pub navigation: Option<Spanned<()>>,
    /// `contained`: a navigation property that holds its entities.
    pub contained: Option<Spanned<()>>,
}

impl Field {
    /// Each key of [`symbol::FIELD_KEYS`] and where it was given, if it was.
    pub fn key_spans(&self) -> [(Symbol, Option<Span>); 9] {
        [
            (RENAME, self.rename.as_ref().map(|s| s.span)),
            (ADDITIONAL, self.additional.as_ref().map(|s| s.span)),
            (BASE, self.base.as_ref().map(|s| s.span)),
            (SKIP, self.skip.as_ref().map(|s| s.span)),
            (DEFAULT, self.default.as_ref().map(|s| s.span)),
            (WITH, self.with.as_ref().map(|s| s.span)),
            (READ_ONLY, self.read_only.as_ref().map(|s| s.span)),
            (NAVIGATION, self.navigation.as_ref().map(|s| s.span)),
            (CONTAINED, self.contained.as_ref().map(|s| s.span)),
        ]
    }

    pub fn parse(cx: &Ctxt, attrs: &[Attribute]) -> Field {
        let mut field = Field::default();
        for attr in graph_attrs(attrs) {
            parse_list(cx, attr, |meta| {
                if meta.path == RENAME {
                    let lit = meta.value()?.parse::<LitStr>()?;
                    set_once(cx, &mut field.rename, meta, RENAME, lit);
                } else if meta.path == ADDITIONAL {
                    set_flag(cx, &mut field.additional, meta, ADDITIONAL)?;
                } else if meta.path == BASE {
                    set_flag(cx, &mut field.base, meta, BASE)?;
                } else if meta.path == SKIP {
                    set_flag(cx, &mut field.skip, meta, SKIP)?;
                } else if meta.path == READ_ONLY {
                    set_flag(cx, &mut field.read_only, meta, READ_ONLY)?;
                } else if meta.path == NAVIGATION {
                    set_flag(cx, &mut field.navigation, meta, NAVIGATION)?;
                } else if meta.path == CONTAINED {
                    set_flag(cx, &mut field.contained, meta, CONTAINED)?;
                } else if meta.path == DEFAULT {
                    let function = if meta.input.peek(syn::Token![=]) {
                        Some(meta.value()?.parse::<LitStr>()?.parse::<syn::Path>()?)
                    } else {
                        None
                    };
                    set_once(cx, &mut field.default, meta, DEFAULT, function);
                } else if meta.path == WITH {
                    let module = meta.value()?.parse::<LitStr>()?.parse::<syn::Path>()?;
                    set_once(cx, &mut field.with, meta, WITH, module);
                } else {
                    return unknown_key(cx, meta, "field", symbol::FIELD_KEYS);
                }
                Ok(())
            });
        }
        field
    }
}

/// `#[graph(...)]` on a variant of an enum.
#[derive(Default)]
pub struct Variant {
    pub other: Option<Spanned<()>>,
    /// `declared`: the variant of the declared type, read when `@odata.type` is absent.
    pub declared: Option<Spanned<()>>,
    pub rename: Option<Spanned<LitStr>>,
}

impl Variant {
    pub fn parse(cx: &Ctxt, attrs: &[Attribute]) -> Variant {
        let mut variant = Variant::default();
        for attr in graph_attrs(attrs) {
            parse_list(cx, attr, |meta| {
                if meta.path == OTHER {
                    set_flag(cx, &mut variant.other, meta, OTHER)?;
                } else if meta.path == symbol::DECLARED {
                    set_flag(cx, &mut variant.declared, meta, symbol::DECLARED)?;
                } else if meta.path == RENAME {
                    let lit = meta.value()?.parse::<LitStr>()?;
                    set_once(cx, &mut variant.rename, meta, RENAME, lit);
                } else {
                    return unknown_key(cx, meta, "variant", symbol::VARIANT_KEYS);
                }
                Ok(())
            });
        }
        variant
    }
}

/// Parses one `#[graph(...)]` list, reporting each key's error and going on.
fn parse_list(
    cx: &Ctxt,
    attr: &Attribute,
    mut logic: impl FnMut(&ParseNestedMeta) -> syn::Result<()>,
) {
    let result = attr.parse_nested_meta(|meta| {
        let result = logic(&meta);
        recover(cx, &meta, result)
    });
    if let Err(error) = result {
        cx.syn_error(error);
    }
}

/// The `#[graph(...)]` attributes among `attrs`.
pub fn graph_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|attr| attr.path() == GRAPH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_spans_list_every_field_key_in_order() {
        let keys: Vec<Symbol> = Field::default()
            .key_spans()
            .iter()
            .map(|(key, _)| *key)
            .collect();
        assert!(keys == symbol::FIELD_KEYS);
    }
}
