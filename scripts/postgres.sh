#!/usr/bin/env bash
# Sourced by run.sh, test.sh and bench/run.sh: starts a private PostgreSQL cluster
# (never the Debian "main" one) and exports ConnectionStrings__Webhook for it.
# Skipped entirely when ConnectionStrings__Webhook is already set.
#
# usage: start_postgres <data dir> <port> <fast|durable> <database>

pg_bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

ensure_postgres_installed() {
  pg_bin_dir >/dev/null && return 0
  echo "PostgreSQL not found: installing it from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  pg_bin_dir >/dev/null || { echo "PostgreSQL install failed" >&2; return 1; }
}

# Runs a command as the postgres user when we are root (initdb and postgres refuse root).
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local data_dir=$1 port=$2 mode=$3 database=$4
  if [ -n "${ConnectionStrings__Webhook:-}" ]; then
    echo "Using the database from ConnectionStrings__Webhook" >&2
    return 0
  fi
  ensure_postgres_installed || return 1
  local bin; bin=$(pg_bin_dir)
  mkdir -p "$data_dir"
  data_dir=$(cd "$data_dir" && pwd)
  [ "$(id -u)" = 0 ] && chown postgres: "$data_dir"
  chmod 700 "$data_dir"
  if [ ! -f "$data_dir/PG_VERSION" ]; then
    as_pg_owner "$bin/initdb" -D "$data_dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >/dev/null || return 1
  fi
  local settings="-c listen_addresses=127.0.0.1 -p $port -k $data_dir -c max_connections=300 -c shared_buffers=512MB"
  if [ "$mode" = fast ]; then
    settings="$settings -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  if ! as_pg_owner "$bin/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then
    as_pg_owner "$bin/pg_ctl" -D "$data_dir" -l "$data_dir/server.log" -w -t 60 -o "$settings" start >/dev/null || {
      tail -20 "$data_dir/server.log" >&2; return 1; }
  fi
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 ||
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE \"$database\"" || return 1
  export ConnectionStrings__Webhook="Host=127.0.0.1;Port=$port;Username=postgres;Database=$database"
  PG_STARTED_DATA_DIR=$data_dir
}

stop_postgres() {
  [ -n "${PG_STARTED_DATA_DIR:-}" ] || return 0
  as_pg_owner "$(pg_bin_dir)/pg_ctl" -D "$PG_STARTED_DATA_DIR" -m fast stop >/dev/null 2>&1 || true
}
