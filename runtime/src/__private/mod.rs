//! What generated code calls. Not a public API: names and signatures here change
//! without notice.

pub mod de;
pub mod fields;
pub mod ser;

pub use crate::nav::{ODataLiteral, at, collection};
pub use crate::ops::{create, delete, delta, get, list, update};
pub use crate::path::PathPart;
pub use serde;
pub use serde_json;

use serde::Serialize;

/// Wraps a generated `read_field`, which reads one property into a struct's partial value.
///
/// Built for speed (`opt-level` 2 or 3), it is inlined wherever it is called: a derived type
/// reads its base's properties in its own loop, about 130 instructions fewer for an object
/// of 20 properties, 6 of them its base's. Otherwise it is only offered for inlining, and a
/// base's reads, called from each type derived from it, are compiled once: 47 KB less for
/// the Intune family's models built for size.
#[cfg(graph_resource_for_speed)]
#[doc(hidden)]
#[macro_export]
macro_rules! __graph_resource_read_field_v0_1_0 {
    ($($item:tt)*) => {
        #[inline(always)]
        $($item)*
    };
}

/// See the other definition, for builds for speed.
#[cfg(not(graph_resource_for_speed))]
#[doc(hidden)]
#[macro_export]
macro_rules! __graph_resource_read_field_v0_1_0 {
    ($($item:tt)*) => {
        #[inline]
        $($item)*
    };
}

pub use crate::__graph_resource_read_field_v0_1_0 as read_field;

use crate::nav::{Action, Function};
use crate::request::Answer;

/// A declared action: its body must serialize and its answer be an [`Answer`]; generated
/// code infers both at the spans of the declared types, where a mistake is reported.
pub const fn action<S, P: Serialize + ?Sized, A: Answer, C>(
    name: &'static str,
) -> Action<S, P, A, C> {
    Action::new(name)
}

/// A call of a declared function: its answer must be an [`Answer`], checked like an
/// action's.
pub fn function<S, A: Answer, C>(name: &str) -> Function<S, A, C> {
    Function::new(name)
}
