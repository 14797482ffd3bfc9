//! # Intents pallet
//!
//! Cross-chain swap intents settled by the signer committee, with no bridge contract and no
//! trusted operator: a user gives `amount_in` of an asset on a source EVM chain and receives at
//! least `min_amount_out` of an asset on a destination chain; a bonded solver delivers; the
//! committee attests what happened on both chains and signs the payout — but only a payout
//! the runtime has checked.
//!
//! ## Lifecycle
//!
//! ```text
//! Pending ──deposit attested (≥ amount_in)──▶ Open ──claim──▶ Claimed ──fill attested──▶ Filled
//!    │  └──cancel, nothing deposited──▶ Cancelled      ▲          │                         │
//!    │                                                 └─timeout──┘ (solver slashed)        │
//!    └──deadline──▶ Expired ──refund proposed──▶ PayingOut(Refund)        PayingOut(Release) ◀┘
//!                                   │                 │                         │
//!                                   │        refund mined ▶ Refunded   release mined ▶ Settled
//!                                   └──nothing deposited, cancel or retention over ▶ Cancelled
//! ```
//!
//! - [`create_intent`](Pallet::create_intent): a Meta-Account states its terms (CAIP-19 assets,
//!   CAIP-10 recipient and refund address, Unix deadlines, fee cap, optional exclusive solver).
//!   The runtime derives a **one-time deposit address** on the source chain from committee key
//!   `key` along `[INTENTS, id_hi, id_lo]` ([`deposit_path`]): the path prefix is claimed for
//!   this pallet's namespace, so no other requester can ever have it signed, and this pallet
//!   only asks for the payouts below. It quotes the fee ([`FeeQuote`]) and holds a deposit.
//! - The committee **attests** ([`attest`](Pallet::attest)) what the deposit address holds,
//!   whether the solver's reported fill happened, and whether the payout was mined. A fact is
//!   accepted when `threshold` members of the key's committee attest the same value; members
//!   that attested another value are recorded ([`Event::AttestationDisputed`], [`Dissents`]).
//! - Solvers bond ([`bond_solver`](Pallet::bond_solver)), claim an Open intent, fill it on the
//!   destination chain with a transaction whose calldata ends with the intent's `fill_tag`,
//!   and report the fill's hash. A claim not filled in [`Config::ClaimWindow`] is slashed
//!   ([`Config::SlashFraction`] of the bond, paid to the intent's creator) and reopened.
//! - **Payouts**: for a Filled intent (release to the solver) or an Expired one with a deposit
//!   (refund), members propose the unsigned EIP-1559 transaction
//!   ([`propose_payout`](Pallet::propose_payout)). The runtime decodes it and checks chain id,
//!   recipient, asset, amount, calldata and gas ([`waas_primitives::evm_tx::check_transfer`])
//!   before counting it; `threshold` identical proposals become a signature request owned by
//!   this pallet. Anyone broadcasts the signed transaction; once the committee attests it was
//!   mined, the intent ends (Settled or Refunded) and its record and deposit are released.
//! - Time-outs are enforced by [`expire_intent`](Pallet::expire_intent), which anyone may call
//!   (the signers do) and which is free when it moves an intent on.
//!
//! Every payout moves the whole attested deposit (less the protocol fee on release) to one
//! recipient fixed by the intent's state, so once one signed payout is mined a second one
//! cannot be: what stays on the address (the protocol fee, unspent gas) is less than it
//! moves. Funds sent beyond the attested deposit are not accounted for.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use runtime_api::QuoteError;
pub use types::*;
pub use weights::WeightInfo;

mod attestation;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
/// Storage invariants (`try_state`), public so that tests and try-runtime can check them.
mod invariants;
#[cfg(test)]
mod mock;
mod payout;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use frame_support::{
	pallet_prelude::*,
	traits::{fungible, UnixTime},
	PalletId,
};
use sp_runtime::{
	traits::{AccountIdConversion, Saturating},
	Perbill, Permill,
};
use waas_primitives::{caip, namespace};
use waas_traits::{
	CommitteeInspect, MetaAccountDependents, OnSignatureOutcome, RequestOwner, SignatureOutcome,
	ThresholdSigner,
};

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// The pallet's storage layout version.
const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

/// Log target of the pallet.
const LOG_TARGET: &str = "runtime::intents";

/// The domain of [`Pallet::fill_tag`]'s preimage.
pub const FILL_TAG_DOMAIN: &[u8] = b"waas/intent-fill/v1";

/// Depth of a deposit address's derivation path.
pub const DEPOSIT_PATH_DEPTH: usize = 3;

/// The derivation path of intent `id`'s deposit address: this pallet's namespace, then the
/// id's high and low 31 bits (ids are sequential; 2^62 of them would take ages).
pub fn deposit_path(id: IntentId) -> [u32; DEPOSIT_PATH_DEPTH] {
	const LOW: u64 = (1 << 31) - 1;
	[namespace::INTENTS, ((id >> 31) & LOW) as u32, (id & LOW) as u32]
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::traits::{
		fungible::{Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	};
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Currency for deposits, solver bonds and the settlement charge.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Origin of a Meta-Account: yields its id and the signing authenticator.
		type MetaAccountOrigin: EnsureOrigin<
			Self::RuntimeOrigin,
			Success = (MetaAccountId, Self::AccountId),
		>;
		/// Origin that registers the chains intents may use.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The committee's signature service.
		type ThresholdSigner: ThresholdSigner<Self::AccountId>;
		/// Who sits in which committee.
		type Committees: CommitteeInspect<Self::AccountId>;
		/// The chain's clock (deadlines are Unix times, as on the other chains).
		type Time: UnixTime;
		/// Id of the pallet's account, which pays the payouts' signature requests.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Deposit per intent record.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;
		/// Deposit per byte of an intent record.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;
		/// Paid by the creator to the pallet's account, to pay for signing the payout.
		#[pallet::constant]
		type SettlementCharge: Get<BalanceOf<Self>>;
		/// Protocol fee, as a share of `amount_in`, kept on the deposit address on release.
		#[pallet::constant]
		type ProtocolFee: Get<Permill>;
		/// The least bond a solver must hold to claim.
		#[pallet::constant]
		type MinSolverBond: Get<BalanceOf<Self>>;
		/// Share of the bond slashed for a claim not filled in time.
		#[pallet::constant]
		type SlashFraction: Get<Perbill>;
		/// Seconds a solver has to fill a claimed intent (never past its fill deadline).
		#[pallet::constant]
		type ClaimWindow: Get<u64>;
		/// Seconds after a payout was signed before another may be proposed (when the first
		/// was not mined: wrong nonce, fee too low).
		#[pallet::constant]
		type PayoutRetryAfter: Get<u64>;
		/// Most payout transactions signed for one intent.
		#[pallet::constant]
		type MaxPayoutAttempts: Get<u8>;
		/// Seconds an expired intent with nothing deposited waits for a late deposit before it
		/// is cancelled.
		#[pallet::constant]
		type ExpiredRetention: Get<u64>;
		/// Longest time from creation to fill deadline, in seconds.
		#[pallet::constant]
		type MaxIntentLifetime: Get<u64>;
		/// Most unfinished intents of one Meta-Account.
		#[pallet::constant]
		type MaxIntentsPerMetaAccount: Get<u32>;
		/// Most unfilled claims of one solver.
		#[pallet::constant]
		type MaxClaimsPerSolver: Get<u32>;
		/// Largest committee (bounds the votes kept per question).
		#[pallet::constant]
		type MaxCommitteeSize: Get<u32>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
		/// Sets the clock for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// Reasons for which this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for an intent record.
		Intent,
		/// A solver's bond.
		SolverBond,
	}

	/// The EVM chains intents may use, by EIP-155 chain id.
	#[pallet::storage]
	pub type Chains<T: Config> = StorageMap<_, Twox64Concat, EvmChainId, ChainParams, OptionQuery>;

	/// Unfinished intents.
	#[pallet::storage]
	pub type Intents<T: Config> = StorageMap<_, Twox64Concat, IntentId, IntentOf<T>, OptionQuery>;

	/// The id of the next intent.
	#[pallet::storage]
	pub type NextIntentId<T> = StorageValue<_, IntentId, ValueQuery>;

	/// Unfinished intents of each Meta-Account.
	#[pallet::storage]
	pub type IntentsOf<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		MetaAccountId,
		Twox64Concat,
		IntentId,
		(),
		OptionQuery,
	>;

	/// How many unfinished intents each Meta-Account has.
	#[pallet::storage]
	pub type IntentCount<T: Config> =
		StorageMap<_, Blake2_128Concat, MetaAccountId, u32, ValueQuery>;

	/// Registered solvers.
	#[pallet::storage]
	pub type Solvers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, SolverOf<T>, OptionQuery>;

	/// Votes on the open questions about each intent.
	#[pallet::storage]
	pub type Attestations<T: Config> =
		StorageDoubleMap<_, Twox64Concat, IntentId, Twox64Concat, FactKind, Votes<T>, OptionQuery>;

	/// How often each committee member attested a value other than the one accepted. Not
	/// proof of a fault (an honest member may have looked a block earlier), but a liar's count
	/// grows.
	#[pallet::storage]
	pub type Dissents<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The chains intents may use at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(EIP-155 chain id, parameters)`.
		pub chains: alloc::vec::Vec<(EvmChainId, ChainParams)>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (chain_id, params) in &self.chains {
				Pallet::<T>::check_chain_params(params).expect("genesis chain parameters");
				Chains::<T>::insert(chain_id, params);
			}
		}
	}

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Intents may use chain `chain_id` with `params`, or no longer (`None`).
		ChainSet { chain_id: EvmChainId, params: Option<ChainParams> },
		/// An intent was created: deposit `amount_in` of the source asset to
		/// `deposit_address`.
		IntentCreated {
			intent: IntentId,
			creator: MetaAccountId,
			source: Leg,
			amount_in: u128,
			destination: Leg,
			min_amount_out: u128,
			deposit_address: EvmAddress,
			fill_tag: [u8; 32],
			quote: FeeQuote,
		},
		/// The committee saw `amount` on the deposit address, not enough to open (or after
		/// the intent expired: what a refund returns).
		DepositObserved { intent: IntentId, amount: u128 },
		/// The deposit is in: solvers may claim.
		IntentOpened { intent: IntentId, deposited: u128 },
		/// `solver` claimed the intent and must fill it by `until`.
		IntentClaimed { intent: IntentId, solver: T::AccountId, payout_to: EvmAddress, until: u64 },
		/// The solver reported its fill transaction.
		FillReported { intent: IntentId, tx_hash: sp_core::H256 },
		/// The committee attested the reported fill, but it does not fill the intent.
		FillRefused { intent: IntentId, tx_hash: sp_core::H256, reason: FillRefusal },
		/// The committee attested the fill.
		IntentFilled {
			intent: IntentId,
			solver: T::AccountId,
			tx_hash: sp_core::H256,
			amount: u128,
		},
		/// The claim timed out: `slashed` of the solver's bond went to the creator's payer.
		ClaimTimedOut { intent: IntentId, solver: T::AccountId, slashed: BalanceOf<T> },
		/// The intent expired; what was deposited (`deposited`) is refunded.
		IntentExpired { intent: IntentId, deposited: u128 },
		/// A committee member attested a fact about the intent.
		Attested { intent: IntentId, kind: FactKind, member: T::AccountId },
		/// `threshold` members agreed: the fact with this hash is accepted.
		FactAccepted { intent: IntentId, kind: FactKind, value_hash: [u8; 32] },
		/// These members attested another value than the one accepted.
		AttestationDisputed {
			intent: IntentId,
			kind: FactKind,
			dissenters: BoundedVec<T::AccountId, T::MaxCommitteeSize>,
		},
		/// The committee was asked to sign a checked payout transaction.
		PayoutRequested {
			intent: IntentId,
			payout: Payout,
			request: RequestId,
			signing_hash: [u8; 32],
			nonce: u64,
		},
		/// The payout transaction is signed (see threshold-signers' `RequestSigned`); anyone
		/// may broadcast it.
		PayoutSigned { intent: IntentId, request: RequestId },
		/// Signing the payout failed; members may propose another.
		PayoutSigningFailed { intent: IntentId, request: RequestId },
		/// The intent ended; its record and deposit were released.
		IntentEnded { intent: IntentId, outcome: Outcome, tx_hash: Option<sp_core::H256> },
		/// `solver` holds `bond`.
		SolverBonded { solver: T::AccountId, bond: BalanceOf<T> },
		/// `solver` left and got `bond` back.
		SolverUnbonded { solver: T::AccountId, bond: BalanceOf<T> },
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The chain parameters are out of range (zero confirmations, gas below a plain
		/// transfer, a zero fee cap, a grace of zero or over a day).
		InvalidChainParams,
		/// The chain is not one intents may use.
		UnknownChain,
		/// The source asset is not a CAIP-19 native coin or ERC-20 on an EVM chain.
		InvalidSourceAsset,
		/// The destination asset is not a CAIP-19 native coin or ERC-20 on an EVM chain.
		InvalidDestinationAsset,
		/// The recipient is not a CAIP-10 account on the destination chain.
		InvalidRecipient,
		/// The refund address is not a CAIP-10 account on the source chain.
		InvalidRefundAddress,
		/// `amount_in` or `min_amount_out` is zero.
		ZeroAmount,
		/// Deadlines must satisfy now < open ≤ fill, and an exclusivity must end by the fill
		/// deadline.
		DeadlinesOutOfOrder,
		/// The fill deadline is further than `MaxIntentLifetime` away.
		LifetimeTooLong,
		/// The quoted fee exceeds the user's `max_fee`.
		FeeAboveMax,
		/// `amount_in` does not cover the fee.
		AmountBelowFee,
		/// The Meta-Account has the maximum number of unfinished intents.
		TooManyIntents,
		/// The deposit address could not be encoded.
		EncodingFailed,
		/// No such unfinished intent.
		UnknownIntent,
		/// The intent is not the caller's Meta-Account's.
		NotCreator,
		/// Only a Pending intent, or an Expired one with nothing deposited, can be cancelled.
		NotCancellable,
		/// The caller is not a registered solver.
		NotSolver,
		/// The solver's bond is below the minimum.
		BondTooLow,
		/// The solver still has unfilled claims.
		SolverHasClaims,
		/// The solver has the maximum number of unfilled claims.
		TooManyClaims,
		/// The intent is not Open (or its fill deadline has passed).
		NotOpen,
		/// Another solver has the intent to itself until its exclusivity ends.
		ExclusiveToAnother,
		/// The caller is not the solver that claimed the intent.
		NotClaimant,
		/// The caller is not a member of the committee that holds the intent's key.
		NotCommitteeMember,
		/// The runtime is not asking this about the intent in its current state.
		NotAsked,
		/// The fill attested is not the transaction the solver reported.
		WrongFillTx,
		/// The member already attested this value.
		AlreadyAttested,
		/// Nothing to pay out: the intent is neither Filled nor Expired with a deposit.
		NothingToPayOut,
		/// A payout is being signed, or was signed too recently to try another.
		PayoutInProgress,
		/// The intent has had the most payout transactions it may.
		TooManyPayoutAttempts,
		/// The proposed transaction is not a canonical EIP-1559 transaction of at most 256
		/// bytes.
		TxUndecodable,
		/// The proposed transaction is for another chain.
		TxWrongChain,
		/// The proposed transaction does not go to the payout's recipient (or token), or
		/// creates a contract.
		TxWrongRecipient,
		/// The proposed transaction moves another amount than the payout's.
		TxWrongAmount,
		/// The proposed transaction's calldata is not empty (native) or exactly ERC-20
		/// `transfer(recipient, amount)`.
		TxWrongCalldata,
		/// The proposed transaction's gas limit or fee exceeds the chain's budget.
		TxGasTooHigh,
		/// The proposed transaction has an access list.
		TxAccessList,
		/// No deadline of the intent has passed.
		NothingToExpire,
		/// The Meta-Account still has unfinished intents.
		MetaAccountHasIntents,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxIntentsPerMetaAccount::get() > 0, "MaxIntentsPerMetaAccount must be > 0");
			assert!(T::MaxClaimsPerSolver::get() > 0, "MaxClaimsPerSolver must be > 0");
			assert!(T::MaxPayoutAttempts::get() > 0, "MaxPayoutAttempts must be > 0");
			assert!(T::ClaimWindow::get() > 0, "ClaimWindow must be > 0");
			assert!(
				T::SettlementCharge::get()
					>= <T::Currency as fungible::Inspect<T::AccountId>>::minimum_balance(),
				"SettlementCharge must be at least the existential deposit"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create an intent with `terms`, its deposit address derived from committee key
		/// `key`. Holds the record deposit from the calling authenticator and pays the
		/// settlement charge to the pallet's account.
		///
		/// The dispatch origin must be a Meta-Account's authenticator.
		///
		/// Emits [`Event::IntentCreated`]. Errors: `InvalidSourceAsset`,
		/// `InvalidDestinationAsset`, `UnknownChain`, `InvalidRecipient`,
		/// `InvalidRefundAddress`, `ZeroAmount`, `DeadlinesOutOfOrder`, `LifetimeTooLong`,
		/// `FeeAboveMax`, `AmountBelowFee`, `TooManyIntents`, `EncodingFailed`, the threshold
		/// signer's `UnknownKey`/`KeyNotActive`, and the currency's errors.
		///
		/// ## Complexity
		/// O(1): parsing bounded ids, one BIP32 derivation of depth 3.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_intent())]
		pub fn create_intent(
			origin: OriginFor<T>,
			key: KeyId,
			terms: IntentTerms<T::AccountId>,
		) -> DispatchResult {
			let (creator, who) = T::MetaAccountOrigin::ensure_origin(origin)?;
			let now = Self::now();
			let checked = Self::check_terms(&terms, now)?;
			let count = IntentCount::<T>::get(creator);
			ensure!(count < T::MaxIntentsPerMetaAccount::get(), Error::<T>::TooManyIntents);
			let id = NextIntentId::<T>::get();
			let public_key =
				T::ThresholdSigner::claim_path(&RequestOwner::intent(id), key, &deposit_path(id))?;
			let deposit_address = waas_primitives::evm_address(&public_key)
				.map_err(|_| Error::<T>::EncodingFailed)?;
			let deposit = Self::intent_deposit();
			T::Currency::hold(&HoldReason::Intent.into(), &who, deposit)?;
			T::Currency::transfer(
				&who,
				&Self::account_id(),
				T::SettlementCharge::get(),
				Preservation::Preserve,
			)?;
			let fill_tag = Self::fill_tag(id);
			let intent = IntentOf::<T> {
				creator,
				deposit_payer: who,
				deposit,
				key,
				source: checked.source,
				amount_in: terms.amount_in,
				destination: checked.destination,
				min_amount_out: terms.min_amount_out,
				recipient: checked.recipient,
				refund_to: checked.refund_to,
				deposit_address,
				fill_tag,
				quote: checked.quote,
				max_fee: terms.max_fee,
				created_at: now,
				open_deadline: terms.open_deadline,
				fill_deadline: terms.fill_deadline,
				grace: checked.grace,
				exclusive: terms.exclusive,
				deposited: 0,
				status: IntentStatus::Pending,
			};
			NextIntentId::<T>::put(id.saturating_add(1));
			IntentCount::<T>::insert(creator, count.saturating_add(1));
			IntentsOf::<T>::insert(creator, id, ());
			Self::deposit_event(Event::IntentCreated {
				intent: id,
				creator,
				source: intent.source,
				amount_in: intent.amount_in,
				destination: intent.destination,
				min_amount_out: intent.min_amount_out,
				deposit_address,
				fill_tag,
				quote: intent.quote,
			});
			Intents::<T>::insert(id, intent);
			Ok(())
		}

		/// Cancel an intent of the caller's Meta-Account. A Pending or Expired intent with
		/// nothing refundable deposited (nothing, or native coin not worth the refund's gas)
		/// ends Cancelled; a Pending one with a (short) deposit expires, so it is refunded.
		///
		/// Cancel only what you never sent anything to: a deposit the committee has not
		/// attested yet is not known to the chain.
		///
		/// The dispatch origin must be a Meta-Account's authenticator.
		///
		/// Emits [`Event::IntentEnded`] or [`Event::IntentExpired`]. Errors: `UnknownIntent`,
		/// `NotCreator`, `NotCancellable`.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel_intent())]
		pub fn cancel_intent(origin: OriginFor<T>, intent: IntentId) -> DispatchResult {
			let (meta_account, _) = T::MetaAccountOrigin::ensure_origin(origin)?;
			let mut record = Intents::<T>::get(intent).ok_or(Error::<T>::UnknownIntent)?;
			ensure!(record.creator == meta_account, Error::<T>::NotCreator);
			match record.status {
				IntentStatus::Pending | IntentStatus::Expired { .. }
					if !Self::refundable(&record) =>
				{
					Self::finish(intent, record, Outcome::Cancelled, None)
				},
				IntentStatus::Pending => {
					Self::expire(intent, &mut record);
					Intents::<T>::insert(intent, record);
				},
				_ => return Err(Error::<T>::NotCancellable.into()),
			}
			Ok(())
		}

		/// Bond `amount` more as a solver (registering the caller on its first bond).
		///
		/// The dispatch origin must be signed.
		///
		/// Emits [`Event::SolverBonded`]. Errors: `BondTooLow` (a first bond below
		/// `MinSolverBond`), and the currency's error if the bond cannot be held.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::bond_solver())]
		pub fn bond_solver(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut info = Solvers::<T>::get(&who).unwrap_or(SolverInfo {
				bond: Default::default(),
				active_claims: 0,
				missed_claims: 0,
			});
			let bond = info.bond.saturating_add(amount);
			ensure!(bond >= T::MinSolverBond::get(), Error::<T>::BondTooLow);
			T::Currency::hold(&HoldReason::SolverBond.into(), &who, amount)?;
			info.bond = bond;
			Solvers::<T>::insert(&who, info);
			Self::deposit_event(Event::SolverBonded { solver: who, bond });
			Ok(())
		}

		/// Leave the solver registry and take the bond back. Only without unfilled claims.
		///
		/// The dispatch origin must be a registered solver.
		///
		/// Emits [`Event::SolverUnbonded`]. Errors: `NotSolver`, `SolverHasClaims`.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::unbond_solver())]
		pub fn unbond_solver(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = Solvers::<T>::get(&who).ok_or(Error::<T>::NotSolver)?;
			ensure!(info.active_claims == 0, Error::<T>::SolverHasClaims);
			T::Currency::release(
				&HoldReason::SolverBond.into(),
				&who,
				info.bond,
				Precision::BestEffort,
			)?;
			Solvers::<T>::remove(&who);
			Self::deposit_event(Event::SolverUnbonded { solver: who, bond: info.bond });
			Ok(())
		}

		/// Claim an Open intent: the caller must fill it on the destination chain within
		/// `ClaimWindow` (and by the fill deadline), or be slashed. On release it is paid at
		/// `payout_to` on the source chain.
		///
		/// The dispatch origin must be a registered solver.
		///
		/// Emits [`Event::IntentClaimed`]. Errors: `UnknownIntent`, `NotSolver`,
		/// `BondTooLow`, `TooManyClaims`, `NotOpen`, `ExclusiveToAnother`.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::claim_intent())]
		pub fn claim_intent(
			origin: OriginFor<T>,
			intent: IntentId,
			payout_to: EvmAddress,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Intents::<T>::get(intent).ok_or(Error::<T>::UnknownIntent)?;
			let mut solver = Solvers::<T>::get(&who).ok_or(Error::<T>::NotSolver)?;
			ensure!(solver.bond >= T::MinSolverBond::get(), Error::<T>::BondTooLow);
			ensure!(solver.active_claims < T::MaxClaimsPerSolver::get(), Error::<T>::TooManyClaims);
			let now = Self::now();
			ensure!(
				matches!(record.status, IntentStatus::Open) && now <= record.fill_deadline,
				Error::<T>::NotOpen
			);
			if let Some(ex) = &record.exclusive {
				ensure!(now >= ex.until || ex.solver == who, Error::<T>::ExclusiveToAnother);
			}
			let until = now.saturating_add(T::ClaimWindow::get()).min(record.fill_deadline);
			record.status = IntentStatus::Claimed {
				solver: who.clone(),
				payout_to,
				claimed_at: now,
				until,
				fill_tx: None,
			};
			solver.active_claims = solver.active_claims.saturating_add(1);
			Solvers::<T>::insert(&who, solver);
			Intents::<T>::insert(intent, record);
			Self::deposit_event(Event::IntentClaimed { intent, solver: who, payout_to, until });
			Ok(())
		}

		/// Report the transaction that fills a claimed intent on the destination chain (a
		/// transfer of the destination asset to the recipient whose calldata ends with the
		/// intent's `fill_tag`). A new report replaces the last, and its votes.
		///
		/// The dispatch origin must be the claiming solver.
		///
		/// Emits [`Event::FillReported`]. Errors: `UnknownIntent`, `NotClaimant`.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::report_fill())]
		pub fn report_fill(
			origin: OriginFor<T>,
			intent: IntentId,
			tx_hash: sp_core::H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Intents::<T>::get(intent).ok_or(Error::<T>::UnknownIntent)?;
			let IntentStatus::Claimed { solver, fill_tx, .. } = &mut record.status else {
				return Err(Error::<T>::NotClaimant.into());
			};
			ensure!(*solver == who, Error::<T>::NotClaimant);
			*fill_tx = Some(tx_hash);
			Attestations::<T>::remove(intent, FactKind::Fill);
			Intents::<T>::insert(intent, record);
			Self::deposit_event(Event::FillReported { intent, tx_hash });
			Ok(())
		}

		/// Attest `fact` about an intent, as a member of the committee that holds its key.
		/// Counted when the runtime asks it in the intent's state: the deposit while Pending
		/// or Expired, the reported fill while Claimed, the payout's mining once it is signed.
		/// A member's later vote on the same question replaces its earlier one.
		///
		/// The dispatch origin must be a committee member of the intent's key. Free when it
		/// counts.
		///
		/// Emits [`Event::Attested`], and on acceptance [`Event::FactAccepted`] and what the
		/// fact causes. Errors: `UnknownIntent`, `NotCommitteeMember`, `NotAsked`,
		/// `WrongFillTx`, `AlreadyAttested`.
		///
		/// ## Complexity
		/// O(m) for a committee of m members.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::attest())]
		pub fn attest(
			origin: OriginFor<T>,
			intent: IntentId,
			fact: Fact,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_attest(who, intent, fact)
		}

		/// Propose the unsigned EIP-1559 payout transaction of an intent: a release to the
		/// solver (Filled) or a refund (Expired with a deposit). The runtime checks it
		/// ([`waas_primitives::evm_tx::check_transfer`]); when `threshold` members proposed
		/// the same transaction, the committee is asked to sign it.
		///
		/// The dispatch origin must be a committee member of the intent's key. Free when it
		/// counts.
		///
		/// Emits [`Event::Attested`], and on acceptance [`Event::PayoutRequested`] and the
		/// threshold signer's events. Errors: `UnknownIntent`, `NotCommitteeMember`,
		/// `NothingToPayOut`, `PayoutInProgress`, `TooManyPayoutAttempts`, `TxUndecodable`,
		/// `TxWrongChain`, `TxWrongRecipient`, `TxWrongAmount`, `TxWrongCalldata`,
		/// `TxGasTooHigh`, `TxAccessList`, `AlreadyAttested`, and the threshold signer's
		/// errors.
		///
		/// ## Complexity
		/// O(m + b) for a committee of m members and a transaction of b ≤ 256 bytes.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::propose_payout())]
		pub fn propose_payout(
			origin: OriginFor<T>,
			intent: IntentId,
			tx: UnsignedTx,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_propose_payout(who, intent, tx)
		}

		/// Enforce an intent's deadline: a Pending intent past its open deadline, or an Open
		/// one past its fill deadline, expires; a claim past its window is slashed and the
		/// intent reopens (or expires); an Expired intent with nothing deposited is cancelled
		/// after `ExpiredRetention`. Deadlines count the intent's `grace` on top.
		///
		/// The dispatch origin must be signed (anyone; free when it moves the intent on).
		///
		/// Emits [`Event::IntentExpired`], [`Event::ClaimTimedOut`] or [`Event::IntentEnded`].
		/// Errors: `UnknownIntent`, `NothingToExpire`.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::expire_intent())]
		pub fn expire_intent(origin: OriginFor<T>, intent: IntentId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let mut record = Intents::<T>::get(intent).ok_or(Error::<T>::UnknownIntent)?;
			let now = Self::now();
			let grace = record.grace;
			match record.status.clone() {
				IntentStatus::Pending if now > record.open_deadline.saturating_add(grace) => {
					Self::expire(intent, &mut record)
				},
				IntentStatus::Open if now > record.fill_deadline.saturating_add(grace) => {
					Self::expire(intent, &mut record)
				},
				IntentStatus::Claimed { solver, until, .. }
					if now > until.saturating_add(grace) =>
				{
					// The slash gives up the claim; the intent is Open again, or past its
					// fill deadline Expired.
					let slashed = Self::slash(&solver, &record.deposit_payer);
					Self::deposit_event(Event::ClaimTimedOut { intent, solver, slashed });
					record.status = IntentStatus::Open;
					if now > record.fill_deadline {
						Self::expire(intent, &mut record);
					}
				},
				IntentStatus::Expired { since }
					if !Self::refundable(&record)
						&& now > since.saturating_add(T::ExpiredRetention::get()) =>
				{
					Self::finish(intent, record, Outcome::Cancelled, None);
					return Ok(Pays::No.into());
				},
				_ => return Err(Error::<T>::NothingToExpire.into()),
			}
			Intents::<T>::insert(intent, record);
			Ok(Pays::No.into())
		}

		/// Let intents use EVM chain `chain_id` with `params`, or no longer (`None`). Payouts
		/// are checked against the chain's parameters when they are proposed, so a change
		/// applies to existing intents too, and removing a chain stops their payouts.
		///
		/// The dispatch origin must be [`Config::AdminOrigin`].
		///
		/// Emits [`Event::ChainSet`]. Errors: `InvalidChainParams`.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::set_chain())]
		pub fn set_chain(
			origin: OriginFor<T>,
			chain_id: EvmChainId,
			params: Option<ChainParams>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			match &params {
				Some(p) => {
					Self::check_chain_params(p)?;
					Chains::<T>::insert(chain_id, p);
				},
				None => Chains::<T>::remove(chain_id),
			}
			Self::deposit_event(Event::ChainSet { chain_id, params });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The chain's Unix time, in seconds.
		pub fn now() -> UnixSeconds {
			T::Time::now().as_secs()
		}

		/// The pallet's account: it receives settlement charges and pays payout signing.
		pub fn account_id() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		/// The tag a fill of intent `id` carries at the end of its calldata:
		/// blake2-256(`waas/intent-fill/v1` ‖ genesis hash ‖ id as 8 bytes little-endian).
		/// Unique per intent and per chain, so one transfer can never fill two intents.
		pub fn fill_tag(id: IntentId) -> [u8; 32] {
			let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::from(0u32));
			let mut preimage = alloc::vec::Vec::with_capacity(FILL_TAG_DOMAIN.len() + 32 + 8);
			preimage.extend_from_slice(FILL_TAG_DOMAIN);
			preimage.extend_from_slice(genesis.as_ref());
			preimage.extend_from_slice(&id.to_le_bytes());
			sp_io::hashing::blake2_256(&preimage)
		}

		/// The deposit an intent record holds: base + per byte of the record and its keys.
		pub fn intent_deposit() -> BalanceOf<T> {
			let bytes = IntentOf::<T>::max_encoded_len()
				+ 8 + IntentId::max_encoded_len()
				+ 16 + MetaAccountId::max_encoded_len()
				+ 8 + IntentId::max_encoded_len();
			T::DepositBase::get()
				.saturating_add(T::DepositPerByte::get().saturating_mul((bytes as u32).into()))
		}

		/// The fee of an intent of `amount_in` of `asset`, on a chain with `params`.
		pub fn quote(amount_in: u128, asset: &Asset, params: &ChainParams) -> FeeQuote {
			let protocol_fee = T::ProtocolFee::get().mul_ceil(amount_in);
			let max_gas_cost = params.max_gas_cost_in(asset);
			FeeQuote {
				protocol_fee,
				max_gas_cost,
				solver_receives_at_least: amount_in
					.saturating_sub(protocol_fee)
					.saturating_sub(max_gas_cost),
			}
		}

		/// Checks `terms` at Unix time `now` and parses its ids.
		pub fn check_terms(
			terms: &IntentTerms<T::AccountId>,
			now: UnixSeconds,
		) -> Result<CheckedTerms, DispatchError> {
			let (source_chain, source_asset) = caip::parse_evm_asset(&terms.source_asset)
				.map_err(|_| Error::<T>::InvalidSourceAsset)?;
			let (destination_chain, destination_asset) =
				caip::parse_evm_asset(&terms.destination_asset)
					.map_err(|_| Error::<T>::InvalidDestinationAsset)?;
			let params = Chains::<T>::get(source_chain).ok_or(Error::<T>::UnknownChain)?;
			let destination_params =
				Chains::<T>::get(destination_chain).ok_or(Error::<T>::UnknownChain)?;
			let (recipient_chain, recipient) = caip::parse_evm_account(&terms.recipient)
				.map_err(|_| Error::<T>::InvalidRecipient)?;
			ensure!(recipient_chain == destination_chain, Error::<T>::InvalidRecipient);
			let (refund_chain, refund_to) = caip::parse_evm_account(&terms.refund_to)
				.map_err(|_| Error::<T>::InvalidRefundAddress)?;
			ensure!(refund_chain == source_chain, Error::<T>::InvalidRefundAddress);
			ensure!(terms.amount_in > 0 && terms.min_amount_out > 0, Error::<T>::ZeroAmount);
			ensure!(
				now < terms.open_deadline && terms.open_deadline <= terms.fill_deadline,
				Error::<T>::DeadlinesOutOfOrder
			);
			if let Some(ex) = &terms.exclusive {
				ensure!(ex.until <= terms.fill_deadline, Error::<T>::DeadlinesOutOfOrder);
			}
			ensure!(
				terms.fill_deadline <= now.saturating_add(T::MaxIntentLifetime::get()),
				Error::<T>::LifetimeTooLong
			);
			let source = Leg { chain_id: source_chain, asset: source_asset };
			let quote = Self::quote(terms.amount_in, &source.asset, &params);
			let fee = quote.protocol_fee.saturating_add(quote.max_gas_cost);
			ensure!(fee <= terms.max_fee, Error::<T>::FeeAboveMax);
			ensure!(terms.amount_in > fee, Error::<T>::AmountBelowFee);
			Ok(CheckedTerms {
				source,
				destination: Leg { chain_id: destination_chain, asset: destination_asset },
				recipient,
				refund_to,
				quote,
				grace: params.attestation_grace.max(destination_params.attestation_grace),
			})
		}

		pub(crate) fn check_chain_params(params: &ChainParams) -> DispatchResult {
			ensure!(
				params.confirmations > 0
					&& params.native_gas_limit >= 21_000
					&& params.erc20_gas_limit >= 21_000
					&& params.max_fee_per_gas > 0
					&& (1..=MAX_ATTESTATION_GRACE).contains(&params.attestation_grace),
				Error::<T>::InvalidChainParams
			);
			Ok(())
		}

		/// Moves an intent to Expired. A claim still on it is given up without a slash (the
		/// fill deadline passed for everyone; a timed-out claim is slashed before).
		pub(crate) fn expire(intent: IntentId, record: &mut IntentOf<T>) {
			if let IntentStatus::Claimed { solver, .. } = &record.status {
				Self::release_claim(solver);
			}
			record.status = IntentStatus::Expired { since: Self::now() };
			Self::deposit_event(Event::IntentExpired { intent, deposited: record.deposited });
		}

		/// Whether a refund would move anything: a deposit, and for the native coin more
		/// than the refund's worst-case gas.
		pub fn refundable(record: &IntentOf<T>) -> bool {
			let gas = Chains::<T>::get(record.source.chain_id)
				.map(|p| p.max_gas_cost_in(&record.source.asset))
				.unwrap_or(0);
			record.deposited > gas
		}

		/// Decrements a solver's unfilled claims.
		pub(crate) fn release_claim(solver: &T::AccountId) {
			Solvers::<T>::mutate(solver, |info| {
				if let Some(info) = info {
					info.active_claims = info.active_claims.saturating_sub(1);
				}
			});
		}

		/// Slashes `SlashFraction` of a solver's bond to `to` and gives up its claim.
		fn slash(solver: &T::AccountId, to: &T::AccountId) -> BalanceOf<T> {
			let Some(mut info) = Solvers::<T>::get(solver) else { return Default::default() };
			let amount = T::SlashFraction::get() * info.bond;
			let slashed = T::Currency::transfer_on_hold(
				&HoldReason::SolverBond.into(),
				solver,
				to,
				amount,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)
			.unwrap_or_else(|e| {
				log::warn!(target: LOG_TARGET, "slashing solver failed: {e:?}");
				Default::default()
			});
			info.bond = info.bond.saturating_sub(slashed);
			info.active_claims = info.active_claims.saturating_sub(1);
			info.missed_claims = info.missed_claims.saturating_add(1);
			Solvers::<T>::insert(solver, info);
			slashed
		}

		/// Ends an intent: removes its record and votes and releases its deposit.
		pub(crate) fn finish(
			intent: IntentId,
			record: IntentOf<T>,
			outcome: Outcome,
			tx_hash: Option<sp_core::H256>,
		) {
			Intents::<T>::remove(intent);
			IntentsOf::<T>::remove(record.creator, intent);
			IntentCount::<T>::mutate_exists(record.creator, |count| {
				*count = count.map(|c| c.saturating_sub(1)).filter(|c| *c > 0);
			});
			for kind in FactKind::ALL {
				Attestations::<T>::remove(intent, kind);
			}
			if let Err(e) = T::Currency::release(
				&HoldReason::Intent.into(),
				&record.deposit_payer,
				record.deposit,
				Precision::BestEffort,
			) {
				log::warn!(target: LOG_TARGET, "releasing intent {intent}'s deposit failed: {e:?}");
			}
			Self::deposit_event(Event::IntentEnded { intent, outcome, tx_hash });
		}

		/// The fee of an intent giving `amount_in` of `source_asset` (CAIP-19).
		pub fn quote_for(source_asset: &[u8], amount_in: u128) -> Result<FeeQuote, QuoteError> {
			let (chain_id, asset) =
				caip::parse_evm_asset(source_asset).map_err(|_| QuoteError::InvalidAsset)?;
			let params = Chains::<T>::get(chain_id).ok_or(QuoteError::UnknownChain)?;
			Ok(Self::quote(amount_in, &asset, &params))
		}

		/// Up to `limit` unfinished intents of a Meta-Account with ids from `start` on.
		pub fn intents_of(
			meta_account: &MetaAccountId,
			start: IntentId,
			limit: u32,
		) -> alloc::vec::Vec<(IntentId, IntentOf<T>)> {
			let mut ids: alloc::vec::Vec<IntentId> =
				IntentsOf::<T>::iter_key_prefix(meta_account).filter(|id| *id >= start).collect();
			ids.sort_unstable();
			ids.into_iter()
				.take(limit as usize)
				.filter_map(|id| Intents::<T>::get(id).map(|i| (id, i)))
				.collect()
		}
	}
}

/// What the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Sets the chain's clock to Unix time `secs`.
	fn set_time(secs: UnixSeconds);
}

/// The parsed form of [`IntentTerms`].
pub struct CheckedTerms {
	/// What the user gives.
	pub source: Leg,
	/// What the user receives.
	pub destination: Leg,
	/// The recipient on the destination chain.
	pub recipient: EvmAddress,
	/// The refund address on the source chain.
	pub refund_to: EvmAddress,
	/// The fee.
	pub quote: FeeQuote,
	/// The intent's grace after deadlines (see [`Intent::grace`]).
	pub grace: u64,
}

impl<T: Config> OnSignatureOutcome for Pallet<T> {
	fn on_outcome(request: RequestId, owner: &RequestOwner, outcome: SignatureOutcome) {
		if owner.namespace != namespace::INTENTS {
			return;
		}
		let intent = owner.context;
		Intents::<T>::mutate(intent, |maybe| {
			let Some(record) = maybe else { return };
			let IntentStatus::PayingOut { request: current, signed_at, .. } = &mut record.status
			else {
				return;
			};
			if *current != Some(request) {
				return;
			}
			match outcome {
				SignatureOutcome::Signed => {
					*signed_at = Some(Self::now());
					Self::deposit_event(Event::PayoutSigned { intent, request });
				},
				SignatureOutcome::Failed(_) | SignatureOutcome::Cancelled => {
					*current = None;
					Self::deposit_event(Event::PayoutSigningFailed { intent, request });
				},
			}
		});
	}

	fn on_outcome_weight() -> Weight {
		T::WeightInfo::on_signature_outcome()
	}
}

impl<T: Config> MetaAccountDependents for Pallet<T> {
	fn ensure_can_close(meta_account: &MetaAccountId) -> DispatchResult {
		ensure!(IntentCount::<T>::get(meta_account) == 0, Error::<T>::MetaAccountHasIntents);
		Ok(())
	}

	fn ensure_can_close_weight() -> Weight {
		T::WeightInfo::ensure_can_close()
	}
}
