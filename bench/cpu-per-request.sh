#!/usr/bin/env bash
# Profiling aid (not part of run.sh): CPU time the API process spends per request for one wrk.lua mode,
# which stays meaningful when the machine is busy with other work (unlike requests/s).
#   bench/cpu-per-request.sh <api pid> <api url> <seconds> <wrk.lua mode args...>
# Also reports the CPU of the bench PostgreSQL cluster (postmaster in .data/bench and its children).
set -euo pipefail
pid=$1 url=$2 dur=$3; shift 3
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
pm=$(head -1 "$(dirname "$0")/../.data/bench/postmaster.pid")
pg_ticks() { local t=0 c; for c in $pm $(pgrep -P "$pm"); do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null || echo 0))); done; echo $t; }
hz=$(getconf CLK_TCK)
wrk -t 1 -c 4 -d 2s -s "$(dirname "$0")/wrk.lua" "$url" -- "$@" >/dev/null   # warm-up
t0=$(ticks); p0=$(pg_ticks)
line=$(wrk -t 1 -c 4 -d "${dur}s" -s "$(dirname "$0")/wrk.lua" "$url" -- "$@" | grep '^RESULT')
t1=$(ticks); p1=$(pg_ticks)
n=$(echo "$line" | sed -E 's/.*requests=([0-9]+).*/\1/')
awk -v a="$t0" -v b="$t1" -v c="$p0" -v d="$p1" -v hz="$hz" -v n="$n" -v l="$line" \
  'BEGIN { printf "%s | CPU ms/request: API %.3f, PostgreSQL %.3f\n", l, (b - a) * 1000 / hz / n, (d - c) * 1000 / hz / n }'
