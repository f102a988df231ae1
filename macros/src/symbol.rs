//! Every attribute and key name, written once: the parser compares against these, the
//! "expected one of" lists and the conflict checks are built from them.

use std::fmt;

use syn::{Ident, Path};

/// The name of an attribute or a key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Symbol(&'static str);

/// The attribute on fields and variants.
pub const GRAPH: Symbol = Symbol("graph");

pub const PATH: Symbol = Symbol("path");
pub const ODATA_TYPE: Symbol = Symbol("odata_type");
pub const NAMESPACE: Symbol = Symbol("namespace");
pub const CRATE: Symbol = Symbol("crate");
pub const SINGLETON: Symbol = Symbol("singleton");
pub const OPERATIONS: Symbol = Symbol("operations");
pub const FLAGS: Symbol = Symbol("flags");
pub const DELTA: Symbol = Symbol("delta");
pub const ACTIONS: Symbol = Symbol("actions");
pub const FUNCTIONS: Symbol = Symbol("functions");
pub const ALTERNATE_KEYS: Symbol = Symbol("alternate_keys");
pub const PARAMETERS: Symbol = Symbol("parameters");

/// The attributes of an entry of `actions(...)` or `functions(...)`.
pub const COLLECTION: Symbol = Symbol("collection");
pub const NAME: Symbol = Symbol("name");

pub const RENAME: Symbol = Symbol("rename");
pub const ADDITIONAL: Symbol = Symbol("additional");
pub const BASE: Symbol = Symbol("base");
pub const SKIP: Symbol = Symbol("skip");
pub const DEFAULT: Symbol = Symbol("default");
pub const WITH: Symbol = Symbol("with");
pub const READ_ONLY: Symbol = Symbol("read_only");
pub const NAVIGATION: Symbol = Symbol("navigation");
pub const CONTAINED: Symbol = Symbol("contained");

pub const OTHER: Symbol = Symbol("other");
pub const DECLARED: Symbol = Symbol("declared");

/// The keys of `#[graph_resource(...)]`.
pub const CONTAINER_KEYS: &[Symbol] = &[
    PATH,
    SINGLETON,
    OPERATIONS,
    DELTA,
    ACTIONS,
    FUNCTIONS,
    ALTERNATE_KEYS,
    PARAMETERS,
    ODATA_TYPE,
    NAMESPACE,
    CRATE,
    FLAGS,
    BASE,
];
/// The keys of `#[graph(...)]` on a field, in the order of `attr::Field::key_spans`.
pub const FIELD_KEYS: &[Symbol] = &[
    RENAME, ADDITIONAL, BASE, SKIP, DEFAULT, WITH, READ_ONLY, NAVIGATION, CONTAINED,
];
/// The keys of `#[graph(...)]` on a variant.
pub const VARIANT_KEYS: &[Symbol] = &[OTHER, DECLARED, RENAME];

/// `` `a`, `b`, `c` ``: the keys (or operations) an unknown one could have been.
pub fn one_of(keys: &[impl fmt::Display]) -> String {
    let quoted: Vec<String> = keys.iter().map(|key| format!("`{key}`")).collect();
    quoted.join(", ")
}

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for &Ident {
    fn eq(&self, word: &Symbol) -> bool {
        *self == word.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl PartialEq<Symbol> for &Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_quote_each_key() {
        assert_eq!(one_of(VARIANT_KEYS), "`other`, `declared`, `rename`");
    }
}
