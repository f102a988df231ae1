//! The operations a `path` generates: every fact about each one in one exhaustive `match`,
//! so that a new operation cannot be parsed without being expanded, or the reverse.

use std::fmt;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::impls::quote_mixed;

/// One operation of a collection or a singleton, named as its generated function.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Create,
    List,
    Get,
    Update,
    Delete,
}

impl Op {
    /// The operations `operations(...)` may name, in the order they are generated.
    pub const ALL: &[Op] = &[Op::Create, Op::List, Op::Get, Op::Update, Op::Delete];
    /// The operations of a singleton.
    pub const SINGLETON: &[Op] = &[Op::Get, Op::Update];

    /// The name of the generated function, and of the runtime's function it calls.
    pub fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::List => "list",
            Op::Get => "get",
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }

    /// The HTTP method it sends.
    pub fn method(self) -> &'static str {
        match self {
            Op::Create => "POST",
            Op::List | Op::Get => "GET",
            Op::Update => "PATCH",
            Op::Delete => "DELETE",
        }
    }

    /// Whether it addresses a member of the collection (`{path}/{id}`), or the singleton
    /// itself; `create` and `list` address the collection.
    pub fn addresses_member(self) -> bool {
        match self {
            Op::Create | Op::List => false,
            Op::Get | Op::Update | Op::Delete => true,
        }
    }

    /// What the function does, for its doc comment.
    pub fn summary(self, ident: &Ident) -> String {
        match self {
            Op::Create => format!(
                "creates a `{ident}` from `body`: the created entity back (`201 \
                 Created`), or where it is when Graph answers without it (`202 \
                 Accepted`, `204 No Content`)."
            ),
            Op::List => format!(
                "the first page of `{ident}`s; chain query options, or read every page \
                 with `.pages()`, `.items()` or `.all()`."
            ),
            Op::Get => format!("the `{ident}`; chain `select` or `expand`."),
            Op::Update => format!(
                "changes the `{ident}`: sends what `changes` serializes to (`None` \
                 fields are left alone); chain `clear`, `changed_from` or `if_match`. \
                 The entity when Graph returns one (`200 OK`), `None` on `204 No Content`."
            ),
            Op::Delete => format!("deletes the `{ident}` (`204 No Content`); chain `if_match`."),
        }
    }

    /// The `Answer` of the request it returns.
    pub fn answer(self, krate: &syn::Path) -> TokenStream {
        match self {
            Op::Create => quote!(#krate::Created<Self>),
            Op::List => quote!(#krate::Page<Self>),
            Op::Get => quote!(#krate::Entity<Self>),
            Op::Update => quote!(::core::option::Option<Self>),
            Op::Delete => quote!(()),
        }
    }

    /// The name of its body parameter, at the mixed site: a placeholder of that name is
    /// another parameter.
    pub fn body(self) -> Option<TokenStream> {
        match self {
            Op::Create => Some(quote_mixed!(body)),
            Op::Update => Some(quote_mixed!(changes)),
            Op::List | Op::Get | Op::Delete => None,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}
