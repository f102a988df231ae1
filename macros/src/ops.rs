//! Expands the typed operations of a struct with a `path`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Container;
use crate::impls::{self, quote_mixed};
use crate::path::{Part, Template};

/// `create`: POST the body to the collection, the created entity back.
pub fn create(cont: &Container, template: &Template, krate: &syn::Path) -> TokenStream {
    let ident = cont.ident;
    let vis = &cont.input.vis;
    let private = impls::private(krate);
    let keys: Vec<_> = template.keys().collect();
    let parts = template.parts.iter().map(|part| match part {
        Part::Literal(text) => quote_mixed!(#private::PathPart::Literal(#text)),
        Part::Key(key) => {
            let name = key.to_string();
            quote_mixed!(#private::PathPart::Key(#name))
        }
    });
    let shown: String = template
        .parts
        .iter()
        .map(|part| match part {
            Part::Literal(text) => text.clone(),
            Part::Key(key) => format!("{{{key}}}"),
        })
        .collect();
    let doc = format!(
        "Creates a `{ident}`: `POST {shown}` with `body`, and the created entity back.\n\n\
         Each key is percent-encoded as one path segment. An empty key, `.` or `..` is an\n\
         [`Error::InvalidArgument`]({krate}::Error::InvalidArgument) and nothing is sent; a\n\
         status other than 2xx is an [`Error::Api`]({krate}::Error::Api) carrying Graph's\n\
         error envelope.",
        krate = quote!(#krate)
            .to_string()
            .replace(' ', "")
            .trim_start_matches("::"),
    );
    // `client` and `body` are at the mixed site: a placeholder of those names is another
    // parameter.
    quote_mixed! {
        #[automatically_derived]
        impl #ident {
            #[doc = #doc]
            #vis async fn create(
                client: &#krate::Client,
                #(#keys: &str,)*
                body: &Self,
            ) -> ::core::result::Result<Self, #krate::Error> {
                #private::create(client, &[#(#parts),*], &[#(#keys),*], body).await
            }
        }
    }
}
