#!/usr/bin/env bash
# Project-local PostgreSQL under .data/pg: sourced by run.sh and test.sh.
# Loopback and Unix socket only; trust auth is safe there and keeps the dev loop free of passwords.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGDATA_DIR="$ROOT/.data/pg"
PGSOCK_DIR="$ROOT/.data/run"
[ -f "$ROOT/.data/pg-location" ] && { PGDATA_DIR="$(cat "$ROOT/.data/pg-location")/pg"; PGSOCK_DIR="$(cat "$ROOT/.data/pg-location")/run"; }

# As root the server runs as `postgres`, which must reach the data directory through every parent of
# the work tree. Where it cannot (a clone under a private home), the cluster lives under /tmp instead,
# named after the work tree; .data/pg-location records where.
pg_resolve_dirs() {
  [ "$(id -u)" = 0 ] || return 0
  [ -f "$ROOT/.data/pg-location" ] && return 0
  mkdir -p "$ROOT/.data"; chmod o+x "$ROOT" "$ROOT/.data" 2>/dev/null || true
  if ! runuser -u postgres -- test -x "$ROOT/.data"; then
    local alt="/tmp/govevents-pg-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
    mkdir -p "$alt"; chmod 755 "$alt"; echo "$alt" > "$ROOT/.data/pg-location"
    PGDATA_DIR="$alt/pg"; PGSOCK_DIR="$alt/run"
  fi
}
PGPORT="${GOVEVENTS_PG_PORT:-55432}"
PG_SUPERUSER=postgres

pg_bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

pg_ensure_installed() {
  if ! pg_bin_dir >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      echo "PostgreSQL server binaries not found: installing them with apt-get" >&2
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      # The package starts its own cluster on 5432; we do not use it.
      service postgresql stop >/dev/null 2>&1 || true
    else
      echo "PostgreSQL server binaries are missing; install the 'postgresql' package (as root)." >&2
      exit 1
    fi
  fi
  PGBIN="$(pg_bin_dir)"
}

# Runs a PostgreSQL server binary as the postgres user when we are root (it refuses to run as root).
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() {
  [ -f "$PGDATA_DIR/postmaster.pid" ] && pg_as_owner "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

pg_start() {
  pg_ensure_installed
  mkdir -p "$ROOT/.data"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    pg_resolve_dirs
  fi
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    mkdir -p "$PGDATA_DIR" "$PGSOCK_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$PGDATA_DIR" "$PGSOCK_DIR"
    chmod 700 "$PGDATA_DIR"
    pg_as_owner "$PGBIN/initdb" -D "$PGDATA_DIR" -U "$PG_SUPERUSER" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$PGDATA_DIR/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGSOCK_DIR'
max_connections = 300
shared_buffers = 256MB
fsync = on
synchronous_commit = on
CONF
  fi
  mkdir -p "$PGSOCK_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PGSOCK_DIR"
  if ! pg_running; then
    pg_as_owner "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 start >/dev/null
  fi
}

pg_stop() {
  pg_bin_dir >/dev/null || return 0
  PGBIN="$(pg_bin_dir)"
  if pg_running; then
    pg_as_owner "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
    echo "PostgreSQL stopped."
  fi
}

# Superuser connection to the local cluster; tests create a database per test class from it.
pg_admin_connection() {
  echo "Host=127.0.0.1;Port=$PGPORT;Username=$PG_SUPERUSER;Database=postgres"
}
