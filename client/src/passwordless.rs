//! Passwordless Meta-Accounts from Rust: what a passkey or an EVM wallet signs, computed from
//! the documented bytes (README, "Envelope format") rather than asked from the node, and the
//! unsigned transactions that carry the signatures.
//!
//! ```no_run
//! # async fn demo(client: waas_client::Client) -> Result<(), String> {
//! use waas_client::passwordless::*;
//! let wallet = EvmKey::from_bytes(&[0x11; 32]).map_err(|e| e.to_string())?;
//! let genesis = genesis_hash(&client);
//! // Consent to create a Meta-Account as its first Owner (creation nonce 0), EIP-712.
//! let new = wallet.new_authenticator(&genesis, PossessionTarget::New { creation_nonce: 0 }, Role::Owner, Form::TypedData);
//! let tx = waas_client::waas::transactions().meta_accounts().create_with_authenticator(new, FeePayer::MetaAccount);
//! submit_unsigned_and_wait(&client, &tx, std::time::Duration::from_secs(60)).await?;
//! # Ok(()) }
//! ```

use crate::{
	waas::runtime_types::{
		bounded_collections::bounded_vec::BoundedVec,
		pallet_meta_accounts::types::{
			EnvelopeProof, EvmSignature, NewAuthenticator, PasskeyAssertion, PasskeyRegistration,
		},
	},
	AccountId, Client, TxEvents,
};
use std::time::Duration;
use subxt::ext::codec::{Compact, Encode};
use waas_primitives::evm_auth;

pub use crate::waas::runtime_types::waas_traits::authenticator::{
	AuthenticatorKey, FeePayer, Role,
};

/// Domain tag of envelopes (16 bytes).
pub const ENVELOPE_DOMAIN: &[u8; 16] = b"waas/envelope/v1";
/// Domain tag of possession statements (18 bytes).
pub const POSSESSION_DOMAIN: &[u8; 18] = b"waas/possession/v1";

/// The chain's genesis hash, which every statement and envelope names.
pub fn genesis_hash(client: &Client) -> [u8; 32] {
	client.genesis_hash().0
}

/// What a possession statement consents to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PossessionTarget {
	/// Create a Meta-Account; `creation_nonce` is how many the new authenticator created.
	New {
		/// The creator's creation nonce.
		creation_nonce: u32,
	},
	/// Join `meta_account` in its current `epoch`.
	Existing {
		/// The Meta-Account.
		meta_account: [u8; 32],
		/// Its epoch (`waasApi.metaAccount(id).epoch`).
		epoch: u32,
	},
}

impl PossessionTarget {
	/// Its SCALE encoding: `0x00 ‖ creation nonce (u32 LE)` or `0x01 ‖ id ‖ epoch (u32 LE)`.
	pub fn scale(&self) -> Vec<u8> {
		match self {
			PossessionTarget::New { creation_nonce } => {
				[&[0u8][..], &creation_nonce.to_le_bytes()].concat()
			},
			PossessionTarget::Existing { meta_account, epoch } => {
				[&[1u8][..], meta_account, &epoch.to_le_bytes()].concat()
			},
		}
	}

	fn account(&self) -> evm_auth::PossessionAccount {
		match self {
			PossessionTarget::New { creation_nonce } => {
				evm_auth::PossessionAccount::New { creation_nonce: *creation_nonce }
			},
			PossessionTarget::Existing { meta_account, .. } => {
				evm_auth::PossessionAccount::Existing(*meta_account)
			},
		}
	}
}

/// The name of a role in the EVM messages.
pub fn role_name(role: &Role) -> &'static str {
	match role {
		Role::Owner => "Owner",
		Role::Signer => "Signer",
		Role::Viewer => "Viewer",
	}
}

/// SCALE of a role: one byte, 0 Owner, 1 Signer, 2 Viewer.
pub fn scale_role(role: &Role) -> u8 {
	match role {
		Role::Owner => 0,
		Role::Signer => 1,
		Role::Viewer => 2,
	}
}

/// SCALE of an authenticator key: `0x00 ‖ account`, `0x01 ‖ compact length ‖ credential id` or
/// `0x02 ‖ address`.
pub fn scale_key(key: &AuthenticatorKey<AccountId>) -> Vec<u8> {
	match key {
		AuthenticatorKey::Substrate(account) => [&[0u8][..], &account.0].concat(),
		AuthenticatorKey::Passkey(BoundedVec(id)) => {
			[&[1u8][..], &Compact(id.len() as u32).encode(), id].concat()
		},
		AuthenticatorKey::Evm(address) => [&[2u8][..], &address.0].concat(),
	}
}

/// SCALE of a fee payer: `0x00` (the Meta-Account) or `0x01 ‖ sponsor account`.
pub fn scale_fee_payer(payer: &FeePayer<AccountId>) -> Vec<u8> {
	match payer {
		FeePayer::MetaAccount => vec![0],
		FeePayer::Sponsor(account) => [&[1u8][..], &account.0].concat(),
	}
}

/// SCALE of a call of this runtime (pallet index, call index, arguments), encoded against the
/// node's metadata.
pub async fn encode_call(
	client: &Client,
	call: &crate::waas::runtime_types::waas_runtime::RuntimeCall,
) -> Result<Vec<u8>, String> {
	use subxt::ext::scale_encode::EncodeAsType;
	let at = client.at_current_block().await.map_err(|e| e.to_string())?;
	let metadata = at.metadata_ref();
	call.encode_as_type(metadata.outer_enums().call_enum_ty(), metadata.types())
		.map_err(|e| e.to_string())
}

/// `blake2_256("waas/possession/v1" ‖ genesis ‖ SCALE(target) ‖ SCALE(role))`.
pub fn possession_digest(genesis: &[u8; 32], target: &PossessionTarget, role: &Role) -> [u8; 32] {
	let bytes = [&POSSESSION_DOMAIN[..], genesis, &target.scale(), &[scale_role(role)]].concat();
	sp_crypto_hashing::blake2_256(&bytes)
}

/// The fields of an envelope, its call as SCALE bytes (`Transactions::call_data`).
#[derive(Clone, Debug)]
pub struct EnvelopeParts {
	/// The Meta-Account the call acts for.
	pub meta_account: [u8; 32],
	/// The authenticator that signs.
	pub authenticator: AuthenticatorKey<AccountId>,
	/// The Meta-Account's next nonce.
	pub nonce: u64,
	/// Last block in which it may be included.
	pub valid_until: u32,
	/// Who pays its fee.
	pub fee_payer: FeePayer<AccountId>,
	/// SCALE of the call: pallet index, call index, arguments ([`encode_call`]).
	pub call: Vec<u8>,
}

impl EnvelopeParts {
	/// `blake2_256("waas/envelope/v1" ‖ genesis ‖ meta-account ‖ SCALE(authenticator) ‖
	/// nonce (u64 LE) ‖ valid until (u32 LE) ‖ SCALE(fee payer) ‖ blake2_256(call))`.
	pub fn digest(&self, genesis: &[u8; 32]) -> [u8; 32] {
		let bytes = [
			&ENVELOPE_DOMAIN[..],
			genesis,
			&self.meta_account,
			&scale_key(&self.authenticator),
			&self.nonce.to_le_bytes(),
			&self.valid_until.to_le_bytes(),
			&scale_fee_payer(&self.fee_payer),
			&sp_crypto_hashing::blake2_256(&self.call),
		]
		.concat();
		sp_crypto_hashing::blake2_256(&bytes)
	}

	fn evm(&self, genesis: &[u8; 32]) -> evm_auth::Envelope {
		evm_auth::Envelope {
			genesis_hash: *genesis,
			meta_account: self.meta_account,
			nonce: self.nonce,
			valid_until: self.valid_until,
			digest: self.digest(genesis),
		}
	}

	/// The EIP-191 text an EVM wallet signs (`personal_sign`).
	pub fn personal_message(&self, genesis: &[u8; 32]) -> String {
		self.evm(genesis).text()
	}

	/// The EIP-712 hash an EVM wallet signs (`eth_signTypedData_v4`).
	pub fn typed_data_hash(&self, genesis: &[u8; 32]) -> [u8; 32] {
		self.evm(genesis).hash(evm_auth::MessageFormat::Eip712)
	}
}

/// Which EVM message an EVM wallet signs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Form {
	/// EIP-191 `personal_sign` of the text.
	PersonalSign,
	/// EIP-712 typed data.
	TypedData,
}

/// An EVM wallet's private key (secp256k1), signing the way wallets do (`r ‖ s ‖ v`, `v` 27
/// or 28).
pub struct EvmKey(k256::ecdsa::SigningKey);

impl EvmKey {
	/// The key with these 32 bytes.
	pub fn from_bytes(secret: &[u8; 32]) -> Result<Self, k256::ecdsa::Error> {
		k256::ecdsa::SigningKey::from_slice(secret).map(Self)
	}

	/// Its address.
	pub fn address(&self) -> [u8; 20] {
		let point = self.0.verifying_key().to_encoded_point(false);
		let mut public = [0u8; 64];
		public.copy_from_slice(&point.as_bytes()[1..]);
		evm_auth::evm_address_of(&public)
	}

	/// Its authenticator key.
	pub fn key(&self) -> AuthenticatorKey<AccountId> {
		AuthenticatorKey::Evm(subxt::utils::H160(self.address()))
	}

	fn sign_hash(&self, hash: &[u8; 32]) -> [u8; 65] {
		let (signature, recovery) =
			self.0.sign_prehash_recoverable(hash).expect("a 32-byte prehash signs");
		let mut out = [0u8; 65];
		out[..64].copy_from_slice(&signature.to_bytes());
		out[64] = 27 + recovery.to_byte();
		out
	}

	fn signature(&self, form: Form, text: &str, typed_hash: [u8; 32]) -> EvmSignature {
		match form {
			Form::PersonalSign => {
				EvmSignature::PersonalSign(self.sign_hash(&evm_auth::eip191_hash(text.as_bytes())))
			},
			Form::TypedData => EvmSignature::TypedData(self.sign_hash(&typed_hash)),
		}
	}

	/// Its consent to join `target` with `role`, ready for `create_with_authenticator` or
	/// `add_authenticator`.
	pub fn new_authenticator(
		&self,
		genesis: &[u8; 32],
		target: PossessionTarget,
		role: Role,
		form: Form,
	) -> NewAuthenticator {
		let statement = evm_auth::Possession {
			genesis_hash: *genesis,
			account: target.account(),
			role: role_name(&role),
			digest: possession_digest(genesis, &target, &role),
		};
		let signature = self.signature(
			form,
			&statement.text(),
			statement.hash(evm_auth::MessageFormat::Eip712),
		);
		NewAuthenticator::Evm { address: subxt::utils::H160(self.address()), signature }
	}

	/// Its proof of an envelope.
	pub fn envelope_proof(
		&self,
		genesis: &[u8; 32],
		parts: &EnvelopeParts,
		form: Form,
	) -> EnvelopeProof {
		EnvelopeProof::Evm(self.signature(
			form,
			&parts.personal_message(genesis),
			parts.typed_data_hash(genesis),
		))
	}
}

/// A passkey assertion from the three byte strings a WebAuthn `get` returned.
pub fn passkey_assertion(
	authenticator_data: Vec<u8>,
	client_data_json: Vec<u8>,
	signature: Vec<u8>,
) -> PasskeyAssertion {
	PasskeyAssertion {
		authenticator_data: BoundedVec(authenticator_data),
		client_data_json: BoundedVec(client_data_json),
		signature: BoundedVec(signature),
	}
}

/// A passkey registration from a WebAuthn `create` (attestation object, clientDataJSON) and,
/// for attestation `none`, the possession assertion that followed it.
pub fn passkey_registration(
	attestation_object: Vec<u8>,
	client_data_json: Vec<u8>,
	possession: Option<PasskeyAssertion>,
) -> NewAuthenticator {
	NewAuthenticator::Passkey(PasskeyRegistration {
		attestation_object: BoundedVec(attestation_object),
		client_data_json: BoundedVec(client_data_json),
		possession,
	})
}

/// Submits an unsigned transaction (an envelope or a creation) and waits, at most `timeout`,
/// until it is finalized and succeeded. `Err` carries the pool's or the dispatch error as text.
pub async fn submit_unsigned_and_wait<Call: subxt::transactions::Payload>(
	client: &Client,
	tx: &Call,
	timeout: Duration,
) -> Result<TxEvents, String> {
	let work = async {
		client
			.at_current_block()
			.await
			.map_err(|e| e.to_string())?
			.transactions()
			.create_unsigned(tx)
			.map_err(|e| e.to_string())?
			.submit_and_watch()
			.await
			.map_err(|e| e.to_string())?
			.wait_for_finalized_success()
			.await
			.map_err(|e| e.to_string())
	};
	crate::finalized_within(timeout, work).await
}
