// From a Meta-Account to a real threshold signature, with polkadot.js only.
//
// Start the local network first (README: ./scripts/dev.sh), then:
//   cd tests/js && node examples/sign.js [ws://127.0.0.1:9944]
//
// Eve creates a Meta-Account (once), provisions an EVM address derived on-chain from the
// committee key, asks for a signature over a payload, and waits for the signer committee's
// CGGMP21 signature. ethers then recovers the signer's address from the signature: it is
// the provisioned address, so the committee signed with the address's key.
//
// Eve only ever uses a Meta-Account she created herself: if she authenticates for one that
// someone else created, the script stops instead of provisioning and paying on it.
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { sendAndFinalize, findEvent, withTimeout, rpc } from '../lib/node.js';
import { evmSigner } from '../lib/waas.js';

const url = process.argv[2] || 'ws://127.0.0.1:9944';
const PAYLOAD = '0x' + Buffer.from(`{"to":"0x00000000000000000000000000000000000000aa","value":1,"at":${Date.now()}}`).toString('hex');

const api = await withTimeout(ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true }), 30_000, 'connect');
const eve = new Keyring({ type: 'sr25519' }).addFromUri('//Eve');
let unsubscribe;
try {
  // Eve's own Meta-Account: reuse it if she created it, otherwise create one.
  let meta = await rpc(api, 'waas_metaAccountOf', [eve.address]);
  if (meta !== null) {
    const { creator } = await rpc(api, 'waas_metaAccount', [meta]);
    if (creator.substrate !== eve.address) {
      throw new Error(`Eve authenticates for Meta-Account ${meta}, created by ${JSON.stringify(creator)}, not by Eve: `
        + 'refusing to provision addresses or pay for signatures on it. Remove Eve from it '
        + '(metaAccounts.removeAuthenticator) or use a fresh chain.');
    }
  } else {
    const events = await sendAndFinalize(api, api.tx.metaAccounts.create(), eve);
    meta = findEvent(events, 'metaAccounts', 'MetaAccountCreated').data.metaAccount.toHex();
  }
  console.log(`Meta-Account ${meta}`);

  const provisioned = await sendAndFinalize(api, api.tx.ephemeralAddresses.provisionAddress(0, 'eip155:1', false), eve);
  const addressEvent = findEvent(provisioned, 'ephemeralAddresses', 'AddressProvisioned');
  const index = addressEvent.data.index.toNumber();
  const address = Buffer.from(addressEvent.data.address.toU8a(true)).toString();
  // The chain's record of the address, with its derivation path [1, m0, m1, m2, index].
  const [record] = await rpc(api, 'waas_addresses', [meta, index, 1]);
  if (!record || record.address !== address) throw new Error(`waas_addresses does not list address #${index}`);
  console.log(`address #${index}: ${address}`);

  // Watch the committee's events from before the request on, so none is missed; the
  // request's own events are handled once its id is known.
  const seen = [];
  let handle = (event) => { seen.push(event); };
  unsubscribe = await api.query.system.events((records) => {
    for (const { event } of records) if (event.section === 'thresholdSigners') handle(event);
  });

  const requested = await sendAndFinalize(api, api.tx.ephemeralAddresses.signWithAddress(index, PAYLOAD), eve);
  const request = findEvent(requested, 'thresholdSigners', 'SignatureRequested').data.request.toNumber();
  const queued = requested.find(({ event }) => event.section === 'thresholdSigners' && event.method === 'SignatureQueued');
  if (queued) console.log(`signature request ${request}: queued behind ${queued.event.data.position.toNumber()} other request(s)`);
  console.log(`signature request ${request}: waiting for the committee…`);

  const signed = await withTimeout(new Promise((resolve, reject) => {
    let lastAttempt = -1;
    handle = (event) => {
      if (event.data.request === undefined || event.data.request.toNumber() !== request) return;
      switch (event.method) {
        case 'AttemptAssigned': {
          // The first attempt is the normal case; say so only when it left the queue or is
          // a retry after an expired attempt.
          const attempt = event.data.attempt.toNumber();
          if (attempt > lastAttempt && (attempt > 0 || queued)) {
            console.log(`attempt ${attempt} assigned to ${event.data.signers.map((s) => s.toString()).join(', ')}`);
          }
          lastAttempt = Math.max(lastAttempt, attempt);
          break;
        }
        case 'AttemptExpired':
          console.log(`attempt ${event.data.attempt.toNumber()} expired without a signature`);
          break;
        case 'RequestSigned': resolve(event); break;
        case 'RequestFailed': reject(new Error(`request ${request} failed: ${event.data.reason.toString()}`)); break;
        case 'RequestCancelled': reject(new Error(`request ${request} was cancelled`)); break;
        default: break;
      }
    };
    seen.splice(0).forEach(handle);
  }), 180_000, 'RequestSigned');

  const rs = signed.data.signature.toHex();
  const recoveryId = signed.data.recoveryId.toNumber();
  const recovered = evmSigner(PAYLOAD, rs, recoveryId);
  console.log(`signature ${rs} (recovery id ${recoveryId}) by ${signed.data.submittedBy.toString()}`);
  console.log(`ethers recovers ${recovered}: ${recovered === address ? 'matches the address' : 'DOES NOT MATCH'}`);
  if (recovered !== address) process.exitCode = 1;
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
} finally {
  if (unsubscribe) unsubscribe();
  await api.disconnect();
}
