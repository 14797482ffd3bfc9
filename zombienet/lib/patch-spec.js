// Turns the plain `waas-node build-spec --chain local` output into the chain spec of a zombienet
// network: every validator an Aura and GRANDPA authority, and a signer committee in the genesis
// of the threshold-signers pallet, with one key whose DKG is requested in the first block.
//
// Usage: node lib/patch-spec.js IN OUT THRESHOLD VALIDATORS IDENTITY_JSON...
//   IN, OUT       plain chain specs (JSON)
//   THRESHOLD     signers per signature (t of the committee of all the signers)
//   VALIDATORS    comma-separated dev names (alice,bob,...): authority keys //Alice, ...
//                 (zombienet derives the same keys from the node names and sets them again)
//   IDENTITY_JSON what `waas-signer init` printed for each signer, in committee order
//
// Why not jq: jq 1.6 rewrites 1000000000000000000 as 1e+18, which waas-node's genesis parser
// refuses ("Invalid JSON blob"). JavaScript prints every integer below 10^21 in full, and the
// script checks that every long integer literal of the input survives unchanged.
'use strict';
const fs = require('node:fs');
const { Keyring } = require('@polkadot/keyring');
const { cryptoWaitReady } = require('@polkadot/util-crypto');
const { hexToU8a, stringToU8a } = require('@polkadot/util');

function fail(message) {
  console.error(`patch-spec: ${message}`);
  process.exit(1);
}

const [input, output, thresholdText, validatorList, ...identityFiles] = process.argv.slice(2);
if (!input || !output || !thresholdText || !validatorList || identityFiles.length === 0) {
  fail('usage: node lib/patch-spec.js IN OUT THRESHOLD VALIDATORS IDENTITY_JSON...');
}
const threshold = Number(thresholdText);
if (!Number.isInteger(threshold) || threshold < 2 || threshold > identityFiles.length) {
  fail(`threshold ${thresholdText} is not in 2..=${identityFiles.length}`);
}

/** Every integer literal of 16 or more digits in a JSON text (values JavaScript may round). */
function longIntegers(text) {
  return (text.match(/(?<![\w".])\d{16,}(?![\w".])/g) || []).sort();
}

(async () => {
  await cryptoWaitReady();
  const text = fs.readFileSync(input, 'utf8');
  const spec = JSON.parse(text);
  const patch = spec.genesis && spec.genesis.runtimeGenesis && spec.genesis.runtimeGenesis.patch;
  if (!patch) fail(`${input} has no genesis.runtimeGenesis.patch (is it a raw spec?)`);
  if (!patch.aura || !patch.grandpa) fail(`${input} has no aura/grandpa section: not a WaaS spec?`);

  const capitalised = (name) => name.charAt(0).toUpperCase() + name.slice(1);
  const validators = validatorList.split(',').filter(Boolean);
  const sr = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const ed = new Keyring({ type: 'ed25519', ss58Format: 42 });
  patch.aura.authorities = validators.map((v) => sr.addFromUri(`//${capitalised(v)}`).address);
  patch.grandpa.authorities = validators.map((v) => [ed.addFromUri(`//${capitalised(v)}`).address, 1]);

  const signers = identityFiles.map((file) => {
    const id = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const field of ['account', 'p2p_key', 'address']) {
      if (!id[field]) fail(`${file} has no ${field}`);
    }
    const p2pKey = Array.from(hexToU8a(id.p2p_key));
    if (p2pKey.length !== 32) fail(`${file}: p2p_key is not 32 bytes`);
    return [id.account, p2pKey, Array.from(stringToU8a(id.address))];
  });
  patch.thresholdSigners = {
    signers,
    committees: [[signers.map(([account]) => account), threshold]],
    // Key 0 of committee 0, `null`: its DKG is requested in the first block.
    keys: [[0, null]],
  };

  spec.name = `WaaS Zombienet (${validators.length} validators, ${threshold}-of-${signers.length} signers)`;
  spec.id = 'waas_zombienet';
  // The local preset's boot node is 127.0.0.1:30333, a port other local nodes may use;
  // zombienet adds the first node of the network as the boot node.
  spec.bootNodes = [];

  const out = `${JSON.stringify(spec, null, 2)}\n`;
  const before = longIntegers(text);
  const after = longIntegers(out);
  const missing = before.filter((n) => !after.includes(n));
  if (missing.length) fail(`integers changed while patching: ${missing.slice(0, 3).join(', ')}`);
  fs.writeFileSync(output, out);
  console.error(`patch-spec: ${output}: ${validators.length} authorities (${validators.join(', ')}), `
    + `committee of ${signers.length} with threshold ${threshold}, key 0 requested at genesis`);
})().catch((e) => fail(e.stack || e.message));
