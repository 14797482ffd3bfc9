#!/usr/bin/env bash
# Sets up prerequisites, builds everything once (release) and runs every test:
# formatting, unit tests of primitives, pallets and RPC, the Rust end-to-end tests
# (real waas-node and waas-signer processes through subxt) and the polkadot.js tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$WAAS_ROOT"

bash scripts/setup.sh

echo "[test] cargo fmt --check"
cargo fmt --all -- --check

echo "[test] building the workspace (release) into $CARGO_TARGET_DIR"
cargo build --release --locked --workspace --all-targets

echo "[test] cargo test (unit tests + Rust end-to-end tests)"
cargo test --release --locked --workspace

echo "[test] polkadot.js tests (tests/js)"
(cd tests/js && npm test)
