//! Expands the `Fields` impl of a struct: the partial value being read, the match from
//! property name to field, the read of one field and the final checks. The loop that drives
//! them is generic code in the runtime.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::{Container, Field};

/// A field with a slot in the partial value.
struct Slot<'a> {
    field: &'a Field<'a>,
    slot: syn::Ident,
    /// `__WithN` when the field has `with`.
    with: Option<syn::Ident>,
}

/// The `Fields` impl of `cont`, with `write_fields` already expanded.
pub fn fields_impl(
    cont: &Container,
    fields: &[Field],
    krate: &syn::Path,
    write_fields: TokenStream,
) -> TokenStream {
    let ident = cont.ident;
    let private = quote!(#krate::__private);
    let fields_trait = quote!(#private::de::Fields);
    let regular: Vec<Slot> = fields
        .iter()
        .filter(|f| {
            f.attrs.skip.is_none() && f.attrs.additional.is_none() && f.attrs.base.is_none()
        })
        .enumerate()
        .map(|(i, field)| Slot {
            field,
            slot: format_ident!("__f{}", i),
            with: field
                .attrs
                .with
                .as_ref()
                .map(|_| format_ident!("__With{}", i)),
        })
        .collect();
    let base = fields.iter().find(|f| f.attrs.base.is_some());
    let additional = fields.iter().find(|f| f.attrs.additional.is_some());
    let own_count = regular.len();
    let count = u16::try_from(own_count).unwrap_or(u16::MAX);

    let with_wrappers = regular.iter().filter_map(|s| with_wrappers(s, &private));

    let slot_decls = regular.iter().map(|s| {
        let slot = &s.slot;
        let ty = match &s.with {
            Some(with) => quote!(#with),
            None => {
                let ty = s.field.ty;
                quote!(#ty)
            }
        };
        quote!(#slot: ::core::option::Option<#ty>,)
    });
    let slot_inits = regular.iter().map(|s| {
        let slot = &s.slot;
        quote!(#slot: ::core::option::Option::None,)
    });
    let base_decl = base.map(|b| {
        let ty = b.ty;
        quote!(__base: <#ty as #fields_trait>::Partial,)
    });
    let base_init = base.map(|_| quote!(__base: ::core::default::Default::default(),));
    let additional_decl = additional.map(|_| {
        quote!(__additional: #private::serde_json::Map<::std::string::String, #private::serde_json::Value>,)
    });
    let additional_init =
        additional.map(|_| quote!(__additional: #private::serde_json::Map::new(),));

    let names = regular.iter().map(|s| &s.field.name);
    let indices = 0..count;
    let fallback_index = match base {
        Some(b) => {
            let ty = b.ty;
            let shift = (own_count > 0).then(|| quote!(.and_then(|__i| __i.checked_add(#count))));
            quote!(_ => <#ty as #fields_trait>::field_index(__key)#shift,)
        }
        None => quote!(_ => ::core::option::Option::None,),
    };

    let reads = regular.iter().enumerate().map(|(i, s)| {
        let slot = &s.slot;
        let name = &s.field.name;
        let i = u16::try_from(i).unwrap_or(u16::MAX);
        quote!(#i => #private::de::read_into(&mut __partial.#slot, #name, __map),)
    });
    let fallback_read = match base {
        Some(b) => {
            let ty = b.ty;
            let index = if own_count > 0 {
                quote!(__index - #count)
            } else {
                quote!(__index)
            };
            quote!(_ => <#ty as #fields_trait>::read_field(&mut __partial.__base, #index, __map),)
        }
        None => quote!(_ => ::core::result::Result::Ok(()),),
    };

    let (has_additional, read_unknown) = match (additional, base) {
        (Some(_), _) => (
            quote!(true),
            quote!(#private::de::read_additional(&mut __partial.__additional, __key, __map)),
        ),
        (None, Some(b)) => {
            let ty = b.ty;
            (
                quote!(<#ty as #fields_trait>::HAS_ADDITIONAL),
                quote!(<#ty as #fields_trait>::read_unknown(&mut __partial.__base, __key, __map)),
            )
        }
        (None, None) => (
            quote!(false),
            quote! {
                let _ = (__partial, __key);
                #private::serde::de::MapAccess::next_value::<#private::serde::de::IgnoredAny>(__map)?;
                ::core::result::Result::Ok(())
            },
        ),
    };

    let finish = fields.iter().map(|field| {
        let member = field.ident;
        let attrs = &field.attrs;
        let value = if attrs.skip.is_some() {
            match attrs.default.as_ref().and_then(|d| d.value.as_ref()) {
                Some(function) => quote!(#function()),
                None => quote!(::core::default::Default::default()),
            }
        } else if attrs.additional.is_some() {
            quote!(__partial.__additional)
        } else if attrs.base.is_some() {
            let ty = field.ty;
            quote!(<#ty as #fields_trait>::finish(__partial.__base)?)
        } else {
            let Some(s) = regular.iter().find(|s| std::ptr::eq(s.field, field)) else {
                return quote!();
            };
            let slot = &s.slot;
            let read = match &s.with {
                Some(_) => quote!(::core::option::Option::map(__partial.#slot, |__with| __with.0)),
                None => quote!(__partial.#slot),
            };
            let name = &field.name;
            match attrs.default.as_ref().map(|d| &d.value) {
                Some(Some(function)) => {
                    quote!(::core::option::Option::unwrap_or_else(#read, #function))
                }
                Some(None) => quote!(::core::option::Option::unwrap_or_default(#read)),
                None if field.is_option() => {
                    quote!(::core::option::Option::unwrap_or_default(#read))
                }
                None => quote! {
                    #private::de::required(#read, #name, <Self as #krate::ODataType>::ODATA_TYPE)?
                },
            }
        };
        quote!(#member: #value,)
    });

    quote! {
        #(#with_wrappers)*

        pub struct __Partial {
            #(#slot_decls)*
            #base_decl
            #additional_decl
        }

        impl ::core::default::Default for __Partial {
            fn default() -> Self {
                __Partial {
                    #(#slot_inits)*
                    #base_init
                    #additional_init
                }
            }
        }

        #[automatically_derived]
        impl #fields_trait for #ident {
            type Partial = __Partial;
            const HAS_ADDITIONAL: bool = #has_additional;

            fn field_index(__key: &str) -> ::core::option::Option<u16> {
                match __key {
                    #(#names => ::core::option::Option::Some(#indices),)*
                    #fallback_index
                }
            }

            fn read_field<'de, __A: #private::serde::de::MapAccess<'de>>(
                __partial: &mut __Partial,
                __index: u16,
                __map: &mut __A,
            ) -> ::core::result::Result<(), __A::Error> {
                match __index {
                    #(#reads)*
                    #fallback_read
                }
            }

            fn read_unknown<'de, __A: #private::serde::de::MapAccess<'de>>(
                __partial: &mut __Partial,
                __key: ::std::string::String,
                __map: &mut __A,
            ) -> ::core::result::Result<(), __A::Error> {
                #read_unknown
            }

            fn finish<__E: #private::serde::de::Error>(
                __partial: __Partial,
            ) -> ::core::result::Result<Self, __E> {
                ::core::result::Result::Ok(#ident {
                    #(#finish)*
                })
            }

            #write_fields
        }
    }
}

/// The wrappers that route a `with` field through its module's `serialize` and `deserialize`.
fn with_wrappers(slot: &Slot, private: &TokenStream) -> Option<TokenStream> {
    let wrapper = slot.with.as_ref()?;
    let module = &slot.field.attrs.with.as_ref()?.value;
    let ser_wrapper = format_ident!("__Ser{}", wrapper.to_string().trim_start_matches('_'));
    let ty = slot.field.ty;
    Some(quote! {
        struct #wrapper(#ty);

        impl<'de> #private::serde::Deserialize<'de> for #wrapper {
            fn deserialize<__D: #private::serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                ::core::result::Result::map(#module::deserialize(__deserializer), #wrapper)
            }
        }

        struct #ser_wrapper<'__a>(&'__a #ty);

        impl #private::serde::Serialize for #ser_wrapper<'_> {
            fn serialize<__S: #private::serde::Serializer>(
                &self,
                __serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                #module::serialize(self.0, __serializer)
            }
        }
    })
}
