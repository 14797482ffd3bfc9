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

# A fresh clone gives every file a new mtime, so cargo would recompile every workspace crate
# even when the shared target directory was just built from the very same tree. The build stamp
# lets CI skip that, safely:
# - `record_build_stamp` (end of scripts/test.sh, after its last cargo command) writes the id of
#   the tree that every cargo variant in the target directory was just built from, and when
#   that build started (`WAAS_BUILD_START`, set by scripts/test.sh) — only when the working tree
#   is exactly HEAD (no change, no untracked file).
# - `reuse_stamped_build` (.ci/run) dates the sources back to that start if the stamp names this
#   checkout's tree and nothing in the target directory is newer than the stamp (no build
#   since): cargo's usual checks then find what that build made fresh, and anything older (an
#   artifact left from another tree at this checkout's path, e.g. in the runtime's wasm build)
#   stale. Otherwise it changes nothing and cargo rebuilds as usual.
# The tree id leaves out Markdown files (no crate includes one), so a change to the docs alone
# keeps the stamp.
WAAS_BUILD_STAMP="$CARGO_TARGET_DIR/.waas-build-stamp"

build_tree_id() {
  git -C "$WAAS_ROOT" ls-tree -r HEAD | grep -v '\.md$' | sha256sum | cut -d' ' -f1
}

record_build_stamp() {
  if [ -z "$(git -C "$WAAS_ROOT" status --porcelain)" ] && [ -n "${WAAS_BUILD_START:-}" ]; then
    echo "$(build_tree_id) $WAAS_BUILD_START" > "$WAAS_BUILD_STAMP"
  else
    rm -f "$WAAS_BUILD_STAMP"
  fi
}

reuse_stamped_build() {
  [ -f "$WAAS_BUILD_STAMP" ] || return 0
  [ -z "$(git -C "$WAAS_ROOT" status --porcelain)" ] || return 0
  local tree start
  read -r tree start < "$WAAS_BUILD_STAMP" || return 0
  [ "$tree" = "$(build_tree_id)" ] || return 0
  [[ "$start" =~ ^[0-9]+$ ]] || return 0
  [ -z "$(find "$CARGO_TARGET_DIR/release" -newer "$WAAS_BUILD_STAMP" -print -quit)" ] || return 0
  echo "[ci] $CARGO_TARGET_DIR was built from this very tree: dating the sources back to that build's start so cargo reuses it"
  (cd "$WAAS_ROOT" && git ls-files -z | xargs -0 touch -h -d "@$start")
}
