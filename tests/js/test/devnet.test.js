// The README's main job and its examples, end to end, on ONE `waas-devnet` (node + three
// waas-signer processes, a real 2-of-3 DKG: about a minute, paid once for all of them):
// - examples/sign.js (a Substrate key's Meta-Account → address → threshold signature);
// - examples/evm-wallet.js with EIP-191 and with EIP-712 (an EVM wallet's Meta-Account);
// - the onboarding page (web/) in real headless Chromium with CDP virtual authenticators:
//   passkey → dev faucet → Meta-Account → address → a signature checked with ethers here, a
//   second device that joins and acts by itself, and refused actions shown as typed errors.
// They run concurrently, each paying from its own dev account (the page: //Alice, sign.js: //Eve,
// evm-wallet.js: //Ferdie and //Ferdie//stash; the signers are Bob, Charlie and Dave), each bounded.
// - swap intents settled by the committee on two real anvil nodes (source 31337, destination
//   31338): examples/intent.js, and tests with a signer (Dave) pointed at a lying node (a third
//   anvil that also says it is 31337), bad fills, an ERC-20, a short deposit refunded, and a
//   late fill: the deadline passes, the signers expire the intent and refund it;
// - the audit pallet's EVM anchor sink, set on the source anvil: the committee signs a
//   publication of the anchors tree head, a member broadcasts it, anvil mines it and
//   `waas-audit verify-evm` checks it from the EVM side.
// WAAS_SCREENSHOT=<path.png> also saves the page after its signature arrived;
// WAAS_DEVNET_URL=ws://… runs everything against a devnet that is already up (then the intent
// tests are skipped with a message: they need the anvil nodes this file starts).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { keccak256, recoverAddress, Signature, toUtf8Bytes, hexlify } from 'ethers';
import { withTimeout, AUDIT_BINARY } from '../lib/node.js';
import { leafHash, hex, rootFromInclusionProof } from '../lib/merkle.js';
import { tmpdir } from 'node:os';
import { startDevnet } from '../lib/devnet.js';
import { startBrowser } from '../lib/browser.js';
import { sendUnsigned, devAccounts, sudo } from '../lib/waas.js';
import { startAnvil } from '../lib/anvil.js';
import { sendAndFinalize } from '../lib/node.js';
import {
  ETHER, ERC20, fundedWallet, ensureMetaAccount, intentTerms, createIntent, waitForIntent, ensureSolver, sendFill, until,
} from '../lib/intents.js';
import { readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { ContractFactory, Wallet, getAddress, Contract, Transaction } from 'ethers';

const here = dirname(fileURLToPath(import.meta.url));
const WEB = join(here, '..', '..', '..', 'web');
const STEP_MS = 90_000; // one page step: at most a passkey ceremony and a transaction
const SIGNATURE_MS = 180_000; // the committee's signature, from the request on

let devnet;
/** The EVM chains the devnet's signers watch: source, destination, and the lying source node. */
const SOURCE = 31337;
const DESTINATION = 31338;
let source, destination, liar;

// Runs an example script against the devnet; resolves its stdout, or rejects with everything.
function runExample(args, ms = 240_000) {
  return withTimeout(new Promise((resolvePromise, reject) => {
    execFile(process.execPath, [join(here, '..', 'examples', ...args.slice(0, 1)), devnet.url, ...args.slice(1)],
      { timeout: ms }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stdout}\n${stderr}\n--- devnet ---\n${devnet.output()}`));
        else resolvePromise(stdout);
      });
  }), ms + 10_000, args.join(' '));
}

// ---- the signers' session logs ------------------------------------------------------------

// Runs waas-audit against the devnet; resolves { code, stdout, stderr } (never rejects on a
// non-zero exit: the tests look at why).
function audit(args, ms = 60_000) {
  return new Promise((resolvePromise) => {
    execFile(AUDIT_BINARY, ['--node', devnet.url, ...args], { timeout: ms }, (err, stdout, stderr) => {
      resolvePromise({ code: err ? (err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

// The session log files of the devnet's signers (its output lists them).
const sessionLogs = () => [...devnet.output().matchAll(/session log (\w+)\s+(\S+)/g)].map((m) => ({ name: m[1], path: m[2] }));
const entriesOf = (path) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

// The two members that signed request `request` each logged the session; once a log is
// anchored, waas-audit proves the entry against the chain and compares its signature with
// the chain's, and a third party verifies the proof document alone. A tampered document and
// an edited copy of the log are refused.
async function proveSignatureSession(request) {
  const signedIt = (e) => e.kind === 'sign' && e.id === request && e.outcome === 'ok';
  assert.equal(sessionLogs().length, 3, 'the devnet lists three session logs');
  const signing = await until(`the two signing members logged request ${request}'s session`, async () => {
    const found = sessionLogs().filter(({ path }) => existsSync(path) && entriesOf(path).some(signedIt));
    return found.length === 2 && found;
  }, { ms: 30_000 });
  const [{ path }] = signing;
  const entry = entriesOf(path).find(signedIt);
  assert.equal(entry.parties.length, 2);
  const doc = join(tmpdir(), `waas-audit-${request}-${process.pid}.json`);
  let proved;
  await until('the session is anchored and proven', async () => {
    proved = await audit(['prove-signature', '--log-file', path, '--request', String(request), '--out', doc]);
    return proved.code === 0;
  }, { ms: 120_000, context: () => `${proved?.stderr}\n--- devnet ---\n${devnet.output()}` });
  assert.match(proved.stderr, new RegExp(`matches request ${request}'s signature on-chain`));
  assert.match(proved.stderr, new RegExp(`verified: entry ${entry.seq} of log \\d+ \\(Sign ${request} attempt`));
  const verified = await audit(['verify', '--proof', doc]);
  assert.equal(verified.code, 0, verified.stderr);
  assert.match(verified.stdout, /verified: entry/);

  // Another signature in the entry, its leaf hash recomputed: the path no longer leads to
  // the anchored root.
  const document = JSON.parse(readFileSync(doc, 'utf8'));
  const forged = { ...document.entry, signature: '0x' + '00'.repeat(64) };
  writeFileSync(doc, JSON.stringify({ ...document, entry: forged, leafHash: hex(leafHash(JSON.stringify(forged))) }));
  const refused = await audit(['verify', '--proof', doc]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /the audit path does not hold/);
  writeFileSync(doc, JSON.stringify({ ...document, entry: forged }));
  assert.match((await audit(['verify', '--proof', doc])).stderr, /the leaf hash is not the hash of the entry/);
  // A copy of the log with the anchored entry's signature edited (still well-formed).
  const copy = `${doc}.jsonl`;
  writeFileSync(copy, readFileSync(path, 'utf8').replace(entry.signature, '0x' + '00'.repeat(64)));
  const status = await audit(['status', '--log-file', copy]);
  assert.notEqual(status.code, 0);
  assert.match(status.stdout, /THE FILE DOES NOT HOLD IT/);
  const honest = await audit(['status', '--log-file', path]);
  assert.equal(honest.code, 0, honest.stderr);
  assert.match(honest.stdout, /the file holds it/);
  rmSync(doc, { force: true });
  rmSync(copy, { force: true });
}

// The Meta-Account's activity log, read from a devnet node and checked against its root
// there, records the address sign.js provisioned, the request and its signed outcome, in
// that order, after the account's creation.
async function checkActivityOfSignature(stdout) {
  const meta = /Meta-Account (0x[0-9a-f]{64})/.exec(stdout)[1];
  const index = Number(/address #(\d+):/.exec(stdout)[1]);
  const request = Number(/signature request (\d+):/.exec(stdout)[1]);
  const provider = new WsProvider(devnet.url);
  try {
    await withTimeout(provider.isReady, 30_000, 'devnet RPC');
    const log = await until('the signature\'s outcome is in the activity log', async () => {
      const l = await withTimeout(provider.send('waas_accountActivity', [meta, 0, 100]), 10_000, 'waas_accountActivity');
      return l.entries.some((e) => e.kind === 'SignatureEnded') && l;
    }, { ms: 60_000 });
    const api = await withTimeout(ApiPromise.create({ provider, noInitWarn: true }), 30_000, 'devnet API');
    const entries = log.entries.map((e) => api.createType('PalletAuditAnchorsActivityEntry', e.entry).activity);
    assert.ok(entries[0].isCreated, 'the log starts with the creation');
    const at = (pred) => entries.findIndex(pred);
    const provisioned = at((a) => a.isAddressProvisioned && a.asAddressProvisioned.index.toNumber() === index);
    const requested = at((a) => a.isSignatureRequested && a.asSignatureRequested.request.toNumber() === request);
    const ended = at((a) => a.isSignatureEnded && a.asSignatureEnded.request.toNumber() === request);
    assert.ok(provisioned > 0 && requested > provisioned && ended > requested, log.entries.map((e) => e.kind).join(', '));
    assert.ok(entries[ended].asSignatureEnded.outcome.isSigned);
    assert.equal(entries[provisioned].asAddressProvisioned.chain.toUtf8(), 'eip155:1');
    const proof = await provider.send('waas_activityProof', [meta, ended]);
    const verdict = await provider.send('waas_verifyActivity', [meta, proof.leafHash, ended, proof.treeSize, proof.proof]);
    assert.deepEqual(verdict, { valid: true });
    await api.disconnect();
  } finally {
    await provider.disconnect().catch(() => {});
  }
}

// ---- driving the page ---------------------------------------------------------------------

const text = (page, selector) => page.$eval(selector, (e) => e.textContent);

// Clicks `button` and waits for that run of the step whose status is `status` to end; resolves
// { state: 'done' | 'error', text }. A step's status counts its runs in data-run.
async function step(device, button, status, ms = STEP_MS) {
  const { page } = device;
  await page.bringToFront(); // WebAuthn needs the focused page
  await page.waitForSelector(`#${button}:not([disabled])`, { visible: true, timeout: ms });
  const run = await page.$eval(`#${status}`, (e) => Number(e.dataset.run ?? 0));
  await page.click(`#${button}`);
  await page.waitForFunction((id, run) => {
    const e = document.getElementById(id);
    return Number(e.dataset.run ?? 0) > run && e.dataset.state !== 'busy';
  }, { timeout: ms }, status, run);
  return page.$eval(`#${status}`, (e) => ({ state: e.dataset.state, text: e.textContent }));
}

// Like step, and the step must succeed.
async function ok(device, button, status, ms) {
  const r = await step(device, button, status, ms);
  assert.equal(r.state, 'done', `${button}: ${r.text}`);
  return r.text;
}

const setValue = (page, selector, value) => page.$eval(selector, (e, v) => { e.value = v; }, value);

async function connected(page) {
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'connected', { timeout: 60_000 });
}

describe('waas-devnet: the examples and the onboarding page', { concurrency: true }, () => {
  before(async () => {
    // The page under test is the bundle web/build.js makes from the sources now.
    execFileSync(process.execPath, [join(WEB, 'build.js')], { cwd: WEB, stdio: 'pipe', timeout: 120_000 });
    // WAAS_DEVNET_URL: use a devnet that is already running (e.g. ./scripts/dev.sh) instead.
    if (process.env.WAAS_DEVNET_URL) {
      devnet = { url: process.env.WAAS_DEVNET_URL, output: () => '(not started by this test)', stop: async () => {} };
      return;
    }
    // Anvil mines a block a second, so deposits and fills get their confirmation.
    [source, destination, liar] = await Promise.all([
      startAnvil({ chainId: SOURCE, blockTime: 1 }), startAnvil({ chainId: DESTINATION, blockTime: 1 }),
      startAnvil({ chainId: SOURCE, blockTime: 1 }),
    ]);
    devnet = await startDevnet({
      args: ['--evm-rpc', `${SOURCE}=${source.url}`, '--evm-rpc', `${DESTINATION}=${destination.url}`,
        '--signer-evm-rpc', `dave:${SOURCE}=${liar.url}`],
    });
  });
  after(async () => {
    if (devnet) await devnet.stop();
    await Promise.all([source, destination, liar].map((a) => a?.stop()));
  });

  it('examples/sign.js: a committee signature recovers to the provisioned address; waas-audit proves its session against the anchored logs', async () => {
    const stdout = await runExample(['sign.js']);
    assert.match(stdout, /ethers recovers 0x[0-9a-fA-F]{40}: matches the address/);
    await checkActivityOfSignature(stdout);
    if (process.env.WAAS_DEVNET_URL) return; // the session logs are where that devnet keeps them
    await proveSignatureSession(Number(/signature request (\d+):/.exec(stdout)[1]));
  });

  it('examples/evm-wallet.js (EIP-191): an EVM wallet\'s Meta-Account signs', async () => {
    const stdout = await runExample(['evm-wallet.js', '--funder', '//Ferdie']);
    assert.match(stdout, /signs with EIP-191 personal_sign/);
    assert.match(stdout, /created Meta-Account 0x[0-9a-f]{64}: the wallet is its Owner/);
    assert.match(stdout, /envelope #1 \(ask for a signature\)/);
    assert.match(stdout, /ethers recovers 0x[0-9a-fA-F]{40}: matches the address/);
  });

  it('examples/evm-wallet.js --typed (EIP-712), with a given key', async () => {
    const key = '0x' + randomBytes(32).toString('hex');
    const stdout = await runExample(['evm-wallet.js', key, '--typed', '--funder', '//Ferdie//stash']);
    assert.match(stdout, /wallet 0x[0-9a-fA-F]{40} \(from the key given; signs with EIP-712 signTypedData\)/);
    assert.match(stdout, /possession statement 0x[0-9a-f]{64}: signed \(TypedData\)/);
    assert.match(stdout, /ethers recovers 0x[0-9a-fA-F]{40}: matches the address/);
  });

  // Its steps build on each other: one at a time (a suite inherits its parent's concurrency).
  describe('the onboarding page with passkeys', { concurrency: false }, () => {
    let api;
    let h; // the browser, and device 1
    let dev2;
    let metaAccount;
    let credential1;
    let addressText;

    before(async () => {
      api = await withTimeout(ApiPromise.create({ provider: new WsProvider(devnet.url), noInitWarn: true }), 30_000, 'api');
      h = await startBrowser({ root: WEB, expose: ['index.html', 'dist'], path: `/?ws=${encodeURIComponent(devnet.url)}` });
      await connected(h.page);
    });
    after(async () => {
      if (h) await h.close();
      if (api) await api.disconnect();
    });

    it('creates a passkey; creating before the faucet is refused with a typed error', async () => {
      const created = await ok(h, 'create-passkey', 'passkey-status');
      assert.match(created, /^passkey 0x[0-9a-f]{8}…[0-9a-f]{8} created; it signed the statement for Meta-Account 0x[0-9a-f]{8}…[0-9a-f]{8}$/);
      const creds = await h.credentials(h.authenticatorId);
      assert.equal(creds.length, 1);
      credential1 = '0x' + Buffer.from(creds[0].credentialId, 'base64').toString('hex');
      assert.equal(creds[0].isResidentCredential, true);
      const next = await api.call.waasApi.nextMetaAccount({ Passkey: credential1 });
      assert.equal(await text(h.page, '#pending-id'), next.id.toHex());
      assert.equal(await text(h.page, '#pending-sovereign'), next.sovereignAccount.toString());

      // The sovereign account has nothing yet: the pool refuses, and the page names the error.
      const refused = await step(h, 'create-account', 'create-status');
      assert.equal(refused.state, 'error');
      assert.match(refused.text, /^metaAccounts\.CannotPayFee: The fee payer cannot pay the fee/);
    });

    it('dev faucet, then creates the Meta-Account; a reload finds it again', async () => {
      assert.match(await ok(h, 'faucet', 'faucet-status'), /^10 WAAS sent to .+ in block #\d+$/);
      await h.page.waitForFunction(() => document.getElementById('pending-balance').textContent === '10.0000 WAAS', { timeout: 30_000 });
      assert.match(await ok(h, 'create-account', 'create-status'), /^Meta-Account 0x[0-9a-f]{8}…[0-9a-f]{8} created$/);
      await h.page.waitForSelector('#account:not([hidden])', { timeout: 30_000 });
      metaAccount = await text(h.page, '#account-id');
      const view = (await api.call.waasApi.metaAccount(metaAccount)).unwrap();
      assert.equal(view.authenticators.length, 1);
      assert.equal(view.authenticators[0].key.asPasskey.toHex(), credential1);
      assert.equal(view.authenticators[0].role.type, 'Owner');
      assert.equal(await text(h.page, '#device-credential'), credential1);
      assert.equal(await h.page.$eval('#authenticators tbody tr', (tr) => tr.dataset.role), 'Owner');

      await h.page.reload({ waitUntil: 'load' });
      await connected(h.page);
      await h.page.waitForSelector('#account:not([hidden])', { timeout: 30_000 });
      assert.equal(await text(h.page, '#account-id'), metaAccount);
    });

    it('provisions an address and gets a signature that ethers recovers to it', async () => {
      assert.match(await ok(h, 'provision', 'provision-status'), /^address #0 provisioned: 0x[0-9a-fA-F]{40}$/);
      await h.page.waitForSelector('#addresses tbody tr[data-index="0"]', { timeout: 30_000 });
      addressText = await h.page.$eval('#addresses tbody tr[data-index="0"]', (tr) => tr.dataset.address);
      const [onChain] = await api.call.waasApi.addresses(metaAccount, 0, 1);
      assert.equal(Buffer.from(onChain.address.toU8a(true)).toString(), addressText);

      const payload = `Pay 1 ETH to 0x00000000000000000000000000000000000000cc, ${Date.now()}`;
      await setValue(h.page, '#sign-payload', payload);
      assert.match(await ok(h, 'sign', 'sign-status'), /^signature request \d+ accepted/);
      await h.page.waitForFunction(() => ['Signed', 'Failed', 'Cancelled'].includes(document.getElementById('signature').dataset.state),
        { timeout: SIGNATURE_MS });
      assert.match(await text(h.page, '#sig-state'), /^Signed: signed in block #\d+ by /);
      const signature = await text(h.page, '#sig-value');
      const recoveryId = Number(await text(h.page, '#sig-recovery'));
      assert.match(signature, /^0x[0-9a-f]{128}$/);
      // Independently of the page: ethers recovers the signer from keccak-256 of the payload.
      const recovered = recoverAddress(keccak256(toUtf8Bytes(payload)),
        Signature.from({ r: signature.slice(0, 66), s: '0x' + signature.slice(66), yParity: recoveryId }));
      assert.equal(recovered, addressText);
      assert.equal(await text(h.page, '#sig-recovered'), addressText);
      assert.equal(await h.page.$eval('#sig-match', (e) => e.dataset.match), 'yes');
      // The chain signed exactly the bytes typed.
      const request = Number((await text(h.page, '#sig-request')).match(/^#(\d+)/)[1]);
      const view = (await api.call.waasApi.signatureRequest(request)).unwrap();
      assert.equal(hexlify(view.payload.toU8a(true)), hexlify(toUtf8Bytes(payload)));

      if (process.env.WAAS_SCREENSHOT) {
        await h.page.setViewport({ width: 1100, height: 800, deviceScaleFactor: 1 });
        await new Promise((r) => setTimeout(r, 500));
        await h.page.screenshot({ path: resolve(process.env.WAAS_SCREENSHOT), fullPage: true });
      }
      assert.deepEqual(h.pageErrors, []);
    });

    it('a second device joins, is approved by the first, and acts by itself', async () => {
      dev2 = await h.newDevice({ path: `/?ws=${encodeURIComponent(devnet.url)}` });
      await connected(dev2.page);
      await setValue(dev2.page, '#join-meta', metaAccount);
      await dev2.page.select('#join-role', 'Owner');
      assert.match(await ok(dev2, 'join-create', 'join-status'), /created for 0x[0-9a-f]{8}…[0-9a-f]{8} as Owner$/);
      const code = await dev2.page.$eval('#join-code', (e) => e.value);
      const parsed = JSON.parse(code);
      const creds2 = await dev2.credentials(dev2.authenticatorId);
      assert.equal(creds2.length, 1);
      const credential2 = '0x' + Buffer.from(creds2[0].credentialId, 'base64').toString('hex');
      assert.equal(parsed.credentialId, credential2);
      assert.equal(parsed.metaAccount, metaAccount);
      assert.equal((await h.credentials(h.authenticatorId)).length, 1, 'device 1 has only its own passkey');

      await setValue(h.page, '#approve-code', code);
      assert.match(await ok(h, 'approve', 'approve-status'), /added as Owner$/);
      const view = (await api.call.waasApi.metaAccount(metaAccount)).unwrap();
      assert.deepEqual(view.authenticators.map((a) => [a.key.asPasskey.toHex(), a.role.type]).sort(),
        [[credential1, 'Owner'], [credential2, 'Owner']].sort());

      // Creating a Meta-Account with that passkey now: the pool refuses with Custom(index of
      // AlreadyAuthenticator), which poolRefusal names from the metadata (as the page does).
      const registration = { attestationObject: parsed.attestationObject, clientDataJson: parsed.clientDataJson, possession: parsed.possession };
      await assert.rejects(sendUnsigned(api, api.tx.metaAccounts.createWithAuthenticator({ Passkey: registration }, 'MetaAccount')),
        (e) => e.error === 'metaAccounts.AlreadyAuthenticator' && /Custom error: \d+/.test(e.detail));

      // The same code again: the Meta-Account's epoch moved on, so its possession proof is stale.
      await setValue(h.page, '#approve-code', code);
      const again = await step(h, 'approve', 'approve-status');
      assert.equal(again.state, 'error');
      assert.match(again.text, /^metaAccounts\.PasskeyChallengeMismatch: /);

      // Device 2 finds its Meta-Account by itself and provisions with its own passkey.
      await dev2.page.waitForSelector('#account:not([hidden])', { timeout: 30_000 });
      assert.equal(await text(dev2.page, '#account-id'), metaAccount);
      assert.equal(await text(dev2.page, '#device-credential'), credential2);
      assert.match(await ok(dev2, 'provision', 'provision-status'), /^address #1 provisioned: 0x[0-9a-fA-F]{40}$/);
      const [, second] = await api.call.waasApi.addresses(metaAccount, 0, 2);
      assert.equal(second.index.toNumber(), 1);

      // Its passkey gone from the authenticator: the page shows WebAuthn's refusal, nothing is sent.
      const nonce = (await api.call.waasApi.metaAccount(metaAccount)).unwrap().nonce.toBigInt();
      await withTimeout(dev2.cdp.send('WebAuthn.removeCredential', { authenticatorId: dev2.authenticatorId, credentialId: creds2[0].credentialId }), 10_000, 'remove credential');
      const refused = await step(dev2, 'provision', 'provision-status');
      assert.equal(refused.state, 'error');
      assert.match(refused.text, /^passkey signature: NotAllowedError: /);
      assert.equal((await api.call.waasApi.metaAccount(metaAccount)).unwrap().nonce.toBigInt(), nonce);
      assert.deepEqual(dev2.pageErrors, []);
      assert.deepEqual(h.pageErrors, []);
    });
  });
  // The committee as the chain's eyes and hands on the anvil nodes: every step after the user's
  // and the solver's is the signers' (attest, propose, sign, broadcast, attest mined).
  describe('swap intents settled by the committee on anvil', { concurrency: true }, () => {
    let api, key, dave, signerMetrics;
    const context = () => `--- devnet ---\n${devnet.output()}`;
    const skip = () => process.env.WAAS_DEVNET_URL && 'needs the anvil nodes this file starts';

    before(async () => {
      if (skip()) return;
      api = await withTimeout(ApiPromise.create({ provider: new WsProvider(devnet.url), noInitWarn: true }), 30_000, 'api');
      key = Number(/committee \d+ key (\d+):/.exec(devnet.output())[1]);
      [dave] = devAccounts('Dave');
      signerMetrics = [...devnet.output().matchAll(/metrics (http:\/\/\S+)/g)].map((m) => m[1]);
      assert.equal(signerMetrics.length, 3, 'three signers with metrics');
      // Fresh accounts for the ERC-20 solver, the refunds' users and the late solver, funded by
      // Eve//stash (one transfer after the other: the same sender).
      const [eveStash, ...fresh] = devAccounts('Eve//stash', 'Eve//stash//solver', 'Eve//stash//refund', 'Eve//stash//late', 'Eve//stash//late-solver', 'Eve//stash//intruder');
      for (const who of fresh) {
        await sendAndFinalize(api, api.tx.balances.transferKeepAlive(who.address, 10_000n * 10n ** 12n), eveStash);
      }
    });
    after(async () => { if (api) await api.disconnect(); });

    // The sum over the signers of waas_signer_intent_checks_total{check, outcome}.
    const checks = async (check, outcome) => {
      let sum = 0;
      for (const url of signerMetrics) {
        const body = await (await fetch(url)).text();
        const m = new RegExp(`waas_signer_intent_checks_total\\{check="${check}",outcome="${outcome}"\\} (\\d+)`).exec(body);
        sum += m ? Number(m[1]) : 0;
      }
      return sum;
    };
    const native = (chain) => `eip155:${chain}/slip44:60`;

    it('examples/intent.js: from creation to settlement, the solver paid on the source chain', { skip: skip() }, async () => {
      const stdout = await runExample(['intent.js', source.url, destination.url], 300_000);
      assert.match(stdout, /intent \d+: Open \(the committee attested the deposit\)/);
      const received = /Settled; the solver 0x[0-9a-fA-F]{40} received ([0-9.]+) ETH/.exec(stdout);
      assert.ok(received, stdout);
      // 1 ETH − 0.1 % protocol fee − 21,000 gas × 100 gwei (the worst case the release budgets).
      assert.equal(received[1], '0.9969');
    });

    it('a signer on a lying node is outvoted and recorded; fills to the wrong recipient or below the minimum do not settle', { skip: skip() }, async () => {
      const [user, solver] = devAccounts('Charlie//stash', 'Dave//stash');
      const [userWallet, liarWallet, solverWallet] = await Promise.all([fundedWallet(source.provider), fundedWallet(liar.provider), fundedWallet(destination.provider)]);
      const recipient = Wallet.createRandom().address;
      await ensureMetaAccount(api, user);
      const terms = await intentTerms(api, {
        sourceChain: SOURCE, destinationChain: DESTINATION, sourceAsset: native(SOURCE), amountIn: ETHER,
        destinationAsset: native(DESTINATION), minAmountOut: ETHER / 2n, recipient, refundTo: userWallet.address,
      });
      const { id, depositAddress, record } = await createIntent(api, user, key, terms);
      const dissentsBefore = (await api.query.intents.dissents(dave.address)).toNumber();

      // Dave's node has another history: 2 ETH at the deposit address. His vote comes first.
      await (await liarWallet.sendTransaction({ to: depositAddress, value: 2n * ETHER })).wait(1);
      await until('Dave attests what his node says', async () => (await api.query.intents.attestations(id, 'Deposit')).isSome, { context });
      const pending = (await api.call.intentsApi.intent(id)).unwrap();
      assert.ok(pending.status.isPending, 'one vote opens nothing');
      await (await userWallet.sendTransaction({ to: depositAddress, value: ETHER })).wait(1);
      const opened = await waitForIntent(api, id, (r) => r?.status.isOpen, 'opened', { context });
      assert.equal(opened.deposited.toBigInt(), ETHER, 'the honest members\' amount');
      assert.equal((await api.query.intents.dissents(dave.address)).toNumber(), dissentsBefore + 1, 'Dave is recorded as disagreeing');

      await ensureSolver(api, solver);
      await sendAndFinalize(api, api.tx.intents.claimIntent(id, solverWallet.address), solver);
      const tag = record.fillTag.toHex();
      // To someone else: no member votes for it (each counts a not_a_fill check instead).
      const notAFill = await checks('fill', 'not_a_fill');
      const wrong = await sendFill(solverWallet, { to: Wallet.createRandom().address, amount: ETHER, fillTag: tag });
      await sendAndFinalize(api, api.tx.intents.reportFill(id, wrong), solver);
      await until('the members refuse the wrong-recipient fill', async () => (await checks('fill', 'not_a_fill')) >= notAFill + 3, { context });
      let now = (await api.call.intentsApi.intent(id)).unwrap();
      assert.ok(now.status.isClaimed && now.status.asClaimed.fillTx.isSome, 'still claimed');
      assert.ok((await api.query.intents.attestations(id, 'Fill')).isNone, 'nobody attested it');
      // Below the minimum: attested as it is, and refused by the runtime (the claim stays).
      const short = await sendFill(solverWallet, { to: recipient, amount: ETHER / 4n, fillTag: tag });
      await sendAndFinalize(api, api.tx.intents.reportFill(id, short), solver);
      now = await waitForIntent(api, id, (r) => r?.status.isClaimed && r.status.asClaimed.fillTx.isNone, 'short fill refused', { context });
      // The real fill settles it; the solver is paid exactly the release.
      const good = await sendFill(solverWallet, { to: recipient, amount: ETHER / 2n, fillTag: tag });
      await sendAndFinalize(api, api.tx.intents.reportFill(id, good), solver);
      await waitForIntent(api, id, (r) => r === null, 'settled', { ms: 240_000, context });
      const release = ETHER - record.quote.protocolFee.toBigInt() - 21_000n * 100_000_000_000n;
      assert.equal(await source.provider.getBalance(solverWallet.address), release);
      // (Dave may broadcast the same signed release to his node too, where it is just as valid:
      // same chain id, and 2 ETH at the address there. That moves nothing on the real chain.)
      assert.equal((await api.query.intents.dissents(dave.address)).toNumber(), dissentsBefore + 1, 'one dissent, no more');
    });

    it('an ERC-20 intent: tokens in on the source chain, tokens out on the destination, the release pays the solver in tokens', { skip: skip() }, async () => {
      const [user, solver] = devAccounts('Eve//stash', 'Eve//stash//solver');
      const artifact = JSON.parse(readFileSync(join(here, '..', '..', '..', 'offchain-signer', 'tests', 'fixtures', 'TestToken.json'), 'utf8'));
      const [userWallet, solverWallet] = await Promise.all([fundedWallet(source.provider), fundedWallet(destination.provider)]);
      const deploy = async (wallet) => {
        const contract = await new ContractFactory(artifact.abi, artifact.bytecode, wallet).deploy();
        await withTimeout(contract.waitForDeployment(), 30_000, 'token deployed');
        return getAddress(await contract.getAddress());
      };
      const [sourceToken, destinationToken] = [await deploy(userWallet), await deploy(solverWallet)];
      const recipient = Wallet.createRandom().address;
      await ensureMetaAccount(api, user);
      const amountIn = 100n * ETHER;
      const terms = await intentTerms(api, {
        sourceChain: SOURCE, destinationChain: DESTINATION, sourceAsset: `eip155:${SOURCE}/erc20:${sourceToken}`, amountIn,
        destinationAsset: `eip155:${DESTINATION}/erc20:${destinationToken}`, minAmountOut: 50n * ETHER, recipient, refundTo: userWallet.address,
      });
      const { id, depositAddress, record } = await createIntent(api, user, key, terms);
      assert.equal(record.quote.maxGasCost.toBigInt(), 0n, 'an ERC-20 payout\'s gas is native coin on top');
      // The tokens, and native coin for the payout's gas (the deposit address pays it).
      const token = new Contract(sourceToken, ERC20, userWallet);
      await (await token.transfer(depositAddress, amountIn)).wait(1);
      await (await userWallet.sendTransaction({ to: depositAddress, value: ETHER / 100n })).wait(1);
      await waitForIntent(api, id, (r) => r?.status.isOpen, 'opened', { context });

      await ensureSolver(api, solver);
      await sendAndFinalize(api, api.tx.intents.claimIntent(id, solverWallet.address), solver);
      const fill = await sendFill(solverWallet, { to: recipient, amount: 50n * ETHER, fillTag: record.fillTag.toHex(), token: destinationToken });
      await sendAndFinalize(api, api.tx.intents.reportFill(id, fill), solver);
      await waitForIntent(api, id, (r) => r === null, 'settled', { ms: 240_000, context });
      assert.equal(await token.balanceOf(solverWallet.address), amountIn - record.quote.protocolFee.toBigInt());
      assert.equal(await token.balanceOf(depositAddress), record.quote.protocolFee.toBigInt(), 'the fee stays');
    });

    it('a deposit below the amount does not open; cancelled, it is refunded on the source chain', { skip: skip() }, async () => {
      const [user] = devAccounts('Eve//stash//refund');
      const userWallet = await fundedWallet(source.provider);
      await ensureMetaAccount(api, user);
      const terms = await intentTerms(api, {
        sourceChain: SOURCE, destinationChain: DESTINATION, sourceAsset: native(SOURCE), amountIn: ETHER,
        destinationAsset: native(DESTINATION), minAmountOut: ETHER / 2n, recipient: Wallet.createRandom().address, refundTo: userWallet.address,
      });
      const { id, depositAddress } = await createIntent(api, user, key, terms);
      const sent = ETHER * 3n / 10n;
      await (await userWallet.sendTransaction({ to: depositAddress, value: sent })).wait(1);
      const short = await waitForIntent(api, id, (r) => r?.deposited.toBigInt() === sent, 'short deposit attested', { context });
      assert.ok(short.status.isPending, 'does not open');
      const before = await source.provider.getBalance(userWallet.address);
      await sendAndFinalize(api, api.tx.intents.cancelIntent(id), user);
      await waitForIntent(api, id, (r) => r === null, 'refunded', { ms: 240_000, context });
      // The refund spends exactly the deposit: value + 21,000 gas × 100 gwei.
      assert.equal(await source.provider.getBalance(userWallet.address) - before, sent - 21_000n * 100_000_000_000n);
    });

    it('a fill after the deadline does not settle; past it the committee expires the intent, slashes the claim and the refund is mined', { skip: skip() }, async () => {
      const [user, solver] = devAccounts('Eve//stash//late', 'Eve//stash//late-solver');
      const [userWallet, solverWallet] = await Promise.all([fundedWallet(source.provider), fundedWallet(destination.provider)]);
      const recipient = Wallet.createRandom().address;
      await ensureMetaAccount(api, user);
      await ensureSolver(api, solver);
      // Deadlines close enough to pass within the test: the dev chains' grace after them is 45 s.
      const terms = await intentTerms(api, {
        sourceChain: SOURCE, destinationChain: DESTINATION, sourceAsset: native(SOURCE), amountIn: ETHER,
        destinationAsset: native(DESTINATION), minAmountOut: ETHER / 2n, recipient, refundTo: userWallet.address,
        openIn: 45, fillIn: 65,
      });
      const { id, depositAddress, record } = await createIntent(api, user, key, terms);
      assert.equal(record.grace.toNumber(), 45, 'the larger grace of the two chains');
      await (await userWallet.sendTransaction({ to: depositAddress, value: ETHER })).wait(1);
      await waitForIntent(api, id, (r) => r?.status.isOpen, 'opened', { context });
      const bond = (await api.call.intentsApi.solver(solver.address)).unwrap().bond.toBigInt();
      await sendAndFinalize(api, api.tx.intents.claimIntent(id, solverWallet.address), solver);

      // The solver fills only once the destination chain is past the fill deadline: the right
      // recipient and amount, too late. The members attest it as it is; the runtime refuses it.
      await until('the destination chain passes the fill deadline',
        async () => (await destination.provider.getBlock('latest')).timestamp > Number(terms.fillDeadline), { context });
      const late = await sendFill(solverWallet, { to: recipient, amount: ETHER / 2n, fillTag: record.fillTag.toHex() });
      await sendAndFinalize(api, api.tx.intents.reportFill(id, late), solver);
      await waitForIntent(api, id, (r) => r?.status.isClaimed && r.status.asClaimed.fillTx.isNone, 'late fill refused', { context });

      // After the claim's end (the fill deadline) + grace a member calls expire_intent: the
      // claim is slashed, the intent expires, the committee refunds the deposit.
      const before = await source.provider.getBalance(userWallet.address);
      await waitForIntent(api, id, (r) => r === null || r.status.isExpired || r.status.isPayingOut, 'expired', { ms: 180_000, context });
      const solverNow = (await api.call.intentsApi.solver(solver.address)).unwrap();
      assert.equal(solverNow.bond.toBigInt(), bond - bond / 10n, 'a tenth of the bond slashed');
      assert.equal(solverNow.missedClaims.toNumber(), 1);
      await waitForIntent(api, id, (r) => r === null, 'refunded', { ms: 240_000, context });
      assert.equal(await source.provider.getBalance(userWallet.address) - before, ETHER - 21_000n * 100_000_000_000n);
      assert.equal(await source.provider.getBalance(solverWallet.address), 0n, 'the solver got nothing on the source chain');
    });

    it('the EVM anchor sink: the committee publishes the anchors tree head on anvil; waas-audit verify-evm checks it there', { skip: skip() }, async () => {
      // On a timeout: what the signers logged about the anchors, besides the devnet's output.
      const anchorContext = () => {
        const logs = [...devnet.output().matchAll(/ log (\/\S+signer\.log)/g)].map((m) => m[1]);
        const lines = logs.flatMap((path) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n') : [])
          .filter((l) => l.includes('waas::anchors')).slice(-10));
        return `--- the signers on anchors ---\n${lines.join('\n')}\n${context()}`;
      };
      const [alice] = devAccounts('Alice');
      // Sudo (//Alice, which the page's faucet also spends from: a nonce race is retried).
      const setSink = api.tx.auditAnchors.setEvmSink(SOURCE, key, 5, { maxGasLimit: 50_000, maxFeePerGas: 100_000_000_000n });
      for (let attempt = 1; ; attempt++) {
        try {
          await sudo(api, setSink, alice);
          break;
        } catch (e) {
          if (attempt >= 5 || !/1014|1010|Priority|Stale|usurped|Dropped/i.test(String(e.message))) throw e;
          await new Promise((r) => setTimeout(r, 3000));
        }
      }
      const sink = (await api.query.auditAnchors.evmSinkConfig()).unwrap();
      const address = getAddress(sink.address.toHex());
      assert.equal(sink.chainId.toNumber(), SOURCE);
      // The sink address pays its own gas on the EVM chain: fund it there.
      await source.provider.send('anvil_setBalance', [address, '0xde0b6b3a7640000']);

      // The signers anchor their session logs every 10 s; a publication of the anchors tree
      // becomes due every 5 blocks in which it grew, a member proposes it, the committee signs.
      const signed = await until('a signed EVM publication', async () => {
        const count = (await api.query.auditAnchors.publicationCount()).toNumber();
        for (let seq = count - 1; seq >= 0 && seq >= count - 8; seq--) {
          const p = await api.query.auditAnchors.publications(seq);
          if (p.isSome && p.unwrap().status.isSigned) return { seq, p: p.unwrap() };
        }
        return null;
      }, { ms: 240_000, context: anchorContext });
      const { seq, p } = signed;
      const status = p.status.asSigned;
      const tx = Transaction.from(status.signedTx.toHex());
      assert.equal(tx.from, address, 'signed by the committee key on the audit path');
      assert.equal(tx.to, address, 'to itself');
      assert.equal(tx.value, 0n);
      assert.equal(Number(tx.chainId), SOURCE);
      assert.equal(tx.hash, status.txHash.toHex());
      const tag = hexlify(toUtf8Bytes('waasanc1'));
      const size = p.treeSize.toBigInt().toString(16).padStart(16, '0');
      assert.equal(tx.data, tag + api.genesisHash.toHex().slice(2) + size + p.root.toHex().slice(2));

      // A member broadcasts it; anvil mines it.
      const receipt = await until('the anchor mined on anvil',
        () => source.provider.getTransactionReceipt(tx.hash), { ms: 120_000, context: anchorContext });
      assert.equal(receipt.status, 1);

      const verified = await audit(['verify-evm', '--evm-rpc', source.url, '--publication', String(seq)]);
      assert.equal(verified.code, 0, verified.stderr);
      const report = JSON.parse(verified.stdout);
      assert.equal(report.txHash, tx.hash);
      assert.equal(report.treeSize, p.treeSize.toNumber());
      assert.equal(report.address.toLowerCase(), address.toLowerCase());
      // A session log's first head is among the anchors the publication pins: its anchors-tree
      // entry (from the node's offchain index) leads by its path to the root pinned on anvil,
      // checked here in JavaScript and by waas-audit.
      let pinned = null;
      for (let log = 0; log < 8 && !pinned; log++) {
        const answer = await api._rpcCore.provider.send('waas_anchorProof', [log, 0, p.treeSize.toNumber()]);
        if (answer) pinned = answer;
      }
      assert.ok(pinned, 'some log has a head among the pinned anchors');
      const entryBytes = Buffer.from(pinned.entry.slice(2), 'hex');
      assert.equal(hex(leafHash(entryBytes)), pinned.leafHash);
      const [index, log, headSeq, chainHash] = api.createType('(u64,u64,u64,[u8;32],[u8;32])', pinned.entry);
      assert.deepEqual([index.toNumber(), log.toNumber(), headSeq.toNumber(), chainHash.toHex()],
        [pinned.index, pinned.log, 0, pinned.chainHash]);
      const leafBytes = Buffer.from(pinned.leafHash.slice(2), 'hex');
      const proofBytes = pinned.proof.map((n) => Buffer.from(n.slice(2), 'hex'));
      assert.equal(hex(rootFromInclusionProof(leafBytes, pinned.index, pinned.treeSize, proofBytes)), p.root.toHex());
      const withHead = await audit(['verify-evm', '--evm-rpc', source.url, '--publication', String(seq),
        '--log', String(pinned.log), '--seq', String(pinned.seq)]);
      assert.equal(withHead.code, 0, withHead.stderr);
      assert.equal(JSON.parse(withHead.stdout).head.chainHash, pinned.chainHash);
      // A head that is not among them (beyond the log's latest) is refused.
      const absent = await audit(['verify-evm', '--evm-rpc', source.url, '--publication', String(seq),
        '--log', String(pinned.log), '--seq', '100000']);
      assert.notEqual(absent.code, 0);
      assert.match(absent.stderr, /is not among the \d+ anchors the publication pins/);

      // Another EVM chain's node does not hold it.
      const wrong = await audit(['verify-evm', '--evm-rpc', destination.url, '--publication', String(seq)]);
      assert.notEqual(wrong.code, 0);
      assert.match(wrong.stderr, /serves chain 31338, not the publication's 31337/);

      // Only the committee proposes, and only the one transaction the runtime intends.
      const [outsider] = devAccounts('Eve//stash//intruder');
      const intruder = api.tx.auditAnchors.proposeEvmAnchor(seq, '0x02');
      await assert.rejects(sendAndFinalize(api, intruder, outsider), /auditAnchors\.(PublicationNotDue|NotCommitteeMember)/);
    });
  });
});
