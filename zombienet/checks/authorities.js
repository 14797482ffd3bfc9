// Every validator is an authority: the Aura set is the sr25519 keys and the GRANDPA set the
// ed25519 keys (weight 1 each) of exactly the named validators (//Alice, ...).
// Usage: `alice: js-script ./checks/authorities.js with "alice,bob,charlie" return is 1 within 60 seconds`
'use strict';
const { Keyring } = require('@polkadot/keyring');
const { cryptoWaitReady } = require('@polkadot/util-crypto');
const { u8aToHex } = require('@polkadot/util');
const { logger, withApi, wsUri } = require('./common');

const log = logger('authorities');

async function run(nodeName, networkInfo, args) {
  const names = args.map((a) => a.trim()).filter(Boolean);
  if (names.length === 0) throw new Error('give the validators: with "alice,bob,..."');
  await cryptoWaitReady();
  const seed = (name) => `//${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  const sr = new Keyring({ type: 'sr25519' });
  const ed = new Keyring({ type: 'ed25519' });
  const wantAura = names.map((n) => u8aToHex(sr.addFromUri(seed(n)).publicKey)).sort();
  const wantGrandpa = names.map((n) => `${u8aToHex(ed.addFromUri(seed(n)).publicKey)}:1`).sort();

  return withApi(wsUri(networkInfo, nodeName), async (api) => {
    const aura = (await api.query.aura.authorities()).map((k) => k.toHex()).sort();
    const grandpaList = api.query.grandpa.authorities
      ? await api.query.grandpa.authorities()
      : await api.call.grandpaApi.grandpaAuthorities();
    const grandpa = grandpaList.map(([k, w]) => `${k.toHex()}:${w.toString()}`).sort();
    const auraOk = JSON.stringify(aura) === JSON.stringify(wantAura);
    const grandpaOk = JSON.stringify(grandpa) === JSON.stringify(wantGrandpa);
    log(`aura: ${aura.length} authorities, ${auraOk ? 'the validators' : `NOT the validators ${names}: ${aura}`}`);
    log(`grandpa: ${grandpa.length} voters, ${grandpaOk ? 'the validators' : `NOT the validators ${names}: ${grandpa}`}`);
    return auraOk && grandpaOk ? 1 : 0;
  });
}

module.exports = { run };
