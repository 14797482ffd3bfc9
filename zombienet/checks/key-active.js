// The committee's key becomes Active: the genesis config requested its DKG in the first block,
// the signers found it in chain state, ran CGGMP21 keygen and aux info over libp2p and each
// reported the same public key. Fails at once if the keygen failed (with the blamed members).
// Usage: `alice: js-script ./checks/key-active.js with "0" return is 1 within 240 seconds`
'use strict';
const { logger, withApi, wsUri, rpc, sleep, bestNumber } = require('./common');

const log = logger('key-active');

async function run(nodeName, networkInfo, args) {
  const keyId = Number(args[0] || 0);
  return withApi(wsUri(networkInfo, nodeName), async (api) => {
    const started = Date.now();
    let last = '';
    while (Date.now() - started < 600_000) {
      const keys = await rpc(api, 'waas_keys', []);
      const key = keys.find((k) => k.id === keyId);
      const now = await bestNumber(api);
      if (!key) throw new Error(`no key ${keyId} on chain (keys: ${JSON.stringify(keys)})`);
      const { status } = key;
      const line = status.status === 'generating'
        ? `key ${keyId} of committee ${key.committee}: generating, reports until #${status.deadline}`
        : `key ${keyId}: ${status.status}`;
      if (line !== last) {
        log(`${line} (best #${now}, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
        last = line;
      }
      if (status.status === 'active') {
        log(`public key ${status.publicKey}`);
        return 1;
      }
      if (status.status !== 'generating') {
        throw new Error(`key ${keyId} is ${status.status}: ${JSON.stringify(status)}`);
      }
      await sleep(2000);
    }
    return 0;
  });
}

module.exports = { run };
