//! Passwordless Meta-Accounts through the Rust client (`waas_client::passwordless`), against
//! the real `waas-node --dev`: an EVM wallet and a passkey each create a Meta-Account with an
//! unsigned transaction (no Substrate key), provision an address and ask for a signature in
//! envelopes; the client's digests equal the runtime API's; a second device is added, and as a
//! stolen device cannot remove the first within the delay; malformed envelopes are refused in
//! the pool with typed errors and change nothing. The committee key is the test key (the test
//! signs for the committee), so no DKG is needed here; the JS devnet test signs with the real
//! committee.

use subxt_signer::sr25519::dev;
use waas_client::passwordless::{
	genesis_hash, passkey_assertion, passkey_registration, submit_unsigned_and_wait,
	AuthenticatorKey, EnvelopeParts, EvmKey, FeePayer, Form, PossessionTarget, Role,
};
use waas_e2e::{
	flows::{
		activate_test_key, error_index, independent_evm_address, keypair_of, submit, TEST_KEY_SEED,
		TX_TIMEOUT,
	},
	waas::{
		self,
		meta_accounts::events as meta_events,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_ephemeral_addresses::pallet::Call as AddressesCall,
			pallet_meta_accounts::{pallet::Call as MetaCall, types::Envelope},
			waas_runtime::RuntimeCall,
		},
		threshold_signers::events as signer_events,
	},
	Client, TestNode,
};
use waas_primitives::testing::{Attestation, SoftwarePasskey, TestKey};

const PAYLOAD: &[u8] = b"{\"to\":\"0x00000000000000000000000000000000000000cc\",\"value\":3}";
/// A dev origin of the runtime's relying party (`http://localhost`, any port).
const ORIGIN: &str = "http://localhost:8080";
const RP_ID: &str = "localhost";
/// 10 WAAS.
const FUNDING: u128 = 10_000_000_000_000;

type Account = subxt::utils::AccountId32;

/// `funder` (a dev account standing in for a faucet) funds `who`.
async fn fund(client: &Client, funder: &subxt_signer::sr25519::Keypair, who: &Account) {
	let tx = waas::transactions().balances().transfer_keep_alive((*who).into(), FUNDING);
	submit(client, &tx, funder).await.expect("transfer");
}

/// The Meta-Account `key` would create next, and its sovereign account.
async fn next_meta_account(
	client: &Client,
	key: &AuthenticatorKey<Account>,
) -> ([u8; 32], Account) {
	let at = client.at_current_block().await.unwrap();
	let next = at
		.runtime_apis()
		.call(waas::runtime_apis().waas_api().next_meta_account(key.clone()))
		.await
		.unwrap();
	(next.id, next.sovereign_account)
}

/// The Meta-Account's nonce and epoch now.
async fn nonce_and_epoch(client: &Client, id: [u8; 32]) -> (u64, u32) {
	let at = client.at_current_block().await.unwrap();
	let view = at
		.runtime_apis()
		.call(waas::runtime_apis().waas_api().meta_account(id))
		.await
		.unwrap()
		.expect("exists");
	(view.nonce, view.epoch)
}

async fn best_block(client: &Client) -> u32 {
	client.at_current_block().await.unwrap().block_number() as u32
}

/// The parts of an envelope of `call` for `id` by `key`, valid for 100 blocks.
async fn parts(
	client: &Client,
	id: [u8; 32],
	key: AuthenticatorKey<Account>,
	call: RuntimeCall,
) -> (EnvelopeParts, RuntimeCall) {
	let call_bytes = waas_client::passwordless::encode_call(client, &call).await.expect("encodes");
	let (nonce, _) = nonce_and_epoch(client, id).await;
	let parts = EnvelopeParts {
		meta_account: id,
		authenticator: key,
		nonce,
		valid_until: best_block(client).await + 100,
		fee_payer: FeePayer::MetaAccount,
		call: call_bytes,
	};
	// The client's digest is the runtime's.
	let at = client.at_current_block().await.unwrap();
	let payload = at
		.runtime_apis()
		.call(waas::runtime_apis().waas_api().envelope_payload(
			parts.meta_account,
			parts.authenticator.clone(),
			parts.nonce,
			parts.valid_until,
			parts.fee_payer.clone(),
			parts.call.clone(),
		))
		.await
		.unwrap()
		.expect("payload");
	let genesis = genesis_hash(client);
	assert_eq!(payload.digest, parts.digest(&genesis), "client and runtime digests agree");
	assert_eq!(payload.personal_message, parts.personal_message(&genesis).into_bytes());
	assert_eq!(payload.typed_data_hash, parts.typed_data_hash(&genesis));
	(parts, call)
}

fn envelope(parts: &EnvelopeParts, call: RuntimeCall) -> Envelope<Account, u32, RuntimeCall> {
	Envelope {
		meta_account: subxt::utils::H256(parts.meta_account),
		authenticator: parts.authenticator.clone(),
		nonce: parts.nonce,
		valid_until: parts.valid_until,
		fee_payer: parts.fee_payer.clone(),
		call: Box::new(call),
		__ignore: Default::default(),
	}
}

/// `device`'s registration consenting to `(target, role)`: attestation `none`, then the
/// possession assertion over the same challenge.
fn passkey_consent(
	device: &mut SoftwarePasskey,
	genesis: &[u8; 32],
	target: PossessionTarget,
	role: Role,
) -> waas::runtime_types::pallet_meta_accounts::types::NewAuthenticator {
	let digest = waas_client::passwordless::possession_digest(genesis, &target, &role);
	let (attestation, client_data) = device.register(&digest, ORIGIN, RP_ID, Attestation::None);
	let possession = device.assert(&digest, ORIGIN, RP_ID);
	passkey_registration(
		attestation,
		client_data,
		Some(passkey_assertion(
			possession.authenticator_data,
			possession.client_data_json,
			possession.signature,
		)),
	)
}

/// Submits an envelope; returns its events and checks the call inside succeeded.
async fn dispatch(
	client: &Client,
	envelope: Envelope<Account, u32, RuntimeCall>,
	proof: waas::runtime_types::pallet_meta_accounts::types::EnvelopeProof,
) -> waas_client::TxEvents {
	let tx = waas::transactions().meta_accounts().dispatch_envelope(envelope, proof);
	let events =
		submit_unsigned_and_wait(client, &tx, TX_TIMEOUT).await.expect("envelope included");
	let dispatched = events
		.find_first::<meta_events::EnvelopeDispatched>()
		.expect("EnvelopeDispatched")
		.expect("decodes");
	assert!(dispatched.result.is_ok(), "the envelope's call failed: {:?}", dispatched.result);
	events
}

fn provision_call() -> RuntimeCall {
	RuntimeCall::EphemeralAddresses(AddressesCall::provision_address {
		key: 0,
		chain: BoundedVec(b"eip155:1".to_vec()),
		one_time: false,
	})
}

fn sign_call(index: u32) -> RuntimeCall {
	RuntimeCall::EphemeralAddresses(AddressesCall::sign_with_address {
		index,
		payload: BoundedVec(PAYLOAD.to_vec()),
	})
}

/// The test key signs the assigned request for `path` as its first assigned signer; returns
/// the signature. `one_at_a_time` keeps the two flows' submissions from racing for a signer's
/// nonce.
async fn sign_as_committee(
	client: &Client,
	key: &TestKey,
	events: &waas_client::TxEvents,
	path: &[u32],
	one_at_a_time: &tokio::sync::Mutex<()>,
) -> ([u8; 64], u8) {
	let _turn = one_at_a_time.lock().await;
	let assigned = events
		.find_first::<signer_events::AttemptAssigned>()
		.expect("AttemptAssigned")
		.expect("decodes");
	let (signature, recovery_id) = key.sign(path, waas_primitives::HashScheme::Keccak256, PAYLOAD);
	let tx = waas::transactions().threshold_signers().submit_signature(
		assigned.request,
		signature,
		recovery_id,
	);
	let signed =
		submit(client, &tx, &keypair_of(&assigned.signers.0[0])).await.expect("signature accepted");
	assert!(signed.find_first::<signer_events::RequestSigned>().is_some());
	(signature, recovery_id)
}

/// An EVM wallet: EIP-712 consent, an EIP-712 and an EIP-191 envelope, a replay refused.
async fn evm_wallet_flow(client: &Client, test_key: &TestKey, committee: &tokio::sync::Mutex<()>) {
	let client = client.clone();
	let genesis = genesis_hash(&client);
	let wallet = EvmKey::from_bytes(&[0x21; 32]).unwrap();
	let (id, sovereign) = next_meta_account(&client, &wallet.key()).await;
	fund(&client, &dev::alice(), &sovereign).await;
	let new = wallet.new_authenticator(
		&genesis,
		PossessionTarget::New { creation_nonce: 0 },
		Role::Owner,
		Form::TypedData,
	);
	let tx =
		waas::transactions().meta_accounts().create_with_authenticator(new, FeePayer::MetaAccount);
	let events = submit_unsigned_and_wait(&client, &tx, TX_TIMEOUT).await.expect("created");
	let created = events.find_first::<meta_events::MetaAccountCreated>().unwrap().unwrap();
	assert_eq!(created.meta_account.0, id);

	let (p, call) = parts(&client, id, wallet.key(), provision_call()).await;
	let proof = wallet.envelope_proof(&genesis, &p, Form::TypedData);
	let events = dispatch(&client, envelope(&p, call), proof).await;
	let address = events
		.find_first::<waas::ephemeral_addresses::events::AddressProvisioned>()
		.unwrap()
		.unwrap();
	let address = String::from_utf8(address.address.0).unwrap();
	let at = client.at_current_block().await.unwrap();
	let record =
		at.runtime_apis().call(waas::runtime_apis().waas_api().addresses(id, 0, 1)).await.unwrap();
	assert_eq!(record[0].deposit_payer, sovereign, "the sovereign account pays the deposit");

	let (p, call) = parts(&client, id, wallet.key(), sign_call(0)).await;
	let proof = wallet.envelope_proof(&genesis, &p, Form::PersonalSign);
	let events = dispatch(&client, envelope(&p, call), proof).await;
	let path = waas_primitives::meta_account_path(&id, 0).unwrap();
	let (signature, recovery_id) =
		sign_as_committee(&client, test_key, &events, &path, committee).await;
	assert_eq!(independent_evm_address(&signature, recovery_id, PAYLOAD), address.to_lowercase());

	// The same signed envelope again: refused in the pool (stale nonce), nothing changes.
	let (nonce_before, _) = nonce_and_epoch(&client, id).await;
	let tx = waas::transactions().meta_accounts().dispatch_envelope(
		envelope(&p, sign_call(0)),
		wallet.envelope_proof(&genesis, &p, Form::PersonalSign),
	);
	let err = submit_unsigned_and_wait(&client, &tx, TX_TIMEOUT).await.expect_err("a replay");
	assert!(err.contains("outdated") || err.contains("Stale"), "unexpected error: {err}");
	assert_eq!(nonce_and_epoch(&client, id).await.0, nonce_before);
}

/// A passkey: creation with attestation `none`, an envelope, a tampered assertion refused, a
/// second device that signs by itself and cannot remove the first within the delay.
async fn passkey_flow(client: &Client, test_key: &TestKey, committee: &tokio::sync::Mutex<()>) {
	let client = client.clone();
	let genesis = genesis_hash(&client);
	// A software authenticator; the browser test uses Chromium's.
	let mut phone = SoftwarePasskey::new(0x31, &[0x31; 32]);
	let phone_key = AuthenticatorKey::Passkey(BoundedVec(phone.credential_id().to_vec()));
	let (pid, psovereign) = next_meta_account(&client, &phone_key).await;
	fund(&client, &dev::ferdie(), &psovereign).await;
	let new = passkey_consent(
		&mut phone,
		&genesis,
		PossessionTarget::New { creation_nonce: 0 },
		Role::Owner,
	);
	let tx =
		waas::transactions().meta_accounts().create_with_authenticator(new, FeePayer::MetaAccount);
	submit_unsigned_and_wait(&client, &tx, TX_TIMEOUT).await.expect("passkey created");

	let passkey_proof =
		|device: &mut SoftwarePasskey, p: &EnvelopeParts| {
			let a = device.assert(&p.digest(&genesis), ORIGIN, RP_ID);
			waas::runtime_types::pallet_meta_accounts::types::EnvelopeProof::Passkey(
				passkey_assertion(a.authenticator_data, a.client_data_json, a.signature),
			)
		};
	let (p, call) = parts(&client, pid, phone_key.clone(), provision_call()).await;
	let proof = passkey_proof(&mut phone, &p);
	dispatch(&client, envelope(&p, call), proof).await;

	// A tampered assertion: refused in the pool with the pallet's typed error, nothing changes.
	let (p, call) = parts(&client, pid, phone_key.clone(), sign_call(0)).await;
	let mut a = phone.assert(&p.digest(&genesis), ORIGIN, RP_ID);
	let last = a.signature.len() - 1;
	a.signature[last] ^= 0x01;
	let tx = waas::transactions().meta_accounts().dispatch_envelope(
		envelope(&p, call.clone()),
		waas::runtime_types::pallet_meta_accounts::types::EnvelopeProof::Passkey(
			passkey_assertion(a.authenticator_data, a.client_data_json, a.signature),
		),
	);
	let err = submit_unsigned_and_wait(&client, &tx, TX_TIMEOUT).await.expect_err("tampered");
	let code = error_index(&client, "MetaAccounts", "PasskeyBadSignature").await;
	let malformed = error_index(&client, "MetaAccounts", "PasskeyMalformedSignature").await;
	assert!(
		err.contains(&format!("custom error: {code}"))
			|| err.contains(&format!("custom error: {malformed}")),
		"unexpected error: {err}"
	);
	assert_eq!(nonce_and_epoch(&client, pid).await.0, p.nonce);

	// --- A second device, added from the first; as a thief it cannot remove the first.
	let mut laptop = SoftwarePasskey::new(0x32, &[0x32; 32]);
	let laptop_key = AuthenticatorKey::Passkey(BoundedVec(laptop.credential_id().to_vec()));
	let (_, epoch) = nonce_and_epoch(&client, pid).await;
	let target = PossessionTarget::Existing { meta_account: pid, epoch };
	let new = passkey_consent(&mut laptop, &genesis, target, Role::Owner);
	let add = RuntimeCall::MetaAccounts(MetaCall::add_authenticator { new, role: Role::Owner });
	let (p, call) = parts(&client, pid, phone_key.clone(), add).await;
	let proof = passkey_proof(&mut phone, &p);
	dispatch(&client, envelope(&p, call), proof).await;

	// The laptop signs by itself.
	let (p, call) = parts(&client, pid, laptop_key.clone(), sign_call(0)).await;
	let proof = passkey_proof(&mut laptop, &p);
	let events = dispatch(&client, envelope(&p, call), proof).await;
	let ppath = waas_primitives::meta_account_path(&pid, 0).unwrap();
	sign_as_committee(&client, test_key, &events, &ppath, committee).await;

	// Stolen, the laptop proposes to remove the phone; the phone vetoes within the delay.
	let remove = RuntimeCall::MetaAccounts(MetaCall::remove_authenticator {
		authenticator: phone_key.clone(),
	});
	let (p, call) = parts(&client, pid, laptop_key.clone(), remove).await;
	let proof = passkey_proof(&mut laptop, &p);
	let events = dispatch(&client, envelope(&p, call), proof).await;
	let proposed = events.find_first::<meta_events::ChangeProposed>().unwrap().unwrap();
	let enact = RuntimeCall::MetaAccounts(MetaCall::enact_change {
		meta_account: subxt::utils::H256(pid),
		change_id: proposed.change_id,
	});
	let (p, call) = parts(&client, pid, laptop_key.clone(), enact).await;
	let proof = passkey_proof(&mut laptop, &p);
	let tx = waas::transactions().meta_accounts().dispatch_envelope(envelope(&p, call), proof);
	let events = submit_unsigned_and_wait(&client, &tx, TX_TIMEOUT).await.unwrap();
	let result = events.find_first::<meta_events::EnvelopeDispatched>().unwrap().unwrap().result;
	assert!(result.is_err(), "enacting before the delay must fail, got {result:?}");
	let veto = RuntimeCall::MetaAccounts(MetaCall::veto_change { change_id: proposed.change_id });
	let (p, call) = parts(&client, pid, phone_key.clone(), veto).await;
	let proof = passkey_proof(&mut phone, &p);
	let events = dispatch(&client, envelope(&p, call), proof).await;
	assert!(events.find_first::<meta_events::ChangeVetoed>().is_some());
	let at = client.at_current_block().await.unwrap();
	let view = at
		.runtime_apis()
		.call(waas::runtime_apis().waas_api().meta_account(pid))
		.await
		.unwrap()
		.unwrap();
	assert_eq!(view.authenticators.len(), 2, "both devices remain");
	assert!(view.pending_changes.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_evm_wallet_and_a_passkey_act_without_a_substrate_key() {
	let node = TestNode::start_dev(TX_TIMEOUT);
	let client = node.client().await;
	let test_key = TestKey::from_seed(TEST_KEY_SEED);
	activate_test_key(&client, &test_key).await;
	// The two flows are independent (each its own funder and Meta-Account): run them together.
	let committee = tokio::sync::Mutex::new(());
	tokio::join!(
		evm_wallet_flow(&client, &test_key, &committee),
		passkey_flow(&client, &test_key, &committee)
	);
}
