//! # Meta-Accounts pallet
//!
//! A **Meta-Account** is one identity controlled by several authenticators. This pallet keeps
//! the registry of Meta-Accounts and of the Substrate accounts that authenticate for them, and
//! gives other pallets two ways to act for a Meta-Account:
//!
//! - [`EnsureMetaAccount`], an [`EnsureOrigin`](frame_support::traits::EnsureOrigin) that
//!   succeeds for a signed origin whose account is an authenticator, yielding the Meta-Account
//!   id and the signing account;
//! - the [`MetaAccountInspect`] trait, for read-only questions ("does this Meta-Account exist?").
//!
//! ## Identity and deposits
//!
//! A Meta-Account id is deterministic: `blake2_256("waas/meta-account" ++ creator ++ nonce)`,
//! where `nonce` counts the Meta-Accounts the creator has created so far. Each authenticator
//! entry holds [`Config::AuthenticatorDeposit`] from the account that added it (fungible hold
//! with [`HoldReason::Authenticator`]); the deposit is released to that account when the entry
//! is removed. An account authenticates for at most one Meta-Account, and a Meta-Account always
//! keeps at least one authenticator.
//!
//! ## Calls
//!
//! - [`create`](Pallet::create): a new Meta-Account controlled by the caller.
//! - [`add_authenticator`](Pallet::add_authenticator): an authenticator adds another account.
//! - [`remove_authenticator`](Pallet::remove_authenticator): an authenticator removes one
//!   (itself included), never the last.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::fungible};
use scale_info::TypeInfo;

/// Identifier of a Meta-Account.
pub type MetaAccountId = sp_core::H256;

/// Domain tag hashed into every Meta-Account id.
pub const META_ACCOUNT_ID_DOMAIN: &[u8] = b"waas/meta-account";

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// One account that authenticates for a Meta-Account, with the deposit held for its entry.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Authenticator<AccountId, Balance> {
	/// The account whose signature acts for the Meta-Account.
	pub account: AccountId,
	/// The account that paid the deposit for this entry and gets it back on removal.
	pub deposit_payer: AccountId,
	/// The amount held from `deposit_payer`.
	pub deposit: Balance,
}

/// A Meta-Account: its authenticators and when it was created.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxAuthenticators))]
pub struct MetaAccount<AccountId, Balance, BlockNumber, MaxAuthenticators: Get<u32>> {
	/// The accounts that can act for this Meta-Account (never empty).
	pub authenticators: BoundedVec<Authenticator<AccountId, Balance>, MaxAuthenticators>,
	/// The account that created it.
	pub creator: AccountId,
	/// Block in which it was created.
	pub created_at: BlockNumber,
}

/// The stored Meta-Account type of a runtime.
pub type MetaAccountOf<T> = MetaAccount<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
	<T as Config>::MaxAuthenticators,
>;

/// Read-only access to Meta-Accounts for other pallets.
pub trait MetaAccountInspect<AccountId> {
	/// The Meta-Account `who` authenticates for, if any.
	fn meta_account_of(who: &AccountId) -> Option<MetaAccountId>;
	/// Whether the Meta-Account exists.
	fn exists(id: &MetaAccountId) -> bool;
	/// Whether `who` is an authenticator of `id`.
	fn is_authenticator(id: &MetaAccountId, who: &AccountId) -> bool {
		Self::meta_account_of(who).as_ref() == Some(id)
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::traits::{
		fungible::{Mutate, MutateHold},
		tokens::Precision,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::StaticLookup;

	type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency in which deposits are held.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Deposit held for each authenticator entry (the first one also pays for the
		/// Meta-Account record).
		#[pallet::constant]
		type AuthenticatorDeposit: Get<BalanceOf<Self>>;
		/// Maximum number of authenticators of one Meta-Account.
		#[pallet::constant]
		type MaxAuthenticators: Get<u32>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Reasons for which this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for an authenticator entry of a Meta-Account.
		Authenticator,
	}

	/// Meta-Accounts by id.
	#[pallet::storage]
	pub type Accounts<T: Config> =
		StorageMap<_, Blake2_128Concat, MetaAccountId, MetaAccountOf<T>, OptionQuery>;

	/// The Meta-Account each authenticator account acts for.
	#[pallet::storage]
	pub type AuthenticatorOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, MetaAccountId, OptionQuery>;

	/// How many Meta-Accounts each account has created; part of the next id.
	#[pallet::storage]
	pub type CreationNonce<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A Meta-Account was created, controlled by `creator`.
		MetaAccountCreated { meta_account: MetaAccountId, creator: T::AccountId },
		/// `account` became an authenticator of `meta_account`.
		AuthenticatorAdded {
			meta_account: MetaAccountId,
			account: T::AccountId,
			added_by: T::AccountId,
		},
		/// `account` stopped being an authenticator of `meta_account`.
		AuthenticatorRemoved {
			meta_account: MetaAccountId,
			account: T::AccountId,
			removed_by: T::AccountId,
		},
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account already authenticates for a Meta-Account.
		AlreadyAuthenticator,
		/// The caller is not an authenticator of any Meta-Account.
		NotAuthenticator,
		/// The account to remove is not an authenticator of the caller's Meta-Account.
		AuthenticatorNotFound,
		/// The Meta-Account already has the maximum number of authenticators.
		TooManyAuthenticators,
		/// The last authenticator of a Meta-Account cannot be removed.
		LastAuthenticator,
		/// The deposit could not be held: the paying account's free balance is too low.
		InsufficientBalanceForDeposit,
		/// The creation nonce of this account is exhausted.
		NonceOverflow,
		/// Storage is inconsistent: an authenticator points to a missing Meta-Account.
		UnknownMetaAccount,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a Meta-Account controlled by the caller, who must not already authenticate
		/// for one. Holds [`Config::AuthenticatorDeposit`] from the caller.
		///
		/// Emits [`Event::MetaAccountCreated`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create())]
		pub fn create(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!AuthenticatorOf::<T>::contains_key(&who), Error::<T>::AlreadyAuthenticator);
			let nonce = CreationNonce::<T>::get(&who);
			let next_nonce = nonce.checked_add(1).ok_or(Error::<T>::NonceOverflow)?;
			let id = Self::meta_account_id(&who, nonce);
			// A collision would need a blake2-256 collision; refuse rather than overwrite.
			ensure!(!Accounts::<T>::contains_key(id), Error::<T>::AlreadyAuthenticator);

			let deposit = Self::hold_deposit(&who)?;
			let first = Authenticator { account: who.clone(), deposit_payer: who.clone(), deposit };
			let authenticators = BoundedVec::try_from(alloc::vec![first])
				.map_err(|_| Error::<T>::TooManyAuthenticators)?;
			Accounts::<T>::insert(
				id,
				MetaAccount {
					authenticators,
					creator: who.clone(),
					created_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			AuthenticatorOf::<T>::insert(&who, id);
			CreationNonce::<T>::insert(&who, next_nonce);
			Self::deposit_event(Event::MetaAccountCreated { meta_account: id, creator: who });
			Ok(())
		}

		/// Add `account` as an authenticator of the caller's Meta-Account. The caller pays the
		/// entry's deposit. `account` must not authenticate for any Meta-Account yet.
		///
		/// Emits [`Event::AuthenticatorAdded`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::add_authenticator())]
		pub fn add_authenticator(
			origin: OriginFor<T>,
			account: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let account = T::Lookup::lookup(account)?;
			let id = AuthenticatorOf::<T>::get(&who).ok_or(Error::<T>::NotAuthenticator)?;
			ensure!(
				!AuthenticatorOf::<T>::contains_key(&account),
				Error::<T>::AlreadyAuthenticator
			);
			Accounts::<T>::try_mutate(id, |maybe| -> DispatchResult {
				let meta = maybe.as_mut().ok_or(Error::<T>::UnknownMetaAccount)?;
				ensure!(
					(meta.authenticators.len() as u32) < T::MaxAuthenticators::get(),
					Error::<T>::TooManyAuthenticators
				);
				let deposit = Self::hold_deposit(&who)?;
				meta.authenticators
					.try_push(Authenticator {
						account: account.clone(),
						deposit_payer: who.clone(),
						deposit,
					})
					.map_err(|_| Error::<T>::TooManyAuthenticators)?;
				Ok(())
			})?;
			AuthenticatorOf::<T>::insert(&account, id);
			Self::deposit_event(Event::AuthenticatorAdded {
				meta_account: id,
				account,
				added_by: who,
			});
			Ok(())
		}

		/// Remove `account` from the caller's Meta-Account; the caller may remove itself. The
		/// last authenticator cannot be removed. The entry's deposit goes back to its payer.
		///
		/// Emits [`Event::AuthenticatorRemoved`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::remove_authenticator())]
		pub fn remove_authenticator(
			origin: OriginFor<T>,
			account: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let account = T::Lookup::lookup(account)?;
			let id = AuthenticatorOf::<T>::get(&who).ok_or(Error::<T>::NotAuthenticator)?;
			let removed = Accounts::<T>::try_mutate(id, |maybe| {
				let meta = maybe.as_mut().ok_or(Error::<T>::UnknownMetaAccount)?;
				let position = meta
					.authenticators
					.iter()
					.position(|a| a.account == account)
					.ok_or(Error::<T>::AuthenticatorNotFound)?;
				ensure!(meta.authenticators.len() > 1, Error::<T>::LastAuthenticator);
				Ok::<_, Error<T>>(meta.authenticators.remove(position))
			})?;
			T::Currency::release(
				&HoldReason::Authenticator.into(),
				&removed.deposit_payer,
				removed.deposit,
				Precision::BestEffort,
			)?;
			AuthenticatorOf::<T>::remove(&account);
			Self::deposit_event(Event::AuthenticatorRemoved {
				meta_account: id,
				account,
				removed_by: who,
			});
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The id that `creator`'s Meta-Account number `nonce` gets.
		pub fn meta_account_id(creator: &T::AccountId, nonce: u32) -> MetaAccountId {
			use sp_runtime::traits::{BlakeTwo256, Hash};
			BlakeTwo256::hash(&(META_ACCOUNT_ID_DOMAIN, creator, nonce).encode())
		}

		/// The Meta-Account with this id, if it exists.
		pub fn meta_account(id: &MetaAccountId) -> Option<MetaAccountOf<T>> {
			Accounts::<T>::get(id)
		}

		fn hold_deposit(payer: &T::AccountId) -> Result<BalanceOf<T>, DispatchError> {
			let deposit = T::AuthenticatorDeposit::get();
			T::Currency::hold(&HoldReason::Authenticator.into(), payer, deposit)
				.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;
			Ok(deposit)
		}
	}
}

impl<T: Config> MetaAccountInspect<T::AccountId> for Pallet<T> {
	fn meta_account_of(who: &T::AccountId) -> Option<MetaAccountId> {
		AuthenticatorOf::<T>::get(who)
	}

	fn exists(id: &MetaAccountId) -> bool {
		Accounts::<T>::contains_key(id)
	}
}

/// An origin check that succeeds for a signed origin whose account authenticates for a
/// Meta-Account. Its success value is `(meta_account, signing_account)`.
pub struct EnsureMetaAccount<T>(core::marker::PhantomData<T>);

impl<T, O> frame_support::traits::EnsureOrigin<O> for EnsureMetaAccount<T>
where
	T: Config,
	O: Into<Result<frame_system::RawOrigin<T::AccountId>, O>>
		+ From<frame_system::RawOrigin<T::AccountId>>
		+ Clone,
{
	type Success = (MetaAccountId, T::AccountId);

	fn try_origin(origin: O) -> Result<Self::Success, O> {
		match origin.clone().into() {
			Ok(frame_system::RawOrigin::Signed(who)) => match AuthenticatorOf::<T>::get(&who) {
				Some(id) => Ok((id, who)),
				None => Err(origin),
			},
			_ => Err(origin),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		// Any existing authenticator will do; benchmarks create one first.
		AuthenticatorOf::<T>::iter_keys()
			.next()
			.map(|who| O::from(frame_system::RawOrigin::Signed(who)))
			.ok_or(())
	}
}
