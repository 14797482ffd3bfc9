// A Meta-Account controlled by an EVM wallet, from a script: no Substrate key acts for it.
//
// Start the local network first (README: ./scripts/dev.sh), then:
//   cd tests/js && node examples/evm-wallet.js [ws://127.0.0.1:9944] [0x<private key>] [--typed] [--funder //Alice]
//
// An ethers Wallet (random, or from the private key) proves that it holds its key by signing
// the possession statement the runtime gives it: EIP-191 personal_sign, or EIP-712 typed data
// with --typed. //Alice (dev chain only) funds the new Meta-Account's sovereign account, and an
// unsigned createWithAuthenticator makes the wallet its Owner. From then on every action is an
// envelope that the wallet signs and an unsigned transaction carries: provision an EVM address
// derived from the committee key, ask for a signature over a payload, wait for the committee's
// threshold signature, and have ethers recover its signer: the provisioned address.
//
// Nothing is signed blindly: the script recomputes on its own what the wallet signs (the
// possession and envelope digests, the EIP-191 texts, the EIP-712 hashes with ethers'
// TypedDataEncoder) and stops if the runtime's differ.
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { u8aConcat, u8aToHex, hexToU8a, stringToU8a, u8aToString } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import {
  Wallet, TypedDataEncoder, ZeroHash, hashMessage, keccak256, recoverAddress,
  concat, toUtf8Bytes,
} from 'ethers';
import { sendAndFinalize, findEvent, withTimeout } from '../lib/node.js';
import { sendUnsigned, dispatchFailure, evmSigner } from '../lib/waas.js';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1] === '--funder'));
const url = positional.find((a) => /^wss?:\/\//.test(a)) || 'ws://127.0.0.1:9944';
const privateKey = positional.find((a) => /^0x[0-9a-fA-F]{64}$/.test(a));
const unknown = positional.filter((a) => a !== url && a !== privateKey);
const TYPED = flag('--typed');
const FUNDER = option('--funder') || '//Alice';
if (unknown.length || args.some((a) => a.startsWith('--') && !['--typed', '--funder'].includes(a))) {
  console.error('usage: node examples/evm-wallet.js [ws://…] [0x<private key>] [--typed] [--funder //Alice]');
  process.exit(2);
}

const UNIT = 10n ** 12n;
const FUNDING = 10n * UNIT;
const ENVELOPE_LIFETIME = 100;
const ROLE_INDEX = { Owner: 0, Signer: 1, Viewer: 2 };
const PAYLOAD = '0x' + Buffer.from(`{"to":"0x00000000000000000000000000000000000000bb","value":2,"at":${Date.now()}}`).toString('hex');

const le = (n, bytes) => {
  const out = new Uint8Array(bytes);
  let v = BigInt(n);
  for (let i = 0; i < bytes; i++) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
};
const hex = (u8a) => u8aToHex(u8a);
const blake2 = (...parts) => blake2AsU8a(u8aConcat(...parts), 256);

/** Fails with `what` unless `actual` equals `expected` (both 0x hex or strings). */
function same(what, actual, expected) {
  if (actual !== expected) throw new Error(`${what}: the runtime says ${actual}, this script computes ${expected}`);
}

const api = await withTimeout(ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true }), 30_000, 'connect');
try {
  const genesis = api.genesisHash.toU8a();
  const wallet = privateKey ? new Wallet(privateKey) : Wallet.createRandom();
  const form = TYPED ? 'EIP-712 signTypedData' : 'EIP-191 personal_sign';
  console.log(`wallet ${wallet.address} (${privateKey ? 'from the key given' : 'random'}; signs with ${form})`);
  const key = { Evm: wallet.address };
  const domain = { name: 'WaaS Chain', version: '1', salt: hex(genesis) };

  // What the wallet signs for a payload view: the EIP-191 text, or the EIP-712 typed data. Each
  // is checked against this script's own computation first; the signature against the wallet's
  // address.
  async function walletSign(payload, text, typed) {
    same('EIP-191 text', u8aToString(payload.personalMessage.toU8a(true)), text);
    const typedHash = TypedDataEncoder.hash(domain, typed.types, typed.value);
    same('EIP-712 hash', payload.typedDataHash.toHex(), typedHash);
    if (TYPED) {
      const signature = await wallet.signTypedData(domain, typed.types, typed.value);
      same('EIP-712 signer', recoverAddress(typedHash, signature), wallet.address);
      return { TypedData: signature };
    }
    const message = payload.personalMessage.toU8a(true);
    const signature = await wallet.signMessage(message);
    // EIP-191 by its definition: keccak256("\x19Ethereum Signed Message:\n" ‖ length ‖ message).
    const eip191 = keccak256(concat([toUtf8Bytes(`\x19Ethereum Signed Message:\n${message.length}`), message]));
    same('EIP-191 hash', hashMessage(message), eip191);
    same('EIP-191 signer', recoverAddress(eip191, signature), wallet.address);
    return { PersonalSign: signature };
  }

  // --- the Meta-Account: the wallet's, or a new one it creates ---------------------------------
  let meta = await api.call.waasApi.metaAccountOfAuthenticator(key);
  let sovereign;
  if (meta.isSome) {
    meta = meta.unwrap().toHex();
    sovereign = (await api.call.waasApi.metaAccount(meta)).unwrap().sovereignAccount.toString();
    console.log(`the wallet already acts for Meta-Account ${meta}`);
  } else {
    const next = await api.call.waasApi.nextMetaAccount(key);
    meta = next.id.toHex();
    sovereign = next.sovereignAccount.toString();
    const creationNonce = next.creationNonce.toNumber();
    console.log(`Meta-Account ${meta} (to be; sovereign account ${sovereign})`);

    const result = await api.call.waasApi.possessionPayload(null, creationNonce, 'Owner');
    if (result.isErr) throw new Error(`possessionPayload: ${result.asErr.type}`);
    const statement = result.asOk;
    // blake2_256("waas/possession/v1" ‖ genesis ‖ SCALE(NewMetaAccount { creation_nonce }) ‖ SCALE(Owner))
    const digest = hex(blake2(stringToU8a('waas/possession/v1'), genesis, new Uint8Array([0]), le(creationNonce, 4), new Uint8Array([ROLE_INDEX.Owner])));
    same('possession digest', statement.digest.toHex(), digest);
    const text = ['WaaS Chain: add this wallet to a Meta-Account', `chain: ${hex(genesis)}`,
      `meta-account: new (creation nonce ${creationNonce})`, 'role: Owner', `digest: ${digest}`].join('\n');
    const signature = await walletSign(statement, text, {
      types: { WaasPossession: [{ name: 'metaAccount', type: 'bytes32' }, { name: 'role', type: 'string' }, { name: 'digest', type: 'bytes32' }] },
      value: { metaAccount: ZeroHash, role: 'Owner', digest },
    });
    console.log(`possession statement ${digest}: signed (${Object.keys(signature)[0]})`);

    // Dev funding: the sovereign account pays the entry deposit and every fee.
    const funder = new Keyring({ type: 'sr25519' }).addFromUri(FUNDER);
    await sendAndFinalize(api, api.tx.balances.transferKeepAlive(sovereign, FUNDING), funder);
    console.log(`${FUNDER} sent 10 WAAS to the sovereign account`);

    const events = await sendUnsigned(api, api.tx.metaAccounts.createWithAuthenticator(
      { Evm: { address: wallet.address, signature } }, 'MetaAccount'));
    const created = findEvent(events, 'metaAccounts', 'MetaAccountCreated').data.metaAccount.toHex();
    same('created Meta-Account', created, meta);
    console.log(`created Meta-Account ${meta}: the wallet is its Owner`);
  }

  // --- envelopes: calls the wallet signs for its Meta-Account ---------------------------------
  async function envelope(call, what) {
    const nonce = (await api.call.waasApi.metaAccount(meta)).unwrap().nonce.toBigInt();
    const validUntil = (await api.rpc.chain.getHeader()).number.toNumber() + ENVELOPE_LIFETIME;
    const result = await api.call.waasApi.envelopePayload(meta, key, nonce, validUntil, 'MetaAccount', call.toHex());
    if (result.isErr) throw new Error(`envelopePayload: ${result.asErr.type}`);
    const payload = result.asOk;
    // blake2_256("waas/envelope/v1" ‖ genesis ‖ meta ‖ SCALE(Evm(address)) ‖ nonce u64 LE ‖
    //            valid_until u32 LE ‖ SCALE(FeePayer::MetaAccount) ‖ blake2_256(SCALE(call)))
    const digest = hex(blake2(stringToU8a('waas/envelope/v1'), genesis, hexToU8a(meta),
      new Uint8Array([2]), hexToU8a(wallet.address), le(nonce, 8), le(validUntil, 4),
      new Uint8Array([0]), blake2(call.toU8a())));
    same('envelope digest', payload.digest.toHex(), digest);
    const text = ['WaaS Chain envelope', `chain: ${hex(genesis)}`, `meta-account: ${meta}`,
      `nonce: ${nonce}`, `valid until block: ${validUntil}`, `digest: ${digest}`].join('\n');
    const signature = await walletSign(payload, text, {
      types: { WaasEnvelope: [{ name: 'metaAccount', type: 'bytes32' }, { name: 'nonce', type: 'uint64' }, { name: 'validUntil', type: 'uint32' }, { name: 'digest', type: 'bytes32' }] },
      value: { metaAccount: meta, nonce, validUntil, digest },
    });
    const events = await sendUnsigned(api, api.tx.metaAccounts.dispatchEnvelope(
      { metaAccount: meta, authenticator: key, nonce, validUntil, feePayer: 'MetaAccount', call }, { Evm: signature }));
    const { result: outcome, fee } = findEvent(events, 'metaAccounts', 'EnvelopeDispatched').data;
    if (outcome.isErr) throw dispatchFailure(api, outcome.asErr);
    console.log(`envelope #${nonce} (${what}): digest ${digest}, fee ${fee.toBigInt()} units`);
    return events;
  }

  const provisioned = await envelope(api.tx.ephemeralAddresses.provisionAddress(0, 'eip155:1', false).method, 'provision an address');
  const addressEvent = findEvent(provisioned, 'ephemeralAddresses', 'AddressProvisioned');
  const index = addressEvent.data.index.toNumber();
  const address = u8aToString(addressEvent.data.address.toU8a(true));
  console.log(`address #${index}: ${address}`);

  const requested = await envelope(api.tx.ephemeralAddresses.signWithAddress(index, PAYLOAD).method, 'ask for a signature');
  const request = findEvent(requested, 'ephemeralAddresses', 'AddressSignatureRequested').data.request.toNumber();
  console.log(`signature request ${request}: waiting for the committee…`);

  // The request's state, read every block until it ends.
  let unsubscribe;
  const signed = await withTimeout(new Promise((resolve, reject) => {
    let last = '';
    api.rpc.chain.subscribeNewHeads(async () => {
      try {
        const view = (await api.call.waasApi.signatureRequest(request)).unwrap();
        const state = view.state;
        if (state.type !== last) {
          last = state.type;
          if (state.isAssigned) console.log(`attempt ${state.asAssigned.attempt.toNumber()} assigned`);
        }
        if (state.isSigned) resolve(state.asSigned);
        else if (state.isFailed) reject(new Error(`request ${request} failed: ${state.asFailed.reason.toString()}`));
        else if (state.isCancelled) reject(new Error(`request ${request} was cancelled`));
      } catch (e) {
        reject(e);
      }
    }).then((u) => { unsubscribe = u; }, reject);
  }), 180_000, 'the signature').finally(() => { if (unsubscribe) unsubscribe(); });

  const rs = signed.signature.toHex();
  const recoveryId = signed.recoveryId.toNumber();
  const recovered = evmSigner(PAYLOAD, rs, recoveryId);
  console.log(`signature ${rs} (recovery id ${recoveryId}) by ${signed.submittedBy.toString()}`);
  console.log(`ethers recovers ${recovered}: ${recovered === address ? 'matches the address' : 'DOES NOT MATCH'}`);
  if (recovered !== address) process.exitCode = 1;
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
} finally {
  await api.disconnect();
}
