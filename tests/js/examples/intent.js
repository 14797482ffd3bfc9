// A swap intent from creation to settlement, with polkadot.js and ethers, against a devnet
// whose signers watch two EVM chains.
//
//   ./scripts/dev.sh --evm-rpc 31337=http://127.0.0.1:8545 --evm-rpc 31338=http://127.0.0.1:8546
//   cd tests/js && node examples/intent.js ws://127.0.0.1:9944 http://127.0.0.1:8545 http://127.0.0.1:8546
//
// (two anvil nodes: `anvil --chain-id 31337 --block-time 1` on 8545 and `--chain-id 31338 --port
// 8546`.) //Alice//stash is the user: she asks for at least 0.5 ETH on chain 31338 for 1 ETH on
// chain 31337 and deposits it to the intent's one-time address (its key only the committee
// holds). //Bob//stash is the solver: he bonds, claims, pays the recipient on 31338 and reports
// the fill. The committee attests each step, proposes the release, signs it with CGGMP21 and
// broadcasts it: the solver receives the deposit minus the fee on 31337.
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { JsonRpcProvider, formatEther, getAddress, Wallet } from 'ethers';
import { withTimeout, sendAndFinalize } from '../lib/node.js';
import {
  ETHER, fundedWallet, ensureMetaAccount, intentTerms, createIntent, waitForIntent, ensureSolver, sendFill,
} from '../lib/intents.js';

const [url = 'ws://127.0.0.1:9944', sourceUrl = 'http://127.0.0.1:8545', destinationUrl = 'http://127.0.0.1:8546'] = process.argv.slice(2);
const key = Number(process.env.WAAS_KEY ?? 0);

const api = await withTimeout(ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true }), 30_000, 'connect');
const source = new JsonRpcProvider(sourceUrl, undefined, { pollingInterval: 200 });
const destination = new JsonRpcProvider(destinationUrl, undefined, { pollingInterval: 200 });
try {
  const keyring = new Keyring({ type: 'sr25519' });
  const [user, solver] = [keyring.addFromUri('//Alice//stash'), keyring.addFromUri('//Bob//stash')];
  const [sourceChain, destinationChain] = [(await source.getNetwork()).chainId, (await destination.getNetwork()).chainId];
  const userWallet = await fundedWallet(source);
  const solverWallet = await fundedWallet(destination);
  const recipient = Wallet.createRandom().address;

  console.log(`Meta-Account ${await ensureMetaAccount(api, user)}`);
  const quote = (await api.call.intentsApi.quote(`eip155:${sourceChain}/slip44:60`, ETHER)).asOk;
  console.log(`quote for 1 ETH: protocol fee ${formatEther(quote.protocolFee.toBigInt())}, gas at most ${formatEther(quote.maxGasCost.toBigInt())}, solver receives at least ${formatEther(quote.solverReceivesAtLeast.toBigInt())}`);
  const terms = await intentTerms(api, {
    sourceChain, destinationChain, sourceAsset: `eip155:${sourceChain}/slip44:60`, amountIn: ETHER,
    destinationAsset: `eip155:${destinationChain}/slip44:60`, minAmountOut: ETHER / 2n, recipient, refundTo: userWallet.address,
  });
  const { id, depositAddress, record } = await createIntent(api, user, key, terms);
  console.log(`intent ${id}: deposit 1 ETH to ${depositAddress} on chain ${sourceChain}`);

  await (await userWallet.sendTransaction({ to: depositAddress, value: ETHER })).wait(1);
  await waitForIntent(api, id, (r) => r?.status.isOpen, 'opened');
  console.log(`intent ${id}: Open (the committee attested the deposit)`);

  await ensureSolver(api, solver);
  await sendAndFinalize(api, api.tx.intents.claimIntent(id, solverWallet.address), solver);
  const fillTx = await sendFill(solverWallet, { to: recipient, amount: ETHER / 2n, fillTag: record.fillTag.toHex() });
  await sendAndFinalize(api, api.tx.intents.reportFill(id, fillTx), solver);
  console.log(`intent ${id}: claimed by the solver, filled on chain ${destinationChain} in ${fillTx}`);

  const before = await source.getBalance(solverWallet.address);
  await waitForIntent(api, id, (r) => r === null, 'settled');
  const received = (await source.getBalance(solverWallet.address)) - before;
  console.log(`intent ${id}: Settled; the solver ${getAddress(solverWallet.address)} received ${formatEther(received)} ETH on chain ${sourceChain}`);
} finally {
  source.destroy();
  destination.destroy();
  await api.disconnect();
}
