//! Writes the items of a model as Rust tokens and formats them.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::csdl::{Kind, TypeDef};
use crate::model::{Field, Model, Target, VariantShape};
use crate::names;
use crate::select::{Item, Resolved};
use crate::{Derived, Edm, Error, Options, Style};

mod surface;

/// The formatted source of every item of `model`, sorted by name, after a header that
/// says how it was made.
pub fn emit(model: &Model, options: &Options) -> Result<String, Error> {
    let writer = Writer { model, options };
    let mut items: Vec<(&str, TokenStream)> = Vec::new();
    for (item, name) in &model.names {
        let tokens = match item {
            Item::Struct(q) => writer.structure(q, name),
            Item::Enum(q) => writer.string_enum(q, name),
            Item::Kind(q) => writer.kind(q, name),
            &Item::Body(index) => writer.body(index, name),
        };
        items.extend(tokens.map(|tokens| (name.as_str(), tokens)));
    }
    items.sort_by(|a, b| a.0.cmp(b.0));
    let tokens = items.into_iter().map(|(_, tokens)| tokens);
    // The entity sets and singletons, at the end.
    let entry_points = model
        .entry_points
        .iter()
        .filter(|_| !writer.serde())
        .map(|entry_point| writer.entry_point(entry_point));
    let file: syn::File = syn::parse2(quote!(#(#tokens)* #(#entry_points)*)).map_err(|error| {
        Error::new(format!(
            "the generated source does not parse ({error}); this is a bug of the generator"
        ))
    })?;
    // A blank line before each item's documentation.
    let mut source = header(options);
    // Whether the line before is code (not blank, not documentation).
    let mut after_code = true;
    let mut in_attribute = false;
    for line in prettyplease::unparse(&file).lines() {
        in_attribute |= line.starts_with("#[graph_resource::graph_resource(");
        let line = if in_attribute {
            in_attribute = !line.ends_with(")]");
            // An empty list of parameters, which prettyplease spreads over three lines.
            if line.trim().is_empty() {
                continue;
            }
            if line.trim_start().starts_with(')') && source.ends_with("(\n") {
                source.pop();
                source.push_str(&space_tokens(line.trim_start()));
                source.push('\n');
                continue;
            }
            std::borrow::Cow::Owned(space_tokens(line))
        } else {
            std::borrow::Cow::Borrowed(line)
        };
        if line.starts_with("///") && after_code {
            source.push('\n');
        }
        source.push_str(&line);
        source.push('\n');
        after_code = !line.is_empty() && !line.starts_with("///");
    }
    Ok(source)
}

/// The spaces rustfmt would write in a line of an attribute's arguments, which
/// prettyplease leaves as tokens: around `->`, after `:` in `name: Type` and after an
/// attribute such as `#[collection]`. Strings are left as they are.
fn space_tokens(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_string = false;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        let next = chars.get(i).copied();
        let after_next = chars.get(i + 1).copied();
        if in_string {
            in_string = !(c == '"' && chars.get(i.wrapping_sub(2)) != Some(&'\\'));
            out.push(c);
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '-' if next == Some('>') => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push_str("->");
                i += 1;
                if after_next.is_some_and(|n| n != ' ') {
                    out.push(' ');
                }
            }
            // `::` of a path, unless a third follows: then this one ends a name.
            ':' if next == Some(':') && after_next != Some(':') => {
                out.push_str("::");
                i += 1;
            }
            ':' => {
                out.push(':');
                if next.is_some_and(|n| n != ' ') {
                    out.push(' ');
                }
            }
            ']' => {
                out.push(']');
                if next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '_' || n == '#') {
                    out.push(' ');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn header(options: &Options) -> String {
    let mut selection = Vec::new();
    if options.all {
        selection.push("--all".to_owned());
    }
    selection.extend(options.types.iter().map(|t| format!("--type {t}")));
    selection.extend(options.paths.iter().map(|p| format!("--path {p}")));
    if options.derived == Derived::Selected {
        selection.push("--derived selected".to_owned());
    }
    if options.edm == Edm::Strings {
        selection.push("--edm strings".to_owned());
    }
    if options.style == Style::Serde {
        selection.push("--style serde".to_owned());
    }
    format!(
        "// Generated by graph-resource-codegen from Microsoft Graph's CSDL; do not edit.\n// Selection: {}\n",
        selection.join(" ")
    )
}

struct Writer<'a, 's> {
    model: &'a Model<'s>,
    options: &'a Options,
}

fn to_ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `path = "..."`, then `singleton` or `delta` where the path takes them.
fn path_args(resolved: Option<&Resolved>) -> Vec<TokenStream> {
    let Some(resolved) = resolved else {
        return Vec::new();
    };
    let path = &resolved.path;
    let mut args = vec![quote!(path = #path)];
    if resolved.singleton {
        args.push(quote!(singleton));
    }
    if resolved.delta {
        args.push(quote!(delta));
    }
    args
}

fn doc(text: &str) -> TokenStream {
    let text = format!(" {text}");
    quote!(#[doc = #text])
}

impl Writer<'_, '_> {
    fn serde(&self) -> bool {
        self.options.style == Style::Serde
    }

    fn derives(&self, extra: TokenStream) -> TokenStream {
        if self.serde() {
            quote!(#[derive(Debug, Clone, PartialEq, #extra ::serde::Serialize, ::serde::Deserialize)])
        } else {
            quote!(#[derive(Debug, Clone, PartialEq, #extra)])
        }
    }

    /// The item's attribute and its derives, in the order the style needs: serde's helper
    /// attributes come after the derive that introduces them.
    fn order(&self, attribute: TokenStream, derives: TokenStream) -> (TokenStream, TokenStream) {
        if self.serde() {
            (derives, attribute)
        } else {
            (attribute, derives)
        }
    }

    fn structure(&self, qualified: &str, name: &str) -> Option<TokenStream> {
        let def = self.model.selection.def(qualified)?;
        let shape = self.model.structs.get(qualified)?;
        let ident = to_ident(name);
        let kind = if def.kind == Kind::Entity {
            "entity type"
        } else {
            "complex type"
        };
        let mut notes = Vec::new();
        if def.is_abstract {
            notes.push("abstract");
        }
        if def.open {
            notes.push("open");
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join(", "))
        };
        let mut docs = vec![doc(&format!("The Graph {kind} `{qualified}`{notes}."))];
        if !shape.streams.is_empty() {
            let streams: Vec<String> = shape.streams.iter().map(|s| format!("`{s}`")).collect();
            docs.push(doc(""));
            let download = match shape.streams.as_slice() {
                [one] => format!("download it from `…/{one}/$value`"),
                _ => "download each from `…/{name}/$value`".to_owned(),
            };
            docs.push(doc(&format!(
                "Left out: {}, content (`Edm.Stream`) that Graph never writes inline; {download}.",
                streams.join(", ")
            )));
        }
        let left_out = self
            .model
            .surfaces
            .get(qualified)
            .filter(|_| !self.serde())
            .map_or(&[][..], |s| s.left_out.as_slice());
        if !left_out.is_empty() {
            docs.push(doc(""));
            docs.push(doc("Left out, as the runtime cannot express them:"));
            for why in left_out {
                docs.push(doc(&format!("- {why}.")));
            }
        }
        let derives = self.derives(quote!(Default,));
        let attribute = if self.serde() {
            quote!(#[serde(rename_all = "camelCase")])
        } else {
            self.graph_attribute(def, name)
        };
        let base = shape.base.as_ref().and_then(|field| {
            let base = def.base.as_ref()?;
            let base_ty = to_ident(self.model.name(&Item::Struct(base.clone())));
            let field = to_ident(field);
            let marker = if self.serde() {
                quote!(#[serde(flatten)])
            } else {
                quote!(#[graph(base)])
            };
            Some(quote!(#marker pub #field: #base_ty,))
        });
        let annotations = shape.annotations.iter().map(|annotation| {
            let field = to_ident(&annotation.ident);
            let name = annotation.name;
            let docs = doc(annotation.doc);
            let marker = if self.serde() {
                quote!(#[serde(rename = #name, skip_serializing_if = "Option::is_none")])
            } else {
                quote!(#[graph(rename = #name)])
            };
            quote!(#docs #marker pub #field: Option<String>,)
        });
        let fields = shape.fields.iter().map(|field| self.field(field));
        let additional = shape.additional.as_ref().map(|field| {
            let field = to_ident(field);
            let marker = if self.serde() {
                quote!(#[serde(flatten)])
            } else {
                quote!(#[graph(additional)])
            };
            quote!(#marker pub #field: ::serde_json::Map<::std::string::String, ::serde_json::Value>,)
        });
        let (first, second) = self.order(attribute, derives);
        Some(quote! {
            #(#docs)*
            #first
            #second
            pub struct #ident {
                #base
                #(#annotations)*
                #(#fields)*
                #additional
            }
        })
    }

    /// `#[graph_resource::graph_resource(...)]` with the struct's path, if it has one, and
    /// the type name where the default (`microsoft.graph.` + the name in lowerCamelCase) is
    /// not the type's.
    fn graph_attribute(&self, def: &TypeDef, name: &str) -> TokenStream {
        let mut args = path_args(
            self.model
                .selection
                .paths
                .get(&Item::Struct(def.qualified.clone())),
        );
        if format!("microsoft.graph.{}", names::lower_first(name)) != def.qualified {
            let odata_type = &def.qualified;
            args.push(quote!(odata_type = #odata_type));
        }
        if let Some(surface) = self.model.surfaces.get(&def.qualified) {
            let (actions, functions): (Vec<_>, Vec<_>) =
                surface.operations.iter().partition(|o| o.operation.action);
            if !actions.is_empty() {
                let actions = actions.iter().map(|a| self.action(a));
                args.push(quote!(actions(#(#actions),*)));
            }
            if !functions.is_empty() {
                let functions = functions.iter().map(|f| self.function(f));
                args.push(quote!(functions(#(#functions),*)));
            }
            if !surface.alternate_keys.is_empty() {
                let keys = surface.alternate_keys.iter().map(|k| to_ident(k));
                args.push(quote!(alternate_keys(#(#keys),*)));
            }
        }
        if args.is_empty() {
            quote!(#[graph_resource::graph_resource])
        } else {
            quote!(#[graph_resource::graph_resource(#(#args),*)])
        }
    }

    /// A property as an `Option` (absent when Graph leaves it out, which it does for any
    /// property a `$select` or its default subset does not name); a collection as a `Vec`
    /// of `Option`s when its items may be `null`.
    fn field(&self, field: &Field) -> TokenStream {
        let name = to_ident(&field.ident);
        let element = self.element_type(field);
        let element = if field.boxed {
            quote!(Box<#element>)
        } else {
            element
        };
        let ty = match (field.ty.collection, field.items_nullable) {
            (true, true) => quote!(Vec<Option<#element>>),
            (true, false) => quote!(Vec<#element>),
            (false, _) => element,
        };
        let renamed =
            names::field_to_property(&field.ident) != field.property || field.ident.ends_with('_');
        let property = field.property;
        // Graph writes some date-times without an offset, meaning UTC.
        let with = (field.ty.name == "Edm.DateTimeOffset" && self.options.edm == Edm::Crates)
            .then_some("::graph_resource::date_time_offset");
        let mut keys = Vec::new();
        if !self.serde() {
            match field.navigation {
                Some(true) => keys.push(quote!(contained)),
                Some(false) => keys.push(quote!(navigation)),
                None => {}
            }
        }
        if renamed {
            keys.push(quote!(rename = #property));
        }
        if let Some(with) = with {
            keys.push(quote!(with = #with));
        }
        let attribute = if self.serde() {
            if with.is_some() {
                keys.push(quote!(default));
            }
            keys.push(quote!(skip_serializing_if = "Option::is_none"));
            quote!(#[serde(#(#keys),*)])
        } else if keys.is_empty() {
            TokenStream::new()
        } else {
            quote!(#[graph(#(#keys),*)])
        };
        quote!(#attribute pub #name: Option<#ty>,)
    }

    fn element_type(&self, field: &Field) -> TokenStream {
        match self.model.target(field.ty) {
            Target::Primitive(name) => self.primitive(name),
            Target::Item { name, flags } => {
                let name = to_ident(name);
                match (flags, self.serde()) {
                    (true, false) => quote!(::graph_resource::Flags<#name>),
                    (true, true) => quote!(String),
                    (false, _) => quote!(#name),
                }
            }
            Target::Untyped if self.serde() => quote!(::serde_json::Value),
            Target::Untyped => quote!(::graph_resource::UntypedResource),
        }
    }

    fn primitive(&self, name: &str) -> TokenStream {
        let crates = self.options.edm == Edm::Crates;
        match name {
            "Edm.String" => quote!(String),
            "Edm.Boolean" => quote!(bool),
            "Edm.Byte" => quote!(u8),
            "Edm.SByte" => quote!(i8),
            "Edm.Int16" => quote!(i16),
            "Edm.Int32" => quote!(i32),
            "Edm.Int64" => quote!(i64),
            "Edm.Single" => quote!(::graph_resource::Single),
            "Edm.Double" => quote!(::graph_resource::Double),
            "Edm.Decimal" => quote!(::graph_resource::Decimal),
            "Edm.Binary" => quote!(::graph_resource::Binary),
            "Edm.Duration" => quote!(::graph_resource::IsoDuration),
            "Edm.DateTimeOffset" if crates => quote!(::chrono::DateTime<::chrono::Utc>),
            "Edm.Date" if crates => quote!(::chrono::NaiveDate),
            "Edm.TimeOfDay" if crates => quote!(::chrono::NaiveTime),
            "Edm.Guid" if crates => quote!(::uuid::Uuid),
            "Edm.DateTimeOffset" | "Edm.Date" | "Edm.TimeOfDay" | "Edm.Guid" => quote!(String),
            // `Edm.Untyped` and the geography types: any JSON.
            _ => quote!(::serde_json::Value),
        }
    }

    fn string_enum(&self, qualified: &str, name: &str) -> Option<TokenStream> {
        let def = self.model.selection.def(qualified)?;
        let (variants, other) = self.model.enums.get(qualified)?;
        let ident = to_ident(name);
        let what = if def.flags {
            "flag enum type"
        } else {
            "enum type"
        };
        let mut docs = vec![doc(&format!("The Graph {what} `{qualified}`."))];
        if def.flags && self.serde() {
            docs.push(doc(""));
            docs.push(doc("Properties of this type are comma-separated strings."));
        }
        let derives = self.derives(quote!(Eq, Hash,));
        let variant_tokens = variants.iter().map(|v| self.member(v));
        let other = to_ident(other);
        let (attribute, other) = if self.serde() {
            (
                quote!(#[serde(rename_all = "camelCase")]),
                quote!(#[serde(other)] #other,),
            )
        } else if def.flags {
            (
                quote!(#[graph_resource::graph_resource(flags)]),
                quote!(#[graph(other)] #other(String),),
            )
        } else {
            (
                quote!(#[graph_resource::graph_resource]),
                quote!(#[graph(other)] #other(String),),
            )
        };
        let (first, second) = self.order(attribute, derives);
        Some(quote! {
            #(#docs)*
            #first
            #second
            pub enum #ident {
                #(#variant_tokens)*
                #other
            }
        })
    }

    fn member(&self, variant: &VariantShape) -> TokenStream {
        let name = to_ident(&variant.ident);
        let value = &variant.value;
        if names::lower_first(&variant.ident) == *value {
            quote!(#name,)
        } else if self.serde() {
            quote!(#[serde(rename = #value)] #name,)
        } else {
            quote!(#[graph(rename = #value)] #name,)
        }
    }

    fn kind(&self, qualified: &str, name: &str) -> Option<TokenStream> {
        let (variants, other) = self.model.kinds.get(qualified)?;
        let ident = to_ident(name);
        // The type itself, when it is concrete, is what an object without `@odata.type` is.
        let declared = variants.iter().find(|v| v.value == qualified);
        let mut docs = vec![doc(&format!(
            "`{qualified}` or a type derived from it, told apart by `@odata.type`."
        ))];
        if !self.serde() {
            docs.push(doc(""));
            docs.push(doc(&match declared {
                Some(v) => format!(
                    "An object without `@odata.type` is a `{}`, the declared type.",
                    self.model.name(&Item::Struct(v.value.clone()))
                ),
                None => format!(
                    "`{qualified}` is abstract: an object without `@odata.type` goes to `{other}`."
                ),
            }));
        }
        let derives = self.derives(TokenStream::new());
        let typed = variants.iter().map(|v| {
            let variant = to_ident(&v.ident);
            let ty = to_ident(self.model.name(&Item::Struct(v.value.clone())));
            if self.serde() {
                let tagged = format!("#{}", v.value);
                let plain = &v.value;
                quote!(#[serde(rename = #tagged, alias = #plain)] #variant(#ty),)
            } else if v.value == qualified {
                quote!(#[graph(declared)] #variant(#ty),)
            } else {
                quote!(#variant(#ty),)
            }
        });
        let other = to_ident(other);
        let (attribute, other) = if self.serde() {
            (
                quote!(#[serde(tag = "@odata.type")]),
                quote!(#[serde(untagged)] #other(::serde_json::Value),),
            )
        } else {
            let mut args = path_args(
                self.model
                    .selection
                    .paths
                    .get(&Item::Kind(qualified.into())),
            );
            // The type it stands for, so that it is a navigation target and casts start
            // from it.
            let base = self.model.name(&Item::Struct(qualified.into()));
            args.push(quote!(base = #base));
            let attribute = if args.is_empty() {
                quote!(#[graph_resource::graph_resource])
            } else {
                quote!(#[graph_resource::graph_resource(#(#args),*)])
            };
            (
                attribute,
                quote!(#[graph(other)] #other(::graph_resource::UntypedResource),),
            )
        };
        let (first, second) = self.order(attribute, derives);
        Some(quote! {
            #(#docs)*
            #first
            #second
            #[allow(clippy::large_enum_variant)]
            pub enum #ident {
                #(#typed)*
                #other
            }
        })
    }
}
