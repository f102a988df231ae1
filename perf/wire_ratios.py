#!/usr/bin/env python3
"""Runs the decode benchmarks of `benches/wire.rs` several times and prints, for each case,
its time over the plain serde derive's in the same group and key order, round by round, and
the median of the rounds.

One criterion run on a shared machine moves a ratio by several percent from one run to the
next; the median of rounds, each measuring every case one after the other, is the figure to
quote.

    python3 perf/wire_ratios.py [--rounds 5] [--filter REGEX]
"""

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The groups that read the same object with the plain derive and with the models.
DEFAULT_FILTER = "deserialize 20 properties"

# `group/function` then `time: [low estimate high]` on the same or the next line.
RESULT = re.compile(
    r"^(?P<name>deserialize[^\n]*?)\s*\n?\s*time:\s+\[\S+ \S+ (?P<value>[0-9.]+) (?P<unit>\S+)",
    re.M,
)
UNITS = {"ps": 1e-3, "ns": 1.0, "µs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}


def run_round(filter_regex, warm_up, measurement):
    """One `cargo bench` run; returns {group/function: nanoseconds}."""
    done = subprocess.run(
        ["cargo", "bench", "--bench", "wire", "--", filter_regex,
         "--warm-up-time", str(warm_up), "--measurement-time", str(measurement)],
        cwd=ROOT, capture_output=True, text=True,
    )
    if done.returncode != 0:
        sys.exit(f"cargo bench failed:\n{done.stderr[-4000:]}")
    times = {}
    for match in RESULT.finditer(done.stdout):
        unit = UNITS.get(match["unit"])
        if unit is None:
            sys.exit(f"unknown time unit {match['unit']!r} in {match['name']!r}")
        times[match["name"].strip()] = float(match["value"]) * unit
    if not times:
        sys.exit(f"no benchmark matched {filter_regex!r}")
    return times


def split(name):
    """`group/function` as (group, label, order): the key order is the function's suffix
    after its last comma, or what the group says (`..., context URL first`), or type first."""
    group, _, function = name.partition("/")
    label, comma, order = function.rpartition(", ")
    if not comma:
        label, order = function, None
    if order is None:
        order = group.rpartition(", ")[2] if ", " in group else "type first"
    return group, label, order


def ratios(times):
    """{(group, label, order): time over the plain derive's of that group and order}, and
    over `from_slice` where the group has it."""
    plain = {}
    for name, value in times.items():
        group, label, order = split(name)
        if label in ("plain derive", "plain derive from_slice"):
            plain[(group, label, order)] = value
    out = {}
    for name, value in times.items():
        group, label, order = split(name)
        if label.startswith("plain derive"):
            continue
        base = plain.get((group, "plain derive", order))
        if base:
            out[(group, label, order, "plain derive")] = value / base
        slice_base = plain.get((group, "plain derive from_slice", order))
        if slice_base:
            out[(group, label, order, "from_slice")] = value / slice_base
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--filter", default=DEFAULT_FILTER,
                        help="criterion's filter (a regex over group/function)")
    parser.add_argument("--warm-up-time", type=float, default=2)
    parser.add_argument("--measurement-time", type=float, default=6)
    args = parser.parse_args()
    if args.rounds < 1:
        sys.exit("--rounds must be at least 1")

    rounds = []
    for index in range(args.rounds):
        print(f"round {index + 1} of {args.rounds}", file=sys.stderr, flush=True)
        rounds.append(ratios(run_round(args.filter, args.warm_up_time, args.measurement_time)))

    keys = sorted(set().union(*rounds))
    print(f"{'group':44} {'case':28} {'order':18} {'over':13} rounds ... median")
    for key in keys:
        values = [r[key] for r in rounds if key in r]
        group, label, order, over = key
        cells = " ".join(f"{v:.3f}" for v in values)
        print(f"{group:44} {label:28} {order:18} {over:13} {cells}  {statistics.median(values):.3f}")


if __name__ == "__main__":
    main()
