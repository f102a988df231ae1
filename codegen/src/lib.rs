//! Writes `#[graph_resource]` models for the Microsoft Graph types you select, from Graph's
//! CSDL metadata, with everything they need and nothing else.
//!
//! A selection is types (`microsoft.graph.deviceConfigurationAssignment`) and paths
//! (`/deviceManagement/deviceConfigurations/<>/assignments`, which resolve through the
//! entity container to a type and give it that `path`), or everything (`all`). Its closure
//! adds base types (as `#[graph(base)]` fields), the complex and enum types of properties,
//! and for a property whose type has derived types, a polymorphic enum of them with an
//! `other` variant (and, when the type itself is concrete, a `declared` variant for objects
//! without `@odata.type`).
//!
//! The models read what Graph sends: every property is an `Option` (Graph leaves out what a
//! `$select` or its default subset does not name, whatever `Nullable` says), collections
//! hold `Option`s where their items may be `null`, entities carry `@odata.etag` and
//! `@odata.id`, date-times without an offset are UTC, and `Edm.Stream` content is left out.
//!
//! For each generated entity type, navigation properties are fields marked
//! `#[graph(navigation)]` or `#[graph(contained)]` when their target is generated too, bound
//! actions and functions are `actions(...)` and `functions(...)` (an action's parameters a
//! generated `#[graph_resource(parameters)]` body), and alternate keys `alternate_keys(...)`
//! on a type with a collection `path`; every entity set and singleton whose type is
//! generated gets an entry point, a fn at the end of the file (`users(&client)`).
//!
//! A path that names one entity (`/deviceManagement`, `/me`) gives `path` and `singleton`; a
//! collection whose entity type has a bound `delta` function gives `path` and `delta`. When
//! the type a path leads to has derived types, the path goes on its polymorphic enum
//! (generated for it if nothing else needed it), so that `list` and `get` read each member
//! as its own derived type; it stays on the struct when no concrete type is left to list.
//!
//! ```
//! use graph_resource_codegen::{generate, Options};
//!
//! let csdl = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
//!   <edmx:DataServices>
//!     <Schema Namespace="microsoft.graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
//!       <ComplexType Name="note"><Property Name="text" Type="Edm.String" Nullable="false" /></ComplexType>
//!     </Schema>
//!   </edmx:DataServices>
//! </edmx:Edmx>"#;
//! let options = Options { types: vec!["microsoft.graph.note".into()], ..Options::default() };
//! let source = generate(csdl, &options).unwrap();
//! // `Nullable="false"`: never null, but absent where a `$select` leaves it out.
//! assert!(source.contains("pub struct Note {\n    pub text: Option<String>,\n}"));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cli;
mod csdl;
mod emit;
mod model;
mod modules;
mod names;
mod select;
mod subset;
mod surface;

use std::fmt;
use std::io::Read;
use std::path::Path;

/// What to generate and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Types to generate, qualified (`microsoft.graph.user`), by alias (`graph.user`) or,
    /// in `microsoft.graph`, by name alone.
    pub types: Vec<String>,
    /// Paths (`/deviceManagement/deviceConfigurations/<>/assignments`) whose types to
    /// generate, each with its `path`.
    pub paths: Vec<String>,
    /// Every type of the schema.
    pub all: bool,
    /// Which derived types a polymorphic enum lists.
    pub derived: Derived,
    /// How dates, times and GUIDs are typed.
    pub edm: Edm,
    /// `#[graph_resource]` models, or plain serde derives (for comparisons).
    pub style: Style,
}

/// Which derived types a polymorphic enum lists as variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Derived {
    /// Every concrete type derived from the property's type (they are generated too).
    #[default]
    All,
    /// Only those generated anyway; the rest go to the `other` variant.
    Selected,
}

/// How `Edm.DateTimeOffset`, `Edm.Date`, `Edm.TimeOfDay` and `Edm.Guid` are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Edm {
    /// `chrono::DateTime<chrono::Utc>`, `chrono::NaiveDate`, `chrono::NaiveTime` and
    /// `uuid::Uuid` (the crate using the model depends on chrono and uuid with `serde`).
    #[default]
    Crates,
    /// `String` for all four.
    Strings,
}

/// The form of the generated source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// `#[graph_resource]` models.
    #[default]
    Graph,
    /// The same model with serde derives, `#[serde(flatten)]` bases and
    /// `#[serde(tag = "@odata.type")]` enums: what one writes by hand without this crate,
    /// for compile-time comparisons.
    Serde,
}

/// Why generation failed: what was expected, what was found, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl Error {
    fn new(message: String) -> Error {
        Error(message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Reads a CSDL file, plain or gzip-compressed (recognised by its first bytes).
pub fn read_csdl(path: &Path) -> Result<String, Error> {
    let failed =
        |error: std::io::Error| Error::new(format!("cannot read `{}`: {error}", path.display()));
    let bytes = std::fs::read(path).map_err(failed)?;
    let text = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .map_err(failed)?;
        text
    } else {
        String::from_utf8(bytes).map_err(|error| {
            Error::new(format!(
                "`{}` is neither gzip nor UTF-8 text: {error}",
                path.display()
            ))
        })?
    };
    // A byte order mark is not part of the document.
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text))
}

/// Generates formatted Rust source for `options`' selection of the schema in `csdl`.
///
/// What the runtime cannot express (a function taking a collection, an alternate key of two
/// properties) is left out and named in its type's documentation; [`generate_with_notes`]
/// lists it too.
pub fn generate(csdl: &str, options: &Options) -> Result<String, Error> {
    generate_with_notes(csdl, options).map(|generated| generated.source)
}

/// Generated source, and what was left out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The formatted Rust source.
    pub source: String,
    /// One line per operation or alternate key left out, with its type and the reason
    /// (also in that type's documentation).
    pub left_out: Vec<String>,
    /// The same source as a directory of modules, each of at most 600 lines unless one item
    /// alone is longer: `mod.rs`, which declares and re-exports the others, then one file
    /// per part of each kind of item (types, polymorphic enums, parameter bodies, enums,
    /// entry points), each file's name and text.
    pub modules: Vec<(String, String)>,
}

/// Generates like [`generate`], and says what was left out.
pub fn generate_with_notes(csdl: &str, options: &Options) -> Result<Generated, Error> {
    let schema = csdl::parse(csdl)?;
    let selection = select::Selection::new(&schema, options)?;
    let model = model::Model::new(selection);
    let emitted = emit::emit(&model, options)?;
    let left_out = model
        .surfaces
        .iter()
        .flat_map(|(ty, surface)| {
            surface
                .left_out
                .iter()
                .map(move |why| format!("`{ty}`: {why}"))
        })
        .collect();
    Ok(Generated {
        source: emitted.source(),
        left_out,
        modules: modules::split(&emitted),
    })
}

/// The part of the CSDL in `csdl` that `options`' selection reads: the types it generates
/// and those its paths pass through, the bound operations and container members of those
/// types, minus every reference to a type outside it. Generating from it with the same
/// options gives the same source, which is checked before it is returned. `notice` (the
/// schema's license and source) becomes a comment at its top.
///
/// This is what an SDK crate commits beside its generated source, so that a test can
/// regenerate the source without the whole schema.
pub fn schema_subset(csdl: &str, options: &Options, notice: Option<&str>) -> Result<String, Error> {
    let schema = csdl::parse(csdl)?;
    let selection = select::Selection::new(&schema, options)?;
    let subset = subset::write(csdl, &schema, &selection, options, notice)?;
    let expected = generate(csdl, options)?;
    let found = generate(&subset, options).map_err(|error| {
        Error::new(format!(
            "the part of the schema written for this selection does not generate: {error}"
        ))
    })?;
    if let Some(line) = expected
        .lines()
        .zip(found.lines())
        .position(|(expected, found)| expected != found)
        .or((expected != found).then(|| expected.lines().count().min(found.lines().count())))
    {
        return Err(Error::new(format!(
            "the part of the schema written for this selection generates different source \
             (line {}: expected `{}`, found `{}`)",
            line + 1,
            expected.lines().nth(line).unwrap_or(""),
            found.lines().nth(line).unwrap_or("")
        )));
    }
    Ok(subset)
}
