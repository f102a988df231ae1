//! The `#[graph_resource]` attribute of [graph-resource](https://docs.rs/graph-resource).
//!
//! Use it through the `graph-resource` crate, which documents the attribute and re-exports
//! the runtime the generated code calls. The stages live in their own modules: `attr` and
//! `path` parse, `ast` builds the model, `check` validates, `ser`, `de`, `ops`, `enums`
//! and `flags` expand.

mod ast;
mod attr;
mod case;
mod check;
mod ctxt;
mod de;
mod enums;
mod expand;
mod flags;
mod ops;
mod path;
mod ser;

use proc_macro::TokenStream;

/// Derives OData JSON (de)serialization and typed Graph operations; see the `graph-resource`
/// crate for the attribute's keys and the wire rules.
#[proc_macro_attribute]
pub fn graph_resource(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::expand(args.into(), input.into()).into()
}
