// Starts `waas-devnet` (waas-node --dev and three waas-signer processes that make committee key
// 0 by a real 2-of-3 DKG, about a minute) on a free port, for tests that need real threshold
// signatures. One devnet is meant to serve every such test of a run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVNET_BINARY, freePort, withTimeout } from './node.js';

/**
 * Starts the devnet (with `args` added to its command line, e.g. `--evm-rpc`) and resolves `{ url, output(), stop() }` once it says it is up (bounded by
 * `timeoutMs`). `output()` is everything it printed so far (for failure messages); `stop()`
 * sends SIGINT, which lets it stop its node and signers (SIGKILL would orphan them), waits for
 * it (SIGKILL after 20 s) and removes its data directory.
 */
export async function startDevnet({ timeoutMs = 300_000, args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'waas-devnet-'));
  const port = await freePort();
  const child = spawn(DEVNET_BINARY, ['--rpc-port', String(port), '--dir', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (d) => { output += d; });
  child.stdout.on('data', (d) => { output += d; });
  const interruptOnExit = () => child.kill('SIGINT');
  process.on('exit', interruptOnExit);

  const stop = async () => {
    process.off('exit', interruptOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await withTimeout(exited, 20_000, 'waas-devnet stop').catch(() => child.kill('SIGKILL'));
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const url = await withTimeout(new Promise((resolve, reject) => {
      const check = () => {
        const m = /RPC:\s+(ws:\/\/\S+)/.exec(output);
        if (m && output.includes('WaaS devnet is up.')) resolve(m[1]);
      };
      child.stdout.on('data', check);
      child.on('exit', (code) => reject(new Error(`waas-devnet exited (${code})`)));
    }), timeoutMs, 'waas-devnet ready');
    return { url, output: () => output, stop };
  } catch (e) {
    await stop();
    throw new Error(`${e.message}\n--- waas-devnet ---\n${output}`);
  }
}
