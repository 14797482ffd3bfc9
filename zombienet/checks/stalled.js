// GRANDPA needs more than two thirds of the voters: n - floor((n - 1) / 3) of n, which is all 3
// of 3. With one of three validators down, Aura still makes blocks in the other two's slots but
// nothing is finalized. This check watches for `seconds`: the best head must grow by at least 3
// while the finalized head grows by at most 2 (a round already under way may still complete).
// Usage: `alice: js-script ./checks/stalled.js with "24" return is 1 within 60 seconds`
'use strict';
const { logger, withApi, wsUri, sleep, finalizedHead, bestNumber } = require('./common');

const log = logger('stalled');

async function run(nodeName, networkInfo, args) {
  const seconds = Number(args[0] || 24);
  return withApi(wsUri(networkInfo, nodeName), async (api) => {
    const best0 = await bestNumber(api);
    const fin0 = (await finalizedHead(api)).number;
    await sleep(seconds * 1000);
    const best1 = await bestNumber(api);
    const fin1 = (await finalizedHead(api)).number;
    log(`${nodeName} over ${seconds} s: best #${best0} -> #${best1}, finalized #${fin0} -> #${fin1}`);
    return best1 - best0 >= 3 && fin1 - fin0 <= 2 ? 1 : 0;
  });
}

module.exports = { run };
