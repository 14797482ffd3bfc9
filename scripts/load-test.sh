#!/usr/bin/env bash
# The long form of the chaos/load end-to-end test: the same phases as in CI, with a burst of
# 200 signature requests (CI runs 15). Prints the figures ("[load] ...") and fails unless
# every request is signed. Usage: scripts/load-test.sh [requests]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$WAAS_ROOT"
bash scripts/setup.sh
cargo build --release --locked --workspace --all-targets
WAAS_LOAD_REQUESTS="${1:-200}" cargo test --release --locked --workspace --test chaos \
  committee_survives_restarts_partitions_and_load -- --nocapture
