#!/usr/bin/env bash
# Chaos run (issue 12): two real API processes on one PostgreSQL plus the plugin host, senders posting across many
# webhooks to both APIs, then kill -9 of one API mid-load and an immediate PostgreSQL restart. Every request answered
# 200 must be stored exactly once and parsed into exactly one event.
#
# usage: scripts/chaos.sh [--seconds N]    (default: a short run of about 30 s of load, under 3 minutes in all)
# Builds what it needs, starts its own PostgreSQL (durable: fsync on) on its own port, cleans up after itself.
# Last line: "acknowledged N, stored N, lost 0, duplicated 0, parsed N"; exits non-zero on any loss or duplicate.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=30
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds N]" >&2; exit 2 ;;
  esac
done

webhooks=${CHAOS_WEBHOOKS:-24}
senders=${CHAOS_SENDERS:-8}
wanted_pg_port=${WEBHOOK_CHAOS_PG_PORT:-$(( ${WEBHOOK_TEST_PG_PORT:-55433} + 100 ))}
work=$(mktemp -d /tmp/webhook-chaos.XXXXXX)
chmod 755 "$work"

# Our own cluster, never the one of test.sh or run.sh.
unset ConnectionStrings__Webhook
source scripts/postgres.sh
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  local data_dir=${PG_STARTED_DATA_DIR:-}
  stop_postgres
  rm -rf "$work" ${data_dir:+"$data_dir"}
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { echo "chaos: $*" >&2; }

dotnet build Webhook.Api -c Release -v q -nologo >"$work/build.log" 2>&1 || { tail -20 "$work/build.log"; exit 1; }
dotnet build Webhook.Plugins -c Release -v q -nologo >>"$work/build.log" 2>&1 || { tail -20 "$work/build.log"; exit 1; }

# Durable (fsync and synchronous commit on): an immediate restart must not lose a commit that was acknowledged.
chaos_dir=$(pg_data_dir_for .data/pg-chaos)
as_pg_owner "$(pg_bin_dir)/pg_ctl" -D "$chaos_dir" -m immediate stop >/dev/null 2>&1 || true
rm -rf "$chaos_dir"
start_postgres .data/pg-chaos "$wanted_pg_port" durable webhook_chaos --any-port
pg_port=$PG_PORT
plugin_port=$((pg_port + 1)); api_a_port=$((pg_port + 2)); api_b_port=$((pg_port + 3))
connection=$ConnectionStrings__Webhook
psql_q() { "$(pg_bin_dir)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d webhook_chaos -tAq -c "$1"; }

(cd Webhook.Plugins/bin/Release/net10.0 && exec dotnet Webhook.Plugins.dll --urls "http://127.0.0.1:$plugin_port" \
  --Logging:LogLevel:Default=Warning) >"$work/plugins.log" 2>&1 & pids+=($!)

# The APIs run outside Development, so they need an Auth setting: a throw-away key for this run only; the latency
# probe reads the events API with a token signed by it.
export Auth__SigningKey; Auth__SigningKey=$(openssl rand -base64 32)
export Auth__Issuer=webhook-chaos
token=$(scripts/dev-token.sh --system --sub chaos)

# Short plugin timeout: the lease (how long a killed API's claims wait) is sized from it.
start_api() {
  local port=$1 name=$2
  (cd Webhook.Api/bin/Release/net10.0 && exec env \
    ConnectionStrings__Webhook="$connection" \
    Plugins__plugin-api-direct-mon-webhook__Versions__1.0.0="http://127.0.0.1:$plugin_port/api-direct" \
    Webhook__PluginTimeoutSeconds=2 Webhook__PluginRetries=1 Webhook__ParseRetryMaxSeconds=2 \
    Logging__LogLevel__Default=Warning \
    dotnet Webhook.Api.dll --urls "http://127.0.0.1:$port") >>"$work/$name.log" 2>&1 &
  echo $!
}

wait_ready() {
  local url=$1
  for _ in $(seq 1 120); do
    curl -fs "$url/readyz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "$url never became ready"; return 1
}

api_a=$(start_api "$api_a_port" api-a); pids+=("$api_a")
wait_ready "http://127.0.0.1:$api_a_port"   # the first one migrates; the second starts on a migrated database
api_b=$(start_api "$api_b_port" api-b); pids+=("$api_b")
wait_ready "http://127.0.0.1:$api_b_port"

# Webhooks straight into the table: the chaos is about receiving and parsing, not about the management API.
psql_q "INSERT INTO webhooks (webhook_id, name, state, access_key, webhook_url, plugin_id, plugin_version, upgrade_mode,
          requests_total, requests_error, project_id, domain_id, created_at)
        SELECT 'webhook-' || lpad(to_hex(g), 12, '0'), 'chaos ' || g, 'ENABLED', md5('chaos' || g), 'http://chaos',
               'plugin-api-direct-mon-webhook', '1.0.0', 'MANUAL', 0, 0, 'project-' || (g % 3), 'domain-chaos-' || (g % 4), now()
        FROM generate_series(1, $webhooks) g"
mapfile -t routes < <(psql_q "SELECT webhook_id || '/' || access_key FROM webhooks ORDER BY id")

# Idle latency first: from a 200 of API A to the event visible through API B's events API (one process stores, the
# NOTIFY wakes a worker at once; curl's own start-up, a few ms per call, is included in every sample).
measure_latency() {
  local route=${routes[0]} webhook_id domain samples=() i t0 t1
  webhook_id=${route%%/*}
  domain=$(psql_q "SELECT domain_id FROM webhooks WHERE webhook_id = '$webhook_id'")
  for i in $(seq 1 21); do
    curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
      -d "{\"event_key\": \"latency-$i\", \"title\": \"latency\", \"event_type\": \"ALERT\"}" \
      "http://127.0.0.1:$api_a_port/monitoring/v1/webhook/$route/events"
    t0=$(date +%s%N)
    echo "latency-$i" >>"$work/acked-0"
    until curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$api_b_port/monitoring/v1/events?domain_id=$domain&webhook_id=$webhook_id&event_key=latency-$i" \
      | grep -q "latency-$i"; do
      # A probe that can never succeed (a refused token, a broken API) must fail the run, not hang it.
      [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 30 ] || { log "latency-$i not visible after 30 s"; exit 1; }
    done
    t1=$(date +%s%N)
    samples+=($(( (t1 - t0) / 1000000 )))
    sleep 0.2
  done
  mapfile -t samples < <(printf '%s\n' "${samples[@]}" | sort -n)
  log "idle latency, 200 to event visible (ms, 21 samples): p50 ${samples[10]}, p90 ${samples[18]}, max ${samples[20]}"
}
measure_latency

# One sender: posts until told to stop, alternating the two APIs, a new event key per request; keeps the keys of
# requests answered 200. A failed or refused request is not retried with the same key (it may have been stored).
sender() {
  local n=$1 i=0 code key route port
  while [ ! -f "$work/stop" ]; do
    route=${routes[$(( (n * 7 + i) % ${#routes[@]} ))]}
    port=$([ $((i % 2)) -eq 0 ] && echo "$api_a_port" || echo "$api_b_port")
    key="chaos-$n-$i"
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X POST -H 'Content-Type: application/json' \
      -d "{\"event_key\": \"$key\", \"title\": \"chaos $key\", \"severity\": \"INFO\", \"event_type\": \"ALERT\"}" \
      "http://127.0.0.1:$port/monitoring/v1/webhook/$route/events" 2>/dev/null) || code=000
    [ "$code" = 200 ] && echo "$key" >>"$work/acked-$n"
    echo "$code" >>"$work/codes-$n"
    i=$((i + 1))
  done
}

log "load for $seconds s: $senders senders, $webhooks webhooks, APIs on :$api_a_port and :$api_b_port"
for n in $(seq 1 "$senders"); do sender "$n" & pids+=($!); done

sleep $((seconds / 3))
log "kill -9 of API A (pid $api_a)"
kill -9 "$api_a"
sleep $((seconds / 3))
log "PostgreSQL restart -m immediate"
as_pg_owner "$(pg_bin_dir)/pg_ctl" -D "$PG_STARTED_DATA_DIR" -l "$PG_STARTED_DATA_DIR/server.log" -w -t 60 -m immediate restart >/dev/null
sleep $((seconds - 2 * (seconds / 3)))
touch "$work/stop"
for n in $(seq 1 "$senders"); do wait "${pids[-$n]}" 2>/dev/null || true; done
log "load stopped; answers: $(cat "$work"/codes-* | sort | uniq -c | tr -s ' ' | tr '\n' ',' )"

# API B alone parses what is left, API A's claims included once their lease ends.
acknowledged=$(cat "$work"/acked-* 2>/dev/null | wc -l)
stored=0; parsed=0
for _ in $(seq 1 90); do
  stored=$(psql_q "SELECT count(*) FROM webhook_requests")
  pending=$(psql_q "SELECT count(*) FROM webhook_requests WHERE status = 'PENDING'")
  [ "$pending" = 0 ] && break
  sleep 1
done
cat "$work"/acked-* 2>/dev/null | sort >"$work/acked"
psql_q "SELECT payload->>'event_key' FROM webhook_requests" | sort >"$work/stored"
psql_q "SELECT event_key FROM events" | sort >"$work/events"
stored=$(wc -l <"$work/stored")
lost=$(comm -23 "$work/acked" <(sort -u "$work/stored") | wc -l)
duplicated=$(( $(uniq -d "$work/stored" | wc -l) + $(uniq -d "$work/events" | wc -l) ))
parsed=$(comm -12 <(sort -u "$work/stored") <(sort -u "$work/events") | wc -l)
unparsed=$((stored - parsed))
log "stored but not acknowledged (answer lost in the chaos): $((stored - $(comm -12 "$work/acked" <(sort -u "$work/stored") | wc -l)))"
[ "$unparsed" -eq 0 ] || log "$unparsed stored requests have no event"
echo "acknowledged $acknowledged, stored $stored, lost $lost, duplicated $duplicated, parsed $parsed"
[ "$lost" -eq 0 ] && [ "$duplicated" -eq 0 ] && [ "$unparsed" -eq 0 ] && [ "$acknowledged" -gt 0 ]
