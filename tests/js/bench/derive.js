// Measures what on-chain BIP32 derivation costs in the runtime (wasm), through the
// `waas_deriveAddress` RPC (runtime API `WaasApi_derive_address`): the time per call at path
// depth 0 and 8; the difference / 8 is the cost of one derivation step inside wasm, since
// everything else (RPC, runtime-API call, key lookup, EIP-55 encoding) is the same.
// Run: node bench/derive.js   (needs the release waas-node; prints a Markdown table row)
import { Keyring } from '@polkadot/keyring';
import { HDNodeWallet } from 'ethers';
import { startDevNode, sendAndFinalize, findEvent, rpc } from '../lib/node.js';

const CALLS = Number(process.env.CALLS || 300);

async function activateTestKey(api) {
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, ...members] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((u) => keyring.addFromUri(u));
  const sudo = (call) => sendAndFinalize(api, api.tx.sudo.sudo(call), alice);
  for (const [i, m] of members.entries()) {
    await sudo(api.tx.thresholdSigners.registerSigner(m.address, '0x' + '01'.repeat(31) + String(i).padStart(2, '0'), `127.0.0.1:${30401 + i}`));
  }
  await sudo(api.tx.thresholdSigners.createCommittee(members.map((m) => m.address), 2));
  await sudo(api.tx.thresholdSigners.requestKeygen(0));
  const key = HDNodeWallet.fromSeed('0x' + '07'.repeat(32));
  let events;
  for (const m of members) {
    events = await sendAndFinalize(api, api.tx.thresholdSigners.reportKeygen(0, key.publicKey, key.chainCode), m);
  }
  findEvent(events, 'thresholdSigners', 'KeyActivated');
}

async function timeCalls(api, path) {
  for (let i = 0; i < 20; i++) await rpc(api, 'waas_deriveAddress', [0, path, 'eip155:1']); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await rpc(api, 'waas_deriveAddress', [0, path, 'eip155:1']);
  return Number(process.hrtime.bigint() - start) / 1e6 / CALLS; // ms per call
}

const node = await startDevNode();
try {
  await activateTestKey(node.api);
  const depth0 = await timeCalls(node.api, []);
  const depth8 = await timeCalls(node.api, [1, 2, 3, 4, 5, 6, 7, 8]);
  const perStep = (depth8 - depth0) / 8;
  console.log(`| waas_deriveAddress, ${CALLS} sequential calls | depth 0: ${depth0.toFixed(3)} ms | depth 8: ${depth8.toFixed(3)} ms | per step in wasm: ${perStep.toFixed(3)} ms |`);
} finally {
  await node.stop();
}
