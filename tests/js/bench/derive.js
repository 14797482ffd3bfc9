// Measures what on-chain BIP32 derivation costs in the runtime (wasm), through the
// `waas_deriveAddress` RPC (runtime API `WaasApi_derive_address`): the time per call at path
// depth 0 and 8; the difference / 8 is the cost of one derivation step inside wasm, since
// everything else (RPC, runtime-API call, key lookup, EIP-55 encoding) is the same.
// The RPC derives any path up to depth 8 (namespace rules apply to signing, not to derivation).
// Run: node bench/derive.js   (needs the release waas-node; prints a Markdown table row)
import { startDevNode, rpc } from '../lib/node.js';
import { activateTestKey, devAccounts } from '../lib/waas.js';

const CALLS = Number(process.env.CALLS || 300);

async function timeCalls(api, path) {
  for (let i = 0; i < 20; i++) await rpc(api, 'waas_deriveAddress', [0, path, 'eip155:1']); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await rpc(api, 'waas_deriveAddress', [0, path, 'eip155:1']);
  return Number(process.hrtime.bigint() - start) / 1e6 / CALLS; // ms per call
}

const node = await startDevNode();
try {
  // Key 0 from a 2-of-3 committee, made Active with a TEST-ONLY key (lib/waas.js).
  const [alice, ...members] = devAccounts('Alice', 'Bob', 'Charlie', 'Dave');
  await activateTestKey(node.api, alice, members);
  const depth0 = await timeCalls(node.api, []);
  const depth8 = await timeCalls(node.api, [1, 2, 3, 4, 5, 6, 7, 8]);
  const perStep = (depth8 - depth0) / 8;
  console.log(`| waas_deriveAddress, ${CALLS} sequential calls | depth 0: ${depth0.toFixed(3)} ms | depth 8: ${depth8.toFixed(3)} ms | per step in wasm: ${perStep.toFixed(3)} ms |`);
} finally {
  await node.stop();
}
