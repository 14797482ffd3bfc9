// Custody properties of the runtime, seen from polkadot.js: nobody joins a Meta-Account
// without consent, Meta-Account ids are what a client computes, the privileged origin cannot
// sign on a Meta-Account's path, and a revoked address never signs again. Each test starts its
// own dev node, so they share no state; every wait is bounded (lib/node.js).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { u8aConcat, u8aToHex, stringToU8a } from '@polkadot/util';
import { keccak256 } from 'ethers';
import { startDevNode, sendAndFinalize, findEvent, rpc } from '../lib/node.js';
import {
  NAMESPACE, META_ACCOUNT_ID_DOMAIN, metaAccountId, metaAccountPath, activateTestKey, devAccounts,
  dispatchErrorName, refusedByPool, heldFor, freeBalance,
} from '../lib/waas.js';

const CHAIN = 'eip155:1';
const PAYLOAD = '0x' + Buffer.from('{"to":"0x00000000000000000000000000000000000000bb","value":2}').toString('hex');
/** Alice's first Meta-Account id, pinned: changing the derivation must fail this test. */
const ALICE_META_ACCOUNT_0 = '0xb43dfaaf5b1228fc29e822fa659db4283b9e42b74c270fee5d7caeb5941c0172';

/** Runs `fn(api)` against a fresh dev node and always stops the node. */
async function onDevNode(fn) {
  const node = await startDevNode();
  try {
    return await fn(node.api);
  } finally {
    await node.stop();
  }
}

// Each test has its own node, so they run at the same time.
describe('custody through polkadot.js', { concurrency: true }, () => {
  it('a front-running invitation does not capture the victim', () => onDevNode(async (api) => {
    const [attacker, victim] = devAccounts('Ferdie', 'Eve');

    // The attacker sees the victim's `create` coming and gets in first: a Meta-Account of his
    // own, and an invitation to the victim.
    let events = await sendAndFinalize(api, api.tx.metaAccounts.create(), attacker);
    const attackerMeta = findEvent(events, 'metaAccounts', 'MetaAccountCreated').data.metaAccount.toHex();
    events = await sendAndFinalize(api, api.tx.metaAccounts.inviteAuthenticator(victim.address, 'Owner'), attacker);
    assert.equal(findEvent(events, 'metaAccounts', 'AuthenticatorInvited').data.invitee.toString(), victim.address);
    const [invitation] = await rpc(api, 'waas_invitations', [victim.address]);
    assert.equal(invitation.metaAccount, attackerMeta);
    const invitationDeposit = BigInt(invitation.deposit);
    assert.ok(invitationDeposit > 0n);
    assert.equal(await heldFor(api, attacker.address, 'MetaAccounts', 'Invitation'), invitationDeposit);

    // The victim's `create` still succeeds and makes the victim's own Meta-Account.
    events = await sendAndFinalize(api, api.tx.metaAccounts.create(), victim);
    const created = findEvent(events, 'metaAccounts', 'MetaAccountCreated');
    const victimMeta = created.data.metaAccount.toHex();
    assert.equal(created.data.creator.asSubstrate.toString(), victim.address);
    assert.equal(victimMeta, metaAccountId(victim.address, 0));
    assert.notEqual(victimMeta, attackerMeta);
    assert.equal(await rpc(api, 'waas_metaAccountOf', [victim.address]), victimMeta);
    const substrateKeys = (view) => view.authenticators.map((a) => a.key.substrate);
    assert.deepEqual(substrateKeys(await rpc(api, 'waas_metaAccount', [victimMeta])), [victim.address]);
    const attackers = await rpc(api, 'waas_metaAccount', [attackerMeta]);
    assert.deepEqual(substrateKeys(attackers), [attacker.address], "the victim is not among the attacker's authenticators");
    assert.deepEqual(attackers.invitees, [victim.address], 'the invitation is only an offer');

    // The victim declines; the attacker's deposit is released.
    const attackerFree = await freeBalance(api, attacker.address);
    events = await sendAndFinalize(api, api.tx.metaAccounts.cancelInvitation(attackerMeta, victim.address), victim);
    const cancelled = findEvent(events, 'metaAccounts', 'InvitationCancelled');
    assert.equal(cancelled.data.invitee.toString(), victim.address);
    assert.deepEqual(await rpc(api, 'waas_invitations', [victim.address]), []);
    assert.deepEqual((await rpc(api, 'waas_metaAccount', [attackerMeta])).invitees, []);
    assert.equal(await heldFor(api, attacker.address, 'MetaAccounts', 'Invitation'), 0n);
    assert.equal(await freeBalance(api, attacker.address), attackerFree + invitationDeposit);
    assert.equal(await rpc(api, 'waas_metaAccountOf', [victim.address]), victimMeta);
  }));

  it('Meta-Account ids are blake2_256(domain ‖ creator key ‖ nonce LE), as computed in JS', () => onDevNode(async (api) => {
    const [alice] = devAccounts('Alice');
    const expected = (nonce) => {
      const le = new Uint8Array(4);
      new DataView(le.buffer).setUint32(0, nonce, true);
      // 17 raw ASCII bytes of the domain (no length prefix), the creator's AuthenticatorKey
      // (variant 0x00 = Substrate, then the 32 raw account bytes), the nonce as u32
      // little-endian.
      const bytes = u8aConcat(stringToU8a(META_ACCOUNT_ID_DOMAIN), new Uint8Array([0]), alice.publicKey, le);
      assert.equal(bytes.length, 17 + 1 + 32 + 4);
      return u8aToHex(blake2AsU8a(bytes, 256));
    };
    assert.equal(expected(0), ALICE_META_ACCOUNT_0);
    assert.equal(metaAccountId(alice.address, 0), ALICE_META_ACCOUNT_0);

    let events = await sendAndFinalize(api, api.tx.metaAccounts.create(), alice);
    const first = findEvent(events, 'metaAccounts', 'MetaAccountCreated').data.metaAccount.toHex();
    assert.equal(first, ALICE_META_ACCOUNT_0);
    assert.equal((await api.query.metaAccounts.creationNonce({ Substrate: alice.address })).toNumber(), 1);
    assert.ok((await api.query.metaAccounts.metaAccounts(first)).isSome);

    // Closing it and creating again uses nonce 1, which tells little from big endian.
    events = await sendAndFinalize(api, api.tx.metaAccounts.closeMetaAccount(alice.address), alice);
    assert.equal(findEvent(events, 'metaAccounts', 'MetaAccountClosed').data.metaAccount.toHex(), first);
    assert.equal(await rpc(api, 'waas_metaAccount', [first]), null);
    events = await sendAndFinalize(api, api.tx.metaAccounts.create(), alice);
    const second = findEvent(events, 'metaAccounts', 'MetaAccountCreated').data.metaAccount.toHex();
    assert.equal(second, expected(1));
    assert.equal(second, metaAccountId(alice.address, 1));
    assert.equal(await rpc(api, 'waas_metaAccountOf', [alice.address]), second);
  }));

  it('sudo cannot request a signature on a Meta-Account path', () => onDevNode(async (api) => {
    const [alice, bob, charlie, dave, eve] = devAccounts('Alice', 'Bob', 'Charlie', 'Dave', 'Eve');
    const { key } = await activateTestKey(api, alice, [bob, charlie, dave]);
    let events = await sendAndFinalize(api, api.tx.metaAccounts.create(), eve);
    const meta = findEvent(events, 'metaAccounts', 'MetaAccountCreated').data.metaAccount.toHex();
    await sendAndFinalize(api, api.tx.ephemeralAddresses.provisionAddress(key, CHAIN, false), eve);
    const path = metaAccountPath(meta, 0);
    const nextRequest = (await api.query.thresholdSigners.nextRequestId()).toNumber();

    // Eve's address path [1, m0, m1, m2, 0]: the privileged origin's namespace is 0.
    events = await sendAndFinalize(api,
      api.tx.sudo.sudo(api.tx.thresholdSigners.requestSignature(key, path, PAYLOAD, 'Keccak256')), alice);
    const sudid = findEvent(events, 'sudo', 'Sudid').data.sudoResult;
    assert.ok(sudid.isErr, 'the inner requestSignature fails');
    assert.equal(dispatchErrorName(api, sudid.asErr), 'thresholdSigners.PathNotInNamespace');
    assert.ok(!events.some(({ event }) => event.method === 'SignatureRequested'));
    assert.equal((await api.query.thresholdSigners.nextRequestId()).toNumber(), nextRequest, 'no request was made');
    const owner = (await api.query.thresholdSigners.pathOwners(path.slice(0, 4))).unwrap();
    assert.deepEqual([owner[0].toNumber(), owner[1].toHex()], [NAMESPACE.META_ACCOUNT_ADDRESSES, meta]);

    // In its own namespace sudo signs, with no payer, deposit or fee.
    events = await sendAndFinalize(api,
      api.tx.sudo.sudo(api.tx.thresholdSigners.requestSignature(key, [NAMESPACE.PRIVILEGED, 7], PAYLOAD, 'Keccak256')), alice);
    assert.ok(findEvent(events, 'sudo', 'Sudid').data.sudoResult.isOk);
    const requested = findEvent(events, 'thresholdSigners', 'SignatureRequested');
    assert.equal(requested.data.owner.namespace.toNumber(), NAMESPACE.PRIVILEGED);
    assert.ok(requested.data.payer.isNone);
    assert.equal(requested.data.fee.toBigInt(), 0n);
    assert.equal(requested.data.deposit.toBigInt(), 0n);
  }));

  it('revoking an address cancels its request in flight; a later valid signature is refused', () => onDevNode(async (api) => {
    const [alice, bob, charlie, dave, eve] = devAccounts('Alice', 'Bob', 'Charlie', 'Dave', 'Eve');
    const { key, testKey } = await activateTestKey(api, alice, [bob, charlie, dave]);
    let events = await sendAndFinalize(api, api.tx.metaAccounts.create(), eve);
    const meta = findEvent(events, 'metaAccounts', 'MetaAccountCreated').data.metaAccount.toHex();
    await sendAndFinalize(api, api.tx.ephemeralAddresses.provisionAddress(key, CHAIN, false), eve);
    events = await sendAndFinalize(api, api.tx.ephemeralAddresses.signWithAddress(0, PAYLOAD), eve);
    const request = findEvent(events, 'thresholdSigners', 'SignatureRequested').data.request.toNumber();
    const signers = findEvent(events, 'thresholdSigners', 'AttemptAssigned').data.signers.map((a) => a.toString());
    const signer = [bob, charlie, dave].find((k) => k.address === signers[0]);
    assert.equal((await rpc(api, 'waas_addresses', [meta]))[0].inFlight, 1);

    events = await sendAndFinalize(api, api.tx.ephemeralAddresses.revokeAddress(0), eve);
    assert.equal(findEvent(events, 'thresholdSigners', 'RequestCancelled').data.request.toNumber(), request);
    const revoked = findEvent(events, 'ephemeralAddresses', 'AddressRevoked');
    assert.equal(revoked.data.index.toNumber(), 0);
    assert.equal(revoked.data.cancelledRequests.toNumber(), 1);
    assert.equal((await rpc(api, 'waas_signatureRequest', [request])).state.state, 'cancelled');
    assert.deepEqual(await rpc(api, 'waas_addresses', [meta]), []);
    assert.deepEqual(await rpc(api, 'waas_assignedRequests', [signer.address]), []);
    // Eve holds nothing for the address or the request any more.
    for (const [pallet, reason] of [['EphemeralAddresses', 'Address'], ['ThresholdSigners', 'RequestDeposit'], ['ThresholdSigners', 'SigningFee']]) {
      assert.equal(await heldFor(api, eve.address, pallet, reason), 0n, `${pallet}.${reason} released`);
    }

    // A signature that verifies against the address's key, from an assigned signer, is refused
    // by the pool: the request has ended.
    const child = testKey.derivePath('m/' + metaAccountPath(meta, 0).join('/'));
    const sig = child.signingKey.sign(keccak256(PAYLOAD));
    await refusedByPool(api,
      sendAndFinalize(api, api.tx.thresholdSigners.submitSignature(request, sig.r + sig.s.slice(2), sig.yParity), signer),
      'RequestNotPending');
    assert.equal((await rpc(api, 'waas_signatureRequest', [request])).state.state, 'cancelled');
  }));
});
