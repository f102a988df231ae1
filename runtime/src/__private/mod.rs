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
