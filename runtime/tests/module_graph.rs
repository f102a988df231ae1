//! The runtime's modules depend on each other without a circle: each top-level module
//! (a file or a folder of `src/`) may name others through `crate::`, and following those
//! names never leads back to where it started. `__private` (what generated code calls) and
//! `lib.rs` are left out: they gather the others.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file below `path`.
fn sources(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_owned()];
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(path).unwrap() {
        files.extend(sources(&entry.unwrap().path()));
    }
    files
}

/// The top-level modules a source file names through `crate::`, leaving out its tests and
/// its comments.
fn named(source: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let before_tests = source.split("#[cfg(test)]").next().unwrap_or_default();
    let code: String = before_tests
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    for (index, _) in code.match_indices("crate::") {
        let rest = &code[index + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if modules.contains(&name) {
            found.insert(name);
        } else if rest.starts_with('{') {
            // `use crate::{a, b::c}`: every module the list names.
            let list = rest.split('}').next().unwrap_or_default();
            for item in list.trim_start_matches('{').split(',') {
                let name = item.trim().split("::").next().unwrap_or_default();
                if modules.contains(name) {
                    found.insert(name.to_owned());
                }
            }
        }
    }
    found
}

#[test]
fn runtime_modules_import_each_other_without_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeSet::new();
    for entry in fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name != "lib" && name != "__private" {
            modules.insert(name);
        }
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for module in &modules {
        let file = src.join(format!("{module}.rs"));
        let folder = src.join(module);
        let mut edges = BTreeSet::new();
        for path in [file, folder].iter().filter(|path| path.exists()) {
            let code = sources(path)
                .into_iter()
                .filter(|source| source.file_name().is_some_and(|name| name != "tests.rs"));
            for source in code {
                edges.extend(named(&fs::read_to_string(source).unwrap(), &modules));
            }
        }
        edges.remove(module);
        graph.insert(module.clone(), edges);
    }
    assert!(graph.len() >= 15, "{graph:?}");

    // Depth-first search; a module met again while still on the path closes a circle.
    fn visit(
        module: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(module) {
            return;
        }
        if let Some(start) = path.iter().position(|on_path| on_path == module) {
            panic!("import circle: {} -> {module}", path[start..].join(" -> "));
        }
        path.push(module.to_owned());
        for next in &graph[module] {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(module.to_owned());
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        visit(module, &graph, &mut Vec::new(), &mut done);
    }
    for (module, edges) in &graph {
        eprintln!(
            "{module} -> {}",
            edges.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
}
