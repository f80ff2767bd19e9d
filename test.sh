#!/usr/bin/env bash
# Starts a throwaway-fast PostgreSQL (unless ConnectionStrings__Webhook is set),
# runs every test of the solution and prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

start_postgres .data/pg-test "${WEBHOOK_TEST_PG_PORT:-55433}" fast webhook_test

results=.data/test-results
rm -rf "$results"
status=0
dotnet test Webhook.sln -c Release --logger "trx;LogFileName=tests.trx" --results-directory "$results" "$@" || status=$?

passed=0; failed=0; total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed))); failed=$((failed + $(get failed))); total=$((total + $(get total)))
done
not_run=$((total - passed - failed))
echo "$passed passed, $((failed + not_run)) failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$not_run" -eq 0 ] && [ "$passed" -gt 0 ]
