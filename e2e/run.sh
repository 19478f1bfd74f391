#!/usr/bin/env bash
# Browser tests: builds ferrodesk, starts `ferrodesk demo` on a free port with a fresh data
# directory, runs the Playwright scenarios (node --test) against Debian's Chromium, saves
# screenshots under e2e/screenshots/, and stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "FAIL: no Chromium at $CHROMIUM (install it: apt-get install -y chromium, or set CHROMIUM=)" >&2
  exit 1
fi
if [ ! -d e2e/node_modules/playwright-core ]; then
  echo "installing e2e dependencies (npm ci)"
  (cd e2e && npm ci --no-audit --no-fund)
fi

echo "building ferrodesk"
cargo build --bin ferrodesk
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/ferrodesk"

PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
DATA=$(mktemp -d -t ferrodesk-e2e-XXXXXX)
LOG="$DATA/server.log"
"$BIN" demo --bind "127.0.0.1:$PORT" --data "$DATA/data" >"$LOG" 2>&1 &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

URL="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
  if curl -fsS "$URL/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then
    echo "FAIL: ferrodesk demo exited:" >&2; cat "$LOG" >&2; exit 1
  fi
  sleep 0.5
done
curl -fsS "$URL/healthz" >/dev/null || { echo "FAIL: server did not come up" >&2; cat "$LOG" >&2; exit 1; }
echo "ferrodesk demo at $URL"

mkdir -p e2e/screenshots
set +e
FERRODESK_URL="$URL" CHROMIUM="$CHROMIUM" node --test --test-concurrency=1 --test-reporter=spec e2e/tests/
STATUS=$?
set -e
if [ "$STATUS" -ne 0 ]; then
  echo "--- server log (tail) ---"; tail -n 40 "$LOG"
fi
echo "screenshots: $(ls e2e/screenshots | wc -l) files in e2e/screenshots/"
exit "$STATUS"
