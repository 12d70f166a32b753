# Shared by the wrk benchmarks: source it after `cd` to the workspace root, with DURATION,
# CONNECTIONS and THREADS set.

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

# One `load` of `GET /protected` on the server at loopback `port`, with a token of a new
# login, appended to the array named `rows`.
load_protected() { # port, rows
  local token result
  token=$(token_from "http://127.0.0.1:$1")
  result=$(load "http://127.0.0.1:$1/protected" "Authorization: Bearer $token")
  local -n into=$2
  into+=("$result")
}

# The median of "<requests/s> <p99>" pairs, by requests/s.
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'; }
# Per-round ratios of a route to a baseline, then their median.
ratios() { # route array name, baseline array name
  local -n route=$1 base=$2
  for i in "${!route[@]}"; do
    python3 -c "print(${route[$i]% *} / ${base[$i]% *})"
  done | sort -n | awk '{ a[NR] = $0 } END { printf "%.3f (rounds: %.3f to %.3f)", a[int((NR + 1) / 2)], a[1], a[NR] }'
}
