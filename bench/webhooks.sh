#!/usr/bin/env bash
# Webhook reliability under an unreliable receiver, and what webhooks cost ingestion.
# Three runs, each on a fresh database and a fresh server (ReadyToRun publish, rate limit lifted, 25 s
# wrk warm-up of POST /api/tiles first, as bench/ingest.sh, with a warm-up subscription when the run
# has webhooks), each posting exactly TILES tiles with bench/tile-loader (CONNECTIONS keep-alive
# connections, closed loop, no retries):
#   off:    no subscription.
#   outbox: a TILE_INGESTED subscription but the dispatcher off: events are recorded, none sent (what
#           recording events costs on its own).
#   on:     a TILE_INGESTED subscription to bench/webhook-receiver, which answers 500 to a random 30%
#           of deliveries and is killed (kill -9) once half the tiles are acknowledged, then started
#           again OUTAGE_SECONDS later. Then waits (at most DRAIN_SECONDS) until the delivery log holds
#           no pending or failed delivery, and compares the events emitted (delivery rows, counted in
#           the database) with the distinct event ids the receiver answered 200 to.
# Retries are sped up for the runs: Tessera:Webhooks:RetryBaseSeconds=1, MaxBackoffSeconds=5.
# Reports tiles/s and server CPU per tile of each run. Fails (exit 1) unless every event is received.
# Run it under the shared lock (2 cores): flock -o /tmp/tessera-build.lock bench/webhooks.sh
# Usage: bench/webhooks.sh [sqlite|postgres] [tiles]
#   env: CONNECTIONS (16), OUTAGE_SECONDS (10), FAILURE_RATE (0.3), DRAIN_SECONDS (300)
source "$(dirname "$0")/lib.sh"
provider=${1:-sqlite}
tiles=${2:-10000}
connections=${CONNECTIONS:-16}
outage=${OUTAGE_SECONDS:-10}
failure_rate=${FAILURE_RATE:-0.3}
drain_limit=${DRAIN_SECONDS:-300}
port=5096
receiver_port=5097
database=tessera_bench_webhooks
out="$RESULTS/webhooks-$provider.txt"
receiver_log="$RESULTS/webhooks-receiver-$provider.log"
secret="bench-secret-$(date +%s%N)"

# The same server settings in every run (the rate limit is lifted by start_server too).
export Tessera__Webhooks__RetryBaseSeconds=1 Tessera__Webhooks__MaxBackoffSeconds=5 Tessera__Webhooks__PollSeconds=1 \
  Tessera__Outbound__AllowedHosts__0=127.0.0.1 Tessera__RateLimit__Requests=1000000000

RECEIVER_PID= LOADER_PID= WRK_PID=
cleanup() {
  for pid in $LOADER_PID $WRK_PID $RECEIVER_PID; do kill "$pid" 2>/dev/null || true; done
  stop_server
}
trap cleanup EXIT

need_wrk
publish_server
dotnet build "$BENCH_DIR/webhook-receiver/receiver.cs" -c Release -o "$RESULTS/webhook-receiver" -nologo -v quiet >&2
dotnet build "$BENCH_DIR/tile-loader/loader.cs" -c Release -o "$RESULTS/tile-loader" -nologo -v quiet >&2

# One SQL statement on the benchmark database; rows as a|b.
sql() {
  if [ "$provider" = postgres ]; then
    psql -qtA -v ON_ERROR_STOP=1 "postgresql://tessera:tessera@127.0.0.1:5432/$database" -c "$1"
  else
    sqlite3 "$RESULTS/$database.db" "$1"
  fi
}

start_receiver() {
  dotnet "$RESULTS/webhook-receiver/receiver.dll" "http://127.0.0.1:$receiver_port" "$secret" "$receiver_log" "$failure_rate" \
    >>"$RESULTS/webhooks-receiver-$provider.out" 2>&1 &
  RECEIVER_PID=$!
  wait_for_200 "http://127.0.0.1:$receiver_port/stats" "$(date +%s%N)" >/dev/null
}

# CPU seconds (user + system) a process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat"; }

# Waits until "$@" succeeds, at most $1 seconds (polling every 0.2 s); fails after.
wait_until() {
  local limit=$1; shift
  local until=$(( $(date +%s) + limit ))
  until "$@"; do
    [ "$(date +%s)" -lt "$until" ] || return 1
    sleep 0.2
  done
}
# True when the delivery log of subscription $1 holds no delivery waiting for a first or another
# attempt (rows being sent keep their pending/failed status until the attempt is recorded).
settled() {
  local pending failed
  pending=$(curl -s "$base/webhooks/$1/deliveries?status=pending&limit=1&$auth")
  failed=$(curl -s "$base/webhooks/$1/deliveries?status=failed&limit=1&$auth")
  case "$pending$failed" in *'"data":[]'*'"data":[]'*) return 0 ;; *) return 1 ;; esac
}
loader_timing() { grep -q '^timing' "$loader_out" || ! kill -0 "$LOADER_PID" 2>/dev/null; }
loader_at_half() { grep -q '^half' "$loader_out" || ! kill -0 "$LOADER_PID" 2>/dev/null; }

# One run: $1 = off | outbox | on. Sets RATE, ACKNOWLEDGED, STORED, P99, HALVES, SERVER_CPU, LOADER_CPU (and, for
# "on", SUBSCRIPTION, RECEIVER_CPU, DRAIN and DRAIN_CPU).
run() {
  local mode=$1
  use_database "$provider" "$database"
  local created token term
  # (On PostgreSQL the CLI logs a failed connection while it creates the database: kept out of sight.)
  created=$(dotnet "$PUBLISHED_DLL" stack create bench --json 2>"$RESULTS/webhooks-cli.log") || { cat "$RESULTS/webhooks-cli.log"; exit 1; }
  token=$(echo "$created" | json_field access_token)
  term=$(echo "$created" | json_field post_term_id)
  # Run outbox: events are recorded but the dispatcher does not run (nothing is sent).
  local dispatcher=true
  [ "$mode" != outbox ] || dispatcher=false
  Tessera__Webhooks__DispatcherEnabled=$dispatcher start_server "$port" "$PUBLISHED_DLL"
  base="http://127.0.0.1:$port/api"
  auth="access_token=$token&stack=bench"
  wait_for_200 "$base/filters?$auth" "$(date +%s%N)" >/dev/null
  local tags=
  for i in 1 2; do
    tags="$tags${tags:+%2C}$(curl -s -X POST "$base/tags?$auth" --data "tag=Ingest+$i&type=content" | json_field id | head -1)"
  done
  local url="$base/tiles?term_id=$term&$auth"

  # The warm-up runs the code of the run: with webhooks, a subscription to the receiver's /warm
  # (always 200, not counted) takes the warm-up's events; it is deleted, its deliveries done, before
  # the timed part.
  local warm=
  if [ "$mode" != off ]; then
    if [ "$mode" = on ]; then
      rm -f "$receiver_log" "$RESULTS/webhooks-receiver-$provider.out"
      start_receiver
    fi
    warm=$(curl -s -X POST "$base/webhooks?$auth" --data-urlencode "url=http://127.0.0.1:$receiver_port/warm" --data "events=TILE_INGESTED" \
      | sed -nE 's/.*"data":\{"id":([0-9]+).*/\1/p')
    [ -n "$warm" ] || { echo "could not subscribe for the warm-up" | tee -a "$out"; exit 1; }
  fi
  echo "== run $mode: warm-up, 25 s of wrk POST /api/tiles${warm:+ (events to a warm-up subscription)}" | tee -a "$out"
  TAGS=$tags wrk -t2 -c"$connections" -d25s -s "$BENCH_DIR/ingest.lua" "$url" >/dev/null &
  WRK_PID=$!
  wait "$WRK_PID"
  WRK_PID=
  if [ -n "$warm" ]; then
    if [ "$mode" = on ]; then
      wait_until 120 settled "$warm" || { echo "the warm-up's deliveries were not done within 120 s" | tee -a "$out"; exit 1; }
    fi
    curl -s -o /dev/null -X DELETE "$base/webhooks/$warm?$auth"
  fi
  local before
  before=$(sql 'SELECT count(*) FROM tiles')

  if [ "$mode" != off ]; then
    local subscription
    subscription=$(curl -s -X POST "$base/webhooks?$auth" \
      --data-urlencode "url=http://127.0.0.1:$receiver_port/hook" --data "events=TILE_INGESTED" --data-urlencode "secret=$secret")
    SUBSCRIPTION=$(echo "$subscription" | sed -nE 's/.*"data":\{"id":([0-9]+).*/\1/p')
    [ -n "$SUBSCRIPTION" ] || { echo "could not subscribe: $subscription" | tee -a "$out"; exit 1; }
    if [ "$mode" = on ]; then
      echo "== run on: subscription $SUBSCRIPTION (TILE_INGESTED) to a receiver failing ${failure_rate} of deliveries; killed at half the tiles for ${outage} s" | tee -a "$out"
    else
      echo "== run outbox: subscription $SUBSCRIPTION (TILE_INGESTED), dispatcher off: events recorded, none sent" | tee -a "$out"
    fi
  fi

  loader_out="$RESULTS/webhooks-loader-$mode-$provider.txt"
  timeout 900 dotnet "$RESULTS/tile-loader/loader.dll" "$url" "$tiles" "$connections" "$tags" "$base/filters?$auth" >"$loader_out" 2>&1 &
  LOADER_PID=$!
  wait_until 60 loader_timing || { echo "the loader did not start: $(cat "$loader_out")" | tee -a "$out"; exit 1; }
  local server_cpu receiver_cpu
  server_cpu=$(cpu_seconds "$SERVER_PID")
  if [ "$mode" = on ]; then
    receiver_cpu=$(cpu_seconds "$RECEIVER_PID")
    wait_until 600 loader_at_half && grep -q '^half' "$loader_out" || { echo "the loader never reached half of the tiles: $(cat "$loader_out")" | tee -a "$out"; exit 1; }
    RECEIVER_CPU=$(awk -v a="$receiver_cpu" -v b="$(cpu_seconds "$RECEIVER_PID")" 'BEGIN { printf "%.1f", b - a }')
    kill -KILL "$RECEIVER_PID"
    wait "$RECEIVER_PID" 2>/dev/null || true
    sleep "$outage"
    start_receiver
    echo "== receiver killed $(sed -nE 's/^half ([0-9]+)/\1/p' "$loader_out") ms into the ingestion (half the tiles acknowledged), started again $outage s later" | tee -a "$out"
  fi
  wait "$LOADER_PID" || { echo "the loader failed: $(cat "$loader_out")" | tee -a "$out"; exit 1; }
  LOADER_PID=
  SERVER_CPU=$(awk -v a="$server_cpu" -v b="$(cpu_seconds "$SERVER_PID")" 'BEGIN { printf "%.1f", b - a }')
  local ended
  ended=$(date +%s%N)
  [ "$mode" = on ] && RECEIVER_CPU=$(awk -v a="$RECEIVER_CPU" -v b="$(cpu_seconds "$RECEIVER_PID")" 'BEGIN { printf "%.1f", a + b }')
  grep -v -E '^(half|timing)' "$loader_out" | sed "s/^/   loader: /" | tee -a "$out"
  ACKNOWLEDGED=$(sed -nE 's/.*acknowledged=([0-9]+).*/\1/p' "$loader_out")
  RATE=$(sed -nE 's/.* rate=([0-9]+).*/\1/p' "$loader_out")
  P99=$(sed -nE 's/.* p99_ms=([0-9.]+).*/\1/p' "$loader_out")
  LOADER_CPU=$(sed -nE 's/.* cpu_s=([0-9.]+).*/\1/p' "$loader_out")
  # Rates of the first and the second half of the tiles (in run on: receiver up, then down for OUTAGE_SECONDS).
  HALVES=$(awk -v n="$tiles" -v ms="$(sed -nE 's/^half ([0-9]+)/\1/p' "$loader_out")" \
    -v s="$(sed -nE 's/.* seconds=([0-9.]+).*/\1/p' "$loader_out")" \
    'BEGIN { h = int(n / 2); printf "%d / %d", h / (ms / 1000), (n - h) / (s - ms / 1000) }')
  STORED=$(( $(sql 'SELECT count(*) FROM tiles') - before ))
  echo "== run $mode: $ACKNOWLEDGED tiles acknowledged, $STORED stored, $RATE tiles/s (p99 $P99 ms; halves $HALVES tiles/s)," \
    "server CPU ${SERVER_CPU} s, loader CPU ${LOADER_CPU} s" | tee -a "$out"

  if [ "$mode" = on ]; then
    server_cpu=$(cpu_seconds "$SERVER_PID")
    if wait_until "$drain_limit" settled "$SUBSCRIPTION"; then
      DRAIN=$(( ($(date +%s%N) - ended) / 1000000 ))
      DRAIN_CPU=$(awk -v a="$server_cpu" -v b="$(cpu_seconds "$SERVER_PID")" 'BEGIN { printf "%.1f", b - a }')
      echo "== every delivery delivered or dead $DRAIN ms after the last tile was acknowledged" | tee -a "$out"
    else
      DRAIN=
      echo "== NOT SETTLED: deliveries still pending or failed ${drain_limit} s after the last tile" | tee -a "$out"
    fi
    sleep 1  # answers logged by the receiver whose attempts the server is still recording
  fi
  echo "== server peak resident memory: $(awk '/VmHWM/ {print int($2/1024)" MB"}' "/proc/$SERVER_PID/status")" | tee -a "$out"
}

echo "== webhooks, $provider, $tiles tiles, $connections connections, $(date -u +%Y-%m-%dT%H:%M:%SZ)" | tee "$out"
run off
off_rate=$RATE off_acknowledged=$ACKNOWLEDGED off_stored=$STORED off_p99=$P99 off_halves=$HALVES off_cpu=$SERVER_CPU off_loader_cpu=$LOADER_CPU
stop_server
cp "$RESULTS/server.log" "$RESULTS/webhooks-server-off-$provider.log"

run outbox
outbox_rate=$RATE outbox_p99=$P99 outbox_cpu=$SERVER_CPU
outbox_events=$(sql "SELECT count(*) FROM webhook_deliveries WHERE \"SubscriptionId\" = $SUBSCRIPTION")
outbox_stored=$STORED
stop_server
cp "$RESULTS/server.log" "$RESULTS/webhooks-server-outbox-$provider.log"

run on
on_rate=$RATE on_acknowledged=$ACKNOWLEDGED on_stored=$STORED on_p99=$P99 on_halves=$HALVES on_cpu=$SERVER_CPU on_loader_cpu=$LOADER_CPU

# The server's side, from the database: events emitted (one delivery row per event, one subscription).
status_count() { sql "SELECT count(*) FROM webhook_deliveries WHERE \"SubscriptionId\" = $SUBSCRIPTION AND \"Status\" = $1"; }
emitted=$(sql "SELECT count(*) FROM webhook_deliveries WHERE \"SubscriptionId\" = $SUBSCRIPTION")
emitted_ids=$(sql "SELECT count(DISTINCT \"EventId\") FROM webhook_deliveries WHERE \"SubscriptionId\" = $SUBSCRIPTION")
delivered=$(status_count 2) pending=$(status_count 1) failed=$(status_count 3) dead=$(status_count 4)
of_subscription="FROM webhook_attempts a JOIN webhook_deliveries d ON d.\"Id\" = a.\"DeliveryId\" WHERE d.\"SubscriptionId\" = $SUBSCRIPTION"
attempts=$(sql "SELECT count(*) $of_subscription")
max_attempts=$(sql "SELECT max(\"Attempts\") FROM webhook_deliveries WHERE \"SubscriptionId\" = $SUBSCRIPTION")
refused=$(sql "SELECT count(*) $of_subscription AND a.\"StatusCode\" IS NULL")
sql "SELECT \"EventId\" FROM webhook_deliveries WHERE \"SubscriptionId\" = $SUBSCRIPTION" | sort >"$RESULTS/webhooks-emitted-$provider.txt"

# The receiver's side: its own counts, and the ids it answered 200 to, from its log.
stats=$(curl -s "http://127.0.0.1:$receiver_port/stats")
field() { echo "$stats" | json_field "$1"; }
awk '$1 == 200 { print $2 }' "$receiver_log" | sort -u >"$RESULTS/webhooks-received-$provider.txt"
lost=$(comm -23 "$RESULTS/webhooks-emitted-$provider.txt" "$RESULTS/webhooks-received-$provider.txt" | wc -l)
unknown=$(comm -13 "$RESULTS/webhooks-emitted-$provider.txt" "$RESULTS/webhooks-received-$provider.txt" | wc -l)
stop_server
cp "$RESULTS/server.log" "$RESULTS/webhooks-server-on-$provider.log"
warnings=$(grep -c -E '^(warn|fail|crit)' "$RESULTS/webhooks-server-on-$provider.log" || true)

per_tile() { awk -v cpu="$1" -v n="$tiles" 'BEGIN { printf "%.2f ms", cpu * 1000 / n }'; }
{
  echo
  echo "| webhooks, $provider, $tiles tiles | value |"
  echo "|---|---|"
  echo "| tiles acknowledged (stored), webhooks off / on | $off_acknowledged ($off_stored) / $on_acknowledged ($on_stored) |"
  echo "| events emitted (delivery rows; distinct event ids) | $emitted ($emitted_ids) |"
  echo "| distinct events received (answered 200) | $(field distinct_events) |"
  echo "| emitted but never received / received but never emitted | $lost / $unknown |"
  echo "| delivery rows delivered / pending / failed / dead | $delivered / $pending / $failed / $dead |"
  echo "| requests to the receiver: total / 500 on purpose / 200 / duplicates (200 for an id already seen) | $(field requests) / $(field failed_on_purpose) / $(field ok) / $(field duplicates) |"
  echo "| attempts logged by the server (no answer: receiver down) / most attempts of one event | $attempts ($refused) / $max_attempts |"
  echo "| bad signatures | $(field bad_signatures) |"
  echo "| all delivered, after the last tile was acknowledged | $([ -n "$DRAIN" ] && echo "$DRAIN ms" || echo "not within $drain_limit s") |"
  echo "| ingestion, tiles/s (p99): webhooks off / events recorded, not sent / on | $off_rate ($off_p99 ms) / $outbox_rate ($outbox_p99 ms) / $on_rate ($on_p99 ms) |"
  echo "| … vs webhooks off | 100% / $(( outbox_rate * 100 / off_rate ))% / $(( on_rate * 100 / off_rate ))% |"
  echo "| … first half / second half of the tiles, off; on (receiver up / killed at half for $outage s) | $off_halves; $on_halves |"
  echo "| server CPU per tile during the ingestion: off / recorded, not sent / on | $(per_tile "$off_cpu") / $(per_tile "$outbox_cpu") / $(per_tile "$on_cpu") |"
  echo "| CPU seconds during the ingestion, on (same 2 cores): server / loader / receiver | $on_cpu / $on_loader_cpu / $RECEIVER_CPU |"
  echo "| server CPU seconds from the last tile until all delivered | ${DRAIN_CPU:-?} |"
  echo "| events recorded in the run without dispatcher (delivery rows vs tiles stored) | $outbox_events vs $outbox_stored |"
  echo "| server warnings/errors logged (run on) | $warnings |"
} | tee -a "$out"

ok=1
[ "$(field distinct_events)" = "$emitted" ] && [ "$lost" = 0 ] && [ "$emitted" = "$on_stored" ] && [ "$on_stored" -ge "$on_acknowledged" ] \
  && [ "$dead" = 0 ] && [ "$(field bad_signatures)" = 0 ] && [ "$outbox_events" = "$outbox_stored" ] || ok=0
if [ "$ok" = 1 ]; then
  echo "== every event emitted was received: 100% delivered, none lost" | tee -a "$out"
else
  echo "== NOT ALL DELIVERED: see the table, $RESULTS/webhooks-server-on-$provider.log and $receiver_log" | tee -a "$out"
  exit 1
fi
