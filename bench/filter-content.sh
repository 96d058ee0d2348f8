#!/usr/bin/env bash
# GET /api/filters/{id}/content filtered by one tag, 50 per page, page 1 and page 20, under wrk,
# over a database seeded with bench/seed-tiles.sh (default 1,000,000 tiles), on the ReadyToRun publish.
# Also reports the server's peak resident memory (VmHWM) over the run.
# Usage: bench/filter-content.sh [sqlite|postgres] [tiles] [seconds] [connections]
# TILE_JSON_MEGABYTES=0 measures with the tile JSON cache off (every page read and serialized whole).
source "$(dirname "$0")/lib.sh"
provider=${1:-sqlite}
count=${2:-1000000}
seconds=${3:-20}
connections=${4:-16}
port=5094
suffix=
if [ -n "${TILE_JSON_MEGABYTES:-}" ]; then
  export Tessera__Cache__TileJsonMegabytes=$TILE_JSON_MEGABYTES
  suffix="-tilejson-$TILE_JSON_MEGABYTES"
fi

need_wrk
eval "$("$BENCH_DIR/seed-tiles.sh" "$provider" "$count")"
open_database "$provider" tessera_bench_tiles
publish_server
start_server "$port" "$PUBLISHED_DLL"
base="http://127.0.0.1:$port/api"
auth="access_token=$TOKEN&stack=$STACK"
wait_for_200 "$base/filters?$auth" "$(date +%s%N)" >/dev/null

# One of the ten hot tags: about 5% of all tiles carry it.
tag=$((TAG_FIRST + 3))
filter=$(curl -s -X POST "$base/filters?$auth" --data "name=Bench+tag+filter&tags%5B0%5D=$tag" | json_field id | head -1)
quantity=$(curl -s "$base/filters/$filter/summaries?$auth" | json_field quantity)
out="$RESULTS/filter-content-$provider$suffix.txt"
echo "== $provider, $count tiles, filter $filter on tag $tag: $quantity published tiles match${suffix:+ (Tessera:Cache:TileJsonMegabytes=$TILE_JSON_MEGABYTES)}" | tee "$out"

for page in 1 20; do
  url="$base/filters/$filter/content?$auth&page=$page&limit=50"
  [ "$(curl -s "$url" | grep -o '"_id"' | wc -l)" = 50 ] || { echo "page $page does not hold 50 tiles" >&2; exit 1; }
  # Warm-up: tiered compilation needs about 20 s of load on 2 cores before the code settles.
  wrk -t2 -c"$connections" -d25s "$url" >/dev/null
  echo "== page $page, limit 50, $connections connections, ${seconds}s" | tee -a "$out"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url" | tee -a "$out"
done

echo "== server peak resident memory: $(awk '/VmHWM/ {print int($2/1024)" MB"}' "/proc/$SERVER_PID/status")" | tee -a "$out"
stop_server
