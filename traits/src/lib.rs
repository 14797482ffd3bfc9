//! # WaaS traits
//!
//! What the WaaS pallets share, so that each depends on this crate and never on another pallet
//! (the way FRAME pallets share `frame_support::traits`):
//!
//! - the ids: [`MetaAccountId`], [`CommitteeId`], [`KeyId`], [`RequestId`], [`AddressIndex`];
//! - [`RequestOwner`]: who a signature request is for (a path namespace and an owner in it);
//! - [`ThresholdSigner`]: the committee's signature service, offered by the threshold-signers
//!   pallet to the pallets that own path namespaces;
//! - [`OnSignatureOutcome`]: how a request's terminal state is routed back to its owner;
//! - [`CommitteeInspect`]: who sits in the committee that holds a key, for pallets that take
//!   the committee's word on other chains (attestations);
//! - [`MetaAccountInspect`] and [`MetaAccountDependents`]: how other pallets ask about a
//!   Meta-Account and keep it from closing while they still hold something for it;
//! - [`AuditLogs`]: the audit logs a pallet keeps, anchored by the audit-anchors pallet;
//! - [`activity`]: the security events of a Meta-Account ([`Activity`]), which its pallets
//!   record through [`AccountActivity`];
//! - [`authenticator`]: who controls a Meta-Account ([`AuthenticatorKey`], [`Role`]) and who
//!   pays for an envelope ([`FeePayer`]).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{dispatch::DispatchResult, weights::Weight};
use scale_info::TypeInfo;
use sp_runtime::DispatchError;

pub mod activity;
pub mod authenticator;
pub use activity::{AccountActivity, Activity, ChainIdText};
pub use authenticator::{AuthenticatorKey, CredentialId, FeePayer, Role, MAX_CREDENTIAL_ID_LEN};

pub use waas_primitives::{
	namespace::{self, Namespace},
	ChainCode, CompressedPublicKey, HashScheme,
};

/// Identifier of a Meta-Account.
pub type MetaAccountId = sp_core::H256;
/// Identifier of a signer committee.
pub type CommitteeId = u32;
/// Identifier of a committee key (one DKG).
pub type KeyId = u32;
/// Identifier of a signature request.
pub type RequestId = u64;
/// Index of an ephemeral address within its Meta-Account.
pub type AddressIndex = u32;

/// Who a signature request is for: the requester that owns the path and what it is about.
///
/// `namespace` is the first index of the request's derivation path; `id` is the owner of the
/// path prefix within the namespace (a Meta-Account for ephemeral addresses, zero for the
/// privileged origin); `context` says what within the owner the request is for (an address
/// index for ephemeral addresses).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct RequestOwner {
	/// The requester's namespace (see [`namespace`]).
	pub namespace: Namespace,
	/// The owner of the path prefix within the namespace.
	pub id: sp_core::H256,
	/// What the request is for within the owner.
	pub context: u64,
}

impl RequestOwner {
	/// The owner of the privileged origin's requests.
	pub fn privileged() -> Self {
		RequestOwner { namespace: namespace::PRIVILEGED, id: Default::default(), context: 0 }
	}

	/// The owner of a request for the deposit address of intent `intent`. Every intent's
	/// path prefix belongs to the intents namespace as a whole (`id` zero); `context` names
	/// the intent.
	pub fn intent(intent: u64) -> Self {
		RequestOwner { namespace: namespace::INTENTS, id: Default::default(), context: intent }
	}

	/// The owner of a request for address `index` of `meta_account`.
	pub fn meta_account_address(meta_account: MetaAccountId, index: AddressIndex) -> Self {
		RequestOwner {
			namespace: namespace::META_ACCOUNT_ADDRESSES,
			id: meta_account,
			context: index.into(),
		}
	}
}

/// Why a signature request failed.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum SigningFailure {
	/// Every attempt passed its deadline without a valid signature (or the next attempt
	/// would have gone to the very subset that just failed).
	AttemptsExhausted,
	/// The key was retired (or its committee dissolved) before the request was signed.
	KeyRetired,
}

/// How a signature request ended: exactly one of these, exactly once.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum SignatureOutcome {
	/// A signature that verifies against the derived key was accepted.
	Signed,
	/// The request failed.
	Failed(SigningFailure),
	/// The owner (or the user through it) cancelled the request.
	Cancelled,
}

/// A request for a threshold signature, as an owning pallet makes it.
pub struct SigningRequest<'a, AccountId> {
	/// Who the request is for; `owner.namespace` must be `path[0]`.
	pub owner: RequestOwner,
	/// Who pays the deposit and the signing fee.
	pub payer: &'a AccountId,
	/// The committee key to sign with.
	pub key: KeyId,
	/// The full derivation path, namespace first.
	pub path: &'a [u32],
	/// The message; signers hash it themselves.
	pub payload: &'a [u8],
	/// How the payload is hashed.
	pub scheme: HashScheme,
}

/// The committee's signature service, for the pallets that own path namespaces.
///
/// Every path starts with its owner's namespace, and the owner of every path prefix
/// ([`namespace::path_prefix`]) is recorded on first use: a prefix recorded for one owner can
/// never be signed for another.
pub trait ThresholdSigner<AccountId> {
	/// The public key and BIP32 chain code of an Active key.
	fn active_key(key: KeyId) -> Result<(CompressedPublicKey, ChainCode), DispatchError>;

	/// Records `owner` as the owner of `path`'s prefix (or checks that it already is) and
	/// returns the public key derived along `path` from the Active `key`.
	fn claim_path(
		owner: &RequestOwner,
		key: KeyId,
		path: &[u32],
	) -> Result<CompressedPublicKey, DispatchError>;

	/// Asks the committee of `request.key` to sign. Holds a deposit and the signing fee from
	/// the payer (both returned or paid out when the request ends) and queues the request
	/// behind the key's earlier ones. All or nothing.
	fn request_signature(
		request: SigningRequest<'_, AccountId>,
	) -> Result<RequestId, DispatchError>;

	/// Cancels a request of `owner` that has not ended. Its outcome is reported as
	/// [`SignatureOutcome::Cancelled`].
	fn cancel(owner: &RequestOwner, request: RequestId) -> DispatchResult;

	/// The signature accepted for `request` (`r ‖ s ‖ recovery id`), while its record is kept
	/// (an owner's outcome callback can always read it).
	fn signature(request: RequestId) -> Option<[u8; 65]>;

	/// The longest payload a request may carry.
	fn max_payload_len() -> u32;

	/// Worst-case weight of [`Self::cancel`], the owner's outcome callback included.
	fn cancel_weight() -> Weight;

	/// Makes an Active key for benchmarks and returns its id.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_active_key() -> KeyId;

	/// For benchmarks: makes `request` (on a key from [`Self::benchmark_active_key`]) and has
	/// it signed and accepted, its owner told; returns its id.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_signed_request(request: SigningRequest<'_, AccountId>) -> RequestId;
}

/// Told when a signature request reaches its terminal state. Implemented by each owning
/// pallet, which ignores requests outside its namespace; a runtime lists its owners in a tuple.
pub trait OnSignatureOutcome {
	/// `request`, owned by `owner`, ended with `outcome`.
	fn on_outcome(request: RequestId, owner: &RequestOwner, outcome: SignatureOutcome);

	/// Worst-case weight of [`Self::on_outcome`] for any owner.
	fn on_outcome_weight() -> Weight;
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl OnSignatureOutcome for Tuple {
	fn on_outcome(request: RequestId, owner: &RequestOwner, outcome: SignatureOutcome) {
		for_tuples!( #( Tuple::on_outcome(request, owner, outcome); )* );
	}

	fn on_outcome_weight() -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight = weight.saturating_add(Tuple::on_outcome_weight()); )* );
		weight
	}
}

/// Where an account sits in the committee that holds a key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct KeyMembership {
	/// The account's index in the committee (its keygen party index).
	pub member: u16,
	/// How many members sign together, and so how many must agree on an attested fact.
	pub threshold: u16,
	/// How many members the committee has.
	pub size: u16,
}

/// Read-only questions about the committees that hold keys.
pub trait CommitteeInspect<AccountId> {
	/// Where `who` sits in the committee of `key`, if the key exists and `who` is a member.
	fn membership(key: KeyId, who: &AccountId) -> Option<KeyMembership>;

	/// The member with index `member` of the committee of `key`.
	fn member(key: KeyId, member: u16) -> Option<AccountId>;
}

/// Read-only questions about Meta-Accounts.
pub trait MetaAccountInspect<AccountId> {
	/// The Meta-Account the Substrate account `who` authenticates for, if any.
	fn meta_account_of(who: &AccountId) -> Option<MetaAccountId>;

	/// Whether `who` pays for `meta_account` as one of its own: one of its Substrate
	/// authenticators, or its sovereign account.
	fn pays_for(who: &AccountId, meta_account: &MetaAccountId) -> bool;
}

/// Pallets that hold something for a Meta-Account and must release it before the
/// Meta-Account may close.
pub trait MetaAccountDependents {
	/// `Ok` if nothing is held for `meta_account` any more.
	fn ensure_can_close(meta_account: &MetaAccountId) -> DispatchResult;

	/// Worst-case weight of [`Self::ensure_can_close`].
	fn ensure_can_close_weight() -> Weight;
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl MetaAccountDependents for Tuple {
	fn ensure_can_close(meta_account: &MetaAccountId) -> DispatchResult {
		for_tuples!( #( Tuple::ensure_can_close(meta_account)?; )* );
		Ok(())
	}

	fn ensure_can_close_weight() -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight = weight.saturating_add(Tuple::ensure_can_close_weight()); )* );
		weight
	}
}

/// Identifier of an audit log.
pub type LogId = u64;

/// Audit logs kept by pallets, anchored by the audit-anchors pallet: a pallet's log is owned
/// by its path namespace, and only that pallet anchors it.
pub trait AuditLogs {
	/// Registers a log for the pallet of `namespace`, whose entries are `format` (a short tag,
	/// e.g. `waas/meta-account-activity/v1`); returns its id.
	fn register(namespace: Namespace, format: &[u8]) -> Result<LogId, DispatchError>;

	/// Anchors the tree head (`tree_size`, `root`) of `log`, owned by `namespace`, with an
	/// RFC 6962 consistency proof from the log's previous head (none for its first).
	fn anchor(
		namespace: Namespace,
		log: LogId,
		tree_size: u64,
		root: [u8; 32],
		proof: &[[u8; 32]],
	) -> DispatchResult;
}
