//! Runtime API of WaaS Chain and the view types it returns.
//!
//! The node's `waas_*` JSON-RPC methods (crate `waas-rpc`) call this API; any client can also
//! call it directly (polkadot.js: `api.call.waasApi.*`; subxt: `runtime_apis().waas_api()`).
//! Every type is SCALE-encoded and described in the metadata, so polkadot.js and subxt decode
//! it without custom type definitions. Lists are paginated: `(start, limit)` with `limit`
//! capped at [`MAX_PAGE`].

#![cfg_attr(not(feature = "std"), no_std)]
// `envelope_payload` takes an envelope's six fields; the macro adds the block hash and the API
// handle to the client-side functions it generates.
#![allow(clippy::too_many_arguments)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use scale_info::TypeInfo;
use waas_primitives::{ChainCode, CompressedPublicKey, HashScheme};
pub use waas_traits::{AuthenticatorKey, FeePayer, RequestOwner, Role, SigningFailure};

/// Most entries one paginated call returns.
pub const MAX_PAGE: u32 = 100;

/// A Meta-Account as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct MetaAccountView<AccountId, Balance, BlockNumber> {
	/// Its id (32 bytes).
	pub id: [u8; 32],
	/// The authenticator that created it.
	pub creator: AuthenticatorKey<AccountId>,
	/// Block of creation.
	pub created_at: BlockNumber,
	/// Its sovereign account: pays for what its envelopes do.
	pub sovereign_account: AccountId,
	/// The nonce its next envelope must carry.
	pub nonce: u64,
	/// Its epoch (possession proofs name it).
	pub epoch: u32,
	/// Its authenticators.
	pub authenticators: Vec<AuthenticatorView<AccountId, Balance, BlockNumber>>,
	/// Substrate accounts with a pending invitation from it.
	pub invitees: Vec<AccountId>,
	/// Changes waiting for their delay.
	pub pending_changes: Vec<PendingChangeView<AccountId, BlockNumber>>,
}

/// A passkey's on-chain state, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PasskeyView {
	/// P-256 public key, SEC1 uncompressed.
	pub public_key: [u8; 65],
	/// Last signature counter (0: it does not count).
	pub sign_count: u32,
	/// Backup eligible (BE).
	pub backup_eligible: bool,
	/// Backed up (BS), as last reported.
	pub backup_state: bool,
}

/// An authenticator, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct AuthenticatorView<AccountId, Balance, BlockNumber> {
	/// What identifies it.
	pub key: AuthenticatorKey<AccountId>,
	/// Its role.
	pub role: Role,
	/// Its key and counter, for a passkey.
	pub passkey: Option<PasskeyView>,
	/// The deposit held for it.
	pub deposit: Balance,
	/// Who the deposit is held from.
	pub deposit_payer: AccountId,
	/// Block in which it was added.
	pub added_at: BlockNumber,
}

/// A change waiting for its delay, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PendingChangeView<AccountId, BlockNumber> {
	/// Its id within the Meta-Account.
	pub id: u32,
	/// The authenticator it is about.
	pub target: AuthenticatorKey<AccountId>,
	/// The new role, or `None` for a removal.
	pub new_role: Option<Role>,
	/// Who proposed it.
	pub proposer: AuthenticatorKey<AccountId>,
	/// First block in which it can be enacted.
	pub enact_at: BlockNumber,
}

/// The Meta-Account an authenticator would create next.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NextMetaAccountView<AccountId> {
	/// Its id.
	pub id: [u8; 32],
	/// Its sovereign account (fund it before creating without a Substrate key).
	pub sovereign_account: AccountId,
	/// The creator's creation nonce, which its possession statement names.
	pub creation_nonce: u32,
}

/// What an authenticator signs for a statement or an envelope, in each form.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct SigningPayloadView<Balance> {
	/// The digest (blake2-256).
	pub digest: [u8; 32],
	/// The WebAuthn challenge: the digest in base64url without padding (ASCII).
	pub challenge: Vec<u8>,
	/// The EIP-191 text an EVM wallet signs with `personal_sign` (UTF-8).
	pub personal_message: Vec<u8>,
	/// The EIP-712 hash an EVM wallet signs with `eth_signTypedData_v4`.
	pub typed_data_hash: [u8; 32],
	/// For an envelope: the most it can cost (with a passkey proof of the largest size);
	/// zero for a possession statement.
	pub max_fee: Balance,
}

/// Why a signing payload could not be built.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
pub enum PayloadError {
	/// No Meta-Account with this id.
	UnknownMetaAccount,
	/// The call bytes are not a call of this runtime.
	UndecodableCall,
}

/// A pending invitation, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct InvitationView<AccountId, Balance, BlockNumber> {
	/// The inviting Meta-Account.
	pub meta_account: [u8; 32],
	/// The Owner that invited.
	pub invited_by: AuthenticatorKey<AccountId>,
	/// The role the invitee gets.
	pub role: Role,
	/// Who the deposit is held from.
	pub deposit_payer: AccountId,
	/// The inviter's deposit.
	pub deposit: Balance,
	/// Last block in which it can be accepted.
	pub expires_at: BlockNumber,
}

/// Lifecycle of an address, as the API shows it (a revoked address has no record).
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
pub enum AddressStatusView {
	/// Can sign.
	Active,
	/// One-time address already used.
	Used,
}

/// An address of a Meta-Account, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct AddressView<AccountId, Balance, BlockNumber> {
	/// Index within the Meta-Account.
	pub index: u32,
	/// Committee key it derives from.
	pub key: u32,
	/// CAIP-2 chain id (ASCII).
	pub chain: Vec<u8>,
	/// Address text (ASCII, e.g. EIP-55).
	pub address: Vec<u8>,
	/// BIP32 path from the key, namespace first.
	pub path: Vec<u32>,
	/// Derived compressed public key.
	pub public_key: CompressedPublicKey,
	/// Lifecycle state.
	pub status: AddressStatusView,
	/// Whether it is one-time.
	pub one_time: bool,
	/// Its unfinished signature requests.
	pub in_flight: u32,
	/// Who holds its deposit.
	pub deposit_payer: AccountId,
	/// The deposit.
	pub deposit: Balance,
	/// Block of provisioning.
	pub created_at: BlockNumber,
}

/// State of a signature request, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum RequestStateView<AccountId, BlockNumber> {
	/// Waiting in the key's FIFO with `position` requests ahead of it.
	Queued {
		/// Requests ahead of it.
		position: u32,
	},
	/// Assigned to `signers` until `deadline` (inclusive).
	Assigned {
		/// Attempt number from 0.
		attempt: u8,
		/// Assigned signers.
		signers: Vec<AccountId>,
		/// Last block of this attempt.
		deadline: BlockNumber,
	},
	/// Signed: `signature` is r ‖ s (64 bytes), `recovery_id` 0 or 1.
	Signed {
		/// r ‖ s.
		signature: [u8; 64],
		/// Recovery id.
		recovery_id: u8,
		/// Submitting signer.
		submitted_by: AccountId,
		/// Block of acceptance.
		at: BlockNumber,
	},
	/// Failed for good.
	Failed {
		/// Why.
		reason: SigningFailure,
		/// Block of failure.
		at: BlockNumber,
	},
	/// Cancelled by its owner.
	Cancelled {
		/// Block of cancellation.
		at: BlockNumber,
	},
}

/// A signature request, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct SignatureRequestView<AccountId, Balance, BlockNumber> {
	/// Request id.
	pub id: u64,
	/// Who it is for.
	pub owner: RequestOwner,
	/// Who paid the deposit and fee (none for the privileged origin).
	pub payer: Option<AccountId>,
	/// Committee key.
	pub key: u32,
	/// Derivation path, namespace first.
	pub path: Vec<u32>,
	/// Hash scheme of the payload.
	pub scheme: HashScheme,
	/// The payload.
	pub payload: Vec<u8>,
	/// `scheme(payload)`.
	pub message_hash: [u8; 32],
	/// Derived public key the signature verifies against.
	pub public_key: CompressedPublicKey,
	/// Deposit held until it ends.
	pub deposit: Balance,
	/// Signing fee.
	pub fee: Balance,
	/// Block of the request.
	pub requested_at: BlockNumber,
	/// Lifecycle state.
	pub state: RequestStateView<AccountId, BlockNumber>,
}

/// State of a committee key, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum KeyStatusView<AccountId, BlockNumber> {
	/// DKG under way; reports accepted until `deadline` (inclusive).
	Generating {
		/// Last block for reports.
		deadline: BlockNumber,
	},
	/// Usable.
	Active {
		/// Compressed public key.
		public_key: CompressedPublicKey,
		/// BIP32 chain code.
		chain_code: ChainCode,
	},
	/// The DKG failed.
	Failed {
		/// `Disagreement`, `NoMajority` or `Timeout`.
		reason: KeygenFailureView,
		/// Members blamed.
		offenders: Vec<AccountId>,
	},
	/// Retired: never signs again.
	Retired,
}

/// Why a keygen failed, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
pub enum KeygenFailureView {
	/// A strict majority agreed; the offenders did not.
	Disagreement,
	/// No value had a strict majority.
	NoMajority,
	/// The offenders did not report in time.
	Timeout,
}

/// A committee key, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct KeyView<AccountId, BlockNumber> {
	/// Key id.
	pub id: u32,
	/// Committee holding the shares.
	pub committee: u32,
	/// Lifecycle state.
	pub status: KeyStatusView<AccountId, BlockNumber>,
	/// The key whose aux info its keygen reuses.
	pub aux_source: Option<u32>,
	/// Block of the keygen request.
	pub requested_at: BlockNumber,
	/// Requests being signed now.
	pub assigned: u32,
	/// Requests waiting in its FIFO.
	pub queued: u32,
}

/// A committee, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct CommitteeView<AccountId> {
	/// Committee id.
	pub id: u32,
	/// Members in keygen party order.
	pub members: Vec<AccountId>,
	/// Signers per signature.
	pub threshold: u16,
	/// Generating or Active keys.
	pub live_keys: u32,
	/// The key whose aux info the committee reuses.
	pub aux_key: Option<u32>,
}

/// A registered signer, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct SignerView<AccountId> {
	/// Its account.
	pub account: AccountId,
	/// ed25519 p2p identity key.
	pub p2p_key: [u8; 32],
	/// Endpoint (UTF-8).
	pub endpoint: Vec<u8>,
	/// Committees it belongs to.
	pub committees: u32,
	/// Attempts it was assigned that expired.
	pub expired_attempts: u32,
}

/// Why `derive_address` could not answer.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
pub enum DeriveError {
	/// No key with this id.
	UnknownKey,
	/// The key is not Active.
	KeyNotActive,
	/// The chain id is malformed.
	InvalidChainId,
	/// The chain's namespace is not supported.
	UnsupportedChain,
	/// The path is too deep or has a hardened index.
	InvalidPath,
}

sp_api::decl_runtime_apis! {
	/// Queries about Meta-Accounts, their addresses, the signer committee and signature
	/// requests.
	pub trait WaasApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The Meta-Account with this id.
		fn meta_account(id: [u8; 32]) -> Option<MetaAccountView<AccountId, Balance, BlockNumber>>;
		/// The Meta-Account a Substrate account authenticates for.
		fn meta_account_of(account: AccountId) -> Option<[u8; 32]>;
		/// The Meta-Account an authenticator of any kind acts for.
		fn meta_account_of_authenticator(key: AuthenticatorKey<AccountId>) -> Option<[u8; 32]>;
		/// The Meta-Account `creator` would create next, and its sovereign account.
		fn next_meta_account(creator: AuthenticatorKey<AccountId>) -> NextMetaAccountView<AccountId>;
		/// What a new authenticator signs to join `meta_account` (or, with `None`, to create a
		/// Meta-Account with creation nonce `creation_nonce`) with `role`.
		fn possession_payload(meta_account: Option<[u8; 32]>, creation_nonce: u32, role: Role)
			-> Result<SigningPayloadView<Balance>, PayloadError>;
		/// What `authenticator` signs for an envelope of `call` (SCALE-encoded call bytes).
		fn envelope_payload(
			meta_account: [u8; 32],
			authenticator: AuthenticatorKey<AccountId>,
			nonce: u64,
			valid_until: BlockNumber,
			fee_payer: FeePayer<AccountId>,
			call: Vec<u8>,
		) -> Result<SigningPayloadView<Balance>, PayloadError>;
		/// Pending invitations to an account.
		fn invitations(account: AccountId) -> Vec<InvitationView<AccountId, Balance, BlockNumber>>;
		/// Addresses of a Meta-Account from index `start` on, at most `limit`.
		fn addresses(meta_account: [u8; 32], start: u32, limit: u32)
			-> Vec<AddressView<AccountId, Balance, BlockNumber>>;
		/// The address text for `path` under an Active `key` on `chain` (CAIP-2).
		fn derive_address(key: u32, path: Vec<u32>, chain: Vec<u8>) -> Result<Vec<u8>, DeriveError>;
		/// A signature request and its state.
		fn signature_request(id: u64) -> Option<SignatureRequestView<AccountId, Balance, BlockNumber>>;
		/// The signing fee a new request for `key` pays now (`None`: the key is not Active).
		fn signing_fee(key: u32) -> Option<Balance>;
		/// The deposit a new request with a payload of `payload_len` bytes holds.
		fn request_deposit(payload_len: u32) -> Balance;
		/// Committee keys from id `start` on, at most `limit`.
		fn keys(start: u32, limit: u32) -> Vec<KeyView<AccountId, BlockNumber>>;
		/// Committees from id `start` on, at most `limit`.
		fn committees(start: u32, limit: u32) -> Vec<CommitteeView<AccountId>>;
		/// Registered signers after `start_after` (in storage order), at most `limit`.
		fn signers(start_after: Option<AccountId>, limit: u32) -> Vec<SignerView<AccountId>>;
		/// The requests assigned to `signer` now: `(request, attempt)`.
		fn assigned_requests(signer: AccountId) -> Vec<(u64, u8)>;
	}
}
