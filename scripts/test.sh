#!/usr/bin/env bash
# Runs every check and test Tessera has, on a fresh machine:
#   1. build (warnings are errors) and `dotnet format --verify-no-changes`;
#   2. the whole suite on SQLite;
#   3. the whole suite again on PostgreSQL (installed from Debian packages and started if needed).
# The browser tests drive Debian's Chromium, installed first when missing.
# Ends with one line "tests: N passed, M failed" and exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
status=0
results=$(mktemp -d)

step() { printf '\n== %s\n' "$*"; }

step "build"
dotnet build Tessera.slnx -c Release -nologo -v quiet || exit 1

step "format check"
dotnet format Tessera.slnx --verify-no-changes --no-restore || { echo "run 'dotnet format' and commit the result"; exit 1; }

run_suite() {
  local name=$1 log="$results/$1.log"
  shift
  step "tests on $name"
  env "$@" dotnet test Tessera.slnx -c Release --no-build -nologo 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line
  line=$(grep -E '^(Passed|Failed)!' "$log" | tail -n 1)
  local p f
  p=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$line")
  f=$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$line")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  if [ "$rc" -ne 0 ] || [ -z "$p" ]; then status=1; fi
}

chromium=$(scripts/chromium.sh) || { echo "Chromium could not be installed"; exit 1; }
export TESSERA_CHROMIUM=$chromium

run_suite sqlite TESSERA_TEST_DB=sqlite

pg=$(scripts/postgres.sh start) || { echo "PostgreSQL could not be started"; status=1; pg=""; }
if [ -n "$pg" ]; then
  run_suite postgres TESSERA_TEST_DB=postgres "TESSERA_TEST_PG=$pg"
fi

echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
