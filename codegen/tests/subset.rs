//! The part of a schema that a selection reads (`--schema-out`), and the command line that
//! writes and checks it: arguments files and `--check`.

use std::path::{Path, PathBuf};

use graph_resource_codegen::{Options, cli, generate, schema_subset};

const FIXTURE: &str = include_str!("fixtures/schema.xml");
const OPERATIONS: &str = include_str!("fixtures/operations.xml");

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

fn assignments() -> Options {
    Options {
        paths: strings(&["/deviceManagement/deviceConfigurations/<>/assignments"]),
        ..Options::default()
    }
}

/// A fresh directory of this test's own, named for the test and this process, removed when
/// dropped: two runs of the tests at once in one target directory (`cargo test --workspace`
/// beside `cargo test -p graph-resource-codegen`) would otherwise empty each other's files.
fn scratch(test: &str) -> Scratch {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("codegen-subset-{}", std::process::id()))
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        // The process's directory, once its last test's is gone.
        if let Some(parent) = self.0.parent() {
            let _ = std::fs::remove_dir(parent);
        }
    }
}

#[test]
fn a_schema_subset_keeps_what_the_selection_reads_and_nothing_else() {
    let subset = schema_subset(FIXTURE, &assignments(), None).unwrap();
    // The types generated, and those the path passes through, with their container members.
    for kept in [
        r#"<EntityType Name="deviceConfigurationAssignment""#,
        r#"<ComplexType Name="groupAssignmentTarget""#,
        r#"<EntityType Name="deviceManagement""#,
        r#"<EntityType Name="deviceConfiguration""#,
        r#"<Singleton Name="deviceManagement""#,
    ] {
        assert!(subset.contains(kept), "{kept} is kept:\n{subset}");
    }
    // Types, entity sets, operations, annotations and schemas that it does not read.
    for left in [
        r#"Name="edmSampler""#,
        r#"<EntityType Name="user""#,
        r#"<EntitySet Name="users""#,
        r#"<Function Name="delta""#,
        "<Annotations ",
        "microsoft.graph.security",
    ] {
        assert!(!subset.contains(left), "{left} is left out:\n{subset}");
    }
    assert!(
        subset.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<edmx:Edmx"),
        "{subset}"
    );
}

#[test]
fn a_schema_subset_generates_what_the_whole_schema_generates() {
    let model = Options {
        types: strings(&["edmSampler", "graph.naming", "securityAlert", "treeNode"]),
        paths: strings(&["/deviceManagement/deviceConfigurations", "/users"]),
        ..Options::default()
    };
    let operations = Options {
        paths: strings(&["/managedDevices", "/applications", "/users", "/reports"]),
        ..Options::default()
    };
    for (schema, options) in [(FIXTURE, &model), (OPERATIONS, &operations)] {
        let subset = schema_subset(schema, options, None).unwrap();
        assert!(subset.len() < schema.len());
        assert_eq!(
            generate(&subset, options).unwrap(),
            generate(schema, options).unwrap()
        );
    }
}

#[test]
fn a_schema_subset_of_a_subset_is_the_same_with_one_notice_on_top() {
    let notice = "A part of a test schema.\nMIT License";
    let subset = schema_subset(FIXTURE, &assignments(), Some(notice)).unwrap();
    assert!(
        subset.starts_with(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <!--\nA part of a test schema.\nMIT License\n-->\n<edmx:Edmx"
        ),
        "{subset}"
    );
    let again = schema_subset(&subset, &assignments(), Some(notice)).unwrap();
    assert_eq!(again, subset);
}

#[test]
fn a_schema_notice_that_would_end_its_comment_is_refused() {
    let error = schema_subset(FIXTURE, &assignments(), Some("a -- b")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the schema notice cannot hold `--`, which ends an XML comment"
    );
}

#[test]
fn an_arguments_file_gives_options_relative_to_it_and_later_options_override_it() {
    let dir = scratch("arguments_file");
    let args = dir.join("codegen.args");
    std::fs::write(
        &args,
        "# The selection.\n--path /users\n\n--type   naming\n--csdl schema.xml\n-o src/generated.rs\n",
    )
    .unwrap();
    let invocation = cli::parse([
        "--args".as_ref(),
        args.as_os_str(),
        "--csdl".as_ref(),
        "whole.xml".as_ref(),
    ])
    .unwrap()
    .unwrap();
    assert_eq!(invocation.options.paths, ["/users"]);
    assert_eq!(invocation.options.types, ["naming"]);
    assert_eq!(invocation.csdl, Some(PathBuf::from("whole.xml")));
    assert_eq!(invocation.output, Some(dir.join("src/generated.rs")));
    assert_eq!(invocation.args_file, Some(args));
}

#[test]
fn check_passes_on_current_files_and_names_the_stale_one_and_the_command_that_rewrites_it() {
    let dir = scratch("check");
    std::fs::write(dir.join("whole.xml"), FIXTURE).unwrap();
    let args = dir.join("codegen.args");
    std::fs::write(
        &args,
        "--path /deviceManagement/deviceConfigurations/<>/assignments\n\
         --csdl part.xml\n--schema-out part.xml\n-o generated.rs\n",
    )
    .unwrap();
    let parse = |extra: &[&str]| {
        let mut argv = vec!["--args".to_owned(), args.display().to_string()];
        argv.extend(extra.iter().map(|arg| (*arg).to_owned()));
        cli::parse(argv).unwrap().unwrap()
    };
    let whole = dir.join("whole.xml").display().to_string();
    cli::run(&parse(&["--csdl", &whole])).unwrap();
    cli::run(&parse(&["--check"])).unwrap();

    let generated = dir.join("generated.rs");
    let source = std::fs::read_to_string(&generated).unwrap();
    std::fs::write(&generated, source.replacen("pub ", "pub(crate) ", 1)).unwrap();
    let error = cli::run(&parse(&["--check"])).unwrap_err().to_string();
    assert!(
        error.starts_with(&format!(
            "`{}` is not what the generator writes now (first difference at line ",
            generated.display()
        )),
        "{error}"
    );
    assert!(
        error.ends_with(&format!(
            "regenerate it with `cargo run -p graph-resource-codegen -- --args {} --csdl <Graph's CSDL>`",
            args.display()
        )),
        "{error}"
    );
    // A file that is missing is named with the command that writes it.
    std::fs::remove_file(&generated).unwrap();
    let error = cli::run(&parse(&["--check"])).unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "`{}` does not exist; write it with `cargo run -p graph-resource-codegen -- --args {} --csdl <Graph's CSDL>`",
            generated.display(),
            args.display()
        )
    );
}

#[test]
fn a_mistake_in_an_arguments_file_names_the_file() {
    let dir = scratch("arguments_file_mistake");
    let args = dir.join("codegen.args");
    for (text, expected) in [
        ("--paths /users\n", "invalid option '--paths'"),
        ("--path\n", "missing argument for option '--path'"),
        (
            "--edm dates\n",
            "`--edm` takes `crates` or `strings`, found `dates`",
        ),
    ] {
        std::fs::write(&args, text).unwrap();
        let error = cli::parse(["--args".as_ref(), args.as_os_str()]).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("in `{}`: {expected}", args.display()),
            "{text:?}"
        );
    }
}

#[test]
fn a_directory_output_holds_the_source_as_modules_and_check_names_a_stale_one() {
    let dir = scratch("modules");
    std::fs::write(dir.join("whole.xml"), FIXTURE).unwrap();
    let args = dir.join("codegen.args");
    std::fs::write(
        &args,
        "--path /deviceManagement/deviceConfigurations/<>/assignments\n--csdl whole.xml\n-o generated\n",
    )
    .unwrap();
    let invocation = |extra: &[&str]| {
        let mut argv = vec!["--args".to_owned(), args.display().to_string()];
        argv.extend(extra.iter().map(|arg| (*arg).to_owned()));
        cli::parse(argv).unwrap().unwrap()
    };
    cli::run(&invocation(&[])).unwrap();
    let modules = dir.join("generated");
    let root = std::fs::read_to_string(modules.join("mod.rs")).unwrap();
    // Every item of the single-file source is in exactly one module that `mod.rs` declares.
    let source = generate(FIXTURE, &assignments()).unwrap();
    let mut items = 0;
    for line in root.lines().filter_map(|line| line.strip_prefix("mod ")) {
        let name = line.trim_end_matches(';');
        assert!(root.contains(&format!("pub use {name}::*;")), "{root}");
        let module = std::fs::read_to_string(modules.join(format!("{name}.rs"))).unwrap();
        assert!(module.contains("\nuse super::*;\n"), "{module}");
        for declaration in module.lines().filter(|line| line.starts_with("pub ")) {
            assert!(
                source.contains(&format!("\n{declaration}\n")),
                "{declaration}"
            );
            items += 1;
        }
    }
    let in_source = source
        .lines()
        .filter(|line| line.starts_with("pub "))
        .count();
    assert_eq!(items, in_source);
    cli::run(&invocation(&["--check"])).unwrap();

    // A module of an earlier selection is stale: named by `--check`, removed by a run; a
    // file the generator did not write is left alone.
    let stale = modules.join("types_09.rs");
    std::fs::write(&stale, format!("{}\n", root.lines().next().unwrap())).unwrap();
    std::fs::write(modules.join("hand_written.rs"), "// mine\n").unwrap();
    let error = cli::run(&invocation(&["--check"])).unwrap_err().to_string();
    assert!(
        error.starts_with(&format!(
            "`{}` is a module the generator no longer writes; regenerate with `cargo run",
            stale.display()
        )),
        "{error}"
    );
    cli::run(&invocation(&[])).unwrap();
    assert!(!stale.exists());
    assert!(modules.join("hand_written.rs").exists());
    cli::run(&invocation(&["--check"])).unwrap();
}
