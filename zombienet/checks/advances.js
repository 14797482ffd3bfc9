// The chain moves on, seen from this node: the best or finalized head grows by N blocks from
// the moment the check starts (the DSL only has absolute heights).
// Usage: `alice: js-script ./checks/advances.js with "finalized,5" return is 1 within 60 seconds`
// (gives up by itself after 10 minutes, so no poll outlives a failed run for long)
'use strict';
const { logger, withApi, wsUri, sleep, finalizedHead, bestNumber } = require('./common');

const log = logger('advances');

async function run(nodeName, networkInfo, args) {
  const kind = (args[0] || 'finalized').trim();
  const blocks = Number(args[1] || 5);
  if (!['best', 'finalized'].includes(kind)) throw new Error(`kind is best or finalized, not ${kind}`);
  const height = async (api) => (kind === 'best' ? bestNumber(api) : (await finalizedHead(api)).number);
  return withApi(wsUri(networkInfo, nodeName), async (api) => {
    const start = await height(api);
    const started = Date.now();
    while (Date.now() - started < 600_000) {
      const now = await height(api);
      if (now >= start + blocks) {
        log(`${nodeName}: ${kind} #${start} -> #${now} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
        return 1;
      }
      await sleep(1000);
    }
    return 0;
  });
}

module.exports = { run };
