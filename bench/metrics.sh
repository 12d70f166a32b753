#!/usr/bin/env bash
# The cost of the `metrics` feature: `GET /protected` under wrk (64 connections) against the
# revocation example built without it and the metrics example (the same app, jwt-ext built with
# `metrics` and a Prometheus recorder installed), both in release on loopback with the
# in-memory store, in ROUNDS interleaved rounds. Prints each's median requests/s and p99 and
# the per-round ratios.
#
#   bash bench/metrics.sh               # 5 rounds of 10 s
#   ROUNDS=3 DURATION=5s bash bench/metrics.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-5}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SECRET=a-benchmark-secret-that-is-at-least-32-bytes-long
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install wrk curl python3)" >&2; exit 1; }
done
# shellcheck source=bench/lib.sh
. bench/lib.sh

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

# Built one at a time, so that the plain app's jwt-ext really has the feature off.
cargo build --release -q -p revocation
cargo build --release -q -p metrics-example

start() { # port, binary
  env ROCKET_PROFILE=release ROCKET_PORT="$1" ROCKET_LOG_LEVEL=off ROCKET_JWT_SECRET_KEY=$SECRET \
    "target/release/$2" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do token_from "http://127.0.0.1:$1" >/dev/null 2>&1 && break; sleep 0.1; done
}

plain=$(free_port) measured=$(free_port)
start "$plain" revocation
start "$measured" metrics-example

plain_rows=() measured_rows=()
for round in $(seq 1 "$ROUNDS"); do
  for kind in plain measured; do
    load_protected "${!kind}" "${kind}_rows"
  done
  echo "round $round/$ROUNDS: feature off ${plain_rows[-1]% *}, metrics on ${measured_rows[-1]% *} requests/s" >&2
done
curl -fs "http://127.0.0.1:$measured/metrics" | grep -q 'jwt_ext_requests_accepted_total{type="access"}' ||
  { echo "the metrics example counted nothing" >&2; exit 1; }

printf '\n%-52s %12s %10s\n' "median of $ROUNDS rounds ($CONNECTIONS connections, $DURATION)" "requests/s" "p99"
read -r rps p99 < <(median "${plain_rows[@]}"); printf '%-52s %12s %10s\n' "GET /protected, feature off" "$rps" "$p99"
read -r rps p99 < <(median "${measured_rows[@]}"); printf '%-52s %12s %10s\n' "GET /protected, metrics on, Prometheus recorder" "$rps" "$p99"
printf '%-52s %s\n' "metrics on / feature off" "$(ratios measured_rows plain_rows)"
