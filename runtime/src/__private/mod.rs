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
/// When the runtime is built for speed (`opt-level` 2 or 3, see `build.rs`), it is inlined
/// wherever it is called, unless the crate that holds the model is compiled with debug
/// assertions: a derived type reads its base's properties in its own loop, about 130
/// instructions fewer for an object of 20 properties, 6 of them its base's. Otherwise it is
/// only offered for inlining, and a base's reads, called from each type derived from it, are
/// compiled once: 47 KB less for the Intune family's models built for size.
///
/// The runtime's profile decides, as no crate can see another's `opt-level`: a crate of
/// models given an `opt-level` of its own by a profile override follows the runtime's.
#[cfg(graph_resource_for_speed)]
#[doc(hidden)]
#[macro_export]
macro_rules! __graph_resource_read_field {
    ($($item:tt)*) => {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        $($item)*
    };
}

/// See the other definition, for a runtime built for speed.
#[cfg(not(graph_resource_for_speed))]
#[doc(hidden)]
#[macro_export]
macro_rules! __graph_resource_read_field {
    ($($item:tt)*) => {
        #[inline]
        $($item)*
    };
}

pub use crate::__graph_resource_read_field as read_field;

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
