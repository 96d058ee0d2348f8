#!/usr/bin/env bash
# Shared helpers for the benchmark scripts: build, database, server start/stop, wrk.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
SERVER_DLL="$ROOT/src/Tessera.Server/bin/Release/net10.0/Tessera.Server.dll"
RESULTS="$BENCH_DIR/results"
mkdir -p "$RESULTS"

need_wrk() {
  command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } >&2
}

build_server() {
  dotnet build "$ROOT/src/Tessera.Server" -c Release -nologo -v quiet >&2
}

# Sets PROVIDER and CONNECTION (and the server's environment) for database $2 of provider $1 (sqlite|postgres).
open_database() {
  PROVIDER=$1
  local name=$2
  if [ "$PROVIDER" = postgres ]; then
    CONNECTION="$("$ROOT/scripts/postgres.sh" start);Database=$name"
  else
    CONNECTION="Data Source=$RESULTS/$name.db"
  fi
  export Tessera__Database__Provider=$PROVIDER ConnectionStrings__Tessera=$CONNECTION
}

# Like open_database, for a fresh (emptied) database.
use_database() {
  open_database "$1" "$2"
  if [ "$PROVIDER" = postgres ]; then
    PGPASSWORD=tessera dropdb --if-exists -h 127.0.0.1 -U tessera "$2" 2>/dev/null || true
  else
    rm -f "$RESULTS/$2.db" "$RESULTS/$2.db-wal" "$RESULTS/$2.db-shm"
  fi
}

# The production build: ReadyToRun-precompiled (see PublishReadyToRun in the project).
PUBLISHED_DLL="$RESULTS/publish/Tessera.Server.dll"
publish_server() {
  dotnet publish "$ROOT/src/Tessera.Server" -c Release -r linux-x64 --self-contained false -o "$RESULTS/publish" -nologo -v quiet >&2
}

tessera() { dotnet "$SERVER_DLL" "$@"; }

# Starts the server on $1 (port) with the rate limit lifted; sets SERVER_PID. $2: the dll (default: build output).
start_server() {
  local port=$1 dll=${2:-$SERVER_DLL}
  Tessera__RateLimit__Enabled=false Tessera__DemoStack=false Logging__LogLevel__Default=Warning \
    dotnet "$dll" serve --urls "http://127.0.0.1:$port" >"$RESULTS/server.log" 2>&1 &
  SERVER_PID=$!
}

stop_server() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# Waits until $1 answers 200; prints the milliseconds it took since $2 (ns timestamp).
wait_for_200() {
  local url=$1 since=$2
  for _ in $(seq 1 3000); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ]; then
      echo $(( ($(date +%s%N) - since) / 1000000 ))
      return 0
    fi
    sleep 0.01
  done
  echo "server did not answer 200 at $url" >&2
  return 1
}

json_field() { sed -nE "s/.*\"$1\":\"?([^\",}]*)\"?.*/\1/p"; }
