//! Parses the bound operations declared on a type: `actions(...)`, `functions(...)` and
//! `alternate_keys(...)` in `#[graph_resource(...)]`.
//!
//! ```text
//! actions(sync_device, #[collection] validate(Body) -> Page<Self>, #[name = "x"] y() -> ValueOf<String>)
//! functions(report(#[name = "Period"] period: &str) -> Bytes)
//! alternate_keys(userPrincipalName, appId)
//! ```
//!
//! Every mistake inside an entry is reported at its span; an entry that does not parse is
//! reported by syn and ends its list.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Meta, Token, Type};

use crate::case;
use crate::ctxt::Ctxt;
use crate::symbol::{self, COLLECTION, NAME};

/// What every entry may carry: `#[collection]`, `#[name = "graphName"]` and doc comments.
pub struct EntryAttrs {
    /// `#[collection]`: bound to the collection, not to an entity.
    pub collection: Option<Span>,
    /// `#[name = "…"]`: the Graph name, when it is not the Rust name in lowerCamelCase.
    pub name: Option<LitStr>,
    /// The entry's own doc comments, written after the generated line.
    pub docs: Vec<Attribute>,
}

/// `[#[collection]] [#[name = "…"]] rust_name[(Body)] [-> Answer]` in `actions(...)`.
pub struct ActionDecl {
    pub attrs: EntryAttrs,
    pub ident: Ident,
    /// The body types written in the parentheses: none, one, or a mistake.
    pub bodies: Vec<Type>,
    pub answer: Option<Type>,
}

/// `[#[collection]] [#[name = "…"]] rust_name(param: Type, ...) [-> Answer]` in
/// `functions(...)`.
pub struct FunctionDecl {
    pub attrs: EntryAttrs,
    pub ident: Ident,
    pub params: Vec<Param>,
    pub answer: Option<Type>,
}

/// `[#[name = "GraphName"]] ident: Type`, a parameter of a function.
pub struct Param {
    pub ident: Ident,
    pub ty: Type,
    /// The name in the call, `#[name = "…"]` or the ident in lowerCamelCase.
    pub name: String,
    /// Where the name comes from: the `#[name]` value, or the ident.
    pub name_span: Span,
}

impl ActionDecl {
    /// The Graph name: `#[name = "…"]`, or the Rust name in lowerCamelCase.
    pub fn graph_name(&self) -> String {
        graph_name(&self.attrs, &self.ident)
    }
}

impl FunctionDecl {
    /// The Graph name: `#[name = "…"]`, or the Rust name in lowerCamelCase.
    pub fn graph_name(&self) -> String {
        graph_name(&self.attrs, &self.ident)
    }
}

fn graph_name(attrs: &EntryAttrs, ident: &Ident) -> String {
    match &attrs.name {
        Some(name) => name.value(),
        None => case::field_to_property(&ident.unraw().to_string()),
    }
}

/// The entries of `actions(...)`.
pub fn parse_actions(cx: &Ctxt, input: ParseStream) -> syn::Result<Vec<ActionDecl>> {
    terminated(input, |input| {
        let attrs = EntryAttrs::parse(cx, input)?;
        let ident = input.call(Ident::parse_any)?;
        let mut bodies = Vec::new();
        if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            bodies = Punctuated::<Type, Token![,]>::parse_terminated(&content)?
                .into_iter()
                .collect();
        }
        let answer = answer(input)?;
        Ok(ActionDecl {
            attrs,
            ident,
            bodies,
            answer,
        })
    })
}

/// The entries of `functions(...)`.
pub fn parse_functions(cx: &Ctxt, input: ParseStream) -> syn::Result<Vec<FunctionDecl>> {
    terminated(input, |input| {
        let attrs = EntryAttrs::parse(cx, input)?;
        let ident = input.call(Ident::parse_any)?;
        let content;
        syn::parenthesized!(content in input);
        let params = terminated(&content, |input| param(cx, input))?;
        let answer = answer(input)?;
        Ok(FunctionDecl {
            attrs,
            ident,
            params: params.into_iter().flatten().collect(),
            answer,
        })
    })
}

/// The property names of `alternate_keys(...)`.
pub fn parse_alternate_keys(input: ParseStream) -> syn::Result<Vec<Ident>> {
    terminated(input, |input| input.call(Ident::parse_any))
}

/// `-> Answer`, if written.
fn answer(input: ParseStream) -> syn::Result<Option<Type>> {
    if input.peek(Token![->]) {
        input.parse::<Token![->]>()?;
        input.parse().map(Some)
    } else {
        Ok(None)
    }
}

/// One parameter; `None` (after reporting it) for a pattern that is not an identifier.
fn param(cx: &Ctxt, input: ParseStream) -> syn::Result<Option<Param>> {
    let attrs = input.call(Attribute::parse_outer)?;
    let mut pattern = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![:]) && !input.peek(Token![,]) {
        pattern.extend([input.parse::<TokenTree>()?]);
    }
    let mut tokens = pattern.clone().into_iter();
    let ident = match (tokens.next(), tokens.next()) {
        (Some(TokenTree::Ident(ident)), None) if ident != "self" && ident != "_" => Some(ident),
        _ => None,
    };
    let receiver = pattern
        .clone()
        .into_iter()
        .any(|token| matches!(&token, TokenTree::Ident(ident) if ident == "self"));
    if receiver {
        cx.error_spanned_by(
            &pattern,
            "a bound function takes no `self`: it is called on the path of the entity or \
             collection it is bound to; declare only its parameters, such as `period: &str`",
        );
    } else if ident.is_none() {
        cx.error_spanned_by(
            &pattern,
            format_args!(
                "a function's parameter is named by an identifier, such as `period: &str`, \
                 found `{pattern}`"
            ),
        );
    }
    if receiver && !input.peek(Token![:]) {
        return Ok(None);
    }
    input.parse::<Token![:]>()?;
    let ty: Type = input.parse()?;
    let Some(ident) = ident else {
        return Ok(None);
    };
    let mut name = None;
    for attr in attrs {
        match name_value(&attr) {
            Some(lit) if attr.path() == NAME && name.is_none() => name = Some(lit),
            Some(_) if attr.path() == NAME => {
                cx.error_spanned_by(attr.path(), format_args!("duplicate `#[{NAME}]`"));
            }
            _ => cx.error_spanned_by(
                attr.path(),
                format_args!(
                    "unknown parameter attribute `#[{}]`, expected `#[name = \"GraphName\"]`",
                    attr.path().to_token_stream().to_string().replace(' ', "")
                ),
            ),
        }
    }
    let (name, name_span) = match name {
        Some(lit) => (lit.value(), lit.span()),
        None => (
            case::field_to_property(&ident.unraw().to_string()),
            ident.span(),
        ),
    };
    Ok(Some(Param {
        ident,
        ty,
        name,
        name_span,
    }))
}

impl EntryAttrs {
    fn parse(cx: &Ctxt, input: ParseStream) -> syn::Result<EntryAttrs> {
        let mut entry = EntryAttrs {
            collection: None,
            name: None,
            docs: Vec::new(),
        };
        for attr in input.call(Attribute::parse_outer)? {
            let path = attr.path();
            let repeated = (path == COLLECTION && entry.collection.is_some())
                || (path == NAME && entry.name.is_some());
            if repeated {
                cx.error_spanned_by(path, format_args!("duplicate `#[{}]`", path_text(path)));
            } else if path.is_ident("doc") {
                entry.docs.push(attr);
            } else if path == COLLECTION && matches!(attr.meta, Meta::Path(_)) {
                entry.collection = Some(path.span());
            } else if path == COLLECTION {
                cx.error_spanned_by(&attr.meta, "`#[collection]` takes no value");
            } else if path == NAME {
                match name_value(&attr) {
                    Some(lit) => entry.name = Some(lit),
                    None => cx.error_spanned_by(
                        &attr.meta,
                        "`#[name]` takes the Graph name: `#[name = \"createDownloadUrl\"]`",
                    ),
                }
            } else {
                cx.error_spanned_by(
                    path,
                    format_args!(
                        "unknown attribute `#[{}]` on a bound operation, expected one of {}",
                        path_text(path),
                        symbol::one_of(&[COLLECTION, NAME])
                    ),
                );
            }
        }
        Ok(entry)
    }
}

/// The string of `#[name = "…"]`.
fn name_value(attr: &Attribute) -> Option<LitStr> {
    match &attr.meta {
        Meta::NameValue(pair) => match &pair.value {
            Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) => Some(lit.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn path_text(path: &syn::Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

/// Items parsed by `parse`, separated by commas, a trailing one allowed.
fn terminated<T>(
    input: ParseStream,
    mut parse: impl FnMut(ParseStream) -> syn::Result<T>,
) -> syn::Result<Vec<T>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(parse(input)?);
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(items)
}
