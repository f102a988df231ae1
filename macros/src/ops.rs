//! Expands the typed operations of a type with a `path`: each is an associated function
//! that builds a request value through one generic function of the runtime, and the
//! `Properties` table that `select`, `order_by` and `clear` check names against.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::ext::IdentExt;

use crate::ast::{Body, Container};
use crate::check::Checked;
use crate::impls::{self, quote_mixed};
use crate::op::Op;
use crate::path::{Part, Template};

/// Every operation `checked` lists, for the collection or singleton at `template`.
pub fn operations(
    cont: &Container,
    checked: &Checked,
    template: &Template,
    krate: &syn::Path,
) -> TokenStream {
    let ident = cont.ident;
    let private = impls::private(krate);
    let functions = checked
        .operations
        .iter()
        .map(|&op| Operation::new(op, template).expand(cont, krate, &private));
    let delta = checked
        .delta
        .then(|| delta(cont, template, krate, &private));
    let properties = properties(cont, checked, krate);
    quote_mixed! {
        #[automatically_derived]
        impl #ident {
            #(#functions)*
            #delta
        }
        #properties
    }
}

/// One generated function: its HTTP method, whether it addresses a member, its body and
/// what it answers.
struct Operation<'a> {
    op: Op,
    template: &'a Template,
}

impl<'a> Operation<'a> {
    fn new(op: Op, template: &'a Template) -> Self {
        Operation { op, template }
    }

    fn expand(&self, cont: &Container, krate: &syn::Path, private: &TokenStream) -> TokenStream {
        let ident = cont.ident;
        let vis = &cont.input.vis;
        let name = Ident::new(self.op.name(), proc_macro2::Span::call_site());
        let keys: Vec<&Ident> = self.template.keys().collect();
        let member = self
            .template
            .member
            .as_ref()
            .filter(|_| self.op.addresses_member());
        let parts = path_parts(self.template, member, private);
        let shown = shown(self.template, member);
        let method = self.op.method();
        let summary = self.op.summary(ident);
        let answer = self.op.answer(krate);
        let doc = format!(
            "`{method} {shown}`: {summary}\n\n\
             Returns a request value: nothing is sent until it is awaited. Each key is\n\
             percent-encoded as one path segment; an empty key, `.` or `..` is an\n\
             [`Error::InvalidArgument`]({krate}::Error::InvalidArgument) and nothing is sent.\n\
             A status other than 2xx is an [`Error::Api`]({krate}::Error::Api) carrying\n\
             Graph's error envelope.",
            krate = quote!(#krate)
                .to_string()
                .replace(' ', "")
                .trim_start_matches("::"),
        );
        let member_param = member.map(|member| quote_mixed!(#member: &::core::primitive::str,));
        let body = self.op.body();
        let body_param = body.as_ref().map(|body| quote_mixed!(#body: &Self,));
        let body_arg = body.as_ref().map(|body| quote_mixed!(, #body));
        let key_args = keys.iter().copied().chain(member);
        // `client`, `body` and `changes` are at the mixed site: a placeholder of those names
        // is another parameter.
        quote_mixed! {
            #[doc = #doc]
            #vis fn #name(
                client: &#krate::Client,
                #(#keys: &::core::primitive::str,)*
                #member_param
                #body_param
            ) -> #krate::Request<#answer> {
                #private::#name(client, &[#(#parts),*], &[#(#key_args),*] #body_arg)
            }
        }
    }
}

/// `delta`: the changes of the collection through its `/delta` function.
fn delta(
    cont: &Container,
    template: &Template,
    krate: &syn::Path,
    private: &TokenStream,
) -> TokenStream {
    let ident = cont.ident;
    let vis = &cont.input.vis;
    let keys: Vec<&Ident> = template.keys().collect();
    let mut parts = path_parts(template, None, private);
    parts.push(quote_mixed!(#private::PathPart::Literal("/delta")));
    let doc = format!(
        "`GET {}/delta`: the changes of the `{ident}` collection, as a stream of upserts and \
         removals across pages that ends with the delta link to resume from later \
         (`.resume(link)`).\n\n\
         Nothing is sent until `.changes()` is polled. A delta link Graph no longer accepts \
         ends the stream with `Error::ResyncRequired`.",
        shown(template, None)
    );
    quote_mixed! {
        #[doc = #doc]
        #vis fn delta(
            client: &#krate::Client,
            #(#keys: &::core::primitive::str,)*
        ) -> #krate::Delta<Self> {
            #private::delta(client, &[#(#parts),*], &[#(#keys),*])
        }
    }
}

/// The `Properties` impl: a struct's own table (through its bases), or for a polymorphic
/// enum the properties all of its types declare: the base's, which a query on the
/// collection of the abstract type may name; read-only are those any of its types marks.
pub fn properties(cont: &Container, checked: &Checked, krate: &syn::Path) -> TokenStream {
    let ident = cont.ident;
    let private = impls::private(krate);
    let fields_trait = quote_mixed!(#private::fields::Fields);
    let (name, test, read_only) = match &cont.body {
        Body::Polymorphic(variants) => {
            let types: Vec<&syn::Type> = variants
                .iter()
                .filter(|variant| variant.attrs.other.is_none())
                .filter_map(|variant| variant.inner)
                .collect();
            let tests = types
                .iter()
                .map(|ty| quote_mixed!(<#ty>::__graph_has_property(__name)));
            let read_only = types
                .iter()
                .map(|ty| quote_mixed!(<#ty as #fields_trait>::is_read_only(__name)));
            let (test, read_only) = if types.is_empty() {
                let never = quote_mixed!({
                    let _ = __name;
                    false
                });
                (never.clone(), never)
            } else {
                (quote_mixed!(#(#tests)&&*), quote_mixed!(#(#read_only)||*))
            };
            (ident.unraw().to_string(), test, read_only)
        }
        _ => (
            checked.odata_type.trim_start_matches('#').to_owned(),
            quote_mixed!(#ident::__graph_has_property(__name)),
            quote_mixed!(<#ident as #fields_trait>::is_read_only(__name)),
        ),
    };
    quote_mixed! {
        #[automatically_derived]
        impl #krate::Properties for #ident {
            const NAME: &'static ::core::primitive::str = #name;

            fn has_property(__name: &::core::primitive::str) -> ::core::primitive::bool {
                #test
            }

            fn is_read_only(__name: &::core::primitive::str) -> ::core::primitive::bool {
                #read_only
            }
        }
    }
}

/// The `PathPart`s of the collection, followed by `/{member}` when given.
pub fn path_parts(
    template: &Template,
    member: Option<&Ident>,
    private: &TokenStream,
) -> Vec<TokenStream> {
    let key = |name: String| quote_mixed!(#private::PathPart::Key(#name));
    let mut parts: Vec<TokenStream> = template
        .parts
        .iter()
        .map(|part| match part {
            Part::Literal(text) => quote_mixed!(#private::PathPart::Literal(#text)),
            Part::Key(name) => key(name.to_string()),
        })
        .collect();
    if let Some(member) = member {
        parts.push(quote_mixed!(#private::PathPart::Literal("/")));
        parts.push(key(member.to_string()));
    }
    parts
}

/// The path as the docs show it: `/deviceManagement/intents/{intent_id}/assignments`.
pub fn shown(template: &Template, member: Option<&Ident>) -> String {
    let mut shown: String = template
        .parts
        .iter()
        .map(|part| match part {
            Part::Literal(text) => text.clone(),
            Part::Key(key) => format!("{{{key}}}"),
        })
        .collect();
    if let Some(member) = member {
        shown.push_str(&format!("/{{{member}}}"));
    }
    shown
}
