#!/usr/bin/env bash
# Instructions per operation under callgrind (valgrind): token creation and decoding, and whole
# requests through rocket::local with and without the guard. The counts do not move with the
# load of the machine, so they show what a change costs or saves where wall-clock figures are
# too noisy; they leave out the kernel and the network, which the wrk runs (bench/http.sh) keep.
#
#   bash bench/instructions.sh            # 2000 iterations per case
#   ITERATIONS=500 bash bench/instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ITERATIONS=${ITERATIONS:-2000}
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }

cargo bench -q -p jwt-ext-tests --bench instructions --no-run
binary=$(cargo bench -q -p jwt-ext-tests --bench instructions --no-run --message-format=json |
  python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "instructions" and m.get("executable"):
        print(m["executable"])')

# Instructions per iteration of one case: callgrind counts inside `measured` only.
count() { # case
  local out collected
  out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --collect-atstart=no \
    --toggle-collect='instructions::measured*' "$binary" "$1" "$ITERATIONS" 2>&1 </dev/null)
  collected=$(awk '/Collected :/ {print $NF}' <<<"$out")
  [ -n "$collected" ] || { echo "callgrind did not run case $1:" >&2; echo "$out" >&2; exit 1; }
  echo $((collected / ITERATIONS))
}

declare -A per
printf '%-58s %14s\n' "case ($ITERATIONS iterations)" "instructions"
while IFS=$'\t' read -r name description; do
  per[$name]=$(count "$name")
  printf '%-58s %14s\n' "$description" "${per[$name]}"
done < <("$binary" --list)
printf '%-58s %14s\n' "guard's cost, #[jwt_required] (protected - public)" $((per[protected] - per[public]))
printf '%-58s %14s\n' "guard's cost with a Jwt parameter (whoami - public)" $((per[whoami] - per[public]))
