//! What every expansion shares: the path of the runtime's hidden module, the `Serialize` and
//! `Deserialize` impl shells, and the hygiene of the names generated code binds.

use proc_macro2::{Ident, Span, TokenStream};
use quote::ToTokens;

/// `quote!` with every token the macro writes at `Span::mixed_site()`: the parameters and
/// locals it binds cannot meet a name of the user's, while user tokens keep their spans.
macro_rules! quote_mixed {
    ($($tt:tt)*) => {
        ::quote::quote_spanned!(::proc_macro2::Span::mixed_site()=> $($tt)*)
    };
}

pub(crate) use quote_mixed;

/// The runtime's hidden module for this version of the macros: `__private_v0_1_0`. A runtime
/// of another version has no module of that name, so mixing versions fails to compile.
const PRIVATE: &str = concat!(
    "__private_v",
    env!("CARGO_PKG_VERSION_MAJOR"),
    "_",
    env!("CARGO_PKG_VERSION_MINOR"),
    "_",
    env!("CARGO_PKG_VERSION_PATCH"),
);

/// `krate::__private_vX_Y_Z`, the module generated code calls into.
pub fn private(krate: &syn::Path) -> TokenStream {
    let module = mixed(PRIVATE);
    quote_mixed!(#krate::#module)
}

/// Every value name generated code binds: parameters, locals and closure arguments.
const LOCALS: &[&str] = &[
    "__serializer",
    "__deserializer",
    "__map",
    "__value",
    "__partial",
    "__key",
    "__index",
    "__name",
    "__with",
    "__i",
    "__odata_type",
    "__leading",
    "client",
    "body",
    "changes",
    "value",
    "__out",
    "__other",
];

/// A generated binding's name, for tokens that are otherwise at a user span.
pub fn mixed(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// Imports that shadow, inside a generated block, any constant or static of the user's named
/// like a generated binding: a pattern naming a constant would match against it instead of
/// binding, and hygiene does not hide items. A function import leaves the name free to bind.
pub fn shadow_locals() -> TokenStream {
    let names = LOCALS.iter().map(|name| mixed(name));
    quote_mixed! {
        #[allow(unused_imports)]
        use ::core::convert::{#(identity as #names),*};
    }
}

/// `impl Serialize for ty` with `body` as `serialize`, which has `self` and `__serializer`.
pub fn serialize_impl(ty: impl ToTokens, private: &TokenStream, body: TokenStream) -> TokenStream {
    quote_mixed! {
        #[automatically_derived]
        impl #private::serde::Serialize for #ty {
            fn serialize<__S: #private::serde::Serializer>(
                &self,
                __serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                #body
            }
        }
    }
}

/// `impl Deserialize for ty` with `body` as `deserialize`, which has `__deserializer`.
pub fn deserialize_impl(
    ty: impl ToTokens,
    private: &TokenStream,
    body: TokenStream,
) -> TokenStream {
    quote_mixed! {
        #[automatically_derived]
        impl<'de> #private::serde::Deserialize<'de> for #ty {
            fn deserialize<__D: #private::serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                #body
            }
        }
    }
}

/// Both impls for an annotated item: `serialize` and `deserialize` are the bodies.
pub fn serde_impls(
    ident: &Ident,
    private: &TokenStream,
    serialize: TokenStream,
    deserialize: TokenStream,
) -> TokenStream {
    let serialize_impl = serialize_impl(ident, private, serialize);
    let deserialize_impl = deserialize_impl(ident, private, deserialize);
    quote_mixed! {
        #serialize_impl
        #deserialize_impl
    }
}
