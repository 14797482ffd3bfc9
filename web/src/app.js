// The onboarding page (bundled into dist/app.js by build.js): a passwordless Meta-Account.
// Connects to the node named by `?ws=` (default ws://127.0.0.1:9944) and walks through
// (a) creating a Meta-Account with a passkey, (b) showing it, (c) provisioning an address,
// (d) a threshold signature over a typed payload, checked in the page, and (e) adding a second
// device. The device's passkey (credential id, and its registration until it is on-chain) is
// kept in localStorage per chain, so a reload carries on where it was.
//
// Every status element carries data-state: #status loading | connecting | unreachable |
// connected | error; step statuses idle | busy | done | error; #signature the request's state.
import './style.css';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import {
  ADDRESS_CHAIN, KEY_ID, addresses, devFaucet, findEvent, formatWaas, metaAccountOfPasskey,
  metaAccountView, nextMetaAccount, payloadBytes, possessionPayload, recoverEvmSigner,
  sendEnvelope, signatureRequest, submit,
} from './chain.js';
import { createBoundPasskey, signWithPasskey } from './passkey.js';

const DEFAULT_WS = 'ws://127.0.0.1:9944';
const ROLES = ['Owner', 'Signer', 'Viewer'];
const $ = (id) => document.getElementById(id);

function show(state, text) {
  $('status').dataset.state = state;
  $('status').textContent = text;
}

function notice(text) {
  $('notice').hidden = !text;
  $('notice').textContent = text;
}

function setStep(id, state, text) {
  $(id).dataset.state = state;
  $(id).textContent = text;
}

const short = (h) => (h.length > 20 ? `${h.slice(0, 10)}…${h.slice(-8)}` : h);

// ---- device state (localStorage, per chain) -------------------------------------------------

let storageKey;
/**
 * This device's passkey and what it is for, or null:
 * - before its Meta-Account has it: { onChain: false, credentialId, mode: 'create', metaAccount
 *   (the id it will create), sovereignAccount, registration } or { onChain: false, credentialId,
 *   mode: 'join', metaAccount, role, code };
 * - after: { onChain: true, credentialId, metaAccount, request? (the last signature request:
 *   { id, index, address }) }.
 */
let device = null;

function loadDevice() {
  try {
    return JSON.parse(localStorage.getItem(storageKey) ?? 'null');
  } catch {
    return null;
  }
}

function saveDevice() {
  if (device) localStorage.setItem(storageKey, JSON.stringify(device));
  else localStorage.removeItem(storageKey);
}

// ---- steps: one at a time ------------------------------------------------------------------

let api;
let busy = false;

// Runs `work(progress)` as the step whose status element is `statusId`; every action button is
// disabled meanwhile (two envelopes at once would race for the nonce). Errors are shown typed.
async function runStep(statusId, startText, work) {
  if (busy) return;
  busy = true;
  render();
  // data-run counts the step's runs, so a watcher can tell this run's outcome from the last one's.
  $(statusId).dataset.run = String(Number($(statusId).dataset.run ?? 0) + 1);
  setStep(statusId, 'busy', startText);
  let outcome;
  try {
    outcome = ['done', await work((t) => setStep(statusId, 'busy', t))];
  } catch (e) {
    outcome = ['error', e.message];
  }
  busy = false;
  // The outcome is shown only once the page has been refreshed and re-rendered from it, so
  // whoever watches the status (a user, or the browser test) sees a page that agrees with it.
  await refresh();
  setStep(statusId, ...outcome);
}

// `call` in an envelope of this device's passkey for its Meta-Account (see sendEnvelope).
const envelope = (call, progress) => sendEnvelope(api, {
  metaAccount: device.metaAccount,
  credentialId: device.credentialId,
  call,
  sign: (digest) => signWithPasskey(device.credentialId, digest),
  onProgress: progress,
});

async function createPasskey() {
  await runStep('passkey-status', 'asking the chain what to sign…', async (progress) => {
    // A credential that has created nothing yet has creation nonce 0.
    const statement = await possessionPayload(api, null, 0, 'Owner');
    progress('confirm on your authenticator (creating the passkey, then signing with it)…');
    const name = $('passkey-name').value.trim() || 'WaaS user';
    const { credentialId, registration } = await createBoundPasskey(statement.digest, name);
    const next = await nextMetaAccount(api, credentialId);
    if (next.creationNonce !== 0) throw new Error(`this credential has created ${next.creationNonce} Meta-Accounts already`);
    device = { mode: 'create', onChain: false, credentialId, registration, metaAccount: next.id, sovereignAccount: next.sovereignAccount };
    saveDevice();
    return `passkey ${short(credentialId)} created; it signed the statement for Meta-Account ${short(next.id)}`;
  });
}

async function faucet() {
  await runStep('faucet-status', 'sending 10 WAAS from //Alice…', async () => {
    const { blockHash } = await devFaucet(api, device.sovereignAccount);
    const header = await api.rpc.chain.getHeader(blockHash);
    return `10 WAAS sent to ${short(device.sovereignAccount)} in block #${header.number.toNumber()}`;
  });
}

async function createAccount() {
  await runStep('create-status', 'submitting the registration…', async () => {
    const tx = api.tx.metaAccounts.createWithAuthenticator({ Passkey: device.registration }, 'MetaAccount');
    const { events } = await submit(api, tx);
    const created = findEvent(events, 'metaAccounts', 'MetaAccountCreated');
    const id = created.data.metaAccount.toHex();
    device = { credentialId: device.credentialId, metaAccount: id, onChain: true };
    saveDevice();
    return `Meta-Account ${short(id)} created`;
  });
}

async function joinCreate() {
  await runStep('join-status', 'looking up the Meta-Account…', async (progress) => {
    const id = $('join-meta').value.trim().toLowerCase();
    if (!/^0x[0-9a-f]{64}$/.test(id)) throw new Error('a Meta-Account id is 0x and 64 hex digits');
    const role = $('join-role').value;
    const view = await metaAccountView(api, id);
    if (!view) throw new Error(`no Meta-Account ${id} on this chain`);
    const statement = await possessionPayload(api, id, 0, role);
    progress('confirm on your authenticator (creating the passkey, then signing with it)…');
    const { credentialId, registration } = await createBoundPasskey(statement.digest, `${role} of ${short(id)}`);
    const code = JSON.stringify({ kind: 'waas-registration', version: 1, metaAccount: id, role, epoch: view.epoch, credentialId, ...registration });
    device = { mode: 'join', onChain: false, credentialId, metaAccount: id, role, code };
    saveDevice();
    return `passkey ${short(credentialId)} created for ${short(id)} as ${role}`;
  });
}

// The registration code pasted on an Owner's device, checked before anything is signed.
function parseCode(text, metaAccount) {
  let code;
  try {
    code = JSON.parse(text);
  } catch {
    throw new Error('the registration code is not JSON: copy all of it');
  }
  const isHex = (v) => typeof v === 'string' && /^0x([0-9a-fA-F]{2})+$/.test(v);
  const p = code?.possession;
  if (code?.kind !== 'waas-registration' || code.version !== 1 || !ROLES.includes(code.role)
    || ![code.attestationObject, code.clientDataJson, code.credentialId].every(isHex)
    || ![p?.authenticatorData, p?.clientDataJson, p?.signature].every(isHex)) {
    throw new Error('this is not a registration code of this page');
  }
  if (code.metaAccount !== metaAccount) throw new Error(`this code is for another Meta-Account (${short(String(code.metaAccount))})`);
  return code;
}

async function approve() {
  await runStep('approve-status', 'checking the code…', async (progress) => {
    const code = parseCode($('approve-code').value.trim(), device.metaAccount);
    const registration = { attestationObject: code.attestationObject, clientDataJson: code.clientDataJson, possession: code.possession };
    const call = api.tx.metaAccounts.addAuthenticator({ Passkey: registration }, code.role).method;
    await envelope(call, progress);
    $('approve-code').value = '';
    return `passkey ${short(code.credentialId)} added as ${code.role}`;
  });
}

async function provision() {
  await runStep('provision-status', 'preparing the envelope…', async (progress) => {
    const call = api.tx.ephemeralAddresses.provisionAddress(KEY_ID, ADDRESS_CHAIN, false).method;
    const { events } = await envelope(call, progress);
    const e = findEvent(events, 'ephemeralAddresses', 'AddressProvisioned');
    const address = new TextDecoder().decode(e.data.address.toU8a(true));
    return `address #${e.data.index.toNumber()} provisioned: ${address}`;
  });
}

async function sign() {
  await runStep('sign-status', 'preparing the envelope…', async (progress) => {
    const index = Number($('sign-address').value);
    const address = lastAddresses.find((a) => a.index === index);
    if (!address) throw new Error('provision an address first');
    const text = $('sign-payload').value;
    if (text === '') throw new Error('type a payload to sign');
    const payload = payloadBytes(text);
    const call = api.tx.ephemeralAddresses.signWithAddress(index, u8aToHex(payload)).method;
    const { events } = await envelope(call, progress);
    const request = findEvent(events, 'ephemeralAddresses', 'AddressSignatureRequested').data.request.toNumber();
    device.request = { id: request, index, address: address.address };
    saveDevice();
    requestState = null;
    return `signature request ${request} accepted; the committee signs it in a few blocks`;
  });
}

// ---- rendering -------------------------------------------------------------------------------

let view = null; // the Meta-Account's view, once it exists
let lastAddresses = [];
let pendingBalance = null;

function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    if (c instanceof Node) td.append(c);
    else td.textContent = c;
    tr.append(td);
  }
  return tr;
}

function code(text, title) {
  const el = document.createElement('code');
  el.textContent = text;
  if (title) el.title = title;
  return el;
}

function render() {
  const onChain = Boolean(view);
  $('onboarding').hidden = onChain;
  for (const id of ['account', 'addresses-section', 'sign-section']) $(id).hidden = !onChain;
  $('devices-section').hidden = !onChain || view.myRole !== 'Owner';

  for (const b of document.querySelectorAll('button[data-action]')) b.disabled = busy;
  if (!onChain) {
    const creating = device?.mode === 'create';
    const joining = device?.mode === 'join';
    $('create-passkey').disabled = busy || creating || joining;
    $('faucet').disabled = busy || !creating;
    $('create-account').disabled = busy || !creating;
    $('join-create').disabled = busy || creating || joining;
    $('pending').hidden = !creating;
    if (creating) {
      $('pending-id').textContent = device.metaAccount;
      $('pending-sovereign').textContent = device.sovereignAccount;
      $('pending-balance').textContent = pendingBalance === null ? '…' : formatWaas(pendingBalance);
      if ($('passkey-status').dataset.state === 'idle') setStep('passkey-status', 'done', `passkey ${short(device.credentialId)} (kept from an earlier visit)`);
    }
    $('join-result').hidden = !joining;
    if (joining) {
      $('join-code').value = device.code;
      $('join-meta').value = device.metaAccount;
      $('join-role').value = device.role;
      if ($('join-status').dataset.state === 'idle') setStep('join-status', 'done', `passkey ${short(device.credentialId)} (kept from an earlier visit)`);
    }
    return;
  }

  $('account-id').textContent = view.id;
  $('account-sovereign').textContent = view.sovereignAccount;
  $('account-balance').textContent = formatWaas(view.free);
  $('account-nonce').textContent = String(view.nonce);
  $('device-credential').textContent = device.credentialId;
  $('authenticators').tBodies[0].replaceChildren(...view.authenticators.map((a) => {
    const tr = row([a.kind, code(short(a.id), a.id), a.role, String(a.addedAt)]);
    tr.dataset.id = a.id;
    tr.dataset.role = a.role;
    if (a.id === device.credentialId) {
      tr.classList.add('mine');
      tr.cells[0].textContent = `${a.kind} (this device)`;
    }
    return tr;
  }));

  $('addresses').tBodies[0].replaceChildren(...lastAddresses.map((a) => {
    const tr = row([String(a.index), a.chain, code(a.address), a.inFlight ? `${a.status}, ${a.inFlight} signing` : a.status]);
    tr.dataset.index = String(a.index);
    tr.dataset.address = a.address;
    return tr;
  }));
  $('addresses').hidden = lastAddresses.length === 0;
  $('no-addresses').hidden = lastAddresses.length > 0;
  const select = $('sign-address');
  const chosen = select.value;
  select.replaceChildren(...lastAddresses.filter((a) => a.status === 'Active').map((a) => {
    const o = document.createElement('option');
    o.value = String(a.index);
    o.textContent = `#${a.index} ${a.address}`;
    return o;
  }));
  if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
  const viewer = view.myRole === 'Viewer';
  $('provision').disabled = busy || viewer;
  $('sign').disabled = busy || viewer || select.options.length === 0;
}

let requestState = null; // the tracked signature request's last state (signatureRequest)

function renderRequest() {
  const r = requestState;
  const panel = $('signature');
  panel.hidden = !r;
  if (!r) return;
  panel.dataset.state = r.state;
  $('sig-request').textContent = `#${r.id} (address #${device.request.index})`;
  const detail = {
    Queued: () => `queued behind ${r.position} request(s)`,
    Assigned: () => `attempt ${r.attempt}: ${r.signers.length} signers, until block #${r.deadline}`,
    Signed: () => `signed in block #${r.at} by ${short(r.submittedBy)}`,
    Failed: () => `failed in block #${r.at}: ${r.reason}`,
    Cancelled: () => `cancelled in block #${r.at}`,
  }[r.state]();
  $('sig-state').textContent = `${r.state}: ${detail}`;
  const signed = r.state === 'Signed';
  $('sig-value').textContent = signed ? r.signature : '—';
  $('sig-recovery').textContent = signed ? String(r.recoveryId) : '—';
  if (!signed) {
    $('sig-recovered').textContent = '—';
    $('sig-match').dataset.match = '';
    $('sig-match').textContent = '';
    return;
  }
  // Checked here, not taken on trust: the signer of keccak-256(payload) must be the address.
  let recovered;
  try {
    recovered = recoverEvmSigner(r.payload, r.signature, r.recoveryId);
  } catch (e) {
    recovered = `cannot recover: ${e.message}`;
  }
  const matches = recovered === device.request.address;
  $('sig-recovered').textContent = recovered;
  $('sig-match').dataset.match = matches ? 'yes' : 'no';
  $('sig-match').textContent = matches ? '✓ the address: the committee signed with its key' : `✗ not the address ${device.request.address}`;
}

// ---- chain state, refreshed every block ---------------------------------------------------

let refreshing = null;
let again = false;

async function refreshOnce() {
  if (device && !device.onChain) {
    if (device.mode === 'create') {
      pendingBalance = (await api.query.system.account(device.sovereignAccount)).data.free.toBigInt();
    }
    // Created here, or approved by another device: the chain says which Meta-Account it acts for.
    const id = await metaAccountOfPasskey(api, device.credentialId);
    if (id) {
      device = { credentialId: device.credentialId, metaAccount: id, onChain: true };
      saveDevice();
    }
  }
  view = device?.onChain ? await metaAccountView(api, device.metaAccount) : null;
  if (!device?.onChain) return;
  const me = view?.authenticators.find((a) => a.id === device.credentialId);
  if (!me) {
    // Removed from its Meta-Account, or the Meta-Account was closed: start over on this device.
    notice(`this device's passkey ${short(device.credentialId)} no longer acts for Meta-Account ${short(device.metaAccount)}`);
    view = null;
    device = null;
    saveDevice();
    return;
  }
  view.myRole = me.role;
  lastAddresses = await addresses(api, view.id);
  if (device.request && (!requestState || !['Signed', 'Failed', 'Cancelled'].includes(requestState.state))) {
    requestState = await signatureRequest(api, device.request.id);
  }
}

// Refreshes from the chain and re-renders; concurrent calls coalesce into one more round.
async function refresh() {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      again = false;
      try {
        await refreshOnce();
      } catch (e) {
        notice(`error reading the chain: ${e.message}`);
      }
    } while (again);
  })();
  await refreshing;
  refreshing = null;
  render();
  renderRequest();
  return undefined;
}

// ---- start -----------------------------------------------------------------------------------

async function main() {
  const ws = new URLSearchParams(window.location.search).get('ws') || DEFAULT_WS;
  $('ws-url').textContent = ws;
  let url;
  try {
    url = new URL(ws);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'ws:' && url.protocol !== 'wss:')) {
    show('error', `not a ws:// or wss:// URL: ${ws}`);
    return;
  }
  show('connecting', `connecting to ${ws}…`);
  // WsProvider retries on its own; until the first connection, say the node is unreachable.
  const provider = new WsProvider(ws);
  let connected = false;
  provider.on('error', () => {
    if (!connected) show('unreachable', `cannot reach ${ws} (retrying)`);
  });
  provider.on('disconnected', () => {
    if (connected) show('unreachable', `disconnected from ${ws} (retrying)`);
  });
  api = await ApiPromise.create({ provider, noInitWarn: true });
  await cryptoWaitReady();
  connected = true;
  const chain = (await api.rpc.system.chain()).toString();
  storageKey = `waas-chain:${api.genesisHash.toHex()}:device`;
  device = loadDevice();

  $('create-passkey').addEventListener('click', createPasskey);
  $('faucet').addEventListener('click', faucet);
  $('create-account').addEventListener('click', createAccount);
  $('join-create').addEventListener('click', joinCreate);
  $('approve').addEventListener('click', approve);
  $('provision').addEventListener('click', provision);
  $('sign').addEventListener('click', sign);
  if (!$('sign-payload').value) $('sign-payload').value = `Hello from a passkey, ${new Date().toISOString().slice(0, 10)}`;

  await refresh();
  await api.rpc.chain.subscribeNewHeads((header) => {
    show('connected', `connected to ${chain} at block #${header.number.toNumber()}`);
    refresh();
  });
}

main().catch((e) => show('error', `error: ${e.message}`));
