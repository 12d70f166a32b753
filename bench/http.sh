#!/usr/bin/env bash
# HTTP load benchmark: the quickstart in release mode on loopback, protected vs unprotected
# route (wrk, 64 connections), and Flask-JWT-Extended's same app under gunicorn (one worker
# per core, in every round) when python3 is available. Prints requests per second and p99
# latency, the median of ROUNDS interleaved rounds, and the median and range of the per-round
# ratios.
#
#   bash bench/http.sh              # 3 rounds of 10 s per route
#   ROUNDS=5 DURATION=30s bash bench/http.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SECRET=a-benchmark-secret-that-is-at-least-32-bytes-long
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
# shellcheck source=bench/lib.sh
. bench/lib.sh

cargo build --release -q -p quickstart
port=$(free_port)
ROCKET_PROFILE=release ROCKET_PORT=$port ROCKET_LOG_LEVEL=off ROCKET_JWT_SECRET_KEY=$SECRET \
  target/release/quickstart >/dev/null 2>&1 &
rocket_pid=$!
trap 'kill $rocket_pid 2>/dev/null || true' EXIT
wait_for "http://127.0.0.1:$port/public"
token=$(token_from "http://127.0.0.1:$port")

# Flask-JWT-Extended's same app under gunicorn, one worker per core, idle until its turn in
# each round, so that it meets the same drift of the machine as jwt-ext.
flask=""
if command -v python3 >/dev/null && [ -z "${SKIP_FLASK:-}" ]; then
  venv=target/bench-flask-venv
  if ! "$venv/bin/python" -c 'import flask_jwt_extended, gunicorn' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q flask-jwt-extended==4.7.4 gunicorn
  fi
  flask_port=$(free_port)
  (cd bench && exec "../$venv/bin/gunicorn" -w "$(nproc)" -b "127.0.0.1:$flask_port" --log-level warning flask_app:app) &
  flask_pid=$!
  trap 'kill $rocket_pid $flask_pid 2>/dev/null || true' EXIT
  flask="http://127.0.0.1:$flask_port"
  wait_for "$flask/public"
  flask_token=$(token_from "$flask")
fi

# Interleaved rounds, so that drift of the machine hits every route alike: the unprotected
# route without a token, the unprotected route carrying the same Authorization header as the
# protected one (the same request bytes: only the guard differs), the protected route.
public=() public_hdr=() protected=() flask_protected=()
for round in $(seq 1 "$ROUNDS"); do
  read -r rps p99 < <(load "http://127.0.0.1:$port/public"); public+=("$rps $p99")
  read -r rps p99 < <(load "http://127.0.0.1:$port/public" "Authorization: Bearer $token"); public_hdr+=("$rps $p99")
  read -r rps p99 < <(load "http://127.0.0.1:$port/protected" "Authorization: Bearer $token"); protected+=("$rps $p99")
  line="round $round/$ROUNDS: public ${public[-1]% *}, public + header ${public_hdr[-1]% *}, protected ${protected[-1]% *}"
  if [ -n "$flask" ]; then
    read -r rps p99 < <(load "$flask/protected" "Authorization: Bearer $flask_token"); flask_protected+=("$rps $p99")
    line+=", Flask protected ${flask_protected[-1]% *}"
  fi
  echo "$line requests/s" >&2
done
kill $rocket_pid; wait $rocket_pid 2>/dev/null || true
[ -z "$flask" ] || { kill $flask_pid; wait $flask_pid 2>/dev/null || true; }

read -r public_rps public_p99 < <(median "${public[@]}")
read -r public_hdr_rps public_hdr_p99 < <(median "${public_hdr[@]}")
read -r protected_rps protected_p99 < <(median "${protected[@]}")

printf '\n%-48s %12s %10s\n' "median of $ROUNDS rounds ($CONNECTIONS connections, $DURATION)" "requests/s" "p99"
printf '%-48s %12s %10s\n' "jwt-ext quickstart, GET /public" "$public_rps" "$public_p99"
printf '%-48s %12s %10s\n' "jwt-ext quickstart, GET /public + same header" "$public_hdr_rps" "$public_hdr_p99"
printf '%-48s %12s %10s\n' "jwt-ext quickstart, GET /protected" "$protected_rps" "$protected_p99"
printf '%-48s %s\n' "protected / public" "$(ratios protected public)"
printf '%-48s %s\n' "protected / public + same header" "$(ratios protected public_hdr)"
if [ -n "$flask" ]; then
  read -r flask_rps flask_p99 < <(median "${flask_protected[@]}")
  printf '%-48s %12s %10s\n' "Flask-JWT-Extended + gunicorn, /protected" "$flask_rps" "$flask_p99"
  printf '%-48s %s\n' "jwt-ext / Flask-JWT-Extended, /protected" "$(ratios protected flask_protected)"
fi
