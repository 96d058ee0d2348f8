#!/usr/bin/env bash
# The Content API's cached page of 50 tiles side by side with the machine's ceiling (a bare ASP.NET
# Core endpoint, bench/ceiling/ceiling.cs, returning the same bytes), both under wrk in one run; then
# cache misses (caching turned off) on the same 1,000,000-tile database: the plugin's default page
# and a page narrowed by one tag. Reports requests/s, latencies, the ratio and peak resident memory.
# Usage: bench/content-api.sh [sqlite|postgres] [tiles] [seconds] [connections]
source "$(dirname "$0")/lib.sh"
provider=${1:-sqlite}
count=${2:-1000000}
seconds=${3:-20}
connections=${4:-32}
port=5094
ceiling_port=5095

need_wrk
eval "$("$BENCH_DIR/seed-tiles.sh" "$provider" "$count")"
open_database "$provider" tessera_bench_tiles
publish_server
out="$RESULTS/content-api-$provider.txt"

rps() { awk '/Requests\/sec/ {print int($2)}'; }
p99() { awk '/ 99%/ {print $2}'; }

# wrk with a 25 s warm-up first (tiered compilation settles after about 20 s of load on 2 cores).
measure() {
  local label=$1 url=$2
  [ "${WARMUP:-25}" = 0 ] || wrk -t2 -c"$connections" -d"${WARMUP:-25}s" "$url" >/dev/null
  echo "== $label: $url, $connections connections, ${seconds}s" >>"$out"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url" | tee -a "$out"
}

start_server "$port" "$PUBLISHED_DLL"
wait_for_200 "http://127.0.0.1:$port/api/contentapi?access_token=$TOKEN&stack=$STACK" "$(date +%s%N)" >/dev/null
plugin=$(curl -s "http://127.0.0.1:$port/api/contentapi?access_token=$TOKEN&stack=$STACK" | json_field plugin_id)
content="http://127.0.0.1:$port/content_api/$plugin"
curl -s "$content" >"$RESULTS/content-page.json"
[ "$(grep -o '"_id"' "$RESULTS/content-page.json" | wc -l)" = 50 ] || { echo "the content page does not hold 50 tiles" >&2; exit 1; }
echo "== $provider, $count tiles; page of 50 tiles: $(wc -c <"$RESULTS/content-page.json") bytes" | tee "$out"

dotnet build "$BENCH_DIR/ceiling/ceiling.cs" -c Release -nologo -v quiet >&2
dotnet run --no-build -c Release "$BENCH_DIR/ceiling/ceiling.cs" -- "$RESULTS/content-page.json" "http://127.0.0.1:$ceiling_port" >"$RESULTS/ceiling.log" 2>&1 &
ceiling_pid=$!
wait_for_200 "http://127.0.0.1:$ceiling_port/" "$(date +%s%N)" >/dev/null

# Two rounds, alternating, so both sides see the same machine; the ratio is of the sums.
ceiling=0 cached=0
for round in 1 2; do
  c=$(measure "round $round: ceiling (bare endpoint, same bytes)" "http://127.0.0.1:$ceiling_port/" | rps)
  a=$(measure "round $round: Content API, cached page" "$content" | rps)
  echo "== round $round: ceiling $c req/s, cached Content API $a req/s ($(( a * 100 / c ))%)" | tee -a "$out"
  ceiling=$(( ceiling + c )) cached=$(( cached + a ))
  WARMUP=${WARMUP_AGAIN:-5}
done
kill "$ceiling_pid" 2>/dev/null; wait "$ceiling_pid" 2>/dev/null || true
pkill -f -- "$RESULTS/content-page.json" 2>/dev/null || true  # the app dotnet run started
echo "== cached Content API: $(( cached * 100 / ceiling ))% of the ceiling over both rounds (target: at least 75%)" | tee -a "$out"
echo "== server peak resident memory: $(awk '/VmHWM/ {print int($2/1024)" MB"}' "/proc/$SERVER_PID/status")" | tee -a "$out"
stop_server

# Misses: the same server with its page cache off, so every request reads the database.
Tessera__Cache__MaxMegabytes=0 start_server "$port" "$PUBLISHED_DLL"
wait_for_200 "$content" "$(date +%s%N)" >/dev/null
WARMUP=25
latest=$(measure "cache miss, default page (all content, newest first)" "$content" | p99)
tagged=$(measure "cache miss, tags=$((TAG_FIRST + 3)) (one hot tag)" "$content?tags=$((TAG_FIRST + 3))" | p99)
echo "== cache misses, p99 at $connections connections: default page $latest, one-tag page $tagged" | tee -a "$out"
stop_server
