//! Stored types and call arguments of the Meta-Accounts pallet.

use crate::{BalanceOf, Config};
use alloc::boxed::Box;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H160;
pub use waas_traits::{AuthenticatorKey, CredentialId, FeePayer, MetaAccountId, Role};

/// The authenticator key type of a runtime.
pub type AuthenticatorKeyOf<T> = AuthenticatorKey<<T as frame_system::Config>::AccountId>;

/// The state a passkey keeps on-chain.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct PasskeyCredential {
	/// Its P-256 public key, SEC1 uncompressed (`0x04 ‖ x ‖ y`).
	pub public_key: [u8; 65],
	/// The last signature counter it reported; 0 while it reports none (synced passkeys).
	pub sign_count: u32,
	/// It may be backed up (WebAuthn BE flag at registration).
	pub backup_eligible: bool,
	/// It is backed up (BS flag, as last reported).
	pub backup_state: bool,
}

/// One authenticator of a Meta-Account.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct AuthenticatorInfo<AccountId, Balance, BlockNumber> {
	/// What it may do.
	pub role: Role,
	/// Its public key and counter, for a passkey; `None` for other kinds.
	pub passkey: Option<PasskeyCredential>,
	/// The amount held for its entry.
	pub deposit: Balance,
	/// Who `deposit` is held from.
	pub deposit_payer: AccountId,
	/// Block in which it was added.
	pub added_at: BlockNumber,
}

/// The stored authenticator type of a runtime.
pub type AuthenticatorInfoOf<T> =
	AuthenticatorInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// Identifier of a pending change within its Meta-Account.
pub type ChangeId = u32;

/// A Meta-Account: who created it, how many authenticators and Owners it has, and the counters
/// that bind signatures to its current state.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxInvitations))]
pub struct MetaAccount<AccountId, BlockNumber, MaxInvitations: Get<u32>> {
	/// The authenticator that created it.
	pub creator: AuthenticatorKey<AccountId>,
	/// Block in which it was created.
	pub created_at: BlockNumber,
	/// How many authenticators it has (at least one).
	pub authenticators: u32,
	/// How many of them are Owners (at least one).
	pub owners: u32,
	/// Bumped on every change of its authenticators or roles; possession proofs name it, so a
	/// proof is good for one state only.
	pub epoch: u32,
	/// The nonce its next envelope must carry.
	pub nonce: u64,
	/// Substrate accounts with a pending invitation from it.
	pub invitees: BoundedVec<AccountId, MaxInvitations>,
	/// How many changes are pending.
	pub pending_changes: u32,
	/// The id its next proposed change gets.
	pub next_change: ChangeId,
}

/// The stored Meta-Account type of a runtime.
pub type MetaAccountOf<T> = MetaAccount<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	<T as Config>::MaxPendingInvitations,
>;

/// A pending invitation of a Substrate account to authenticate for a Meta-Account.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Invitation<AccountId, Balance, BlockNumber> {
	/// The Owner that invited.
	pub invited_by: AuthenticatorKey<AccountId>,
	/// The role the invitee gets.
	pub role: Role,
	/// Who `deposit` is held from until the invitation is accepted or cancelled.
	pub deposit_payer: AccountId,
	/// The amount held.
	pub deposit: Balance,
	/// Last block in which it can be accepted.
	pub expires_at: BlockNumber,
}

/// The stored invitation type of a runtime.
pub type InvitationOf<T> =
	Invitation<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// A change to another authenticator, which takes effect only after a delay in which any Owner
/// can veto it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum Change<AccountId> {
	/// Remove the authenticator.
	Remove(AuthenticatorKey<AccountId>),
	/// Give the authenticator another role.
	SetRole(AuthenticatorKey<AccountId>, Role),
}

impl<AccountId> Change<AccountId> {
	/// The authenticator the change is about.
	pub fn target(&self) -> &AuthenticatorKey<AccountId> {
		match self {
			Change::Remove(key) | Change::SetRole(key, _) => key,
		}
	}
}

/// A proposed change waiting for its delay to pass.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct PendingChange<AccountId, Balance, BlockNumber> {
	/// What changes.
	pub change: Change<AccountId>,
	/// The Owner that proposed it.
	pub proposer: AuthenticatorKey<AccountId>,
	/// First block in which it can be enacted.
	pub enact_at: BlockNumber,
	/// Who `deposit` is held from until it is enacted or vetoed.
	pub deposit_payer: AccountId,
	/// The amount held.
	pub deposit: Balance,
}

/// The stored pending change type of a runtime.
pub type PendingChangeOf<T> =
	PendingChange<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

pub use waas_primitives::webauthn::{
	MAX_ATTESTATION_OBJECT_LEN, MAX_AUTHENTICATOR_DATA_LEN, MAX_CLIENT_DATA_JSON_LEN,
	MAX_DER_SIGNATURE_LEN,
};

/// A WebAuthn assertion (`navigator.credentials.get`), as the authenticator returned it.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PasskeyAssertion {
	/// `response.authenticatorData`.
	pub authenticator_data: BoundedVec<u8, ConstU32<{ MAX_AUTHENTICATOR_DATA_LEN }>>,
	/// `response.clientDataJSON`, byte for byte.
	pub client_data_json: BoundedVec<u8, ConstU32<{ MAX_CLIENT_DATA_JSON_LEN }>>,
	/// `response.signature`: DER, or raw `r ‖ s` (64 bytes).
	pub signature: BoundedVec<u8, ConstU32<{ MAX_DER_SIGNATURE_LEN }>>,
}

/// A WebAuthn registration (`navigator.credentials.create`), with the proof that its creator
/// holds the new credential.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PasskeyRegistration {
	/// `response.attestationObject` (attestation `none` or `packed` self-attestation).
	pub attestation_object: BoundedVec<u8, ConstU32<{ MAX_ATTESTATION_OBJECT_LEN }>>,
	/// `response.clientDataJSON` of the registration, byte for byte.
	pub client_data_json: BoundedVec<u8, ConstU32<{ MAX_CLIENT_DATA_JSON_LEN }>>,
	/// An assertion by the new credential over the same challenge. Required with attestation
	/// `none`, which signs nothing; ignored with `packed` self-attestation, whose signature is
	/// the proof.
	pub possession: Option<PasskeyAssertion>,
}

/// A signature by an EVM wallet (65 bytes `r ‖ s ‖ v`, `v` 0, 1, 27 or 28).
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum EvmSignature {
	/// EIP-191 `personal_sign` of the statement's text.
	PersonalSign([u8; 65]),
	/// EIP-712 `eth_signTypedData_v4` of the statement's typed data.
	TypedData([u8; 65]),
}

/// An authenticator to add, with the proof that it consents.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum NewAuthenticator {
	/// A passkey: its registration.
	Passkey(PasskeyRegistration),
	/// An EVM wallet: its address and its signature of the possession statement.
	Evm {
		/// The wallet's address.
		address: H160,
		/// Its signature of the possession statement.
		signature: EvmSignature,
	},
}

/// What proves that an envelope comes from its authenticator.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum EnvelopeProof {
	/// A passkey assertion whose challenge is the envelope's digest.
	Passkey(PasskeyAssertion),
	/// An EVM wallet's signature of the envelope.
	Evm(EvmSignature),
}

/// A call that an authenticator signs for its Meta-Account, to be dispatched without a
/// Substrate key (see [`Pallet::dispatch_envelope`](crate::Pallet::dispatch_envelope)).
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Envelope<AccountId, BlockNumber, Call> {
	/// The Meta-Account the call acts for.
	pub meta_account: MetaAccountId,
	/// The authenticator that signs.
	pub authenticator: AuthenticatorKey<AccountId>,
	/// Must equal the Meta-Account's next nonce.
	pub nonce: u64,
	/// Last block in which it may be included.
	pub valid_until: BlockNumber,
	/// Who pays its fee.
	pub fee_payer: FeePayer<AccountId>,
	/// The call.
	pub call: Box<Call>,
}

/// The envelope type of a runtime.
pub type EnvelopeOf<T> =
	Envelope<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, <T as Config>::RuntimeCall>;

/// What a possession proof consents to: joining a Meta-Account with a role.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum PossessionTarget {
	/// A Meta-Account that the new authenticator creates; `creation_nonce` is how many it has
	/// created before.
	NewMetaAccount {
		/// The creator's creation nonce.
		creation_nonce: u32,
	},
	/// An existing Meta-Account in its current `epoch`.
	Existing {
		/// The Meta-Account.
		meta_account: MetaAccountId,
		/// Its epoch.
		epoch: u32,
	},
}

/// The calls each role may have dispatched as its Meta-Account through an envelope, in the
/// style of pallet-proxy's `InstanceFilter`. Implemented by the runtime, which knows every call.
pub trait RoleFilter<Call> {
	/// Whether an authenticator with `role` may dispatch `call`.
	fn allows(role: Role, call: &Call) -> bool;
}

/// How an unsigned Meta-Account transaction is priced and ordered: the runtime prices it as
/// it would price a signed transaction of the same length and weight.
pub trait UnsignedFee<Balance> {
	/// The fee of a transaction of `len` bytes and `weight`.
	fn fee(len: u32, weight: Weight) -> Balance;

	/// Its pool priority, given the fee it pays.
	fn priority(len: u32, weight: Weight, fee: Balance) -> TransactionPriority;
}
