// A Meta-Account's address gets a threshold signature from the committee.
//
// Eve creates a Meta-Account (or reuses the one she created in an earlier check), provisions a
// new EVM address derived on-chain from key 0 (`provisionAddress(0, "eip155:1", false)`), asks
// for a signature over a fresh payload (`signWithAddress`) and waits, on finalized blocks, until
// the request is signed. It then reads `thresholdSigners.RequestSigned` from the block that
// signed it, recovers the signer from the signature over keccak-256(payload) and checks that it
// is the provisioned address and the request's derived key. Attempts that expire (a signer is
// down) and are re-assigned are logged; a request that fails for good fails the check at once.
//
// Usage: `bob: js-script ./checks/sign.js with "a label" return is 1 within 180 seconds`
'use strict';
const { Keyring } = require('@polkadot/keyring');
const {
  cryptoWaitReady, keccakAsU8a, secp256k1Recover, ethereumEncode, decodeAddress,
} = require('@polkadot/util-crypto');
const { u8aToString, u8aToHex, hexToU8a, stringToHex } = require('@polkadot/util');
const {
  logger, withApi, wsUri, rpc, sleep, sendAndFinalize, findEvent, finalizedHead,
} = require('./common');

const log = logger('sign');
const CHAIN = 'eip155:1';

/** Eve's own Meta-Account: the one she created, else a new one. */
async function metaAccountOf(api, eve) {
  const existing = await rpc(api, 'waas_metaAccountOf', [eve.address]);
  if (existing !== null) {
    const { creator } = await rpc(api, 'waas_metaAccount', [existing]);
    if (creator.substrate !== eve.address) {
      throw new Error(`Eve authenticates for ${existing}, created by ${JSON.stringify(creator)}: refusing to use it`);
    }
    return existing;
  }
  const events = await sendAndFinalize(api, api.tx.metaAccounts.create(), eve);
  const created = findEvent(events, 'metaAccounts', 'MetaAccountCreated').data.metaAccount.toHex();
  log(`Eve created Meta-Account ${created}`);
  return created;
}

async function run(nodeName, networkInfo, args) {
  const label = (args[0] || '').trim();
  await cryptoWaitReady();
  const eve = new Keyring({ type: 'sr25519' }).addFromUri('//Eve');
  return withApi(wsUri(networkInfo, nodeName), async (api) => {
    const started = Date.now();
    const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
    const meta = await metaAccountOf(api, eve);

    const provisioned = await sendAndFinalize(
      api, api.tx.ephemeralAddresses.provisionAddress(0, CHAIN, false), eve,
    );
    const addressEvent = findEvent(provisioned, 'ephemeralAddresses', 'AddressProvisioned');
    const index = addressEvent.data.index.toNumber();
    const address = u8aToString(addressEvent.data.address.toU8a(true));
    log(`${label ? `${label}: ` : ''}Meta-Account ${meta.slice(0, 10)}…, address #${index} ${address}`);

    const payload = stringToHex(JSON.stringify({
      to: '0x00000000000000000000000000000000000000aa', value: 1, at: Date.now(), label,
    }));
    const requested = await sendAndFinalize(
      api, api.tx.ephemeralAddresses.signWithAddress(index, payload), eve,
    );
    const request = findEvent(requested, 'thresholdSigners', 'SignatureRequested').data.request.toNumber();
    log(`request ${request} finalized (${elapsed()}): waiting for the committee`);

    // The request as of the finalized head, until it ends.
    let view;
    let lastAttempt = -1;
    while (Date.now() - started < 600_000) {
      const head = await finalizedHead(api);
      view = await rpc(api, 'waas_signatureRequest', [request, head.hash]);
      if (!view) throw new Error(`request ${request} unknown at #${head.number}`);
      const { state } = view;
      if (state.state === 'assigned' && state.attempt !== lastAttempt) {
        log(`request ${request}: attempt ${state.attempt} assigned to ${state.signers.join(', ')} `
          + `until #${state.deadline} (finalized #${head.number}, ${elapsed()})`);
        lastAttempt = state.attempt;
      }
      if (state.state === 'signed') break;
      if (state.state === 'failed' || state.state === 'cancelled') {
        throw new Error(`request ${request} ${state.state}: ${JSON.stringify(state)}`);
      }
      await sleep(2000);
    }
    const { state } = view;
    if (state.state !== 'signed') return 0;

    // The event in the block that accepted the signature.
    const blockHash = await api.rpc.chain.getBlockHash(state.at);
    const records = await api.query.system.events.at(blockHash);
    const record = records.find(({ event }) => event.section === 'thresholdSigners'
      && event.method === 'RequestSigned' && event.data.request.toNumber() === request);
    if (!record) throw new Error(`no RequestSigned for request ${request} in block #${state.at}`);
    const signed = record.event.data;
    const signature = signed.signature.toHex();
    const recoveryId = signed.recoveryId.toNumber();
    if (signature !== state.signature) throw new Error('RequestSigned and waas_signatureRequest differ');

    const recovered = secp256k1Recover(keccakAsU8a(hexToU8a(payload)), hexToU8a(signature), recoveryId);
    const recoveredAddress = ethereumEncode(recovered);
    const submitter = u8aToHex(decodeAddress(signed.submittedBy.toString()));
    log(`request ${request}: RequestSigned in #${state.at} after ${elapsed()}, attempt ${lastAttempt}, `
      + `submitted by ${signed.submittedBy.toString()} (${submitter.slice(0, 10)}…)`);
    const keyOk = u8aToHex(recovered) === view.publicKey;
    const addressOk = recoveredAddress === address;
    log(`signature ${signature.slice(0, 18)}… recovery id ${recoveryId}: recovers ${recoveredAddress} `
      + `(${addressOk ? 'the address' : `NOT the address ${address}`}, `
      + `${keyOk ? 'the derived key' : `NOT the derived key ${view.publicKey}`})`);
    return addressOk && keyOk ? 1 : 0;
  });
}

module.exports = { run };
