// polkadot.js against the real dev node, with nothing but the chain's metadata: no custom
// types. A committee key is made Active through the keygen calls (reporting a TEST-ONLY key
// made here with ethers), a Meta-Account (two authenticators, the second joined by invitation)
// provisions an EVM address, and the address, the RPC answers and a signature round trip are
// checked against ethers' independent BIP32/EIP-55, down to who paid what.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, hexToU8a, u8aToString } from '@polkadot/util';
import { HDNodeWallet, keccak256, recoverAddress, Signature } from 'ethers';
import { startDevNode, sendAndFinalize, findEvent, rpc } from '../lib/node.js';
import {
  TEST_KEY_SEED, NAMESPACE, SIGNING_FEE_PER_SIGNER, metaAccountId, metaAccountPath, sudo as sudoAs,
  refusedByPool, heldFor, freeBalance,
} from '../lib/waas.js';

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
  let addressDeposit; // bigint, held from Eve while the address exists
  let path;          // [1, m0, m1, m2, 0]
  let request;       // signature request id
  let assigned;      // keypairs of the assigned signers
  let deposit, fee;  // bigints the request holds from Ferdie
  let ferdieBefore;  // Ferdie's free balance before signWithAddress
  let requestTxFee;  // what Ferdie paid for the signWithAddress transaction

  const sudo = (call) => sudoAs(api, call, alice);

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
    // p2p identity keys are unique among signers.
    await assert.rejects(
      sudo(api.tx.thresholdSigners.registerSigner(eve.address, '0x' + '01'.repeat(32), '127.0.0.1:30404')),
      /thresholdSigners\.P2pKeyInUse/,
    );
    const events = await sudo(api.tx.thresholdSigners.createCommittee([bob.address, charlie.address, dave.address], 2));
    const created = findEvent(events, 'thresholdSigners', 'CommitteeCreated');
    assert.equal(created.data.committee.toNumber(), 0);
    assert.equal(created.data.threshold.toNumber(), 2);

    const signers = await rpc(api, 'waas_signers', []);
    assert.deepEqual(signers.map((s) => s.account).sort(), [bob.address, charlie.address, dave.address].sort());
    assert.ok(signers.every((s) => s.committees === 1 && s.expiredAttempts === 0));
    const committees = await rpc(api, 'waas_committees', []);
    assert.equal(committees.length, 1);
    assert.deepEqual(committees[0].members, [bob.address, charlie.address, dave.address]);
    assert.equal(committees[0].threshold, 2);
  });

  it('makes key 0 Active through requestKeygen and three agreeing free reports', async () => {
    const events = await sudo(api.tx.thresholdSigners.requestKeygen(0));
    const requested = findEvent(events, 'thresholdSigners', 'KeygenRequested');
    assert.equal(requested.data.key.toNumber(), 0);
    assert.equal(requested.data.members.length, 3);
    assert.ok(requested.data.auxSource.isNone, 'the first key has no aux info to reuse');
    assert.ok(requested.data.deadline.toNumber() > (await api.rpc.chain.getHeader()).number.toNumber());

    let activated;
    for (const member of [bob, charlie, dave]) {
      const ev = await sendAndFinalize(api, api.tx.thresholdSigners.reportKeygen(0, testKey.publicKey, testKey.chainCode), member);
      const reported = findEvent(ev, 'thresholdSigners', 'KeygenReported');
      assert.equal(reported.data.member.toString(), member.address);
      assert.equal(reported.data.publicKey.toHex(), testKey.publicKey);
      // Signers' reports are free, operational transactions.
      const { dispatchInfo } = findEvent(ev, 'system', 'ExtrinsicSuccess').data;
      assert.ok(dispatchInfo.paysFee.isNo, 'reportKeygen pays no fee');
      assert.ok(dispatchInfo.class.isOperational, 'reportKeygen is operational');
      activated = ev.find(({ event }) => event.method === 'KeyActivated') || activated;
    }
    assert.ok(activated, 'KeyActivated after the third report');
    assert.equal(activated.event.data.publicKey.toHex(), testKey.publicKey);
    assert.equal(activated.event.data.chainCode.toHex(), testKey.chainCode);
    const key = (await api.query.thresholdSigners.keys(0)).unwrap();
    assert.ok(key.status.isActive);

    const [view] = await rpc(api, 'waas_keys', []);
    assert.equal(view.status.status, 'active');
    assert.equal(view.status.publicKey, testKey.publicKey);
    assert.equal(view.status.chainCode, testKey.chainCode);
  });

  it('creates a Meta-Account and adds a second authenticator by invitation', async () => {
    let events = await sendAndFinalize(api, api.tx.metaAccounts.create(), eve);
    const created = findEvent(events, 'metaAccounts', 'MetaAccountCreated');
    metaAccount = created.data.metaAccount.toHex();
    assert.equal(created.data.creator.asSubstrate.toString(), eve.address);
    assert.equal(metaAccount, metaAccountId(eve.address, 0), 'id = blake2_256(domain ‖ creator key ‖ nonce LE)');

    events = await sendAndFinalize(api, api.tx.metaAccounts.inviteAuthenticator(ferdie.address, 'Signer'), eve);
    const invited = findEvent(events, 'metaAccounts', 'AuthenticatorInvited');
    assert.equal(invited.data.invitee.toString(), ferdie.address);
    assert.equal(invited.data.invitedBy.asSubstrate.toString(), eve.address);
    assert.equal(invited.data.role.toString(), 'Signer');
    // An invitation is only an offer: Ferdie acts for nobody until he accepts.
    assert.equal(await rpc(api, 'waas_metaAccountOf', [ferdie.address]), null);
    const invitations = await rpc(api, 'waas_invitations', [ferdie.address]);
    assert.equal(invitations.length, 1);
    assert.equal(invitations[0].metaAccount, metaAccount);
    assert.deepEqual(invitations[0].invitedBy, { substrate: eve.address });
    assert.equal(invitations[0].role, 'Signer');
    assert.equal(invitations[0].depositPayer, eve.address);
    assert.equal(BigInt(invitations[0].deposit), await heldFor(api, eve.address, 'MetaAccounts', 'Invitation'));

    events = await sendAndFinalize(api, api.tx.metaAccounts.acceptInvitation(metaAccount), ferdie);
    const added = findEvent(events, 'metaAccounts', 'AuthenticatorAdded');
    assert.equal(added.data.authenticator.asSubstrate.toString(), ferdie.address);
    assert.equal(added.data.role.toString(), 'Signer');
    assert.equal(added.data.metaAccount.toHex(), metaAccount);
    assert.deepEqual(await rpc(api, 'waas_invitations', [ferdie.address]), []);
    assert.equal(await heldFor(api, eve.address, 'MetaAccounts', 'Invitation'), 0n, "the inviter's deposit is returned");
  });

  it('provisions an EVM address equal to an independent BIP32 + EIP-55 derivation', async () => {
    const events = await sendAndFinalize(api, api.tx.ephemeralAddresses.provisionAddress(0, CHAIN, false), eve);
    const provisioned = findEvent(events, 'ephemeralAddresses', 'AddressProvisioned');
    address = u8aToString(provisioned.data.address.toU8a(true));
    addressDeposit = provisioned.data.deposit.toBigInt();
    assert.equal(u8aToString(provisioned.data.chain.toU8a(true)), CHAIN);
    assert.equal(provisioned.data.index.toNumber(), 0);
    assert.ok(addressDeposit > 0n);
    assert.equal(await heldFor(api, eve.address, 'EphemeralAddresses', 'Address'), addressDeposit);

    // The path is the Meta-Account namespace, three 31-bit words of the Meta-Account id, then
    // the index.
    const id = hexToU8a(metaAccount);
    const view = new DataView(id.buffer, id.byteOffset, id.byteLength);
    path = [NAMESPACE.META_ACCOUNT_ADDRESSES].concat([0, 1, 2].map((k) => view.getUint32(4 * k) & 0x7fffffff), [0]);
    assert.deepEqual(path, metaAccountPath(metaAccount, 0));
    const child = testKey.derivePath('m/' + path.join('/'));
    assert.equal(address, child.address, 'on-chain derivation equals ethers BIP32 + EIP-55');
    assert.equal(provisioned.data.publicKey.toHex(), child.publicKey);

    // The Meta-Account now owns the path prefix [1, m0, m1, m2].
    const owner = (await api.query.thresholdSigners.pathOwners(path.slice(0, 4))).unwrap();
    assert.equal(owner[0].toNumber(), NAMESPACE.META_ACCOUNT_ADDRESSES);
    assert.equal(owner[1].toHex(), metaAccount);
  });

  it('answers the waas_* RPC methods', async () => {
    const meta = await rpc(api, 'waas_metaAccount', [metaAccount]);
    assert.equal(meta.id, metaAccount);
    const byAccount = Object.fromEntries(meta.authenticators.map((a) => [a.key.substrate, a.role]));
    assert.deepEqual(byAccount, { [eve.address]: 'Owner', [ferdie.address]: 'Signer' });
    assert.deepEqual(meta.invitees, []);
    assert.deepEqual(meta.creator, { substrate: eve.address });
    assert.deepEqual(meta.pendingChanges, []);
    assert.equal(meta.nonce, 0);
    // Its sovereign account, as the runtime API tells it too.
    const next = await api.call.waasApi.nextMetaAccount({ Substrate: alice.address });
    assert.equal(next.id.toHex(), metaAccountId(alice.address, 0));
    assert.equal(await rpc(api, 'waas_metaAccountOfAuthenticator', [{ substrate: ferdie.address }]), metaAccount);
    assert.equal(await rpc(api, 'waas_metaAccountOfAuthenticator', [{ evm: '0x' + '11'.repeat(20) }]), null);
    assert.equal((await rpc(api, 'waas_nextMetaAccount', [{ substrate: alice.address }])).sovereignAccount, next.sovereignAccount.toString());

    assert.equal(await rpc(api, 'waas_metaAccountOf', [ferdie.address]), metaAccount);
    assert.equal(await rpc(api, 'waas_metaAccountOf', [alice.address]), null);
    // The same answers straight from the runtime API, decoded from the metadata alone.
    assert.equal((await api.call.waasApi.metaAccountOf(ferdie.address)).unwrap().toHex(), metaAccount);

    const addresses = await rpc(api, 'waas_addresses', [metaAccount]);
    assert.equal(addresses.length, 1);
    assert.equal(addresses[0].index, 0);
    assert.equal(addresses[0].address, address);
    assert.equal(addresses[0].chain, CHAIN);
    assert.deepEqual(addresses[0].path, path);
    assert.equal(addresses[0].path.length, 5);
    assert.equal(addresses[0].publicKey, testKey.derivePath('m/' + path.join('/')).publicKey);
    assert.equal(addresses[0].status, 'Active');
    assert.equal(addresses[0].oneTime, false);
    assert.equal(addresses[0].inFlight, 0);
    assert.equal(addresses[0].depositPayer, eve.address);
    assert.equal(addresses[0].deposit, addressDeposit.toString());
    // Pagination: (start, limit).
    assert.deepEqual(await rpc(api, 'waas_addresses', [metaAccount, 0, 1]), addresses);
    assert.deepEqual(await rpc(api, 'waas_addresses', [metaAccount, 1]), []);

    assert.equal(await rpc(api, 'waas_deriveAddress', [0, path, CHAIN]), address);
    assert.equal(await rpc(api, 'waas_signingFee', [0]), (2n * SIGNING_FEE_PER_SIGNER).toString(), 't = 2 signers × 100 mWAAS');
    assert.equal(await rpc(api, 'waas_signingFee', [99]), null);

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
    await rejects('waas_addresses', [metaAccount, 0, 0], 9001, 'limit');
  });

  it('requests a signature with the address (second authenticator), holding deposit and fee', async () => {
    ferdieBefore = await freeBalance(api, ferdie.address);
    const events = await sendAndFinalize(api, api.tx.ephemeralAddresses.signWithAddress(0, PAYLOAD), ferdie);
    requestTxFee = findEvent(events, 'transactionPayment', 'TransactionFeePaid').data.actualFee.toBigInt();
    const asked = findEvent(events, 'ephemeralAddresses', 'AddressSignatureRequested');
    const requested = findEvent(events, 'thresholdSigners', 'SignatureRequested');
    request = requested.data.request.toNumber();
    assert.equal(asked.data.request.toNumber(), request);
    assert.equal(requested.data.owner.namespace.toNumber(), NAMESPACE.META_ACCOUNT_ADDRESSES);
    assert.equal(requested.data.owner.id.toHex(), metaAccount);
    assert.equal(requested.data.payer.unwrap().toString(), ferdie.address);
    deposit = requested.data.deposit.toBigInt();
    fee = requested.data.fee.toBigInt();
    assert.equal(fee, 2n * SIGNING_FEE_PER_SIGNER);
    assert.ok(deposit > 0n);

    // Nothing is queued ahead: the first attempt is assigned in the same block.
    const attempt = findEvent(events, 'thresholdSigners', 'AttemptAssigned');
    assert.equal(attempt.data.request.toNumber(), request);
    assert.equal(attempt.data.attempt.toNumber(), 0);
    const signers = attempt.data.signers.map((a) => a.toString());
    assert.equal(signers.length, 2);
    assigned = [bob, charlie, dave].filter((k) => signers.includes(k.address));
    assert.equal(assigned.length, 2);
    assert.deepEqual(await rpc(api, 'waas_assignedRequests', [assigned[0].address]), [[request, 0]]);

    assert.equal(await heldFor(api, ferdie.address, 'ThresholdSigners', 'RequestDeposit'), deposit);
    assert.equal(await heldFor(api, ferdie.address, 'ThresholdSigners', 'SigningFee'), fee);

    const view = await rpc(api, 'waas_signatureRequest', [request]);
    assert.equal(view.state.state, 'assigned');
    assert.deepEqual(view.state.signers, signers);
    assert.deepEqual(view.owner, { namespace: NAMESPACE.META_ACCOUNT_ADDRESSES, id: metaAccount, context: 0 });
    assert.equal(view.payer, ferdie.address);
    assert.deepEqual(view.path, path);
    assert.equal(view.payload, PAYLOAD);
    assert.equal(view.scheme, 'Keccak256');
    assert.equal(view.deposit, deposit.toString());
    assert.equal(view.fee, fee.toString());
    assert.equal((await rpc(api, 'waas_addresses', [metaAccount]))[0].inFlight, 1);
  });

  it('rejects strangers, and the pool refuses wrong signatures and non-members', async () => {
    const stranger = keyring.addFromUri('//Alice//stranger');
    await sendAndFinalize(api, api.tx.balances.transferKeepAlive(stranger.address, 10n ** 15n), alice);
    await assert.rejects(
      sendAndFinalize(api, api.tx.ephemeralAddresses.signWithAddress(0, PAYLOAD), stranger),
      /BadOrigin/,
    );
    const child = testKey.derivePath('m/' + path.join('/'));
    const wrong = child.signingKey.sign(keccak256('0x1234'));
    await refusedByPool(api,
      sendAndFinalize(api, api.tx.thresholdSigners.submitSignature(request, wrong.r + wrong.s.slice(2), wrong.yParity), assigned[0]),
      'InvalidSignature');
    // A valid signature from an account outside the committee is refused as well.
    const right = child.signingKey.sign(keccak256(PAYLOAD));
    await refusedByPool(api,
      sendAndFinalize(api, api.tx.thresholdSigners.submitSignature(request, right.r + right.s.slice(2), right.yParity), eve),
      'NotCommitteeMember');
    assert.equal((await rpc(api, 'waas_signatureRequest', [request])).state.state, 'assigned');
  });

  it('accepts the signature of the derived key, pays the signers and returns the deposit', async () => {
    const members = [bob, charlie, dave];
    const before = await Promise.all(members.map((m) => freeBalance(api, m.address)));

    const child = testKey.derivePath('m/' + path.join('/'));
    const digest = keccak256(PAYLOAD);
    const sig = child.signingKey.sign(digest);
    const rs = sig.r + sig.s.slice(2);
    const events = await sendAndFinalize(api, api.tx.thresholdSigners.submitSignature(request, rs, sig.yParity), assigned[0]);
    const signed = findEvent(events, 'thresholdSigners', 'RequestSigned');
    assert.equal(signed.data.request.toNumber(), request);
    assert.equal(signed.data.signature.toHex(), rs);
    assert.equal(signed.data.submittedBy.toString(), assigned[0].address);
    assert.ok(findEvent(events, 'system', 'ExtrinsicSuccess').data.dispatchInfo.paysFee.isNo, 'submitSignature is free');

    const view = await rpc(api, 'waas_signatureRequest', [request]);
    assert.equal(view.state.state, 'signed');
    assert.equal(view.state.signature, rs);
    assert.equal(view.state.recoveryId, sig.yParity);
    assert.equal(view.state.submittedBy, assigned[0].address);
    const recovered = recoverAddress(digest, Signature.from({ r: sig.r, s: sig.s, yParity: view.state.recoveryId }));
    assert.equal(recovered, address);
    assert.equal(u8aToHex(hexToU8a(view.messageHash)), digest);

    // The fee went to the two assigned signers, half each; the third member got nothing.
    const after = await Promise.all(members.map((m) => freeBalance(api, m.address)));
    for (const [i, m] of members.entries()) {
      const expected = assigned.includes(m) ? fee / 2n : 0n;
      assert.equal(after[i] - before[i], expected, `${m.address} earned ${expected}`);
    }
    // Ferdie holds nothing for the request any more: the deposit is back in his free balance,
    // the fee is gone; all he spent is the fee and the transaction fee of signWithAddress.
    assert.equal(await heldFor(api, ferdie.address, 'ThresholdSigners', 'RequestDeposit'), 0n);
    assert.equal(await heldFor(api, ferdie.address, 'ThresholdSigners', 'SigningFee'), 0n);
    assert.equal(await freeBalance(api, ferdie.address), ferdieBefore - requestTxFee - fee);
    assert.equal((await rpc(api, 'waas_addresses', [metaAccount]))[0].inFlight, 0);
    assert.deepEqual(await rpc(api, 'waas_assignedRequests', [assigned[0].address]), []);
  });
});
