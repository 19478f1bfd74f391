#!/usr/bin/env bash
# Search benchmark: rebuilds the search index of a database seeded with N tickets
# (`ferrodesk reindex`, which prints its throughput) and measures query latency over it
# (`ferrodesk search-bench`: a few hundred queries of 1–3 support words in English and Russian,
# some misspelt, some quoted phrases, half as an admin and half as a team-scoped agent, a third
# limited to tickets; snippets included). Usage:
#   bench/search.sh [TICKETS=1000000] [QUERIES=500]
# The SQLite database lives in bench/.data/search (seeded on first use, or copy a seeded
# ferrodesk.db there); the index goes to bench/.data/search/search-index.
set -euo pipefail
cd "$(dirname "$0")/.."
tickets=${1:-1000000}
queries=${2:-500}
work=bench/.data/search
mkdir -p "$work"
target=${CARGO_TARGET_DIR:-target}

cargo build --release -q -p ferrodesk
bin=$target/release/ferrodesk
db="sqlite://$PWD/$work/ferrodesk.db"
run() { "$bin" --database "$db" --data "$work" "$@"; }

have=$(sqlite3 "$work/ferrodesk.db" 'SELECT COUNT(*) FROM tickets' 2>/dev/null || echo 0)
if [ "$have" -lt "$tickets" ]; then
  run seed --tickets $((tickets - have))
fi
run migrate
echo "== reindex ($(sqlite3 "$work/ferrodesk.db" 'SELECT COUNT(*) FROM tickets') tickets)"
/usr/bin/time -f "peak RSS %M KiB, %e s" "$bin" --database "$db" --data "$work" reindex
du -sh "$work/search-index"
echo "== queries"
run search-bench --queries "$queries"
