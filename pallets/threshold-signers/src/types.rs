//! Stored types of the threshold-signers pallet.

use crate::{BalanceOf, Config};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use waas_primitives::{ChainCode, CompressedPublicKey, HashScheme};

/// Identifier of a signer committee.
pub type CommitteeId = u32;
/// Identifier of a committee key (one DKG).
pub type KeyId = u32;
/// Identifier of a signature request.
pub type RequestId = u64;
/// A signer's transport identity key (ed25519 public key of its p2p endpoint).
pub type P2pPublicKey = [u8; 32];
/// Index of a member in its committee: its party index in keygen.
pub type MemberIndex = u16;
/// A 64-byte ECDSA signature `r ‖ s`.
pub type EcdsaSignature = [u8; 64];

/// A registered signer node.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct SignerInfo<T: Config> {
	/// Public key that authenticates the signer's p2p messages.
	pub p2p_key: P2pPublicKey,
	/// Where peers reach the signer (a multiaddr or `host:port`, UTF-8).
	pub address: BoundedVec<u8, T::MaxAddressLen>,
	/// Number of committees the signer belongs to.
	pub committees: u32,
}

/// A committee: `members[i]` is party `i` in keygen; any `threshold` of them can sign.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct Committee<T: Config> {
	/// Members in keygen party order.
	pub members: BoundedVec<T::AccountId, T::MaxCommitteeSize>,
	/// How many members sign together (2 ≤ threshold ≤ members).
	pub threshold: u16,
}

/// Why a key generation failed.
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
pub enum KeygenFailure {
	/// All members reported, but not the same key; the offenders differ from the most
	/// reported value.
	Disagreement,
	/// The deadline passed; the offenders did not report.
	Timeout,
}

/// Lifecycle of a committee key.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub enum KeyStatus<T: Config> {
	/// DKG under way; members report until `deadline`.
	Generating {
		/// Last block in which reports are accepted.
		deadline: BlockNumberFor<T>,
	},
	/// All members reported the same public key and chain code.
	Active,
	/// The DKG failed; `offenders` names who disagreed or did not report.
	Failed {
		/// Why.
		reason: KeygenFailure,
		/// Members that disagreed or were missing.
		offenders: BoundedVec<T::AccountId, T::MaxCommitteeSize>,
	},
}

/// A committee key and its state.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct KeyInfo<T: Config> {
	/// Committee that holds the shares.
	pub committee: CommitteeId,
	/// Where the key is in its lifecycle.
	pub status: KeyStatus<T>,
	/// Compressed secp256k1 public key, once Active.
	pub public_key: Option<CompressedPublicKey>,
	/// BIP32 chain code, once Active.
	pub chain_code: Option<ChainCode>,
	/// Block of the keygen request.
	pub requested_at: BlockNumberFor<T>,
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
	/// Every attempt passed its deadline without a valid signature.
	AttemptsExhausted,
}

/// Lifecycle of a signature request. `Signed` and `Failed` are terminal.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub enum RequestStatus<T: Config> {
	/// Waiting for the assigned signers.
	Pending {
		/// Attempt number, from 0.
		attempt: u8,
		/// Committee member indices (ascending) that sign in this attempt.
		signers: BoundedVec<MemberIndex, T::MaxCommitteeSize>,
		/// Last block in which this attempt's signature is accepted.
		deadline: BlockNumberFor<T>,
	},
	/// A signature that verifies against the derived public key was accepted.
	Signed {
		/// `r ‖ s`, low-s.
		signature: EcdsaSignature,
		/// Recovery id (0 or 1).
		recovery_id: u8,
		/// The signer that submitted it.
		submitted_by: T::AccountId,
		/// Block of acceptance.
		at: BlockNumberFor<T>,
	},
	/// No valid signature before the retry budget ran out.
	Failed {
		/// Why.
		reason: SigningFailure,
		/// Block of failure.
		at: BlockNumberFor<T>,
	},
}

impl<T: Config> RequestStatus<T> {
	/// Whether the request has ended (signed or failed).
	pub fn is_terminal(&self) -> bool {
		!matches!(self, RequestStatus::Pending { .. })
	}
}

/// A request for a threshold signature over a payload.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct SignatureRequest<T: Config> {
	/// The committee key to sign with.
	pub key: KeyId,
	/// Non-hardened BIP32 path from the key.
	pub path: BoundedVec<u32, T::MaxPathDepth>,
	/// The message; signers hash it themselves with `scheme`.
	pub payload: BoundedVec<u8, T::MaxPayloadLen>,
	/// How the payload is hashed before signing.
	pub scheme: HashScheme,
	/// `scheme(payload)`: the prehash the signature must verify over.
	pub message_hash: [u8; 32],
	/// The derived public key the signature must verify against.
	pub public_key: CompressedPublicKey,
	/// Who asked (and paid the deposit); `None` for the privileged origin.
	pub requester: Option<T::AccountId>,
	/// Deposit held from `requester`.
	pub deposit: BalanceOf<T>,
	/// Block of the request.
	pub requested_at: BlockNumberFor<T>,
	/// Where the request is in its lifecycle.
	pub status: RequestStatus<T>,
}

/// Something that ends at a block: processed in `on_initialize` of that block.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Deadline {
	/// A keygen's reporting window.
	Keygen(KeyId),
	/// A signing attempt (request, attempt).
	Signature(RequestId, u8),
}
