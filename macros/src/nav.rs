//! Expands what paths need of a model: `Model` and `IsA`, one navigation constant per
//! field marked `navigation` or `contained`, and the `at` and `collection` entry points of a
//! type with a `path`.

use proc_macro2::{Ident, TokenStream};
use syn::ext::IdentExt;
use syn::{GenericArgument, PathArguments, Type};

use crate::ast::{Container, Field, last_segment};
use crate::impls::quote_mixed;
use crate::ops::{path_parts, shown};
use crate::path::Template;

/// `Model` (a struct stands for itself), `IsA` (it is whatever its `#[graph(base)]` field's
/// type is) and the navigation constants of a struct.
pub fn struct_impls(cont: &Container, fields: &[Field], krate: &syn::Path) -> TokenStream {
    let ident = cont.ident;
    let vis = &cont.input.vis;
    // Each base up the chain, through the base's own impl; it does not overlap the
    // runtime's `impl<T> IsA<T> for T`, as a base is not `Self` nor derived from it.
    let derives = fields
        .iter()
        .find(|field| field.attrs.base.is_some())
        .map(|field| {
            let base = unwrap(field.ty, "Box").unwrap_or(field.ty);
            quote_mixed! {
                #[automatically_derived]
                impl<__B> #krate::IsA<__B> for #ident where #base: #krate::IsA<__B> {}
            }
        });
    let constants = fields.iter().filter_map(|field| {
        let related = match (&field.attrs.navigation, &field.attrs.contained) {
            (Some(_), _) => true,
            (None, Some(_)) => false,
            (None, None) => return None,
        };
        let ty = unwrap(field.ty, "Option").unwrap_or(field.ty);
        let (many, target) = match unwrap(ty, "Vec") {
            Some(item) => (true, item),
            None => (false, ty),
        };
        let target = unwrap(target, "Box").unwrap_or(target);
        let cardinality = if many {
            quote_mixed!(#krate::Many)
        } else {
            quote_mixed!(#krate::One)
        };
        let kind = if related {
            quote_mixed!(#krate::Related)
        } else {
            quote_mixed!(#krate::Contained)
        };
        let name = Ident::new(
            &field.ident.unraw().to_string().to_uppercase(),
            field.ident.span(),
        );
        let json = &field.name;
        let doc = format!(
            "The navigation property `{json}`{}: a step for \
             [`EntityPath::to`]({krate}::EntityPath::to) to {}.",
            if related {
                ", which relates entities stored elsewhere (`$ref` adds and removes them)"
            } else {
                ""
            },
            if many { "the collection" } else { "the entity" },
            krate = quote_mixed!(#krate)
                .to_string()
                .replace(' ', "")
                .trim_start_matches("::"),
        );
        // `#target` keeps its span: a type that is not a model is an error at the field.
        Some(quote_mixed! {
            #[doc = #doc]
            #vis const #name: #krate::Navigation<Self, #target, #cardinality, #kind> =
                #krate::Navigation::new(#json);
        })
    });
    quote_mixed! {
        #[automatically_derived]
        impl #krate::Model for #ident {
            type Declared = Self;
        }

        #derives

        #[automatically_derived]
        impl #ident {
            #(#constants)*
        }
    }
}

/// `Model` for a polymorphic enum that names the type it stands for with `base = "Type"`.
pub fn enum_impls(cont: &Container, krate: &syn::Path) -> Option<TokenStream> {
    let ident = cont.ident;
    let base = &cont.attrs.base.as_ref()?.value;
    Some(quote_mixed! {
        #[automatically_derived]
        impl #krate::Model for #ident {
            type Declared = #base;
        }
    })
}

/// `at` (the member of a collection, or the singleton) and `collection`, as path values.
pub fn entry_points(
    cont: &Container,
    template: &Template,
    krate: &syn::Path,
    private: &TokenStream,
) -> TokenStream {
    let ident = cont.ident;
    let vis = &cont.input.vis;
    let keys: Vec<&Ident> = template.keys().collect();
    let member = template.member.as_ref();
    let at_parts = path_parts(template, member, private);
    let at_keys = keys.iter().copied().chain(member);
    let at_doc = format!(
        "`{}`: the `{ident}` as a path value, for navigation steps (`.to(...)`), casts and \
         `$ref`; `.get()`, `.update(..)` and `.delete()` read and change it.",
        shown(template, member)
    );
    let collection = member.map(|_| {
        let parts = path_parts(template, None, private);
        let doc = format!(
            "`{}`: the collection of `{ident}`s as a path value: `.list()`, `.create(..)`, \
             `.count()`, `.id(..)`, `.alternate_key(..)`, `.cast()`.",
            shown(template, None)
        );
        quote_mixed! {
            #[doc = #doc]
            #vis fn collection(
                client: &#krate::Client,
                #(#keys: &::core::primitive::str,)*
            ) -> #krate::CollectionPath<Self> {
                #private::collection(client, &[#(#parts),*], &[#(#keys),*])
            }
        }
    });
    let member_param = member.map(|member| quote_mixed!(#member: &::core::primitive::str,));
    quote_mixed! {
        #[automatically_derived]
        impl #ident {
            #[doc = #at_doc]
            #vis fn at(
                client: &#krate::Client,
                #(#keys: &::core::primitive::str,)*
                #member_param
            ) -> #krate::EntityPath<Self> {
                #private::at(client, &[#(#at_parts),*], &[#(#at_keys),*])
            }
            #collection
        }
    }
}

/// `T` of `name<T>` (`Option`, `Vec`, `Box`, by the last segment of the path).
fn unwrap<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let segment = last_segment(ty).filter(|segment| segment.ident == name)?;
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    match args.args.first() {
        Some(GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}
