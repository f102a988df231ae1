#!/usr/bin/env bash
# Instructions per `get` through the client and through raw reqwest with serde_json, over
# HTTP/1.1 and HTTP/2, counted by callgrind in the benchmark's process only (its server runs
# natively in a process of its own): repeatable whatever else the machine is doing, unlike
# times. Needs valgrind.
#
#     bash perf/throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(cargo bench --bench throughput --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\/throughput-[^"]*\)".*/\1/p' | tail -n 1)
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$binary" "$@" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
calls=2000
concurrent=64
printf '%-8s %-8s %14s\n' protocol side instructions/call
for protocol in http1 http2; do
    for side in raw client; do
        base=$(count "$side" "$protocol" "$concurrent" 0)
        total=$(count "$side" "$protocol" "$concurrent" "$calls")
        printf '%-8s %-8s %14d\n' "$protocol" "$side" $(( (total - base) / calls ))
    done
done
