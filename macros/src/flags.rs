//! `#[graph_resource(flags)]`: a string enum whose members also combine into a
//! `Flags<Self>` set, written as Graph writes flag enums (`"read,write"`).

use proc_macro2::TokenStream;

use crate::impls::quote_mixed;

use crate::ast::{Body, Container, Variant};
use crate::ctxt::Ctxt;

/// Reports `flags` on anything but a fieldless enum, and member names that hold a comma.
pub fn check(cx: &Ctxt, cont: &Container) {
    let Some(flags) = &cont.attrs.flags else {
        return;
    };
    match &cont.body {
        Body::StringEnum(variants) => {
            for variant in variants.iter().filter(|v| v.attrs.other.is_none()) {
                if variant.value.contains(',') {
                    cx.error_spanned_by(
                        variant.original,
                        format_args!(
                            "a flag name cannot contain a comma, found `{}`: commas separate the members of a set",
                            variant.value
                        ),
                    );
                }
            }
        }
        Body::Struct(_) | Body::Polymorphic(_) => cx.error_at(
            flags.span,
            "`flags` goes on a fieldless enum (a Graph flag enum), whose members combine into `Flags<Self>`",
        ),
    }
}

/// The `Flag` impl (each member's name) and `A | B` for a flag enum.
pub fn expand(cont: &Container, variants: &[Variant], krate: &syn::Path) -> TokenStream {
    let ident = cont.ident;
    let names = variants.iter().map(|v| {
        let variant = v.ident;
        if v.attrs.other.is_some() {
            quote_mixed!(#ident::#variant(__value) => __value.as_str(),)
        } else {
            let value = &v.value;
            quote_mixed!(#ident::#variant => #value,)
        }
    });
    quote_mixed! {
        #[automatically_derived]
        impl #krate::Flag for #ident {
            fn as_str(&self) -> &::core::primitive::str {
                match self {
                    #(#names)*
                }
            }
        }

        #[automatically_derived]
        impl ::core::ops::BitOr for #ident {
            type Output = #krate::Flags<#ident>;

            fn bitor(self, __other: #ident) -> #krate::Flags<#ident> {
                #krate::Flags::from(self) | __other
            }
        }
    }
}
