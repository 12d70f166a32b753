#!/usr/bin/env bash
# Fuzzes token decoding with libFuzzer: any bytes as a token never panic, and whatever decodes
# carries a valid HS256 signature (checked with an independent HMAC).
#
#   bash fuzz/run.sh            # 5 minutes
#   SECONDS_TO_RUN=60 bash fuzz/run.sh
#
# cargo-fuzz builds with nightly-only flags; RUSTC_BOOTSTRAP lets the stable toolchain accept
# them. Install it once with `cargo install cargo-fuzz`.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/decode_token
run() {
  RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none decode_token corpus/decode_token seeds/decode_token -- \
    -max_total_time="${SECONDS_TO_RUN:-300}" -max_len=4096
}
if [ -z "${QUIET:-}" ]; then
  run
else
  # CI: libFuzzer's progress lines only on failure.
  log=$(mktemp)
  if run >"$log" 2>&1; then
    grep -E '^Done|cov:' "$log" | tail -2
  else
    tail -100 "$log"
    exit 1
  fi
fi
