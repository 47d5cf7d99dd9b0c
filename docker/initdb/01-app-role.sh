#!/bin/sh
# Runs once, when the postgres container initialises an empty volume: the login role the API
# connects as. The schema belongs to POSTGRES_USER, who migrates; the migrations grant this role
# only what the application needs (see "What the application role may do" in README.md).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
create role govevents_app login password '${GOVEVENTS_APP_PASSWORD}';
SQL
