//! Expands enums: polymorphic ones dispatch on `@odata.type`, string enums read a fixed set
//! of strings case-insensitively.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;

use crate::ast::{Container, Variant};
use crate::impls::{self, quote_mixed};

/// The number of typed variants from which an enum finds the one of a type by a table
/// rather than by comparing the type with each in order. Comparing costs 5 to 15 instructions
/// for each type passed (more where names share their length), hashing the name about 60:
/// measured on audit records, at 8 types the table cost about 60 more than the search for
/// the first, the last and an unknown type; at 16 it cost 70 more for the first and saved 40
/// for the last and 160 for an unknown type; at 64, 70 more for the first and 850 fewer for
/// the last.
const INDEXED_FROM: usize = 16;

/// A polymorphic enum: each typed variant writes its own type; reading dispatches on it.
pub fn polymorphic(cont: &Container, variants: &[Variant], private: &TokenStream) -> TokenStream {
    let ident = cont.ident;
    let name = ident.unraw().to_string();
    let typed: Vec<&Variant> = variants
        .iter()
        .filter(|v| v.attrs.other.is_none())
        .collect();
    let other = variants.iter().find(|v| v.attrs.other.is_some());
    let declared = typed
        .iter()
        .position(|v| v.attrs.declared.is_some())
        .map(|index| {
            quote_mixed! {
                const DECLARED: ::core::option::Option<::core::primitive::usize> =
                    ::core::option::Option::Some(#index);
            }
        });

    let serialize_arms = variants.iter().map(|v| {
        let variant = v.ident;
        if v.attrs.other.is_some() {
            quote_mixed!(#ident::#variant(__value) => #private::serde::Serialize::serialize(__value, __serializer),)
        } else {
            let ty = v.inner;
            quote_mixed!(#ident::#variant(__value) => #private::ser::serialize_struct::<#ty, __S>(__value, __serializer),)
        }
    });
    let types: Vec<TokenStream> = typed
        .iter()
        .filter_map(|v| {
            let ty = v.inner?;
            Some(quote_mixed!(#private::fields::odata_type::<#ty>()))
        })
        .collect();
    // The table that finds a type among them, of a power of two at least twice their number
    // of slots; none for fewer than `INDEXED_FROM`, which are searched in order.
    let index = if types.len() < INDEXED_FROM {
        quote_mixed!(&[])
    } else {
        let slots = (2 * types.len()).next_power_of_two();
        quote_mixed!(&#private::de::type_index::<#slots>(<Self as #private::de::Polymorphic>::TYPES))
    };
    let visit_arms = typed.iter().enumerate().filter_map(|(index, v)| {
        let ty = v.inner?;
        let construct = construct(ident, v);
        Some(quote_mixed! {
            #index => ::core::result::Result::map(
                #private::de::visit_fields::<#ty, __A>(__leading, __map),
                #construct,
            ),
        })
    });
    let visit_other = other.map(|v| {
        let variant = v.ident;
        quote_mixed! {
            fn visit_other<'de, __A: #private::serde::de::MapAccess<'de>>(
                __odata_type: ::core::option::Option<::std::string::String>,
                __leading: #private::de::Leading<'de>,
                __map: __A,
            ) -> ::core::result::Result<Self, __A::Error> {
                ::core::result::Result::map(#private::de::visit_untyped(__odata_type, __leading, __map), #ident::#variant)
            }
        }
    });
    let from_impls = typed.iter().filter_map(|v| {
        let ty = v.inner?;
        let construct = construct(ident, v);
        Some(quote_mixed! {
            #[automatically_derived]
            impl ::core::convert::From<#ty> for #ident {
                fn from(__value: #ty) -> Self {
                    (#construct)(__value)
                }
            }
        })
    });

    let serde_impls = impls::serde_impls(
        ident,
        private,
        quote_mixed! {
            match self {
                #(#serialize_arms)*
            }
        },
        quote_mixed!(#private::de::deserialize_polymorphic(__deserializer)),
    );

    quote_mixed! {
        #serde_impls

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::de::Polymorphic for #ident {
            const NAME: &'static ::core::primitive::str = #name;
            const TYPES: &'static [&'static ::core::primitive::str] = &[#(#types),*];
            const INDEX: &'static [::core::primitive::u16] = #index;
            #declared

            #[inline]
            fn visit_variant<'de, __A: #private::serde::de::MapAccess<'de>>(
                __index: ::core::primitive::usize,
                __leading: &#private::de::Leading<'de>,
                __map: __A,
            ) -> ::core::result::Result<Self, __A::Error> {
                match __index {
                    #(#visit_arms)*
                    _ => ::core::result::Result::Err(#private::de::no_such_variant::<Self, __A::Error>(__index)),
                }
            }

            #visit_other
        }

        #(#from_impls)*
    }
}

/// The function from a variant's annotated type to the enum: the variant itself, or a
/// closure that boxes the value first.
fn construct(ident: &syn::Ident, v: &Variant) -> TokenStream {
    let variant = v.ident;
    if v.is_boxed() {
        quote_mixed!(|__value| #ident::#variant(::std::boxed::Box::new(__value)))
    } else {
        quote_mixed!(#ident::#variant)
    }
}

/// A string enum: each variant is a lowerCamelCase string (or its `rename`).
pub fn string_enum(cont: &Container, variants: &[Variant], private: &TokenStream) -> TokenStream {
    let ident = cont.ident;
    let name = ident.unraw().to_string();
    let named: Vec<&Variant> = variants
        .iter()
        .filter(|v| v.attrs.other.is_none())
        .collect();
    let other = variants.iter().find(|v| v.attrs.other.is_some());

    let values: Vec<&String> = named.iter().map(|v| &v.value).collect();
    let serialize_arms: Vec<TokenStream> = named
        .iter()
        .map(|v| {
            let variant = v.ident;
            let value = &v.value;
            quote_mixed!(#ident::#variant => #value,)
        })
        .collect();
    let serialize_other = other.map(|v| {
        let variant = v.ident;
        quote_mixed!(#ident::#variant(__value) => __value.as_str(),)
    });
    let from_index = named.iter().enumerate().map(|(index, v)| {
        let variant = v.ident;
        quote_mixed!(#index => ::core::option::Option::Some(#ident::#variant),)
    });
    let has_other = other.is_some();
    let from_unknown = match other {
        Some(v) => {
            let variant = v.ident;
            quote_mixed!(::core::option::Option::Some(#ident::#variant(__value)))
        }
        None => quote_mixed! {
            let _ = __value;
            ::core::option::Option::None
        },
    };

    let serde_impls = impls::serde_impls(
        ident,
        private,
        quote_mixed! {
            __serializer.serialize_str(match self {
                #(#serialize_arms)*
                #serialize_other
            })
        },
        quote_mixed!(#private::de::deserialize_string_enum(__deserializer)),
    );

    quote_mixed! {
        #serde_impls

        /// The member quoted, as a function's parameter spells it: `'managed'`.
        #[automatically_derived]
        impl #private::ODataLiteral for #ident {
            fn write_literal(&self, __out: &mut ::std::string::String) {
                #private::ODataLiteral::write_literal(
                    match self {
                        #(#serialize_arms)*
                        #serialize_other
                    },
                    __out,
                )
            }
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::de::StringEnum for #ident {
            const NAME: &'static ::core::primitive::str = #name;
            const VALUES: &'static [&'static ::core::primitive::str] = &[#(#values),*];
            const HAS_OTHER: ::core::primitive::bool = #has_other;

            fn from_index(__index: ::core::primitive::usize) -> ::core::option::Option<Self> {
                match __index {
                    #(#from_index)*
                    _ => ::core::option::Option::None,
                }
            }

            fn from_unknown(__value: ::std::string::String) -> ::core::option::Option<Self> {
                #from_unknown
            }
        }
    }
}
