#!/usr/bin/env bash
# Measures the weights of the WaaS pallets and writes pallets/*/src/weights.rs.
#
# Builds waas-node with the `runtime-benchmarks` feature (a separate build: the benchmark CLI
# and a benchmarking runtime; ~40 minutes cold on 2 cores) and runs `benchmark pallet` for each
# pallet on the dev chain's wasm runtime. STEPS, REPEAT and PALLETS can be set in the
# environment; so can CARGO_TARGET_DIR, to keep the benchmarking build (a different feature set)
# out of the shared target directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
cd "$WAAS_ROOT"

STEPS="${STEPS:-20}"
REPEAT="${REPEAT:-10}"
# The pallets to measure (default: all five), e.g. PALLETS="meta_accounts".
PALLETS="${PALLETS:-meta_accounts threshold_signers ephemeral_addresses intents audit_anchors}"

echo "[bench] building waas-node with runtime benchmarks"
# The benchmark CLI's storage-access test runtime (for `benchmark storage`, unused here) cannot
# be built by the wasm builder from outside its own workspace: skip its wasm.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
cargo build --release --locked -p waas-node --features runtime-benchmarks

for pallet in $PALLETS; do
  dir="pallets/${pallet//_/-}"
  echo "[bench] pallet_${pallet} (steps ${STEPS}, repeat ${REPEAT})"
  "$CARGO_TARGET_DIR/release/waas-node" benchmark pallet \
    --chain dev \
    --pallet "pallet_${pallet}" \
    --extrinsic '*' \
    --steps "$STEPS" \
    --repeat "$REPEAT" \
    --wasm-execution compiled \
    --heap-pages 4096 \
    --template scripts/benchmarks/weight-template.hbs \
    --output "$dir/src/weights.rs"
done
