#!/usr/bin/env bash
# Sets up prerequisites, builds the workspace (release) and starts a development chain:
# one authority (Alice) producing and finalizing a block every 2 seconds, RPC on
# ws://127.0.0.1:9944. Extra arguments go to waas-node (e.g. --rpc-port 9955).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$WAAS_ROOT"

bash scripts/setup.sh
# The same build command as scripts/test.sh, so both share every compiled artifact.
echo "[dev] building the workspace (release; a cold first build takes ~35 minutes on 2 cores)"
cargo build --release --locked --workspace --all-targets

echo "[dev] starting the dev chain: RPC ws://127.0.0.1:9944, Prometheus http://127.0.0.1:9615/metrics"
exec "$WAAS_NODE" --dev --tmp --rpc-cors all "$@"
