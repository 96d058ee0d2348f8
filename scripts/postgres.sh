#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages if needed, starts the local cluster, and makes sure
# the role the tests and benchmarks use exists (tessera / tessera, may create databases).
# Usage: scripts/postgres.sh [start|stop]   Prints the connection string on success.
set -euo pipefail

ROLE=tessera
PASSWORD=tessera
PORT=${TESSERA_PG_PORT:-5432}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "installing PostgreSQL from Debian packages…" >&2
  as_root apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >&2
fi

version=$(ls /etc/postgresql | sort -V | tail -n 1)
if [ -z "$version" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  as_root pg_createcluster "$version" main --port "$PORT" >&2
fi

case "${1:-start}" in
  stop)
    as_root pg_ctlcluster "$version" main stop || true
    exit 0
    ;;
  start) ;;
  *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac

if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online" { found = 1 } END { exit !found }'; then
  as_root pg_ctlcluster "$version" main start >&2
fi

for _ in $(seq 1 50); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.2
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || { echo "PostgreSQL did not start" >&2; exit 1; }

psql_admin() { as_root su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -qtAc \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
  psql_admin "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'" >&2
fi

echo "Host=127.0.0.1;Port=$PORT;Username=$ROLE;Password=$PASSWORD"
