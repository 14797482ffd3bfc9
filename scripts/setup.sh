#!/usr/bin/env bash
# Installs every prerequisite for building and testing WaaS Chain.
# Idempotent: safe to run any number of times; it only installs what is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# 1. System packages: protoc (libp2p/litep2p build scripts), clang + libclang
#    (bindgen-based -sys crates), make/m4/pkg-config/libssl for C builds, curl for scripts.
APT_PACKAGES=(protobuf-compiler clang libclang-dev make m4 pkg-config libssl-dev curl jq)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing apt packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
else
  log "apt packages present"
fi

# 1b. A real browser for the page and passkey (WebAuthn) tests: Debian's Chromium, driven by
#     puppeteer-core through /usr/bin/chromium (puppeteer's own browser download cannot work here).
if ! dpkg -s chromium >/dev/null 2>&1; then
  log "installing apt package: chromium"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
else
  log "chromium present"
fi

# 2. Rust: the wasm target the runtime builds for (wasm32v1-none with Rust >= 1.84),
#    plus rustfmt and clippy for the checks.
if ! rustup target list --installed | grep -qx wasm32v1-none; then
  log "adding rustup target wasm32v1-none"
  rustup target add wasm32v1-none
fi
for comp in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^${comp}"; then
    log "adding rustup component ${comp}"
    rustup component add "${comp}"
  fi
done

# 3. npm packages, pinned by each directory's package-lock.json: tests/js (polkadot.js, ethers,
#    puppeteer-core for the browser tests, @foundry-rs/anvil for the EVM nodes of the intents
#    tests, solc for their test token) and web/ (the onboarding page: polkadot.js bundled by
#    esbuild). `npm ci` runs when node_modules is missing or was installed from another lock file
#    (a copy of the lock file it was installed from is kept in node_modules/.setup-lock.json).
npm_ci() {
  local dir="$ROOT/$1"
  [ -f "$dir/package-lock.json" ] || return 0
  if cmp -s "$dir/package-lock.json" "$dir/node_modules/.setup-lock.json"; then
    log "npm packages for $1 present"
  else
    log "installing npm packages for $1"
    (cd "$dir" && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.setup-lock.json)
  fi
}
npm_ci tests/js
npm_ci web

# 4. zombienet (@zombienet/cli, pinned by zombienet/package-lock.json) for the multi-validator
#    testnet and its tests.
if [ -f "$ROOT/zombienet/package.json" ]; then
  if [ ! -x "$ROOT/zombienet/node_modules/.bin/zombienet" ]; then
    log "installing npm packages for zombienet"
    (cd "$ROOT/zombienet" && npm ci --no-audit --no-fund)
  else
    log "zombienet packages present"
  fi
fi

log "done"
