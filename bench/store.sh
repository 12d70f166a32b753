#!/usr/bin/env bash
# The revocation store under load: examples/revocation in release on loopback, `GET /protected`
# under wrk (64 connections) with the in-memory store, with Redis and its near-cache (the
# default), and with Redis and the near-cache off, in ROUNDS interleaved rounds against one
# local redis-server. Prints each's median requests/s and p99, the per-round ratios to memory,
# then the propagation time of a logout from one instance to a second one on the same Redis
# (from the logout's answer to the first 401 on the other instance), over PROPAGATIONS logouts.
#
#   bash bench/store.sh               # 3 rounds of 10 s
#   ROUNDS=5 DURATION=5s bash bench/store.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PROPAGATIONS=${PROPAGATIONS:-200}
SECRET=a-benchmark-secret-that-is-at-least-32-bytes-long
for tool in wrk redis-server curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install wrk redis-server curl python3)" >&2; exit 1; }
done
# shellcheck source=bench/lib.sh
. bench/lib.sh

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
pids+=($!)
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis_url="redis://127.0.0.1:$redis_port/0"

cargo build --release -q -p revocation

start() { # port, then extra environment assignments
  local port=$1; shift
  env ROCKET_PROFILE=release ROCKET_PORT="$port" ROCKET_LOG_LEVEL=off ROCKET_JWT_SECRET_KEY=$SECRET "$@" \
    target/release/revocation >/dev/null 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/login" 2>/dev/null || true
}

memory=$(free_port) near=$(free_port) direct=$(free_port) second=$(free_port)
start "$memory"
start "$near" ROCKET_JWT_REDIS_URL="$redis_url"
start "$direct" ROCKET_JWT_REDIS_URL="$redis_url" ROCKET_JWT_REDIS_NEAR_CACHE_SIZE=0
start "$second" ROCKET_JWT_REDIS_URL="$redis_url"
for port in "$memory" "$near" "$direct" "$second"; do
  for _ in $(seq 1 100); do token_from "http://127.0.0.1:$port" >/dev/null 2>&1 && break; sleep 0.1; done
done

memory_rows=() near_rows=() direct_rows=()
for round in $(seq 1 "$ROUNDS"); do
  for kind in memory near direct; do
    load_protected "${!kind}" "${kind}_rows"
  done
  echo "round $round/$ROUNDS: memory ${memory_rows[-1]% *}, Redis + near-cache ${near_rows[-1]% *}, Redis alone ${direct_rows[-1]% *} requests/s" >&2
done

redis_calls() { redis-cli -p "$redis_port" info commandstats | awk -F'[=,:]' '/^cmdstat_mget/ {print $3}'; }

printf '\n%-52s %12s %10s\n' "median of $ROUNDS rounds ($CONNECTIONS connections, $DURATION)" "requests/s" "p99"
read -r rps p99 < <(median "${memory_rows[@]}"); printf '%-52s %12s %10s\n' "GET /protected, in-memory store" "$rps" "$p99"
read -r rps p99 < <(median "${near_rows[@]}"); printf '%-52s %12s %10s\n' "GET /protected, Redis with the near-cache" "$rps" "$p99"
read -r rps p99 < <(median "${direct_rows[@]}"); printf '%-52s %12s %10s\n' "GET /protected, Redis, near-cache off" "$rps" "$p99"
printf '%-52s %s\n' "Redis with the near-cache / memory" "$(ratios near_rows memory_rows)"
printf '%-52s %s\n' "Redis, near-cache off / memory" "$(ratios direct_rows memory_rows)"

# Propagation: log in on one instance, check the token on the other (so that its near-cache
# holds it), log out on the first, then ask the second until it refuses. Persistent
# connections, so that the figure is the push's, not a TCP handshake's.
python3 - "$near" "$second" "$PROPAGATIONS" <<'EOF'
import http.client, json, statistics, sys, time
one_port, other_port, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
one = http.client.HTTPConnection("127.0.0.1", one_port)
other = http.client.HTTPConnection("127.0.0.1", other_port)
def ask(conn, method, path, token=None, body=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()
times, polls = [], []
for _ in range(count):
    status, body = ask(one, "POST", "/login", body={"username": "test", "password": "test"})
    token = json.loads(body)["access_token"]
    for _ in range(2):
        assert ask(other, "GET", "/protected", token)[0] == 200
    assert ask(one, "DELETE", "/logout", token)[0] == 200
    answered = time.perf_counter()
    asked = 0
    while True:
        asked += 1
        status, _ = ask(other, "GET", "/protected", token)
        if status == 401:
            break
        assert status == 200, status
    times.append((time.perf_counter() - answered) * 1000)
    polls.append(asked)
times.sort()
p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
print(f"propagation of a logout to a second instance ({count} logouts): median "
      f"{statistics.median(times):.2f} ms, p99 {p99:.2f} ms, max {times[-1]:.2f} ms; "
      f"answered 200 first in {sum(1 for p in polls if p > 1)} of {count}")
EOF
echo "Redis MGETs run during the benchmark: $(redis_calls)"
