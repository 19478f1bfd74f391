#!/usr/bin/env bash
# SLA recompute benchmark: rebuild the deadlines of every open ticket, as after a policy change.
#   bench/sla.sh sqlite|postgres [TICKETS=250000]
# Seeds a fresh database (about 40% of seeded tickets are open, so 250,000 gives ≥100,000 open),
# then runs `ferrodesk sla recompute` and prints the count, time and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
tickets=${2:-250000}
work=bench/.data
mkdir -p "$work"
cargo build --release -q -p ferrodesk
bin=target/release/ferrodesk
case "$backend" in
  sqlite)
    rm -rf "$work/sla-sqlite"
    db="sqlite://$PWD/$work/sla-sqlite/ferrodesk.db"
    ;;
  postgres)
    pg=${PG_URL:-postgres://postgres@127.0.0.1:5432}
    psql "$pg/postgres" -qc 'DROP DATABASE IF EXISTS ferrodesk_sla_bench WITH (FORCE)'
    psql "$pg/postgres" -qc 'CREATE DATABASE ferrodesk_sla_bench'
    db="$pg/ferrodesk_sla_bench"
    ;;
  *) echo "usage: $0 sqlite|postgres [TICKETS]" >&2; exit 2 ;;
esac
"$bin" --database "$db" seed --tickets "$tickets" 2>&1 | tail -n 1
# Seeded tickets carry no SLA state, so the first pass gives every open ticket its policy and
# deadlines: the same work as a policy change that touches them all.
/usr/bin/time -f "wall %e s, max RSS %M KiB (whole process)" "$bin" --database "$db" sla recompute
