#!/usr/bin/env bash
# Project-local PostgreSQL under .data/pg: sourced by run.sh and test.sh.
# Loopback and Unix socket only. Every role logs in with a password (SCRAM) over loopback; the
# passwords are generated into .data/secrets (mode 0600, never committed). Over the Unix socket only
# the cluster's OS user may connect, as the superuser (peer): how the scripts set the superuser's password.
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
PG_SECRETS_DIR="$ROOT/.data/secrets"

# The password of a role of the local cluster, generated on first use into .data/secrets/<role>.password.
pg_password() {
  local file="$PG_SECRETS_DIR/$1.password"
  if [ ! -s "$file" ]; then
    (umask 077; mkdir -p "$PG_SECRETS_DIR"; od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$file")
  fi
  chmod 600 "$file"
  cat "$file"
}

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
    pg_as_owner "$PGBIN/initdb" -D "$PGDATA_DIR" -U "$PG_SUPERUSER" --auth-local=peer --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >/dev/null
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
  pg_write_auth_config
  if ! pg_running; then
    pg_as_owner "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 start >/dev/null
  fi
  pg_ensure_password "$PG_SUPERUSER"
}

# pg_hba.conf and pg_ident.conf, written on every start (a cluster made with trust before is brought to
# them, and reloaded when running): passwords over loopback for every role, nothing else but the peer
# line for the OS user that runs the cluster.
pg_write_auth_config() {
  local os_user hba ident changed=""
  if [ "$(id -u)" = 0 ]; then os_user=postgres; else os_user="$(id -un)"; fi
  hba="# Written by scripts/pg.sh on every start: edits are overwritten.
# TYPE  DATABASE  USER         ADDRESS        METHOD
local   all       $PG_SUPERUSER                    peer map=cluster_owner
host    all       all          127.0.0.1/32   scram-sha-256"
  ident="# Written by scripts/pg.sh: the OS user that runs the cluster is its superuser over the socket.
cluster_owner  $os_user  $PG_SUPERUSER"
  [ "$(cat "$PGDATA_DIR/pg_hba.conf" 2>/dev/null)" = "$hba" ] || { printf '%s\n' "$hba" >"$PGDATA_DIR/pg_hba.conf"; changed=1; }
  [ "$(cat "$PGDATA_DIR/pg_ident.conf" 2>/dev/null)" = "$ident" ] || { printf '%s\n' "$ident" >"$PGDATA_DIR/pg_ident.conf"; changed=1; }
  if [ -n "$changed" ]; then
    chmod 600 "$PGDATA_DIR/pg_hba.conf" "$PGDATA_DIR/pg_ident.conf"
    [ "$(id -u)" = 0 ] && chown postgres "$PGDATA_DIR/pg_hba.conf" "$PGDATA_DIR/pg_ident.conf"
    if pg_running; then pg_as_owner "$PGBIN/pg_ctl" -D "$PGDATA_DIR" reload >/dev/null; sleep 0.5; fi
  fi
  return 0
}

# Gives a role of the local cluster its password from .data/secrets unless it already logs in with it
# (as the superuser over the socket, so that this works before the superuser has a password). The
# password goes through stdin, never a command line.
pg_ensure_password() {
  local role="$1" password
  password="$(pg_password "$role")"
  if PGPASSWORD="$password" PGCONNECT_TIMEOUT=5 "$PGBIN/psql" -X -h 127.0.0.1 -p "$PGPORT" -U "$role" -d postgres \
       -w -qtA -c 'select 1' >/dev/null 2>&1; then
    return 0
  fi
  printf "alter role \"%s\" password '%s';\n" "$role" "$password" \
    | pg_as_owner "$PGBIN/psql" -X -h "$PGSOCK_DIR" -p "$PGPORT" -U "$PG_SUPERUSER" -d postgres -v ON_ERROR_STOP=1 -qtA >/dev/null
}

pg_stop() {
  pg_bin_dir >/dev/null || return 0
  PGBIN="$(pg_bin_dir)"
  if pg_running; then
    pg_as_owner "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
    echo "PostgreSQL stopped."
  fi
}

# Superuser connection to the local cluster (with its password); tests create a database per test class from it.
pg_admin_connection() {
  echo "Host=127.0.0.1;Port=$PGPORT;Username=$PG_SUPERUSER;Password=$(pg_password "$PG_SUPERUSER");Database=postgres"
}
