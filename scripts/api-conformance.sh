#!/usr/bin/env bash
# API conformance: schemathesis generates requests from /api/v1/openapi.json and checks every
# answer: no server error, the status code documented, the body matching its schema, the
# content type declared. Runs `ferrodesk serve` on a fresh SQLite database with an admin token.
#   scripts/api-conformance.sh [MAX_EXAMPLES=10]
set -euo pipefail
cd "$(dirname "$0")/.."
max=${1:-10}
if ! command -v st >/dev/null 2>&1; then
  echo "installing schemathesis (pip)" >&2
  python3 -m pip install -q schemathesis >/dev/null 2>&1 || { echo "FAIL: pip install schemathesis" >&2; exit 1; }
  hash -r
fi
command -v st >/dev/null 2>&1 || { echo "FAIL: schemathesis (st) is not on PATH after installing" >&2; exit 1; }
cargo build -q -p ferrodesk
bin=target/debug/ferrodesk
work=$(mktemp -d /tmp/ferrodesk-conformance.XXXXXX)
db="sqlite://$work/ferrodesk.db"
"$bin" --database "$db" migrate >/dev/null
"$bin" --database "$db" admin create-agent --email conformance@example.com --name Conformance \
  --password conformance-password --role admin >/dev/null
token=$("$bin" --database "$db" admin create-token --email conformance@example.com --name conformance)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
FERRODESK_LOG=warn "$bin" --database "$db" --data "$work" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
# schemathesis keeps a cache in its working directory: the throw-away one, not the checkout.
cd "$work"
st run "http://127.0.0.1:$port/api/v1/openapi.json" \
  -H "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$max" --workers 2 --seed 20261204 --no-color
