#!/usr/bin/env bash
# API load benchmark: ticket create, get and list at 1, 16 and 64 concurrent clients against a
# database seeded with N tickets. Usage:
#   bench/run.sh sqlite   [TICKETS=1000000] [SECONDS=10]
#   bench/run.sh postgres [TICKETS=1000000] [SECONDS=10]   # postgres://postgres@127.0.0.1:5432
# The seeded database is kept under bench/.data (SQLite) or in ferrodesk_bench (PostgreSQL) and
# reused by later runs; delete it (or set FRESH=1) to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
tickets=${2:-1000000}
secs=${3:-10}
port=${PORT:-18080}
work=bench/.data
mkdir -p "$work"

cargo build --release -q -p ferrodesk -p ferrodesk-loadgen
bin=target/release/ferrodesk
load=target/release/ferrodesk-loadgen

case "$backend" in
  sqlite)
    db="sqlite://$PWD/$work/sqlite/ferrodesk.db"
    [ "${FRESH:-0}" = 1 ] && rm -rf "$work/sqlite" "$work/sqlite.seeded"
    ;;
  postgres)
    pg=${PG_URL:-postgres://postgres@127.0.0.1:5432}
    db="$pg/ferrodesk_bench"
    if [ "${FRESH:-0}" = 1 ]; then
      psql "$pg/postgres" -qc 'DROP DATABASE IF EXISTS ferrodesk_bench WITH (FORCE)'
      rm -f "$work/postgres.seeded"
    fi
    psql "$pg/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = 'ferrodesk_bench'" | grep -q 1 \
      || psql "$pg/postgres" -qc 'CREATE DATABASE ferrodesk_bench'
    ;;
  *) echo "usage: $0 sqlite|postgres [TICKETS] [SECONDS]" >&2; exit 2 ;;
esac

seeded=$(cat "$work/$backend.seeded" 2>/dev/null || echo 0)
if [ "$seeded" -lt "$tickets" ]; then
  echo "seeding $((tickets - seeded)) tickets into $backend…" >&2
  /usr/bin/time -f "seed: %e s, peak RSS %M KiB" "$bin" --database "$db" seed --tickets $((tickets - seeded)) --seed "$seeded"
  echo "$tickets" > "$work/$backend.seeded"
fi

"$bin" --database "$db" admin create-agent --email bench@example.com --name Bench --password bench-password --role admin >/dev/null 2>&1
token=$("$bin" --database "$db" admin create-token --email bench@example.com --name bench)

# Build the node's search index before serving, so the measurement does not include the
# follower's first full build (it still indexes what the benchmark creates, as in production).
data="$work/$backend-node"
FERRODESK_LOG=warn "$bin" --database "$db" --data "$data" reindex >/dev/null 2>&1

FERRODESK_LOG=warn "$bin" --database "$db" --data "$data" serve --bind "127.0.0.1:$port" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

echo "| backend | scenario | clients | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |"
echo "|---|---|---|---|---|---|---|---|---|"
for scenario in get list create; do
  for clients in 1 16 64; do
    "$load" --url "http://127.0.0.1:$port" --token "$token" --scenario "$scenario" \
      --concurrency "$clients" --seconds "$secs" --label "$backend ($tickets tickets)"
  done
done
