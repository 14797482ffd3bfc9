//! Stored types of the threshold-signers pallet.

use crate::{BalanceOf, Config};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*, CloneNoBound, DebugNoBound, DefaultNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use waas_primitives::{ChainCode, CompressedPublicKey, HashScheme};
pub use waas_traits::{
	CommitteeId, KeyId, RequestId, RequestOwner, SignatureOutcome, SigningFailure,
};

/// A signer's transport identity key (ed25519 public key of its p2p endpoint).
pub type P2pPublicKey = [u8; 32];
/// Index of a member in its committee: its party index in keygen.
pub type MemberIndex = u16;
/// A 64-byte ECDSA signature `r ‖ s`.
pub type EcdsaSignature = [u8; 64];
/// A signer's network endpoint (a multiaddr or `host:port`, UTF-8).
pub type Endpoint<T> = BoundedVec<u8, <T as Config>::MaxEndpointLen>;
/// Committee members, in keygen party order.
pub type Members<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxCommitteeSize>;
/// Member indices within a committee.
pub type MemberIndices<T> = BoundedVec<MemberIndex, <T as Config>::MaxCommitteeSize>;
/// A derivation path, namespace first.
pub type PathOf<T> = BoundedVec<u32, <T as Config>::MaxPathDepth>;

/// A registered signer node.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct SignerInfo<T: Config> {
	/// Public key that authenticates the signer's p2p messages (unique among signers).
	pub p2p_key: P2pPublicKey,
	/// Where peers reach the signer.
	pub endpoint: Endpoint<T>,
	/// Number of committees the signer belongs to.
	pub committees: u32,
	/// Signing attempts assigned to this signer that expired without a signature. Not proof
	/// of a fault: every member of an expired attempt is counted, the honest ones too.
	pub expired_attempts: u32,
}

/// A committee: `members[i]` is party `i` in keygen; any `threshold` of them can sign.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct Committee<T: Config> {
	/// Members in keygen party order.
	pub members: Members<T>,
	/// How many members sign together (2 ≤ threshold ≤ members).
	pub threshold: u16,
	/// Keys of the committee that are Generating or Active.
	pub live_keys: u32,
	/// The key whose keygen produced the committee's aux info (its members' Paillier keys),
	/// reused by every later keygen of the committee: set when the first key becomes Active.
	pub aux_key: Option<KeyId>,
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
	/// All members reported; a strict majority agreed and the offenders reported something
	/// else.
	Disagreement,
	/// All members reported, but no value was reported by more than half of them: nobody can
	/// be blamed from the reports alone (the values are in the `KeygenReported` events).
	NoMajority,
	/// The deadline passed; the offenders did not report.
	Timeout,
}

/// Lifecycle of a committee key.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub enum KeyStatus<T: Config> {
	/// DKG under way; members report up to and including block `deadline`.
	Generating {
		/// Last block in which reports are accepted.
		deadline: BlockNumberFor<T>,
	},
	/// Every member reported this public key and chain code: the key signs.
	Active {
		/// Compressed secp256k1 public key.
		public_key: CompressedPublicKey,
		/// BIP32 chain code.
		chain_code: ChainCode,
	},
	/// The DKG failed.
	Failed {
		/// Why.
		reason: KeygenFailure,
		/// Members that disagreed with the majority or did not report.
		offenders: Members<T>,
	},
	/// Retired by governance: it never signs again.
	Retired,
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
	/// The key whose aux info this keygen reuses; `None`: the members make new aux info.
	/// Decided by the chain when the keygen is requested, so every member decides alike.
	pub aux_source: Option<KeyId>,
	/// Block of the keygen request.
	pub requested_at: BlockNumberFor<T>,
}

/// Lifecycle of a signature request. `Signed`, `Failed` and `Cancelled` are terminal.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub enum RequestStatus<T: Config> {
	/// Waiting in the key's FIFO until the committee has a free slot.
	Queued,
	/// Assigned to `signers` (member indices, ascending) for attempt `attempt`.
	Assigned {
		/// Attempt number, from 0.
		attempt: u8,
		/// Committee member indices that sign in this attempt.
		signers: MemberIndices<T>,
		/// Last block of this attempt; the next block re-assigns it.
		deadline: BlockNumberFor<T>,
	},
	/// A signature that verifies against the derived public key was accepted.
	Signed {
		/// `r ‖ s`, low-s.
		signature: EcdsaSignature,
		/// Recovery id (0 or 1).
		recovery_id: u8,
		/// The member that submitted it.
		submitted_by: T::AccountId,
		/// Block of acceptance.
		at: BlockNumberFor<T>,
	},
	/// No valid signature.
	Failed {
		/// Why.
		reason: SigningFailure,
		/// Block of failure.
		at: BlockNumberFor<T>,
	},
	/// Cancelled by its owner.
	Cancelled {
		/// Block of cancellation.
		at: BlockNumberFor<T>,
	},
}

impl<T: Config> RequestStatus<T> {
	/// Whether the request has ended.
	pub fn is_terminal(&self) -> bool {
		!matches!(self, RequestStatus::Queued | RequestStatus::Assigned { .. })
	}
}

/// A request for a threshold signature over a payload.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct SignatureRequest<T: Config> {
	/// Who the request is for; its outcome is routed there.
	pub owner: RequestOwner,
	/// Who paid the deposit and the fee; `None` for the privileged origin.
	pub payer: Option<T::AccountId>,
	/// The committee key to sign with.
	pub key: KeyId,
	/// Non-hardened BIP32 path from the key, namespace first.
	pub path: PathOf<T>,
	/// The message; signers hash it themselves with `scheme`.
	pub payload: BoundedVec<u8, T::MaxPayloadLen>,
	/// How the payload is hashed before signing.
	pub scheme: HashScheme,
	/// `scheme(payload)`: the prehash the signature must verify over.
	pub message_hash: [u8; 32],
	/// The derived public key the signature must verify against.
	pub public_key: CompressedPublicKey,
	/// Deposit held from `payer` until the request ends.
	pub deposit: BalanceOf<T>,
	/// Signing fee held from `payer`: paid to the signers on success (or on cancellation
	/// after assignment), returned on failure or cancellation while queued.
	pub fee: BalanceOf<T>,
	/// Block of the request.
	pub requested_at: BlockNumberFor<T>,
	/// How many expired attempts each member was assigned to: later attempts prefer the
	/// members that failed least.
	pub tried: BoundedVec<(MemberIndex, u8), <T as Config>::MaxCommitteeSize>,
	/// Where the request is in its lifecycle.
	pub status: RequestStatus<T>,
}

/// Something that happens at a block: processed in `on_initialize` of that block (or of a
/// later one, when earlier blocks used up the per-block budget).
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum AgendaItem {
	/// A keygen's reporting window closed.
	KeygenExpiry(KeyId),
	/// A signing attempt `(request, attempt)` passed its deadline.
	AttemptExpiry(RequestId, u8),
	/// A terminal request's retention ended: remove its record.
	Prune(RequestId),
}

/// What a member saw another member of its signing attempt do wrong: the reason of the
/// signer's identifiable-abort blame (cggmp21's attributable faults, plus the transport-level
/// faults the signer observes itself).
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
pub enum FaultReason {
	/// It sent a message that does not decode as a message of the protocol.
	MalformedMessage,
	/// It sent two different messages for the same slot of a round.
	DuplicateMessage,
	/// It sent a broadcast that other parties received differently.
	UnreliableBroadcast,
	/// Its range proof (π_enc) for the ciphertext `K` does not verify.
	InvalidEncProof,
	/// One of its ψ, ψ̂, ψ′ proofs (π_aff-g, π_log*) does not verify.
	InvalidAffineProof,
	/// Its ψ″ proof (π_log*) for Δ does not verify.
	InvalidLogProof,
}

/// A member's report against another member of the same committee, kept until the fault is
/// recorded or the report is older than [`Config::FaultWindow`].
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct FaultReport<T: Config> {
	/// The reporting member.
	pub reporter: MemberIndex,
	/// What it reported.
	pub reason: FaultReason,
	/// Block of the report.
	pub at: BlockNumberFor<T>,
}

/// A signer's accountability record: what governance looks at.
#[derive(
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	DefaultNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct SignerRecord<T: Config> {
	/// Reports other members made against the signer (one member's report is not proof).
	pub accusations: u32,
	/// Faults recorded: reported by at least `max(FaultQuorum, t)` distinct members within
	/// the window.
	pub faults: u32,
	/// The last recorded fault: its reason and block.
	pub last_fault: Option<(FaultReason, BlockNumberFor<T>)>,
	/// The signer is left out of new signing subsets up to and including this block.
	pub excluded_until: Option<BlockNumberFor<T>>,
}

impl<T: Config> SignerRecord<T> {
	/// Whether the signer is excluded from new subsets at block `now`.
	pub fn is_excluded(&self, now: BlockNumberFor<T>) -> bool {
		self.excluded_until.is_some_and(|until| now <= until)
	}
}
