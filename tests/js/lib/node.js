// Starts a real `waas-node --dev` on loopback ports and connects polkadot.js to it.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createWriteStream, readFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';

const targetDir = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'waas-chain', 'target');
export const NODE_BINARY = process.env.WAAS_NODE || join(targetDir, 'release', 'waas-node');
export const DEVNET_BINARY = process.env.WAAS_DEVNET || join(targetDir, 'release', 'waas-devnet');
export const AUDIT_BINARY = process.env.WAAS_AUDIT || join(targetDir, 'release', 'waas-audit');

/** Rejects after `ms` with `what` in the message. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A free TCP port on loopback (bound, then released; never the same twice in a process). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => {
        // Never the same port twice in this process: tests that start nodes at the same time
        // must not be handed a port another one is about to bind.
        if (handedOut.has(port)) resolve(freePort());
        else { handedOut.add(port); resolve(port); }
      });
    });
  });
}
const handedOut = new Set();

/** Starts the dev node and resolves `{ api, url, stop }` once a block is finalized. */
export async function startDevNode() {
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const logPath = join(tmpdir(), `waas-node-js-${process.pid}-${rpcPort}.log`);
  const log = createWriteStream(logPath);
  const child = spawn(NODE_BINARY, [
    '--dev', '--tmp', '--no-prometheus', '--no-telemetry', '--no-mdns',
    '--rpc-port', String(rpcPort), '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.pipe(log);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  let exited = false;
  child.on('exit', () => { exited = true; });

  const stop = async (api) => {
    if (api) await api.disconnect().catch(() => {});
    process.off('exit', killOnExit);
    if (!exited) {
      child.kill('SIGTERM');
      await withTimeout(new Promise((r) => child.once('exit', r)), 5000, 'node exit')
        .catch(() => child.kill('SIGKILL'));
    }
  };

  const url = `ws://127.0.0.1:${rpcPort}`;
  try {
    const deadline = Date.now() + 60_000;
    let api;
    while (!api) {
      if (exited) throw new Error('waas-node exited');
      if (Date.now() > deadline) throw new Error('waas-node RPC did not come up');
      try {
        const provider = new WsProvider(url, false);
        await withTimeout(provider.connect(), 2000, 'ws connect');
        await withTimeout(provider.isReadyOrError, 2000, 'ws ready');
        api = await withTimeout(ApiPromise.create({ provider, noInitWarn: true }), 20_000, 'api');
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    // Wait for the first finalized block past genesis.
    await withTimeout(new Promise((resolve) => {
      let unsub;
      api.rpc.chain.subscribeFinalizedHeads((h) => {
        if (h.number.toNumber() >= 1) { resolve(); if (unsub) unsub(); }
      }).then((u) => { unsub = u; });
    }), 60_000, 'first finalized block');
    return { api, url, stop: () => stop(api) };
  } catch (e) {
    await stop();
    const tail = readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(`${e.message}\n--- node log (${logPath}) ---\n${tail}`);
  }
}

/**
 * Signs and sends `tx`, resolves with its events once finalized; rejects with
 * `section.Name` of the dispatch error if it failed, or with the RPC error if the transaction
 * pool refused it (e.g. `1010: Invalid Transaction: Custom error: N`). Bounded by `ms`.
 * `options` go to `signAndSend` (e.g. `{ nonce }` to send several at once).
 */
export function sendAndFinalize(api, tx, signer, ms = 60_000, options = {}) {
  const work = new Promise((resolve, reject) => {
    tx.signAndSend(signer, options, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        if (dispatchError.isModule) {
          const meta = api.registry.findMetaError(dispatchError.asModule);
          reject(new Error(`${meta.section}.${meta.name}`));
        } else {
          reject(new Error(dispatchError.toString()));
        }
        return;
      }
      // Accepted by the pool but later dropped from it: fail now instead of at the timeout.
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        reject(new Error(`transaction ${status.type}`));
        return;
      }
      if (status.isFinalized) resolve(events);
    }).catch(reject);
  });
  return withTimeout(work, ms, `${tx.method.section}.${tx.method.method}`);
}

/** The first event `section.method` among `events`, or throws. */
export function findEvent(events, section, method) {
  const found = events.find(({ event }) => event.section === section && event.method === method);
  if (!found) {
    const seen = events.map(({ event }) => `${event.section}.${event.method}`).join(', ');
    throw new Error(`no ${section}.${method} event (saw: ${seen})`);
  }
  return found.event;
}

/** Calls a `waas_*` JSON-RPC method (not in the metadata) directly. */
export function rpc(api, method, params) {
  return withTimeout(api._rpcCore.provider.send(method, params), 10_000, method);
}
