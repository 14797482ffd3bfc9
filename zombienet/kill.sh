#!/usr/bin/env bash
# SIGKILLs one process of this network, no clean shutdown: a validator (by its zombienet name)
# or a signer (signerI). The zombienet DSL can pause (SIGSTOP) and restart nodes but not kill
# them, so the .zndsl runs this script:  alice: run ./kill.sh with "signer3" within 30 seconds
#
# Zombienet runs it in <network dir>/<node of the DSL line>; it only matches processes whose
# command line holds this network's own paths (the validator's --base-path under the network
# dir, the signer's --data-dir under $WAAS_ZN_WORK), so nothing outside the network is touched.
set -euo pipefail

NAME="${1:?usage: kill.sh NODE_NAME}"
NET_DIR="$(dirname "$PWD")"
case "$NAME" in
  signer*)
    : "${WAAS_ZN_WORK:?WAAS_ZN_WORK is not set (run through zombienet/run.sh)}"
    PATTERN="--data-dir $WAAS_ZN_WORK/signers/$NAME( |\$)" ;;
  *)
    PATTERN="--base-path $NET_DIR/$NAME/data( |\$)" ;;
esac

PIDS="$(pgrep -f -- "$PATTERN" || true)"
if [ -z "$PIDS" ]; then
  echo "kill.sh: no running process of $NAME (pattern: $PATTERN)" >&2
  exit 1
fi
# shellcheck disable=SC2086
kill -KILL $PIDS
for _ in $(seq 1 50); do
  pgrep -f -- "$PATTERN" > /dev/null || { echo "kill.sh: killed $NAME (pid $(echo $PIDS))"; exit 0; }
  sleep 0.2
done
echo "kill.sh: $NAME (pid $(echo $PIDS)) is still alive" >&2
exit 1
