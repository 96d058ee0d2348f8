#!/usr/bin/env bash
# Ingestion through concurrent POST /api/tiles (rate limit lifted), then a count of the stored tiles:
# every tile acknowledged with a 200 must be stored (none lost).
# Usage: bench/ingest.sh [sqlite|postgres] [seconds] [connections]
source "$(dirname "$0")/lib.sh"
provider=${1:-sqlite}
seconds=${2:-20}
connections=${3:-16}
port=5095

need_wrk
publish_server
use_database "$provider" tessera_bench_ingest
created=$(dotnet "$PUBLISHED_DLL" stack create bench --json)
token=$(echo "$created" | json_field access_token)
term=$(echo "$created" | json_field post_term_id)
latest=$(echo "$created" | json_field latest_filter_id)
start_server "$port" "$PUBLISHED_DLL"
base="http://127.0.0.1:$port/api"
auth="access_token=$token&stack=bench"
wait_for_200 "$base/filters?$auth" "$(date +%s%N)" >/dev/null
tags=
for i in 1 2; do
  tags="$tags${tags:+%2C}$(curl -s -X POST "$base/tags?$auth" --data "tag=Ingest+$i&type=content" | json_field id | head -1)"
done

out="$RESULTS/ingest-$provider.txt"
url="$base/tiles?term_id=$term&$auth"
echo "== POST /api/tiles, $provider, $connections connections, ${seconds}s (after a 25 s warm-up: tiered compilation settles)" | tee "$out"
TAGS=$tags wrk -t2 -c"$connections" -d25s -s "$BENCH_DIR/ingest.lua" "$url" >/dev/null
before=$(curl -s "$base/filters/$latest/summaries?$auth" | json_field quantity)
TAGS=$tags wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$BENCH_DIR/ingest.lua" "$url" | tee -a "$out"
sleep 1
after=$(curl -s "$base/filters/$latest/summaries?$auth" | json_field quantity)
acknowledged=$(sed -nE 's/tiles acknowledged with 200: ([0-9]+)/\1/p' "$out")
stored=$((after - before))
echo "== stored during the run: $stored tiles ($((stored / seconds)) tiles/s); acknowledged: $acknowledged;" \
  "stored - acknowledged = $((stored - acknowledged)) (0 to $connections: requests still in flight when wrk stopped)" | tee -a "$out"
[ "$stored" -ge "$acknowledged" ] || { echo "LOST: $((acknowledged - stored)) acknowledged tiles are not stored" | tee -a "$out"; exit 1; }
stop_server
