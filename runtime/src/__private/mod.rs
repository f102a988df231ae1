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
