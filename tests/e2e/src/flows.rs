//! Chain interactions shared by the end-to-end tests, the devnet and the benchmark: sudo
//! calls, a Meta-Account with an EVM address, signature requests, and an independent check
//! of a signature (k256 + sha3, not the project's code).

use crate::{
	waas::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_threshold_signers::pallet::Call as SignersCall, waas_runtime::RuntimeCall,
		},
		threshold_signers::events as signer_events,
	},
	Client,
};
use std::time::Duration;
use subxt_signer::sr25519::{dev, Keypair};

/// Events of one finalized transaction.
pub type Events = waas_client::TxEvents;

/// How long one transaction may take to be finalized.
pub const TX_TIMEOUT: Duration = Duration::from_secs(60);

/// Signs, submits and waits (bounded) for `tx` to be finalized; Err carries the dispatch error.
pub async fn submit<Call: subxt::transactions::Payload>(
	client: &Client,
	tx: &Call,
	signer: &Keypair,
) -> Result<Events, String> {
	waas_client::submit_and_wait(client, tx, signer, TX_TIMEOUT).await
}

/// Dispatches a threshold-signers call as root (Alice is sudo on the dev chain).
pub async fn sudo(client: &Client, call: SignersCall) -> Events {
	let tx = waas::transactions().sudo().sudo(RuntimeCall::ThresholdSigners(call));
	submit(client, &tx, &dev::alice()).await.expect("sudo call")
}

/// `who` creates a Meta-Account and provisions its first `eip155:1` address under committee
/// key `key`: (Meta-Account id, EIP-55 address text).
pub async fn meta_account_with_address(
	client: &Client,
	who: &Keypair,
	key: u32,
) -> ([u8; 32], String) {
	let events =
		submit(client, &waas::transactions().meta_accounts().create(), who).await.expect("create");
	let created = events
		.find_first::<waas::meta_accounts::events::MetaAccountCreated>()
		.expect("MetaAccountCreated")
		.expect("decodes");
	let tx = waas::transactions().ephemeral_addresses().provision_address(
		key,
		BoundedVec(b"eip155:1".to_vec()),
		false,
	);
	let events = submit(client, &tx, who).await.expect("provision_address");
	let provisioned = events
		.find_first::<waas::ephemeral_addresses::events::AddressProvisioned>()
		.expect("AddressProvisioned")
		.expect("decodes");
	(created.meta_account.0, String::from_utf8(provisioned.address.0).expect("ASCII address"))
}

/// `who` asks for a signature of `payload` with its address 0 (keccak-256: an EVM address).
/// Returns the assignment of attempt 0, which comes in the same block while the key's signing
/// slots are not all busy (the tests never fill them).
pub async fn request_signature(
	client: &Client,
	who: &Keypair,
	payload: &[u8],
) -> signer_events::AttemptAssigned {
	let tx = waas::transactions()
		.ephemeral_addresses()
		.sign_with_address(0, BoundedVec(payload.to_vec()));
	let events = submit(client, &tx, who).await.expect("sign_with_address");
	events
		.find_first::<signer_events::AttemptAssigned>()
		.expect("AttemptAssigned in the request's block")
		.expect("decodes")
}

/// EVM address of the key that made `signature` over keccak256(`message`), computed with k256
/// and sha3 directly — not with the project's code.
pub fn independent_evm_address(signature: &[u8; 64], recovery_id: u8, message: &[u8]) -> String {
	use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
	use sha3::{Digest, Keccak256};
	let prehash = Keccak256::digest(message);
	let sig = Signature::from_slice(signature).expect("r||s");
	let rid = RecoveryId::from_byte(recovery_id).expect("recovery id");
	let key = VerifyingKey::recover_from_prehash(&prehash, &sig, rid).expect("recoverable");
	let point = key.to_encoded_point(false);
	let hash = Keccak256::digest(&point.as_bytes()[1..]);
	format!("0x{}", hex::encode(&hash[12..]))
}

/// Signs every call in `calls` as `signer` with consecutive nonces (from the pool-aware next
/// index) and hands them all to the node's pool without waiting for inclusion: a burst.
pub async fn submit_burst<Call: subxt::transactions::Payload>(
	conn: &waas_client::Connection,
	calls: &[Call],
	signer: &Keypair,
) {
	let who: subxt::utils::AccountId32 = signer.public_key().into();
	let first = conn.rpc.system_account_next_index(&who).await.expect("next nonce");
	let at = conn.client.at_current_block().await.expect("current block");
	for (i, call) in calls.iter().enumerate() {
		let params = subxt::config::DefaultExtrinsicParamsBuilder::<crate::WaasConfig>::new()
			.nonce(first + i as u64)
			.build();
		let mut signable =
			at.transactions().create_signable(call, &who, params).await.expect("signable");
		let tx = signable.sign(signer).expect("signed");
		tx.submit().await.expect("accepted by the pool");
	}
}

/// A root signature request on the privileged path `[0, 1]` of `key` over `payload`
/// (keccak-256), wrapped in `sudo`.
pub fn sudo_request_signature(key: u32, payload: &[u8]) -> impl subxt::transactions::Payload {
	use waas::runtime_types::waas_primitives::hashing::HashScheme;
	waas::transactions().sudo().sudo(RuntimeCall::ThresholdSigners(
		SignersCall::request_signature {
			key,
			path: BoundedVec(vec![0, 1]),
			payload: BoundedVec(payload.to_vec()),
			scheme: HashScheme::Keccak256,
		},
	))
}

/// Seed of the TEST-ONLY committee key the node-only tests report through keygen (no signer
/// holds it; the test signs with it itself).
pub const TEST_KEY_SEED: [u8; 32] = [7u8; 32];

/// The dev accounts the node-only tests register as signers.
pub fn test_signers() -> [Keypair; 3] {
	[dev::bob(), dev::charlie(), dev::dave()]
}

/// Registers Bob, Charlie and Dave as a 2-of-3 committee and makes key 0 Active with the
/// test key's public key and chain code.
pub async fn activate_test_key(client: &Client, key: &waas_primitives::testing::TestKey) {
	use waas::threshold_signers::events::{KeyActivated, KeygenRequested};
	for (i, s) in test_signers().iter().enumerate() {
		sudo(
			client,
			SignersCall::register_signer {
				signer: s.public_key().into(),
				p2p_key: [i as u8 + 1; 32],
				endpoint: BoundedVec(format!("127.0.0.1:{}", 30400 + i).into_bytes()),
			},
		)
		.await;
	}
	let members = test_signers().iter().map(|s| s.public_key().into()).collect();
	sudo(client, SignersCall::create_committee { members: BoundedVec(members), threshold: 2 })
		.await;
	let events = sudo(client, SignersCall::request_keygen { committee: 0 }).await;
	assert!(events.find_first::<KeygenRequested>().is_some());

	// The three members report at once (each from its own account).
	let tx = waas::transactions().threshold_signers().report_keygen(
		0,
		key.public_key(),
		key.chain_code(),
	);
	let signers = test_signers();
	let reports = futures::future::join_all(signers.iter().map(|s| submit(client, &tx, s))).await;
	let activated = reports
		.into_iter()
		.map(|events| events.expect("report_keygen"))
		.find_map(|events| events.find_first::<KeyActivated>())
		.expect("KeyActivated with the last report")
		.expect("decodes");
	assert_eq!(activated.public_key, key.public_key());
	assert_eq!(activated.chain_code, key.chain_code());
}

/// The index of `pallet`'s error `name`, from the node's metadata: the code a pool refusal puts
/// in `InvalidTransaction::Custom`.
pub async fn error_index(client: &Client, pallet: &str, name: &str) -> u8 {
	let metadata = client.at_current_block().await.expect("current block").metadata();
	let pallet = metadata.pallet_by_name(pallet).expect("pallet in metadata");
	let errors = pallet.error_variants().expect("the pallet has errors");
	errors.iter().find(|v| v.name == name).expect("error variant").index
}

/// The keypair of a test signer.
pub fn keypair_of(account: &subxt::utils::AccountId32) -> Keypair {
	test_signers()
		.into_iter()
		.find(|k| subxt::utils::AccountId32::from(k.public_key()) == *account)
		.expect("an assigned signer is a committee member")
}
