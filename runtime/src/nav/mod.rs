//! Paths as values built by typed steps: an entity or a collection at any path, navigation
//! properties, type casts, alternate keys, references (`$ref`), `$count`, bound actions and
//! functions, and a request to any path a model does not declare.
//!
//! Code is per type, never per path: a navigation property is one constant on the type that
//! declares it ([`Navigation`]), and a path such as
//! `/users/{id}/mailFolders/{id}/messages/{id}/attachments` is a run-time value built from
//! those steps. Every step gives the same [`Request`](crate::Request) values as the
//! generated operations: awaited, chained with query options, put in a `$batch`.

mod action;
mod collection;
mod count;
mod entity;
mod function;
mod hatch;
mod literal;
mod position;
mod reference;

use std::fmt;
use std::marker::PhantomData;

pub use action::Action;
pub use collection::CollectionPath;
pub use count::Count;
pub use entity::EntityPath;
pub use function::Function;
pub use literal::{Date, DateTimeOffset, Guid, ODataLiteral};
pub use reference::{Reference, ReferenceTarget};

/// What generated code calls.
pub use collection::collection;
pub use entity::at;

use crate::odata::ODataType;

/// A navigation property that holds its entities: Graph stores them under the parent
/// (`/users/{id}/messages`), and they have no reference to add or remove.
#[derive(Debug, Clone, Copy)]
pub enum Contained {}

/// A navigation property that relates entities stored elsewhere (`/groups/{id}/members`):
/// its references can be added and removed with `$ref`.
#[derive(Debug, Clone, Copy)]
pub enum Related {}

/// A single-valued navigation property (`manager`): the step gives an [`EntityPath`].
#[derive(Debug, Clone, Copy)]
pub enum One {}

/// A collection-valued navigation property (`members`): the step gives a
/// [`CollectionPath`].
#[derive(Debug, Clone, Copy)]
pub enum Many {}

/// A navigation property of `B`, leading to `T`: one entity or many (`C` is [`One`] or
/// [`Many`]), held or related (`K` is [`Contained`] or [`Related`]).
///
/// `#[graph_resource]` declares one associated constant per field marked
/// `#[graph(navigation)]` or `#[graph(contained)]`, named after the field in
/// SCREAMING_SNAKE_CASE, such as `Group::MEMBERS`; [`EntityPath::to`] takes it.
///
/// ```
/// use graph_resource_runtime::{Many, Model, Navigation, ODataType, Related};
///
/// struct Group;
/// struct DirectoryObject;
/// impl ODataType for DirectoryObject {
///     const ODATA_TYPE: &'static str = "#microsoft.graph.directoryObject";
/// }
/// impl Model for DirectoryObject {
///     type Declared = DirectoryObject;
/// }
/// const MEMBERS: Navigation<Group, DirectoryObject, Many, Related> = Navigation::new("members");
/// assert_eq!(MEMBERS.name(), "members");
/// ```
pub struct Navigation<B, T: Model, C, K> {
    name: &'static str,
    types: Types<B, T, C, K>,
}

/// The types a [`Navigation`] names, owned by none of its values.
type Types<B, T, C, K> = PhantomData<fn() -> (B, T, C, K)>;

impl<B, T: Model, C, K> Navigation<B, T, C, K> {
    /// The navigation property of JSON name `name`, the path segment of the step, to a
    /// model `T`.
    pub const fn new(name: &'static str) -> Self {
        Navigation {
            name,
            types: PhantomData,
        }
    }

    /// The JSON name of the property.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<B, T: Model, C, K> Clone for Navigation<B, T, C, K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<B, T: Model, C, K> Copy for Navigation<B, T, C, K> {}

impl<B, T: Model, C, K> fmt::Debug for Navigation<B, T, C, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Navigation").field(&self.name).finish()
    }
}

/// A model of a Graph type, as paths see it: the entity type it stands for.
///
/// `#[graph_resource]` implements it for every struct (`Declared = Self`) and for a
/// polymorphic enum that names the type it stands for (`DirectoryObjectKind` stands for
/// `DirectoryObject`): the navigation properties and casts of that type apply to the enum.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a model of a Graph type",
    label = "not a `#[graph_resource]` struct, nor a polymorphic enum with `base = \"…\"`",
    note = "a navigation property leads to a model, and paths are built on models"
)]
pub trait Model {
    /// The struct whose navigation properties apply, and from which casts start.
    type Declared: ODataType;
}

/// `Self` is `B` or derives from it: a cast from `B` to `Self`, and a navigation property
/// or a bound operation of `B` on a path of `Self`, compile.
///
/// Every type is itself; `#[graph_resource]` implements the rest for a struct with a
/// `#[graph(base)]` field: the struct is whatever its base is, so that a type derives from
/// every type up its chain of bases. The impls do not overlap, since a base is never the
/// struct nor derived from it.
///
/// ```
/// use graph_resource_runtime::IsA;
///
/// struct DirectoryObject;
/// struct Group;
/// // What `#[graph_resource]` writes for `Group`, whose `#[graph(base)]` field is a
/// // `DirectoryObject`:
/// impl<B> IsA<B> for Group where DirectoryObject: IsA<B> {}
///
/// fn derives<D: IsA<B>, B>() {}
/// derives::<Group, DirectoryObject>();
/// derives::<Group, Group>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not derive from `{B}`",
    label = "not `{B}` nor derived from it",
    note = "a cast, a navigation step or a bound operation needs a type derived from the path's type: a type derives from its `#[graph(base)]` field's type and from that type's bases"
)]
pub trait IsA<B> {}

impl<T> IsA<T> for T {}

/// What a navigation step gives for its cardinality: an [`EntityPath`] for [`One`], a
/// [`CollectionPath`] for [`Many`].
pub trait Cardinality<T, K>: sealed::Sealed {
    /// The position after the step.
    type Path;
    #[doc(hidden)]
    fn path(position: position::Position) -> Self::Path;
}

impl<T, K> Cardinality<T, K> for One {
    type Path = EntityPath<T, K>;
    fn path(position: position::Position) -> Self::Path {
        EntityPath::from_position(position)
    }
}

impl<T, K> Cardinality<T, K> for Many {
    type Path = CollectionPath<T, K>;
    fn path(position: position::Position) -> Self::Path {
        CollectionPath::from_position(position)
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::One {}
    impl Sealed for super::Many {}
}

#[cfg(test)]
mod tests;
