// From a Meta-Account to a real threshold signature, with polkadot.js only.
//
// Start the local network first (README: ./scripts/dev.sh), then:
//   cd tests/js && node examples/sign.js [ws://127.0.0.1:9944]
//
// Eve creates a Meta-Account (once), provisions an EVM address derived on-chain from the
// committee key, asks for a signature over a payload, and waits for the signer committee's
// CGGMP21 signature. ethers then recovers the signer's address from the signature: it is
// the provisioned address, so the committee signed with the address's key.
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { keccak256, recoverAddress, Signature } from 'ethers';
import { sendAndFinalize, findEvent, withTimeout } from '../lib/node.js';

const url = process.argv[2] || 'ws://127.0.0.1:9944';
const PAYLOAD = '0x' + Buffer.from(`{"to":"0x00000000000000000000000000000000000000aa","value":1,"at":${Date.now()}}`).toString('hex');

const api = await withTimeout(ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true }), 30_000, 'connect');
const eve = new Keyring({ type: 'sr25519' }).addFromUri('//Eve');
try {
  let meta = (await api.query.metaAccounts.authenticatorOf(eve.address)).unwrapOr(null);
  if (meta === null) {
    const events = await sendAndFinalize(api, api.tx.metaAccounts.create(), eve);
    meta = findEvent(events, 'metaAccounts', 'MetaAccountCreated').data.metaAccount;
  }
  console.log(`Meta-Account ${meta.toHex()}`);

  const provisioned = await sendAndFinalize(api, api.tx.ephemeralAddresses.provisionAddress(0, 'eip155:1', false), eve);
  const addressEvent = findEvent(provisioned, 'ephemeralAddresses', 'AddressProvisioned');
  const index = addressEvent.data.index.toNumber();
  const address = Buffer.from(addressEvent.data.address.toU8a(true)).toString();
  console.log(`address #${index}: ${address}`);

  const requested = await sendAndFinalize(api, api.tx.ephemeralAddresses.signWithAddress(index, PAYLOAD, 'Keccak256'), eve);
  const request = findEvent(requested, 'thresholdSigners', 'SignatureRequested').data.request.toNumber();
  console.log(`signature request ${request}: waiting for the committee…`);

  const produced = await withTimeout(new Promise((resolve, reject) => {
    api.query.system.events((records) => {
      for (const { event } of records) {
        if (event.section !== 'thresholdSigners') continue;
        if (event.method === 'SignatureProduced' && event.data.request.toNumber() === request) resolve(event);
        if (event.method === 'SignatureFailed' && event.data.request.toNumber() === request) reject(new Error(`request failed: ${event.data.reason}`));
      }
    }).catch(reject);
  }), 180_000, 'SignatureProduced');

  const rs = produced.data.signature.toHex();
  const recoveryId = produced.data.recoveryId.toNumber();
  const recovered = recoverAddress(keccak256(PAYLOAD), Signature.from({ r: rs.slice(0, 66), s: '0x' + rs.slice(66), yParity: recoveryId }));
  console.log(`signature ${rs} (recovery id ${recoveryId}) by ${produced.data.submittedBy.toString()}`);
  console.log(`ethers recovers ${recovered}: ${recovered === address ? 'matches the address' : 'DOES NOT MATCH'}`);
  if (recovered !== address) process.exitCode = 1;
} finally {
  await api.disconnect();
}
