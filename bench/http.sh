#!/usr/bin/env bash
# HTTP load benchmark: the quickstart in release mode on loopback, protected vs unprotected
# route (wrk, 64 connections), then Flask-JWT-Extended's same app under gunicorn (one worker
# per core) when python3 is available. Prints requests per second and p99 latency.
#
#   bash bench/http.sh              # 10 s per run
#   DURATION=30s bash bench/http.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SECRET=a-benchmark-secret-that-is-at-least-32-bytes-long
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for() { # url
  for _ in $(seq 1 100); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "server at $1 did not start" >&2; return 1
}

token_from() { # base url
  curl -fs -X POST "$1/login" -H 'Content-Type: application/json' \
    -d '{"username": "test", "password": "test"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# "<requests/s> <p99>" of one wrk run.
load() { # url [header]
  local out
  if [ $# -gt 1 ]; then
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$2" "$1")
  else
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1")
  fi
  local rps p99
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  [ -z "$non2xx" ] || { echo "non-2xx answers during the run: $non2xx" >&2; exit 1; }
  echo "$rps $p99"
}

cargo build --release -q -p quickstart
port=$(free_port)
ROCKET_PROFILE=release ROCKET_PORT=$port ROCKET_LOG_LEVEL=off ROCKET_JWT_SECRET_KEY=$SECRET \
  target/release/quickstart >/dev/null 2>&1 &
rocket_pid=$!
trap 'kill $rocket_pid 2>/dev/null || true' EXIT
wait_for "http://127.0.0.1:$port/public"
token=$(token_from "http://127.0.0.1:$port")

read -r public_rps public_p99 < <(load "http://127.0.0.1:$port/public")
read -r protected_rps protected_p99 < <(load "http://127.0.0.1:$port/protected" "Authorization: Bearer $token")
kill $rocket_pid; wait $rocket_pid 2>/dev/null || true

printf '\n%-44s %12s %10s\n' "run ($CONNECTIONS connections, $DURATION)" "requests/s" "p99"
printf '%-44s %12s %10s\n' "jwt-ext quickstart, GET /public" "$public_rps" "$public_p99"
printf '%-44s %12s %10s\n' "jwt-ext quickstart, GET /protected" "$protected_rps" "$protected_p99"
python3 -c "print(f'{\"protected / unprotected\":44s} {$protected_rps / $public_rps:12.3f}')"

if command -v python3 >/dev/null && [ -z "${SKIP_FLASK:-}" ]; then
  venv=target/bench-flask-venv
  if ! "$venv/bin/python" -c 'import flask_jwt_extended, gunicorn' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q flask-jwt-extended==4.7.4 gunicorn
  fi
  port=$(free_port)
  (cd bench && exec "../$venv/bin/gunicorn" -w "$(nproc)" -b "127.0.0.1:$port" --log-level warning flask_app:app) &
  flask_pid=$!
  trap 'kill $flask_pid 2>/dev/null || true' EXIT
  wait_for "http://127.0.0.1:$port/public"
  flask_token=$(token_from "http://127.0.0.1:$port")
  read -r flask_rps flask_p99 < <(load "http://127.0.0.1:$port/protected" "Authorization: Bearer $flask_token")
  kill $flask_pid; wait $flask_pid 2>/dev/null || true
  printf '%-44s %12s %10s\n' "Flask-JWT-Extended + gunicorn, /protected" "$flask_rps" "$flask_p99"
  python3 -c "print(f'{\"jwt-ext / Flask-JWT-Extended\":44s} {$protected_rps / $flask_rps:12.1f}')"
fi
