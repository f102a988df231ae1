//! Ties the stages together: parse, model, check, expand, or stand in when there were errors.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use crate::ast::{Body, Container};
use crate::attr;
use crate::check::{self, Checked};
use crate::ctxt::Ctxt;
use crate::impls::{self, quote_mixed};
use crate::symbol::GRAPH;
use crate::{bound, enums, fallback, fields, flags, nav, ops, ser};

/// The item without its `#[graph]` attributes, followed by the generated code, or by every
/// error found and the stand-in impls that keep them from cascading.
///
/// An item whose fields or variants carry `cfg` or `cfg_attr` goes, whole, to the
/// [`CONFIGURED`] derive instead: the compiler configures a derive's input, so that what
/// is generated names exactly the fields and variants that are compiled, and a
/// `cfg_attr(..., graph(...))` applies as written.
pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: DeriveInput = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let error = syn::Error::new(
                Span::call_site(),
                "#[graph_resource] goes on a struct with named fields or on an enum",
            )
            .into_compile_error();
            return quote!(#input #error);
        }
    };
    if is_configured(&item) {
        // The key `crate` says where the derive is; any error in the keys is reported by
        // the derive, which reads them again.
        let krate = crate_path(&attr::Container::parse(&Ctxt::default(), args.clone()));
        let derive = Ident::new(CONFIGURED, Span::call_site());
        let helper = Ident::new(CONFIGURED_ARGS, Span::call_site());
        return quote! {
            #[derive(#krate::#derive)]
            #[#helper(#args)]
            #input
        };
    }
    let generated = expand_item(args, &item);
    let stripped = strip_graph_attrs(item);
    quote!(#stripped #generated)
}

/// The name of the derive that expands an item with `cfg` on its fields or variants.
pub const CONFIGURED: &str = "__GraphResourceConfigured";

/// The attribute that hands the keys of `#[graph_resource(...)]` to [`CONFIGURED`].
pub const CONFIGURED_ARGS: &str = "__graph_resource";

/// The [`CONFIGURED`] derive: the item, configured by the compiler, with its keys in a
/// [`CONFIGURED_ARGS`] attribute.
pub fn expand_configured(input: TokenStream) -> TokenStream {
    let item: DeriveInput = match syn::parse2(input) {
        Ok(item) => item,
        Err(error) => return error.into_compile_error(),
    };
    let args = item
        .attrs
        .iter()
        .find(|attr| attr.path().is_ident(CONFIGURED_ARGS))
        .and_then(|attr| attr.meta.require_list().ok())
        .map(|list| list.tokens.clone())
        .unwrap_or_default();
    expand_item(args, &item)
}

/// Whether a field or a variant of `item` carries `cfg` or `cfg_attr`.
fn is_configured(item: &DeriveInput) -> bool {
    let configures = |attrs: &[syn::Attribute]| {
        attrs
            .iter()
            .any(|attr| attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr"))
    };
    let fields_configure = |fields: &Fields| fields.iter().any(|field| configures(&field.attrs));
    match &item.data {
        Data::Struct(data) => fields_configure(&data.fields),
        Data::Enum(data) => data
            .variants
            .iter()
            .any(|variant| configures(&variant.attrs) || fields_configure(&variant.fields)),
        Data::Union(_) => false,
    }
}

/// The path of the crate the generated code calls: the key `crate`, or `::graph_resource`.
fn crate_path(attrs: &attr::Container) -> syn::Path {
    match &attrs.krate {
        Some(krate) => krate.value.clone(),
        None => syn::parse_quote_spanned!(Span::mixed_site()=> ::graph_resource),
    }
}

/// Every error found in `item` and the generated code, or the stand-in impls that keep the
/// errors from cascading.
fn expand_item(args: TokenStream, item: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let cont = Container::from_ast(&cx, args, item);
    let checked = cont.as_ref().map(|cont| check::check(&cx, cont));
    let errors = cx.check().err().map(syn::Error::into_compile_error);
    let generated = match (&cont, &checked) {
        // Generic parameters are an error of their own: impls without them would add more.
        (Some(cont), _) if errors.is_some() && !cont.input.generics.params.is_empty() => {
            TokenStream::new()
        }
        (Some(cont), Some(checked)) => {
            let krate = crate_path(&cont.attrs);
            let private = impls::private(&krate);
            let impls = match errors {
                None => generate(cont, checked, &krate, &private),
                Some(_) => fallback::impls(cont, &checked.odata_type, &krate, &private),
            };
            // The operations only need a valid path, so a mistake elsewhere does not also
            // take them away from their callers.
            let ops = checked.template.as_ref().map(|template| {
                let operations = ops::operations(cont, checked, template, &krate);
                let entry_points = nav::entry_points(cont, template, &krate, &private);
                quote_mixed!(#operations #entry_points)
            });
            // Without a path, the property table is still what a navigation property's
            // `select`, `filter` and `order_by` check names against: a struct's, and that of
            // a polymorphic enum that names the type it stands for (`base`), which a
            // navigation property can lead to.
            let properties = match (&checked.template, &cont.body) {
                (None, Body::Struct(_)) => Some(ops::properties(cont, checked, &krate)),
                (None, Body::Polymorphic(_)) if cont.attrs.base.is_some() => {
                    Some(ops::properties(cont, checked, &krate))
                }
                _ => None,
            };
            // Nor does a mistake take `A | B` away from a flag enum's users.
            let flags = match (&cont.attrs.flags, &cont.body) {
                (Some(_), Body::StringEnum(variants)) => {
                    Some(flags::expand(cont, variants, &krate))
                }
                _ => None,
            };
            let shadows = impls::shadow_locals();
            quote_mixed! {
                const _: () = {
                    #shadows
                    #impls
                    #ops
                    #properties
                    #flags
                };
            }
        }
        _ => TokenStream::new(),
    };
    quote!(#errors #generated)
}

/// The impls of an item without errors.
fn generate(
    cont: &Container,
    checked: &Checked,
    krate: &syn::Path,
    private: &TokenStream,
) -> TokenStream {
    let ident = cont.ident;
    match &cont.body {
        Body::Struct(fields) => {
            let odata_type = &checked.odata_type;
            let names = fields::Names::new(ident);
            let write_fields = ser::write_fields(fields, &names, private);
            let fields_impl = fields::fields_impl(cont, fields, &names, private, write_fields);
            // A parameter body is no entity: it writes no `@odata.type` and has no paths.
            let (serialize, paths) = match &cont.attrs.parameters {
                Some(_) => (quote_mixed!(serialize_parameters), TokenStream::new()),
                None => (
                    quote_mixed!(serialize_struct),
                    nav::struct_impls(cont, fields, krate),
                ),
            };
            let serde_impls = impls::serde_impls(
                ident,
                private,
                quote_mixed!(#private::ser::#serialize(self, __serializer)),
                quote_mixed!(#private::de::deserialize_struct(__deserializer)),
            );
            let bound = bound::impls(cont, checked.template.as_ref(), krate, private);
            quote_mixed! {
                #[automatically_derived]
                impl #krate::ODataType for #ident {
                    const ODATA_TYPE: &'static ::core::primitive::str = #odata_type;
                }
                #serde_impls
                #fields_impl
                #paths
                #bound
            }
        }
        Body::Polymorphic(variants) => {
            let polymorphic = enums::polymorphic(cont, variants, private);
            let paths = nav::enum_impls(cont, krate);
            quote_mixed!(#polymorphic #paths)
        }
        Body::StringEnum(variants) => enums::string_enum(cont, variants, private),
    }
}

/// `#[graph]` is not a registered attribute: it must not reach the compiler.
fn strip_graph_attrs(mut item: DeriveInput) -> DeriveInput {
    let is_graph = |attr: &syn::Attribute| attr.path() == GRAPH;
    item.attrs.retain(|attr| !is_graph(attr));
    let strip_fields = |fields: &mut Fields| {
        for field in fields.iter_mut() {
            field.attrs.retain(|attr| !is_graph(attr));
        }
    };
    match &mut item.data {
        Data::Struct(data) => strip_fields(&mut data.fields),
        Data::Enum(data) => {
            for variant in &mut data.variants {
                variant.attrs.retain(|attr| !is_graph(attr));
                strip_fields(&mut variant.fields);
            }
        }
        Data::Union(data) => {
            for field in &mut data.fields.named {
                field.attrs.retain(|attr| !is_graph(attr));
            }
        }
    }
    item
}
