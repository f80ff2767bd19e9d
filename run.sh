#!/usr/bin/env bash
# Starts PostgreSQL (data under .data/pg, reused; see scripts/postgres.sh when run as root), the plugin host on
# :8081 and the API on :8080 (Swagger UI at /swagger). Ctrl-C stops all three.
# Port: WEBHOOK_PG_PORT (must be free), else 55432 or the next free port after it.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

for port in 8080 8081; do
  ! port_in_use $port || { echo "run.sh: port $port is held by another process ($(port_holder $port)); stop it first" >&2; exit 1; }
done

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stop_postgres
}
trap cleanup INT TERM EXIT

if [ -n "${WEBHOOK_PG_PORT:-}" ]; then
  start_postgres .data/pg "$WEBHOOK_PG_PORT" durable webhook
else
  start_postgres .data/pg 55432 durable webhook --any-port
fi

# No Auth setting given: trust tokens signed with a local key, made once and kept under .data/ (never committed);
# scripts/dev-token.sh signs tokens with it.
if [ -z "${Auth__Authority:-}" ] && [ -z "${Auth__SigningKey:-}" ]; then
  mkdir -p .data
  [ -s .data/dev-signing-key ] || (umask 077 && openssl rand -base64 32 > .data/dev-signing-key)
  export Auth__SigningKey="$(cat .data/dev-signing-key)" Auth__Issuer="${Auth__Issuer:-webhook-dev}"
  echo "Tokens: TOKEN=\$(scripts/dev-token.sh --domain domain-1)  (key in .data/dev-signing-key)"
fi
dotnet build Webhook.sln -c Release -v q -nologo

# Each app runs from its output folder: that is where appsettings.json is copied (it is the content root).
(cd Webhook.Plugins/bin/Release/net10.0 && exec dotnet Webhook.Plugins.dll --urls http://localhost:8081) & pids+=($!)
(cd Webhook.Api/bin/Release/net10.0 && exec dotnet Webhook.Api.dll --urls http://localhost:8080) & pids+=($!)
echo "API on http://localhost:8080 (Swagger UI: http://localhost:8080/swagger), plugins on http://localhost:8081"
wait -n "${pids[@]}"
