#!/usr/bin/env bash
# Email ingest benchmark: N generated messages (bench/gen_mail.py) into a fresh database.
#   bench/mail.sh sqlite|postgres [N=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
n=${2:-10000}
mkdir -p bench/.data
python3 bench/gen_mail.py "$n" bench/.data/mail.mbox
cargo build --release -q -p ferrodesk
bin=target/release/ferrodesk
case "$backend" in
  sqlite) rm -rf bench/.data/mail-sqlite; db="sqlite://$PWD/bench/.data/mail-sqlite/ferrodesk.db" ;;
  postgres)
    pg=${PG_URL:-postgres://postgres@127.0.0.1:5432}
    psql "$pg/postgres" -qc 'DROP DATABASE IF EXISTS ferrodesk_mail_bench WITH (FORCE)'
    psql "$pg/postgres" -qc 'CREATE DATABASE ferrodesk_mail_bench'
    db="$pg/ferrodesk_mail_bench" ;;
  *) echo "usage: $0 sqlite|postgres [N]" >&2; exit 2 ;;
esac
"$bin" --database "$db" migrate >/dev/null
/usr/bin/time -f "wall %e s, max RSS %M KiB" "$bin" --database "$db" mail ingest bench/.data/mail.mbox
