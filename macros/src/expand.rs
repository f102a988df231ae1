//! Ties the stages together: parse, model, check, expand.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use crate::ast::{Body, Container};
use crate::check::{self, Checked};
use crate::ctxt::Ctxt;
use crate::{de, enums, flags, ops, ser};

/// The item without its `#[graph]` attributes, followed by the generated code or by every
/// error found.
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
    let cx = Ctxt::default();
    let generated = match Container::from_ast(&cx, args, &item) {
        Some(cont) => {
            let checked = check::check(&cx, &cont);
            generate(&cont, &checked)
        }
        None => TokenStream::new(),
    };
    let stripped = strip_graph_attrs(item.clone());
    match cx.check() {
        Ok(()) => quote!(#stripped #generated),
        Err(errors) => {
            let errors = errors.into_compile_error();
            quote!(#stripped #errors)
        }
    }
}

fn generate(cont: &Container, checked: &Checked) -> TokenStream {
    let krate = match &cont.attrs.krate {
        Some(krate) => krate.value.clone(),
        None => syn::parse_quote!(::graph_resource),
    };
    match &cont.body {
        Body::Struct(fields) => {
            let ident = cont.ident;
            let private = quote!(#krate::__private);
            let odata_type = &checked.odata_type;
            let names = de::Names::new(ident);
            let write_fields = ser::write_fields(fields, &names, &krate);
            let fields_impl = de::fields_impl(cont, fields, &names, &krate, write_fields);
            let ops = checked
                .template
                .as_ref()
                .map(|template| ops::create(cont, template, &krate));
            quote! {
                const _: () = {
                    #[automatically_derived]
                    impl #krate::ODataType for #ident {
                        const ODATA_TYPE: &'static ::core::primitive::str = #odata_type;
                    }
                    #[automatically_derived]
                    impl #private::serde::Serialize for #ident {
                        fn serialize<__S: #private::serde::Serializer>(
                            &self,
                            __serializer: __S,
                        ) -> ::core::result::Result<__S::Ok, __S::Error> {
                            #private::ser::serialize_struct(self, __serializer)
                        }
                    }
                    #[automatically_derived]
                    impl<'de> #private::serde::Deserialize<'de> for #ident {
                        fn deserialize<__D: #private::serde::Deserializer<'de>>(
                            __deserializer: __D,
                        ) -> ::core::result::Result<Self, __D::Error> {
                            #private::de::deserialize_struct(__deserializer)
                        }
                    }
                    #fields_impl
                };
                #ops
            }
        }
        Body::Polymorphic(variants) => enums::polymorphic(cont, variants, &krate),
        Body::StringEnum(variants) => {
            let string_enum = enums::string_enum(cont, variants, &krate);
            let flags = cont
                .attrs
                .flags
                .as_ref()
                .map(|_| flags::expand(cont, variants, &krate));
            quote!(#string_enum #flags)
        }
    }
}

/// `#[graph]` is not a registered attribute: it must not reach the compiler.
fn strip_graph_attrs(mut item: DeriveInput) -> DeriveInput {
    let is_graph = |attr: &syn::Attribute| attr.path().is_ident("graph");
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
