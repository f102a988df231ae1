//! `src/generated/` and `schema/graph-v1.0-subset.xml` are what the generator writes now
//! from the committed part of the schema with the options in `codegen.args`.

use std::path::Path;

use graph_resource_codegen::cli;

#[test]
fn generated_source_and_schema_subset_are_current() {
    let args = Path::new(env!("CARGO_MANIFEST_DIR")).join("codegen.args");
    let invocation = cli::parse(["--args".as_ref(), args.as_os_str(), "--check".as_ref()])
        .expect("codegen.args holds the generator's options")
        .expect("codegen.args does not ask for the help text");
    if let Err(error) = cli::run(&invocation) {
        panic!("{error}");
    }
}
