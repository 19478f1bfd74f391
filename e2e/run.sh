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

# Portal sign-up mails a link that proves the address: the demo sends it through the local
# Postfix, which hands it to Dovecot; the tests read it from the Maildir and follow it.
if [[ "${FERRODESK_TEST_MAIL:-}" != *dir=* ]]; then
  echo "starting the mail servers (scripts/mailserver.sh)"
  mail_env=$(bash scripts/mailserver.sh start | tail -n1)
  [[ "$mail_env" == FERRODESK_TEST_MAIL=* ]] || { echo "FAIL: the mail servers did not start" >&2; exit 1; }
  export "$mail_env"
  STARTED_MAIL=1
fi
MAIL_SMTP=$(sed -E 's/.*smtp=([^,]+).*/\1/' <<<"$FERRODESK_TEST_MAIL")
MAIL_DIR=$(sed -E 's/.*dir=([^,]+).*/\1/' <<<"$FERRODESK_TEST_MAIL")

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
  if [ -n "${STARTED_MAIL:-}" ]; then bash scripts/mailserver.sh stop >/dev/null 2>&1 || true; fi
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

TOKEN=$("$BIN" admin create-token --email admin@example.com --data "$DATA/data")
curl -fsS -X POST "$URL/api/v1/mailboxes" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"address\":\"support@example.test\",\"display_name\":\"Demo support\",\"smtp_host\":\"${MAIL_SMTP%:*}\",\"smtp_port\":${MAIL_SMTP#*:},\"smtp_security\":\"none\"}" >/dev/null \
  || { echo "FAIL: could not add the sending mailbox to the demo" >&2; cat "$LOG" >&2; exit 1; }

mkdir -p e2e/screenshots
set +e
FERRODESK_MAIL_DIR="$MAIL_DIR" FERRODESK_URL="$URL" CHROMIUM="$CHROMIUM" node --test --test-concurrency=1 --test-reporter=spec e2e/tests/
STATUS=$?
set -e
if [ "$STATUS" -ne 0 ]; then
  echo "--- server log (tail) ---"; tail -n 40 "$LOG"
fi
echo "screenshots: $(ls e2e/screenshots | wc -l) files in e2e/screenshots/"
exit "$STATUS"
