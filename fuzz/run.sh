#!/usr/bin/env bash
# Fuzzes with libFuzzer, each target in turn:
# - decode_token: any bytes as a token never panic, and whatever decodes carries a valid HS256
#   signature (checked with an independent HMAC);
# - request: any bytes as the Authorization header, access cookie, CSRF header and query
#   parameter of a request to an app searching every location: no panic, never a 5xx.
#
#   bash fuzz/run.sh            # 5 minutes per target
#   TARGETS=request bash fuzz/run.sh
#   SECONDS_TO_RUN=60 bash fuzz/run.sh
#
# cargo-fuzz builds with nightly-only flags; RUSTC_BOOTSTRAP lets the stable toolchain accept
# them. Install it once with `cargo install cargo-fuzz`.
set -euo pipefail
cd "$(dirname "$0")"
TARGETS=${TARGETS:-decode_token request}
run() {
  for target in $TARGETS; do
    mkdir -p "corpus/$target"
    echo "== $target"
    RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" "corpus/$target" "seeds/$target" -- \
      -max_total_time="${SECONDS_TO_RUN:-300}" -max_len=4096
  done
}
if [ -z "${QUIET:-}" ]; then
  run
else
  # CI: libFuzzer's progress lines only on failure.
  log=$(mktemp)
  if run >"$log" 2>&1; then
    grep -E '^== |^Done' "$log"
  else
    tail -100 "$log"
    exit 1
  fi
fi
