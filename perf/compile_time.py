#!/usr/bin/env python3
"""Compile-time scaling of #[graph_resource] against the plain serde derive.

Generates library crates with N annotated structs (each with a polymorphic field and a
path) and the same structs with serde derives (the polymorphic field as a serde tagged
enum), builds each from clean with its dependencies already built, and prints the median
times and ratios. Also times cold builds (empty target directory) of the macros crate and
of the facade with default features and with --no-default-features.

    python3 perf/compile_time.py                 # 50, 200 and 1000 structs, 3 runs each
    python3 perf/compile_time.py --counts 200 --runs 5 --no-cold
    python3 perf/compile_time.py --navigation    # 200 models with and without 5 navigation
                                                 # properties and 3 bound operations each

Everything is written under perf/work/, which git ignores.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "perf" / "work"

TARGETS = """
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupAssignmentTarget {
    pub group_id: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExclusionGroupAssignmentTarget {
    pub group_id: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllDevicesAssignmentTarget {}

#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum AssignmentTarget {
    Group(GroupAssignmentTarget),
    ExclusionGroup(ExclusionGroupAssignmentTarget),
    AllDevices(AllDevicesAssignmentTarget),
    #[graph(other)]
    Other(graph_resource::UntypedResource),
}
"""

GRAPH_STRUCT = """
#[graph_resource(path = "/deviceManagement/policies{i}/<>/assignments")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicyAssignment{i} {{
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub priority: Option<i32>,
    pub enabled: Option<bool>,
    pub role_scope_tag_ids: Option<Vec<String>>,
    pub target: Option<AssignmentTarget>,
}}
"""

PARAMETERS = """
#[graph_resource(parameters)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AssignBody {
    pub assignments: Option<Vec<AssignmentTarget>>,
}
"""

# The same model as GRAPH_STRUCT with five navigation properties (three collections, two
# single-valued; contained and not) and three bound operations (two actions, one function).
NAVIGATION_STRUCT = """
#[graph_resource(
    path = "/deviceManagement/policies{i}/<>/assignments",
    actions(assign(AssignBody) -> Page<PolicyAssignment{i}>, sync_device),
    functions(get_report(period: &str, top: i32) -> Bytes),
)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicyAssignment{i} {{
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub priority: Option<i32>,
    pub enabled: Option<bool>,
    pub role_scope_tag_ids: Option<Vec<String>>,
    pub target: Option<AssignmentTarget>,
    #[graph(navigation)]
    pub members: Option<Vec<PolicyAssignment{a}>>,
    #[graph(navigation)]
    pub owners: Option<Vec<PolicyAssignment{b}>>,
    #[graph(contained)]
    pub settings: Option<Vec<PolicyAssignment{c}>>,
    #[graph(navigation)]
    pub manager: Option<Box<PolicyAssignment{a}>>,
    #[graph(contained)]
    pub schedule: Option<Box<PolicyAssignment{b}>>,
}}
"""

SERDE_TARGETS = """
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupAssignmentTarget {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExclusionGroupAssignmentTarget {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AllDevicesAssignmentTarget {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "@odata.type")]
pub enum AssignmentTarget {
    #[serde(rename = "#microsoft.graph.groupAssignmentTarget")]
    Group(GroupAssignmentTarget),
    #[serde(rename = "#microsoft.graph.exclusionGroupAssignmentTarget")]
    ExclusionGroup(ExclusionGroupAssignmentTarget),
    #[serde(rename = "#microsoft.graph.allDevicesAssignmentTarget")]
    AllDevices(AllDevicesAssignmentTarget),
}
"""

SERDE_STRUCT = """
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyAssignment{i} {{
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_scope_tag_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<AssignmentTarget>,
}}
"""


def plain_fields(struct: str) -> str:
    """The navigation model with its navigation properties as plain properties and no bound
    operations: what the declarations themselves cost is the difference."""
    lines = struct.splitlines()
    lines = [l for l in lines if "#[graph(navigation)]" not in l and "#[graph(contained)]" not in l]
    lines = [l for l in lines if not l.lstrip().startswith(("actions(", "functions("))]
    return "\n".join(lines) + "\n"


def related(i: int, step: int) -> int:
    """A model of the same family of ten as model `i`: navigation links families of related
    types (users, groups and their members; a policy, its assignments and settings). One
    chain through all 200 models nests deeper than rustc's recursion limit (128) allows its
    drop check to follow."""
    return i // 10 * 10 + (i + step) % 10


def write_crate(
    name: str, count: int, graph: bool, navigation: bool = False, declared: bool = True
) -> None:
    crate = WORK / name
    (crate / "src").mkdir(parents=True, exist_ok=True)
    if navigation:
        deps = f'graph-resource = {{ path = "{ROOT}" }}\nbytes = "1"\n'
        head = "use bytes::Bytes;\nuse graph_resource::{Page, graph_resource};\n" + TARGETS + PARAMETERS
        template = NAVIGATION_STRUCT if declared else plain_fields(NAVIGATION_STRUCT)
        body = "".join(
            template.format(i=i, a=related(i, 1), b=related(i, 3), c=related(i, 7))
            for i in range(count)
        )
    elif graph:
        deps = f'graph-resource = {{ path = "{ROOT}" }}\n'
        head = "use graph_resource::graph_resource;\n" + TARGETS
        body = "".join(GRAPH_STRUCT.format(i=i) for i in range(count))
    else:
        deps = 'serde = { version = "1", features = ["derive"] }\n'
        head = "use serde::{Deserialize, Serialize};\n" + SERDE_TARGETS
        body = "".join(SERDE_STRUCT.format(i=i) for i in range(count))
    (crate / "Cargo.toml").write_text(
        f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
        f"[dependencies]\n{deps}"
    )
    (crate / "src" / "lib.rs").write_text("#![allow(dead_code)]\n" + head + body)


def cargo(args, target_dir: Path, cwd: Path = WORK) -> float:
    env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir))
    start = time.perf_counter()
    result = subprocess.run(["cargo", *args], cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"cargo {' '.join(args)} failed:\n{result.stderr}")
    return elapsed


def scaling(counts, runs) -> None:
    names = []
    for count in counts:
        for kind in ("serde", "graph"):
            name = f"{kind}_{count}"
            write_crate(name, count, graph=(kind == "graph"))
            names.append(name)
    members = ", ".join(f'"{n}"' for n in names)
    (WORK / "Cargo.toml").write_text(f"[workspace]\nmembers = [{members}]\nresolver = \"3\"\n")
    target = WORK / "target"
    print("building dependencies once ...", flush=True)
    for name in names:
        cargo(["build", "-q", "-p", name], target)

    print(f"\n{'structs':>8} {'serde derive':>14} {'graph_resource':>15} {'ratio':>7}   (median of {runs} dev builds of the crate alone)")
    for count in counts:
        medians = {}
        for kind in ("serde", "graph"):
            name = f"{kind}_{count}"
            times = []
            for _ in range(runs):
                cargo(["clean", "-q", "-p", name], target)
                times.append(cargo(["build", "-q", "-p", name], target))
            medians[kind] = statistics.median(times)
        ratio = medians["graph"] / medians["serde"]
        print(f"{count:>8} {medians['serde']:>13.2f}s {medians['graph']:>14.2f}s {ratio:>6.2f}x", flush=True)


def navigation(count, runs) -> None:
    """The build of `count` models with five navigation properties and three bound
    operations each, against the same models without them."""
    names = [f"graph_{count}", f"graph_fields_{count}", f"graph_nav_{count}"]
    write_crate(names[0], count, graph=True)
    write_crate(names[1], count, graph=True, navigation=True, declared=False)
    write_crate(names[2], count, graph=True, navigation=True)
    members = ", ".join(f'"{n}"' for n in names)
    (WORK / "Cargo.toml").write_text(f"[workspace]\nmembers = [{members}]\nresolver = \"3\"\n")
    target = WORK / "target"
    print("building dependencies once ...", flush=True)
    for name in names:
        cargo(["build", "-q", "-p", name], target)
    medians = {}
    for name in names:
        times = []
        for _ in range(runs):
            cargo(["clean", "-q", "-p", name], target)
            times.append(cargo(["build", "-q", "-p", name], target))
        medians[name] = statistics.median(times)
    plain, fields, with_nav = (medians[n] for n in names)
    print(f"\n{count} models, median of {runs} dev builds of the crate alone:")
    print(f"  7 properties                                   {plain:>7.2f}s")
    print(f"  12 properties (5 more, undeclared), no ops      {fields:>7.2f}s  ({fields / plain:.2f}x)")
    print(
        f"  7 properties, 5 navigation properties, 3 ops   {with_nav:>7.2f}s  "
        f"({with_nav / plain:.2f}x the first, {with_nav / fields:.2f}x the second)"
    )


def cold() -> None:
    print("\ncold builds (empty target directory, dependencies included):")
    cases = [
        ("graph-resource-macros", ["build", "-q", "-p", "graph-resource-macros"]),
        ("graph-resource (default features)", ["build", "-q", "-p", "graph-resource"]),
        ("graph-resource --no-default-features", ["build", "-q", "-p", "graph-resource", "--no-default-features"]),
    ]
    for label, args in cases:
        target = WORK / "cold"
        shutil.rmtree(target, ignore_errors=True)
        elapsed = cargo(args, target, cwd=ROOT)
        print(f"  {label:<40} {elapsed:>7.1f}s", flush=True)
    shutil.rmtree(WORK / "cold", ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", default="50,200,1000", help="struct counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="builds per crate; the median is shown")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold builds")
    parser.add_argument(
        "--navigation",
        action="store_true",
        help="only compare 200 models with and without navigation properties and operations",
    )
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"rustc: {subprocess.run(['rustc', '--version'], capture_output=True, text=True).stdout.strip()}")
    print(f"cores: {os.cpu_count()}")
    if args.navigation:
        navigation(200, args.runs)
        return
    scaling([int(c) for c in args.counts.split(",")], args.runs)
    if not args.no_cold:
        cold()


if __name__ == "__main__":
    main()
