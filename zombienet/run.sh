#!/usr/bin/env bash
# One command for a zombienet test of WaaS Chain:
#   zombienet/run.sh [3|5]
# 3: three validators and a 2-of-3 signer committee (waas-3.zndsl, the default);
# 5: five validators and a 3-of-5 committee (waas-5.zndsl).
#
# Installs @zombienet/cli if node_modules is missing (npm ci from the lockfile), prepares the
# chain spec and the signers' data dirs in a fresh temporary directory (prepare.sh), runs
# `zombienet -p native test waas-N.zndsl` (which spawns the validators and the signers and runs
# every assertion) and exits with its status: 0 only if every assertion passed.
# Every process of the network is gone when it returns, whatever happened.
#
# Environment: WAAS_NODE, WAAS_SIGNER (binaries; default $CARGO_TARGET_DIR/release, with
# CARGO_TARGET_DIR defaulting to ~/.cache/waas-chain/target), WAAS_SIGNER_LOG (signers'
# RUST_LOG, default info), WAAS_ZN_TIMEOUT (seconds for the whole run, default 1200),
# WAAS_ZN_KEEP=1 (keep the work directory with all logs even on success).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N="${1:-3}"
case "$N" in
  3|5) ;;
  *) echo "usage: $0 [3|5]" >&2; exit 2 ;;
esac
TIMEOUT="${WAAS_ZN_TIMEOUT:-1200}"
log() { echo "[zombienet/run.sh] $*" >&2; }

command -v node > /dev/null || { log "node (Node.js >= 18) is required"; exit 1; }
command -v jq > /dev/null || { log "jq is required"; exit 1; }
if [ ! -x "$HERE/node_modules/.bin/zombienet" ]; then
  log "installing @zombienet/cli (npm)"
  (cd "$HERE" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi)
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/waas-zombienet-$N.XXXXXX")"
START=$(date +%s)
ZN_PID=""

# Ends every process whose command line names this run's directory (the validators' base
# paths, the signers' data dirs and zombienet's own files are all under it), then zombienet.
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$ZN_PID" ] && kill -0 "$ZN_PID" 2> /dev/null; then
    kill -TERM "$ZN_PID" 2> /dev/null || true
    for _ in $(seq 1 50); do kill -0 "$ZN_PID" 2> /dev/null || break; sleep 0.2; done
    kill -KILL "$ZN_PID" 2> /dev/null || true
  fi
  local left
  left="$(pgrep -f -- "$WORK/" || true)"
  if [ -n "$left" ]; then
    # shellcheck disable=SC2086
    kill -CONT $left 2> /dev/null || true   # paused (SIGSTOP) processes too
    # shellcheck disable=SC2086
    kill -KILL $left 2> /dev/null || true
    log "killed leftover processes: $(echo $left)"
  fi
  if [ "$status" -eq 0 ] && [ "${WAAS_ZN_KEEP:-0}" != 1 ]; then
    rm -rf "$WORK"
  else
    log "logs kept in $WORK (nodes and signers: $WORK/net/<name>.log)"
  fi
  log "exit status $status after $(( $(date +%s) - START )) s"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$HERE/prepare.sh" "$N" "$WORK"
# shellcheck disable=SC1091
source "$WORK/env.sh"

log "zombienet -p native test waas-$N.zndsl (network files in $WORK/net, at most $TIMEOUT s)"
set +e
timeout -k 20 "$TIMEOUT" "$HERE/node_modules/.bin/zombienet" -p native -l text -d "$WORK/net" \
  test "$HERE/waas-$N.zndsl" &
ZN_PID=$!
wait "$ZN_PID"
STATUS=$?
ZN_PID=""
set -e
if [ "$STATUS" -eq 124 ]; then log "timed out after $TIMEOUT s"; fi
exit "$STATUS"
