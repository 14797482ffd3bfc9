// A real anvil node (npm @foundry-rs/anvil) on loopback, for tests that need an EVM chain:
// started with its own chain id, reached through an ethers provider, stopped afterwards.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsonRpcProvider, Wallet } from 'ethers';
import { freePort, withTimeout } from './node.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The anvil binary the npm package installs (scripts/setup.sh runs `npm ci` in tests/js). */
export const ANVIL_BINARY = process.env.ANVIL ||
  join(here, '..', 'node_modules', '@foundry-rs', 'anvil-linux-amd64', 'bin', 'anvil');

/** Private keys of anvil's first dev accounts (its documented test mnemonic; funded). */
export const ANVIL_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
];

/**
 * Starts anvil with `chainId` (and, with `blockTime`, a block every that many seconds besides
 * the ones its transactions make) on a free loopback port and resolves `{ url, provider, wallet(i),
 * stop }` once it answers. Fails (never skips) if the binary is missing.
 */
export async function startAnvil({ chainId, blockTime, timeoutMs = 30_000 }) {
  if (!existsSync(ANVIL_BINARY)) {
    throw new Error(`anvil not found at ${ANVIL_BINARY}: run scripts/setup.sh (npm ci in tests/js)`);
  }
  const port = await freePort();
  const child = spawn(ANVIL_BINARY, [
    '--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId), '--silent',
    ...(blockTime ? ['--block-time', String(blockTime)] : []),
  ], { stdio: 'ignore' });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  let exited = false;
  child.on('exit', () => { exited = true; });
  const url = `http://127.0.0.1:${port}`;
  // A fixed network: no chain-id probing, no caching, fast polling.
  const provider = new JsonRpcProvider(url, chainId, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 50 });
  const stop = async () => {
    provider.destroy();
    process.off('exit', killOnExit);
    if (!exited) {
      child.kill('SIGTERM');
      await withTimeout(new Promise((r) => child.once('exit', r)), 5000, 'anvil exit').catch(() => child.kill('SIGKILL'));
    }
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error('anvil exited');
    try {
      const id = await withTimeout(provider.send('eth_chainId', []), 1000, 'eth_chainId');
      if (BigInt(id) !== BigInt(chainId)) throw new Error(`anvil answers chain id ${id}`);
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`anvil did not come up on ${url}: ${e.message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, provider, wallet: (i) => new Wallet(ANVIL_KEYS[i], provider), stop };
}
