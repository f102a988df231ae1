//! Writes what a type's bound operations and the schema's entry points become: parameter
//! bodies, actions, functions and their answers, and the entry-point fns.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Writer, doc, to_ident};
use crate::model::Target;
use crate::names;
use crate::select::Item;
use crate::surface::{Answer, EntryPoint, OperationShape, ParamType};

impl Writer<'_, '_> {
    /// An action's parameters as its body: `#[graph_resource(parameters)]`.
    pub(super) fn body(&self, index: usize, name: &str) -> Option<TokenStream> {
        if self.serde() {
            return None;
        }
        let operation = self.model.selection.schema.operations.get(index)?;
        let fields = self.model.bodies.get(&index)?;
        let ident = to_ident(name);
        let on = if operation.binding.collection {
            format!("a collection of `{}`", operation.binding.name)
        } else {
            format!("`{}`", operation.binding.name)
        };
        let docs = doc(&format!(
            "The parameters of the action `{}` bound to {on}: its body.",
            operation.name
        ));
        let fields = fields.iter().map(|field| self.field(field));
        Some(quote! {
            #docs
            #[graph_resource::graph_resource(parameters)]
            #[derive(Debug, Clone, PartialEq, Default)]
            pub struct #ident {
                #(#fields)*
            }
        })
    }

    /// `#[collection]` and `#[name = "…"]` where the operation needs them.
    fn operation_attributes(&self, shape: &OperationShape) -> TokenStream {
        let collection = shape
            .operation
            .binding
            .collection
            .then(|| quote!(#[collection]));
        let name = renamed(&shape.ident, &shape.operation.name).then(|| {
            let name = &shape.operation.name;
            quote!(#[name = #name])
        });
        quote!(#collection #name)
    }

    /// `name[(Body)] [-> Answer]`.
    pub(super) fn action(&self, shape: &OperationShape) -> TokenStream {
        let attributes = self.operation_attributes(shape);
        let ident = to_ident(&shape.ident);
        let body = self
            .model
            .selection
            .schema
            .operations
            .iter()
            .position(|o| std::ptr::eq(o, shape.operation))
            .and_then(|index| self.model.names.get(&Item::Body(index)))
            .map(|body| {
                let body = to_ident(body);
                quote!((#body))
            });
        let answer = self.answer(&shape.answer);
        quote!(#attributes #ident #body #answer)
    }

    /// `name(param: Type, ...) [-> Answer]`.
    pub(super) fn function(&self, shape: &OperationShape) -> TokenStream {
        let attributes = self.operation_attributes(shape);
        let ident = to_ident(&shape.ident);
        let params = shape.params.iter().map(|param| {
            let name = renamed(&param.ident, param.name).then(|| {
                let name = param.name;
                quote!(#[name = #name])
            });
            let ident = to_ident(&param.ident);
            let ty = match &param.ty {
                ParamType::Str => quote!(&str),
                ParamType::Literal(ty) => {
                    let ty = to_ident(ty);
                    quote!(::graph_resource::#ty)
                }
                ParamType::Plain(ty) => {
                    let ty = to_ident(ty);
                    quote!(#ty)
                }
                ParamType::Enum(ty) => {
                    let ty = to_ident(ty);
                    quote!(#ty)
                }
            };
            quote!(#name #ident: #ty)
        });
        let answer = self.answer(&shape.answer);
        quote!(#attributes #ident(#(#params),*) #answer)
    }

    /// `-> Answer`, nothing for `()`.
    fn answer(&self, answer: &Answer) -> TokenStream {
        let of = |ty: &crate::csdl::TypeRef| match self.model.target(ty) {
            Target::Primitive(name) => self.primitive(name),
            Target::Item { name, .. } => {
                let name = to_ident(name);
                quote!(#name)
            }
            Target::Untyped => quote!(::graph_resource::UntypedResource),
        };
        match answer {
            Answer::Unit => TokenStream::new(),
            Answer::Bytes => quote!(-> ::graph_resource::Bytes),
            Answer::Entity(ty) => {
                let ty = of(ty);
                quote!(-> ::graph_resource::Entity<#ty>)
            }
            Answer::Page(ty) => {
                let ty = of(ty);
                quote!(-> ::graph_resource::Page<#ty>)
            }
            Answer::Value(ty) if ty.collection => {
                let item = of(ty);
                quote!(-> ::graph_resource::ValueOf<Vec<#item>>)
            }
            Answer::Value(ty) => {
                let ty = of(ty);
                quote!(-> ::graph_resource::ValueOf<#ty>)
            }
        }
    }

    /// `pub fn users(client: &Client) -> CollectionPath<User>`, documented.
    pub(super) fn entry_point(&self, entry_point: &EntryPoint) -> TokenStream {
        let ident = to_ident(&entry_point.ident);
        let item = to_ident(&entry_point.item);
        let path = &entry_point.path;
        let (docs, ty) = if entry_point.singleton {
            (
                format!(
                    "`{path}`: the singleton `{}` of type `{}`, as a path value: `.get()`, \
                     `.update(..)`, navigation steps (`.to(...)`), actions and functions.",
                    entry_point.name, entry_point.qualified
                ),
                quote!(EntityPath),
            )
        } else {
            (
                format!(
                    "`{path}`: the entity set `{}` of type `{}`, as a path value: `.list()`, \
                     `.create(..)`, `.id(..)`, `.alternate_key(..)`, `.count()`, `.cast()`.",
                    entry_point.name, entry_point.qualified
                ),
                quote!(CollectionPath),
            )
        };
        let docs = doc(&docs);
        quote! {
            #docs
            pub fn #ident(client: &::graph_resource::Client) -> ::graph_resource::#ty<#item> {
                ::graph_resource::#ty::root(client, #path)
            }
        }
    }
}

/// Whether `ident` needs `#[name = "…"]` for Graph's `name`: its lowerCamelCase is another.
fn renamed(ident: &str, name: &str) -> bool {
    names::field_to_property(ident) != name || ident.ends_with('_')
}
