#!/usr/bin/env bash
# Runs every test against a real PostgreSQL and ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/pg.sh

if [ -z "${GOVEVENTS_TEST_ADMIN_DB:-}" ]; then
  pg_start
  export GOVEVENTS_TEST_ADMIN_DB="$(pg_admin_connection)"
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

results="$(pwd)/.data/test-results"
rm -rf "$results"; mkdir -p "$results"

set +e
dotnet build GovEvents.sln -c Debug -nologo -v quiet -clp:ErrorsOnly
build=$?
if [ $build -ne 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
dotnet test GovEvents.sln --no-build -c Debug -nologo -v quiet \
  --logger "trx" --results-directory "$results" "$@"
status=$?
set -e

# Sum the counters of every TRX file into the one closing line CI reads.
passed=0; failed=0; skipped=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  line=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$line"); passed=$((passed + ${p:-0}))
  x=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$line"); failed=$((failed + ${x:-0}))
  s=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$line"); skipped=$((skipped + ${s:-0}))
done
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
if [ $skipped -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ] && [ $status -eq 0 ]
