#!/usr/bin/env python3
"""Figures of graph-resource-codegen on a whole Graph schema.

1. The time to generate every type of the schema (`--all`: models, navigation, bound
   actions and functions with their parameter bodies, alternate keys, entry points),
   median of 3 runs of the release binary, and how many of each it wrote.
2. The debug build time of that generated crate against the same model written with
   plain serde derives and `#[serde(tag = "@odata.type")]` enums and no operations
   (`--style serde`), both built with their dependencies already built, alternating, in
   the same run.
3. What the Intune family (device configurations, compliance policies, managed devices,
   mobile apps and their assignments) adds to a stripped release binary: three
   applications make the same calls through the client and the mock transport, on a
   current-thread runtime (their sources are in perf/size/): one with untyped answers, one
   on the graph-resource models, and one that decodes the same answers with serde_json
   into the same family written as plain serde derives (`--style serde`) and encodes the
   same request bodies from them. `--selection sdk` gives the models every path of
   sdk/codegen.args instead. The unstripped binaries stay in the target directory, for
   `nm -C --size-sort -S`. Each application is built three times: with cargo's `release`
   profile (built for speed), and built for size (`opt-level = "z"`, fat LTO, one codegen
   unit), once with panics that unwind and once with `panic = "abort"`, each profile in its
   own target directory.

    GRAPH_CSDL=path/to/v1.0-cleanMetadata.xml.gz python3 perf/codegen.py
    python3 perf/codegen.py --csdl schema.xml.gz --runs 3
    python3 perf/codegen.py --csdl schema.xml.gz --parts size --selection sdk

Everything is written under perf/work/codegen/, which git ignores.
"""

import argparse
import functools
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

print = functools.partial(print, flush=True)  # progress shows when the output is a file

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "perf" / "work" / "codegen"
TARGET = WORK / "target"

# The Intune part of sdk/codegen.args.
INTUNE_PATHS = [
    "/deviceManagement/deviceConfigurations",
    "/deviceManagement/deviceConfigurations/<>/assignments",
    "/deviceManagement/deviceCompliancePolicies",
    "/deviceManagement/deviceCompliancePolicies/<>/assignments",
    "/deviceManagement/managedDevices",
    "/deviceAppManagement/mobileApps",
    "/deviceAppManagement/mobileApps/<>/assignments",
]

DEPENDENCIES = f"""
[dependencies]
graph-resource = {{ path = "{ROOT}", default-features = false }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = {{ version = "1", features = ["preserve_order"] }}
chrono = {{ version = "0.4.41", default-features = false, features = ["std", "serde"] }}
uuid = {{ version = "1.16", default-features = false, features = ["std", "serde"] }}
tokio = {{ version = "1.40", features = ["rt"] }}
http = "1.1"
"""

# The sources of the size applications.
SIZE_SOURCES = ROOT / "perf" / "size"
# The calls of the SDK's Intune example, which the graph-resource application makes too.
INTUNE_CALLS = ROOT / "sdk" / "examples" / "support" / "intune_calls.rs"


def run(cmd, cwd=ROOT, env=None):
    subprocess.run(cmd, cwd=cwd, env=env, check=True)


def crate(name, lib_source=None, main_source=None, files=None):
    """Writes a crate under WORK; returns its directory."""
    path = WORK / name
    (path / "src").mkdir(parents=True, exist_ok=True)
    (path / "Cargo.toml").write_text(
        f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
        f"[workspace]\n{DEPENDENCIES}"
    )
    for stale in (path / "src").iterdir():
        stale.unlink()
    if lib_source is not None:
        (path / "src" / "lib.rs").write_text(lib_source)
    if main_source is not None:
        (path / "src" / "main.rs").write_text(main_source)
    for file, text in (files or {}).items():
        (path / "src" / file).write_text(text)
    return path


# The profiles the size applications are built with: cargo's `release`, and `release`
# built for size, set through cargo's environment so that the applications stay as
# generated.
FOR_SIZE = {
    "CARGO_PROFILE_RELEASE_OPT_LEVEL": "z",
    "CARGO_PROFILE_RELEASE_LTO": "fat",
    "CARGO_PROFILE_RELEASE_CODEGEN_UNITS": "1",
}
PROFILES = {
    "release": ({}, "target"),
    "release, built for size, panics unwind": (FOR_SIZE, "target-size"),
    "release, built for size, panics abort": (
        {**FOR_SIZE, "CARGO_PROFILE_RELEASE_PANIC": "abort"}, "target-size-abort"),
}


def cargo_env(target=TARGET, extra=None):
    # A profile's settings are the script's own: none comes from the caller's environment.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("CARGO_PROFILE_")}
    env["CARGO_TARGET_DIR"] = str(target)
    env.update(extra or {})
    # Every timed build compiles the whole crate: no incremental state from the last one.
    env["CARGO_INCREMENTAL"] = "0"
    return env


def timed_build(path, release=False):
    """Builds the crate alone (its dependencies already built); returns seconds."""
    args = ["cargo", "build", "--quiet"] + (["--release"] if release else [])
    # Touch the source so that the crate itself is rebuilt, and nothing else.
    for source in (path / "src").iterdir():
        source.touch()
    start = time.monotonic()
    run(args, cwd=path, env=cargo_env())
    return time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csdl", default=os.environ.get("GRAPH_CSDL"))
    parser.add_argument("--runs", type=int, default=1, help="builds of each model")
    parser.add_argument("--parts", default="generate,build,size",
                        help="which figures, comma-separated: generate, build, size")
    parser.add_argument("--selection", choices=["intune", "sdk"], default="intune",
                        help="the models of the size applications: the Intune family, or "
                             "every --path of sdk/codegen.args (the directory too)")
    args = parser.parse_args()
    if not args.csdl:
        sys.exit("perf/codegen.py needs Graph's whole schema: set GRAPH_CSDL to the path of "
                 "v1.0-cleanMetadata.xml(.gz), or give --csdl PATH")
    if not Path(args.csdl).is_file():
        sys.exit(f"perf/codegen.py: the schema {args.csdl} (from --csdl or GRAPH_CSDL) "
                 "is not a file")
    WORK.mkdir(parents=True, exist_ok=True)

    run(["cargo", "build", "--quiet", "--release", "-p", "graph-resource-codegen"])
    release_dir = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release"
    binary = release_dir / "graph-resource-codegen"

    def generate(output, *extra):
        start = time.monotonic()
        # What is left out goes to standard error, a line each: counted, not shown.
        done = subprocess.run([binary, "--csdl", args.csdl, *extra, "-o", output],
                              cwd=ROOT, check=True, stderr=subprocess.PIPE, text=True)
        elapsed = time.monotonic() - start
        generate.left_out = done.stderr.count("\n")
        return elapsed

    parts = args.parts.split(",")
    if "generate" in parts or "build" in parts:
        whole_schema(args, generate, "build" in parts)
    if "size" in parts:
        binary_size(generate, args.selection)


def entries(source, key):
    """The top-level entries of every `key(...)` argument of a `#[graph_resource(...)]`."""
    count = 0
    for found in re.finditer(rf"(?<![\w]){key}\(", source):
        depth, i = 0, found.end() - 1
        count += 1
        while i < len(source):
            c = source[i]
            if c in "([<":
                depth += 1
            elif c in ")]>" and source[i - 1] != "-":
                depth -= 1
                if depth == 0:
                    break
            elif c == "," and depth == 1 and source[i + 1:].lstrip()[:1] != ")":
                count += 1
            i += 1
    return count


def whole_schema(args, generate, build):
    times = [generate(WORK / "all.rs", "--all") for _ in range(3)]
    left_out = generate.left_out
    generate(WORK / "all-serde.rs", "--all", "--style", "serde")
    generated = (WORK / "all.rs").read_text()
    serde_generated = (WORK / "all-serde.rs").read_text()
    print(f"generate --all: {statistics.median(times):.2f} s (median of 3), "
          f"{generated.count(chr(10))} lines, {len(generated) / 1e6:.1f} MB")
    print(f"serde style: {serde_generated.count(chr(10))} lines, {len(serde_generated) / 1e6:.1f} MB")
    print(f"operations: {entries(generated, 'actions')} actions "
          f"({generated.count('graph_resource(parameters)]')} parameter bodies), "
          f"{entries(generated, 'functions')} functions, "
          f"{entries(generated, 'alternate_keys')} alternate keys, "
          f"{generated.count(chr(10) + 'pub fn ')} entry points, "
          f"{generated.count('#[graph(navigation)]') + generated.count('#[graph(contained)]')} "
          f"navigation properties; {left_out} left out")

    if not build:
        return
    graph = crate("schema_graph", lib_source=generated)
    serde = crate("schema_serde", lib_source=serde_generated)
    # The dependencies, once, with an empty crate of the same manifest.
    empty_lib = crate("schema_deps", lib_source="")
    run(["cargo", "build", "--quiet"], cwd=empty_lib, env=cargo_env())
    graph_times, serde_times = [], []
    for _ in range(args.runs):
        graph_times.append(timed_build(graph))
        serde_times.append(timed_build(serde))
    g, s = statistics.median(graph_times), statistics.median(serde_times)
    print(f"debug build of the whole schema: graph_resource {g:.1f} s, serde derives {s:.1f} s, "
          f"ratio {g / s:.2f}x")
    for i, (a, b) in enumerate(zip(graph_times, serde_times)):
        print(f"  run {i + 1}: {a:.1f} s / {b:.1f} s = {a / b:.2f}x")


def sdk_paths():
    """The `--path` options of sdk/codegen.args."""
    lines = (ROOT / "sdk" / "codegen.args").read_text().splitlines()
    return [line.split(None, 1)[1] for line in lines if line.startswith("--path ")]


def binary_size(generate, selection):
    selected = INTUNE_PATHS if selection == "intune" else sdk_paths()
    paths = [arg for path in selected for arg in ("--path", path)]
    models = {}
    for style in ("graph", "serde"):
        output = WORK / f"{selection}-{style}.rs"
        generate(output, *paths, "--style", style)
        models[style] = output.read_text()
        items = models[style].count("\npub struct ") + models[style].count("\npub enum ")
        print(f"{selection} selection, {style} style: {models[style].count(chr(10))} lines, "
              f"{items} items")

    def source(name):
        return (SIZE_SOURCES / name).read_text()

    shared = {"answers.rs": source("answers.rs")}
    untyped = {"untyped.rs": source("untyped.rs")}
    apps = [
        ("client only", crate("intune_client_only", main_source=source("client_only.rs"),
                              files={**shared, **untyped})),
        ("graph-resource models", crate("intune_graph", main_source=source("graph_models.rs"),
                                        files={**shared, "model.rs": models["graph"],
                                               "calls.rs": INTUNE_CALLS.read_text()})),
        ("serde derives", crate("intune_serde", main_source=source("serde_models.rs"),
                                files={**shared, **untyped, "model.rs": models["serde"]})),
    ]
    for profile, (settings, target) in PROFILES.items():
        # One target directory per profile: the dependencies are built once, for the first
        # application.
        target = WORK / target
        sizes = {}
        for label, path in apps:
            run(["cargo", "build", "--quiet", "--release"], cwd=path,
                env=cargo_env(target, settings))
            binary = target / "release" / path.name
            done = subprocess.run([binary], check=True, capture_output=True, text=True)
            # The 14 answers of perf/size/answers.rs, each taken by one call.
            if "received 14 requests" not in done.stdout:
                sys.exit(f"{path.name} did not make its 14 calls; it printed:\n{done.stdout}")
            stripped = target / f"{path.name}.stripped"
            run(["strip", "-o", stripped, binary])
            sizes[label] = stripped.stat().st_size
            print(f"  {profile}, {label}: {sizes[label] / 1024:.0f} KiB stripped "
                  f"({binary} unstripped)")
        base = sizes["client only"]
        graph = sizes["graph-resource models"] - base
        serde = sizes["serde derives"] - base
        print(f"{profile}, stripped: client only {base / 1024:.0f} KiB; graph-resource models "
              f"+{graph / 1024:.0f} KiB ({graph} bytes), serde derives +{serde / 1024:.0f} KiB "
              f"over it; ratio {graph / serde:.2f}x")


if __name__ == "__main__":
    main()
