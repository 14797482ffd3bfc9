// A real browser for page and passkey tests: Debian's headless Chromium driven by puppeteer-core,
// a page served from http://localhost:PORT (so WebAuthn's rp id is `localhost`), and Chromium's
// CDP virtual authenticators standing in for the user's passkey devices. Every wait is bounded,
// and close() always kills the browser and stops the server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { withTimeout } from './node.js';
import { startStaticServer } from '../../../web/serve.js';

/** The browser binary: Debian's chromium (scripts/setup.sh installs it); override with CHROMIUM. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * Flags on top of puppeteer's headless defaults. --no-sandbox because the tests run as root; the
 * rest keep Chromium off the network (this machine's closed network refuses its background
 * connections, many at a time) and away from first-run and sync machinery.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Bound on every single wait (launch, navigation, CDP command, WebAuthn ceremony), in ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The rp id of every page the harness serves. */
export const RP_ID = 'localhost';

/**
 * A passkey-capable platform authenticator: CTAP2, internal transport, resident keys, user
 * verification supported and performed, presence simulated. Pass overrides to addAuthenticator.
 */
export const AUTHENTICATOR_DEFAULTS = Object.freeze({
  protocol: 'ctap2',
  ctap2Version: 'ctap2_1',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
});

/** Lowercase hex without 0x of a Uint8Array/Buffer/ArrayBuffer or a (0x-)hex string. */
export function toHex(bytes) {
  if (typeof bytes === 'string') {
    const h = bytes.startsWith('0x') ? bytes.slice(2) : bytes;
    if (!/^([0-9a-fA-F]{2})*$/.test(h)) throw new Error(`not hex: ${bytes}`);
    return h.toLowerCase();
  }
  return Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes).toString('hex');
}

/**
 * Starts a static server and headless Chromium with a fresh profile, and opens the first device
 * (see openDevice): a page with a CDP session, WebAuthn enabled and, unless
 * `authenticator: false`, one internal virtual authenticator (`authenticator`: overrides of
 * AUTHENTICATOR_DEFAULTS). Served content: `root`/`expose`/`files` as in web/serve.js
 * startStaticServer. If `path` is given, the page navigates there before this resolves.
 * Resolves the harness: the first device's fields and methods, plus { browser, server,
 * newDevice(options), close() }.
 */
export async function startBrowser({
  root, expose, files, path, authenticator = {}, timeoutMs = DEFAULT_TIMEOUT_MS,
} = {}) {
  const server = await startStaticServer({ root, expose, files });
  const userDataDir = mkdtempSync(join(tmpdir(), 'waas-chromium-'));
  let browser;
  let closed = false;
  const removeProfile = () => rmSync(userDataDir, { recursive: true, force: true });
  // SIGKILL to the browser's process group (puppeteer starts it detached, as a group leader), so
  // renderers and helpers go with it; the process alone if the group cannot be signalled.
  const kill = () => {
    const proc = browser?.process();
    if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return;
    try { process.kill(-proc.pid, 'SIGKILL'); } catch { try { proc.kill('SIGKILL'); } catch { /* gone */ } }
  };
  const killOnExit = () => {
    kill();
    removeProfile();
  };
  process.on('exit', killOnExit);

  // Closes the browser (killing it if it does not close in time), the server and the profile.
  const close = async () => {
    if (closed) return;
    closed = true;
    if (browser) {
      await withTimeout(browser.close(), 10_000, 'browser close').catch(() => {});
      kill();
    }
    await withTimeout(server.close(), 5_000, 'server close').catch(() => {});
    process.off('exit', killOnExit);
    removeProfile();
  };

  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      userDataDir,
      timeout: timeoutMs,
      // A backstop for every CDP command, above the bounds the harness puts on its own waits.
      protocolTimeout: timeoutMs + 10_000,
    });
    const first = await openDevice(await withTimeout(browser.newPage(), timeoutMs, 'new page'),
      server, { authenticator, path, timeoutMs });
    return {
      ...first,
      browser,
      server,
      /**
       * Another device: a page in a new browser context (its own storage, like another
       * machine) with its own internal authenticator; same options as openDevice. Closed with
       * the harness, or earlier by its own close().
       */
      newDevice: async (options = {}) => {
        const context = await withTimeout(browser.createBrowserContext(), timeoutMs, 'browser context');
        const page = await withTimeout(context.newPage(), timeoutMs, 'new page');
        const device = await openDevice(page, server, { timeoutMs, ...options });
        return { ...device, context, close: () => withTimeout(context.close(), timeoutMs, 'context close') };
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * One "device": `page` with a CDP session, WebAuthn enabled and (unless `authenticator: false`)
 * an internal virtual authenticator whose id is `authenticatorId`. Chromium allows one internal
 * authenticator per page; more on the same page must use another transport ('usb', 'nfc',
 * 'ble', 'hybrid': a roaming key). Page console messages and uncaught errors are collected in
 * `consoleMessages` ({ type, text, url }) and `pageErrors`.
 * Resolves { page, cdp, origin, url(path), authenticatorId, consoleMessages, pageErrors, goto,
 * addAuthenticator, removeAuthenticator, setUserVerified, setPresence, credentials,
 * createCredential, getAssertion }.
 */
export async function openDevice(page, server, { authenticator = {}, path, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
  page.setDefaultTimeout(timeoutMs);
  const consoleMessages = [];
  const pageErrors = [];
  page.on('console', (m) => consoleMessages.push({ type: m.type(), text: m.text(), url: m.location()?.url }));
  page.on('pageerror', (e) => pageErrors.push(e));
  const cdp = await withTimeout(page.createCDPSession(), timeoutMs, 'CDP session');
  const send = (method, params = {}) => withTimeout(cdp.send(method, params), timeoutMs, method);
  await send('WebAuthn.enable', { enableUI: false });

  const d = {
    page, cdp, origin: server.origin, url: server.url, consoleMessages, pageErrors, authenticatorId: undefined,

    /** Navigates to `p` on the served origin and waits for the load event. */
    goto: (p = '/') => page.goto(server.url(p), { waitUntil: 'load', timeout: timeoutMs }),

    /**
     * Adds a virtual authenticator to this page; `overrides` of AUTHENTICATOR_DEFAULTS. Resolves
     * its id. With several present, a ceremony goes to whichever answers first: remove one, or
     * turn its presence simulation off (setPresence), to choose.
     */
    addAuthenticator: async (overrides = {}) => {
      const { authenticatorId } = await send('WebAuthn.addVirtualAuthenticator', {
        options: { ...AUTHENTICATOR_DEFAULTS, ...overrides },
      });
      return authenticatorId;
    },

    /** Removes a virtual authenticator (the device is gone, with its credentials). */
    removeAuthenticator: (id) => send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: id }),

    /**
     * Whether the authenticator's user verification succeeds from now on. When it fails, a
     * ceremony requiring UV is refused (NotAllowedError); a 'discouraged' one gets flags UP only.
     */
    setUserVerified: (id, isUserVerified) => send('WebAuthn.setUserVerified', { authenticatorId: id, isUserVerified }),

    /** Whether the authenticator answers ceremonies by itself (simulated touch). */
    setPresence: (id, enabled) => send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: id, enabled }),

    /** The authenticator's credentials as CDP reports them (ids, private keys, signCount). */
    credentials: async (id) => (await send('WebAuthn.getCredentials', { authenticatorId: id })).credentials,

    /**
     * navigator.credentials.create in the page. `challenge` and `user.id` are bytes or hex;
     * `alg` defaults to [-7] (ES256); `timeout` (ms) at most the harness's. Resolves hex (no 0x) { credentialId, attestationObject,
     * clientDataJSON, authenticatorData, publicKey (SPKI DER), publicKeyAlgorithm, transports }.
     * A resident credential for the same rp id and user id replaces the earlier one.
     */
    createCredential: (opts) => ceremony(page, 'create', {
      rpId: RP_ID,
      rpName: 'WaaS Chain',
      attestation: 'none',
      residentKey: 'required',
      userVerification: 'required',
      alg: [-7],
      timeout: timeoutMs,
      ...opts,
      timeout: Math.min(opts.timeout ?? timeoutMs, timeoutMs),
      challenge: toHex(opts.challenge),
      user: { name: 'user', displayName: 'User', ...opts.user, id: toHex(opts.user?.id ?? '01') },
      excludeCredentials: (opts.excludeCredentials ?? []).map(toHex),
    }),

    /**
     * navigator.credentials.get in the page. `challenge` and `allowCredentials` entries are bytes
     * or hex (none: a discoverable-credential request). Resolves hex (no 0x) { credentialId,
     * authenticatorData, clientDataJSON, signature (DER, as the authenticator returned it),
     * userHandle (or null) }. No matching credential: NotAllowedError after `timeout`.
     */
    getAssertion: (opts) => ceremony(page, 'get', {
      rpId: RP_ID,
      userVerification: 'required',
      timeout: timeoutMs,
      ...opts,
      timeout: Math.min(opts.timeout ?? timeoutMs, timeoutMs),
      challenge: toHex(opts.challenge),
      allowCredentials: (opts.allowCredentials ?? []).map(toHex),
    }),
  };
  if (authenticator) d.authenticatorId = await d.addAuthenticator(authenticator);
  if (path !== undefined) await d.goto(path);
  return d;
}

// Runs a WebAuthn ceremony in the page (hex in, hex out); a DOMException comes back as
// "Name: message". Bounded by the ceremony's own timeout (opts.timeout) plus a margin. The page
// is brought to the front first: Chromium refuses a ceremony in a page without focus.
async function ceremony(page, kind, opts) {
  await withTimeout(page.bringToFront(), opts.timeout, 'bring page to front');
  const run = page.evaluate(async (kind, o) => {
    const fromHex = (h) => new Uint8Array(h.match(/../g)?.map((b) => parseInt(b, 16)) ?? []);
    const hex = (buf) => (buf ? [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('') : null);
    try {
      if (kind === 'create') {
        const cred = await navigator.credentials.create({
          publicKey: {
            rp: { id: o.rpId, name: o.rpName },
            user: { id: fromHex(o.user.id), name: o.user.name, displayName: o.user.displayName },
            challenge: fromHex(o.challenge),
            pubKeyCredParams: o.alg.map((alg) => ({ type: 'public-key', alg })),
            authenticatorSelection: { residentKey: o.residentKey, userVerification: o.userVerification },
            excludeCredentials: o.excludeCredentials.map((id) => ({ type: 'public-key', id: fromHex(id) })),
            attestation: o.attestation,
            timeout: o.timeout,
          },
        });
        const r = cred.response;
        return {
          credentialId: hex(cred.rawId),
          attestationObject: hex(r.attestationObject),
          clientDataJSON: hex(r.clientDataJSON),
          authenticatorData: hex(r.getAuthenticatorData()),
          publicKey: hex(r.getPublicKey()),
          publicKeyAlgorithm: r.getPublicKeyAlgorithm(),
          transports: r.getTransports(),
        };
      }
      const cred = await navigator.credentials.get({
        publicKey: {
          rpId: o.rpId,
          challenge: fromHex(o.challenge),
          allowCredentials: o.allowCredentials.map((id) => ({ type: 'public-key', id: fromHex(id) })),
          userVerification: o.userVerification,
          timeout: o.timeout,
        },
      });
      const r = cred.response;
      return {
        credentialId: hex(cred.rawId),
        authenticatorData: hex(r.authenticatorData),
        clientDataJSON: hex(r.clientDataJSON),
        signature: hex(r.signature),
        userHandle: hex(r.userHandle),
      };
    } catch (e) {
      throw new Error(`${e.name}: ${e.message}`);
    }
  }, kind, opts);
  return withTimeout(run, opts.timeout + 5_000, `navigator.credentials.${kind}`);
}
