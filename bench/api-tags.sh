#!/usr/bin/env bash
# GET /api/tags (50 tags, one page of 25) through the real server under wrk, and the start-up time
# to the first 200 on an existing database.
# Usage: bench/api-tags.sh [sqlite|postgres] [seconds] [connections]
source "$(dirname "$0")/lib.sh"
provider=${1:-sqlite}
seconds=${2:-10}
connections=${3:-16}
port=5091

need_wrk
build_server
use_database "$provider" tessera_bench_tags

token=$(tessera stack create bench --json | json_field access_token)
start_server "$port"
wait_for_200 "http://127.0.0.1:$port/api/tags?access_token=$token" "$(date +%s%N)" >/dev/null
for i in $(seq 1 50); do
  curl -s -o /dev/null -X POST "http://127.0.0.1:$port/api/tags?access_token=$token&stack=bench" --data "tag=Tag+$i&type=content"
done

url="http://127.0.0.1:$port/api/tags?access_token=$token&stack=bench&limit=25&page=1"
wrk -t2 -c"$connections" -d2s "$url" >/dev/null # warm-up
echo "== GET /api/tags, $provider, $connections connections, ${seconds}s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url" | tee "$RESULTS/api-tags-$provider.txt"
stop_server

# Start-up: process start to the first 200 on the now-existing database (best of 3),
# for the plain build and for the ReadyToRun publish.
publish_server
for build in "build:$SERVER_DLL" "publish (ReadyToRun):$PUBLISHED_DLL"; do
  best=999999
  for _ in 1 2 3; do
    t0=$(date +%s%N)
    start_server "$port" "${build#*:}"
    ms=$(wait_for_200 "http://127.0.0.1:$port/api/tags?access_token=$token" "$t0")
    stop_server
    [ "$ms" -lt "$best" ] && best=$ms
  done
  echo "== start-up to first 200, existing $provider database, ${build%%:*}: ${best} ms (best of 3)" | tee -a "$RESULTS/api-tags-$provider.txt"
done
