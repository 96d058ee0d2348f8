#!/usr/bin/env bash
# Replays the Stackla PHP SDK's TagTest flow (reference §3.1) with curl against a running server,
# with the SDK's exact encodings. Usage: scripts/replay-tagtest.sh BASE_URL STACK TOKEN
set -euo pipefail
base=${1:?base url, e.g. http://127.0.0.1:5080}; stack=${2:?stack}; token=${3:?token}
A="access_token=$token&stack=$stack"
u=$(printf '%013x' "$(date +%s%N | cut -c1-13)")
fail() { echo "FAIL: $*" >&2; exit 1; }
field() { sed -nE "s/.*\"$1\":\"?([^\",}]*)\"?.*/\1/p" | head -n 1; }
status() { curl -s -o /tmp/replay-body -w '%{http_code}' "$@"; }

# testCreate: form body, auth first in the query.
[ "$(status -X POST "$base/api/tags?$A" --data "tag=Test+tag+$u&slug=Test+tag+slug+$u&type=content&custom_url=http%3A%2F%2Fstackla.com%2F&publicly_visible=1")" = 200 ] || fail "create: $(cat /tmp/replay-body)"
id=$(field id </tmp/replay-body); created=$(field created_at </tmp/replay-body)
[ "${id:-0}" -gt 0 ] && [ "${created:-0}" -gt 0 ] || fail "create: id/created_at"
[ "$(status "$base/api/tags/$id?$A")" = 200 ] || fail "get after create"
grep -q "\"slug\":\"Test tag slug $u\"" /tmp/replay-body || fail "slug not read back verbatim"
echo "testCreate ok (id $id)"

# testFetch
[ "$(status "$base/api/tags?$A&limit=25&page=1")" = 200 ] && grep -q '"id":' /tmp/replay-body || fail "fetch"
echo "testFetch ok"

# testFetchById
[ "$(status "$base/api/tags/$id?$A")" = 200 ] && [ "$(field id </tmp/replay-body)" = "$id" ] || fail "fetch by id"
echo "testFetchById ok"

# testUpdate: PUT with the data only in the query string.
[ "$(status -X PUT "$base/api/tags/$id?$A&tag=Test+tag+$u+-+Edited")" = 200 ] || fail "update"
status "$base/api/tags/$id?$A" >/dev/null; grep -q "\"tag\":\"Test tag $u - Edited\"" /tmp/replay-body || fail "edited name"
echo "testUpdate ok"

# testRemove: DELETE → 200 with errors []; then GET → 404 with errors.
[ "$(status -X DELETE "$base/api/tags/$id?$A")" = 200 ] && grep -q '"errors":\[\]' /tmp/replay-body || fail "delete"
[ "$(status "$base/api/tags/$id?$A")" = 404 ] && grep -q '"error_code":1070404' /tmp/replay-body || fail "get after delete"
echo "testRemove ok"
echo "TagTest flow: all 5 steps passed"
