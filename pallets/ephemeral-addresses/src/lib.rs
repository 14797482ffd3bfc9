//! # Ephemeral-addresses pallet
//!
//! Addresses on other chains owned by a Meta-Account, derived on-chain from a committee key
//! with **non-hardened BIP32** — no MPC round is needed to create one.
//!
//! Address number `index` of Meta-Account `m` uses the path
//! [`meta_account_path(m, index)`](waas_primitives::meta_account_path)
//! `= [1, m0, m1, m2, index]`: this pallet's namespace
//! ([`META_ACCOUNT_ADDRESSES`](waas_primitives::namespace::META_ACCOUNT_ADDRESSES)), three
//! indices taken from the Meta-Account id, and the address index. Provisioning records the
//! Meta-Account as the owner of the prefix `[1, m0, m1, m2]` in the threshold-signers pallet,
//! so another Meta-Account whose id shares those 93 bits is refused (`PathOwnedByAnother`),
//! and only this pallet can ever have these paths signed. The runtime derives the child public
//! key and encodes it for the chain (CAIP-2 id, e.g. `eip155:1` → EIP-55 address). Signers
//! derive the same path when they sign, so chain and signers always agree.
//!
//! ## From an address to a signature
//!
//! 1. [`provision_address`](Pallet::provision_address) → [`Event::AddressProvisioned`].
//! 2. [`sign_with_address`](Pallet::sign_with_address) → threshold-signers'
//!    `SignatureRequested` (owner: this Meta-Account and address), then `AttemptAssigned`
//!    (or `SignatureQueued` with a position, and `AttemptAssigned` later), and this pallet's
//!    [`Event::AddressSignatureRequested`]. The payload is hashed the way the address's chain
//!    hashes (keccak-256 on EVM chains).
//! 3. The assigned signers run CGGMP21 off-chain; one of them calls threshold-signers'
//!    `submit_signature` → `RequestSigned` with `r ‖ s` and the recovery id. The request's
//!    deposit comes back to the payer, its fee goes to the signers; this pallet is told and
//!    marks a one-time address [`AddressStatus::Used`] ([`Event::AddressUsed`]).
//!
//! ## Lifecycle and deposits
//!
//! `Active` → `Used` (one-time addresses, after their signature) → revoked. At most
//! [`Config::MaxInFlightPerMetaAccount`] requests of a Meta-Account are unfinished at a time,
//! and a one-time address has at most one. [`cancel_request`](Pallet::cancel_request) cancels
//! one; [`revoke_address`](Pallet::revoke_address) cancels the address's requests, removes its
//! record and returns its deposit — the address never signs again, whatever it still holds on
//! its chain. Each record holds a deposit (base + per byte) from the authenticator that
//! provisioned it; when that authenticator has left the Meta-Account, another can
//! [`take_over_deposit`](Pallet::take_over_deposit). A Meta-Account can close only once it has
//! no addresses ([`MetaAccountDependents`]).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
/// Storage invariants (`try_state`), public so that tests of dependent pallets and
/// try-runtime can check them.
mod invariants;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::fungible};
use waas_primitives::ChainFamily;
use waas_traits::{
	AccountActivity, Activity, MetaAccountDependents, MetaAccountId, MetaAccountInspect,
	OnSignatureOutcome, RequestId, RequestOwner, SignatureOutcome, SigningRequest, ThresholdSigner,
};

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// The pallet's storage layout version.
const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::traits::{fungible::MutateHold, tokens::Precision};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Saturating;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Currency for address deposits.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Origin of a Meta-Account: yields its id and the signing authenticator.
		type MetaAccountOrigin: EnsureOrigin<
			Self::RuntimeOrigin,
			Success = (MetaAccountId, Self::AccountId),
		>;
		/// Which Meta-Account an account authenticates for.
		type MetaAccounts: MetaAccountInspect<Self::AccountId>;
		/// The committee's signature service.
		type ThresholdSigner: ThresholdSigner<Self::AccountId>;
		/// Deposit per address record.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;
		/// Deposit per byte of an address record.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;
		/// Maximum addresses one Meta-Account can provision (at most 2^31).
		#[pallet::constant]
		type MaxAddressesPerMetaAccount: Get<u32>;
		/// Maximum unfinished signature requests of one Meta-Account.
		#[pallet::constant]
		type MaxInFlightPerMetaAccount: Get<u32>;
		/// Where the addresses' provisioning, revocation and signatures are recorded in the
		/// Meta-Account's activity log (`()`: nowhere).
		type Activity: AccountActivity<Self::AccountId>;
		/// Weights of the calls and of the outcome callback.
		type WeightInfo: WeightInfo;
	}

	/// Reasons for which this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for an address record.
		Address,
	}

	/// Addresses by Meta-Account and index.
	#[pallet::storage]
	pub type Addresses<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		MetaAccountId,
		Twox64Concat,
		AddressIndex,
		AddressInfo<T>,
		OptionQuery,
	>;

	/// The next address index of each Meta-Account (= how many it has provisioned; indices are
	/// never reused).
	#[pallet::storage]
	pub type NextAddressIndex<T: Config> =
		StorageMap<_, Blake2_128Concat, MetaAccountId, AddressIndex, ValueQuery>;

	/// Unfinished signature requests of each Meta-Account, with the address they are for.
	#[pallet::storage]
	pub type InFlight<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		MetaAccountId,
		Twox64Concat,
		RequestId,
		AddressIndex,
		OptionQuery,
	>;

	/// How many requests of each Meta-Account are unfinished.
	#[pallet::storage]
	pub type InFlightCount<T: Config> =
		StorageMap<_, Blake2_128Concat, MetaAccountId, u32, ValueQuery>;

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A new address was derived for `meta_account`.
		AddressProvisioned {
			meta_account: MetaAccountId,
			index: AddressIndex,
			key: KeyId,
			chain: Caip2Id,
			address: AddressText,
			public_key: CompressedPublicKey,
			one_time: bool,
			deposit: BalanceOf<T>,
		},
		/// A signature with the address was requested (see the threshold-signers events).
		AddressSignatureRequested {
			meta_account: MetaAccountId,
			index: AddressIndex,
			request: RequestId,
		},
		/// A one-time address produced its signature and is now `Used`.
		AddressUsed { meta_account: MetaAccountId, index: AddressIndex },
		/// The address was revoked: its record is gone, its deposit returned, and
		/// `cancelled_requests` of its requests cancelled.
		AddressRevoked { meta_account: MetaAccountId, index: AddressIndex, cancelled_requests: u32 },
		/// `to` now pays the address's deposit instead of `from`, who left the Meta-Account.
		DepositTakenOver {
			meta_account: MetaAccountId,
			index: AddressIndex,
			from: T::AccountId,
			to: T::AccountId,
			deposit: BalanceOf<T>,
		},
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The chain id is not a valid CAIP-2 id.
		InvalidChainId,
		/// The chain's namespace is not supported yet (only `eip155` now).
		UnsupportedChain,
		/// The Meta-Account has provisioned the maximum number of addresses.
		TooManyAddresses,
		/// The Meta-Account has no address with this index.
		UnknownAddress,
		/// The one-time address has already been used.
		AddressUsed,
		/// The one-time address already has a signature in flight.
		SignatureInFlight,
		/// The Meta-Account has the maximum number of unfinished requests.
		TooManyInFlight,
		/// The payload is empty.
		EmptyPayload,
		/// The derived key could not be encoded as an address.
		EncodingFailed,
		/// The request is not an unfinished request of the caller's Meta-Account.
		UnknownRequest,
		/// The deposit's payer still pays for the Meta-Account (one of its Substrate
		/// authenticators, or its sovereign account).
		PayerStillAuthenticator,
		/// The Meta-Account still has addresses: revoke them first.
		MetaAccountHasAddresses,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxAddressesPerMetaAccount::get() <= waas_primitives::HARDENED_OFFSET,
				"MaxAddressesPerMetaAccount must not exceed 2^31 (indices are non-hardened)"
			);
			assert!(
				T::MaxInFlightPerMetaAccount::get() > 0,
				"MaxInFlightPerMetaAccount must be > 0"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Provision the caller's Meta-Account's next address on `chain` (CAIP-2), derived from
		/// committee key `key`. Holds the address deposit from the calling authenticator.
		///
		/// The dispatch origin must be a Meta-Account's authenticator.
		///
		/// Emits [`Event::AddressProvisioned`]. Errors: `InvalidChainId`, `UnsupportedChain`,
		/// `TooManyAddresses`, `EncodingFailed`, the threshold signer's `UnknownKey`,
		/// `KeyNotActive`, `PathOwnedByAnother`, and the currency's error if the deposit
		/// cannot be held.
		///
		/// ## Complexity
		/// O(1): one BIP32 derivation of depth 5 and one address encoding.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::provision_address().saturating_add(T::Activity::record_weight()))]
		pub fn provision_address(
			origin: OriginFor<T>,
			key: KeyId,
			chain: Caip2Id,
			one_time: bool,
		) -> DispatchResult {
			let (meta_account, who) = T::MetaAccountOrigin::ensure_origin(origin)?;
			let family = Self::chain_family(&chain)?;
			let index = NextAddressIndex::<T>::get(meta_account);
			ensure!(index < T::MaxAddressesPerMetaAccount::get(), Error::<T>::TooManyAddresses);
			let path = Self::path(&meta_account, index)?;
			let public_key = T::ThresholdSigner::claim_path(
				&RequestOwner::meta_account_address(meta_account, index),
				key,
				&path,
			)?;
			let address = Self::encode(&family, &public_key)?;
			let deposit = Self::address_deposit();
			T::Currency::hold(&HoldReason::Address.into(), &who, deposit)?;
			NextAddressIndex::<T>::insert(meta_account, index.saturating_add(1));
			Addresses::<T>::insert(
				meta_account,
				index,
				AddressInfo {
					key,
					chain: chain.clone(),
					address: address.clone(),
					public_key,
					status: AddressStatus::Active,
					one_time,
					in_flight: 0,
					deposit_payer: who,
					deposit,
					created_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			T::Activity::record(
				meta_account,
				Activity::AddressProvisioned { index, key, chain: chain.clone(), public_key },
			);
			Self::deposit_event(Event::AddressProvisioned {
				meta_account,
				index,
				key,
				chain,
				address,
				public_key,
				one_time,
				deposit,
			});
			Ok(())
		}

		/// Ask the committee to sign `payload` with address `index` of the caller's
		/// Meta-Account, hashed the way the address's chain hashes. The calling authenticator
		/// pays the request's deposit and signing fee (see the threshold-signers pallet).
		///
		/// The dispatch origin must be a Meta-Account's authenticator.
		///
		/// Emits [`Event::AddressSignatureRequested`] and the threshold signer's events.
		/// Errors: `UnknownAddress`, `AddressUsed`, `SignatureInFlight`, `TooManyInFlight`,
		/// `EmptyPayload`, and the threshold signer's errors (`QueueFull`, `KeyNotActive`, …).
		///
		/// ## Complexity
		/// O(p) for a payload of p bytes, plus one BIP32 derivation of depth 5.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::sign_with_address(payload.len() as u32)
			.saturating_add(T::Activity::record_weight()))]
		pub fn sign_with_address(
			origin: OriginFor<T>,
			index: AddressIndex,
			payload: BoundedVec<u8, MaxPayloadOf<T>>,
		) -> DispatchResult {
			let (meta_account, who) = T::MetaAccountOrigin::ensure_origin(origin)?;
			let mut info =
				Addresses::<T>::get(meta_account, index).ok_or(Error::<T>::UnknownAddress)?;
			ensure!(info.status == AddressStatus::Active, Error::<T>::AddressUsed);
			ensure!(!(info.one_time && info.in_flight > 0), Error::<T>::SignatureInFlight);
			ensure!(!payload.is_empty(), Error::<T>::EmptyPayload);
			let count = InFlightCount::<T>::get(meta_account);
			ensure!(count < T::MaxInFlightPerMetaAccount::get(), Error::<T>::TooManyInFlight);
			let family = Self::chain_family(&info.chain)?;
			let path = Self::path(&meta_account, index)?;
			let request = T::ThresholdSigner::request_signature(SigningRequest {
				owner: RequestOwner::meta_account_address(meta_account, index),
				payer: &who,
				key: info.key,
				path: &path,
				payload: &payload,
				scheme: family.hash_scheme(),
			})?;
			info.in_flight = info.in_flight.saturating_add(1);
			Addresses::<T>::insert(meta_account, index, info);
			InFlight::<T>::insert(meta_account, request, index);
			InFlightCount::<T>::insert(meta_account, count.saturating_add(1));
			T::Activity::record(meta_account, Activity::SignatureRequested { index, request });
			Self::deposit_event(Event::AddressSignatureRequested { meta_account, index, request });
			Ok(())
		}

		/// Cancel an unfinished signature request of the caller's Meta-Account. A request
		/// still queued costs nothing; one already assigned pays its signers' fee.
		///
		/// The dispatch origin must be a Meta-Account's authenticator.
		///
		/// Emits the threshold signer's `RequestCancelled`. Errors: `UnknownRequest`, and
		/// the threshold signer's `RequestNotPending`.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::cancel_request().saturating_add(T::Activity::record_weight()))]
		pub fn cancel_request(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let (meta_account, _) = T::MetaAccountOrigin::ensure_origin(origin)?;
			let index =
				InFlight::<T>::get(meta_account, request).ok_or(Error::<T>::UnknownRequest)?;
			T::ThresholdSigner::cancel(
				&RequestOwner::meta_account_address(meta_account, index),
				request,
			)
		}

		/// Revoke address `index` of the caller's Meta-Account: its unfinished requests are
		/// cancelled, its record removed and its deposit returned to its payer. It never signs
		/// again; its index is never reused.
		///
		/// The dispatch origin must be a Meta-Account's authenticator.
		///
		/// Emits [`Event::AddressRevoked`] and a `RequestCancelled` per cancelled request.
		/// Errors: `UnknownAddress`.
		///
		/// ## Complexity
		/// O(r) for the Meta-Account's r unfinished requests (r ≤ `MaxInFlightPerMetaAccount`).
		#[pallet::call_index(3)]
		#[pallet::weight(Pallet::<T>::revoke_weight(T::MaxInFlightPerMetaAccount::get()))]
		pub fn revoke_address(
			origin: OriginFor<T>,
			index: AddressIndex,
		) -> DispatchResultWithPostInfo {
			let (meta_account, _) = T::MetaAccountOrigin::ensure_origin(origin)?;
			ensure!(Addresses::<T>::contains_key(meta_account, index), Error::<T>::UnknownAddress);
			let owner = RequestOwner::meta_account_address(meta_account, index);
			let requests: Vec<RequestId> = InFlight::<T>::iter_prefix(meta_account)
				.filter(|(_, i)| *i == index)
				.map(|(r, _)| r)
				.collect();
			for request in &requests {
				T::ThresholdSigner::cancel(&owner, *request)?;
			}
			let info =
				Addresses::<T>::take(meta_account, index).ok_or(Error::<T>::UnknownAddress)?;
			Self::release_deposit(&info)?;
			let cancelled_requests = requests.len() as u32;
			T::Activity::record(meta_account, Activity::AddressRevoked { index });
			Self::deposit_event(Event::AddressRevoked { meta_account, index, cancelled_requests });
			Ok(Some(Self::revoke_weight(cancelled_requests)).into())
		}

		/// Pay address `index`'s deposit instead of its payer, who no longer authenticates for
		/// the Meta-Account; the payer gets it back. The amount is recomputed.
		///
		/// The dispatch origin must be a Meta-Account's authenticator.
		///
		/// Emits [`Event::DepositTakenOver`]. Errors: `UnknownAddress`,
		/// `PayerStillAuthenticator`, and the currency's error if the deposit cannot be held.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::take_over_deposit())]
		pub fn take_over_deposit(origin: OriginFor<T>, index: AddressIndex) -> DispatchResult {
			let (meta_account, who) = T::MetaAccountOrigin::ensure_origin(origin)?;
			let mut info =
				Addresses::<T>::get(meta_account, index).ok_or(Error::<T>::UnknownAddress)?;
			ensure!(
				!T::MetaAccounts::pays_for(&info.deposit_payer, &meta_account),
				Error::<T>::PayerStillAuthenticator
			);
			let deposit = Self::address_deposit();
			T::Currency::hold(&HoldReason::Address.into(), &who, deposit)?;
			Self::release_deposit(&info)?;
			let from = core::mem::replace(&mut info.deposit_payer, who.clone());
			info.deposit = deposit;
			Addresses::<T>::insert(meta_account, index, info);
			Self::deposit_event(Event::DepositTakenOver {
				meta_account,
				index,
				from,
				to: who,
				deposit,
			});
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Parses a CAIP-2 id into a supported chain family.
		pub fn chain_family(chain: &[u8]) -> Result<ChainFamily, DispatchError> {
			use waas_primitives::CaipError;
			ChainFamily::from_caip2(chain).map_err(|e| {
				match e {
					CaipError::UnsupportedNamespace => Error::<T>::UnsupportedChain,
					_ => Error::<T>::InvalidChainId,
				}
				.into()
			})
		}

		/// The derivation path of address `index` of `meta_account`.
		pub fn path(
			meta_account: &MetaAccountId,
			index: AddressIndex,
		) -> Result<[u32; waas_primitives::META_ACCOUNT_PATH_DEPTH as usize], DispatchError> {
			waas_primitives::meta_account_path(meta_account.as_fixed_bytes(), index)
				.map_err(|_| Error::<T>::TooManyAddresses.into())
		}

		/// The address text of `public_key` on `family`.
		pub fn encode(
			family: &ChainFamily,
			public_key: &CompressedPublicKey,
		) -> Result<AddressText, DispatchError> {
			let text: Vec<u8> = waas_primitives::encode_address(family, public_key)
				.map_err(|_| Error::<T>::EncodingFailed)?;
			AddressText::try_from(text).map_err(|_| Error::<T>::EncodingFailed.into())
		}

		/// The weight of revoking an address with `cancelled` unfinished requests: each
		/// cancellation and the revocation are recorded in the activity log.
		pub fn revoke_weight(cancelled: u32) -> Weight {
			T::WeightInfo::revoke_address(cancelled).saturating_add(
				T::Activity::record_weight().saturating_mul(u64::from(cancelled) + 1),
			)
		}

		/// Returns an address record's deposit to its payer.
		fn release_deposit(info: &AddressInfo<T>) -> DispatchResult {
			T::Currency::release(
				&HoldReason::Address.into(),
				&info.deposit_payer,
				info.deposit,
				Precision::BestEffort,
			)
			.map(|_| ())
		}

		/// The deposit an address record holds: base + per byte of the record and its key.
		pub fn address_deposit() -> BalanceOf<T> {
			let bytes = AddressInfo::<T>::max_encoded_len()
				+ 16 + MetaAccountId::max_encoded_len()
				+ 8 + AddressIndex::max_encoded_len();
			T::DepositBase::get()
				.saturating_add(T::DepositPerByte::get().saturating_mul((bytes as u32).into()))
		}

		/// Up to `limit` addresses of a Meta-Account from index `start` on, by index.
		pub fn addresses_of(
			meta_account: &MetaAccountId,
			start: AddressIndex,
			limit: u32,
		) -> Vec<(AddressIndex, AddressInfo<T>)> {
			let end = NextAddressIndex::<T>::get(meta_account).min(start.saturating_add(limit));
			(start..end)
				.filter_map(|i| Addresses::<T>::get(meta_account, i).map(|info| (i, info)))
				.collect()
		}
	}
}

impl<T: Config> OnSignatureOutcome for Pallet<T> {
	fn on_outcome(request: RequestId, owner: &RequestOwner, outcome: SignatureOutcome) {
		if owner.namespace != waas_primitives::namespace::META_ACCOUNT_ADDRESSES {
			return;
		}
		let meta_account = owner.id;
		let Some(index) = InFlight::<T>::take(meta_account, request) else { return };
		InFlightCount::<T>::mutate_exists(meta_account, |count| {
			*count = count.map(|c| c.saturating_sub(1)).filter(|c| *c > 0);
		});
		let mut used = false;
		Addresses::<T>::mutate(meta_account, index, |maybe| {
			if let Some(info) = maybe {
				info.in_flight = info.in_flight.saturating_sub(1);
				if outcome == SignatureOutcome::Signed
					&& info.one_time
					&& info.status == AddressStatus::Active
				{
					info.status = AddressStatus::Used;
					used = true;
				}
			}
		});
		T::Activity::record(meta_account, Activity::SignatureEnded { index, request, outcome });
		if used {
			Self::deposit_event(Event::AddressUsed { meta_account, index });
		}
	}

	fn on_outcome_weight() -> Weight {
		T::WeightInfo::on_signature_outcome().saturating_add(T::Activity::record_weight())
	}
}

impl<T: Config> MetaAccountDependents for Pallet<T> {
	fn ensure_can_close(meta_account: &MetaAccountId) -> DispatchResult {
		ensure!(
			Addresses::<T>::iter_prefix(meta_account).next().is_none(),
			Error::<T>::MetaAccountHasAddresses
		);
		Ok(())
	}

	fn ensure_can_close_weight() -> Weight {
		T::WeightInfo::ensure_can_close()
	}
}
