//! The generated source of the fixture schema, compared byte for byte with the reviewed
//! files in `tests/golden/`. After a deliberate change to the generator, review the new
//! output and write it with `UPDATE_GOLDEN=1 cargo test -p graph-resource-codegen --test golden`.

use std::path::{Path, PathBuf};
use std::process::Command;

use graph_resource_codegen::{
    Derived, Edm, Options, Style, generate, generate_with_notes, read_csdl,
};

const FIXTURE: &str = include_str!("fixtures/schema.xml");
/// Bound actions and functions, alternate keys and entry points.
const OPERATIONS: &str = include_str!("fixtures/operations.xml");

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

/// The selection of `golden/model.rs` (and, in serde's style, `golden/serde.rs`).
fn model_options() -> Options {
    Options {
        types: strings(&[
            "microsoft.graph.edmSampler",
            "graph.naming",
            "item",
            "securityAlert",
            "openChild",
            "treeNode",
            "folderInfo",
            "rule",
            "windows10GeneralConfiguration",
            "mailFolder",
        ]),
        paths: strings(&[
            "/deviceManagement",
            "/deviceManagement/deviceConfigurations",
            "/deviceManagement/deviceConfigurations/<>/assignments",
            "/users",
            "/users/{userId}/settings",
            "/applications",
            "/me",
            "/users/<>/messages",
            "/me/messages",
            "/users/{userId}/mailFolders/{folderId}/messages",
        ]),
        ..Options::default()
    }
}

/// `golden/selected.rs`: derived types only when selected, dates and GUIDs as strings.
fn selected_options() -> Options {
    Options {
        types: strings(&[
            "deviceConfigurationAssignment",
            "groupAssignmentTarget",
            "edmSampler",
        ]),
        derived: Derived::Selected,
        edm: Edm::Strings,
        ..Options::default()
    }
}

/// `golden/operations.rs`: every type with operations, by path.
fn operations_options() -> Options {
    Options {
        paths: strings(&["/managedDevices", "/applications", "/users", "/reports"]),
        ..Options::default()
    }
}

fn golden_path(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(file)
}

fn check_golden(file: &str, source: &str) {
    let path = golden_path(file);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, source).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert!(
        expected == source,
        "the generated source differs from {}; review the difference, then write it with UPDATE_GOLDEN=1",
        path.display()
    );
}

#[test]
fn the_model_matches_its_golden_file() {
    check_golden("model.rs", &generate(FIXTURE, &model_options()).unwrap());
}

#[test]
fn the_serde_model_matches_its_golden_file() {
    let options = Options {
        style: Style::Serde,
        ..model_options()
    };
    check_golden("serde.rs", &generate(FIXTURE, &options).unwrap());
}

#[test]
fn the_selected_model_matches_its_golden_file() {
    check_golden(
        "selected.rs",
        &generate(FIXTURE, &selected_options()).unwrap(),
    );
}

#[test]
fn the_operations_match_their_golden_file() {
    check_golden(
        "operations.rs",
        &generate(OPERATIONS, &operations_options()).unwrap(),
    );
}

#[test]
fn what_the_runtime_cannot_express_is_left_out_and_said() {
    let generated = generate_with_notes(OPERATIONS, &operations_options()).unwrap();
    assert_eq!(
        generated.left_out,
        [
            "`microsoft.graph.application`: the alternate key of 2 properties (tenant, displayName): the runtime addresses one",
            "`microsoft.graph.reportRoot`: the function `getByIds`: its parameter `ids` is a collection (`Collection(Edm.String)`), which a function call cannot carry as an OData literal",
            "`microsoft.graph.user`: the alternate key `userPrincipalName`: the type has no collection `path` of its own; `.alternate_key(\"userPrincipalName\", value)` on a collection path reaches it",
        ]
    );
    // Each in its type's documentation too.
    assert!(generated.source.contains(
        "/// Left out, as the runtime cannot express them:\n/// - the function `getByIds`: its parameter `ids`"
    ));
    // Without `--path`, the collection's `delta` function is left out too, and said.
    let generated = generate_with_notes(
        OPERATIONS,
        &Options {
            types: strings(&["managedDevice"]),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(
        generated.left_out,
        [
            "`microsoft.graph.managedDevice`: the function `delta` on the collection: delta queries are the `delta` of a collection's `path` (give the collection with `--path`)"
        ]
    );
    // An operation bound to a type not generated is not written.
    assert!(!generated.source.contains("restore"));
}

#[test]
fn the_serde_style_writes_the_model_without_operations() {
    let options = Options {
        style: Style::Serde,
        ..operations_options()
    };
    let source = generate(OPERATIONS, &options).unwrap();
    for absent in [
        "actions(",
        "functions(",
        "alternate_keys",
        "Body",
        "pub fn ",
    ] {
        assert!(!source.contains(absent), "`{absent}` in:\n{source}");
    }
    assert!(source.contains("pub struct ManagedDevice {"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let options = model_options();
    let first = generate(FIXTURE, &options).unwrap();
    let mut reversed = options.clone();
    reversed.types.reverse();
    let second = generate(FIXTURE, &reversed).unwrap();
    // The header lists the selection as given; the items do not depend on the order of
    // the types (of several paths to one type, the first is its `path`).
    let body = |s: &str| s.split_once("\n\n").map(|(_, b)| b.to_owned()).unwrap();
    assert_eq!(body(&first), body(&second));
    assert_eq!(first, generate(FIXTURE, &options).unwrap());
}

#[test]
fn a_selection_pays_for_what_it_needs_only() {
    let options = Options {
        types: strings(&["deviceConfigurationAssignment"]),
        ..Options::default()
    };
    let source = generate(FIXTURE, &options).unwrap();
    let items: Vec<&str> = source
        .lines()
        .filter_map(|l| {
            l.strip_prefix("pub struct ")
                .or_else(|| l.strip_prefix("pub enum "))
        })
        .map(|l| l.trim_end_matches(" {"))
        .collect();
    assert_eq!(
        items,
        [
            "AllDevicesAssignmentTarget",
            "AllLicensedUsersAssignmentTarget",
            "DeviceAndAppManagementAssignmentFilterType",
            "DeviceAndAppManagementAssignmentTarget",
            "DeviceAndAppManagementAssignmentTargetKind",
            "DeviceConfigurationAssignment",
            "Entity",
            "ExclusionGroupAssignmentTarget",
            "GroupAssignmentTarget",
        ]
    );
}

/// The attribute line of item `name` in `source`.
fn attribute_of<'a>(source: &'a str, name: &str) -> &'a str {
    let lines: Vec<&str> = source.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.ends_with(&format!(" {name} {{")))
        .unwrap_or_else(|| panic!("no item `{name}` in:\n{source}"));
    lines[..at]
        .iter()
        .rev()
        .find(|l| l.starts_with("#[graph_resource"))
        .unwrap()
}

#[test]
fn a_path_to_a_family_goes_on_its_enum_of_the_listed_types() {
    // Only the selected derived type is listed; the path goes on the enum, not the base.
    let options = Options {
        types: strings(&["iosGeneralDeviceConfiguration"]),
        paths: strings(&["/deviceManagement/deviceConfigurations"]),
        derived: Derived::Selected,
        ..Options::default()
    };
    let source = generate(FIXTURE, &options).unwrap();
    assert_eq!(
        attribute_of(&source, "DeviceConfigurationKind"),
        r#"#[graph_resource::graph_resource("#
    );
    assert!(source.contains(
        "    path = \"/deviceManagement/deviceConfigurations\",\n    base = \"DeviceConfiguration\"\n)]"
    ));
    assert_eq!(
        attribute_of(&source, "DeviceConfiguration"),
        "#[graph_resource::graph_resource]"
    );
    assert!(source.contains("    IosGeneral(IosGeneralDeviceConfiguration),\n    #[graph(other)]"));
    assert!(!source.contains("Windows10"));

    // No concrete type to list: no enum, and the path stays on the struct.
    let options = Options {
        types: Vec::new(),
        ..options
    };
    let source = generate(FIXTURE, &options).unwrap();
    assert!(!source.contains("DeviceConfigurationKind"));
    assert_eq!(
        attribute_of(&source, "DeviceConfiguration"),
        r#"#[graph_resource::graph_resource(path = "/deviceManagement/deviceConfigurations")]"#
    );

    // A type without derived types keeps its path, and `delta` only on a collection.
    let options = Options {
        paths: strings(&["/applications"]),
        ..Options::default()
    };
    let source = generate(FIXTURE, &options).unwrap();
    assert_eq!(
        attribute_of(&source, "Application"),
        r#"#[graph_resource::graph_resource(path = "/applications")]"#
    );
    let options = Options {
        paths: strings(&["/me"]),
        ..Options::default()
    };
    let source = generate(FIXTURE, &options).unwrap();
    assert_eq!(
        attribute_of(&source, "UserKind"),
        r#"#[graph_resource::graph_resource(path = "/me", singleton, base = "User")]"#
    );
}

fn error(options: Options) -> String {
    generate(FIXTURE, &options).unwrap_err().to_string()
}

fn path_error(path: &str) -> String {
    error(Options {
        paths: strings(&[path]),
        ..Options::default()
    })
}

#[test]
fn a_path_that_does_not_resolve_names_the_segment_and_the_candidates() {
    assert_eq!(
        path_error("/deviceManagment/deviceConfigurations"),
        "path `/deviceManagment/deviceConfigurations`: segment 1 `deviceManagment` is not an entity set or singleton; candidates: `deviceManagement`, `me`, `applications`, `users`"
    );
    assert_eq!(
        path_error("/deviceManagement/deviceConfigurations/<>/assignment"),
        "path `/deviceManagement/deviceConfigurations/<>/assignment`: segment 4 `assignment` is not a contained navigation property of `microsoft.graph.deviceConfiguration`; candidates: `assignments`"
    );
    assert_eq!(
        path_error("/users/<>/manager"),
        "path `/users/<>/manager`: segment 3 `manager` is a navigation property of `microsoft.graph.user` that is not contained (its entities live at their own path); contained ones: `mailFolders`, `messages`, `settings`"
    );
    assert_eq!(
        path_error("/deviceManagement/deviceConfigurations/assignments"),
        "path `/deviceManagement/deviceConfigurations/assignments`: segment 3 `assignments` follows a collection of `microsoft.graph.deviceConfiguration`: expected a key placeholder such as `<>`"
    );
    assert_eq!(
        path_error("/users/<>"),
        "path `/users/<>` ends in a key: end it at the collection of `microsoft.graph.user`"
    );
    assert_eq!(path_error("users"), "path `users` must start with `/`");
}

#[test]
fn of_several_paths_to_one_type_the_first_is_its_path() {
    let source = |paths: &[&str]| {
        generate(
            FIXTURE,
            &Options {
                paths: strings(paths),
                ..Options::default()
            },
        )
        .unwrap()
    };
    let one = source(&["/users/<>/messages", "/me/messages"]);
    assert_eq!(
        attribute_of(&one, "Message"),
        r#"#[graph_resource::graph_resource(path = "/users/<>/messages")]"#
    );
    let other = source(&["/me/messages", "/users/<>/messages"]);
    assert_eq!(
        attribute_of(&other, "Message"),
        r#"#[graph_resource::graph_resource(path = "/me/messages")]"#
    );
}

#[test]
fn unknown_types_and_empty_selections_are_errors() {
    assert_eq!(
        error(Options {
            types: strings(&["microsoft.graph.assignmentTarget"]),
            ..Options::default()
        }),
        "unknown type `microsoft.graph.assignmentTarget`; similar: microsoft.graph.allDevicesAssignmentTarget, microsoft.graph.allLicensedUsersAssignmentTarget, microsoft.graph.deviceAndAppManagementAssignmentTarget, microsoft.graph.exclusionGroupAssignmentTarget, microsoft.graph.groupAssignmentTarget"
    );
    assert_eq!(
        error(Options::default()),
        "nothing selected: give `--type`, `--path` or `--all`"
    );
}

#[test]
fn the_command_line_reads_gzip_and_writes_the_file() {
    use std::io::Write;
    let dir =
        std::env::temp_dir().join(format!("graph-resource-codegen-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csdl = dir.join("schema.xml.gz");
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gzip.write_all(FIXTURE.as_bytes()).unwrap();
    std::fs::write(&csdl, gzip.finish().unwrap()).unwrap();
    assert_eq!(read_csdl(&csdl).unwrap(), FIXTURE);

    let output = dir.join("selected.rs");
    let status = Command::new(env!("CARGO_BIN_EXE_graph-resource-codegen"))
        .arg("--csdl")
        .arg(&csdl)
        .args([
            "--type",
            "deviceConfigurationAssignment",
            "--type",
            "groupAssignmentTarget",
        ])
        .args([
            "--type",
            "edmSampler",
            "--derived",
            "selected",
            "--edm",
            "strings",
            "-o",
        ])
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success());
    let expected = generate(FIXTURE, &selected_options()).unwrap();
    assert_eq!(std::fs::read_to_string(&output).unwrap(), expected);

    let failed = Command::new(env!("CARGO_BIN_EXE_graph-resource-codegen"))
        .arg("--csdl")
        .arg(&csdl)
        .args(["--path", "/nowhere"])
        .output()
        .unwrap();
    assert!(!failed.status.success());
    let stderr = String::from_utf8(failed.stderr).unwrap();
    assert!(
        stderr.starts_with("error: path `/nowhere`: segment 1 `nowhere`"),
        "{stderr}"
    );
    // What is left out is said on standard error, and the source is written.
    let operations = dir.join("operations.xml");
    std::fs::write(&operations, OPERATIONS).unwrap();
    let noted = Command::new(env!("CARGO_BIN_EXE_graph-resource-codegen"))
        .arg("--csdl")
        .arg(&operations)
        .args(["--path", "/reports"])
        .output()
        .unwrap();
    assert!(noted.status.success());
    assert_eq!(
        String::from_utf8(noted.stderr).unwrap(),
        "left out: `microsoft.graph.reportRoot`: the function `getByIds`: its parameter `ids` is a collection (`Collection(Edm.String)`), which a function call cannot carry as an OData literal\n"
    );
    let usage = Command::new(env!("CARGO_BIN_EXE_graph-resource-codegen"))
        .args(["--edm", "dates"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(usage.stderr).unwrap();
    assert!(
        stderr.contains("`--edm` takes `crates` or `strings`, found `dates`"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
