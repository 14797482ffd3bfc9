// Swap intents from polkadot.js: what a user and a solver do (create, deposit, claim, fill,
// report) and how they wait for the committee, shared by examples/intent.js and the tests.
import { Wallet, Interface, getAddress } from 'ethers';
import { sendAndFinalize, findEvent, withTimeout } from './node.js';

/** One ether (or one token of 18 decimals) in its smallest unit. */
export const ETHER = 10n ** 18n;
/** The solver bond the runtime asks for (MinSolverBond: 100 WAAS of 12 decimals). */
export const SOLVER_BOND = 100n * 10n ** 12n;
/** The ERC-20 `transfer` of a fill; the fill tag is appended to its calldata. */
export const ERC20 = new Interface([
  'function transfer(address to, uint256 value) returns (bool)',
  'function balanceOf(address) view returns (uint256)',
]);

/** A fresh EVM wallet on an anvil node, given `ether` by `anvil_setBalance`. */
export async function fundedWallet(provider, ether = 10n) {
  const wallet = Wallet.createRandom().connect(provider);
  await provider.send('anvil_setBalance', [wallet.address, '0x' + (ether * ETHER).toString(16)]);
  return wallet;
}

/** `who`'s Meta-Account (created if `who` has none). */
export async function ensureMetaAccount(api, who) {
  const existing = await api.call.waasApi.metaAccountOf(who.address);
  if (existing.isSome) return existing.unwrap().toHex();
  const events = await sendAndFinalize(api, api.tx.metaAccounts.create(), who);
  return findEvent(events, 'metaAccounts', 'MetaAccountCreated').data.metaAccount.toHex();
}

/**
 * Intent terms for `amountIn` of `sourceAsset` (CAIP-19) against at least `minAmountOut` of
 * `destinationAsset` paid to `recipient` on `destinationChain`, refunds to `refundTo` on
 * `sourceChain`; deadlines in seconds from the chain's now.
 */
export async function intentTerms(api, o) {
  const now = (await api.query.timestamp.now()).toBigInt() / 1000n;
  return {
    sourceAsset: o.sourceAsset,
    amountIn: o.amountIn,
    destinationAsset: o.destinationAsset,
    minAmountOut: o.minAmountOut,
    recipient: `eip155:${o.destinationChain}:${o.recipient}`,
    refundTo: `eip155:${o.sourceChain}:${o.refundTo}`,
    openDeadline: now + BigInt(o.openIn ?? 600),
    fillDeadline: now + BigInt(o.fillIn ?? 3600),
    maxFee: o.maxFee ?? o.amountIn / 50n,
    exclusive: null,
  };
}

/** Creates an intent on committee key `key`; resolves `{ id, depositAddress, record }`. */
export async function createIntent(api, who, key, terms) {
  const events = await sendAndFinalize(api, api.tx.intents.createIntent(key, terms), who);
  const created = findEvent(events, 'intents', 'IntentCreated');
  const id = created.data.intent.toNumber();
  const record = (await api.call.intentsApi.intent(id)).unwrap();
  return { id, depositAddress: getAddress(created.data.depositAddress.toHex()), record };
}

/**
 * Calls `probe()` every second until it returns a truthy value, and resolves that value.
 * Bounded by `ms`; the timeout's error names `what` and adds `context()`.
 */
export async function until(what, probe, { ms = 120_000, context = () => '' } = {}) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms\n${context()}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Polls the intent (runtime API) until `done(record | null)` is true (null: the intent has
 * ended and is gone); resolves that record. Bounded by `ms`; `context()` is added to a timeout.
 */
export async function waitForIntent(api, id, done, what, { ms = 180_000, context = () => '' } = {}) {
  let last;
  await until(`intent ${id}: ${what}`, async () => {
    const found = await api.call.intentsApi.intent(id);
    last = found.isSome ? found.unwrap() : null;
    return done(last);
  }, { ms, context: () => `status ${last ? JSON.stringify(last.status.toHuman()) : 'gone'}\n${context()}` });
  return last;
}

/** Bonds `solver` if it is not a solver yet. */
export async function ensureSolver(api, solver) {
  if ((await api.call.intentsApi.solver(solver.address)).isNone) {
    await sendAndFinalize(api, api.tx.intents.bondSolver(SOLVER_BOND), solver);
  }
}

/**
 * The solver's fill on the destination chain: `amount` of the native coin to `to`, or of the
 * ERC-20 `token`, tagged with the intent's `fillTag`; resolves the mined transaction's hash.
 */
export async function sendFill(wallet, { to, amount, fillTag, token }) {
  const tx = token
    ? await wallet.sendTransaction({ to: token, data: ERC20.encodeFunctionData('transfer', [to, amount]) + fillTag.slice(2) })
    : await wallet.sendTransaction({ to, value: amount, data: fillTag });
  const receipt = await withTimeout(tx.wait(1), 30_000, 'fill mined');
  if (receipt.status !== 1) throw new Error(`fill ${tx.hash} reverted`);
  return tx.hash;
}
