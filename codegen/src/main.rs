//! `graph-resource-codegen`: writes `#[graph_resource]` models for selected Graph types.

use std::process::ExitCode;

use graph_resource_codegen::cli;

fn main() -> ExitCode {
    let invocation = match cli::parse(std::env::args_os().skip(1)) {
        Ok(Some(invocation)) => invocation,
        Ok(None) => {
            print!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("error: {error}\n\n{}", cli::USAGE);
            return ExitCode::FAILURE;
        }
    };
    match cli::run(&invocation) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
