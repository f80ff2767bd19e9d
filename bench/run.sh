#!/usr/bin/env bash
# Benchmark of the webhook service against this machine's own limits (issue 6).
#
#   bench/run.sh           full run (≤ 12 min): 1M webhooks over 10k domains, 2M events, 10 s per scenario
#   bench/run.sh --quick   quick run (≤ 3 min): every scenario at smaller sizes (200k webhooks, 200k events)
#
# Builds Release, starts its own durable PostgreSQL (fsync and synchronous_commit ON) in .data/bench,
# the plugin host, the API (logging at Warning) and the bare stack (bench/Bare) on their own loopback ports,
# seeds data with SQL, runs every scenario after a warm-up, prints a table and writes bench/results/latest.json
# (+ latest.md); quick and full runs write the same shape.
# Everything it starts is stopped on exit. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

QUICK=false
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=true ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

PG_PORT=${BENCH_PG_PORT:-55470}
API_PORT=${BENCH_API_PORT:-18470}
PLUGIN_PORT=${BENCH_PLUGIN_PORT:-18471}
BARE_PORT=${BENCH_BARE_PORT:-18472}
API=http://127.0.0.1:$API_PORT
BARE=http://127.0.0.1:$BARE_PORT
DB=webhook_bench
PGBENCH_DB=pgbench_bench

if $QUICK; then
  SIZES=(10000 100000 200000)   # total webhooks (100 per domain) for search_10k, search_100k, search_1m
  STAT_ROWS=100000
  EVENTS=200000; EVENT_STAT_ROWS=50000   # events over 100 domains for events_search_2m; one domain's day for events_stat_200k
  DUR=4; WARM=2; INGEST_DUR=5; INGEST_WARM=6; PGBENCH_SCALE=10; DRAIN_TIMEOUT=30; JIT_WARM=4; GET_WARM=10
else
  SIZES=(10000 100000 1000000)
  STAT_ROWS=100000
  EVENTS=2000000; EVENT_STAT_ROWS=200000
  DUR=10; WARM=3; INGEST_DUR=10; INGEST_WARM=12; PGBENCH_SCALE=10; DRAIN_TIMEOUT=120; JIT_WARM=8; GET_WARM=25
fi
INGEST_WEBHOOKS=100
THREADS=2

WORK=$(mktemp -d /tmp/webhook-bench.XXXXXX)
BODY=$ROOT/Webhook.Tests/Payloads/prometheus/alertmanager-2-firing-critical.json
T_BEGIN=$(date +%s)
log() { printf '[%5ss] %s\n' "$(( $(date +%s) - T_BEGIN ))" "$*" >&2; }

# --- tools --------------------------------------------------------------------------------------------------
unset ConnectionStrings__Webhook   # always our own cluster, never the caller's database
source scripts/postgres.sh
if ! command -v wrk >/dev/null; then
  log "installing wrk from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
ensure_postgres_installed
PGBIN=$(pg_bin_dir)
command -v pgbench >/dev/null || PATH=$PGBIN:$PATH

# --- lifecycle ----------------------------------------------------------------------------------------------
API_PID=""; PLUGIN_PID=""; BARE_PID=""; SAMPLER_PID=""
stop_pid() { # stop_pid <pid>: TERM, then KILL after 10 s
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  trap - INT TERM EXIT
  stop_pid "$SAMPLER_PID"; stop_pid "$API_PID"; stop_pid "$PLUGIN_PID"; stop_pid "$BARE_PID"
  stop_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

psql_db() { "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -X -v ON_ERROR_STOP=1 -qAt "$@"; }
sql() { psql_db -d "$DB" "$@"; }

# --- PostgreSQL (durable defaults), build --------------------------------------------------------------------
log "PostgreSQL (durable: fsync and synchronous_commit on) in .data/bench on 127.0.0.1:$PG_PORT"
# shared_buffers at a quarter of RAM, as PostgreSQL's documentation advises for a dedicated server: the data set
# (~3.5 GB in a full run) fits in it. The page cache is no substitute on these VMs: DAMON pages out memory that
# has not been touched for a few seconds (kdamond, action=pageout), so a table outside shared_buffers is read
# back from the virtual disk (measured: the same SELECT by id over 1M webhooks ran at 0.6k/s cold, 14k/s warm).
PG_SHARED_BUFFERS="$(awk '/^MemTotal:/ { printf "%d", $2 / 4 / 1024 }' /proc/meminfo)MB" \
  start_postgres .data/bench "$PG_PORT" durable postgres
psql_db -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" \
  -c "DROP DATABASE IF EXISTS $PGBENCH_DB WITH (FORCE)" -c "CREATE DATABASE $PGBENCH_DB"
[ "$(psql_db -d postgres -c 'SHOW fsync')" = on ] && [ "$(psql_db -d postgres -c 'SHOW synchronous_commit')" = on ] ||
  { echo "the benchmark needs fsync and synchronous_commit on" >&2; exit 1; }
export ConnectionStrings__Webhook="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$DB"

# Published as the Dockerfile publishes (Release, ReadyToRun): precompiled code is what production runs, and
# without it tiered JIT competes with the load for the two cores during the first seconds of every scenario.
log "publishing Release (ReadyToRun) to $WORK/api, $WORK/plugins and $WORK/bare"
for project in Webhook.Api/Webhook.Api.csproj Webhook.Plugins/Webhook.Plugins.csproj bench/Bare/Bare.csproj; do
  out=$WORK/$(basename "$project" .csproj | sed 's/^Webhook\.//' | tr 'A-Z' 'a-z')
  dotnet publish "$project" -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -o "$out" -v q -nologo >>"$WORK/build.log" 2>&1 ||
    { tail -30 "$WORK/build.log" >&2; exit 1; }
done

# --- results ------------------------------------------------------------------------------------------------
declare -A PER_S P50 P99 RATIO NOTE
NAMES=(pgbench_select pgbench_insert bare_get bare_insert get_by_id search_10k search_100k search_1m stat_100k
       events_search_2m events_stat_200k ingest_accepted ingest_parsed)
# What each ratio is taken against (the figure its target is written in).
declare -A BASE=([bare_get]=pgbench_select [bare_insert]=pgbench_insert [get_by_id]=pgbench_select
  [search_10k]=pgbench_select [search_100k]=pgbench_select [search_1m]=pgbench_select
  [ingest_accepted]=bare_insert [ingest_parsed]=ingest_accepted)
declare -A VS_BARE   # the service against the bare stack doing the same work: get_by_id / bare_get
for n in "${NAMES[@]}"; do PER_S[$n]=null; P50[$n]=null; P99[$n]=null; RATIO[$n]=null; NOTE[$n]=""; done
RSS_PEAK=null; COLD_START=null

fmt() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { if (v == "null" || v == "") print "null"; else printf "%.*f\n", d, v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "null" || b == "null" || b == 0) print "null"; else printf "%.3f\n", a / b }'; }

# --- pgbench baselines --------------------------------------------------------------------------------------
percentiles_from_pgbench_logs() { # <log prefix>: prints "p50_ms p99_ms" from per-transaction logs (3rd field, µs)
  cat "$1".* | awk '{ print $3 }' | sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "null null"; exit }
    i50 = int(NR * 0.50); if (i50 < 1) i50 = 1; i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
    printf "%.3f %.3f\n", v[i50] / 1000, v[i99] / 1000 }'
}
run_pgbench() { # run_pgbench <name> <pgbench args...>: warm-up, then the measured run with per-transaction logs
  local name=$1; shift
  local pg=(-h 127.0.0.1 -p "$PG_PORT" -U postgres -j "$THREADS")
  pgbench "${pg[@]}" "$@" -T "$WARM" "$PGBENCH_DB" >/dev/null 2>&1
  rm -f "$WORK/$name".*
  pgbench "${pg[@]}" "$@" -T "$DUR" -l --log-prefix="$WORK/$name" "$PGBENCH_DB" >"$WORK/$name.out" 2>&1 ||
    { cat "$WORK/$name.out" >&2; return 1; }
  PER_S[$name]=$(fmt "$(grep -o 'tps = [0-9.]*' "$WORK/$name.out" | tail -1 | cut -d' ' -f3)" 0)
  read -r P50[$name] P99[$name] < <(percentiles_from_pgbench_logs "$WORK/$name")
  RATIO[$name]=1.000
  log "$name: ${PER_S[$name]} tps, p50 ${P50[$name]} ms, p99 ${P99[$name]} ms"
}

log "pgbench baselines (scale $PGBENCH_SCALE)"
pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -i -q -s "$PGBENCH_SCALE" "$PGBENCH_DB" >"$WORK/pgbench-init.out" 2>&1 ||
  { cat "$WORK/pgbench-init.out" >&2; exit 1; }
psql_db -d "$PGBENCH_DB" -c "CREATE TABLE bench_alerts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now())" -c "CHECKPOINT"
# One-row INSERT of the 3.7 KB Alertmanager sample (one line, quotes doubled) into a jsonb column.
printf "INSERT INTO bench_alerts (body) VALUES ('%s');\n" "$(tr '\n' ' ' <"$BODY" | sed "s/'/''/g")" >"$WORK/insert.sql"
run_pgbench pgbench_select -S -c 16
run_pgbench pgbench_insert -n -f "$WORK/insert.sql" -c 64
psql_db -d postgres -c "DROP DATABASE $PGBENCH_DB" -c "CHECKPOINT"

# --- API ----------------------------------------------------------------------------------------------------
# Authentication on, as in production: the API checks HS256 tokens signed with a key made for this run, and every
# management request (curl here, wrk.lua through BENCH_TOKEN) carries a `system` token minted with it.
AUTH_KEY=$(openssl rand -base64 32)
AUTH_ENV=("Auth__SigningKey=$AUTH_KEY" "Auth__Issuer=webhook-bench")
AUTH=()
if [ -x scripts/dev-token.sh ]; then
  BENCH_TOKEN=$(env "${AUTH_ENV[@]}" scripts/dev-token.sh --system --sub bench --ttl 86400)
  export BENCH_TOKEN
  AUTH=(-H "Authorization: Bearer $BENCH_TOKEN")
fi
# Senders' rate limits raised (the defaults stay as DESIGN.md gives them) so that ingestion measures throughput,
# not the limiter: 100 webhooks at a few thousand requests/s are ~60/s each, and the per-webhook bucket is raised
# threefold over its default so bursts of the random spread never touch it, while the flood scenario's one webhook
# at ~1,000/s is still limited.
LIMITS_ENV=("Webhook__WebhookRateLimitPerSecond=300" "Webhook__WebhookRateLimitBurst=1500")
start_plugins() {
  (cd "$WORK/plugins" &&
    exec env Logging__LogLevel__Default=Warning dotnet Webhook.Plugins.dll --urls "http://127.0.0.1:$PLUGIN_PORT") \
    >"$WORK/plugins.log" 2>&1 &
  PLUGIN_PID=$!
}
start_api() { # starts the API and sets COLD_START_S to the seconds from process start to the first /readyz 200
  local t0 t1 i
  t0=$(date +%s.%N)
  (cd "$WORK/api" &&
    exec env Logging__LogLevel__Default=Warning "${AUTH_ENV[@]}" "${LIMITS_ENV[@]}" \
      "Plugins__plugin-prometheus-mon-webhook__Versions__1.0.0=http://127.0.0.1:$PLUGIN_PORT/prometheus" \
      "Plugins__plugin-grafana-mon-webhook__Versions__1.0.0=http://127.0.0.1:$PLUGIN_PORT/grafana" \
      "Plugins__plugin-aws-sns-mon-webhook__Versions__1.0.0=http://127.0.0.1:$PLUGIN_PORT/aws-sns" \
      "Plugins__plugin-api-direct-mon-webhook__Versions__1.0.0=http://127.0.0.1:$PLUGIN_PORT/api-direct" \
      "Plugins__plugin-azure-monitor-mon-webhook__Versions__1.0.0=http://127.0.0.1:$PLUGIN_PORT/azure-monitor" \
      dotnet Webhook.Api.dll --urls "$API") >>"$WORK/api.log" 2>&1 &
  API_PID=$!
  for i in $(seq 3000); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$API/readyz" 2>/dev/null)" = 200 ]; then
      t1=$(date +%s.%N); COLD_START_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }'); return 0
    fi
    kill -0 "$API_PID" 2>/dev/null || { tail -30 "$WORK/api.log" >&2; return 1; }
    sleep 0.02
  done
  echo "API not ready after 60 s" >&2; tail -30 "$WORK/api.log" >&2; return 1
}
start_bare() { # the bare stack (bench/Bare) on the same database; it creates its own bare_requests table
  (cd "$WORK/bare" && exec env Logging__LogLevel__Default=Warning dotnet Bare.dll --urls "$BARE") >"$WORK/bare.log" 2>&1 &
  BARE_PID=$!
}
wait_http() { local i; for i in $(seq 500); do curl -s -o /dev/null "$1" && return 0; sleep 0.02; done; return 1; }

log "starting the plugin host (:$PLUGIN_PORT) and the API (:$API_PORT, first start applies migrations)"
start_plugins
wait_http "http://127.0.0.1:$PLUGIN_PORT/" || { tail -30 "$WORK/plugins.log" >&2; exit 1; }
start_api
log "first start (empty database, migrations): ${COLD_START_S}s"
start_bare
wait_http "$BARE/" || { tail -30 "$WORK/bare.log" >&2; exit 1; }

# The webhooks that receive events are created through the API (plugin init included); the first is the
# template the SQL seeding copies its plugin columns from.
: >"$WORK/ingest-paths"
for i in $(seq 0 $((INGEST_WEBHOOKS - 1))); do
  curl -sf -X POST "$API/monitoring/v1/webhooks" "${AUTH[@]}" -H 'Content-Type: application/json' -d "{\"name\":\"ingest-$i\",
    \"project_id\":\"project-$((i % 10))\",\"domain_id\":\"domain-ingest\",\"tags\":{\"env\":\"bench\"},
    \"plugin_info\":{\"plugin_id\":\"plugin-prometheus-mon-webhook\"}}" >"$WORK/created.json" ||
    { echo "creating webhook ingest-$i failed" >&2; tail -30 "$WORK/api.log" >&2; exit 1; }
  { sed -E 's/.*"webhook_url":"https?:\/\/[^/]+([^"]+)".*/\1/' "$WORK/created.json"; echo; } >>"$WORK/ingest-paths"
  if [ "$i" = 0 ]; then TEMPLATE=$(sed -E 's/.*"webhook_id":"([^"]+)".*/\1/' "$WORK/created.json"); fi
done

SEEDED=0
seed() { # seed <first i> <last i> <domain expression> <projects>: webhooks i = first..last copied from the template
  sql -v first="$1" -v last="$2" -v projects="$4" -v template="$TEMPLATE" -v base="$API" <<SQL
INSERT INTO webhooks (webhook_id, name, state, access_key, webhook_url, capability, plugin_id, plugin_version,
                      plugin_options, plugin_metadata, upgrade_mode, tags, requests_total, requests_error,
                      project_id, domain_id, created_at)
SELECT 'webhook-' || lpad(to_hex(i), 12, '0'),
       'alert-' || substr(md5(i::text), 1, 8) || '-' || i,
       CASE WHEN i % 10 = 0 THEN 'DISABLED' ELSE 'ENABLED' END,
       md5(i::text),
       :'base' || '/monitoring/v1/webhook/webhook-' || lpad(to_hex(i), 12, '0') || '/' || md5(i::text) || '/events',
       t.capability, t.plugin_id, t.plugin_version, t.plugin_options, t.plugin_metadata, t.upgrade_mode,
       jsonb_build_object('env', (ARRAY['prod', 'stage', 'dev'])[1 + i % 3], 'team', 'team-' || i % 20),
       i % 1000, i % 7,
       'project-' || i % :projects,
       $3,
       now() - make_interval(secs => i)
FROM generate_series(:first, :last) AS i, (SELECT * FROM webhooks WHERE webhook_id = :'template') t;
VACUUM (ANALYZE) webhooks;
CHECKPOINT;
SQL
}
grow_to() { # grow_to <total>: webhooks 1..total, 100 per domain (domain-0, domain-1, ...), 10 projects each
  local t0; t0=$(date +%s)
  seed $((SEEDED + 1)) "$1" "'domain-' || (i - 1) / 100" 10
  SEEDED=$1
  log "seeded $1 webhooks over $(( $1 / 100 )) domains in $(( $(date +%s) - t0 ))s"
}

# --- HTTP scenarios -----------------------------------------------------------------------------------------
run_wrk() { # run_wrk <name> <url> <connections> <duration> <mode args...>; the ratio is against ${BASE[name]}
  local name=$1 url=$2 conns=$3 dur=$4 base=${BASE[$1]:--}; shift 4
  local threads=$(( conns < THREADS ? conns : THREADS ))   # wrk needs a connection per thread
  wrk -t "$threads" -c "$conns" -d "${WARM}s" --timeout 10s -s bench/wrk.lua "$url" -- "$@" >/dev/null
  wrk -t "$threads" -c "$conns" -d "${dur}s" --timeout 10s --latency -s bench/wrk.lua "$url" -- "$@" >"$WORK/$name.out"
  local line requests non2xx sockerr duration p50 p99
  line=$(grep '^RESULT' "$WORK/$name.out")
  eval "$(echo "$line" | sed -E 's/^RESULT //; s/([a-z0-9_]+)=/local_\1=/g')"
  requests=$local_requests; non2xx=$local_non2xx; sockerr=$local_socket_errors; duration=$local_duration_us
  p50=$local_p50_us; p99=$local_p99_us
  PER_S[$name]=$(awk -v r="$requests" -v e="$non2xx" -v s="$sockerr" -v d="$duration" 'BEGIN { printf "%.0f\n", (r - e - s) / (d / 1e6) }')
  P50[$name]=$(awk -v v="$p50" 'BEGIN { printf "%.3f\n", v / 1000 }')
  P99[$name]=$(awk -v v="$p99" 'BEGIN { printf "%.3f\n", v / 1000 }')
  [ "$base" = - ] || RATIO[$name]=$(ratio "${PER_S[$name]}" "${PER_S[$base]}")
  if [ "$non2xx" != 0 ] || [ "$sockerr" != 0 ]; then
    NOTE[$name]="$non2xx non-2xx, $sockerr socket errors of $requests"
    log "WARNING $name: ${NOTE[$name]}"
  fi
  log "$name: ${PER_S[$name]}/s, p50 ${P50[$name]} ms, p99 ${P99[$name]} ms (c=$conns, ${dur}s)"
}
check() { # check <expected status> <curl args...>: one request must answer the expected status before a scenario
  local expected=$1 code; shift
  code=$(curl -s -o "$WORK/check.json" -w '%{http_code}' "${AUTH[@]}" "$@")
  [ "$code" = "$expected" ] || { echo "expected $expected, got $code for: $*" >&2; head -c 600 "$WORK/check.json" >&2; echo >&2; exit 1; }
}
search_scenario() { # search_scenario <name>
  check 200 -X POST "$API/monitoring/v1/webhooks/search" -H 'Content-Type: application/json' \
    -d '{"domain_id":"domain-0","query":{"filter":[{"k":"state","v":"ENABLED","o":"eq"}],"sort":[{"key":"name"}],"page":{"limit":100}}}'
  grep -q '"total_count":90' "$WORK/check.json" || { echo "unexpected search answer" >&2; exit 1; }
  # 4 connections: the target is a latency (p50), which 16 connections on 2 cores would turn into queueing time.
  run_wrk "$1" "$API" 4 "$DUR" search $(( SEEDED / 100 ))
}

# A fresh process JIT-compiles (tiered) for its first seconds: warm it on all read routes before measuring.
jit_warm_up() {
  local m
  for m in "get $SEEDED" "search $(( SEEDED / 100 ))"; do
    wrk -t "$THREADS" -c 16 -d "$(( JIT_WARM / 2 ))s" -s bench/wrk.lua "$API" -- $m >/dev/null
  done
}
grow_to "${SIZES[0]}"; jit_warm_up; search_scenario search_10k
grow_to "${SIZES[1]}"; search_scenario search_100k
grow_to "${SIZES[2]}"; search_scenario search_1m
LARGEST=${SIZES[2]}

t0=$(date +%s)
seed 1000000001 $((1000000000 + STAT_ROWS)) "'domain-stat'" 100
log "seeded $STAT_ROWS webhooks in domain-stat (100 projects) in $(( $(date +%s) - t0 ))s"
check 200 -X POST "$API/monitoring/v1/webhooks/stat" -H 'Content-Type: application/json' \
  -d '{"domain_id":"domain-stat","query":{"aggregate":[{"group":{"keys":[{"key":"state","name":"state"},{"key":"project_id","name":"project_id"}],"fields":[{"operator":"count","name":"count"}]}}]}}'
# One connection: stat is an analytics query; its target (≤ 50 ms) is the time one takes, not a throughput.
run_wrk stat_100k "$API" 1 "$DUR" stat domain-stat

# --- events: the table that grows -----------------------------------------------------------------------------
# Events as the worker stores them, without a raw request behind them (raw_data is read through the request, so
# these answer raw_data null).
seed_events() { # seed_events <first i> <last i> <domain expression> <created_at expression>
  sql -v first="$1" -v last="$2" <<SQL
INSERT INTO events (event_id, event_key, event_type, title, description, severity, resource, rule, occurred_at,
                    additional_info, image_url, provider, account, webhook_id, project_id, domain_id, created_at)
SELECT 'event-' || lpad(to_hex(i), 12, '0'),
       'fingerprint-' || i % 5000,
       CASE WHEN i % 4 = 0 THEN 'RECOVERY' ELSE 'ALERT' END,
       'HighCPU on host-' || i % 500 || ' (' || substr(md5(i::text), 1, 8) || ')',
       'CPU above 90 % for 5 minutes',
       (ARRAY['CRITICAL', 'ERROR', 'WARNING', 'INFO', 'NOT_AVAILABLE'])[1 + (i / 100) % 5],
       jsonb_build_object('resource_id', 'host-' || i % 500, 'name', 'host-' || i % 500, 'resource_type', 'inventory.Server'),
       'HighCPU', c - interval '30 seconds',
       jsonb_build_object('job', 'node', 'instance', 'host-' || i % 500 || ':9100'),
       '', 'prometheus', '',
       'webhook-ev-' || i % 1000, 'project-' || i % 10, $3, c
FROM generate_series(:first, :last) AS i, LATERAL (SELECT $4 AS c) t;
VACUUM (ANALYZE) events;
CHECKPOINT;
SQL
}
t0=$(date +%s)
# Events are partitioned by month: make the partitions the seeded months need, as the partition job would have.
if [ "$(sql -c "SELECT to_regproc('webhook_events_partition') IS NOT NULL")" = t ]; then
  sql -c "SELECT webhook_events_partition(m) FROM generate_series(now() - make_interval(secs => $EVENTS), now(), interval '1 month') m" >/dev/null
fi
# 100 domains (i % 100), spread over the last EVENTS seconds; severity changes every 100 events, so each domain
# holds every severity.
seed_events 1 "$EVENTS" "'events-' || i % 100" "now() - make_interval(secs => i)"
log "seeded $EVENTS events over 100 domains in $(( $(date +%s) - t0 ))s"
check 200 -X POST "$API/monitoring/v1/events/search" -H 'Content-Type: application/json' \
  -d '{"domain_id":"events-0","query":{"filter":[{"k":"severity","v":"CRITICAL","o":"eq"}],"sort":[{"key":"created_at","desc":true}],"page":{"limit":20}}}'
grep -q "\"total_count\":$(( EVENTS / 500 ))" "$WORK/check.json" || { echo "unexpected events search answer" >&2; head -c 300 "$WORK/check.json" >&2; exit 1; }
# Latency targets, so the concurrency of search and stat (see docs/decisions.md).
run_wrk events_search_2m "$API" 4 "$DUR" events_search 100

t0=$(date +%s)
DAY=$(date -u -d yesterday +%Y-%m-%d); NEXT_DAY=$(date -u +%Y-%m-%d)
seed_events 3000000001 $((3000000000 + EVENT_STAT_ROWS)) "'events-stat'" \
  "'$DAY'::timestamptz + make_interval(secs => (i - 3000000001) * 86400.0 / $EVENT_STAT_ROWS)"
log "seeded $EVENT_STAT_ROWS events over one day in events-stat in $(( $(date +%s) - t0 ))s"
# The body wrk.lua sends in events_stat mode: counts by severity and hour of one day.
check 200 -X POST "$API/monitoring/v1/events/stat" -H 'Content-Type: application/json' -d "{\"domain_id\":\"events-stat\",\"query\":{
  \"filter\":[{\"k\":\"created_at\",\"v\":\"$DAY\",\"o\":\"datetime_gte\"},{\"k\":\"created_at\",\"v\":\"$NEXT_DAY\",\"o\":\"datetime_lt\"}],
  \"aggregate\":[{\"group\":{\"keys\":[{\"key\":\"severity\",\"name\":\"severity\"},{\"key\":\"created_at\",\"name\":\"hour\",\"date_format\":\"%H\"}],
  \"fields\":[{\"operator\":\"count\",\"name\":\"count\"}]}}]}}"
grep -q '"hour":"23"' "$WORK/check.json" || { echo "unexpected events stat answer" >&2; head -c 300 "$WORK/check.json" >&2; exit 1; }
run_wrk events_stat_200k "$API" 1 "$DUR" events_stat events-stat "$DAY" "$NEXT_DAY"

# Reads by id over all 1M webhooks: first the table and its indexes are loaded into shared_buffers (as pgbench's
# tables are, having just been written), then each stack gets the same warm-up on the route before it is measured:
# on two busy cores a process's hot path takes ~30 s of load to reach its final tier of JIT (measured: get_by_id
# rose from 1.3k/s to a 3.8k/s plateau over its first 32 s, the bare stack from 4.2k/s to 6k/s).
if prewarm=$(sql -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" -c "SELECT sum(pg_prewarm(c)) FROM unnest(ARRAY['webhooks'::regclass] ||
  ARRAY(SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'webhooks'::regclass)) AS c" 2>&1); then
  log "webhooks and its indexes in shared_buffers: $(echo "$prewarm" | tail -1) blocks"
else
  log "WARNING: pg_prewarm not available ($(echo "$prewarm" | tail -1)): the reads by id start from a cold cache"
fi
check 200 "$BARE/monitoring/v1/webhook/webhook-$(printf '%012x' 1)?domain_id=domain-0"
wrk -t "$THREADS" -c 16 -d "${GET_WARM}s" -s bench/wrk.lua "$BARE" -- get "$LARGEST" >/dev/null
run_wrk bare_get "$BARE" 16 "$DUR" get "$LARGEST"
check 200 "$API/monitoring/v1/webhook/webhook-$(printf '%012x' 1)?domain_id=domain-0"
wrk -t "$THREADS" -c 16 -d "${GET_WARM}s" -s bench/wrk.lua "$API" -- get "$LARGEST" >/dev/null
run_wrk get_by_id "$API" 16 "$DUR" get "$LARGEST"
VS_BARE[get_by_id]=$(ratio "${PER_S[get_by_id]}" "${PER_S[bare_get]}")

# --- ingestion ----------------------------------------------------------------------------------------------
sample_rss() { # prints the highest VmRSS (kB) of the API seen until killed, on each new peak
  local peak=0 v
  while kill -0 "$API_PID" 2>/dev/null; do
    v=$(awk '/^VmRSS:/ { print $2 }' "/proc/$API_PID/status" 2>/dev/null || echo 0)
    [ "${v:-0}" -gt "$peak" ] && { peak=$v; echo "$peak" >"$WORK/rss-peak"; }
    sleep 0.1
  done
}
first_path=$(head -1 "$WORK/ingest-paths")
code=$(curl -s -o "$WORK/check.json" -w '%{http_code}' -X POST "$API$first_path" -H 'Content-Type: application/json' --data-binary "@$BODY")
has_requests=$(sql -c "SELECT to_regclass('webhook_requests') IS NOT NULL")
if [ "$code" != 200 ] || [ "$has_requests" != t ]; then
  log "ingestion not available (POST ${first_path%/*/events}/…/events answered $code, webhook_requests table: $has_requests): ingest figures are null"
  NOTE[ingest_accepted]="event receiver not available (HTTP $code)"
  NOTE[ingest_parsed]="event receiver not available"
else
  drain() { # drain <first id> <timeout s>: waits until no request with id >= first is PENDING
    local i
    for i in $(seq $(( $2 * 10 ))); do
      [ "$(sql -c "SELECT count(*) FROM webhook_requests WHERE id >= $1 AND status = 'PENDING'")" = 0 ] && return 0
      sleep 0.1
    done
    return 1
  }
  # The bare stack's one INSERT per request, on the same paths and body, before the service's ingestion.
  run_wrk bare_insert "$BARE" 64 "$INGEST_DUR" ingest "$WORK/ingest-paths" "$BODY"
  sql -c "CHECKPOINT"
  # warm-up (also warms the plugin host's parse path), then wait until it is all parsed. Longer than the other
  # warm-ups: on 2 shared cores tiered JIT keeps recompiling the ingest path for ~10 s (measured: 3 s of warm-up
  # gave 3.1k req/s at 0.33 ms API CPU per request, 15 s gave 4.0k req/s at 0.16 ms).
  wrk -t "$THREADS" -c 64 -d "${INGEST_WARM}s" --timeout 10s -s bench/wrk.lua "$API" -- ingest "$WORK/ingest-paths" "$BODY" >/dev/null
  drain 0 "$DRAIN_TIMEOUT" || log "WARNING: warm-up requests still pending after ${DRAIN_TIMEOUT}s"
  sql -c "CHECKPOINT"
  first_id=$(sql -c "SELECT COALESCE(max(id), 0) + 1 FROM webhook_requests")
  rm -f "$WORK/rss-peak"; sample_rss & SAMPLER_PID=$!
  run_wrk ingest_accepted "$API" 64 "$INGEST_DUR" ingest "$WORK/ingest-paths" "$BODY"
  if ! drain "$first_id" "$DRAIN_TIMEOUT"; then
    NOTE[ingest_parsed]="not all parsed within ${DRAIN_TIMEOUT}s"
    log "WARNING ingest_parsed: ${NOTE[ingest_parsed]}"
  fi
  stop_pid "$SAMPLER_PID"; SAMPLER_PID=""
  RSS_PEAK=$(awk '{ printf "%.0f\n", $1 / 1024 }' "$WORK/rss-peak")
  # End to end, from the first acceptance to the last parse, measured by the database's own clock;
  # latency per request = processed_at - received_at.
  read -r stored parsed span p50 p99 < <(sql -F ' ' -c "
    SELECT count(*), count(*) FILTER (WHERE status = 'DONE'),
           COALESCE(EXTRACT(EPOCH FROM max(processed_at) - min(received_at)), 0),
           COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM processed_at - received_at) * 1000), 0),
           COALESCE(percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM processed_at - received_at) * 1000), 0)
    FROM webhook_requests WHERE id >= $first_id")
  events=$(sql -c "SELECT count(*) FROM events WHERE request_id >= $first_id" 2>/dev/null || echo "?")
  accepted_wrk=$(awk -v p="${PER_S[ingest_accepted]}" -v d="$INGEST_DUR" 'BEGIN { printf "%.0f\n", p * d }')
  PER_S[ingest_parsed]=$(awk -v n="$parsed" -v s="$span" 'BEGIN { if (s > 0) printf "%.0f\n", n / s; else print "null" }')
  P50[ingest_parsed]=$(fmt "$p50" 3); P99[ingest_parsed]=$(fmt "$p99" 3)
  RATIO[ingest_parsed]=$(ratio "${PER_S[ingest_parsed]}" "${PER_S[${BASE[ingest_parsed]}]}")
  NOTE[ingest_parsed]="${NOTE[ingest_parsed]:+${NOTE[ingest_parsed]}; }$parsed of $stored stored requests parsed into $events events in ${span}s"
  log "ingest_parsed: ${PER_S[ingest_parsed]} requests/s end to end (${NOTE[ingest_parsed]}; wrk counted ~$accepted_wrk accepted)"
  log "peak RSS of the API during ingestion: ${RSS_PEAK} MB"
fi

# --- flood: one webhook far over its rate limit must not slow another (issue 11) ---------------------------
flood_scenario() {
  local i path_a path_b flood_pid line
  for i in a b; do
    curl -sf -X POST "$API/monitoring/v1/webhooks" "${AUTH[@]}" -H 'Content-Type: application/json' -d "{\"name\":\"flood-$i\",
      \"project_id\":\"project-0\",\"domain_id\":\"domain-flood\",\"plugin_info\":{\"plugin_id\":\"plugin-prometheus-mon-webhook\"}}" \
      >"$WORK/flood-$i.json" || { log "WARNING flood: creating webhook flood-$i failed"; return 0; }
  done
  path_a=$(sed -E 's/.*"webhook_url":"https?:\/\/[^/]+([^"]+)".*/\1/' "$WORK/flood-a.json")
  path_b=$(sed -E 's/.*"webhook_url":"https?:\/\/[^/]+([^"]+)".*/\1/' "$WORK/flood-b.json")
  flood_wrk() { # flood_wrk <name> <connections> <path> <pace ms> <seconds>: sets PER_S/P50/P99 of <name>
    wrk -t 2 -c "$2" -d "${5}s" --timeout 10s --latency -s bench/flood.lua "$API" -- "$3" "$BODY" "$4" >"$WORK/$1.out"
    line=$(grep '^RESULT' "$WORK/$1.out")
    eval "$(echo "$line" | sed -E 's/^RESULT //; s/([a-z0-9_]+)=/flood_\1=/g')"
    PER_S[$1]=$(awk -v r="$flood_requests" -v e="$flood_non2xx" -v d="$flood_duration_us" 'BEGIN { printf "%.0f\n", (r - e) / (d / 1e6) }')
    P50[$1]=$(awk -v v="$flood_p50_us" 'BEGIN { printf "%.3f\n", v / 1000 }')
    P99[$1]=$(awk -v v="$flood_p99_us" 'BEGIN { printf "%.3f\n", v / 1000 }')
    [ "$flood_non2xx" = 0 ] || NOTE[$1]="$flood_non2xx non-2xx of $flood_requests"
  }
  # flood-b is a sender at a normal rate: 4 connections, one request each per 50 ms (~80/s, under its 100/s).
  flood_wrk flood_alone 4 "$path_b" 50 "$WARM"
  flood_wrk flood_alone 4 "$path_b" 50 "$DUR"
  # flood-a: 32 connections as fast as they can, for the whole measured run and its warm-up.
  wrk -t 2 -c 32 -d "$(( WARM + DUR + 2 ))s" --timeout 10s -s bench/flood.lua "$API" -- "$path_a" "$BODY" 0 >"$WORK/flood-a.out" &
  flood_pid=$!
  sleep "$WARM"
  flood_wrk flood_loaded 4 "$path_b" 50 "$DUR"
  wait "$flood_pid" || true
  line=$(grep '^RESULT' "$WORK/flood-a.out")
  eval "$(echo "$line" | sed -E 's/^RESULT //; s/([a-z0-9_]+)=/flood_\1=/g')"
  RATIO[flood_loaded]=$(awk -v a="${P99[flood_loaded]}" -v b="${P99[flood_alone]}" 'BEGIN { printf "%.3f\n", a / b }')
  NOTE[flood_loaded]="${NOTE[flood_loaded]:+${NOTE[flood_loaded]}; }meanwhile flood-a sent $flood_requests requests, $flood_non2xx refused (429); ratio = p99 / flood_alone p99"
  log "flood: flood-b p99 ${P99[flood_alone]} ms alone, ${P99[flood_loaded]} ms while flood-a sent $flood_requests requests ($flood_non2xx refused)"
}
NAMES+=(flood_alone flood_loaded)
for n in flood_alone flood_loaded; do PER_S[$n]=null; P50[$n]=null; P99[$n]=null; RATIO[$n]=null; NOTE[$n]=""; done
flood_scenario

# Cold start: a fresh API process on the seeded, migrated database, until the first /readyz 200. Last, so that
# every scenario before it runs on a process that has been warmed up.
stop_pid "$API_PID"; API_PID=""
sync; sleep 1
start_api
COLD_START=$COLD_START_S
log "cold start to /readyz 200: ${COLD_START}s"

# --- report -------------------------------------------------------------------------------------------------
target_of() {
  case $1 in
    pgbench_select|pgbench_insert|bare_get|bare_insert) echo "baseline" ;;
    get_by_id) echo "≥ 0.5× pgbench_select" ;;
    search_10k|search_100k) echo "(growth reference)" ;;
    search_1m) echo "p50 ≤ 5 ms" ;;
    stat_100k) echo "p50 ≤ 50 ms" ;;
    events_search_2m) echo "p50 ≤ 10 ms" ;;
    events_stat_200k) echo "p50 ≤ 100 ms" ;;
    ingest_accepted) echo "≥ 1.0× bare_insert, p99 ≤ 25 ms" ;;
    ingest_parsed) echo "≥ 0.8× ingest_accepted, p99 ≤ 1000 ms" ;;
    flood_alone) echo "(reference: flood-b alone)" ;;
    flood_loaded) echo "p99 ≤ 2× flood_alone p99 while flood-a floods" ;;
  esac
}
met_of() { # yes / no / - (no target) / n/a (no figure)
  local n=$1
  case $n in
    pgbench_*|bare_*|search_10k|search_100k|flood_alone) echo "-"; return ;;
  esac
  [ "${PER_S[$n]}" = null ] && { echo "n/a"; return; }
  local ok
  case $n in
    get_by_id) ok=$(awk -v r="${RATIO[$n]}" 'BEGIN { print (r >= 0.5) }') ;;
    search_1m) ok=$(awk -v p="${P50[$n]}" 'BEGIN { print (p <= 5) }') ;;
    stat_100k) ok=$(awk -v p="${P50[$n]}" 'BEGIN { print (p <= 50) }') ;;
    events_search_2m) ok=$(awk -v p="${P50[$n]}" 'BEGIN { print (p <= 10) }') ;;
    events_stat_200k) ok=$(awk -v p="${P50[$n]}" 'BEGIN { print (p <= 100) }') ;;
    ingest_accepted) ok=$(awk -v r="${RATIO[$n]}" -v p="${P99[$n]}" 'BEGIN { print (r != "null" && r >= 1.0 && p <= 25) }') ;;
    ingest_parsed) ok=$(awk -v r="${RATIO[$n]}" -v p="${P99[$n]}" 'BEGIN { print (r != "null" && r >= 0.8 && p <= 1000) }') ;;
    flood_loaded) ok=$(awk -v r="${RATIO[$n]}" 'BEGIN { print (r != "null" && r <= 2) }') ;;
  esac
  [ "$ok" = 1 ] && echo yes || echo no
}
label_of() {
  case $1 in
    search_1m) echo "search_1m ($(( LARGEST / 1000 ))k rows)" ;;
    events_search_2m) echo "events_search_2m ($(( EVENTS / 1000 ))k events)" ;;
    events_stat_200k) echo "events_stat_200k ($(( EVENT_STAT_ROWS / 1000 ))k events)" ;;
    *) echo "$1" ;;
  esac
}
ratio_of() { # "0.212× pgbench_select", plus the service against the bare stack where there is one
  [ "${RATIO[$1]}" = null ] && { echo "–"; return; }
  if [ -z "${BASE[$1]:-}" ]; then printf '%s' "${RATIO[$1]}"; else printf '%s× %s' "${RATIO[$1]}" "${BASE[$1]}"; fi
  [ -z "${VS_BARE[$1]:-}" ] || printf '; %s× bare' "${VS_BARE[$1]}"
}
show() { [ "$1" = null ] && echo "–" || echo "$1"; }

DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
MEM_GIB=$(awk '/^MemTotal:/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
CPU=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
PGVER=$("$PGBIN/postgres" --version | awk '{ print $3 }')
MACHINE="$(nproc) cores ($CPU), ${MEM_GIB} GiB RAM, $(uname -sr), PostgreSQL $PGVER, .NET $(dotnet --list-runtimes | awk '/NETCore.App/ { v = $2 } END { print v }')"

{
  echo "Run of $DATE$($QUICK && echo ' (--quick)'), $MACHINE; client, server and database share the machine."
  echo "Largest search size: $LARGEST webhooks over $(( LARGEST / 100 )) domains; stat over one domain of $STAT_ROWS;"
  echo "$EVENTS events over 100 domains; events stat over one domain's day of $EVENT_STAT_ROWS events."
  echo
  echo "| scenario | per_s | p50_ms | p99_ms | ratio | target | met? |"
  echo "| --- | ---: | ---: | ---: | ---: | --- | --- |"
  for n in "${NAMES[@]}"; do
    echo "| $(label_of "$n") | $(show "${PER_S[$n]}") | $(show "${P50[$n]}") | $(show "${P99[$n]}") | $(ratio_of "$n") | $(target_of "$n") | $(met_of "$n") |"
  done
  rss_met=n/a; [ "$RSS_PEAK" = null ] || rss_met=$(awk -v v="$RSS_PEAK" 'BEGIN { print (v <= 250) ? "yes" : "no" }')
  cold_met=n/a; [ "$COLD_START" = null ] || cold_met=$(awk -v v="$COLD_START" 'BEGIN { print (v <= 2) ? "yes" : "no" }')
  echo "| rss_peak_mb (API, during ingestion) | $(show "$RSS_PEAK") | | | | ≤ 250 MB | $rss_met |"
  echo "| cold_start_s (to /readyz 200) | $(show "$COLD_START") | | | | ≤ 2 s | $cold_met |"
  for n in "${NAMES[@]}"; do [ -z "${NOTE[$n]}" ] || echo "- $n: ${NOTE[$n]}"; done
} >"$WORK/table.md"

json_str() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
{
  echo "{"
  echo "  \"date\": $(json_str "$DATE"),"
  echo "  \"machine\": $(json_str "$MACHINE"),"
  echo "  \"quick\": $QUICK,"
  echo "  \"scenarios\": {"
  last=${NAMES[-1]}
  for n in "${NAMES[@]}"; do
    sep=,; [ "$n" = "$last" ] && sep=
    extra=""
    [ -z "${BASE[$n]:-}" ] || extra=", \"ratio_of\": \"${BASE[$n]}\""
    [ -z "${VS_BARE[$n]:-}" ] || extra="$extra, \"vs_bare\": ${VS_BARE[$n]}"
    echo "    \"$n\": {\"per_s\": ${PER_S[$n]}, \"p50_ms\": ${P50[$n]}, \"p99_ms\": ${P99[$n]}, \"ratio\": ${RATIO[$n]}$extra}$sep"
  done
  echo "  },"
  echo "  \"rss_peak_mb\": $RSS_PEAK,"
  echo "  \"cold_start_s\": $COLD_START"
  echo "}"
} >"$WORK/latest.json"

mkdir -p bench/results
cp "$WORK/latest.json" bench/results/latest.json
cp "$WORK/table.md" bench/results/latest.md
echo
cat "$WORK/table.md"
echo
log "done: bench/results/latest.json, bench/results/latest.md"
