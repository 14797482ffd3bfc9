// The README's main job and example, end to end: `waas-devnet` (node + three waas-signer
// processes, a real 2-of-3 DKG) and `examples/sign.js` (Meta-Account → EVM address → a
// threshold signature that ethers recovers to the address).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEVNET_BINARY, freePort, withTimeout } from '../lib/node.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('waas-devnet and examples/sign.js', () => {
  let devnet;
  let dir;
  let url;
  let output = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waas-devnet-'));
    const port = await freePort();
    devnet = spawn(DEVNET_BINARY, ['--rpc-port', String(port), '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    devnet.stderr.on('data', (d) => { output += d; });
    await withTimeout(new Promise((resolve, reject) => {
      devnet.stdout.on('data', (d) => {
        output += d;
        const m = /RPC:\s+(ws:\/\/\S+)/.exec(output);
        if (m && output.includes('WaaS devnet is up.')) { url = m[1]; resolve(); }
      });
      devnet.on('exit', (code) => reject(new Error(`waas-devnet exited (${code}):\n${output}`)));
    }), 300_000, 'waas-devnet ready');
  });

  // SIGINT lets waas-devnet stop its node and signers; SIGKILL would orphan them.
  after(async () => {
    if (devnet && devnet.exitCode === null) {
      const exited = new Promise((resolve) => devnet.once('exit', resolve));
      devnet.kill('SIGINT');
      await withTimeout(exited, 20_000, 'waas-devnet stop').catch(() => devnet.kill('SIGKILL'));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gets a committee signature that recovers to the provisioned address', async () => {
    const { stdout } = await withTimeout(new Promise((resolve, reject) => {
      execFile(process.execPath, [join(here, '..', 'examples', 'sign.js'), url], { timeout: 240_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stdout}\n${stderr}\n--- devnet ---\n${output}`));
        else resolve({ stdout });
      });
    }), 250_000, 'examples/sign.js');
    assert.match(stdout, /ethers recovers 0x[0-9a-fA-F]{40}: matches the address/);
  });
});
