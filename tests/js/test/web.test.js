// The onboarding page (web/) in a real headless Chromium: the esbuild bundle of polkadot.js loads
// without errors, says the node is unreachable when none runs, and shows the chain and best block
// of the real dev node. Also the static server web/serve.js serves only what it should.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowser } from '../lib/browser.js';
import { startDevNode, freePort } from '../lib/node.js';
import { startStaticServer } from '../../../web/serve.js';

const WEB = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web');
const PAGE = { root: WEB, expose: ['index.html', 'dist'] };

// Waits until #status has data-state `state`; returns its text.
async function statusWhen(page, state, ms = 60_000) {
  await page.waitForFunction((s) => document.getElementById('status')?.dataset.state === s, { timeout: ms }, state);
  return page.$eval('#status', (e) => e.textContent);
}

// A raw GET of `path` (not normalised, unlike fetch): resolves the status code.
function get(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('web/: the onboarding page in Chromium', () => {
  before(() => {
    // The bundle under test is the one web/build.js makes from the sources now.
    execFileSync(process.execPath, [join(WEB, 'build.js')], { cwd: WEB, stdio: 'pipe', timeout: 120_000 });
    assert.ok(existsSync(join(WEB, 'dist', 'app.js')));
  });

  it('serve.js serves index.html and dist/ only, never outside web/', async () => {
    const s = await startStaticServer(PAGE);
    try {
      assert.equal(await get(s.port, '/'), 200);
      assert.equal(await get(s.port, '/index.html'), 200);
      assert.equal(await get(s.port, '/dist/app.js'), 200);
      assert.equal(await get(s.port, '/package.json'), 404);
      assert.equal(await get(s.port, '/src/app.js'), 404);
      assert.equal(await get(s.port, '/serve.js'), 404);
      assert.equal(await get(s.port, '/dist/../package.json'), 404);
      assert.equal(await get(s.port, '/dist/%2e%2e/package.json'), 404);
      assert.equal(await get(s.port, '/dist/%2e%2e/%2e%2e/Cargo.toml'), 404);
      const res = await fetch(`${s.url('/dist/app.js')}`);
      assert.match(res.headers.get('content-type'), /^text\/javascript/);
      assert.equal((await fetch(s.url('/'), { method: 'POST' })).status, 405);
    } finally {
      await s.close();
    }
  });

  it('loads without errors and says so when no node answers', async () => {
    const port = await freePort(); // nothing listens there
    const h = await startBrowser({ ...PAGE, authenticator: false, path: `/?ws=ws://127.0.0.1:${port}` });
    try {
      const text = await statusWhen(h.page, 'unreachable', 30_000);
      assert.equal(text, `cannot reach ws://127.0.0.1:${port} (retrying)`);
      assert.deepEqual(h.pageErrors, []);
      // The only console errors are about the refused WebSocket (the browser's and polkadot.js').
      const unexpected = h.consoleMessages.filter((m) => m.type === 'error'
        && !m.text.includes(`ws://127.0.0.1:${port}`));
      assert.deepEqual(unexpected, []);
    } finally {
      await h.close();
    }
  });

  it('rejects a ws parameter that is not a WebSocket URL', async () => {
    const h = await startBrowser({ ...PAGE, authenticator: false, path: '/?ws=http://127.0.0.1:9944' });
    try {
      assert.equal(await statusWhen(h.page, 'error', 30_000), 'not a ws:// or wss:// URL: http://127.0.0.1:9944');
      assert.deepEqual(h.pageErrors, []);
    } finally {
      await h.close();
    }
  });

  describe('against the dev node', () => {
    let node;
    let h;
    before(async () => { node = await startDevNode(); });
    after(async () => {
      if (h) await h.close();
      if (node) await node.stop();
    });

    it('shows the chain and a block number that advances', async () => {
      const chain = (await node.api.rpc.system.chain()).toString();
      h = await startBrowser({ ...PAGE, authenticator: false, path: `/?ws=${encodeURIComponent(node.url)}` });
      const first = await statusWhen(h.page, 'connected');
      const m = first.match(/^connected to (.+) at block #(\d+)$/);
      assert.ok(m, first);
      assert.equal(m[1], chain);
      const n = Number(m[2]);
      await h.page.waitForFunction((n) => {
        const t = document.getElementById('status').textContent.match(/#(\d+)$/);
        return t && Number(t[1]) > n;
      }, { timeout: 60_000 }, n);
      assert.deepEqual(h.pageErrors, []);
      assert.deepEqual(h.consoleMessages.filter((x) => x.type === 'error'), []);
    });
  });
});
