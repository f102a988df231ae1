//! `graph-resource-codegen`: writes `#[graph_resource]` models for selected Graph types.

use std::path::PathBuf;
use std::process::ExitCode;

use graph_resource_codegen::{Derived, Edm, Options, Style, generate_with_notes, read_csdl};

const USAGE: &str = "\
Writes #[graph_resource] models for the Microsoft Graph types you select, and everything
they need, from Graph's CSDL metadata (plain or gzip-compressed): navigation properties,
bound actions and functions, alternate keys, and an entry point per entity set and
singleton. What the runtime cannot express is left out, with a line on standard error.

Usage: graph-resource-codegen --csdl <file> [--type <name>]... [--path <path>]... [--all] -o <file.rs>

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
  -o, --output <file.rs> where to write the source (default: standard output)
  -h, --help             this text
";

struct Args {
    csdl: PathBuf,
    output: Option<PathBuf>,
    options: Options,
}

fn parse_args() -> Result<Option<Args>, lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut csdl = None;
    let mut output = None;
    let mut options = Options::default();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("csdl") => csdl = Some(PathBuf::from(parser.value()?)),
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
            Short('o') | Long("output") => output = Some(PathBuf::from(parser.value()?)),
            Short('h') | Long("help") => return Ok(None),
            _ => return Err(arg.unexpected()),
        }
    }
    let csdl = csdl.ok_or("missing `--csdl <file>`")?;
    Ok(Some(Args {
        csdl,
        output,
        options,
    }))
}

fn bad(option: &str, found: &str, expected: &str) -> lexopt::Error {
    format!("`{option}` takes {expected}, found `{found}`").into()
}

fn run() -> Result<(), String> {
    let Some(args) = parse_args().map_err(|error| format!("{error}\n\n{USAGE}"))? else {
        print!("{USAGE}");
        return Ok(());
    };
    let csdl = read_csdl(&args.csdl).map_err(|error| error.to_string())?;
    let generated = generate_with_notes(&csdl, &args.options).map_err(|error| error.to_string())?;
    for why in &generated.left_out {
        eprintln!("left out: {why}");
    }
    let source = generated.source;
    match &args.output {
        Some(path) => std::fs::write(path, source)
            .map_err(|error| format!("cannot write `{}`: {error}", path.display())),
        None => {
            print!("{source}");
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
