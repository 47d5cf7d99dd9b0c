#!/usr/bin/env bash
# ./run.sh        runs the API in development mode on a project-local PostgreSQL (or on GOVEVENTS_DB),
#                 in the foreground: Ctrl-C stops it.
# ./run.sh stop   stops an API started by ./run.sh and the project-local PostgreSQL.
#
# GOVEVENTS_DB    an Npgsql connection string; when set, no local cluster is started and the API
#                 connects (and migrates) with it.
# GOVEVENTS_URLS  where the API listens (default http://127.0.0.1:5080).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/pg.sh

URLS="${GOVEVENTS_URLS:-http://127.0.0.1:5080}"
DB_NAME=govevents
APP_ROLE=govevents_app
API_DIR="$ROOT/src/Api/bin/Release/net10.0"
API_PID_FILE="$ROOT/.data/api.pid"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

stop_api() {
  local pid
  [ -f "$API_PID_FILE" ] || return 0
  pid="$(cat "$API_PID_FILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    echo "API stopped."
  fi
  rm -f "$API_PID_FILE"
}

case "${1:-}" in
  "") ;;
  stop) stop_api; pg_stop; exit 0 ;;
  *) echo "usage: ./run.sh [stop]" >&2; exit 2 ;;
esac

# psql against the local cluster as the superuser, with its password from .data/secrets.
local_psql() {
  PGPASSWORD="$(pg_password "$PG_SUPERUSER")" "$PGBIN/psql" -X -w -h 127.0.0.1 -p "$PGPORT" -U "$PG_SUPERUSER" -v ON_ERROR_STOP=1 -qtA "$@"
}

if [ -n "${GOVEVENTS_DB:-}" ]; then
  app_db="$GOVEVENTS_DB"
  owner_db="$GOVEVENTS_DB"
  app_role=""
  echo "Using the database of GOVEVENTS_DB."
else
  pg_start
  # The schema belongs to the superuser, who migrates; the API connects as a role that may only
  # read and append history (see DatabaseMigrator and the tamper evidence grants).
  if [ "$(local_psql -d postgres -c "select 1 from pg_database where datname = '$DB_NAME'")" != 1 ]; then
    local_psql -d postgres -c "create database $DB_NAME"
  fi
  if [ "$(local_psql -d postgres -c "select 1 from pg_roles where rolname = '$APP_ROLE'")" != 1 ]; then
    local_psql -d postgres -c "create role $APP_ROLE login"
  fi
  # Its password, generated into .data/secrets (a role made before passwords gets one now).
  pg_ensure_password "$APP_ROLE"
  app_db="Host=127.0.0.1;Port=$PGPORT;Username=$APP_ROLE;Password=$(pg_password "$APP_ROLE");Database=$DB_NAME"
  owner_db="Host=127.0.0.1;Port=$PGPORT;Username=$PG_SUPERUSER;Password=$(pg_password "$PG_SUPERUSER");Database=$DB_NAME"
  app_role="$APP_ROLE"
  echo "PostgreSQL is running on 127.0.0.1:$PGPORT (data in .data/pg); database $DB_NAME; passwords in .data/secrets."
fi

echo "Building the API (Release)..."
dotnet build src/Api -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null

# The first of the URLs, with a wildcard host made reachable, is where we look for readiness.
first_url="${URLS%%;*}"
base_url="$(sed -E 's#://(\+|\*|0\.0\.0\.0|\[::\])#://127.0.0.1#' <<<"$first_url")"
base_url="${base_url%/}"

# HTTP status of a GET, with curl when there is one and bash's /dev/tcp otherwise.
http_status() {
  local url="$1" hostport path host port line
  if command -v curl >/dev/null; then
    curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" || true
    return
  fi
  hostport="${url#http://}"; path="/${hostport#*/}"; hostport="${hostport%%/*}"
  host="${hostport%:*}"; port="${hostport##*:}"
  exec 3<>"/dev/tcp/$host/$port" 2>/dev/null || { echo 000; return; }
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3
  read -r -t 2 line <&3 || line=""
  exec 3<&- 3>&-
  awk '{print $2}' <<<"$line"
}

api_pid=""
cleanup() {
  if [ -n "$api_pid" ] && kill -0 "$api_pid" 2>/dev/null; then
    kill -TERM "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
  fi
  rm -f "$API_PID_FILE"
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# A seal key made once and kept with the local data, so that seals made before a restart still verify;
# seals are exported to .data/seals (README: Seals). Development only: a real key lives outside the machine's data.
mkdir -p "$ROOT/.data"
[ -s "$ROOT/.data/seal-key" ] || (umask 077; head -c 32 /dev/urandom | base64 >"$ROOT/.data/seal-key")
seal_key="$(cat "$ROOT/.data/seal-key")"

# Run from the output folder so that appsettings.json is found; development mode is always on here.
(
  cd "$API_DIR"
  export GovEvents__ConnectionString="$app_db"
  export GovEvents__MigrationConnectionString="$owner_db"
  export GovEvents__ApplicationRole="$app_role"
  export GovEvents__Dev__Enabled=true
  export GovEvents__Seal__Keys__dev="$seal_key"
  export GovEvents__Seal__ExportDirectory="$ROOT/.data/seals"
  # Loads the demo dataset once per database (a no-op until a demo loader is registered).
  export GovEvents__Demo__Load=true
  exec dotnet GovEvents.Api.dll --urls "$URLS"
) &
api_pid=$!
mkdir -p "$ROOT/.data"
echo "$api_pid" >"$API_PID_FILE"

for _ in $(seq 1 240); do
  if ! kill -0 "$api_pid" 2>/dev/null; then
    wait "$api_pid" && status=0 || status=$?
    rm -f "$API_PID_FILE"
    echo "The API exited (status $status) before it was ready." >&2
    exit 1
  fi
  [ "$(http_status "$base_url/health/ready")" = 200 ] && break
  sleep 0.5
done
if [ "$(http_status "$base_url/health/ready")" = 200 ]; then
  echo
  echo "GovEvents API (development mode) is ready on $URLS"
  echo "Swagger: $base_url/swagger"
  echo "Press Ctrl-C to stop."
  echo
else
  echo "The API did not report ready within 120 s; it keeps running (see its log above)." >&2
fi

wait "$api_pid" && status=0 || status=$?
rm -f "$API_PID_FILE"
exit "$status"
