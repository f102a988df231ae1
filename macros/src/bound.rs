//! Expands the declared bound operations and alternate keys: one associated const per
//! action, one short associated fn per function and per alternate key, per type.
//!
//! Each type the declaration names is checked where it is written: the helpers of the
//! runtime bound a body by `Serialize` and an answer by `Answer`, and generated code names
//! them through `_` placeholders at the type's span, so that a type that does not fit is an
//! error there; a parameter is passed to `arg` at its type's span, which needs an
//! `ODataLiteral`.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote_spanned};
use syn::Type;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::ast::Container;
use crate::case;
use crate::impls::quote_mixed;
use crate::operation::{ActionDecl, FunctionDecl};
use crate::path::Template;

/// The items declared by `actions(...)`, `functions(...)` and `alternate_keys(...)`, in one
/// impl block; nothing when none is declared.
pub fn impls(
    cont: &Container,
    template: Option<&Template>,
    krate: &syn::Path,
    private: &TokenStream,
) -> TokenStream {
    let attrs = &cont.attrs;
    let actions = attrs.actions.iter().flat_map(|list| &list.value);
    let functions = attrs.functions.iter().flat_map(|list| &list.value);
    let keys = attrs.alternate_keys.iter().flat_map(|list| &list.value);
    let mut items: Vec<TokenStream> = actions
        .map(|decl| action(cont, decl, krate, private))
        .chain(functions.map(|decl| function(cont, decl, krate, private)))
        .collect();
    if let Some(template) = template {
        items.extend(keys.map(|key| alternate_key(cont, key, template, krate)));
    }
    if items.is_empty() {
        return TokenStream::new();
    }
    let ident = cont.ident;
    quote_mixed! {
        #[automatically_derived]
        impl #ident {
            #(#items)*
        }
    }
}

/// `()` when `ty` is not written.
fn or_unit(ty: Option<&Type>) -> TokenStream {
    ty.map_or_else(|| quote_mixed!(()), ToTokens::to_token_stream)
}

/// `_` at the span of `ty` (the call site when it is not written): what it is inferred to
/// be is checked against the helper's bounds, and an error is reported at `ty`.
fn placeholder(ty: Option<&Type>) -> TokenStream {
    let span = ty.map_or_else(Span::call_site, Spanned::span);
    quote_spanned!(span=> _)
}

/// `Self`'s binding: `Many` for `#[collection]`, `One` for an entity.
fn binding(collection: Option<Span>, krate: &syn::Path) -> (TokenStream, &'static str) {
    match collection {
        Some(_) => (quote_mixed!(#krate::Many), "a collection of"),
        None => (quote_mixed!(#krate::One), "an entity of type"),
    }
}

/// `pub const SYNC_DEVICE: Action<Self, (), (), One> = action::<Self, _, _, One>("syncDevice");`
fn action(
    cont: &Container,
    decl: &ActionDecl,
    krate: &syn::Path,
    private: &TokenStream,
) -> TokenStream {
    let vis = &cont.input.vis;
    let ident = &decl.ident;
    let constant = syn::Ident::new(&ident.unraw().to_string().to_uppercase(), ident.span());
    let body = decl.bodies.first();
    let answer = decl.answer.as_ref();
    let (body_ty, answer_ty) = (or_unit(body), or_unit(answer));
    let (body_check, answer_check) = (placeholder(body), placeholder(answer));
    let (cardinality, bound_to) = binding(decl.attrs.collection, krate);
    let graph_name = decl.graph_name();
    let doc = format!(
        "`POST …/{graph_name}`: the action `{graph_name}` bound to {bound_to} `{}`, \
         {}; answered as `{}`. Sent by `.call(Self::{constant}, &body)` on its path.",
        cont.ident,
        match body {
            Some(body) => format!("its parameters sent as a `{}`", shown(body)),
            None => "without parameters (`&()`)".to_owned(),
        },
        answer.map_or_else(|| "()".to_owned(), shown),
    );
    let docs = &decl.attrs.docs;
    quote_mixed! {
        #[doc = #doc]
        #(#docs)*
        #vis const #constant: #krate::Action<Self, #body_ty, #answer_ty, #cardinality> =
            #private::action::<Self, #body_check, #answer_check, #cardinality>(#graph_name);
    }
}

/// `pub fn name(p: T) -> Function<Self, A, One> { function::<Self, _, One>("name").arg("p", p) }`
fn function(
    cont: &Container,
    decl: &FunctionDecl,
    krate: &syn::Path,
    private: &TokenStream,
) -> TokenStream {
    let vis = &cont.input.vis;
    let ident = &decl.ident;
    let answer = decl.answer.as_ref();
    let (answer_ty, answer_check) = (or_unit(answer), placeholder(answer));
    let (cardinality, bound_to) = binding(decl.attrs.collection, krate);
    let graph_name = decl.graph_name();
    let params = decl.params.iter().map(|param| {
        let (name, ty) = (&param.ident, &param.ty);
        quote_mixed!(#name: #ty)
    });
    let args = decl.params.iter().map(|param| {
        let name = &param.name;
        // The argument at its type's span: a type that is not an `ODataLiteral` is an
        // error at the declaration.
        let span = param.ty.span();
        let mut value = param.ident.clone();
        value.set_span(span);
        quote_spanned!(span.resolved_at(Span::mixed_site())=> .arg(#name, #value))
    });
    let shown_params: Vec<String> = decl
        .params
        .iter()
        .map(|param| format!("{}=…", param.name))
        .collect();
    let doc = format!(
        "`GET …/{graph_name}({})`: the function `{graph_name}` bound to {bound_to} `{}`; \
         answered as `{}`. Sent by `.call_function(Self::{ident}(…))` on its path.",
        shown_params.join(","),
        cont.ident,
        answer.map_or_else(|| "()".to_owned(), shown),
    );
    let docs = &decl.attrs.docs;
    quote_mixed! {
        #[doc = #doc]
        #(#docs)*
        #vis fn #ident(#(#params),*) -> #krate::Function<Self, #answer_ty, #cardinality> {
            #private::function::<Self, #answer_check, #cardinality>(#graph_name)#(#args)*
        }
    }
}

/// `pub fn by_user_principal_name(client, keys…, value) -> EntityPath<Self>`.
fn alternate_key(
    cont: &Container,
    key: &syn::Ident,
    template: &Template,
    krate: &syn::Path,
) -> TokenStream {
    let vis = &cont.input.vis;
    let property = key.unraw().to_string();
    let name = syn::Ident::new(
        &format!("by_{}", case::camel_to_snake(&property)),
        key.span(),
    );
    let keys: Vec<&syn::Ident> = template.keys().collect();
    let doc = format!(
        "`{}({property}='…')`: the `{}` whose alternate key `{property}` is `value`, as a \
         path value; the value is written as an OData string literal.",
        crate::ops::shown(template, None),
        cont.ident,
    );
    quote_mixed! {
        #[doc = #doc]
        #vis fn #name(
            client: &#krate::Client,
            #(#keys: &::core::primitive::str,)*
            value: &::core::primitive::str,
        ) -> #krate::EntityPath<Self> {
            Self::collection(client, #(#keys),*).alternate_key(#property, value)
        }
    }
}

/// A type as the docs show it.
fn shown(ty: &Type) -> String {
    ty.to_token_stream().to_string().replace(' ', "")
}
