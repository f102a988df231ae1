//! The command line: its options, arguments files, and what a run writes or checks.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::emit::GENERATED_HEADER;
use crate::{Derived, Edm, Error, Options, Style, generate_with_notes, read_csdl, schema_subset};

/// The command line's help text.
pub const USAGE: &str = "\
Writes #[graph_resource] models for the Microsoft Graph types you select, and everything
they need, from Graph's CSDL metadata (plain or gzip-compressed): navigation properties,
bound actions and functions, alternate keys, and an entry point per entity set and
singleton. What the runtime cannot express is left out, with a line on standard error.

Usage: graph-resource-codegen --csdl <file> [--type <name>]... [--path <path>]... [--all] -o <file.rs>
       graph-resource-codegen --args <file> [--csdl <file>] [--check]

Options:
  --csdl <file>          the CSDL ($metadata) document
  --type <name>          a type to generate: microsoft.graph.x, graph.x or x
  --path <path>          a path such as /deviceManagement/deviceConfigurations/<>/assignments:
                         generates the type it leads to, with that path (and `singleton`
                         or `delta` where they apply); a type with derived types gets it
                         on its polymorphic enum; of several paths to one type, the first
                         is its `path`, the others are reached by navigation
  --all                  every type of the schema
  --derived all|selected polymorphic enums list every derived type (default; they are
                         generated too) or only those generated anyway
  --edm crates|strings   dates, times and GUIDs as chrono and uuid types (default) or String
  --style graph|serde    #[graph_resource] models (default) or plain serde derives with
                         tagged enums, for comparisons
  -o, --output <file.rs> where to write the source (default: standard output); a path
                         without an extension is a directory of modules, none over
                         600 lines unless one item is (`mod.rs` and one file per part)
  --schema-out <file>    also write the part of the CSDL that the selection reads, from which
                         the same options generate the same source (checked before writing)
  --schema-notice <file> text for a comment at the top of that part (the schema's license
                         and source)
  --check                write nothing: fail unless `-o` and `--schema-out` already hold
                         what this run would write
  --args <file>          more options from a file: one option and its value per line, `#`
                         starts a comment line, paths are relative to the file; options
                         after it override its single-valued ones
  -h, --help             this text
";

/// A parsed command line.
#[derive(Debug, Clone, Default)]
pub struct Invocation {
    /// The CSDL document to read.
    pub csdl: Option<PathBuf>,
    /// Where to write the source; standard output when `None`.
    pub output: Option<PathBuf>,
    /// Where to write the part of the CSDL that the selection reads.
    pub schema_out: Option<PathBuf>,
    /// The text of the comment at the top of that part.
    pub schema_notice: Option<PathBuf>,
    /// Compare with the files instead of writing them.
    pub check: bool,
    /// The arguments file, when one was given (named by `--check`'s advice).
    pub args_file: Option<PathBuf>,
    /// What to generate and how.
    pub options: Options,
}

/// Parses command-line arguments (without the program name); `None` asks for the help text.
///
/// ```
/// use graph_resource_codegen::cli;
///
/// let invocation = cli::parse(["--csdl", "graph.xml", "--path", "/users", "-o", "users.rs"])
///     .unwrap()
///     .unwrap();
/// assert_eq!(invocation.options.paths, ["/users"]);
/// ```
pub fn parse<I>(args: I) -> Result<Option<Invocation>, Error>
where
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    let mut invocation = Invocation::default();
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    if read(&mut invocation, args, None).map_err(|error| Error::new(error.to_string()))? {
        Ok(Some(invocation))
    } else {
        Ok(None)
    }
}

/// Reads `args` into `invocation`, relative paths against `base`; `false` for `--help`.
fn read(
    invocation: &mut Invocation,
    args: Vec<OsString>,
    base: Option<&Path>,
) -> Result<bool, lexopt::Error> {
    use lexopt::prelude::*;
    let path = |value: OsString| match base {
        Some(base) => base.join(value),
        None => PathBuf::from(value),
    };
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = parser.next()? {
        let options = &mut invocation.options;
        match arg {
            Long("csdl") => invocation.csdl = Some(path(parser.value()?)),
            Long("type") => options.types.push(parser.value()?.string()?),
            Long("path") => options.paths.push(parser.value()?.string()?),
            Long("all") => options.all = true,
            Long("derived") => {
                options.derived = match parser.value()?.string()?.as_str() {
                    "all" => Derived::All,
                    "selected" => Derived::Selected,
                    other => return Err(bad("--derived", other, "`all` or `selected`")),
                }
            }
            Long("edm") => {
                options.edm = match parser.value()?.string()?.as_str() {
                    "crates" => Edm::Crates,
                    "strings" => Edm::Strings,
                    other => return Err(bad("--edm", other, "`crates` or `strings`")),
                }
            }
            Long("style") => {
                options.style = match parser.value()?.string()?.as_str() {
                    "graph" => Style::Graph,
                    "serde" => Style::Serde,
                    other => return Err(bad("--style", other, "`graph` or `serde`")),
                }
            }
            Short('o') | Long("output") => invocation.output = Some(path(parser.value()?)),
            Long("schema-out") => invocation.schema_out = Some(path(parser.value()?)),
            Long("schema-notice") => invocation.schema_notice = Some(path(parser.value()?)),
            Long("check") => invocation.check = true,
            Long("args") => {
                if base.is_some() {
                    return Err("`--args` cannot be used inside an arguments file".into());
                }
                let file = PathBuf::from(parser.value()?);
                let args = args_file(&file)?;
                let dir = file.parent().unwrap_or(Path::new("")).to_owned();
                let read = read(invocation, args, Some(&dir))
                    .map_err(|error| format!("in `{}`: {error}", file.display()))?;
                invocation.args_file = Some(file);
                if !read {
                    return Ok(false);
                }
            }
            Short('h') | Long("help") => return Ok(false),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(true)
}

/// The arguments in an arguments file: each line that is neither blank nor a `#` comment
/// holds an option and, after the first run of spaces, its value.
fn args_file(file: &Path) -> Result<Vec<OsString>, lexopt::Error> {
    let text = std::fs::read_to_string(file)
        .map_err(|error| format!("cannot read `{}`: {error}", file.display()))?;
    let mut args = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once(char::is_whitespace) {
            Some((option, value)) => {
                args.push(option.into());
                args.push(value.trim_start().into());
            }
            None => args.push(line.into()),
        }
    }
    Ok(args)
}

fn bad(option: &str, found: &str, expected: &str) -> lexopt::Error {
    format!("`{option}` takes {expected}, found `{found}`").into()
}

/// Generates what `invocation` asks for and writes it, or with `check`, compares it with
/// the files it would write.
pub fn run(invocation: &Invocation) -> Result<(), Error> {
    let csdl_path = invocation
        .csdl
        .as_deref()
        .ok_or_else(|| Error::new("missing `--csdl <file>`".to_owned()))?;
    let csdl = read_csdl(csdl_path)?;
    let generated = generate_with_notes(&csdl, &invocation.options)?;
    if !invocation.check {
        for why in &generated.left_out {
            eprintln!("left out: {why}");
        }
    }
    let mut outputs: Vec<(PathBuf, String)> = Vec::new();
    if let Some(path) = &invocation.schema_out {
        let notice = match &invocation.schema_notice {
            Some(file) => Some(std::fs::read_to_string(file).map_err(|error| {
                Error::new(format!("cannot read `{}`: {error}", file.display()))
            })?),
            None => None,
        };
        let subset = schema_subset(&csdl, &invocation.options, notice.as_deref())?;
        outputs.push((path.clone(), subset));
    }
    // A directory of modules unless the output is named as a file.
    let directory = (invocation.output.as_deref()).filter(|path| path.extension().is_none());
    match (&invocation.output, directory) {
        (_, Some(directory)) => {
            let written: Vec<&str> = generated
                .modules
                .iter()
                .map(|(name, _)| name.as_str())
                .collect();
            stale_modules(directory, &written, invocation)?;
            for (name, text) in generated.modules {
                outputs.push((directory.join(name), text));
            }
        }
        (Some(path), None) => outputs.push((path.clone(), generated.source)),
        (None, _) if invocation.check => {
            return Err(Error::new(
                "`--check` needs `-o <file.rs or directory>`".to_owned(),
            ));
        }
        (None, _) => print!("{}", generated.source),
    }
    if let Some(directory) = directory.filter(|_| !invocation.check) {
        std::fs::create_dir_all(directory).map_err(|error| {
            Error::new(format!("cannot create `{}`: {error}", directory.display()))
        })?;
    }
    for (path, text) in outputs {
        if invocation.check {
            check(&path, &text, invocation)?;
        } else {
            std::fs::write(&path, text).map_err(|error| {
                Error::new(format!("cannot write `{}`: {error}", path.display()))
            })?;
        }
    }
    Ok(())
}

/// The generated modules in `directory` that are not among `written` (a module of an
/// earlier selection): with `--check` an error naming them, else they are removed. A file
/// the generator did not write (without its header) is left alone.
fn stale_modules(directory: &Path, written: &[&str], invocation: &Invocation) -> Result<(), Error> {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return Ok(());
    };
    let mut stale = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let generated =
            std::fs::read_to_string(&path).is_ok_and(|text| text.starts_with(GENERATED_HEADER));
        if name.ends_with(".rs") && generated && !written.contains(&name.as_str()) {
            stale.push(path);
        }
    }
    stale.sort();
    if invocation.check {
        if let Some(path) = stale.first() {
            return Err(Error::new(format!(
                "`{}` is a module the generator no longer writes; regenerate with `{}`",
                path.display(),
                regenerate(invocation)
            )));
        }
        return Ok(());
    }
    for path in stale {
        std::fs::remove_file(&path)
            .map_err(|error| Error::new(format!("cannot remove `{}`: {error}", path.display())))?;
    }
    Ok(())
}

/// The command that writes the files again.
fn regenerate(invocation: &Invocation) -> String {
    match &invocation.args_file {
        Some(file) => format!(
            "cargo run -p graph-resource-codegen -- --args {} --csdl <Graph's CSDL>",
            file.display()
        ),
        None => "graph-resource-codegen with the same options, without `--check`".to_owned(),
    }
}

/// Fails, naming the first line that differs (or the missing file) and the command that
/// rewrites the file, unless `path` holds `expected`.
fn check(path: &Path, expected: &str, invocation: &Invocation) -> Result<(), Error> {
    let command = regenerate(invocation);
    let found = match std::fs::read_to_string(path) {
        Ok(found) if found == expected => return Ok(()),
        Ok(found) => found,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::new(format!(
                "`{}` does not exist; write it with `{command}`",
                path.display()
            )));
        }
        Err(error) => {
            return Err(Error::new(format!(
                "cannot read `{}`: {error}",
                path.display()
            )));
        }
    };
    let line = found
        .lines()
        .zip(expected.lines())
        .position(|(found, expected)| found != expected)
        .unwrap_or_else(|| found.lines().count().min(expected.lines().count()))
        + 1;
    Err(Error::new(format!(
        "`{}` is not what the generator writes now (first difference at line {line}); \
         regenerate it with `{command}`",
        path.display()
    )))
}
