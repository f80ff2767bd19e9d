#!/usr/bin/env bash
# Sourced by run.sh, test.sh and bench/run.sh: starts a private PostgreSQL cluster
# (never the Debian "main" one) and exports ConnectionStrings__Webhook for it.
# Skipped entirely when ConnectionStrings__Webhook is already set.
#
# usage: start_postgres <data dir> <port> <fast|durable> <database> [--any-port]
#   fast     throw-away: fsync off, a fresh cluster each start, removed by stop_postgres
#   durable  data kept between starts
#   --any-port  when <port> is held by another process, take the next free one (else stop with a message)
# PG_SHARED_BUFFERS (default 512MB) sizes shared_buffers: the benchmark holds its whole data set in it.
#
# Run by a normal user, the cluster runs as that user in <data dir>. Run by root, it runs as the postgres user
# (PostgreSQL refuses root), in <data dir> when postgres can reach it, else under /var/tmp/webhook-pg/ keyed by
# <data dir>'s absolute path (a clone under /root is mode 700: postgres cannot enter it).
# Each failure is one line on stderr saying why and what to do.

pg_bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

pg_fail() { echo "postgres: $*" >&2; return 1; }

ensure_postgres_installed() {
  pg_bin_dir >/dev/null && return 0
  [ "$(id -u)" = 0 ] ||
    pg_fail "PostgreSQL is not installed; install it (sudo apt-get install postgresql) or set ConnectionStrings__Webhook to an existing database" ||
    return 1
  echo "PostgreSQL not found: installing it from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; } ||
    pg_fail "installing PostgreSQL with apt-get failed (see above); install it yourself or set ConnectionStrings__Webhook"
  pg_bin_dir >/dev/null || pg_fail "PostgreSQL was installed but no /usr/lib/postgresql/*/bin/initdb was found"
}

# Runs a command as the cluster's owner: postgres when we are root (from /, as it may not enter the current
# folder), else the invoking user.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Where the cluster for <data dir> lives (see the header).
pg_data_dir_for() {
  local wanted=$1
  mkdir -p "$(dirname "$wanted")" || return 1
  wanted="$(cd "$(dirname "$wanted")" && pwd)/$(basename "$wanted")"
  if [ "$(id -u)" = 0 ] && ! as_pg_owner test -x "$(dirname "$wanted")" 2>/dev/null; then
    echo "/var/tmp/webhook-pg/$(basename "$wanted")-$(echo -n "$wanted" | sha256sum | cut -c1-12)"
  else
    echo "$wanted"
  fi
}

# The port a running cluster listens on (4th line of postmaster.pid), empty when it is not running.
pg_running_port() {
  local data_dir=$1
  as_pg_owner "$(pg_bin_dir)/pg_ctl" -D "$data_dir" status >/dev/null 2>&1 || return 0
  sed -n 4p "$data_dir/postmaster.pid" 2>/dev/null
}

port_in_use() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

port_holder() {
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -1 |
    sed -E 's/users:\(\("([^"]*)",pid=([0-9]*)/\1, pid \2/'
}

start_postgres() {
  local data_dir=$1 port=$2 mode=$3 database=$4 any_port=${5:-}
  if [ -n "${ConnectionStrings__Webhook:-}" ]; then
    echo "Using the database from ConnectionStrings__Webhook" >&2
    return 0
  fi
  ensure_postgres_installed || return 1
  command -v ss >/dev/null || pg_fail "'ss' (Debian package iproute2) is needed to check the port; install it" || return 1
  local bin; bin=$(pg_bin_dir)
  data_dir=$(pg_data_dir_for "$data_dir") || pg_fail "cannot create the folder for $1" || return 1

  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 ||
      pg_fail "running as root needs the 'postgres' user (apt-get install postgresql creates it); or run as a normal user" || return 1
    mkdir -p "$data_dir" && chmod 755 "$(dirname "$data_dir")" && chown postgres: "$data_dir" ||
      pg_fail "cannot prepare $data_dir for the postgres user" || return 1
  else
    mkdir -p "$data_dir" || pg_fail "cannot create $data_dir" || return 1
  fi

  # A cluster of ours left running (a run killed without clean-up): reuse it if durable and on the port, else stop it.
  local running; running=$(pg_running_port "$data_dir")
  if [ -n "$running" ] && { [ "$mode" = fast ] || [ "$running" != "$port" ]; }; then
    as_pg_owner "$bin/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null 2>&1
    running=
  fi
  if [ "$mode" = fast ]; then
    rm -rf "$data_dir" && mkdir -p "$data_dir" &&
      { [ "$(id -u)" != 0 ] || chown postgres: "$data_dir"; } || pg_fail "cannot reset $data_dir" || return 1
  fi

  if [ -z "$running" ]; then
    local wanted=$port
    while port_in_use "$port"; do
      local holder; holder=$(port_holder "$port")
      if [ -z "$any_port" ]; then
        pg_fail "port $port is held by another process${holder:+ ($holder)}; stop it or choose another port (see README: WEBHOOK_PG_PORT / WEBHOOK_TEST_PG_PORT)"
        return 1
      fi
      port=$((port + 1))
      [ "$port" -lt $((wanted + 50)) ] || pg_fail "ports $wanted-$port are all in use; choose a free one (see README)" || return 1
    done
    [ "$port" = "$wanted" ] || echo "postgres: port $wanted is in use; using $port" >&2
  fi

  chmod 700 "$data_dir"
  if [ ! -f "$data_dir/PG_VERSION" ]; then
    as_pg_owner "$bin/initdb" -D "$data_dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync \
      >"/tmp/webhook-initdb-$$.log" 2>&1 || {
        pg_fail "initdb failed in $data_dir: $(tail -1 "/tmp/webhook-initdb-$$.log")"; rm -f "/tmp/webhook-initdb-$$.log"; return 1; }
    rm -f "/tmp/webhook-initdb-$$.log"
  fi
  local settings="-c listen_addresses=127.0.0.1 -p $port -k $data_dir -c max_connections=300 -c shared_buffers=${PG_SHARED_BUFFERS:-512MB}"
  if [ "$mode" = fast ]; then
    settings="$settings -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  if [ -z "$running" ]; then
    as_pg_owner "$bin/pg_ctl" -D "$data_dir" -l "$data_dir/server.log" -w -t 60 -o "$settings" start >/dev/null || {
      pg_fail "PostgreSQL did not start (log: $data_dir/server.log): $(grep -E 'FATAL|ERROR' "$data_dir/server.log" | tail -1)"
      return 1; }
  fi
  PG_STARTED_DATA_DIR=$data_dir
  PG_STARTED_MODE=$mode
  PG_PORT=$port
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 ||
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE \"$database\"" ||
    pg_fail "cannot create database $database on port $port" || return 1
  export ConnectionStrings__Webhook="Host=127.0.0.1;Port=$port;Username=postgres;Database=$database"
}

# Stops the cluster start_postgres started (a fast one is also deleted). Safe to call more than once.
stop_postgres() {
  [ -n "${PG_STARTED_DATA_DIR:-}" ] || return 0
  as_pg_owner "$(pg_bin_dir)/pg_ctl" -D "$PG_STARTED_DATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
  [ "${PG_STARTED_MODE:-}" != fast ] || rm -rf "$PG_STARTED_DATA_DIR" || true
  PG_STARTED_DATA_DIR=
}
