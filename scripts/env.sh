# Shared environment for the project's scripts (sourced, not run).
# Every cargo build uses the target directory CI uses, so CI starts warm.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/waas-chain/target}"
WAAS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export WAAS_ROOT
# The runtime's wasm build looks for Cargo.lock from the target directory, which is outside
# the clone: point it at the workspace so it builds with the locked versions.
export WASM_BUILD_WORKSPACE_HINT="$WAAS_ROOT"
export WAAS_NODE="${WAAS_NODE:-$CARGO_TARGET_DIR/release/waas-node}"
export WAAS_SIGNER="${WAAS_SIGNER:-$CARGO_TARGET_DIR/release/waas-signer}"
export WAAS_PRIMES_FIXTURE="${WAAS_PRIMES_FIXTURE:-$WAAS_ROOT/offchain-signer/tests/fixtures/primes.json}"
