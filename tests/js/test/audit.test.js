// Audit anchors through polkadot.js against the real dev node: logs registered with a deposit,
// tree heads anchored with consistency proofs built by an independent JavaScript RFC 6962
// implementation (lib/merkle.js), a rewritten history refused, and inclusion and consistency
// checked through the waas_* RPC methods and the runtime API; a Meta-Account's security events
// read back as its activity log, each entry proved against the root in the chain's state.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevNode, sendAndFinalize, findEvent, rpc } from '../lib/node.js';
import { devAccounts, heldFor } from '../lib/waas.js';
import { leafHash, root, inclusionProof, consistencyProof, hex } from '../lib/merkle.js';

const entries = (n, edit = {}) => Array.from({ length: n }, (_, i) => leafHash(edit[i] ?? `session ${i}`));

describe('audit anchors through polkadot.js', { concurrency: false }, () => {
  let node, api, bob, charlie, dave, eve, ferdie;
  let log;

  before(async () => {
    node = await startDevNode();
    api = node.api;
    [bob, charlie, dave, eve, ferdie] = devAccounts('Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie');
  });
  after(async () => { await node?.stop(); });

  const anchor = (who, id, leaves, fromSize) =>
    sendAndFinalize(api, api.tx.auditAnchors.anchor(id, leaves.length, hex(root(leaves)),
      consistencyProof(leaves, fromSize).map(hex)), who);

  it('registers an account\'s log with the deposit the runtime states', async () => {
    const events = await sendAndFinalize(api, api.tx.auditAnchors.registerLog('Account', 'waas/signer-sessions/v1'), bob);
    const registered = findEvent(events, 'auditAnchors', 'LogRegistered');
    log = registered.data.log.toNumber();
    assert.equal(registered.data.owner.asAccount.toString(), bob.address);
    const deposit = api.consts.auditAnchors.logDeposit.toBigInt();
    assert.ok(deposit > 0n);
    assert.equal(await heldFor(api, bob.address, 'AuditAnchors', 'Log'), deposit);
    const json = await rpc(api, 'waas_auditLog', [log]);
    assert.equal(json.format, 'waas/signer-sessions/v1');
    assert.equal(json.deposit, deposit.toString());
    assert.equal(json.latest, null);
  });

  it('anchors a first head, then a larger one with a consistency proof, chained by hash', async () => {
    const leaves = entries(12);
    let events = await anchor(bob, log, leaves.slice(0, 5), 0);
    const first = findEvent(events, 'auditAnchors', 'Anchored').data;
    assert.equal(first.treeSize.toNumber(), 5);
    events = await anchor(bob, log, leaves, 5);
    const second = findEvent(events, 'auditAnchors', 'Anchored').data;
    assert.equal(second.seq.toNumber(), 1);
    assert.equal(second.root.toHex(), hex(root(leaves)));
    const head = (await api.call.auditAnchorsApi.latestHead(log)).unwrap();
    assert.equal(head.treeSize.toNumber(), 12);
    assert.equal(head.previous.toHex(), first.chainHash.toHex(), 'chained to the first head');
    const viaRpc = await rpc(api, 'waas_treeHead', [log, 5]);
    assert.equal(viaRpc.chainHash, first.chainHash.toHex());
  });

  it('refuses a rewritten history, a shrinking head and someone else\'s anchor', async () => {
    const edited = entries(20, { 3: 'session 3, edited' });
    await assert.rejects(anchor(bob, log, edited, 12), /auditAnchors\.InconsistentHistory/);
    await assert.rejects(anchor(bob, log, entries(7), 0), /auditAnchors\.NotExtended/);
    await assert.rejects(anchor(charlie, log, entries(20), 12), /auditAnchors\.NotLogOwner/);
    const head = (await api.call.auditAnchorsApi.latestHead(log)).unwrap();
    assert.equal(head.treeSize.toNumber(), 12, 'nothing changed');
    await anchor(bob, log, entries(20), 12);
  });

  it('checks inclusion and consistency through waas_verifyInclusion and waas_verifyConsistency', async () => {
    const leaves = entries(20);
    for (const [index, size] of [[3, 12], [11, 12], [0, 20], [19, 20]]) {
      const proof = inclusionProof(leaves.slice(0, size), index).map(hex);
      const answer = await rpc(api, 'waas_verifyInclusion', [log, hex(leaves[index]), index, size, proof]);
      assert.equal(answer.valid, true, `entry ${index} of ${size}`);
      assert.equal(answer.head.treeSize, size);
    }
    const proof = inclusionProof(leaves, 7).map(hex);
    const tampered = await rpc(api, 'waas_verifyInclusion', [log, hex(leafHash('session 7, edited')), 7, 20, proof]);
    assert.deepEqual(tampered, { valid: false, reason: 'RootMismatch' });
    const unanchored = await rpc(api, 'waas_verifyInclusion', [log, hex(leaves[7]), 7, 13, proof]);
    assert.deepEqual(unanchored, { valid: false, reason: 'NoHeadAtSize' });
    const between = await rpc(api, 'waas_verifyConsistency', [log, 5, 20, consistencyProof(leaves, 5).map(hex)]);
    assert.deepEqual(between, { valid: true });
    // The runtime API answers the same.
    const viaApi = await api.call.auditAnchorsApi.verifyConsistency(log, 12, 20, consistencyProof(leaves, 12).map(hex));
    assert.ok(viaApi.isOk);
    // Malformed parameters are errors, not answers.
    await assert.rejects(rpc(api, 'waas_verifyInclusion', [log, '0x1234', 7, 20, proof]), /32 bytes/);
    const tooLong = Array(66).fill(hex(leaves[0]));
    await assert.rejects(rpc(api, 'waas_verifyInclusion', [log, hex(leaves[7]), 7, 20, tooLong]), /at most 65 nodes/);
  });

  it('a Meta-Account\'s log is anchored by its authenticators only', async () => {
    await sendAndFinalize(api, api.tx.metaAccounts.create(), dave);
    const events = await sendAndFinalize(api, api.tx.auditAnchors.registerLog('MetaAccount', 'waas/activity/v1'), dave);
    const registered = findEvent(events, 'auditAnchors', 'LogRegistered').data;
    assert.ok(registered.owner.isMetaAccount);
    const id = registered.log.toNumber();
    await assert.rejects(anchor(bob, id, entries(3), 0), /auditAnchors\.NotLogOwner/);
    await anchor(dave, id, entries(3), 0);
    const owned = await api.call.auditAnchorsApi.logsOf({ MetaAccount: registered.owner.asMetaAccount }, 0, 10);
    assert.deepEqual(owned.map((x) => x.toNumber()), [id]);
  });

  it('a Meta-Account\'s security events are its activity log, each entry proved against the chain', async () => {
    let events = await sendAndFinalize(api, api.tx.metaAccounts.create(), eve);
    const meta = findEvent(events, 'metaAccounts', 'MetaAccountCreated').data.metaAccount.toHex();
    const deposit = api.consts.auditAnchors.activityDeposit.toBigInt();
    assert.ok(deposit > 0n);
    assert.equal(await heldFor(api, eve.address, 'AuditAnchors', 'Activity'), deposit);
    await sendAndFinalize(api, api.tx.metaAccounts.inviteAuthenticator(ferdie.address, 'Signer'), eve);
    await sendAndFinalize(api, api.tx.metaAccounts.acceptInvitation(meta), ferdie);
    events = await sendAndFinalize(api, api.tx.metaAccounts.removeAuthenticator({ Substrate: ferdie.address }), eve);
    const recorded = findEvent(events, 'auditAnchors', 'ActivityRecorded').data;
    assert.ok(recorded.entry.activity.isChangeProposed);
    await sendAndFinalize(api, api.tx.metaAccounts.vetoChange(0), eve);

    const log = await rpc(api, 'waas_accountActivity', [meta]);
    assert.equal(log.treeSize, 4);
    assert.deepEqual(log.entries.map((e) => e.kind), ['Created', 'AuthenticatorAdded', 'ChangeProposed', 'ChangeVetoed']);
    // Each entry is the SCALE type in the metadata, hashes to its leaf (by the JavaScript RFC
    // 6962 code), names the leaf before it, and the leaves give the root in the state.
    const leaves = [];
    for (const [i, e] of log.entries.entries()) {
      const bytes = Buffer.from(e.entry.slice(2), 'hex');
      assert.equal(hex(leafHash(bytes)), e.leafHash);
      const entry = api.createType('PalletAuditAnchorsActivityEntry', bytes);
      assert.equal(entry.index.toNumber(), i);
      assert.equal(entry.metaAccount.toHex(), meta);
      assert.equal(entry.previous.toHex(), i === 0 ? '0x' + '00'.repeat(32) : hex(leaves[i - 1]));
      leaves.push(leafHash(bytes));
    }
    const added = api.createType('PalletAuditAnchorsActivityEntry', log.entries[1].entry).activity.asAuthenticatorAdded;
    assert.equal(added.authenticator.asSubstrate.toString(), ferdie.address);
    assert.ok(added.role.isSigner);
    const state = (await api.call.auditAnchorsApi.activityLog(meta)).unwrap();
    assert.equal(log.root, hex(root(leaves)));
    assert.equal(state.root.toHex(), log.root);
    assert.equal(state.latestLeaf.toHex(), hex(leaves[3]));
    const page = await rpc(api, 'waas_accountActivity', [meta, 2, 1]);
    assert.deepEqual(page.entries.map((e) => e.index), [2]);

    // The node's proof is the RFC's audit path; the runtime checks it, and refuses a tampered
    // entry or a size the log does not have.
    const proof = await rpc(api, 'waas_activityProof', [meta, 1]);
    assert.equal(proof.leafHash, hex(leaves[1]));
    assert.deepEqual(proof.proof, inclusionProof(leaves, 1).map(hex));
    const valid = await rpc(api, 'waas_verifyActivity', [meta, proof.leafHash, 1, 4, proof.proof]);
    assert.deepEqual(valid, { valid: true });
    const forged = Buffer.from(log.entries[1].entry.slice(2), 'hex');
    forged[forged.length - 1] ^= 1;
    const tampered = await rpc(api, 'waas_verifyActivity', [meta, hex(leafHash(forged)), 1, 4, proof.proof]);
    assert.deepEqual(tampered, { valid: false, reason: 'RootMismatch' });
    assert.deepEqual(await rpc(api, 'waas_verifyActivity', [meta, proof.leafHash, 1, 3, proof.proof]),
      { valid: false, reason: 'NoHeadAtSize' });
    await assert.rejects(rpc(api, 'waas_activityProof', [meta, 4]), /has 4 entries/);
    await assert.rejects(rpc(api, 'waas_accountActivity', ['0x1234']), /32 bytes/);
    assert.equal(await rpc(api, 'waas_accountActivity', ['0x' + 'ee'.repeat(32)]), null);

    // Closing writes the last entry, ends the on-chain state and returns the deposit.
    await sendAndFinalize(api, api.tx.metaAccounts.removeAuthenticator({ Substrate: ferdie.address }), ferdie);
    events = await sendAndFinalize(api, api.tx.metaAccounts.closeMetaAccount(eve.address), eve);
    const closed = findEvent(events, 'auditAnchors', 'ActivityLogClosed').data;
    assert.equal(closed.treeSize.toNumber(), 6);
    assert.equal(await heldFor(api, eve.address, 'AuditAnchors', 'Activity'), 0n);
    assert.equal(await rpc(api, 'waas_accountActivity', [meta]), null);
  });
});
