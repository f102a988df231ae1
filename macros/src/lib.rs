//! The `#[graph_resource]` attribute of [graph-resource](https://docs.rs/graph-resource).
//!
//! Use it through the `graph-resource` crate, which documents the attribute and re-exports
//! the runtime the generated code calls. The stages live in their own modules: `symbol`
//! names the keys, `op` the operations, `attr` and `path` parse, `ast` builds the model, `check` validates,
//! `fields` (with `ser`), `enums`, `flags` and `ops` expand, `impls` holds what every expansion shares
//! and `fallback` stands in when there were errors.

mod ast;
mod attr;
mod bound;
mod case;
mod check;
mod ctxt;
mod enums;
mod expand;
mod fallback;
mod fields;
mod flags;
mod impls;
mod nav;
mod op;
mod operation;
mod ops;
mod path;
mod ser;
mod symbol;

use proc_macro::TokenStream;

/// Derives OData JSON (de)serialization and typed Graph operations; see the `graph-resource`
/// crate for the attribute's keys and the wire rules.
#[proc_macro_attribute]
pub fn graph_resource(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::expand(args.into(), input.into()).into()
}

/// What `#[graph_resource]` expands through when fields or variants carry `cfg` or
/// `cfg_attr`: the compiler configures a derive's input. Not for direct use.
#[doc(hidden)]
#[proc_macro_derive(__GraphResourceConfigured, attributes(graph, __graph_resource))]
pub fn graph_resource_configured(input: TokenStream) -> TokenStream {
    expand::expand_configured(input.into()).into()
}
