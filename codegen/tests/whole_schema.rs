//! Generates every type of the schema whose path `GRAPH_CSDL` gives (`--all`: models,
//! navigation, every bound action and function the runtime can express, entry points) and
//! builds the result as a crate depending on this workspace's `graph-resource`. Ignored unless
//! asked for, since the schema is not part of the project; asked for without `GRAPH_CSDL`,
//! it fails rather than pass without having built anything.
//!
//! ```sh
//! GRAPH_CSDL=path/to/v1.0-cleanMetadata.xml.gz cargo test -p graph-resource-codegen --test whole_schema -- --ignored --nocapture
//! ```

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use graph_resource_codegen::{Options, generate_with_notes, read_csdl};

#[test]
#[ignore = "needs Graph's schema: set GRAPH_CSDL to its path and run with --ignored"]
fn the_whole_schema_generates_and_builds() {
    let csdl = std::env::var_os("GRAPH_CSDL")
        .expect("GRAPH_CSDL must name Graph's CSDL file (plain or gzip) to build the whole schema");
    let started = Instant::now();
    let csdl = read_csdl(Path::new(&csdl)).unwrap();
    let options = Options {
        all: true,
        ..Options::default()
    };
    let generated = generate_with_notes(&csdl, &options).unwrap();
    let source = generated.source;
    eprintln!(
        "generated {} lines in {:.2?}; left out (the runtime cannot express them): {}",
        source.lines().count(),
        started.elapsed(),
        generated.left_out.len()
    );
    assert!(source.contains("actions(") && source.contains("functions("));

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("whole-schema");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let manifest = format!(
        r#"[package]
name = "graph-whole-schema"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
graph-resource = {{ path = {workspace:?}, default-features = false }}
serde_json = {{ version = "1", features = ["preserve_order"] }}
chrono = {{ version = "0.4.41", default-features = false, features = ["std", "serde"] }}
uuid = {{ version = "1.16", default-features = false, features = ["std", "serde"] }}
"#,
        workspace = workspace.canonicalize().unwrap()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/lib.rs"), source).unwrap();

    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .arg("build")
        .arg("--quiet")
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .status()
        .unwrap();
    assert!(status.success(), "the generated schema does not build");
    eprintln!("built in {:.2?}", started.elapsed());
}
