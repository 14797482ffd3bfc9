// Helpers for the zombienet `js-script` checks. Zombienet loads each check with require() and
// calls its `run(nodeName, networkInfo, args)`; the value it returns is compared with the
// `return is N` of the .zndsl line, and `within N seconds` bounds it.
'use strict';
const { ApiPromise, WsProvider } = require('@polkadot/api');

/** Logs with the check's name, so the lines stand out in zombienet's output. */
function logger(name) {
  return (...parts) => console.log(`    [${name}] ${parts.join(' ')}`);
}

/** Rejects after `ms` with `what` in the message. */
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The RPC endpoint of the node called `name` (a validator). */
function wsUri(networkInfo, name) {
  const node = networkInfo.nodesByName[name];
  if (!node) throw new Error(`no node called ${name} in this network`);
  return node.wsUri;
}

/**
 * A polkadot.js connection to `uri`. `noInitWarn`: polkadot.js does not know the runtime's
 * CheckSignerSubmission transaction extension by name and would warn once; it carries no data.
 */
async function connect(uri) {
  const provider = new WsProvider(uri, 1000);
  try {
    return await withTimeout(ApiPromise.create({ provider, noInitWarn: true }), 30_000, `connect ${uri}`);
  } catch (e) {
    await provider.disconnect().catch(() => {});
    throw e;
  }
}

/** Calls `fn(api)` on a fresh connection to `uri` and always disconnects. */
async function withApi(uri, fn) {
  const api = await connect(uri);
  try {
    return await fn(api);
  } finally {
    await api.disconnect().catch(() => {});
  }
}

/** A `waas_*` JSON-RPC method (these are not in the metadata). */
function rpc(api, method, params) {
  // ApiPromise keeps its provider in _rpcCore (there is no public accessor in api 14).
  return withTimeout(api._rpcCore.provider.send(method, params), 15_000, method);
}

/**
 * Signs and sends `tx`, resolves with its events once its block is finalized; rejects with
 * `section.Name` of a dispatch error, or if the pool drops it.
 */
function sendAndFinalize(api, tx, signer, ms = 90_000) {
  const what = `${tx.method.section}.${tx.method.method}`;
  let unsubscribe;
  const work = new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        if (dispatchError.isModule) {
          const meta = api.registry.findMetaError(dispatchError.asModule);
          reject(new Error(`${what}: ${meta.section}.${meta.name}`));
        } else {
          reject(new Error(`${what}: ${dispatchError.toString()}`));
        }
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        reject(new Error(`${what}: transaction ${status.type}`));
      } else if (status.isFinalized) {
        resolve(events);
      }
    }).then((u) => { unsubscribe = u; }, reject);
  });
  return withTimeout(work, ms, what).finally(() => { if (unsubscribe) unsubscribe(); });
}

/** The first event `section.method` among a transaction's `events`, or throws. */
function findEvent(events, section, method) {
  const found = events.find(({ event }) => event.section === section && event.method === method);
  if (!found) {
    const seen = events.map(({ event }) => `${event.section}.${event.method}`).join(', ');
    throw new Error(`no ${section}.${method} event (saw: ${seen})`);
  }
  return found.event;
}

/** The finalized head: { hash, number }. */
async function finalizedHead(api) {
  const hash = await api.rpc.chain.getFinalizedHead();
  const header = await api.rpc.chain.getHeader(hash);
  return { hash: hash.toHex(), number: header.number.toNumber() };
}

/** The best head's number. */
async function bestNumber(api) {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

module.exports = {
  logger, withTimeout, sleep, wsUri, connect, withApi, rpc, sendAndFinalize, findEvent,
  finalizedHead, bestNumber,
};
