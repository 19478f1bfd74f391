#!/usr/bin/env bash
# Page speed: server time of the agent workspace's queue page and ticket page over a large
# SQLite database (default: the 1,000,000-ticket database of bench/run.sh). Usage:
#   bench/pages.sh [REQUESTS=400] [sqlite|postgres]
# SQLite: bench/.data/pages/ferrodesk.db, copied from $SRC (default
# bench/.data/sqlite/ferrodesk.db) when absent, or seeded with `ferrodesk seed` ($TICKETS).
# PostgreSQL: the database ferrodesk_pages on $PG_URL (default postgres://postgres@127.0.0.1:5432),
# created and seeded with `ferrodesk seed` ($TICKETS, default 1,000,000) when absent.
# Requests are sequential over one keep-alive connection (curl), so the time measured is the
# server's plus a loopback round trip; the first request of each kind warms caches and is dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-400}
backend=${2:-sqlite}
port=${PORT:-18090}
work=bench/.data/pages
src=${SRC:-bench/.data/sqlite/ferrodesk.db}
mkdir -p "$work"

cargo build --release -q -p ferrodesk
bin="${CARGO_TARGET_DIR:-target}/release/ferrodesk"

if [ "$backend" = postgres ]; then
  pg=${PG_URL:-postgres://postgres@127.0.0.1:5432}
  dburl="$pg/ferrodesk_pages"
  if ! psql "$pg/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = 'ferrodesk_pages'" | grep -q 1; then
    psql "$pg/postgres" -qc 'CREATE DATABASE ferrodesk_pages'
    "$bin" --database "$dburl" seed --tickets "${TICKETS:-1000000}"
  fi
  # A freshly bulk-loaded table has no planner statistics and no visibility map (index-only
  # counts then read the heap) until autovacuum gets to it; do its work up front.
  psql "$dburl" -qc 'VACUUM ANALYZE'
  sql() { psql "$dburl" -tAc "$1"; }
  dbflag=(--database "$dburl")
else
  if [ ! -f "$work/ferrodesk.db" ]; then
    if [ -f "$src" ]; then
      echo "copying $src"; cp "$src" "$work/ferrodesk.db"
    else
      "$bin" --data "$work" seed --tickets "${TICKETS:-1000000}"
    fi
  fi
  sql() { python3 -c "import sqlite3,sys;print(sqlite3.connect('file:$work/ferrodesk.db?mode=ro',uri=True).execute(sys.argv[1]).fetchone()[0])" "$1"; }
  dbflag=(--data "$work")
fi

"$bin" "${dbflag[@]}" serve --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 1 600); do curl -fsS "$url/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$url/healthz" >/dev/null

jar() { echo "$work/$1.cookies"; }
# Sign-in is argon2id (deliberately slow); it happens once per agent here.
for who in anna lead; do
  curl -fsS -o /dev/null -c "$(jar $who)" -d "email=$who@example.com&password=ferrodesk-demo" "$url/login"
done
tickets=$(sql 'select count(*) from tickets')
max_id=$(sql 'select max(id) from tickets')
team=$(sql "select m.team_id from team_members m join agents a on a.id = m.agent_id where a.email = 'anna@example.com'")

measure() { # label cookie-owner url-generator
  local label=$1 who=$2; shift 2
  local urls=()
  for i in $(seq 0 "$n"); do urls+=(-o /dev/null "$("$@" "$i")"); done
  local times size
  times=$(curl -s -b "$(jar "$who")" -w '%{http_code} %{time_total}\n' "${urls[@]}")
  size=$(curl -s -b "$(jar "$who")" "${urls[2]}" | wc -c)
  echo "$times" | python3 -c "
import sys
rows=[l.split() for l in sys.stdin]
bad=sum(1 for c,_ in rows if c!='200')
t=sorted(float(x)*1000 for _,x in rows[1:])
p=lambda q:t[min(len(t)-1,int(q*len(t)))]
first=float(rows[0][1])*1000
print(f'| $label | {len(t)} | {p(.5):.2f} | {p(.95):.2f} | {p(.99):.2f} | {t[-1]:.2f} | {first:.1f} | {bad} | {int(sys.argv[1])//1024} KB |')
" "$size"
}
fixed() { echo "$url$1"; }
random_ticket() { echo "$url/tickets/$(( (RANDOM * 32768 + RANDOM) % max_id + 1 ))"; }

echo
echo "$backend, $tickets tickets; $n requests each, sequential, one connection"
echo
echo "| page | requests | p50 ms | p95 ms | p99 ms | max ms | first (cold counts) ms | non-200 | HTML |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
measure "queue: My open (agent)" anna fixed "/?view=mine"
measure "queue: team (agent)" anna fixed "/?view=team-$team"
measure "queue: All (supervisor)" lead fixed "/?view=all"
measure "queue: All, open + high priority (supervisor)" lead fixed "/?view=all&status=open&priority=high"
measure "ticket page (supervisor, random ticket)" lead random_ticket
