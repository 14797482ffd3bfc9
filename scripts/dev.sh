#!/usr/bin/env bash
# Sets up prerequisites, builds the workspace (release) and starts the local WaaS network:
# waas-node --dev (one authority, a block every 2 s, RPC ws://127.0.0.1:9944) and three
# waas-signer processes (Bob, Charlie, Dave; p2p on 127.0.0.1:30501-30503) registered as a
# 2-of-3 committee; it runs their CGGMP21 DKG and stays up until Ctrl-C.
# Extra arguments go to waas-devnet (--rpc-port N, --dir DATA_DIR).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$WAAS_ROOT"

bash scripts/setup.sh
# The same build command as scripts/test.sh, so both share every compiled artifact.
echo "[dev] building the workspace (release; a cold first build takes ~40 minutes on 2 cores)"
cargo build --release --locked --workspace --all-targets

echo "[dev] starting the local network (node + 3 signers); the DKG takes about a minute"
exec "$CARGO_TARGET_DIR/release/waas-devnet" "$@"
