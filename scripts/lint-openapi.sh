#!/usr/bin/env bash
# Lints the served OpenAPI document with Redocly (recommended rules, redocly.yaml) and Spectral (spectral:oas,
# .spectral.yaml); fails on any error or warning from either.
#
#   scripts/lint-openapi.sh                 # builds the API, serves the document on a loopback port, lints it
#   scripts/lint-openapi.sh http://host:8080  # lints the document a running API serves
#
# Needs the .NET SDK (first form) and npx with access to the npm registry (the linters are fetched on first use).
set -euo pipefail
cd "$(dirname "$0")/.."

document=.data/openapi.json
mkdir -p .data
base=${1:-}
api_pid=""
cleanup() { [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [ -z "$base" ]; then
  dotnet build Webhook.Api -c Release -v q -nologo >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  # The document needs no database: nothing is migrated and the unreachable one is never asked.
  (cd Webhook.Api/bin/Release/net10.0 && \
    ASPNETCORE_ENVIRONMENT=Development Webhook__ApplyMigrationsOnStart=false Logging__LogLevel__Default=None \
    ConnectionStrings__Webhook="Host=127.0.0.1;Port=1;Database=none;Username=none" \
    exec dotnet Webhook.Api.dll --urls "$base") &
  api_pid=$!
fi

for _ in $(seq 1 120); do
  curl -fsS "$base/swagger/v1/swagger.json" -o "$document" 2>/dev/null && break
  [ -n "$api_pid" ] && ! kill -0 "$api_pid" 2>/dev/null && { echo "the API exited before serving its document" >&2; exit 1; }
  sleep 0.5
done
[ -s "$document" ] || { echo "no document at $base/swagger/v1/swagger.json" >&2; exit 1; }
echo "linting $base/swagger/v1/swagger.json (saved as $document)"

status=0
redocly=$(npx -y @redocly/cli@2 lint "$document" --format=summary 2>&1) || status=1
echo "$redocly" | grep -E '^(error|warning) |valid|Validation failed|warnings?\.' || true
echo "$redocly" | grep -qE '^warning ' && status=1
npx -y @stoplight/spectral-cli@6 lint "$document" --ruleset .spectral.yaml --fail-severity=warn || status=1
[ "$status" -eq 0 ] && echo "OpenAPI lint: 0 errors, 0 warnings from Redocly and Spectral"
exit "$status"
