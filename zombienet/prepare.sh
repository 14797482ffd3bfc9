#!/usr/bin/env bash
# Prepares everything a zombienet network of WaaS Chain needs before it starts, under WORK:
#   WORK/signers/signerI/   data dir of signer I: keys (`waas-signer init`, account //SignerI),
#                           one fixture prime entry (a different one per signer), identity.json
#   WORK/waas-N-plain.json  plain chain spec: `waas-node build-spec --chain local`, patched so that
#                           the N validators are the Aura/GRANDPA authorities and the N signers
#                           a committee (2-of-3 or 3-of-5) whose key 0 is requested at genesis
#   WORK/env.sh             the variables waas-N.toml reads (binaries, spec, signer ports)
# Starts no node and no signer: only one-shot commands (build-spec, waas-signer init/primes).
#
# Usage: zombienet/prepare.sh 3|5 WORK
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
N="${1:?usage: prepare.sh 3|5 WORK}"
WORK="${2:?usage: prepare.sh 3|5 WORK}"

case "$N" in
  3) THRESHOLD=2; VALIDATORS=alice,bob,charlie ;;
  5) THRESHOLD=3; VALIDATORS=alice,bob,charlie,dave,ferdie ;;
  *) echo "prepare.sh: network size must be 3 or 5, not $N" >&2; exit 2 ;;
esac

TARGET="${CARGO_TARGET_DIR:-$HOME/.cache/waas-chain/target}"
WAAS_NODE="${WAAS_NODE:-$TARGET/release/waas-node}"
WAAS_SIGNER="${WAAS_SIGNER:-$TARGET/release/waas-signer}"
PRIMES="${WAAS_PRIMES_FIXTURE:-$ROOT/offchain-signer/tests/fixtures/primes.json}"
for bin in "$WAAS_NODE" "$WAAS_SIGNER"; do
  [ -x "$bin" ] || { echo "prepare.sh: $bin is missing: build it first (cargo build --release)" >&2; exit 1; }
done
[ -f "$PRIMES" ] || { echo "prepare.sh: prime fixtures $PRIMES are missing" >&2; exit 1; }
ENTRIES="$(jq length "$PRIMES")"
[ "$ENTRIES" -ge "$N" ] || { echo "prepare.sh: $PRIMES has $ENTRIES entries, $N signers need one each" >&2; exit 1; }

mkdir -p "$WORK/signers"
log() { echo "[prepare] $*" >&2; }

# Two loopback ports per signer: libp2p (registered on-chain as its endpoint) and metrics.
mapfile -t PORTS < <(node "$HERE/lib/free-ports.js" $((2 * N)))

ENV="$WORK/env.sh"
{
  echo "# written by zombienet/prepare.sh $N"
  printf 'export WAAS_NODE=%q\n' "$WAAS_NODE"
  printf 'export WAAS_SIGNER=%q\n' "$WAAS_SIGNER"
  printf 'export WAAS_ZN_WORK=%q\n' "$WORK"
  printf 'export WAAS_ZN_SPEC=%q\n' "$WORK/waas-$N-plain.json"
  printf 'export WAAS_ZN_SIGNER_LOG=%q\n' "${WAAS_SIGNER_LOG:-info}"
} > "$ENV"

IDENTITIES=()
for i in $(seq 1 "$N"); do
  dir="$WORK/signers/signer$i"
  p2p="${PORTS[$((2 * (i - 1)))]}"
  metrics="${PORTS[$((2 * (i - 1) + 1))]}"
  mkdir -p "$dir"
  # The identity's address is the --listen address: what the chain lists as its endpoint.
  if ! "$WAAS_SIGNER" --data-dir "$dir" --listen "/ip4/127.0.0.1/tcp/$p2p" \
      init --account-uri "//Signer$i" > "$dir/identity.json" 2> "$dir/init.log"; then
    cat "$dir/init.log" >&2
    echo "prepare.sh: signer$i: waas-signer init failed" >&2
    exit 1
  fi
  # Fixture primes are public, for dev networks only; entry i-1 for signer i, so no two
  # signers share a Paillier modulus.
  jq ".[$((i - 1)):$i]" "$PRIMES" > "$dir/fixture-primes.json"
  if ! "$WAAS_SIGNER" --data-dir "$dir" primes --insecure-fixture-primes \
      --import "$dir/fixture-primes.json" --count 1 >> "$dir/init.log" 2>&1; then
    cat "$dir/init.log" >&2
    echo "prepare.sh: signer$i: importing fixture primes failed" >&2
    exit 1
  fi
  IDENTITIES+=("$dir/identity.json")
  printf 'export WAAS_SIGNER%d_P2P=%d\nexport WAAS_SIGNER%d_METRICS=%d\n' "$i" "$p2p" "$i" "$metrics" >> "$ENV"
  log "signer$i: account $(jq -r .account "$dir/identity.json"), p2p 127.0.0.1:$p2p, metrics 127.0.0.1:$metrics"
done

"$WAAS_NODE" build-spec --chain local --disable-default-bootnode > "$WORK/local-plain.json" 2> "$WORK/build-spec.log"
node "$HERE/lib/patch-spec.js" "$WORK/local-plain.json" "$WORK/waas-$N-plain.json" \
  "$THRESHOLD" "$VALIDATORS" "${IDENTITIES[@]}"
# Build the genesis once here, so a bad spec fails now with the node's own error message
# (zombienet builds the raw spec again after adding its node keys and balances).
if ! "$WAAS_NODE" build-spec --chain "$WORK/waas-$N-plain.json" --raw \
    > "$WORK/waas-$N-raw-check.json" 2>> "$WORK/build-spec.log"; then
  tail -5 "$WORK/build-spec.log" >&2
  echo "prepare.sh: the patched chain spec does not build a genesis" >&2
  exit 1
fi
log "chain spec $WORK/waas-$N-plain.json; variables in $ENV"
