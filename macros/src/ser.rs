//! Expands `write_fields`: each field in declaration order, `None` omitted, a base inline,
//! the `additional` map last.

use proc_macro2::TokenStream;
use quote::quote_spanned;
use syn::spanned::Spanned;

use crate::ast::Field;
use crate::fields::Names;
use crate::impls::quote_mixed;

/// The body of `Fields::write_fields` for `fields`.
pub fn write_fields(fields: &[Field], names: &Names, private: &TokenStream) -> TokenStream {
    let entry = quote_mixed!(#private::serde::ser::SerializeMap::serialize_entry);
    let mut additional = None;
    let writes: Vec<TokenStream> = fields
        .iter()
        .filter_map(|field| {
            let member = field.ident;
            let attrs = &field.attrs;
            if attrs.skip.is_some() {
                return None;
            }
            if attrs.additional.is_some() {
                additional = Some(quote_mixed! {
                    #private::ser::write_unknown::<__O, __M>(__map, &self.#member)?;
                });
                return None;
            }
            if attrs.base.is_some() {
                let ty = field.ty;
                let base = quote_spanned!(ty.span()=> <#ty as #private::fields::Fields>);
                return Some(quote_mixed!(#base::write_fields::<__O, __M>(&self.#member, __map)?;));
            }
            let name = &field.name;
            let wrapper = match (&attrs.with, field.slot) {
                (Some(_), Some(slot)) => Some(names.serialize_with(slot)),
                _ => None,
            };
            Some(match (wrapper, field.is_option()) {
                (None, true) => quote_mixed! {
                    if let ::core::option::Option::Some(__value) = &self.#member {
                        #entry(__map, #name, __value)?;
                    }
                },
                (None, false) => quote_mixed!(#entry(__map, #name, &self.#member)?;),
                (Some(wrapper), true) => quote_mixed! {
                    if ::core::option::Option::is_some(&self.#member) {
                        #entry(__map, #name, &#wrapper(&self.#member))?;
                    }
                },
                (Some(wrapper), false) => {
                    quote_mixed!(#entry(__map, #name, &#wrapper(&self.#member))?;)
                }
            })
        })
        .collect();
    quote_mixed! {
        fn write_fields<__O: #private::fields::Fields, __M: #private::serde::ser::SerializeMap>(
            &self,
            __map: &mut __M,
        ) -> ::core::result::Result<(), __M::Error> {
            #(#writes)*
            #additional
            ::core::result::Result::Ok(())
        }
    }
}
