//! # Audit-anchors pallet
//!
//! Tamper-evident logs: an owner keeps an append-only log off-chain (a signer's session log, a
//! service's record of who signed what) and anchors its **tree heads** here — the RFC 6962
//! Merkle tree hash of the log's first `tree_size` entries. Each anchor after the first carries
//! an RFC 6962 **consistency proof** from the log's previous head, which the runtime verifies
//! ([`waas_primitives::merkle_log::verify_consistency`]): an owner can extend its log but never
//! rewrite what it anchored. Anyone can then prove an entry against an anchored head with an
//! inclusion proof ([`Pallet::verify_inclusion`], the runtime API and `waas_verifyInclusion`).
//!
//! - [`register_log`](Pallet::register_log): an account (e.g. a signer node) or a Meta-Account
//!   (through its authenticators) registers a log with a format tag and a deposit
//!   ([`Config::LogDeposit`]), at most [`Config::MaxLogsPerOwner`] per owner. Pallets register
//!   theirs through [`waas_traits::AuditLogs`], owned by their path namespace.
//! - [`anchor`](Pallet::anchor): the owner records a larger tree head; the head is timestamped
//!   by the block and chained to the previous one ([`Pallet::head_hash`]), so the sequence of
//!   heads itself cannot be reordered or edited either.
//!
//! The pallet also keeps each Meta-Account's **activity log** ([`activity`]): the chain's own
//! record of its security events, an RFC 6962 tree whose root is in the chain's state and
//! whose entries the nodes index, so a wallet can show a verifiable history.
//!
//! Storage is bounded: a log keeps its latest [`Config::MaxHeadsPerLog`] heads on-chain (older
//! ones are pruned; the chain of hashes still commits to them, and every entry they covered is
//! also covered by the later heads), which the log's deposit pays for. Logs are permanent: an
//! audit record that its owner could delete would not be one.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use evm_sink::{AnchorSink, EvmAnchorSink};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

pub mod activity;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod evm_sink;
#[cfg(test)]
mod evm_sink_tests;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::fungible};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;
use waas_primitives::{
	evm_tx::GasBudget,
	merkle_log::{self, ProofError},
};
use waas_traits::{CommitteeInspect, KeyId, RequestId, ThresholdSigner};

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// A log record of the runtime.
pub type LogInfoOf<T> =
	LogInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A tree head of the runtime.
pub type TreeHeadOf<T> = TreeHead<BlockNumberFor<T>>;
/// A log owner of the runtime.
pub type LogOwnerOf<T> = LogOwner<<T as frame_system::Config>::AccountId>;
/// A Meta-Account's activity-log state in the runtime.
pub type ActivityLogOf<T> =
	ActivityLog<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A publication of the anchors tree on the EVM sink, in the runtime.
pub type PublicationOf<T> = Publication<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
/// An activity entry of the runtime.
pub type ActivityEntryOf<T> =
	ActivityEntry<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// The domain of [`Pallet::head_hash`]'s preimage.
pub const HEAD_HASH_DOMAIN: &[u8] = b"waas/audit-anchor/v1";

/// The pallet's storage layout version.
const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::traits::{fungible::MutateHold, UnixTime};
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Currency for log deposits.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Origin of a Meta-Account: yields its id and the account that pays for it.
		type MetaAccountOrigin: EnsureOrigin<
			Self::RuntimeOrigin,
			Success = (MetaAccountId, Self::AccountId),
		>;
		/// The chain's clock (tree heads are timestamped with it).
		type Time: UnixTime;
		/// Deposit per log: pays for the record and the tree heads kept on-chain.
		#[pallet::constant]
		type LogDeposit: Get<BalanceOf<Self>>;
		/// Most logs one owner may register.
		#[pallet::constant]
		type MaxLogsPerOwner: Get<u32>;
		/// Tree heads kept on-chain per log (the latest ones).
		#[pallet::constant]
		type MaxHeadsPerLog: Get<u32>;
		/// Deposit per Meta-Account activity log: pays for its on-chain state.
		#[pallet::constant]
		type ActivityDeposit: Get<BalanceOf<Self>>;
		/// Who configures the EVM sink (governance; sudo on a dev chain).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The committee's signature service (the EVM sink's transactions).
		type ThresholdSigner: ThresholdSigner<Self::AccountId>;
		/// Who sits in the committees (who may propose an EVM anchor).
		type Committees: CommitteeInspect<Self::AccountId>;
		/// Where anchors are pinned besides this pallet's own record: [`EvmAnchorSink`], or
		/// `()` for nowhere else.
		type AnchorSink: AnchorSink<BlockNumberFor<Self>>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Reasons for which this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for a log and its tree heads.
		Log,
		/// Deposit for a Meta-Account's activity-log state.
		Activity,
	}

	/// Registered logs.
	#[pallet::storage]
	pub type Logs<T: Config> = StorageMap<_, Twox64Concat, LogId, LogInfoOf<T>, OptionQuery>;

	/// The latest [`Config::MaxHeadsPerLog`] tree heads of each log, by anchor number.
	#[pallet::storage]
	pub type Heads<T: Config> =
		StorageDoubleMap<_, Twox64Concat, LogId, Twox64Concat, u64, TreeHeadOf<T>, OptionQuery>;

	/// The id of the next log.
	#[pallet::storage]
	pub type NextLogId<T> = StorageValue<_, LogId, ValueQuery>;

	/// The logs of each owner.
	#[pallet::storage]
	pub type LogsOf<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, LogOwnerOf<T>, Twox64Concat, LogId, (), OptionQuery>;

	/// How many logs each owner has.
	#[pallet::storage]
	pub type LogCount<T: Config> = StorageMap<_, Blake2_128Concat, LogOwnerOf<T>, u32, ValueQuery>;

	/// The activity log of each open Meta-Account (its entries are in the offchain index).
	#[pallet::storage]
	pub type ActivityLogs<T: Config> =
		StorageMap<_, Blake2_128Concat, MetaAccountId, ActivityLogOf<T>, OptionQuery>;

	/// The anchors tree: every tree head anchored on this chain (see [`evm_sink`]); absent
	/// before the first anchor.
	#[pallet::storage]
	pub type AnchorsTreeState<T> = StorageValue<_, AnchorsTree, OptionQuery>;

	/// The EVM chain the anchors tree is published on, if any.
	#[pallet::storage]
	pub type EvmSinkConfig<T: Config> = StorageValue<_, EvmSink<BlockNumberFor<T>>, OptionQuery>;

	/// The latest [`evm_sink::PUBLICATIONS_KEPT`] publications, by number.
	#[pallet::storage]
	pub type Publications<T: Config> =
		StorageMap<_, Twox64Concat, u64, PublicationOf<T>, OptionQuery>;

	/// Publications so far (the next one's number).
	#[pallet::storage]
	pub type PublicationCount<T> = StorageValue<_, u64, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A log was registered.
		LogRegistered { log: LogId, owner: LogOwnerOf<T>, format: Format },
		/// A tree head of `log` was anchored: its `seq`-th, covering `tree_size` entries.
		Anchored { log: LogId, seq: u64, tree_size: u64, root: NodeHash, chain_hash: [u8; 32] },
		/// `entry` was appended to the activity log of `meta_account`, whose tree then has
		/// `entry.index + 1` entries and the root `root`; `leaf` is the entry's leaf hash.
		ActivityRecorded {
			meta_account: MetaAccountId,
			entry: ActivityEntryOf<T>,
			leaf: NodeHash,
			root: NodeHash,
		},
		/// The activity log of `meta_account` ended (the Meta-Account closed) with `tree_size`
		/// entries and the root `root`; its state and deposit are gone.
		ActivityLogClosed { meta_account: MetaAccountId, tree_size: u64, root: NodeHash },
		/// The anchors tree will be published on EVM chain `chain_id` from `address` (derived
		/// from `key`), every `every` blocks in which it grew.
		EvmSinkSet { chain_id: u64, key: KeyId, address: [u8; 20], every: BlockNumberFor<T> },
		/// The anchors tree is no longer published on an EVM chain.
		EvmSinkCleared,
		/// Publication `publication` of the anchors tree (`tree_size` leaves, root `root`)
		/// waits for a member to propose its transaction.
		EvmAnchorDue { publication: u64, tree_size: u64, root: NodeHash },
		/// `proposer`'s transaction for `publication` (nonce `nonce`) passed the runtime's
		/// checks; the committee is asked to sign `signing_hash` in `request`.
		EvmAnchorRequested {
			publication: u64,
			request: RequestId,
			signing_hash: [u8; 32],
			nonce: u64,
			proposer: T::AccountId,
		},
		/// The transaction of `publication` is signed; the EVM chain knows it as `tx_hash`.
		EvmAnchorSigned { publication: u64, request: RequestId, tx_hash: [u8; 32] },
		/// The signature request of `publication` failed (`attempts` so far); unless
		/// abandoned, it is due again.
		EvmAnchorFailed { publication: u64, request: RequestId, attempts: u8 },
		/// `publication` was given up (superseded, sink changed, or attempts exhausted).
		EvmAnchorAbandoned { publication: u64 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such log.
		UnknownLog,
		/// Only the log's owner anchors it.
		NotLogOwner,
		/// The owner has [`Config::MaxLogsPerOwner`] logs already.
		TooManyLogs,
		/// The format tag is empty or not printable ASCII.
		InvalidFormat,
		/// A tree head covers at least one entry.
		EmptyTree,
		/// The tree head is not larger than the log's latest: a log only grows.
		NotExtended,
		/// The consistency proof has more or fewer nodes than one between these sizes has
		/// (a log's first anchor has none).
		ProofLength,
		/// The consistency proof does not show the new head extends the previous one: the
		/// log's anchored history would be rewritten.
		InconsistentHistory,
		/// The Meta-Account already has an activity log.
		ActivityLogExists,
		/// The activity log has 2^64 − 1 entries.
		ActivityLogFull,
		/// The anchors tree has 2^64 − 1 leaves.
		AnchorsTreeFull,
		/// EVM sink parameters out of range: chain id 1 to 2^62 − 1, a period of at least one
		/// block, a gas limit from what the calldata needs (24,200) to 1,000,000 and a
		/// non-zero maximum fee.
		InvalidSinkParams,
		/// No EVM sink is configured.
		NoEvmSink,
		/// No such publication (never made, or pruned).
		UnknownPublication,
		/// The publication is not waiting for a proposal (requested, signed or abandoned).
		PublicationNotDue,
		/// Only a member of the sink key's committee proposes its transactions.
		NotCommitteeMember,
		/// The proposed transaction is not a canonical unsigned EIP-1559 transaction.
		TxUndecodable,
		/// The proposed transaction is for another chain.
		TxWrongChain,
		/// The proposed transaction does not call the sink's own address.
		TxWrongDestination,
		/// The proposed transaction sends value.
		TxWrongValue,
		/// The proposed transaction's calldata is not exactly the publication's.
		TxWrongCalldata,
		/// The proposed transaction buys more gas, or pays more per gas, than the sink allows.
		TxGasTooHigh,
		/// The proposed transaction has an access list.
		TxAccessList,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Makes an EVM publication due when the sink's period comes ([`evm_sink`]).
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::publication_tick(now)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::check_invariants()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a log whose entries are `format` (a printable ASCII tag such as
		/// `waas/signer-sessions/v1`), owned by the signed account (`OwnerKind::Account`) or by
		/// the Meta-Account the caller acts for (`OwnerKind::MetaAccount`, Signer role or
		/// above). Holds [`Config::LogDeposit`] from the caller (for a Meta-Account, from the
		/// account that pays for it); logs are permanent.
		///
		/// Emits [`Event::LogRegistered`]. Errors: `InvalidFormat`, `TooManyLogs`, and the
		/// currency's if the deposit cannot be held.
		///
		/// ## Complexity
		/// O(f) for a format tag of f ≤ 64 bytes.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_log())]
		pub fn register_log(
			origin: OriginFor<T>,
			owner: OwnerKind,
			format: Format,
		) -> DispatchResult {
			let (owner, payer) = match owner {
				OwnerKind::Account => {
					let who = ensure_signed(origin)?;
					(LogOwner::Account(who.clone()), who)
				},
				OwnerKind::MetaAccount => {
					let (meta, payer) = T::MetaAccountOrigin::ensure_origin(origin)?;
					(LogOwner::MetaAccount(meta), payer)
				},
			};
			let deposit = T::LogDeposit::get();
			T::Currency::hold(&HoldReason::Log.into(), &payer, deposit)?;
			Self::insert_log(owner, Some(payer), deposit, format)?;
			Ok(())
		}

		/// Anchor the tree head (`tree_size`, `root`) of `log`: the RFC 6962 tree hash of the
		/// log's first `tree_size` entries. After the first anchor `proof` must be the RFC 6962
		/// consistency proof from the log's latest head, which the runtime verifies; the first
		/// anchor has an empty proof. Only the log's owner anchors it (for a Meta-Account's
		/// log, one of its authenticators with Signer role or above).
		///
		/// Emits [`Event::Anchored`]. Errors: `UnknownLog`, `NotLogOwner`, `EmptyTree`,
		/// `NotExtended`, `ProofLength`, `InconsistentHistory`.
		///
		/// ## Complexity
		/// O(p) for a proof of p ≤ 65 nodes (one SHA-256 per node).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::anchor(proof.len() as u32))]
		pub fn anchor(
			origin: OriginFor<T>,
			log: LogId,
			tree_size: u64,
			root: NodeHash,
			proof: Proof,
		) -> DispatchResult {
			let info = Logs::<T>::get(log).ok_or(Error::<T>::UnknownLog)?;
			match &info.owner {
				LogOwner::Account(owner) => {
					let who = ensure_signed(origin)?;
					ensure!(who == *owner, Error::<T>::NotLogOwner);
				},
				LogOwner::MetaAccount(owner) => {
					let (meta, _) = T::MetaAccountOrigin::ensure_origin(origin)
						.map_err(|_| Error::<T>::NotLogOwner)?;
					ensure!(meta == *owner, Error::<T>::NotLogOwner);
				},
				LogOwner::Pallet(_) => return Err(Error::<T>::NotLogOwner.into()),
			}
			Self::do_anchor(log, info, tree_size, root, &proof)
		}

		/// Publish the anchors tree on EVM chain `chain_id` from the address of `key` on the
		/// path [`evm_sink::sink_path`]: every `every` blocks in which the tree grew, a
		/// committee member proposes a zero-value transaction from that address to itself
		/// whose calldata is the tree's head, within the gas budget `gas`. Replaces any sink
		/// (a publication not yet proposed is abandoned). Admin origin.
		///
		/// Emits [`Event::EvmSinkSet`]. Errors: `InvalidSinkParams`, and the signer
		/// pallet's if the key is not Active or the path is owned by another requester.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_evm_sink())]
		pub fn set_evm_sink(
			origin: OriginFor<T>,
			chain_id: u64,
			key: KeyId,
			every: BlockNumberFor<T>,
			gas: GasBudget,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_evm_sink(chain_id, key, every, gas)
		}

		/// Stop publishing on an EVM chain. Admin origin.
		///
		/// Emits [`Event::EvmSinkCleared`]. Errors: `NoEvmSink`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_evm_sink())]
		pub fn clear_evm_sink(origin: OriginFor<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_clear_evm_sink()
		}

		/// Propose the transaction of a due publication: an unsigned EIP-1559 transaction from
		/// the sink address to itself, zero value, calldata exactly the publication's
		/// ([`Pallet::publication_calldata`]), gas within the sink's budget, nonce the sink
		/// address's next on the EVM chain. The runtime checks it and asks the committee to
		/// sign it; the caller, a member of the committee, pays the request's deposit
		/// (returned) and fee (paid to the signers).
		///
		/// Emits [`Event::EvmAnchorRequested`]. Errors: `UnknownPublication`,
		/// `PublicationNotDue`, `NoEvmSink`, `NotCommitteeMember`, the `Tx…` errors for a
		/// transaction that does anything else, and the signer pallet's.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::propose_evm_anchor())]
		pub fn propose_evm_anchor(
			origin: OriginFor<T>,
			publication: u64,
			tx: UnsignedTx,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_evm_anchor(who, publication, tx)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Records a new log.
		pub(crate) fn insert_log(
			owner: LogOwnerOf<T>,
			deposit_payer: Option<T::AccountId>,
			deposit: BalanceOf<T>,
			format: Format,
		) -> Result<LogId, DispatchError> {
			ensure!(
				!format.is_empty() && format.iter().all(|b| (0x21..=0x7e).contains(b)),
				Error::<T>::InvalidFormat
			);
			let count = LogCount::<T>::get(&owner);
			ensure!(count < T::MaxLogsPerOwner::get(), Error::<T>::TooManyLogs);
			let log = NextLogId::<T>::get();
			NextLogId::<T>::put(log.saturating_add(1));
			LogCount::<T>::insert(&owner, count.saturating_add(1));
			LogsOf::<T>::insert(&owner, log, ());
			Logs::<T>::insert(
				log,
				LogInfo {
					owner: owner.clone(),
					deposit_payer,
					deposit,
					format: format.clone(),
					registered_at: frame_system::Pallet::<T>::block_number(),
					anchors: 0,
					latest: None,
				},
			);
			Self::deposit_event(Event::LogRegistered { log, owner, format });
			Ok(log)
		}

		/// Checks and records a tree head of `log` (whose record is `info`).
		pub(crate) fn do_anchor(
			log: LogId,
			mut info: LogInfoOf<T>,
			tree_size: u64,
			root: NodeHash,
			proof: &[NodeHash],
		) -> DispatchResult {
			ensure!(tree_size > 0, Error::<T>::EmptyTree);
			let previous = match &info.latest {
				None => {
					ensure!(proof.is_empty(), Error::<T>::ProofLength);
					[0; 32]
				},
				Some(latest) => {
					ensure!(tree_size > latest.tree_size, Error::<T>::NotExtended);
					merkle_log::verify_consistency(
						latest.tree_size,
						&latest.root,
						tree_size,
						&root,
						proof,
					)
					.map_err(|e| match e {
						ProofError::WrongProofLength => Error::<T>::ProofLength,
						_ => Error::<T>::InconsistentHistory,
					})?;
					latest.chain_hash
				},
			};
			let seq = info.anchors;
			let block = frame_system::Pallet::<T>::block_number();
			let timestamp = T::Time::now().as_millis() as u64;
			let chain_hash =
				Self::head_hash(log, seq, tree_size, &root, block, timestamp, &previous);
			let head = TreeHead { seq, tree_size, root, block, timestamp, previous, chain_hash };
			T::AnchorSink::anchored(log, &head);
			Heads::<T>::insert(log, seq, &head);
			if let Some(pruned) = seq.checked_sub(u64::from(T::MaxHeadsPerLog::get())) {
				Heads::<T>::remove(log, pruned);
			}
			info.anchors = seq.saturating_add(1);
			info.latest = Some(head);
			Logs::<T>::insert(log, info);
			Self::deposit_event(Event::Anchored { log, seq, tree_size, root, chain_hash });
			Ok(())
		}

		/// The link of a tree head in its log's hash chain:
		/// `blake2_256(SCALE(HEAD_HASH_DOMAIN, genesis hash, log, seq, tree_size, root, block,
		/// timestamp, previous))`, every integer little-endian as SCALE encodes it and the
		/// domain with its compact length prefix.
		pub fn head_hash(
			log: LogId,
			seq: u64,
			tree_size: u64,
			root: &NodeHash,
			block: BlockNumberFor<T>,
			timestamp: u64,
			previous: &[u8; 32],
		) -> [u8; 32] {
			let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
			let preimage =
				(HEAD_HASH_DOMAIN, genesis, log, seq, tree_size, root, block, timestamp, previous);
			sp_io::hashing::blake2_256(&preimage.encode())
		}

		/// The log's tree head covering exactly `tree_size` entries, if it is still on-chain.
		pub fn head_at(log: LogId, tree_size: u64) -> Option<TreeHeadOf<T>> {
			Self::head_of(log, &Logs::<T>::get(log)?, tree_size)
		}

		/// The head covering `tree_size` entries of `log`, whose record is `info`.
		fn head_of(log: LogId, info: &LogInfoOf<T>, tree_size: u64) -> Option<TreeHeadOf<T>> {
			if info.latest.as_ref().is_some_and(|h| h.tree_size == tree_size) {
				return info.latest.clone();
			}
			// Sizes grow with `seq`: binary search over the heads kept.
			let (mut low, mut high) =
				(info.anchors.saturating_sub(u64::from(T::MaxHeadsPerLog::get())), info.anchors);
			while low < high {
				let mid = low + (high - low) / 2;
				let head = Heads::<T>::get(log, mid)?;
				match head.tree_size.cmp(&tree_size) {
					core::cmp::Ordering::Equal => return Some(head),
					core::cmp::Ordering::Less => low = mid + 1,
					core::cmp::Ordering::Greater => high = mid,
				}
			}
			None
		}

		/// Checks that `leaf` (an RFC 6962 leaf hash) is entry `index` of the anchored head of
		/// `log` covering `tree_size` entries; returns that head.
		pub fn verify_inclusion(
			log: LogId,
			leaf: NodeHash,
			index: u64,
			tree_size: u64,
			proof: &[NodeHash],
		) -> Result<TreeHeadOf<T>, VerifyError> {
			let info = Logs::<T>::get(log).ok_or(VerifyError::UnknownLog)?;
			let head = Self::head_of(log, &info, tree_size).ok_or(VerifyError::NoHeadAtSize)?;
			merkle_log::verify_inclusion(&leaf, index, tree_size, proof, &head.root)
				.map_err(VerifyError::Proof)?;
			Ok(head)
		}

		/// Checks that the anchored head of `log` covering `old_size` entries is a prefix of
		/// the one covering `new_size`, given an RFC 6962 consistency proof.
		pub fn verify_consistency(
			log: LogId,
			old_size: u64,
			new_size: u64,
			proof: &[NodeHash],
		) -> Result<(), VerifyError> {
			let info = Logs::<T>::get(log).ok_or(VerifyError::UnknownLog)?;
			let old = Self::head_of(log, &info, old_size).ok_or(VerifyError::NoHeadAtSize)?;
			let new = Self::head_of(log, &info, new_size).ok_or(VerifyError::NoHeadAtSize)?;
			merkle_log::verify_consistency(old_size, &old.root, new_size, &new.root, proof)
				.map_err(VerifyError::Proof)
		}

		/// Up to `limit` logs of `owner`, ids from `start` (in id order).
		pub fn logs_of(owner: &LogOwnerOf<T>, start: LogId, limit: u32) -> Vec<LogId> {
			let mut ids: Vec<LogId> =
				LogsOf::<T>::iter_key_prefix(owner).filter(|id| *id >= start).collect();
			ids.sort_unstable();
			ids.truncate(limit as usize);
			ids
		}

		/// The pallet's storage invariants: every log is indexed under its owner and counted,
		/// its heads are the latest `MaxHeadsPerLog` with growing sizes, chained by hash; every
		/// activity log has one frontier node per set bit of its size and their root.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn check_invariants() -> Result<(), sp_runtime::TryRuntimeError> {
			let mut logs = 0u32;
			for (log, info) in Logs::<T>::iter() {
				logs += 1;
				ensure!(LogsOf::<T>::contains_key(&info.owner, log), "log not indexed");
				let kept = info.anchors.min(u64::from(T::MaxHeadsPerLog::get()));
				let mut previous: Option<TreeHeadOf<T>> = None;
				for seq in info.anchors - kept..info.anchors {
					let head = Heads::<T>::get(log, seq).ok_or("a kept head is missing")?;
					if let Some(p) = &previous {
						ensure!(head.tree_size > p.tree_size, "sizes do not grow");
						ensure!(head.previous == p.chain_hash, "hash chain broken");
					}
					previous = Some(head);
				}
				ensure!(previous == info.latest, "latest head differs");
				ensure!(Heads::<T>::iter_prefix(log).count() as u64 == kept, "heads not pruned");
			}
			let indexed: u32 = LogCount::<T>::iter_values().sum();
			ensure!(indexed == logs, "log count differs");
			for (_, log) in ActivityLogs::<T>::iter() {
				ensure!(log.tree_size > 0, "an activity log without its Created entry");
				ensure!(
					log.frontier.len() == log.tree_size.count_ones() as usize,
					"an activity frontier does not fit its size"
				);
				ensure!(
					merkle_log::frontier_root(&log.frontier) == log.root,
					"an activity root differs from its frontier's"
				);
			}
			if let Some(tree) = AnchorsTreeState::<T>::get() {
				ensure!(
					tree.frontier.len() == tree.tree_size.count_ones() as usize
						&& merkle_log::frontier_root(&tree.frontier) == tree.root,
					"the anchors tree's frontier does not fit its size and root"
				);
			}
			let count = PublicationCount::<T>::get();
			ensure!(
				Publications::<T>::iter_keys()
					.all(|seq| seq < count && seq + evm_sink::PUBLICATIONS_KEPT >= count),
				"publications not pruned"
			);
			Ok(())
		}
	}
}

impl<T: Config> waas_traits::AuditLogs for Pallet<T> {
	fn register(namespace: Namespace, format: &[u8]) -> Result<LogId, DispatchError> {
		let format = Format::try_from(format.to_vec()).map_err(|_| Error::<T>::InvalidFormat)?;
		Self::insert_log(LogOwner::Pallet(namespace), None, Zero::zero(), format)
	}

	fn anchor(
		namespace: Namespace,
		log: LogId,
		tree_size: u64,
		root: NodeHash,
		proof: &[NodeHash],
	) -> DispatchResult {
		let info = Logs::<T>::get(log).ok_or(Error::<T>::UnknownLog)?;
		ensure!(info.owner == LogOwner::Pallet(namespace), Error::<T>::NotLogOwner);
		Self::do_anchor(log, info, tree_size, root, proof)
	}
}
