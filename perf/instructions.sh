#!/usr/bin/env bash
# Instructions per decode of the 20-property object, counted by callgrind: repeatable
# whatever else the machine is doing, unlike times. Needs valgrind.
#
#     bash perf/instructions.sh
set -euo pipefail
cd "$(dirname "$0")/instructions"
cargo build --release -q
binary=target/release/graph-resource-instructions
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$binary" "$@" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
runs=10000
# One row per case and order of the object's keys.
rows() {
    for case in "$@"; do
        for order in first last context; do
            base=$(count "$case" 0 "$order")
            total=$(count "$case" "$runs" "$order")
            label="type $order"
            [ "$order" = context ] && label="context URL, then type"
            printf '%-34s %12d\n' "$case, $label" $(( (total - base) / runs ))
        done
    done
}
printf '%-34s %12s\n' case instructions
rows plain graph-struct graph-enum tagged-enum
# The same objects from the bytes of a body, as an answer arrives: the plain derive through
# `std::str::from_utf8` and `serde_json::from_str` (and through `serde_json::from_slice`, as
# reqwest's `json()` reads), the models through `graph_resource::from_json`, as the client
# reads, which looks ahead in the text for a type that comes after properties.
rows plain-text plain-bytes graph-struct-bytes graph-enum-bytes tagged-enum-text
# A page of 100 of those objects with its next link, as `Page<T>` and as a plain serde struct.
page_runs=100
for case in plain-page graph-page plain-page-text graph-page-bytes; do
    base=$(count "$case" 0 page)
    total=$(count "$case" "$page_runs" page)
    printf '%-34s %12d\n' "$case" $(( (total - base) / page_runs ))
done
# An audit record of the first, the 32nd and the last of 64 types: the plain derive of the
# variant's struct, the polymorphic enum (which finds the variant by its table of types) and
# serde's tagged enum.
for case in plain-record graph-records tagged-records; do
    for order in record-first record-middle record-last; do
        base=$(count "$case" 0 "$order")
        total=$(count "$case" "$runs" "$order")
        printf '%-34s %12d\n' "$case, ${order#record-}" $(( (total - base) / runs ))
    done
done
# 20,000 of those objects (11 MB) on one page, as the polymorphic enum: typed first, last
# (looked ahead by `from_json`, kept aside and read again by `from_str`) and untyped (to
# `other`, kept aside by both: the enum has no `declared` variant).
for case in graph-enum-page graph-enum-page-bytes; do
    for order in big big-last big-untyped; do
        base=$(count "$case" 0 "$order")
        total=$(count "$case" 1 "$order")
        printf '%-34s %12d\n' "$case, $order" $(( total - base ))
    done
done
