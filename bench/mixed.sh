#!/usr/bin/env bash
# Mixed-token load: the quickstart in release mode on loopback under wrk, every request
# carrying a different kind of token in turn (valid, expired, tampered, a refresh token on an
# access route, garbage, alg none, a 10 KB token, none at all). Checks that every answer has
# the status Flask-JWT-Extended gives for its token (no 5xx, nothing unexpected), and samples
# the server's resident memory during the run, which must stay flat.
#
#   bash bench/mixed.sh                 # 60 s
#   DURATION=10 bash bench/mixed.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SECRET=a-benchmark-secret-that-is-at-least-32-bytes-long
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

cargo build --release -q -p quickstart
port=$(free_port)
ROCKET_PROFILE=release ROCKET_PORT=$port ROCKET_LOG_LEVEL=off ROCKET_JWT_SECRET_KEY=$SECRET \
  target/release/quickstart >/dev/null 2>&1 &
server=$!
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/public" && break; sleep 0.1; done

# The tokens, minted with the standard library only, and the wrk script that sends them.
python3 - "$SECRET" "$CONNECTIONS" >"$work/mixed.lua" <<'PY'
import base64, hashlib, hmac, json, sys, time, uuid

secret = sys.argv[1].encode()
b64 = lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

def token(claims, header=None, key=secret):
    header = header or {"alg": "HS256", "typ": "JWT"}
    head = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    signature = hmac.new(key, head.encode(), hashlib.sha256).digest()
    return head + "." + b64(signature)

now = int(time.time())
def claims(**changes):
    base = {"fresh": False, "iat": now, "jti": str(uuid.uuid4()), "type": "access",
            "sub": "test", "nbf": now, "csrf": str(uuid.uuid4()), "exp": now + 3600}
    base.update(changes)
    return base

valid = token(claims())
cases = [
    ("valid", "Bearer " + valid, 200),
    ("expired", "Bearer " + token(claims(exp=now - 60)), 401),
    ("tampered", "Bearer " + valid[:-4] + ("AAAA" if not valid.endswith("AAAA") else "BBBB"), 422),
    ("refresh on access route", "Bearer " + token(claims(type="refresh")), 422),
    ("garbage", "Bearer not.a.jwt", 422),
    ("alg none", "Bearer " + b64(b'{"alg":"none"}') + "." + b64(json.dumps(claims()).encode()) + ".", 422),
    ("10 KB token", "Bearer " + token(claims(pad="x" * 10000)), 422),
    ("no token", None, 401),
]
print(f"IN_FLIGHT = {int(sys.argv[2])}")
print("cases = {")
for name, header, status in cases:
    value = "nil" if header is None else json.dumps(header)
    print(f"  {{ name = {json.dumps(name)}, header = {value}, status = {status} }},")
print("}")
print('''
-- wrk answers many connections per thread, so a response cannot be matched to its request;
-- each case is sent equally often in turn, so the answers per status must match what was
-- sent per expected status (up to the requests still in flight when the run stops).
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  index, sent, received = 0, {}, {}
end
function request()
  index = index % #cases + 1
  local case = cases[index]
  sent[case.status] = (sent[case.status] or 0) + 1
  local headers = {}
  if case.header then headers["Authorization"] = case.header end
  return wrk.format("GET", "/protected", headers)
end
function response(status, headers, body)
  received[status] = (received[status] or 0) + 1
end
function done(summary, latency, requests)
  local total_sent, total_received = {}, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("sent")) do
      total_sent[status] = (total_sent[status] or 0) + count
    end
    for status, count in pairs(thread:get("received")) do
      total_received[status] = (total_received[status] or 0) + count
    end
  end
  local unexpected = 0
  for status, count in pairs(total_received) do
    local expected = total_sent[status] or 0
    io.write(string.format("status %d: %d (sent expecting it: %d)\\n", status, count, expected))
    if math.abs(count - expected) > IN_FLIGHT then unexpected = unexpected + math.abs(count - expected) end
  end
  for status, count in pairs(total_sent) do
    if not total_received[status] then unexpected = unexpected + count end
  end
  io.write(string.format("unexpected: %d\\n", unexpected))
end
''')
PY

start_rss=$(rss_kib $server)
samples=()
( for _ in $(seq 1 $((DURATION / 5))); do sleep 5; rss_kib $server; done ) >"$work/rss" &
sampler=$!
out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/mixed.lua" "http://127.0.0.1:$port")
wait $sampler || true
mapfile -t samples <"$work/rss"
end_rss=$(rss_kib $server)

echo "$out" | grep -E '^(Requests/sec|status|unexpected)|^ +99%'
printf 'resident memory (KiB): start %s, every 5 s: %s, end %s\n' "$start_rss" "${samples[*]}" "$end_rss"
unexpected=$(awk '/^unexpected:/ {print $2}' <<<"$out")
fivexx=$(awk '/^status 5/ {s += $3} END {print s + 0}' <<<"$out")
errors=$(awk '/Socket errors/ {print}' <<<"$out")
[ -z "$errors" ] || echo "$errors"
if [ "$unexpected" != 0 ] || [ "$fivexx" != 0 ]; then
  echo "FAILED: $unexpected answers with an unexpected status, $fivexx 5xx" >&2
  exit 1
fi
echo "ok: every answer had its token's status, no 5xx"
