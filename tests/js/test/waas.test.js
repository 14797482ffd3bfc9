// polkadot.js against the real dev node, with nothing but the chain's metadata: no custom
// types. A committee key is made Active through the keygen calls (reporting a TEST-ONLY key
// made here with ethers), a Meta-Account provisions an EVM address, and the address, the RPC
// answers and a signature round trip are checked against ethers' independent BIP32/EIP-55.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, hexToU8a, u8aToString } from '@polkadot/util';
import { HDNodeWallet, keccak256, recoverAddress, Signature } from 'ethers';
import { startDevNode, sendAndFinalize, findEvent, rpc } from '../lib/node.js';

const TEST_KEY_SEED = '0x' + '07'.repeat(32);
const CHAIN = 'eip155:1';
const PAYLOAD = '0x' + Buffer.from('{"to":"0x00000000000000000000000000000000000000aa","value":1}').toString('hex');

describe('WaaS Chain through polkadot.js', () => {
  let node;
  let api;
  let keyring;
  let alice, bob, charlie, dave, eve, ferdie;
  const testKey = HDNodeWallet.fromSeed(TEST_KEY_SEED);
  let metaAccount;   // 0x hex id
  let address;       // EIP-55 text
  let path;          // [m0, m1, m2, 0]
  let request;       // signature request id
  let assigned;      // keypairs of the assigned signers

  const sudo = (call) => sendAndFinalize(api, api.tx.sudo.sudo(call), alice);

  before(async () => {
    node = await startDevNode();
    api = node.api;
    keyring = new Keyring({ type: 'sr25519' });
    [alice, bob, charlie, dave, eve, ferdie] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie']
      .map((uri) => keyring.addFromUri(uri));
  });

  after(async () => {
    if (node) await node.stop();
  });

  it('registers three signers and a 2-of-3 committee (sudo)', async () => {
    for (const [i, signer] of [bob, charlie, dave].entries()) {
      const p2pKey = '0x' + String(i + 1).padStart(2, '0').repeat(32);
      const events = await sudo(api.tx.thresholdSigners.registerSigner(signer.address, p2pKey, `127.0.0.1:${30401 + i}`));
      findEvent(events, 'thresholdSigners', 'SignerRegistered');
    }
    const events = await sudo(api.tx.thresholdSigners.createCommittee([bob.address, charlie.address, dave.address], 2));
    const created = findEvent(events, 'thresholdSigners', 'CommitteeCreated');
    assert.equal(created.data.committee.toNumber(), 0);
    assert.equal(created.data.threshold.toNumber(), 2);
  });

  it('makes key 0 Active through requestKeygen and three agreeing reports', async () => {
    const events = await sudo(api.tx.thresholdSigners.requestKeygen(0));
    const requested = findEvent(events, 'thresholdSigners', 'KeygenRequested');
    assert.equal(requested.data.key.toNumber(), 0);
    assert.equal(requested.data.members.length, 3);

    let activated;
    for (const member of [bob, charlie, dave]) {
      const ev = await sendAndFinalize(api, api.tx.thresholdSigners.reportKeygen(0, testKey.publicKey, testKey.chainCode), member);
      activated = ev.find(({ event }) => event.method === 'KeyActivated') || activated;
    }
    assert.ok(activated, 'KeyActivated after the third report');
    assert.equal(activated.event.data.publicKey.toHex(), testKey.publicKey);
    assert.equal(activated.event.data.chainCode.toHex(), testKey.chainCode);
    const key = (await api.query.thresholdSigners.keys(0)).unwrap();
    assert.ok(key.status.isActive);
  });

  it('creates a Meta-Account and adds a second authenticator', async () => {
    let events = await sendAndFinalize(api, api.tx.metaAccounts.create(), eve);
    const created = findEvent(events, 'metaAccounts', 'MetaAccountCreated');
    metaAccount = created.data.metaAccount.toHex();
    assert.equal(created.data.creator.toString(), eve.address);

    events = await sendAndFinalize(api, api.tx.metaAccounts.addAuthenticator(ferdie.address), eve);
    const added = findEvent(events, 'metaAccounts', 'AuthenticatorAdded');
    assert.equal(added.data.account.toString(), ferdie.address);
  });

  it('provisions an EVM address equal to an independent BIP32 + EIP-55 derivation', async () => {
    const events = await sendAndFinalize(api, api.tx.ephemeralAddresses.provisionAddress(0, CHAIN, false), eve);
    const provisioned = findEvent(events, 'ephemeralAddresses', 'AddressProvisioned');
    address = u8aToString(provisioned.data.address.toU8a(true));
    assert.equal(u8aToString(provisioned.data.chain.toU8a(true)), CHAIN);
    assert.equal(provisioned.data.index.toNumber(), 0);

    // The path is three 31-bit words of the Meta-Account id, then the index.
    const id = hexToU8a(metaAccount);
    const view = new DataView(id.buffer, id.byteOffset, id.byteLength);
    path = [0, 1, 2].map((k) => view.getUint32(4 * k) & 0x7fffffff).concat([0]);
    const child = testKey.derivePath('m/' + path.join('/'));
    assert.equal(address, child.address, 'on-chain derivation equals ethers BIP32 + EIP-55');
  });

  it('answers the waas_* RPC methods', async () => {
    const meta = await rpc(api, 'waas_metaAccount', [metaAccount]);
    assert.equal(meta.id, metaAccount);
    assert.deepEqual(meta.authenticators, [eve.address, ferdie.address]);
    assert.equal(meta.creator, eve.address);

    assert.equal(await rpc(api, 'waas_metaAccountOf', [ferdie.address]), metaAccount);
    assert.equal(await rpc(api, 'waas_metaAccountOf', [alice.address]), null);

    const addresses = await rpc(api, 'waas_addresses', [metaAccount]);
    assert.equal(addresses.length, 1);
    assert.equal(addresses[0].address, address);
    assert.equal(addresses[0].chain, CHAIN);
    assert.deepEqual(addresses[0].path, path);
    assert.equal(addresses[0].status, 'Active');
    assert.equal(addresses[0].oneTime, false);

    assert.equal(await rpc(api, 'waas_deriveAddress', [0, path, CHAIN]), address);

    const rejects = async (method, params, code, message) => {
      await assert.rejects(rpc(api, method, params), (e) => {
        assert.match(String(e.message), new RegExp(`${code}`), `${method} ${JSON.stringify(params)}`);
        if (message) assert.match(String(e.message), new RegExp(message));
        return true;
      });
    };
    await rejects('waas_deriveAddress', [0, [2147483648], CHAIN], 9002, 'InvalidPath');
    await rejects('waas_deriveAddress', [0, [1], 'bip122:000000000019d6689c085ae165831e93'], 9002, 'UnsupportedChain');
    await rejects('waas_deriveAddress', [99, [1], CHAIN], 9002, 'UnknownKey');
    await rejects('waas_metaAccount', ['0x12'], 9001);
  });

  it('requests a signature with the address (second authenticator)', async () => {
    const events = await sendAndFinalize(api, api.tx.ephemeralAddresses.signWithAddress(0, PAYLOAD, 'Keccak256'), ferdie);
    const asked = findEvent(events, 'ephemeralAddresses', 'AddressSignatureRequested');
    const requested = findEvent(events, 'thresholdSigners', 'SignatureRequested');
    request = requested.data.request.toNumber();
    assert.equal(asked.data.request.toNumber(), request);
    assert.equal(requested.data.attempt.toNumber(), 0);
    const signers = requested.data.signers.map((a) => a.toString());
    assert.equal(signers.length, 2);
    assigned = [bob, charlie, dave].filter((k) => signers.includes(k.address));
    assert.equal(assigned.length, 2);

    const view = await rpc(api, 'waas_signatureRequest', [request]);
    assert.equal(view.state.state, 'pending');
    assert.equal(view.payload, PAYLOAD);
    assert.equal(view.scheme, 'Keccak256');
  });

  it('rejects strangers and wrong signatures', async () => {
    const stranger = keyring.addFromUri('//Alice//stranger');
    await sendAndFinalize(api, api.tx.balances.transferKeepAlive(stranger.address, 10n ** 15n), alice);
    await assert.rejects(
      sendAndFinalize(api, api.tx.ephemeralAddresses.signWithAddress(0, PAYLOAD, 'Keccak256'), stranger),
      /BadOrigin/,
    );
    const child = testKey.derivePath('m/' + path.join('/'));
    const wrong = child.signingKey.sign(keccak256('0x1234'));
    await assert.rejects(
      sendAndFinalize(api, api.tx.thresholdSigners.submitSignature(request, wrong.r + wrong.s.slice(2), wrong.yParity), assigned[0]),
      /thresholdSigners\.InvalidSignature/,
    );
  });

  it('accepts the signature of the derived key and reports it over RPC', async () => {
    const child = testKey.derivePath('m/' + path.join('/'));
    const digest = keccak256(PAYLOAD);
    const sig = child.signingKey.sign(digest);
    const rs = sig.r + sig.s.slice(2);
    const events = await sendAndFinalize(api, api.tx.thresholdSigners.submitSignature(request, rs, sig.yParity), assigned[0]);
    const produced = findEvent(events, 'thresholdSigners', 'SignatureProduced');
    assert.equal(produced.data.signature.toHex(), rs);

    const view = await rpc(api, 'waas_signatureRequest', [request]);
    assert.equal(view.state.state, 'signed');
    assert.equal(view.state.signature, rs);
    assert.equal(view.state.recoveryId, sig.yParity);
    const recovered = recoverAddress(digest, Signature.from({ r: sig.r, s: sig.s, yParity: view.state.recoveryId }));
    assert.equal(recovered, address);
    assert.equal(u8aToHex(hexToU8a(view.messageHash)), digest);
  });
});
