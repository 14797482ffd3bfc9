// What the page asks of the chain: the WaasApi runtime API for views and signing payloads,
// unsigned Meta-Account transactions (creation and envelopes), the dev faucet, and recovering
// a threshold signature's signer. Every wait is bounded.
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, hexToU8a, isHex, stringToU8a } from '@polkadot/util';
import { keccakAsU8a, secp256k1Recover, ethereumEncode } from '@polkadot/util-crypto';
import { ChainError, poolRefusal, dispatchFailure } from './errors.js';

/** 1 WAAS in units. */
export const UNIT = 10n ** 12n;
/** What the dev faucet sends. */
export const FAUCET_AMOUNT = 10n * UNIT;
/** Blocks an envelope stays valid for (the runtime allows up to 1800). */
export const ENVELOPE_LIFETIME = 100;
/** Committee key the page provisions addresses under (the dev network makes key 0). */
export const KEY_ID = 0;
/** The chain of the addresses the page provisions. */
export const ADDRESS_CHAIN = 'eip155:1';
/** Bound on one transaction, from submission to its block. */
export const TX_TIMEOUT_MS = 60_000;

/** `amount` units as WAAS with up to 4 decimals, e.g. "9.9876 WAAS". */
export function formatWaas(amount) {
  const units = BigInt(amount);
  const whole = units / UNIT;
  const frac = ((units % UNIT) * 10_000n) / UNIT;
  return `${whole}.${frac.toString().padStart(4, '0')} WAAS`;
}

/** The bytes a user's payload text stands for: 0x-hex as bytes, anything else as UTF-8. */
export function payloadBytes(text) {
  return isHex(text) && text.length > 2 ? hexToU8a(text) : stringToU8a(text);
}

/**
 * The EVM address that signed `payload` with the 64-byte `signature` (r ‖ s) and `recoveryId`,
 * as an eip155 address hashes it (keccak-256): EIP-55 text.
 */
export function recoverEvmSigner(payload, signature, recoveryId) {
  // The compressed key (33 bytes); ethereumEncode expands it and takes keccak-256's last 20 bytes.
  const publicKey = secp256k1Recover(keccakAsU8a(payload), signature, recoveryId);
  return ethereumEncode(publicKey);
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Submits `tx` (signed by `signer`, or unsigned without one) and resolves `{ events, blockHash }`
 * once it is in a block. Rejects with a ChainError: the pool's refusal (for an unsigned
 * Meta-Account transaction, by the pallet error's name), or the extrinsic's dispatch error.
 */
export function submit(api, tx, signer) {
  const what = `${tx.method.section}.${tx.method.method}`;
  let unsubscribe;
  const work = new Promise((resolve, reject) => {
    const onStatus = ({ status, events, dispatchError }) => {
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        reject(new ChainError(`transaction ${status.type.toLowerCase()}`, `${what} left the pool without being included`));
      } else if (status.isInBlock || status.isFinalized) {
        if (dispatchError) reject(dispatchFailure(api, dispatchError));
        else resolve({ events, blockHash: (status.isInBlock ? status.asInBlock : status.asFinalized).toHex() });
      }
    };
    const sent = signer ? tx.signAndSend(signer, onStatus) : tx.send(onStatus);
    sent.then((u) => { unsubscribe = u; })
      .catch((e) => reject(signer ? new ChainError(String(e.message ?? e), '', String(e.message ?? e)) : poolRefusal(api, e)));
  });
  return withTimeout(work, TX_TIMEOUT_MS, what).finally(() => { if (unsubscribe) unsubscribe(); });
}

/** The first event `section.method` among `events` (from submit), or throws. */
export function findEvent(events, section, method) {
  const found = events.find(({ event }) => event.section === section && event.method === method);
  if (!found) throw new ChainError(`no ${section}.${method} event`, '');
  return found.event;
}

/** A passkey's authenticator key, by its credential id (0x hex). */
export const passkeyKey = (credentialId) => ({ Passkey: credentialId });

/** The Meta-Account a fresh credential creates: `{ id, sovereignAccount, creationNonce }`. */
export async function nextMetaAccount(api, credentialId) {
  const next = await api.call.waasApi.nextMetaAccount(passkeyKey(credentialId));
  return {
    id: next.id.toHex(),
    sovereignAccount: next.sovereignAccount.toString(),
    creationNonce: next.creationNonce.toNumber(),
  };
}

// The Ok of a SigningPayloadView result, or a ChainError naming the PayloadError.
function payloadOf(result) {
  if (result.isErr) throw new ChainError(`waasApi.${result.asErr.type}`, 'the runtime cannot build this payload');
  const p = result.asOk;
  return { digest: p.digest.toU8a(), challenge: new TextDecoder().decode(p.challenge.toU8a(true)), maxFee: p.maxFee.toBigInt() };
}

/**
 * What a new passkey signs to join `metaAccount` (null: to create a Meta-Account with
 * `creationNonce`) with `role`: `{ digest, challenge, maxFee }`.
 */
export async function possessionPayload(api, metaAccount, creationNonce, role) {
  return payloadOf(await api.call.waasApi.possessionPayload(metaAccount, creationNonce, role));
}

/** The Meta-Account `credentialId` acts for (0x id), or null. */
export async function metaAccountOfPasskey(api, credentialId) {
  const id = await api.call.waasApi.metaAccountOfAuthenticator(passkeyKey(credentialId));
  return id.isSome ? id.unwrap().toHex() : null;
}

const keyText = (key) => {
  if (key.isPasskey) return { kind: 'Passkey', id: key.asPasskey.toHex() };
  if (key.isEvm) return { kind: 'EVM wallet', id: key.asEvm.toHex() };
  return { kind: 'Substrate', id: key.asSubstrate.toString() };
};

/** The Meta-Account's view as plain values, or null if there is none with this id. */
export async function metaAccountView(api, id) {
  const view = await api.call.waasApi.metaAccount(id);
  if (view.isNone) return null;
  const v = view.unwrap();
  const sovereignAccount = v.sovereignAccount.toString();
  const account = await api.query.system.account(sovereignAccount);
  return {
    id: u8aToHex(v.id.toU8a()),
    sovereignAccount,
    free: account.data.free.toBigInt(),
    nonce: v.nonce.toBigInt(),
    epoch: v.epoch.toNumber(),
    createdAt: v.createdAt.toNumber(),
    authenticators: v.authenticators.map((a) => ({
      ...keyText(a.key),
      role: a.role.type,
      signCount: a.passkey.isSome ? a.passkey.unwrap().signCount.toNumber() : null,
      addedAt: a.addedAt.toNumber(),
    })),
  };
}

/** The Meta-Account's addresses (up to 100): `{ index, chain, address, status, oneTime, inFlight }`. */
export async function addresses(api, id) {
  const list = await api.call.waasApi.addresses(id, 0, 100);
  const text = (b) => new TextDecoder().decode(b.toU8a(true));
  return list.map((a) => ({
    index: a.index.toNumber(),
    chain: text(a.chain),
    address: text(a.address),
    status: a.status.type,
    oneTime: a.oneTime.isTrue,
    inFlight: a.inFlight.toNumber(),
  }));
}

/**
 * Signature request `id` as plain values: `{ state, ... }` with state Queued (position),
 * Assigned (attempt, signers, deadline), Signed (signature r ‖ s hex, recoveryId,
 * submittedBy, at), Failed (reason, at) or Cancelled (at); null if unknown.
 */
export async function signatureRequest(api, id) {
  const r = await api.call.waasApi.signatureRequest(id);
  if (r.isNone) return null;
  const req = r.unwrap();
  const s = req.state;
  const base = { id: req.id.toNumber(), payload: req.payload.toU8a(true), state: s.type };
  if (s.isQueued) return { ...base, position: s.asQueued.position.toNumber() };
  if (s.isAssigned) {
    const a = s.asAssigned;
    return { ...base, attempt: a.attempt.toNumber(), signers: a.signers.map(String), deadline: a.deadline.toNumber() };
  }
  if (s.isSigned) {
    const x = s.asSigned;
    return {
      ...base,
      signature: x.signature.toHex(),
      recoveryId: x.recoveryId.toNumber(),
      submittedBy: x.submittedBy.toString(),
      at: x.at.toNumber(),
    };
  }
  if (s.isFailed) return { ...base, reason: s.asFailed.reason.toString(), at: s.asFailed.at.toNumber() };
  return { ...base, at: s.asCancelled.at.toNumber() };
}

/**
 * Sends `call` (a polkadot.js Call, e.g. `api.tx.x.y(...).method`) for `metaAccount` in an
 * envelope signed by the passkey `credentialId`: reads the Meta-Account's nonce, asks the
 * runtime for the envelope's digest, has `sign(digest)` produce the WebAuthn assertion, submits
 * and resolves `{ events, fee, nonce }` once it is in a block. Rejects with a ChainError if the
 * pool refuses the envelope or its call fails (the EnvelopeDispatched result), or with the
 * WebAuthn error.
 */
export async function sendEnvelope(api, { metaAccount, credentialId, call, sign, onProgress = () => {} }) {
  const view = await api.call.waasApi.metaAccount(metaAccount);
  if (view.isNone) throw new ChainError('metaAccounts.UnknownMetaAccount', 'no Meta-Account with this id');
  const nonce = view.unwrap().nonce.toBigInt();
  const validUntil = (await api.rpc.chain.getHeader()).number.toNumber() + ENVELOPE_LIFETIME;
  const authenticator = passkeyKey(credentialId);
  const payload = payloadOf(await api.call.waasApi.envelopePayload(
    metaAccount, authenticator, nonce, validUntil, 'MetaAccount', call.toHex()));
  onProgress(`envelope #${nonce}: confirm with your passkey (costs at most ${formatWaas(payload.maxFee)})…`);
  const proof = await sign(payload.digest);
  onProgress(`envelope #${nonce}: submitting…`);
  const envelope = { metaAccount, authenticator, nonce, validUntil, feePayer: 'MetaAccount', call };
  const { events } = await submit(api, api.tx.metaAccounts.dispatchEnvelope(envelope, { Passkey: proof }));
  const dispatched = findEvent(events, 'metaAccounts', 'EnvelopeDispatched');
  const { result, fee } = dispatched.data;
  if (result.isErr) throw dispatchFailure(api, result.asErr);
  return { events, fee: fee.toBigInt(), nonce };
}

/** The dev faucet: //Alice (the dev chain's well-known key) sends FAUCET_AMOUNT to `to`. */
export async function devFaucet(api, to) {
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  return submit(api, api.tx.balances.transferKeepAlive(to, FAUCET_AMOUNT), alice);
}
