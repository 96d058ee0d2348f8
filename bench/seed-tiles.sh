#!/usr/bin/env bash
# Loads N tiles (default 1,000,000) with realistic tags into a fresh benchmark database, in bulk SQL
# (not through HTTP): 100 tags, 10 of them "hot"; 0–2 tags per tile; 85% published, 10% queued,
# 5% disabled; a mix of networks and media; one tile every 30 s going back in time.
# Usage: bench/seed-tiles.sh [sqlite|postgres] [N]
# Prints KEY=VALUE lines (TOKEN, STACK, TAG_FIRST) for the calling script and leaves the server stopped.
source "$(dirname "$0")/lib.sh"
provider=${1:-sqlite}
count=${2:-1000000}
port=5093

build_server
use_database "$provider" tessera_bench_tiles
created=$(tessera stack create bench --json)
token=$(echo "$created" | json_field access_token)
stack_id=$(echo "$created" | json_field stack_id)

# 100 tags through the API (the one place tags are made), then the tiles in bulk.
start_server "$port"
wait_for_200 "http://127.0.0.1:$port/api/tags?access_token=$token&stack=bench" "$(date +%s%N)" >/dev/null
first_tag=
for i in $(seq 1 100); do
  id=$(curl -s -X POST "http://127.0.0.1:$port/api/tags?access_token=$token&stack=bench" --data "tag=Bench+tag+$i&type=content" | json_field id | head -1)
  first_tag=${first_tag:-$id}
done
stop_server

now=$(date +%s)
if [ "$provider" = postgres ]; then
  series="SELECT i FROM generate_series(1, $count) AS s(i)"
  hex="lpad(to_hex($now - ($count - i) * 30), 8, '0') || lpad(to_hex(i), 16, '0')"
else
  series="WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $count) SELECT i FROM s"
  hex="printf('%08x%016x', $now - ($count - i) * 30, i)"
fi

# h is a multiplicative hash of the row number: deterministic, evenly spread choices on both databases.
sql=$(cat <<SQL
INSERT INTO tiles ("Seq", "ObjectId", "StackId", "TermId", "Source", "SourceId", "SourceUniqueId", "Guid", "StaFeedId",
  "Media", "Status", "Message", "Name", "User", "Avatar", "Title", "Html", "ShareText", "OriginalUrl",
  "ImageUrl", "ImageWidth", "ImageHeight", "ImageSmallUrl", "ImageSmallWidth", "ImageSmallHeight",
  "ImageMediumUrl", "ImageMediumWidth", "ImageMediumHeight", "ImageLargeUrl", "ImageLargeWidth", "ImageLargeHeight",
  "VideoUrl", "WidthRatio", "HeightRatio", "Latitude", "Longitude", "Anonymous", "Claimed", "Score", "Votes", "RandomKey",
  "CustomFieldsJson", "ExternalDataJson", "CreatedAt", "UpdatedAt", "SourceCreatedAt")
SELECT i, $hex, $stack_id, NULL, src, 'bench-' || i, src || ':bench-' || i, 'bench-' || i,
  CASE WHEN src = 'sta_feed' THEN 'bench-' || i END,
  media, status,
  'Loving the new summer collection, tile ' || i || '! Perfect fit and great colours #summer #bench #ugc',
  'Fan ' || (i % 5000), 'fan' || (i % 5000), 'https://cdn.example.com/avatars/' || (i % 5000) || '.jpg', '', '', '',
  'https://social.example.com/p/' || i,
  'https://cdn.example.com/tiles/' || i || '.jpg', 1080, 1350,
  'https://cdn.example.com/tiles/' || i || '_s.jpg', 300, 375,
  'https://cdn.example.com/tiles/' || i || '_m.jpg', 600, 750,
  'https://cdn.example.com/tiles/' || i || '_l.jpg', 1080, 1350,
  CASE WHEN media = 'video' THEN 'https://cdn.example.com/tiles/' || i || '.mp4' END, NULL, NULL, NULL, NULL,
  FALSE, FALSE, (h % 1000) / 10.0, h % 50, h % 2147483647,
  '{}', '{}', $now - ($count - i) * 30, $now - ($count - i) * 30, $now - ($count - i) * 30
FROM (
  SELECT i, h,
    CASE WHEN h % 100 < 85 THEN 1 WHEN h % 100 < 95 THEN 2 ELSE 3 END AS status,
    CASE (h / 100) % 10 WHEN 0 THEN 'twitter' WHEN 1 THEN 'twitter' WHEN 2 THEN 'sta_feed' WHEN 3 THEN 'rss' ELSE 'instagram' END AS src,
    CASE WHEN (h / 1000) % 20 < 14 THEN 'image' WHEN (h / 1000) % 20 < 17 THEN 'video' ELSE 'text' END AS media
  FROM (SELECT i, (i * 2654435761) % 4294967296 AS h FROM ($series) AS n) AS hashed
) AS rows;

-- First tag slot on 70% of tiles, second on 30%; half the picks go to the 10 hot tags.
INSERT INTO tile_tags ("TileSeq", "TagId", "Position", "Status", "SourceCreatedAt")
SELECT "Seq", $first_tag + CASE WHEN h % 2 = 0 THEN (h / 2) % 10 ELSE 10 + (h / 2) % 90 END, 0, "Status", "SourceCreatedAt"
FROM (SELECT "Seq", "Status", "SourceCreatedAt", ("Seq" * 2246822519) % 4294967296 AS h FROM tiles WHERE "StackId" = $stack_id) AS t
WHERE (h / 1000) % 10 < 7
ON CONFLICT DO NOTHING;
INSERT INTO tile_tags ("TileSeq", "TagId", "Position", "Status", "SourceCreatedAt")
SELECT "Seq", $first_tag + CASE WHEN h % 2 = 0 THEN (h / 2) % 10 ELSE 10 + (h / 2) % 90 END, 1, "Status", "SourceCreatedAt"
FROM (SELECT "Seq", "Status", "SourceCreatedAt", ("Seq" * 3266489917) % 4294967296 AS h FROM tiles WHERE "StackId" = $stack_id) AS t
WHERE (h / 1000) % 10 < 3
ON CONFLICT DO NOTHING;
SQL
)

t0=$(date +%s)
if [ "$provider" = postgres ]; then
  psql_url="postgresql://tessera:tessera@127.0.0.1:5432/tessera_bench_tiles"
  { echo "BEGIN;"; echo "$sql"; echo "COMMIT; VACUUM ANALYZE tiles; VACUUM ANALYZE tile_tags;"; } | psql -q -v ON_ERROR_STOP=1 "$psql_url" >&2
else
  { echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000; BEGIN;"; echo "$sql"; echo "COMMIT; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);"; } \
    | sqlite3 -bail "$RESULTS/tessera_bench_tiles.db" >/dev/null
fi
echo "seeded $count tiles on $provider in $(( $(date +%s) - t0 )) s" >&2
echo "TOKEN=$token"
echo "STACK=bench"
echo "TAG_FIRST=$first_tag"
echo "COUNT=$count"
