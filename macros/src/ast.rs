//! The item as the macro understands it: a struct with its fields, a polymorphic enum or a
//! string enum, each part keeping its syn node for spans.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, GenericArgument, Ident, PathArguments, Type};

use crate::attr;
use crate::case;
use crate::ctxt::Ctxt;

/// The annotated item.
pub struct Container<'a> {
    pub ident: &'a Ident,
    pub attrs: attr::Container,
    pub body: Body<'a>,
    pub input: &'a DeriveInput,
}

/// What kind of item it is.
pub enum Body<'a> {
    Struct(Vec<Field<'a>>),
    /// Variants each holding one annotated type, and possibly an `other`.
    Polymorphic(Vec<Variant<'a>>),
    /// Fieldless variants, and possibly an `other` holding a `String`.
    StringEnum(Vec<Variant<'a>>),
}

/// A named field of a struct.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: attr::Field,
    /// The JSON property name.
    pub name: String,
    /// The index of the field among those read and written by name (not `skip`,
    /// `additional` or `base`).
    pub slot: Option<usize>,
    pub original: &'a syn::Field,
}

/// A variant of an enum.
pub struct Variant<'a> {
    pub ident: &'a Ident,
    /// The type a one-field tuple variant holds.
    pub ty: Option<&'a Type>,
    /// The annotated type of a polymorphic variant: `ty`, or `T` when `ty` is `Box<T>`.
    pub inner: Option<&'a Type>,
    pub attrs: attr::Variant,
    /// The JSON string of a string enum variant.
    pub value: String,
    pub original: &'a syn::Variant,
}

impl<'a> Container<'a> {
    /// Builds the model, reporting every problem of its shape; `None` for a union.
    pub fn from_ast(cx: &Ctxt, args: TokenStream, input: &'a DeriveInput) -> Option<Container<'a>> {
        let attrs = attr::Container::parse(cx, args);
        for attr in attr::graph_attrs(&input.attrs) {
            cx.error_spanned_by(
                attr,
                "on the item, write its keys in `#[graph_resource(...)]`",
            );
        }
        if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
            cx.error_spanned_by(
                &input.generics,
                "#[graph_resource] does not support generic parameters",
            );
        }
        let body = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => {
                    let mut fields: Vec<Field> = named
                        .named
                        .iter()
                        .filter_map(|f| Some(Field::new(cx, f.ident.as_ref()?, f)))
                        .collect();
                    let named = fields.iter_mut().filter(|f| f.is_named_property());
                    for (index, field) in named.enumerate() {
                        field.slot = Some(index);
                    }
                    Body::Struct(fields)
                }
                Fields::Unnamed(_) | Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        "#[graph_resource] needs a struct with named fields: each field is a JSON property",
                    );
                    // Modelled without fields, so that the stand-in impls know it is a struct.
                    Body::Struct(Vec::new())
                }
            },
            Data::Enum(data) => {
                let variants: Vec<Variant> =
                    data.variants.iter().map(|v| Variant::new(cx, v)).collect();
                // Polymorphic when a variant holds a type other than a string enum's
                // `String`, or when the `other` variant holds an `UntypedResource`.
                let holds = |v: &Variant, name: &str| {
                    v.ty.and_then(last_segment).is_some_and(|s| s.ident == name)
                };
                let typed = variants.iter().any(|v| {
                    (v.attrs.other.is_none() && v.ty.is_some() && !holds(v, "String"))
                        || (v.attrs.other.is_some() && holds(v, "UntypedResource"))
                });
                if typed {
                    Body::Polymorphic(variants)
                } else {
                    Body::StringEnum(variants)
                }
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "#[graph_resource] cannot be used on a union; use a struct or an enum",
                );
                return None;
            }
        };
        Some(Container {
            ident: &input.ident,
            attrs,
            body,
            input,
        })
    }
}

impl<'a> Field<'a> {
    fn new(cx: &Ctxt, ident: &'a Ident, field: &'a syn::Field) -> Field<'a> {
        let attrs = attr::Field::parse(cx, &field.attrs);
        let name = match &attrs.rename {
            Some(rename) => rename.value.value(),
            None => case::field_to_property(&ident.to_string()),
        };
        Field {
            ident,
            ty: &field.ty,
            attrs,
            name,
            slot: None,
            original: field,
        }
    }

    /// Whether the field is read and written under its own property name.
    fn is_named_property(&self) -> bool {
        self.attrs.skip.is_none() && self.attrs.additional.is_none() && self.attrs.base.is_none()
    }

    /// Whether the field is an `Option`, which is omitted when `None`. Only `Option`,
    /// `std::option::Option` and `core::option::Option` count: an alias or another type of
    /// that name is written as it is.
    pub fn is_option(&self) -> bool {
        is_std_type(self.ty, "option", "Option", &["std", "core"])
    }
}

impl Variant<'_> {
    /// Whether the variant holds its annotated type in a `Box`.
    pub fn is_boxed(&self) -> bool {
        self.ty.is_some_and(|ty| boxed(ty).is_some())
    }
}

/// `T` of `Box<T>`, `std::boxed::Box<T>` or `alloc::boxed::Box<T>`.
fn boxed(ty: &Type) -> Option<&Type> {
    if !is_std_type(ty, "boxed", "Box", &["std", "alloc"]) {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last_segment(ty)?.arguments else {
        return None;
    };
    match args.args.first() {
        Some(GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// Whether `ty` is the standard type `name`, written alone or as `krate::module::name` for
/// one of `krates`.
fn is_std_type(ty: &Type, module: &str, name: &str, krates: &[&str]) -> bool {
    let Type::Path(path) = ungroup(ty) else {
        return false;
    };
    let names: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    path.qself.is_none()
        && match names.as_slice() {
            [alone] => alone == name,
            [krate, m, n] => krates.contains(&krate.as_str()) && m == module && n == name,
            _ => false,
        }
}

impl<'a> Variant<'a> {
    fn new(cx: &Ctxt, variant: &'a syn::Variant) -> Variant<'a> {
        let attrs = attr::Variant::parse(cx, &variant.attrs);
        let ty = match &variant.fields {
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                fields.unnamed.first().map(|f| &f.ty)
            }
            _ => None,
        };
        let value = match &attrs.rename {
            Some(rename) => rename.value.value(),
            None => case::lower_first(&variant.ident.unraw().to_string()),
        };
        Variant {
            ident: &variant.ident,
            ty,
            inner: ty.map(|ty| boxed(ty).unwrap_or(ty)),
            attrs,
            value,
            original: variant,
        }
    }
}

/// `ty` without the invisible groups a `macro_rules!` `$t:ty` wraps it in. Every test of a
/// type's shape goes through this.
pub fn ungroup(mut ty: &Type) -> &Type {
    while let Type::Group(group) = ty {
        ty = &group.elem;
    }
    ty
}

/// The last segment of a plain type path: `Option` of `std::option::Option<T>`.
pub fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ungroup(ty) {
        Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        _ => None,
    }
}
