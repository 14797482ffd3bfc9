//! Runtime API of WaaS Chain and the view types it returns.
//!
//! The node's `waas_*` JSON-RPC methods (crate `waas-rpc`) call this API; any client can also
//! call it with `state_call`. Every type is SCALE-encoded and described in the metadata, so
//! polkadot.js and subxt decode it without custom type definitions.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use scale_info::TypeInfo;
use waas_primitives::{CompressedPublicKey, HashScheme};

/// A Meta-Account as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct MetaAccountView<AccountId, BlockNumber> {
	/// Its id (32 bytes).
	pub id: [u8; 32],
	/// Accounts that act for it.
	pub authenticators: Vec<AccountId>,
	/// Who created it.
	pub creator: AccountId,
	/// Block of creation.
	pub created_at: BlockNumber,
}

/// Lifecycle of an address, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(serde::Serialize))]
pub enum AddressStatusView {
	/// Can sign.
	Active,
	/// One-time address already used.
	Used,
	/// Revoked.
	Revoked,
}

/// An address of a Meta-Account, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct AddressView<BlockNumber> {
	/// Index within the Meta-Account.
	pub index: u32,
	/// Committee key it derives from.
	pub key: u32,
	/// CAIP-2 chain id (ASCII).
	pub chain: Vec<u8>,
	/// Address text (ASCII, e.g. EIP-55).
	pub address: Vec<u8>,
	/// BIP32 path from the key.
	pub path: Vec<u32>,
	/// Derived compressed public key.
	pub public_key: CompressedPublicKey,
	/// Lifecycle state.
	pub status: AddressStatusView,
	/// Whether it is one-time.
	pub one_time: bool,
	/// Block of provisioning.
	pub created_at: BlockNumber,
}

/// State of a signature request, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum RequestStateView<AccountId, BlockNumber> {
	/// Waiting for `signers` until `deadline`.
	Pending {
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
		signature: Vec<u8>,
		/// Recovery id.
		recovery_id: u8,
		/// Submitting signer.
		submitted_by: AccountId,
		/// Block of acceptance.
		at: BlockNumber,
	},
	/// Failed for good.
	Failed {
		/// Why (text).
		reason: Vec<u8>,
		/// Block of failure.
		at: BlockNumber,
	},
}

/// A signature request, as the API shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct SignatureRequestView<AccountId, BlockNumber> {
	/// Request id.
	pub id: u64,
	/// Committee key.
	pub key: u32,
	/// Derivation path.
	pub path: Vec<u32>,
	/// Hash scheme of the payload.
	pub scheme: HashScheme,
	/// The payload.
	pub payload: Vec<u8>,
	/// `scheme(payload)`.
	pub message_hash: [u8; 32],
	/// Derived public key the signature verifies against.
	pub public_key: CompressedPublicKey,
	/// Requesting account, if any.
	pub requester: Option<AccountId>,
	/// Lifecycle state.
	pub state: RequestStateView<AccountId, BlockNumber>,
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
	/// Queries about Meta-Accounts, their addresses and signature requests.
	pub trait WaasApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// The Meta-Account with this id.
		fn meta_account(id: [u8; 32]) -> Option<MetaAccountView<AccountId, BlockNumber>>;
		/// The Meta-Account an account authenticates for.
		fn meta_account_of(account: AccountId) -> Option<[u8; 32]>;
		/// All addresses of a Meta-Account, by index.
		fn addresses(meta_account: [u8; 32]) -> Vec<AddressView<BlockNumber>>;
		/// The address text for `path` under an Active `key` on `chain` (CAIP-2).
		fn derive_address(key: u32, path: Vec<u32>, chain: Vec<u8>) -> Result<Vec<u8>, DeriveError>;
		/// A signature request and its state.
		fn signature_request(id: u64) -> Option<SignatureRequestView<AccountId, BlockNumber>>;
	}
}
