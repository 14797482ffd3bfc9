// Swap intents through polkadot.js against the real dev node and two real anvil nodes (the
// source chain 31337 and the destination chain 31338), with ethers as the EVM client.
//
// No signer runs here (devnet.test.js runs the real ones, which watch anvil, attest, propose and
// broadcast by themselves): the test plays the committee members' part with the members' own
// accounts — it reads anvil the way each member would, attests, proposes the release built
// with ethers (an EVM library independent of the signers' alloy), and signs it with the
// TEST-ONLY committee key (no signer holds shares of it). Everything the runtime does is real: the deposit address derivation, the
// attestation threshold, the check of the proposed transaction, the signature request and its
// verification. The release it signs is mined on anvil and pays the solver.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Transaction, Signature, keccak256, getAddress, parseEther } from 'ethers';
import { startDevNode, sendAndFinalize, findEvent } from '../lib/node.js';
import { activateTestKey, devAccounts, heldFor } from '../lib/waas.js';
import { startAnvil } from '../lib/anvil.js';

const SOURCE = 31337;
const DESTINATION = 31338;
const ETHER = 10n ** 18n;
/** The dev chains' gas budget (genesis preset): 21,000 gas at up to 100 gwei. */
const NATIVE_GAS = 21_000n;
const MAX_FEE_PER_GAS = 100_000_000_000n;

describe('swap intents through polkadot.js, settled on anvil', { concurrency: false }, () => {
  let node, api, source, destination;
  let alice, bob, charlie, dave, eve, ferdie;
  let key, testKey;
  let user, solverWallet; // anvil accounts: the user's, and the solver's
  let intent, record, depositAddress, fillTx, release, releaseTx;
  const recipient = getAddress('0x' + '5a'.repeat(20));

  before(async () => {
    [node, source, destination] = await Promise.all([
      startDevNode(), startAnvil({ chainId: SOURCE }), startAnvil({ chainId: DESTINATION }),
    ]);
    api = node.api;
    [alice, bob, charlie, dave, eve, ferdie] = devAccounts('Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie');
    ({ key, testKey } = await activateTestKey(api, alice, [bob, charlie, dave]));
    await sendAndFinalize(api, api.tx.metaAccounts.create(), eve);
    user = source.wallet(0);
    solverWallet = destination.wallet(1);
  });

  after(async () => {
    await Promise.all([node?.stop(), source?.stop(), destination?.stop()]);
  });

  const terms = async (overrides = {}) => {
    const now = (await api.query.timestamp.now()).toBigInt() / 1000n;
    return {
      sourceAsset: `eip155:${SOURCE}/slip44:60`,
      amountIn: ETHER,
      destinationAsset: `eip155:${DESTINATION}/slip44:60`,
      minAmountOut: parseEther('0.5'),
      recipient: `eip155:${DESTINATION}:${recipient}`,
      refundTo: `eip155:${SOURCE}:${user.address}`,
      openDeadline: now + 600n,
      fillDeadline: now + 3600n,
      maxFee: ETHER / 50n,
      exclusive: null,
      ...overrides,
    };
  };

  const attest = (members, fact) => Promise.all(members.map((m) => sendAndFinalize(api, api.tx.intents.attest(intent, fact), m)));

  it('reads the chains and quotes the fee through the runtime API', async () => {
    const chain = (await api.call.intentsApi.chain(SOURCE)).unwrap();
    assert.equal(chain.nativeGasLimit.toBigInt(), NATIVE_GAS);
    assert.equal(chain.maxFeePerGas.toBigInt(), MAX_FEE_PER_GAS);
    assert.ok((await api.call.intentsApi.chain(1)).isNone);
    const quote = (await api.call.intentsApi.quote(`eip155:${SOURCE}/slip44:60`, ETHER)).asOk;
    assert.equal(quote.protocolFee.toBigInt(), ETHER / 1000n, '0.1 % of amount_in');
    assert.equal(quote.maxGasCost.toBigInt(), NATIVE_GAS * MAX_FEE_PER_GAS);
    assert.equal(quote.solverReceivesAtLeast.toBigInt(), ETHER - ETHER / 1000n - NATIVE_GAS * MAX_FEE_PER_GAS);
    assert.equal((await api.call.intentsApi.quote('eip155:1/slip44:60', ETHER)).asErr.type, 'UnknownChain');
    assert.equal((await api.call.intentsApi.quote('not-an-asset', ETHER)).asErr.type, 'InvalidAsset');
  });

  it('refuses bad terms with typed errors', async () => {
    const create = async (overrides) => sendAndFinalize(api, api.tx.intents.createIntent(key, await terms(overrides)), eve);
    await assert.rejects(create({ recipient: `eip155:${SOURCE}:${recipient}` }), /intents\.InvalidRecipient/);
    await assert.rejects(create({ sourceAsset: 'eip155:1/slip44:60' }), /intents\.UnknownChain/);
    await assert.rejects(create({ maxFee: 1n }), /intents\.FeeAboveMax/);
    await assert.rejects(create({ openDeadline: 1n }), /intents\.DeadlinesOutOfOrder/);
  });

  it('creates an intent whose deposit address is derived from the committee key', async () => {
    const events = await sendAndFinalize(api, api.tx.intents.createIntent(key, await terms()), eve);
    const created = findEvent(events, 'intents', 'IntentCreated');
    intent = created.data.intent.toNumber();
    depositAddress = getAddress(created.data.depositAddress.toHex());
    // ethers' own BIP32 over the test key, along [2 (intents), id >> 31, id & 0x7fffffff].
    const child = testKey.derivePath(`m/2/${Math.floor(intent / 2 ** 31)}/${intent % 2 ** 31}`);
    assert.equal(depositAddress, child.address);
    record = (await api.call.intentsApi.intent(intent)).unwrap();
    assert.ok(record.status.isPending);
    assert.equal(getAddress(record.depositAddress.toHex()), depositAddress);
    assert.equal(getAddress(record.refundTo.toHex()), user.address);
    const meta = (await api.call.waasApi.metaAccountOf(eve.address)).unwrap();
    const mine = await api.call.intentsApi.intentsOf(meta, 0, 10);
    assert.deepEqual(mine.map(([id]) => id.toNumber()), [intent]);
    assert.ok(await heldFor(api, eve.address, 'Intents', 'Intent') > 0n, 'the record deposit is held');
  });

  it('opens once two of three members attest the deposit made on anvil; one lying member is recorded', async () => {
    const sent = await user.sendTransaction({ to: depositAddress, value: ETHER });
    await sent.wait(1, 30_000);
    const balance = await source.provider.getBalance(depositAddress);
    assert.equal(balance, ETHER);
    // Dave reports twice the amount: one voice opens nothing.
    await attest([dave], { Deposit: { amount: 2n * ETHER } });
    assert.ok((await api.call.intentsApi.intent(intent)).unwrap().status.isPending);
    const results = await attest([bob, charlie], { Deposit: { amount: balance } });
    const disputed = results.flat().find(({ event }) => event.method === 'AttestationDisputed');
    assert.deepEqual(disputed.event.data.dissenters.map(String), [dave.address]);
    const opened = (await api.call.intentsApi.intent(intent)).unwrap();
    assert.ok(opened.status.isOpen, `status ${opened.status.type}`);
    assert.equal(opened.deposited.toBigInt(), ETHER);
    assert.equal((await api.query.intents.dissents(dave.address)).toNumber(), 1);
  });

  it('a bonded solver claims and fills on the destination chain; the committee attests the fill', async () => {
    await sendAndFinalize(api, api.tx.intents.bondSolver(100n * 10n ** 12n), ferdie);
    const claimed = await sendAndFinalize(api, api.tx.intents.claimIntent(intent, solverWallet.address), ferdie);
    findEvent(claimed, 'intents', 'IntentClaimed');
    record = (await api.call.intentsApi.intent(intent)).unwrap();
    // The fill: min_amount_out to the recipient, the intent's fill tag as calldata.
    const amount = parseEther('0.5');
    const tx = await solverWallet.sendTransaction({ to: recipient, value: amount, data: record.fillTag.toHex() });
    const receipt = await tx.wait(1, 30_000);
    fillTx = tx.hash;
    await sendAndFinalize(api, api.tx.intents.reportFill(intent, fillTx), ferdie);
    const block = await destination.provider.getBlock(receipt.blockNumber);
    assert.equal(await destination.provider.getBalance(recipient), amount);
    // What each member observes on anvil: the transfer, its amount, its block's timestamp.
    const fact = { Fill: { txHash: fillTx, amount, timestamp: block.timestamp } };
    const results = await attest([bob, dave], fact);
    const filled = results.flat().find(({ event }) => event.method === 'IntentFilled');
    assert.ok(filled, 'IntentFilled');
    assert.equal(filled.event.data.solver.toString(), ferdie.address);
    assert.ok((await api.call.intentsApi.intent(intent)).unwrap().status.isFilled);
  });

  it('refuses a release it did not intend, and has the committee sign the checked one', async () => {
    const deposited = ETHER;
    const value = deposited - record.quote.protocolFee.toBigInt() - NATIVE_GAS * MAX_FEE_PER_GAS;
    const unsigned = (to, v) => Transaction.from({
      type: 2, chainId: SOURCE, nonce: 0, to, value: v, gasLimit: NATIVE_GAS,
      maxFeePerGas: MAX_FEE_PER_GAS, maxPriorityFeePerGas: 1_000_000_000n, data: '0x', accessList: [],
    });
    const propose = (member, tx) => sendAndFinalize(api, api.tx.intents.proposePayout(intent, tx.unsignedSerialized), member);
    await assert.rejects(propose(bob, unsigned(user.address, value)), /intents\.TxWrongRecipient/);
    await assert.rejects(propose(bob, unsigned(solverWallet.address, value + 1n)), /intents\.TxWrongAmount/);
    await assert.rejects(propose(eve, unsigned(solverWallet.address, value)), /intents\.NotCommitteeMember/);

    release = unsigned(solverWallet.address, value);
    await propose(bob, release);
    const events = await propose(charlie, release);
    const requested = findEvent(events, 'intents', 'PayoutRequested');
    assert.equal(requested.data.signingHash.toHex(), keccak256(release.unsignedSerialized));
    const request = requested.data.request.toNumber();
    const asked = findEvent(events, 'thresholdSigners', 'SignatureRequested');
    assert.equal(asked.data.owner.namespace.toNumber(), 2, 'owned by the intents namespace');
    assert.equal(asked.data.owner.context.toNumber(), intent);
    const attempt = findEvent(events, 'thresholdSigners', 'AttemptAssigned');
    const signer = [bob, charlie, dave].find((k) => attempt.data.signers.map(String).includes(k.address));

    const child = testKey.derivePath(`m/2/0/${intent}`);
    const sig = child.signingKey.sign(keccak256(release.unsignedSerialized));
    const signed = await sendAndFinalize(api, api.tx.thresholdSigners.submitSignature(request, sig.r + sig.s.slice(2), sig.yParity), signer);
    findEvent(signed, 'intents', 'PayoutSigned');
    const onChain = findEvent(signed, 'thresholdSigners', 'RequestSigned').data;
    const rs = onChain.signature.toHex();
    releaseTx = release.clone();
    releaseTx.signature = Signature.from({ r: rs.slice(0, 66), s: '0x' + rs.slice(66), yParity: onChain.recoveryId.toNumber() });
    assert.equal(releaseTx.from, depositAddress, 'the committee signed for the deposit address');
  });

  it('the signed release is mined on anvil, pays the solver, and the intent settles', async () => {
    const before = await source.provider.getBalance(solverWallet.address);
    const hash = await source.provider.send('eth_sendRawTransaction', [releaseTx.serialized]);
    assert.equal(hash, releaseTx.hash);
    const receipt = await source.provider.waitForTransaction(hash, 1, 30_000);
    assert.equal(receipt.status, 1);
    assert.equal(await source.provider.getBalance(solverWallet.address) - before, release.value);
    // The protocol fee and the unspent gas stay on the deposit address.
    const left = await source.provider.getBalance(depositAddress);
    assert.equal(left, ETHER - release.value - receipt.gasUsed * receipt.gasPrice);
    assert.ok(left >= record.quote.protocolFee.toBigInt());

    const results = await attest([bob, charlie], { PayoutMined: { txHash: hash } });
    const ended = results.flat().find(({ event }) => event.method === 'IntentEnded');
    assert.ok(ended, 'IntentEnded');
    assert.equal(ended.event.data.outcome.type, 'Settled');
    assert.ok((await api.call.intentsApi.intent(intent)).isNone, 'an ended intent is removed');
    assert.equal(await heldFor(api, eve.address, 'Intents', 'Intent'), 0n, 'its deposit came back');
    assert.equal((await api.call.intentsApi.solver(ferdie.address)).unwrap().activeClaims.toNumber(), 0);
  });
});
