//! What the item implements when the attribute has errors, as thiserror's fallback does: the
//! traits its uses expect, so that one mistake gives one error rather than a cascade of
//! "trait not implemented" at every use. The bodies never run: with the errors beside them
//! the crate does not compile.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;

use crate::ast::{Body, Container};
use crate::impls::{self, quote_mixed};

/// The stand-in impls of `cont`; `odata_type` is the struct's type name, for `ODataType`.
pub fn impls(
    cont: &Container,
    odata_type: &str,
    krate: &syn::Path,
    private: &TokenStream,
) -> TokenStream {
    let ident = cont.ident;
    let never = quote_mixed!(::core::unreachable!());
    let serde_impls = impls::serde_impls(ident, private, never.clone(), never.clone());
    let name = ident.unraw().to_string();
    let kind = match &cont.body {
        Body::Struct(_) => quote_mixed! {
            #[automatically_derived]
            impl #krate::ODataType for #ident {
                const ODATA_TYPE: &'static ::core::primitive::str = #odata_type;
            }

            #[automatically_derived]
            impl #ident {
                #[doc(hidden)]
                pub const fn __graph_has_property(_: &::core::primitive::str) -> ::core::primitive::bool {
                    false
                }
            }

            #[automatically_derived]
            #[doc(hidden)]
            impl #private::fields::Fields for #ident {
                type Partial = ();
                const HAS_ADDITIONAL: ::core::primitive::bool = false;

                fn field_index(_: &::core::primitive::str) -> ::core::option::Option<::core::primitive::u16> {
                    #never
                }

                fn read_field<'de, __A: #private::serde::de::MapAccess<'de>>(
                    _: &mut (),
                    _: ::core::primitive::u16,
                    _: &mut __A,
                ) -> ::core::result::Result<(), __A::Error> {
                    #never
                }

                fn read_unknown<'de, __A: #private::serde::de::MapAccess<'de>>(
                    _: &mut (),
                    _: ::std::string::String,
                    _: &mut __A,
                ) -> ::core::result::Result<(), __A::Error> {
                    #never
                }

                fn finish<__E: #private::serde::de::Error>(
                    _: (),
                ) -> ::core::result::Result<Self, __E> {
                    #never
                }

                fn write_fields<__O: #private::fields::Fields, __M: #private::serde::ser::SerializeMap>(
                    &self,
                    _: &mut __M,
                ) -> ::core::result::Result<(), __M::Error> {
                    #never
                }
            }
        },
        Body::Polymorphic(_) => quote_mixed! {
            #[automatically_derived]
            #[doc(hidden)]
            impl #private::de::Polymorphic for #ident {
                const NAME: &'static ::core::primitive::str = #name;
                const TYPES: &'static [&'static ::core::primitive::str] = &[];
                const INDEX: &'static [::core::primitive::u16] = &[];

                fn visit_variant<'de, __A: #private::serde::de::MapAccess<'de>>(
                    _: ::core::primitive::usize,
                    _: &#private::de::Leading<'de>,
                    _: __A,
                ) -> ::core::result::Result<Self, __A::Error> {
                    #never
                }
            }
        },
        Body::StringEnum(_) => quote_mixed! {
            #[automatically_derived]
            #[doc(hidden)]
            impl #private::de::StringEnum for #ident {
                const NAME: &'static ::core::primitive::str = #name;
                const VALUES: &'static [&'static ::core::primitive::str] = &[];
                const HAS_OTHER: ::core::primitive::bool = false;

                fn from_index(_: ::core::primitive::usize) -> ::core::option::Option<Self> {
                    #never
                }

                fn from_unknown(_: ::std::string::String) -> ::core::option::Option<Self> {
                    #never
                }
            }
        },
    };
    quote_mixed! {
        #serde_impls
        #kind
    }
}
