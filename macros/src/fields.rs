//! Expands the field table of a struct, its `Fields` impl: the partial value being read,
//! the match from property name to field, the read of one field, the final checks and the
//! `with` wrappers; `ser` writes its `write_fields`. The loop that drives them is generic
//! code in the runtime.

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Container, Field};
use crate::impls::{self, quote_mixed};

/// The names of the generated types of a struct, unique to it so that they cannot hide a
/// type of the user's inside the generated block.
pub struct Names {
    pub partial: Ident,
    struct_ident: Ident,
}

impl Names {
    pub fn new(ident: &Ident) -> Names {
        Names {
            partial: format_ident!("__{}Partial", ident),
            struct_ident: ident.clone(),
        }
    }

    /// The wrapper that reads a `with` field through its module.
    pub fn deserialize_with(&self, slot: usize) -> Ident {
        format_ident!("__{}DeserializeWith{}", self.struct_ident, slot)
    }

    /// The wrapper that writes a `with` field through its module.
    pub fn serialize_with(&self, slot: usize) -> Ident {
        format_ident!("__{}SerializeWith{}", self.struct_ident, slot)
    }
}

/// `ty` with `Self` replaced by the struct's name: the generated types that hold a field's
/// value are other types, where `Self` would mean them.
pub fn field_type(field: &Field, ident: &Ident) -> TokenStream {
    fn replace(tokens: TokenStream, ident: &Ident) -> TokenStream {
        tokens
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Ident(word) if word == "Self" => {
                    TokenTree::Ident(Ident::new(&ident.to_string(), word.span()))
                }
                TokenTree::Group(group) => {
                    let mut replaced =
                        proc_macro2::Group::new(group.delimiter(), replace(group.stream(), ident));
                    replaced.set_span(group.span());
                    TokenTree::Group(replaced)
                }
                other => other,
            })
            .collect()
    }
    replace(field.ty.to_token_stream(), ident)
}

/// The `Fields` impl of `cont`, with `write_fields` already expanded.
pub fn fields_impl(
    cont: &Container,
    fields: &[Field],
    names: &Names,
    private: &TokenStream,
    write_fields: TokenStream,
) -> TokenStream {
    let ident = cont.ident;
    let partial = &names.partial;
    let fields_trait = quote_mixed!(#private::fields::Fields);
    let named: Vec<(usize, &Field)> = fields.iter().filter_map(|f| Some((f.slot?, f))).collect();
    let base = fields.iter().find(|f| f.attrs.base.is_some());
    let additional = fields.iter().find(|f| f.attrs.additional.is_some());
    // Every use of the base goes through its field's type and span, so that a base that is
    // not annotated is reported there, once.
    let base_as = base.map(|b| {
        let ty = field_type(b, ident);
        quote_spanned!(b.ty.span()=> <#ty as #fields_trait>)
    });
    let own_count = u16::try_from(named.len()).unwrap_or(u16::MAX);
    let slot = |index: usize| format_ident!("__f{}", index);
    let u16_type = quote_mixed!(::core::primitive::u16);
    let str_type = quote_mixed!(::core::primitive::str);

    let with_wrappers = named
        .iter()
        .filter_map(|&(index, field)| with_wrappers(field, names, index, private));

    let slot_decls = named.iter().map(|&(index, field)| {
        let slot = slot(index);
        let ty = match &field.attrs.with {
            Some(_) => names.deserialize_with(index).into_token_stream(),
            None => field_type(field, ident),
        };
        if is_direct(field) {
            quote_mixed!(#slot: #ty,)
        } else {
            quote_mixed!(#slot: ::core::option::Option<#ty>,)
        }
    });
    let slot_inits = named.iter().map(|&(index, _)| {
        let slot = slot(index);
        quote_mixed!(#slot: ::core::option::Option::None,)
    });
    // A flag per named field, by its slot, set once it is read: only those of the fields
    // read into their own `Option` are used, the others' slots tell.
    let seen_len = named
        .iter()
        .any(|&(_, field)| is_direct(field))
        .then_some(named.len());
    let seen_decl = seen_len.map(|len| quote_mixed!(__seen: [::core::primitive::bool; #len],));
    let seen_init = seen_len.map(|len| quote_mixed!(__seen: [false; #len],));
    let base_decl = base_as
        .as_ref()
        .map(|base| quote_mixed!(__base: #base::Partial,));
    let base_init = base.map(|_| quote_mixed!(__base: ::core::default::Default::default(),));
    let additional_decl = additional.map(|_| {
        quote_mixed!(__additional: #private::serde_json::Map<::std::string::String, #private::serde_json::Value>,)
    });
    let additional_init =
        additional.map(|_| quote_mixed!(__additional: #private::serde_json::Map::new(),));

    let property_names: Vec<&String> = named.iter().map(|(_, field)| &field.name).collect();
    let own_index = own_index(&property_names);
    let field_index_inline = if property_names.len() <= SMALL_MATCH {
        quote_mixed!(#[inline(always)])
    } else {
        quote_mixed!(#[inline])
    };
    let fallback_index = match &base_as {
        Some(base) => {
            let shift = (own_count > 0)
                .then(|| quote_mixed!(.and_then(|__i| #u16_type::checked_add(__i, #own_count))));
            quote_mixed!(#base::field_index(__key)#shift)
        }
        None => quote_mixed!(::core::option::Option::None),
    };

    let reads = named.iter().map(|&(index, field)| {
        let slot = slot(index);
        let name = &field.name;
        let read = if is_direct(field) {
            quote_mixed!(#private::fields::read_option(&mut __partial.#slot, &mut __partial.__seen[#index], #name, __map))
        } else {
            quote_mixed!(#private::fields::read_into(&mut __partial.#slot, #name, __map))
        };
        let index = u16::try_from(index).unwrap_or(u16::MAX);
        quote_mixed!(#index => #read,)
    });
    let fallback_read = match &base_as {
        Some(base) => {
            let index = if own_count > 0 {
                quote_mixed!(__index - #own_count)
            } else {
                quote_mixed!(__index)
            };
            quote_mixed!(_ => #base::read_field(&mut __partial.__base, #index, __map),)
        }
        None => quote_mixed!(_ => ::core::result::Result::Ok(()),),
    };

    let own_annotation =
        additional.is_some() || property_names.iter().any(|name| name.starts_with('@'));
    let reads_annotations = match &base_as {
        Some(base) if !own_annotation => quote_mixed!(#base::READS_ANNOTATIONS),
        _ => quote_mixed!(#own_annotation),
    };

    let (has_additional, read_unknown) = match (additional, &base_as) {
        (Some(_), _) => (
            quote_mixed!(true),
            quote_mixed!(#private::fields::read_additional(&mut __partial.__additional, __key, __map)),
        ),
        (None, Some(base)) => (
            quote_mixed!(#base::HAS_ADDITIONAL),
            quote_mixed!(#base::read_unknown(&mut __partial.__base, __key, __map)),
        ),
        (None, None) => (
            quote_mixed!(false),
            quote_mixed! {
                let _ = (__partial, __key);
                #private::serde::de::MapAccess::next_value::<#private::serde::de::IgnoredAny>(__map)?;
                ::core::result::Result::Ok(())
            },
        ),
    };

    // A derived type that was read is kept, and written back, where unknown properties are.
    let kept_type = match (additional, &base_as, base) {
        (Some(additional), _, _) => {
            let member = additional.ident;
            Some(quote_mixed! {
                fn keep_type(__partial: &mut #partial, __odata_type: ::std::string::String) {
                    #private::fields::keep_type(&mut __partial.__additional, __odata_type)
                }

                fn kept_type(&self) -> ::core::option::Option<&#str_type> {
                    #private::fields::kept_type(&self.#member)
                }
            })
        }
        (None, Some(base_as), Some(base)) => {
            let member = base.ident;
            Some(quote_mixed! {
                fn keep_type(__partial: &mut #partial, __odata_type: ::std::string::String) {
                    #base_as::keep_type(&mut __partial.__base, __odata_type)
                }

                fn kept_type(&self) -> ::core::option::Option<&#str_type> {
                    #base_as::kept_type(&self.#member)
                }
            })
        }
        _ => None,
    };
    let read_only: Vec<&String> = named
        .iter()
        .filter(|(_, field)| field.attrs.read_only.is_some())
        .map(|(_, field)| &field.name)
        .collect();
    let is_read_only = (!read_only.is_empty() || base_as.is_some()).then(|| {
        let own = (!read_only.is_empty())
            .then(|| quote_mixed!(::core::matches!(__name, #(#read_only)|*)));
        let base = base_as
            .as_ref()
            .map(|base| quote_mixed!(#base::is_read_only(__name)));
        let tests = own.into_iter().chain(base);
        quote_mixed! {
            fn is_read_only(__name: &#str_type) -> ::core::primitive::bool {
                #(#tests)||*
            }
        }
    });

    let finish = fields.iter().map(|field| {
        let member = field.ident;
        let value = finish_field(field, private, base_as.as_ref());
        quote_mixed!(#member: #value,)
    });

    // A derived struct must not declare a property its base already has: both would be
    // written, and only one read.
    let base_has_property = base.map(|b| b.ty);
    let own_properties_unique = base_has_property.map(|base_ty| {
        let checks = property_names.iter().map(|name| {
            let message = format!(
                "`{ident}` declares the property `{name}` that its base `{}` already has",
                quote!(#base_ty).to_string().replace(' ', "")
            );
            quote_spanned!(base_ty.span()=> ::core::assert!(!<#base_ty>::__graph_has_property(#name), #message);)
        });
        quote_mixed!(const _: () = { #(#checks)* };)
    });
    let mut has_property: Vec<TokenStream> = property_names
        .iter()
        .map(|name| quote_mixed!(#private::fields::same_name(__name, #name)))
        .collect();
    if let Some(ty) = base_has_property {
        // The argument is the parameter, not a name at the base type's span.
        let name = impls::mixed("__name");
        has_property.push(quote_spanned!(ty.span()=> <#ty>::__graph_has_property(#name)));
    }
    if has_property.is_empty() {
        has_property.push(quote_mixed!({
            let _ = __name;
            false
        }));
    }

    quote_mixed! {
        #(#with_wrappers)*

        #[doc(hidden)]
        pub struct #partial {
            #(#slot_decls)*
            #seen_decl
            #base_decl
            #additional_decl
        }

        #[automatically_derived]
        impl ::core::default::Default for #partial {
            fn default() -> Self {
                #partial {
                    #(#slot_inits)*
                    #seen_init
                    #base_init
                    #additional_init
                }
            }
        }

        #own_properties_unique

        #[automatically_derived]
        impl #ident {
            /// Whether this type or a base has a property of that JSON name.
            #[doc(hidden)]
            pub const fn __graph_has_property(__name: &#str_type) -> ::core::primitive::bool {
                #(#has_property)||*
            }
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #fields_trait for #ident {
            type Partial = #partial;
            const HAS_ADDITIONAL: ::core::primitive::bool = #has_additional;
            const READS_ANNOTATIONS: ::core::primitive::bool = #reads_annotations;

            #field_index_inline
            fn field_index(__key: &#str_type) -> ::core::option::Option<#u16_type> {
                #own_index
                #fallback_index
            }

            #private::read_field! {
                fn read_field<'de, __A: #private::serde::de::MapAccess<'de>>(
                    __partial: &mut #partial,
                    __index: #u16_type,
                    __map: &mut __A,
                ) -> ::core::result::Result<(), __A::Error> {
                    match __index {
                        #(#reads)*
                        #fallback_read
                    }
                }
            }

            fn read_unknown<'de, __A: #private::serde::de::MapAccess<'de>>(
                __partial: &mut #partial,
                __key: ::std::string::String,
                __map: &mut __A,
            ) -> ::core::result::Result<(), __A::Error> {
                #read_unknown
            }

            #is_read_only

            #kept_type

            fn finish<__E: #private::serde::de::Error>(
                __partial: #partial,
            ) -> ::core::result::Result<Self, __E> {
                ::core::result::Result::Ok(#ident {
                    #(#finish)*
                })
            }

            #write_fields
        }
    }
}

/// How many names a struct's match of names may hold to be inlined wherever it is called:
/// into the classification of the struct's keys, and of those of every type derived from
/// it, which then looks up a base's name (or a name no type has) without a call.
///
/// A base as small as `deviceConfiguration` (six properties) or `entity` is inlined into
/// each of its derived types; a larger one is called, so that its names are compiled once:
/// inlining every base made the generated SDK's code 29 KB larger, inlining those up to six
/// names 3.6 KB.
const SMALL_MATCH: usize = 6;

/// The statement of `field_index` that returns the index of one of the struct's own
/// properties: a match on the name's length first, then on the names of that length, so
/// that a hit costs a jump and a comparison or two, and a name of a length no property has
/// (a base's, an annotation) falls through at once.
fn own_index(names: &[&String]) -> Option<TokenStream> {
    if names.is_empty() {
        return None;
    }
    let mut by_length: Vec<(usize, Vec<(u16, &String)>)> = Vec::new();
    for (index, name) in (0u16..).zip(names) {
        match by_length.iter_mut().find(|(len, _)| *len == name.len()) {
            Some((_, group)) => group.push((index, name)),
            None => by_length.push((name.len(), vec![(index, name)])),
        }
    }
    by_length.sort_by_key(|(len, _)| *len);
    let arms = by_length.iter().map(|(len, group)| {
        let names = group.iter().map(|(_, name)| name);
        let indices = group.iter().map(|(index, _)| index);
        quote_mixed! {
            #len => match __key {
                #(#names => return ::core::option::Option::Some(#indices),)*
                _ => {}
            },
        }
    });
    Some(quote_mixed! {
        match __key.len() {
            #(#arms)*
            _ => {}
        }
    })
}

/// Whether a field is read straight into an `Option` of its own type, which is its value
/// once every property was read: an `Option` without a `with` module or a default function.
/// Its partial value then needs no second `Option`, and building the struct moves it.
fn is_direct(field: &Field) -> bool {
    field.is_option()
        && field.attrs.with.is_none()
        && !matches!(
            field.attrs.default.as_ref().map(|d| &d.value),
            Some(Some(_))
        )
}

/// The expression that gives a field its value once every property was read.
fn finish_field(
    field: &Field,
    private: &TokenStream,
    base_as: Option<&TokenStream>,
) -> TokenStream {
    let attrs = &field.attrs;
    let default = attrs.default.as_ref().map(|d| &d.value);
    if attrs.skip.is_some() {
        return match default {
            Some(Some(function)) => quote_mixed!(#function()),
            _ => quote_mixed!(::core::default::Default::default()),
        };
    }
    if attrs.additional.is_some() {
        return quote_mixed!(__partial.__additional);
    }
    if let (Some(_), Some(base)) = (&attrs.base, base_as) {
        return quote_mixed!(#base::finish(__partial.__base)?);
    }
    let Some(index) = field.slot else {
        return quote_mixed!(::core::default::Default::default());
    };
    let slot = format_ident!("__f{}", index);
    let read = match &attrs.with {
        Some(_) => quote_mixed!(::core::option::Option::map(__partial.#slot, |__with| __with.0)),
        None => quote_mixed!(__partial.#slot),
    };
    if is_direct(field) {
        return read;
    }
    let name = &field.name;
    match default {
        Some(Some(function)) => {
            quote_mixed!(::core::option::Option::unwrap_or_else(#read, #function))
        }
        Some(None) => quote_mixed!(::core::option::Option::unwrap_or_default(#read)),
        None if field.is_option() => quote_mixed!(::core::option::Option::unwrap_or_default(#read)),
        None => quote_mixed! {
            #private::fields::required(#read, #name, #private::fields::odata_type::<Self>())?
        },
    }
}

/// The wrappers that route a `with` field through its module's `serialize` and `deserialize`.
fn with_wrappers(
    field: &Field,
    names: &Names,
    index: usize,
    private: &TokenStream,
) -> Option<TokenStream> {
    let module = &field.attrs.with.as_ref()?.value;
    let de_wrapper = names.deserialize_with(index);
    let ser_wrapper = names.serialize_with(index);
    let ty = field_type(field, &names.struct_ident);
    // Spanned at the module's name, where a missing function is reported.
    let deserialize = quote_spanned!(module.span()=> #module::deserialize);
    let serialize = quote_spanned!(module.span()=> #module::serialize);
    let deserialize_impl = impls::deserialize_impl(
        &de_wrapper,
        private,
        quote_mixed!(::core::result::Result::map(#deserialize(__deserializer), #de_wrapper)),
    );
    let serialize_impl = impls::serialize_impl(
        quote_mixed!(#ser_wrapper<'_>),
        private,
        quote_mixed!(#serialize(self.0, __serializer)),
    );
    Some(quote_mixed! {
        #[doc(hidden)]
        pub struct #de_wrapper(#ty);

        #deserialize_impl

        struct #ser_wrapper<'__a>(&'__a #ty);

        #serialize_impl
    })
}
