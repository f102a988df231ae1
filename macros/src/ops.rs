//! Expands the typed operations of a struct with a `path`: each is an associated function
//! that builds a request value through one generic function of the runtime.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ast::Container;
use crate::case;
use crate::impls::{self, quote_mixed};
use crate::path::{Part, Template};

/// `create` (POST to the collection) and `get` (GET a member by its key).
pub fn operations(cont: &Container, template: &Template, krate: &syn::Path) -> TokenStream {
    let ident = cont.ident;
    let vis = &cont.input.vis;
    let private = impls::private(krate);
    let krate_shown = quote!(#krate).to_string().replace(' ', "");
    let krate_shown = krate_shown.trim_start_matches("::");
    let keys: Vec<&Ident> = template.keys().collect();
    let member = member_key(template);

    let collection = path_parts(template, None, &private);
    let member_path = path_parts(template, Some(&member), &private);
    let collection_shown = shown(template, None);
    let member_shown = shown(template, Some(&member));
    let errors = format!(
        "Returns a request value: nothing is sent until it is awaited. Each key is\n\
         percent-encoded as one path segment; an empty key, `.` or `..` is an\n\
         [`Error::InvalidArgument`]({krate_shown}::Error::InvalidArgument) and nothing is sent. A\n\
         status other than 2xx is an [`Error::Api`]({krate_shown}::Error::Api) carrying Graph's\n\
         error envelope."
    );
    let create_doc = format!(
        "`POST {collection_shown}`: creates a `{ident}` from `body`; the created entity back \
         (`201 Created`).\n\n{errors}"
    );
    let get_doc = format!("`GET {member_shown}`: the `{ident}` with that key.\n\n{errors}");
    let request = |answer: TokenStream| quote!(#krate::Request<'__c, #krate::#answer<Self>>);
    let entity = request(quote!(Entity));
    // `client` and `body` are at the mixed site: a placeholder of those names is another
    // parameter.
    quote_mixed! {
        #[automatically_derived]
        impl #ident {
            #[doc = #create_doc]
            #vis fn create<'__c>(
                client: &'__c #krate::Client,
                #(#keys: &::core::primitive::str,)*
                body: &Self,
            ) -> #entity {
                #private::create(client, &[#(#collection),*], &[#(#keys),*], body)
            }

            #[doc = #get_doc]
            #vis fn get<'__c>(
                client: &'__c #krate::Client,
                #(#keys: &::core::primitive::str,)*
                #member: &::core::primitive::str,
            ) -> #entity {
                #private::get(client, &[#(#member_path),*], &[#(#keys,)* #member])
            }
        }
    }
}

/// The member key, named like a `<>` after the collection's last segment: `assignments`
/// gives `assignment_id`.
fn member_key(template: &Template) -> Ident {
    let last = template
        .parts
        .iter()
        .rev()
        .find_map(|part| match part {
            Part::Literal(text) => text.rsplit('/').next(),
            Part::Key(_) => None,
        })
        .unwrap_or("member");
    let name = case::camel_to_snake(&case::singular(last));
    format_ident!("{}_id", name, span = Span::call_site())
}

/// The `PathPart`s of the collection, followed by `/{member}` when given.
fn path_parts(
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
fn shown(template: &Template, member: Option<&Ident>) -> String {
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
