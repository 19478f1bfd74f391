#!/usr/bin/env bash
# The SMTP listener under load: N generated messages (bench/gen_mail.py) sent to
# `ferrodesk serve --mail-listen` over C connections; reports the accept rate (250 only after the
# message is durably spooled) and how long until every message is a ticket message.
#   bench/smtp.sh sqlite|postgres [N=10000] [C=4]
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
n=${2:-10000}
conns=${3:-4}
mkdir -p bench/.data
python3 bench/gen_mail.py "$n" bench/.data/smtp.mbox
cargo build --release -q -p ferrodesk
bin=$PWD/target/release/ferrodesk
data=bench/.data/smtp-$backend
rm -rf "$data"; mkdir -p "$data"
case "$backend" in
  sqlite) db="sqlite://$PWD/$data/ferrodesk.db"
          count() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT COUNT(*) FROM mail_spool WHERE state <> 'pending'\").fetchone()[0])" "$data/ferrodesk.db"; } ;;
  postgres)
    pg=${PG_URL:-postgres://postgres@127.0.0.1:5432}
    psql "$pg/postgres" -qc 'DROP DATABASE IF EXISTS ferrodesk_smtp_bench WITH (FORCE)'
    psql "$pg/postgres" -qc 'CREATE DATABASE ferrodesk_smtp_bench'
    db="$pg/ferrodesk_smtp_bench"
    count() { psql "$db" -tAc "SELECT COUNT(*) FROM mail_spool WHERE state <> 'pending'"; } ;;
  *) echo "usage: $0 sqlite|postgres [N] [C]" >&2; exit 2 ;;
esac
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http=$(free_port); smtp=$(free_port)
"$bin" --database "$db" --data "$data" migrate >/dev/null
"$bin" --database "$db" --data "$data" admin create-agent --email bench@example.org --name Bench --password bench-password --role admin >/dev/null
token=$("$bin" --database "$db" --data "$data" admin create-token --email bench@example.org)
FERRODESK_LOG=warn "$bin" --database "$db" --data "$data" serve --bind "127.0.0.1:$http" --mail-listen "127.0.0.1:$smtp" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$http/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS -H "Authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"address":"support@example.com","display_name":"Support","smtp_host":"127.0.0.1","smtp_port":9,"smtp_security":"none"}' \
  "http://127.0.0.1:$http/api/v1/mailboxes" >/dev/null
start=$(date +%s.%N)
python3 bench/smtp_send.py bench/.data/smtp.mbox "127.0.0.1:$smtp" support@example.com "$conns"
until [ "$(count)" -ge "$n" ]; do sleep 0.2; done
end=$(date +%s.%N)
python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'all {sys.argv[3]} stored as ticket messages {s:.1f}s after the first was sent: {int(sys.argv[3])/s:.0f} msg/s end to end')" "$start" "$end" "$n"
