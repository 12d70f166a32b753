#!/usr/bin/env bash
# A burst of concurrent logins against the quickstart in release mode: how many are checked,
# how many are told to come back (503, Retry-After), and the server's resident memory before,
# at its peak during the burst, and after. Each login checks an Argon2id hash (19 MiB).
#
#   bash bench/login-burst.sh              # 200 logins at once
#   LOGINS=500 bash bench/login-burst.sh
#   BIN=path/to/quickstart bash bench/login-burst.sh   # another build of the quickstart
#   WORKERS=2 bash bench/login-burst.sh               # Rocket worker threads (default 64)
set -euo pipefail
cd "$(dirname "$0")/.."

LOGINS=${LOGINS:-200}
SECRET=a-benchmark-secret-that-is-at-least-32-bytes-long

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

if [ -z "${BIN:-}" ]; then
  cargo build --release -q -p quickstart
  BIN=target/release/quickstart
fi
port=$(free_port)
ROCKET_PROFILE=release ROCKET_PORT=$port ROCKET_LOG_LEVEL=off ROCKET_JWT_SECRET_KEY=$SECRET \
  ROCKET_WORKERS=${WORKERS:-64} "$BIN" >/dev/null 2>&1 &
server=$!
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/public" && break; sleep 0.1; done

before=$(rss_kib "$server")
# Sample the resident memory while the burst runs.
( peak=0; while kill -0 "$server" 2>/dev/null && [ ! -e "$work/done" ]; do
    rss=$(rss_kib "$server"); [ "$rss" -gt "$peak" ] && peak=$rss; echo "$peak" >"$work/peak"
    sleep 0.05
  done ) &
sampler=$!

python3 - "$port" "$LOGINS" >"$work/statuses" <<'PY'
import http.client, json, sys, threading

port, logins = int(sys.argv[1]), int(sys.argv[2])
body = json.dumps({"username": "test", "password": "wrong"})
barrier = threading.Barrier(logins)
statuses = []

def login():
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.connect()
    barrier.wait()
    connection.request("POST", "/login", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    statuses.append((response.status, response.getheader("Retry-After")))
    response.read()

threads = [threading.Thread(target=login) for _ in range(logins)]
for thread in threads: thread.start()
for thread in threads: thread.join()
for status, retry in statuses: print(status, retry)
PY
touch "$work/done"; wait "$sampler" 2>/dev/null || true
sleep 1
after=$(rss_kib "$server")
peak=$(cat "$work/peak")

echo "logins at once:        $LOGINS"
echo "answers:               $(sort "$work/statuses" | uniq -c | awk '{printf "%s x %s (Retry-After %s)  ", $1, $2, $3}')"
echo "resident before:       $((before / 1024)) MiB"
echo "resident at peak:      $((peak / 1024)) MiB"
echo "resident 1 s after:    $((after / 1024)) MiB"
