// WaaS-specific helpers for the polkadot.js tests: what clients compute themselves (Meta-Account
// ids, address paths), sudo with its inner result checked, pool refusals of signer
// submissions, and a committee key made Active from a TEST-ONLY key.
import { Keyring } from '@polkadot/keyring';
import { u8aConcat, stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, decodeAddress } from '@polkadot/util-crypto';
import { HDNodeWallet, keccak256, recoverAddress, Signature } from 'ethers';
import { sendAndFinalize, findEvent, withTimeout } from './node.js';
import { poolRefusal, dispatchFailure } from '../../../web/src/errors.js';

/** Domain tag hashed into every Meta-Account id: 17 ASCII bytes, no length prefix. */
export const META_ACCOUNT_ID_DOMAIN = 'waas/meta-account';
/** Path namespaces (primitives/src/namespace.rs): the first index of every signing path. */
export const NAMESPACE = { PRIVILEGED: 0, META_ACCOUNT_ADDRESSES: 1 };
/** Seed of the TEST-ONLY committee key the tests report through keygen (no signer holds it). */
export const TEST_KEY_SEED = '0x' + '07'.repeat(32);
/** The signing fee per signer of an attempt (runtime SIGNING_FEE_PER_SIGNER): 100 mWAAS. */
export const SIGNING_FEE_PER_SIGNER = 100_000_000_000n;

/**
 * The id of Substrate account `creator`'s Meta-Account number `nonce`, as the runtime computes
 * it: blake2_256("waas/meta-account" ‖ SCALE(AuthenticatorKey::Substrate(creator)) ‖ nonce as
 * u32 little-endian), where the key's SCALE encoding is the variant byte 0x00 and the 32 raw
 * account bytes. Returns 0x hex.
 */
export function metaAccountId(creator, nonce) {
  const le = new Uint8Array(4);
  new DataView(le.buffer).setUint32(0, nonce, true);
  const key = u8aConcat(new Uint8Array([0]), decodeAddress(creator));
  return u8aToHex(blake2AsU8a(u8aConcat(stringToU8a(META_ACCOUNT_ID_DOMAIN), key, le), 256));
}

/**
 * The derivation path of address `index` of a Meta-Account (0x hex id):
 * [1, m0, m1, m2, index], mK = big-endian u32 of id bytes 4K..4K+4 with the top bit cleared.
 */
export function metaAccountPath(id, index) {
  const bytes = Buffer.from(id.slice(2), 'hex');
  const words = [0, 1, 2].map((k) => bytes.readUInt32BE(4 * k) & 0x7fffffff);
  return [NAMESPACE.META_ACCOUNT_ADDRESSES, ...words, index];
}

/** `section.Name` of a DispatchError (module errors by name, others as text). */
export function dispatchErrorName(api, error) {
  if (error.isModule) {
    const meta = api.registry.findMetaError(error.asModule);
    return `${meta.section}.${meta.name}`;
  }
  return error.toString();
}

/**
 * Sends `sudo.sudo(call)` signed by `sudoKey` and resolves with the events once finalized.
 * Rejects with `section.Name` if the inner call failed (the Sudid event's result), so a
 * failed setup step cannot go unnoticed.
 */
export async function sudo(api, call, sudoKey, options = {}) {
  const events = await sendAndFinalize(api, api.tx.sudo.sudo(call), sudoKey, undefined, options);
  const result = findEvent(events, 'sudo', 'Sudid').data.sudoResult;
  if (result.isErr) throw new Error(dispatchErrorName(api, result.asErr));
  return events;
}

/**
 * The `InvalidTransaction::Custom` code with which the pool refuses a signer submission that
 * dispatch would fail with `thresholdSigners.<name>`: the error's index in the pallet
 * (CheckSignerSubmission), read from the metadata.
 */
export function submissionErrorCode(api, name) {
  return api.errors.thresholdSigners[name].meta.index.toNumber();
}

/**
 * Resolves if `promise` (a submission) was refused by the transaction pool as an invalid
 * transaction with the custom code of `thresholdSigners.<name>`; throws otherwise (also if it
 * was included in a block).
 */
export async function refusedByPool(api, promise, name) {
  const code = submissionErrorCode(api, name);
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  if (!error) throw new Error(`expected the pool to refuse the submission with ${name} (${code}), but it was included`);
  const message = String(error.message);
  if (!/Invalid Transaction/i.test(message) || !new RegExp(`Custom error: ${code}\\b`).test(message)) {
    throw new Error(`expected a pool refusal "Invalid Transaction … Custom error: ${code}" (${name}), got: ${message}`);
  }
}

/** Sum of `account`'s holds whose reason is `pallet.reason` (e.g. 'MetaAccounts', 'Invitation'). */
export async function heldFor(api, account, pallet, reason) {
  const holds = await api.query.balances.holds(account);
  let total = 0n;
  for (const { id, amount } of holds) {
    // A RuntimeHoldReason is `{ <pallet>: <reason> }`; compare names case-insensitively.
    const [p, r] = Object.entries(id.toJSON())[0];
    if (p.toLowerCase() === pallet.toLowerCase() && String(r).toLowerCase() === reason.toLowerCase()) {
      total += amount.toBigInt();
    }
  }
  return total;
}

/** `account`'s free balance as a bigint. */
export async function freeBalance(api, account) {
  return (await api.query.system.account(account)).data.free.toBigInt();
}

/** Dev keypairs by name (//Alice, //Bob, …). */
export function devAccounts(...names) {
  const keyring = new Keyring({ type: 'sr25519' });
  return names.map((name) => keyring.addFromUri(`//${name}`));
}

/**
 * Fast setup for tests that only need an Active key: registers `members` as signers, forms a
 * committee with `threshold` and makes its key Active by reporting the TEST-ONLY key made from
 * `seed` (no signer holds shares of it; tests sign with it through ethers). The sudo calls go
 * in together with consecutive nonces, the reports in parallel, so it takes two finalized
 * blocks. Meant for a fresh chain (the members must not be registered yet). Returns
 * `{ key, committee, testKey }` (ids 0 on a fresh chain).
 */
export async function activateTestKey(api, sudoKey, members, threshold = 2, seed = TEST_KEY_SEED) {
  const testKey = HDNodeWallet.fromSeed(seed);
  const committee = (await api.query.thresholdSigners.nextCommitteeId()).toNumber();
  const key = (await api.query.thresholdSigners.nextKeyId()).toNumber();
  const nonce = (await api.rpc.system.accountNextIndex(sudoKey.address)).toNumber();
  const calls = [
    // p2p identity keys must be unique: 0xa5…a5 ‖ member index.
    ...members.map((m, i) => api.tx.thresholdSigners.registerSigner(
      m.address, '0x' + 'a5'.repeat(31) + i.toString(16).padStart(2, '0'), `127.0.0.1:${30401 + i}`)),
    api.tx.thresholdSigners.createCommittee(members.map((m) => m.address), threshold),
    api.tx.thresholdSigners.requestKeygen(committee),
  ];
  await Promise.all(calls.map((call, i) => sudo(api, call, sudoKey, { nonce: nonce + i })));
  const reports = await Promise.all(members.map((m) => sendAndFinalize(
    api, api.tx.thresholdSigners.reportKeygen(key, testKey.publicKey, testKey.chainCode), m)));
  const activated = reports.flat().find(({ event }) => event.section === 'thresholdSigners' && event.method === 'KeyActivated');
  if (!activated) throw new Error(`key ${key} was not activated`);
  return { key, committee, testKey };
}


// Typed errors of the chain (pool refusals by the pallet error's name, dispatch errors): the
// page's own module, so the page and the scripts read a refusal the same way.
export { ChainError, poolRefusal, dispatchFailure, palletError } from '../../../web/src/errors.js';

/**
 * Submits the unsigned transaction `tx` (e.g. `metaAccounts.dispatchEnvelope`) and resolves
 * with its events once it is in a block. Rejects with a ChainError: the pool's refusal named by
 * the pallet's error (`metaAccounts.StaleNonce`, …) or the extrinsic's dispatch error. Bounded
 * by `ms`.
 */
export function sendUnsigned(api, tx, ms = 60_000) {
  let unsubscribe;
  const work = new Promise((resolve, reject) => {
    tx.send(({ status, events, dispatchError }) => {
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        reject(new Error(`transaction ${status.type}`));
      } else if (status.isInBlock) {
        if (dispatchError) reject(dispatchFailure(api, dispatchError));
        else resolve(events);
      }
    }).then((u) => { unsubscribe = u; }, (e) => reject(poolRefusal(api, e, tx.method.section)));
  });
  return withTimeout(work, ms, `${tx.method.section}.${tx.method.method}`)
    .finally(() => { if (unsubscribe) unsubscribe(); });
}

/**
 * The EVM address (EIP-55) that made a committee signature over keccak256(`payload`), by ethers
 * (independent of the chain's code): `rs` is r ‖ s as 0x hex, `recoveryId` 0 or 1.
 */
export function evmSigner(payload, rs, recoveryId) {
  return recoverAddress(keccak256(payload), Signature.from({ r: rs.slice(0, 66), s: '0x' + rs.slice(66), yParity: recoveryId }));
}
