//! # Threshold-signers pallet
//!
//! The on-chain coordinator of the signer committee. Signer nodes hold CGGMP21 key shares
//! off-chain; this pallet tells them what to do and accepts only results it can check.
//!
//! - **Registry** ([`registry`]): governance ([`Config::AdminOrigin`]) admits signers with a
//!   unique p2p identity key and an endpoint, updates and removes them, forms committees of `n`
//!   signers with a threshold `t` (2 ≤ t ≤ n; member `i` is keygen party `i`) and dissolves
//!   them.
//! - **Keys** ([`keygen`]): [`request_keygen`](Pallet::request_keygen) starts a DKG; each
//!   member [`report_keygen`](Pallet::report_keygen)s the public key and BIP32 chain code it
//!   got. When all `n` agree the key is `Active`; a strict majority against a minority names
//!   the minority; no strict majority names nobody; a deadline that passes names who did not
//!   report. The deadline grows with `n`. Keys can be retired.
//! - **Signatures** ([`signing`]): a pallet that owns a path namespace requests a signature
//!   through [`ThresholdSigner`], the privileged origin through
//!   [`request_signature`](Pallet::request_signature) — in its own namespace only. Each path's
//!   first index is its owner's namespace, and the owner of every path prefix is recorded on
//!   first use ([`PathOwners`]), so no requester can sign on another's path. The runtime
//!   derives the child key, hashes the payload, and queues the request in its key's FIFO; at
//!   most [`Config::MaxAssignedPerKey`] requests per key are being signed at once, so signers
//!   are only handed what they can finish before the deadline. An assigned request goes to `t`
//!   members chosen deterministically, avoiding members of its earlier expired attempts. Any
//!   committee member may [`submit_signature`](Pallet::submit_signature); it is accepted only
//!   if it is low-s and recovers (secp256k1 host function) to the derived key.
//! - **Deadlines** ([`agenda`]): what happens at a block (attempt and keygen expiry, pruning of
//!   ended requests) is kept in an agenda that never refuses an entry and is worked off with a
//!   per-block budget, carrying over what does not fit.
//! - **Pool validation** ([`CheckSignerSubmission`]): signers' reports and signatures are
//!   free, operational-class transactions that the transaction pool admits only from a
//!   committee member for a session that is open and, for signatures, only when the signature
//!   verifies.
//! - **Accountability** ([`faults`]): a member whose protocol run attributed a fault to
//!   another member of its attempt [`report_fault`](Pallet::report_fault)s it; the attempt
//!   ends at once and the request is re-assigned. Reports of `max(FaultQuorum, t)` distinct
//!   members within a window record the fault against the accused ([`SignerRecords`]), which
//!   leaves it out of new subsets for a while and, after enough faults, suggests its removal.
//!
//! Every request ends in exactly one terminal state, `Signed`, `Failed` or `Cancelled`, and
//! its owner is told ([`OnSignatureOutcome`]). The payer's deposit (base + per byte of payload)
//! is released then; the signing fee goes to the signers of a signed request and back to the
//! payer of a failed one. Ended requests stay readable for [`Config::RequestRetention`] blocks.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use waas_traits::{
	CommitteeInspect, KeyMembership, OnSignatureOutcome, SigningRequest, ThresholdSigner,
};
pub use weights::WeightInfo;

pub mod agenda;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod extension;
pub mod faults;
/// Storage invariants (`try_state`), public so that tests of dependent pallets and
/// try-runtime can check them.
mod invariants;
pub mod keygen;
#[cfg(test)]
mod mock;
pub mod registry;
pub mod signing;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use extension::CheckSignerSubmission;

use frame_support::{pallet_prelude::*, traits::fungible};
use waas_primitives::{ChainCode, CompressedPublicKey, HashScheme, Namespace};

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A key that starts Active in a test genesis: (compressed public key bytes, chain code).
pub type GenesisActiveKey = (alloc::vec::Vec<u8>, ChainCode);

/// The pallet's storage layout version.
const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::traits::fungible::MutateHold;
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Zero;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Currency for request deposits and signing fees.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Who admits signers, forms committees, starts key generation and retires keys.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// A privileged origin that may request signatures in the
		/// [`PRIVILEGED`](waas_primitives::namespace::PRIVILEGED) namespace (no deposit, no
		/// fee) — never in another requester's namespace.
		type PrivilegedOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Told when a request ends; routes the outcome to the request's owner.
		type OnSignatureOutcome: OnSignatureOutcome;
		/// Deposit held per request, plus [`Config::RequestDepositPerByte`] per payload byte.
		#[pallet::constant]
		type RequestDepositBase: Get<BalanceOf<Self>>;
		/// Deposit held per byte of a request's payload.
		#[pallet::constant]
		type RequestDepositPerByte: Get<BalanceOf<Self>>;
		/// Signing fee per signer of an attempt (a request pays `t` of them, times the
		/// congestion factor): what the committee's CPU time costs.
		#[pallet::constant]
		type SigningFeePerSigner: Get<BalanceOf<Self>>;
		/// Maximum committee size `n`.
		#[pallet::constant]
		type MaxCommitteeSize: Get<u32>;
		/// Maximum length of a signer's endpoint.
		#[pallet::constant]
		type MaxEndpointLen: Get<u32>;
		/// Maximum payload length in bytes.
		#[pallet::constant]
		type MaxPayloadLen: Get<u32>;
		/// Maximum derivation depth, namespace included.
		#[pallet::constant]
		type MaxPathDepth: Get<u32>;
		/// Blocks every keygen has to report, plus [`Config::KeygenTimeoutPerMember`] per
		/// member.
		#[pallet::constant]
		type KeygenTimeoutBase: Get<BlockNumberFor<Self>>;
		/// Blocks added to a keygen's deadline per committee member.
		#[pallet::constant]
		type KeygenTimeoutPerMember: Get<BlockNumberFor<Self>>;
		/// Blocks the assigned signers have for one signing attempt.
		#[pallet::constant]
		type SigningTimeout: Get<BlockNumberFor<Self>>;
		/// Attempts (the first included) before a request fails.
		#[pallet::constant]
		type MaxSigningAttempts: Get<u8>;
		/// Requests of one key being signed at the same time; the rest wait in its FIFO.
		#[pallet::constant]
		type MaxAssignedPerKey: Get<u32>;
		/// Requests of one key that may wait in its FIFO.
		#[pallet::constant]
		type MaxQueuedPerKey: Get<u32>;
		/// Agenda items processed per block; the rest carry over to the next block.
		#[pallet::constant]
		type MaxAgendaPerBlock: Get<u32>;
		/// Blocks an ended request stays readable before its record is removed.
		#[pallet::constant]
		type RequestRetention: Get<BlockNumberFor<Self>>;
		/// Distinct members that must report a signer before a fault is recorded; the
		/// committee's threshold `t` when larger (see [`Pallet::fault_quorum`]).
		#[pallet::constant]
		type FaultQuorum: Get<u32>;
		/// Blocks a fault report counts towards the quorum.
		#[pallet::constant]
		type FaultWindow: Get<BlockNumberFor<Self>>;
		/// Blocks a signer with a recorded fault is left out of new signing subsets.
		#[pallet::constant]
		type FaultExclusion: Get<BlockNumberFor<Self>>;
		/// Recorded faults at which the chain suggests a signer's removal (0: never).
		#[pallet::constant]
		type FaultsForRemoval: Get<u32>;
		/// Weights of calls and hooks.
		type WeightInfo: WeightInfo;
	}

	/// Reasons for which this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for a stored signature request, released when it ends.
		RequestDeposit,
		/// Signing fee of a request, paid out or released when it ends.
		SigningFee,
	}

	/// Registered signers.
	#[pallet::storage]
	pub type Signers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, SignerInfo<T>, OptionQuery>;

	/// The signer that registered each p2p identity key (keys are unique).
	#[pallet::storage]
	pub type P2pKeyOwners<T: Config> =
		StorageMap<_, Blake2_128Concat, P2pPublicKey, T::AccountId, OptionQuery>;

	/// Committees by id.
	#[pallet::storage]
	pub type Committees<T: Config> =
		StorageMap<_, Twox64Concat, CommitteeId, Committee<T>, OptionQuery>;

	/// The next committee id.
	#[pallet::storage]
	pub type NextCommitteeId<T> = StorageValue<_, CommitteeId, ValueQuery>;

	/// Committee keys by id.
	#[pallet::storage]
	pub type Keys<T: Config> = StorageMap<_, Twox64Concat, KeyId, KeyInfo<T>, OptionQuery>;

	/// The next key id.
	#[pallet::storage]
	pub type NextKeyId<T> = StorageValue<_, KeyId, ValueQuery>;

	/// Reports of a keygen under way: (public key, chain code) by member.
	#[pallet::storage]
	pub type KeygenReports<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		KeyId,
		Blake2_128Concat,
		T::AccountId,
		(CompressedPublicKey, ChainCode),
		OptionQuery,
	>;

	/// The owner of every path prefix that was ever claimed or signed on: `(namespace, id)`.
	/// Permanent, so an address's path can never change hands.
	#[pallet::storage]
	pub type PathOwners<T: Config> =
		StorageMap<_, Blake2_128Concat, PathOf<T>, (Namespace, sp_core::H256), OptionQuery>;

	/// Signature requests by id, until [`Config::RequestRetention`] blocks after they end.
	#[pallet::storage]
	pub type SignatureRequests<T: Config> =
		StorageMap<_, Twox64Concat, RequestId, SignatureRequest<T>, OptionQuery>;

	/// The next request id.
	#[pallet::storage]
	pub type NextRequestId<T> = StorageValue<_, RequestId, ValueQuery>;

	/// Each key's waiting requests, oldest first.
	#[pallet::storage]
	pub type Queue<T: Config> =
		StorageMap<_, Twox64Concat, KeyId, BoundedVec<RequestId, T::MaxQueuedPerKey>, ValueQuery>;

	/// Each key's requests being signed now.
	#[pallet::storage]
	pub type Assigned<T: Config> =
		StorageMap<_, Twox64Concat, KeyId, BoundedVec<RequestId, T::MaxAssignedPerKey>, ValueQuery>;

	/// What happens at each block. Never full: entries that do not fit a block's budget are
	/// processed in the next blocks.
	#[pallet::storage]
	pub type Agenda<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Twox64Concat,
		AgendaItem,
		(),
		OptionQuery,
	>;

	/// Open fault reports by committee and accused member: at most one per reporting member,
	/// removed when the fault is recorded, ignored once older than [`Config::FaultWindow`].
	#[pallet::storage]
	pub type FaultReports<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CommitteeId,
		Twox64Concat,
		MemberIndex,
		BoundedVec<FaultReport<T>, T::MaxCommitteeSize>,
		ValueQuery,
	>;

	/// Members left out of a committee's new signing subsets, with the last block of their
	/// exclusion (at most one entry per member; expired entries are dropped on the next write).
	#[pallet::storage]
	pub type Exclusions<T: Config> = StorageMap<
		_,
		Twox64Concat,
		CommitteeId,
		BoundedVec<(MemberIndex, BlockNumberFor<T>), T::MaxCommitteeSize>,
		ValueQuery,
	>;

	/// Accountability record of each registered signer: accusations, recorded faults,
	/// exclusion. Absent: a clean record.
	#[pallet::storage]
	pub type SignerRecords<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, SignerRecord<T>, ValueQuery>;

	/// The oldest block whose agenda may still hold entries.
	#[pallet::storage]
	pub type AgendaCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A signer was admitted.
		SignerRegistered { signer: T::AccountId, p2p_key: P2pPublicKey, endpoint: Endpoint<T> },
		/// A signer's p2p key or endpoint changed.
		SignerUpdated { signer: T::AccountId, p2p_key: P2pPublicKey, endpoint: Endpoint<T> },
		/// A signer was removed.
		SignerDeregistered { signer: T::AccountId },
		/// A committee was formed; `members[i]` is party `i`.
		CommitteeCreated { committee: CommitteeId, members: Members<T>, threshold: u16 },
		/// A committee without live keys was dissolved.
		CommitteeDissolved { committee: CommitteeId },
		/// Members of `committee` must run a DKG for `key` and report by `deadline`
		/// (inclusive), reusing the aux info of key `aux_source` if there is one.
		KeygenRequested {
			key: KeyId,
			committee: CommitteeId,
			threshold: u16,
			members: Members<T>,
			deadline: BlockNumberFor<T>,
			aux_source: Option<KeyId>,
		},
		/// A member reported its keygen result.
		KeygenReported {
			key: KeyId,
			member: T::AccountId,
			public_key: CompressedPublicKey,
			chain_code: ChainCode,
		},
		/// All members agreed: the key is usable.
		KeyActivated { key: KeyId, public_key: CompressedPublicKey, chain_code: ChainCode },
		/// The keygen failed; `offenders` disagreed with the majority or did not report.
		KeygenFailed { key: KeyId, reason: KeygenFailure, offenders: Members<T> },
		/// The key was retired; `failed_requests` of its requests failed with it.
		KeyRetired { key: KeyId, failed_requests: u32 },
		/// A signature was requested for `owner`; `payer` holds `deposit` and `fee`.
		SignatureRequested {
			request: RequestId,
			key: KeyId,
			owner: RequestOwner,
			payer: Option<T::AccountId>,
			deposit: BalanceOf<T>,
			fee: BalanceOf<T>,
		},
		/// The request waits in its key's FIFO behind `position` others.
		SignatureQueued { request: RequestId, position: u32 },
		/// `signers` (member indices `signer_indices`) must sign `request` in `attempt`, by
		/// `deadline` (inclusive).
		AttemptAssigned {
			request: RequestId,
			key: KeyId,
			attempt: u8,
			signers: Members<T>,
			signer_indices: MemberIndices<T>,
			deadline: BlockNumberFor<T>,
		},
		/// An attempt passed its deadline without a valid signature.
		AttemptExpired { request: RequestId, attempt: u8, signers: MemberIndices<T> },
		/// A valid signature was accepted: the request is `Signed`.
		RequestSigned {
			request: RequestId,
			signature: EcdsaSignature,
			recovery_id: u8,
			submitted_by: T::AccountId,
		},
		/// The request is `Failed`.
		RequestFailed { request: RequestId, reason: SigningFailure },
		/// The request is `Cancelled`.
		RequestCancelled { request: RequestId },
		/// `reporter` saw `accused` break the protocol in `attempt` of `request`: the attempt
		/// ended and the request was re-assigned (or failed).
		FaultReported {
			request: RequestId,
			attempt: u8,
			reporter: T::AccountId,
			accused: T::AccountId,
			reason: FaultReason,
		},
		/// Enough members (`reporters`, member indices) reported `signer` of `committee`: the
		/// fault is recorded (`faults` so far) and the signer is left out of new subsets up to
		/// and including `excluded_until`.
		SignerFaulted {
			signer: T::AccountId,
			committee: CommitteeId,
			reason: FaultReason,
			reporters: MemberIndices<T>,
			faults: u32,
			excluded_until: BlockNumberFor<T>,
		},
		/// `signer` reached [`Config::FaultsForRemoval`] recorded faults: governance should
		/// consider taking it out of its committees.
		SignerRemovalSuggested { signer: T::AccountId, faults: u32 },
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a registered signer.
		SignerAlreadyRegistered,
		/// The account is not a registered signer.
		UnknownSigner,
		/// The signer still belongs to a committee.
		SignerInCommittee,
		/// The endpoint is empty or not UTF-8.
		InvalidEndpoint,
		/// The p2p identity key is all zeros.
		InvalidP2pKey,
		/// Another signer registered this p2p identity key.
		P2pKeyInUse,
		/// A committee lists the same signer twice.
		DuplicateMember,
		/// The threshold must satisfy 2 ≤ t ≤ n.
		InvalidThreshold,
		/// No committee with this id.
		UnknownCommittee,
		/// The committee still has a Generating or Active key: retire it first.
		CommitteeHasLiveKeys,
		/// No key with this id.
		UnknownKey,
		/// The key is not waiting for keygen reports.
		KeyNotGenerating,
		/// The keygen's reporting window has closed.
		ReportingClosed,
		/// The key is not Active.
		KeyNotActive,
		/// The key is already retired, or failed.
		KeyNotLive,
		/// The caller is not a member of the key's committee.
		NotCommitteeMember,
		/// This member already reported for this key.
		AlreadyReported,
		/// The reported public key is not a valid compressed secp256k1 point.
		InvalidPublicKey,
		/// The derivation path is longer than allowed.
		PathTooDeep,
		/// The derivation path does not start with the requester's namespace.
		PathNotInNamespace,
		/// The path's prefix belongs to another owner.
		PathOwnedByAnother,
		/// The derivation path has a hardened index (≥ 2^31).
		HardenedIndex,
		/// BIP32 derivation produced an invalid child (probability ~2^-127; try another path).
		DerivationFailed,
		/// The payload is empty.
		EmptyPayload,
		/// The payload is longer than allowed.
		PayloadTooLarge,
		/// The key's FIFO is full; try again later.
		QueueFull,
		/// No request with this id.
		UnknownRequest,
		/// The request has already ended.
		RequestNotPending,
		/// The request is still queued: no signer has been asked yet.
		RequestNotAssigned,
		/// The request belongs to another owner.
		NotRequestOwner,
		/// The signature is not canonical (r or s out of range, or high s).
		NonCanonicalSignature,
		/// The recovery id must be 0..=3.
		InvalidRecoveryId,
		/// The signature does not verify against the derived public key.
		InvalidSignature,
		/// An id counter overflowed.
		IdOverflow,
		/// The report names an attempt that is no longer the request's current one.
		StaleAttempt,
		/// The reporter does not sign the request's current attempt.
		NotAttemptSigner,
		/// The accused does not sign the request's current attempt.
		AccusedNotInAttempt,
		/// A member cannot report itself.
		SelfAccusation,
	}

	/// Signers, committees and keys a chain starts with, so a testnet needs no sudo calls.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Signers: (account, p2p identity key, endpoint).
		pub signers: alloc::vec::Vec<(T::AccountId, P2pPublicKey, alloc::vec::Vec<u8>)>,
		/// Committees, ids from 0: (members in party order, threshold).
		pub committees: alloc::vec::Vec<(alloc::vec::Vec<T::AccountId>, u16)>,
		/// Keys, ids from 0: (committee, `None` to request a DKG in the first block, or
		/// `Some((compressed public key, chain code))` to start Active — tests only: no
		/// committee holds shares of such a key).
		pub keys: alloc::vec::Vec<(CommitteeId, Option<GenesisActiveKey>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::build_genesis(self);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::KeygenTimeoutBase::get().is_zero(), "KeygenTimeoutBase must be > 0");
			assert!(!T::SigningTimeout::get().is_zero(), "SigningTimeout must be > 0");
			assert!(T::MaxSigningAttempts::get() > 0, "MaxSigningAttempts must be > 0");
			assert!(T::MaxAgendaPerBlock::get() > 0, "MaxAgendaPerBlock must be > 0");
			assert!(T::MaxAssignedPerKey::get() > 0, "MaxAssignedPerKey must be > 0");
			assert!(
				(2..=u16::MAX as u32).contains(&T::MaxCommitteeSize::get()),
				"MaxCommitteeSize must be in 2..=65535"
			);
			assert!(
				(1..=waas_primitives::MAX_DERIVATION_DEPTH).contains(&T::MaxPathDepth::get()),
				"MaxPathDepth must be in 1..=MAX_DERIVATION_DEPTH"
			);
		}

		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::process_agenda(now)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Admit `signer` with its p2p identity key (unique among signers) and endpoint. The
		/// signer's account is kept alive by the pallet: it needs no balance to submit.
		///
		/// The dispatch origin must be [`Config::AdminOrigin`].
		///
		/// Emits [`Event::SignerRegistered`]. Errors: `SignerAlreadyRegistered`,
		/// `InvalidP2pKey`, `P2pKeyInUse`, `InvalidEndpoint`.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_signer())]
		pub fn register_signer(
			origin: OriginFor<T>,
			signer: T::AccountId,
			p2p_key: P2pPublicKey,
			endpoint: Endpoint<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_register_signer(signer, p2p_key, endpoint)
		}

		/// Change a signer's p2p identity key and/or endpoint.
		///
		/// The dispatch origin must be [`Config::AdminOrigin`] or the signer itself.
		///
		/// Emits [`Event::SignerUpdated`]. Errors: `UnknownSigner`, `InvalidP2pKey`,
		/// `P2pKeyInUse`, `InvalidEndpoint`.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_signer())]
		pub fn update_signer(
			origin: OriginFor<T>,
			signer: T::AccountId,
			p2p_key: Option<P2pPublicKey>,
			endpoint: Option<Endpoint<T>>,
		) -> DispatchResult {
			if T::AdminOrigin::try_origin(origin.clone()).is_err() {
				let who = ensure_signed(origin)?;
				ensure!(who == signer, DispatchError::BadOrigin);
			}
			Self::do_update_signer(signer, p2p_key, endpoint)
		}

		/// Remove a signer that belongs to no committee.
		///
		/// The dispatch origin must be [`Config::AdminOrigin`].
		///
		/// Emits [`Event::SignerDeregistered`]. Errors: `UnknownSigner`, `SignerInCommittee`.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::deregister_signer())]
		pub fn deregister_signer(origin: OriginFor<T>, signer: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_deregister_signer(signer)
		}

		/// Form a committee of registered signers; `members[i]` becomes keygen party `i`.
		///
		/// The dispatch origin must be [`Config::AdminOrigin`].
		///
		/// Emits [`Event::CommitteeCreated`]. Errors: `InvalidThreshold`, `DuplicateMember`,
		/// `UnknownSigner`, `IdOverflow`.
		///
		/// ## Complexity
		/// O(n²) comparisons for n members (n ≤ `MaxCommitteeSize`), n signer writes.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::create_committee(members.len() as u32))]
		pub fn create_committee(
			origin: OriginFor<T>,
			members: Members<T>,
			threshold: u16,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_create_committee(members, threshold).map(|_| ())
		}

		/// Dissolve a committee whose keys are all retired or failed; its members can then be
		/// deregistered.
		///
		/// The dispatch origin must be [`Config::AdminOrigin`].
		///
		/// Emits [`Event::CommitteeDissolved`]. Errors: `UnknownCommittee`,
		/// `CommitteeHasLiveKeys`.
		///
		/// ## Complexity
		/// O(n) for n members.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::dissolve_committee(T::MaxCommitteeSize::get()))]
		pub fn dissolve_committee(
			origin: OriginFor<T>,
			committee: CommitteeId,
		) -> DispatchResultWithPostInfo {
			T::AdminOrigin::ensure_origin(origin)?;
			let n = Self::do_dissolve_committee(committee)?;
			Ok(Some(T::WeightInfo::dissolve_committee(n)).into())
		}

		/// Start a DKG in `committee`. Members report until the deadline, which grows with the
		/// committee size; the keygen reuses the committee's aux info if it has some.
		///
		/// The dispatch origin must be [`Config::AdminOrigin`].
		///
		/// Emits [`Event::KeygenRequested`]. Errors: `UnknownCommittee`, `IdOverflow`.
		///
		/// ## Complexity
		/// O(1) plus the event's n members.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::request_keygen(T::MaxCommitteeSize::get()))]
		pub fn request_keygen(origin: OriginFor<T>, committee: CommitteeId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_request_keygen(committee).map(|_| ())
		}

		/// Report the public key and chain code this member got from the DKG of `key`. The
		/// last report decides the keygen. Free, operational; the pool admits it only from a
		/// member that has not reported, while the window is open.
		///
		/// The dispatch origin must be signed by a member of the key's committee.
		///
		/// Emits [`Event::KeygenReported`], and on the last report [`Event::KeyActivated`] or
		/// [`Event::KeygenFailed`]. Errors: `UnknownKey`, `KeyNotGenerating`,
		/// `ReportingClosed`, `UnknownCommittee`, `NotCommitteeMember`, `AlreadyReported`,
		/// `InvalidPublicKey`.
		///
		/// ## Complexity
		/// O(n²) comparisons and n report reads on the last report.
		#[pallet::call_index(6)]
		#[pallet::weight((
			T::WeightInfo::report_keygen(T::MaxCommitteeSize::get()),
			DispatchClass::Operational,
			Pays::No
		))]
		pub fn report_keygen(
			origin: OriginFor<T>,
			key: KeyId,
			public_key: CompressedPublicKey,
			chain_code: ChainCode,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let n = Self::do_report_keygen(who, key, public_key, chain_code)?;
			Ok(Some(T::WeightInfo::report_keygen(n)).into())
		}

		/// Retire a Generating or Active key: it never signs again, and its queued and assigned
		/// requests fail with `KeyRetired` (their deposits and fees go back to the payers).
		///
		/// The dispatch origin must be [`Config::AdminOrigin`].
		///
		/// Emits [`Event::KeyRetired`] and a [`Event::RequestFailed`] per request. Errors:
		/// `UnknownKey`, `KeyNotLive`.
		///
		/// ## Complexity
		/// O(q) for the key's q queued and assigned requests.
		#[pallet::call_index(7)]
		#[pallet::weight(Pallet::<T>::retire_key_weight(
			T::MaxQueuedPerKey::get().saturating_add(T::MaxAssignedPerKey::get())
		))]
		pub fn retire_key(origin: OriginFor<T>, key: KeyId) -> DispatchResultWithPostInfo {
			T::AdminOrigin::ensure_origin(origin)?;
			let failed = Self::do_retire_key(key)?;
			Ok(Some(Self::retire_key_weight(failed)).into())
		}

		/// Request a signature on a path of the privileged namespace (`path[0]` must be
		/// [`PRIVILEGED`](waas_primitives::namespace::PRIVILEGED)); no deposit, no fee.
		/// Accounts request through the pallet that owns their path (e.g. ephemeral
		/// addresses).
		///
		/// The dispatch origin must be [`Config::PrivilegedOrigin`].
		///
		/// Emits [`Event::SignatureRequested`], then [`Event::AttemptAssigned`] or
		/// [`Event::SignatureQueued`]. Errors: `EmptyPayload`, `PayloadTooLarge`,
		/// `PathTooDeep`, `PathNotInNamespace`, `HardenedIndex`, `PathOwnedByAnother`,
		/// `UnknownKey`, `KeyNotActive`, `DerivationFailed`, `QueueFull`, `IdOverflow`.
		///
		/// ## Complexity
		/// O(d) secp256k1 derivation steps for a path of depth d, O(p) hashing of p bytes.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::request_signature(path.len() as u32, payload.len() as u32))]
		pub fn request_signature(
			origin: OriginFor<T>,
			key: KeyId,
			path: PathOf<T>,
			payload: BoundedVec<u8, T::MaxPayloadLen>,
			scheme: HashScheme,
		) -> DispatchResult {
			T::PrivilegedOrigin::ensure_origin(origin)?;
			Self::do_request_signature(
				RequestOwner::privileged(),
				None,
				key,
				&path,
				&payload,
				scheme,
			)
			.map(|_| ())
		}

		/// Submit a signature for an assigned request. Accepted from any member of the key's
		/// committee — also a late one from an earlier attempt's signers — if canonical and if
		/// it recovers to the derived public key. Free, operational; the pool admits only
		/// submissions that would be accepted.
		///
		/// The dispatch origin must be signed by a member of the key's committee.
		///
		/// Emits [`Event::RequestSigned`], and [`Event::AttemptAssigned`] for the next queued
		/// request. Errors: `UnknownRequest`, `RequestNotPending`, `RequestNotAssigned`,
		/// `UnknownKey`, `UnknownCommittee`, `NotCommitteeMember`, `InvalidRecoveryId`,
		/// `NonCanonicalSignature`, `InvalidSignature`.
		///
		/// ## Complexity
		/// O(1): one secp256k1 recovery, t fee transfers, one promotion from the queue.
		#[pallet::call_index(9)]
		#[pallet::weight((
			T::WeightInfo::submit_signature()
				.saturating_add(T::OnSignatureOutcome::on_outcome_weight()),
			DispatchClass::Operational,
			Pays::No
		))]
		pub fn submit_signature(
			origin: OriginFor<T>,
			request: RequestId,
			signature: EcdsaSignature,
			recovery_id: u8,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_submit_signature(who, request, signature, recovery_id)
		}

		/// Cancel a request of the privileged origin that has not ended.
		///
		/// The dispatch origin must be [`Config::PrivilegedOrigin`].
		///
		/// Emits [`Event::RequestCancelled`]. Errors: `UnknownRequest`, `NotRequestOwner`,
		/// `RequestNotPending`.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::cancel_request()
			.saturating_add(T::OnSignatureOutcome::on_outcome_weight()))]
		pub fn cancel_request(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			T::PrivilegedOrigin::ensure_origin(origin)?;
			Self::do_cancel(&RequestOwner::privileged(), request)
		}

		/// Report that member `accused` broke the protocol in the current attempt `attempt` of
		/// `request`, which both the caller and the accused sign. The attempt ends at once and
		/// the request goes to another subset (or fails when its attempts are used up); the
		/// fault is recorded against the accused once [`Pallet::fault_quorum`] distinct members
		/// reported it within [`Config::FaultWindow`]. Free, operational; the pool admits one
		/// report per attempt, and only a valid one.
		///
		/// The dispatch origin must be signed by a signer of the attempt.
		///
		/// Emits [`Event::FaultReported`], then [`Event::AttemptAssigned`] or
		/// [`Event::RequestFailed`], and on the quorum [`Event::SignerFaulted`] (and
		/// [`Event::SignerRemovalSuggested`]). Errors: `UnknownRequest`, `RequestNotAssigned`,
		/// `RequestNotPending`, `StaleAttempt`, `UnknownKey`, `UnknownCommittee`,
		/// `NotCommitteeMember`, `NotAttemptSigner`, `SelfAccusation`, `AccusedNotInAttempt`.
		///
		/// ## Complexity
		/// O(n) for n members: the reports against the accused, the members' records when the
		/// request is re-assigned.
		#[pallet::call_index(11)]
		#[pallet::weight((
			T::WeightInfo::report_fault()
				.saturating_add(T::OnSignatureOutcome::on_outcome_weight()),
			DispatchClass::Operational,
			Pays::No
		))]
		pub fn report_fault(
			origin: OriginFor<T>,
			request: RequestId,
			attempt: u8,
			accused: MemberIndex,
			reason: FaultReason,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_report_fault(who, request, attempt, accused, reason)
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Weight of retiring a key with `q` requests, each owner's callback included.
	fn retire_key_weight(q: u32) -> Weight {
		T::WeightInfo::retire_key(q)
			.saturating_add(T::OnSignatureOutcome::on_outcome_weight().saturating_mul(q.into()))
	}
}

impl<T: Config> ThresholdSigner<T::AccountId> for Pallet<T> {
	fn active_key(key: KeyId) -> Result<(CompressedPublicKey, ChainCode), DispatchError> {
		Self::active_key(key)
	}

	fn claim_path(
		owner: &RequestOwner,
		key: KeyId,
		path: &[u32],
	) -> Result<CompressedPublicKey, DispatchError> {
		frame_support::storage::with_storage_layer(|| {
			Self::check_and_claim_path(owner, path)?;
			let (public_key, chain_code) = Self::active_key(key)?;
			Self::derive(&public_key, &chain_code, path)
		})
	}

	fn request_signature(
		request: SigningRequest<'_, T::AccountId>,
	) -> Result<RequestId, DispatchError> {
		// All or nothing, also when the caller is not itself transactional.
		frame_support::storage::with_storage_layer(|| {
			Self::do_request_signature(
				request.owner,
				Some(request.payer),
				request.key,
				request.path,
				request.payload,
				request.scheme,
			)
		})
	}

	fn cancel(owner: &RequestOwner, request: RequestId) -> DispatchResult {
		frame_support::storage::with_storage_layer(|| Self::do_cancel(owner, request))
	}

	fn signature(request: RequestId) -> Option<[u8; 65]> {
		match SignatureRequests::<T>::get(request)?.status {
			RequestStatus::Signed { signature, recovery_id, .. } => {
				let mut rsv = [0u8; 65];
				rsv[..64].copy_from_slice(&signature);
				rsv[64] = recovery_id;
				Some(rsv)
			},
			_ => None,
		}
	}

	fn max_payload_len() -> u32 {
		T::MaxPayloadLen::get()
	}

	fn cancel_weight() -> Weight {
		T::WeightInfo::cancel_request().saturating_add(T::OnSignatureOutcome::on_outcome_weight())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_active_key() -> KeyId {
		benchmarking::active_test_key::<T>(T::MaxCommitteeSize::get(), 2)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_signed_request(request: SigningRequest<'_, T::AccountId>) -> RequestId {
		benchmarking::signed_request::<T>(request)
	}
}

impl<T: Config> CommitteeInspect<T::AccountId> for Pallet<T> {
	fn membership(key: KeyId, who: &T::AccountId) -> Option<KeyMembership> {
		let committee = Committees::<T>::get(Keys::<T>::get(key)?.committee)?;
		let member = committee.members.iter().position(|m| m == who)?;
		Some(KeyMembership {
			member: member as u16,
			threshold: committee.threshold,
			size: committee.members.len() as u16,
		})
	}

	fn member(key: KeyId, member: u16) -> Option<T::AccountId> {
		let committee = Committees::<T>::get(Keys::<T>::get(key)?.committee)?;
		committee.members.get(usize::from(member)).cloned()
	}
}
