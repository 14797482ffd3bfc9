//! # Meta-Accounts pallet
//!
//! A **Meta-Account** is one identity controlled by several authenticators. This pallet keeps
//! the registry of Meta-Accounts and of the Substrate accounts that authenticate for them, and
//! gives other pallets [`EnsureMetaAccount`], an
//! [`EnsureOrigin`](frame_support::traits::EnsureOrigin) that succeeds for a signed origin whose
//! account is an authenticator, yielding the Meta-Account id and the signing account.
//!
//! ## Joining takes the joiner's consent
//!
//! Nobody is made an authenticator without signing for it. An authenticator
//! [`invite_authenticator`](Pallet::invite_authenticator)s an account; the invitation holds a
//! deposit from the inviter and expires after [`Config::InvitationLifetime`] blocks. Only the
//! invitee can [`accept_invitation`](Pallet::accept_invitation); the invitee declines, an
//! authenticator withdraws, or anyone clears an expired invitation with
//! [`cancel_invitation`](Pallet::cancel_invitation), which returns the inviter's deposit. So an
//! attacker who sees a victim's `create` in the pool cannot pull the victim into a Meta-Account
//! the attacker controls: the victim's `create` still succeeds, and the invitation stays an
//! offer.
//!
//! ## Identity and deposits
//!
//! A Meta-Account id is deterministic: `blake2_256("waas/meta-account" ‖ creator ‖ nonce)`,
//! exactly these bytes: the 17 ASCII bytes of the domain, the SCALE encoding of the creator's
//! account id (its 32 raw bytes for a 32-byte account id), and `nonce` as 4 little-endian
//! bytes, where `nonce` counts the Meta-Accounts the creator has created before
//! ([`Pallet::meta_account_id`]).
//!
//! Every authenticator pays the deposit for its own entry ([`Pallet::authenticator_deposit`]:
//! base + per byte), released when it leaves; an inviter pays for its invitation until it is
//! accepted or cancelled. An account authenticates for at most one Meta-Account, and a
//! Meta-Account always keeps at least one authenticator until its last one
//! [`close_meta_account`](Pallet::close_meta_account)s it, which returns every deposit once the
//! other pallets hold nothing for it ([`Config::Dependents`]).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use waas_traits::MetaAccountId;
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

use frame_support::{pallet_prelude::*, traits::fungible};
use waas_traits::{MetaAccountDependents, MetaAccountInspect};

/// Domain tag hashed into every Meta-Account id (17 bytes, no length prefix).
pub const META_ACCOUNT_ID_DOMAIN: [u8; 17] = *b"waas/meta-account";

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
	use sp_runtime::traits::{Saturating, StaticLookup};

	type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency in which deposits are held.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Deposit per stored item (an authenticator entry, an invitation).
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;
		/// Deposit per byte of a stored item.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;
		/// Maximum number of authenticators of one Meta-Account.
		#[pallet::constant]
		type MaxAuthenticators: Get<u32>;
		/// Maximum number of pending invitations of one Meta-Account.
		#[pallet::constant]
		type MaxPendingInvitations: Get<u32>;
		/// Blocks an invitation can be accepted in.
		#[pallet::constant]
		type InvitationLifetime: Get<BlockNumberFor<Self>>;
		/// Pallets that hold something for a Meta-Account; it closes only when they all agree.
		type Dependents: MetaAccountDependents;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Reasons for which this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for an authenticator's own entry.
		Authenticator,
		/// Deposit for a pending invitation, held from the inviter.
		Invitation,
	}

	/// Meta-Accounts by id.
	#[pallet::storage]
	pub type MetaAccounts<T: Config> =
		StorageMap<_, Blake2_128Concat, MetaAccountId, MetaAccountOf<T>, OptionQuery>;

	/// The Meta-Account each authenticator account acts for.
	#[pallet::storage]
	pub type AuthenticatorOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, MetaAccountId, OptionQuery>;

	/// How many Meta-Accounts each account has created; part of the next id.
	#[pallet::storage]
	pub type CreationNonce<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Pending invitations: by invitee, then by inviting Meta-Account.
	#[pallet::storage]
	pub type Invitations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		MetaAccountId,
		InvitationOf<T>,
		OptionQuery,
	>;

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A Meta-Account was created, controlled by `creator`.
		MetaAccountCreated { meta_account: MetaAccountId, creator: T::AccountId },
		/// `invitee` was invited to authenticate for `meta_account` until `expires_at`.
		AuthenticatorInvited {
			meta_account: MetaAccountId,
			invitee: T::AccountId,
			inviter: T::AccountId,
			expires_at: BlockNumberFor<T>,
		},
		/// An invitation was withdrawn, declined or cleared after expiry by `by`.
		InvitationCancelled { meta_account: MetaAccountId, invitee: T::AccountId, by: T::AccountId },
		/// `account` accepted an invitation and authenticates for `meta_account`.
		AuthenticatorAdded { meta_account: MetaAccountId, account: T::AccountId },
		/// `account` stopped being an authenticator of `meta_account`.
		AuthenticatorRemoved {
			meta_account: MetaAccountId,
			account: T::AccountId,
			removed_by: T::AccountId,
		},
		/// The Meta-Account was closed by its last authenticator; every deposit was returned.
		MetaAccountClosed { meta_account: MetaAccountId, closed_by: T::AccountId },
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account already authenticates for a Meta-Account.
		AlreadyAuthenticator,
		/// The caller is not an authenticator of any Meta-Account.
		NotAuthenticator,
		/// The account is not an authenticator of the caller's Meta-Account.
		AuthenticatorNotFound,
		/// The Meta-Account already has the maximum number of authenticators.
		TooManyAuthenticators,
		/// The last authenticator of a Meta-Account cannot be removed; close it instead.
		LastAuthenticator,
		/// Only the last authenticator can close a Meta-Account.
		NotLastAuthenticator,
		/// The creation nonce of this account is exhausted.
		NonceOverflow,
		/// No Meta-Account with this id.
		UnknownMetaAccount,
		/// A Meta-Account with the derived id already exists (a blake2-256 collision).
		IdCollision,
		/// The account already has a pending invitation from this Meta-Account.
		AlreadyInvited,
		/// The Meta-Account has the maximum number of pending invitations.
		TooManyInvitations,
		/// No pending invitation from this Meta-Account to this account.
		NoInvitation,
		/// The invitation has expired.
		InvitationExpired,
		/// Only an authenticator of the inviting Meta-Account or the invitee may cancel an
		/// invitation that has not expired.
		NotAllowedToCancel,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a Meta-Account controlled by the caller, who must not already authenticate
		/// for one. Holds the caller's entry deposit.
		///
		/// The dispatch origin must be signed.
		///
		/// Emits [`Event::MetaAccountCreated`]. Errors: `AlreadyAuthenticator`,
		/// `NonceOverflow`, `IdCollision`, and the currency's error if the deposit cannot be
		/// held.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create())]
		pub fn create(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!AuthenticatorOf::<T>::contains_key(&who), Error::<T>::AlreadyAuthenticator);
			let nonce = CreationNonce::<T>::get(&who);
			let next_nonce = nonce.checked_add(1).ok_or(Error::<T>::NonceOverflow)?;
			let id = Self::meta_account_id(&who, nonce);
			ensure!(!MetaAccounts::<T>::contains_key(id), Error::<T>::IdCollision);

			let deposit = Self::authenticator_deposit();
			T::Currency::hold(&HoldReason::Authenticator.into(), &who, deposit)?;
			let first = Authenticator { account: who.clone(), deposit };
			let authenticators = BoundedVec::try_from(alloc::vec![first])
				.map_err(|_| Error::<T>::TooManyAuthenticators)?;
			MetaAccounts::<T>::insert(
				id,
				MetaAccount {
					authenticators,
					invitees: BoundedVec::new(),
					creator: who.clone(),
					created_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			AuthenticatorOf::<T>::insert(&who, id);
			CreationNonce::<T>::insert(&who, next_nonce);
			Self::deposit_event(Event::MetaAccountCreated { meta_account: id, creator: who });
			Ok(())
		}

		/// Invite `account` to authenticate for the caller's Meta-Account. Nothing changes for
		/// `account` until it accepts. Holds the invitation deposit from the caller.
		///
		/// The dispatch origin must be signed by an authenticator.
		///
		/// Emits [`Event::AuthenticatorInvited`]. Errors: `NotAuthenticator`,
		/// `AlreadyAuthenticator` (the account is already one of this Meta-Account's),
		/// `AlreadyInvited`, `TooManyInvitations`, `UnknownMetaAccount`, and the currency's
		/// error if the deposit cannot be held.
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::invite_authenticator())]
		pub fn invite_authenticator(
			origin: OriginFor<T>,
			account: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let invitee = T::Lookup::lookup(account)?;
			let id = AuthenticatorOf::<T>::get(&who).ok_or(Error::<T>::NotAuthenticator)?;
			ensure!(
				AuthenticatorOf::<T>::get(&invitee) != Some(id),
				Error::<T>::AlreadyAuthenticator
			);
			ensure!(!Invitations::<T>::contains_key(&invitee, id), Error::<T>::AlreadyInvited);
			let expires_at = frame_system::Pallet::<T>::block_number()
				.saturating_add(T::InvitationLifetime::get());
			MetaAccounts::<T>::try_mutate(id, |maybe| -> DispatchResult {
				let meta = maybe.as_mut().ok_or(Error::<T>::UnknownMetaAccount)?;
				meta.invitees
					.try_push(invitee.clone())
					.map_err(|_| Error::<T>::TooManyInvitations)?;
				Ok(())
			})?;
			let deposit = Self::invitation_deposit();
			T::Currency::hold(&HoldReason::Invitation.into(), &who, deposit)?;
			Invitations::<T>::insert(
				&invitee,
				id,
				Invitation { inviter: who.clone(), deposit, expires_at },
			);
			Self::deposit_event(Event::AuthenticatorInvited {
				meta_account: id,
				invitee,
				inviter: who,
				expires_at,
			});
			Ok(())
		}

		/// Accept an invitation of `meta_account`: the caller becomes its authenticator. Holds
		/// the caller's entry deposit and returns the inviter's.
		///
		/// The dispatch origin must be signed by the invitee.
		///
		/// Emits [`Event::AuthenticatorAdded`]. Errors: `NoInvitation`, `InvitationExpired`,
		/// `AlreadyAuthenticator` (the caller authenticates for a Meta-Account already),
		/// `UnknownMetaAccount`, `TooManyAuthenticators`, and the currency's error if the
		/// deposit cannot be held.
		///
		/// ## Complexity
		/// O(a + i) for a authenticators and i pending invitations.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::accept_invitation())]
		pub fn accept_invitation(
			origin: OriginFor<T>,
			meta_account: MetaAccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let invitation =
				Invitations::<T>::get(&who, meta_account).ok_or(Error::<T>::NoInvitation)?;
			ensure!(
				frame_system::Pallet::<T>::block_number() <= invitation.expires_at,
				Error::<T>::InvitationExpired
			);
			ensure!(!AuthenticatorOf::<T>::contains_key(&who), Error::<T>::AlreadyAuthenticator);
			let deposit = Self::authenticator_deposit();
			MetaAccounts::<T>::try_mutate(meta_account, |maybe| -> DispatchResult {
				let meta = maybe.as_mut().ok_or(Error::<T>::UnknownMetaAccount)?;
				meta.authenticators
					.try_push(Authenticator { account: who.clone(), deposit })
					.map_err(|_| Error::<T>::TooManyAuthenticators)?;
				meta.invitees.retain(|a| a != &who);
				Ok(())
			})?;
			T::Currency::hold(&HoldReason::Authenticator.into(), &who, deposit)?;
			Self::drop_invitation(&who, meta_account, &invitation);
			AuthenticatorOf::<T>::insert(&who, meta_account);
			Self::deposit_event(Event::AuthenticatorAdded { meta_account, account: who });
			Ok(())
		}

		/// Cancel the invitation of `invitee` to `meta_account` and return the inviter's
		/// deposit: an authenticator of `meta_account` withdraws it, the invitee declines it,
		/// or anyone clears it once it has expired.
		///
		/// The dispatch origin must be signed.
		///
		/// Emits [`Event::InvitationCancelled`]. Errors: `NoInvitation`,
		/// `NotAllowedToCancel`.
		///
		/// ## Complexity
		/// O(i) for i pending invitations of the Meta-Account.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::cancel_invitation())]
		pub fn cancel_invitation(
			origin: OriginFor<T>,
			meta_account: MetaAccountId,
			invitee: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let invitee = T::Lookup::lookup(invitee)?;
			let invitation =
				Invitations::<T>::get(&invitee, meta_account).ok_or(Error::<T>::NoInvitation)?;
			let allowed = who == invitee
				|| AuthenticatorOf::<T>::get(&who) == Some(meta_account)
				|| frame_system::Pallet::<T>::block_number() > invitation.expires_at;
			ensure!(allowed, Error::<T>::NotAllowedToCancel);
			MetaAccounts::<T>::mutate(meta_account, |maybe| {
				if let Some(meta) = maybe {
					meta.invitees.retain(|a| a != &invitee);
				}
			});
			Self::drop_invitation(&invitee, meta_account, &invitation);
			Self::deposit_event(Event::InvitationCancelled { meta_account, invitee, by: who });
			Ok(())
		}

		/// Remove `account` from the caller's Meta-Account; the caller may remove itself. The
		/// last authenticator cannot be removed (it closes the Meta-Account instead). The
		/// entry's deposit goes back to `account`.
		///
		/// The dispatch origin must be signed by an authenticator.
		///
		/// Emits [`Event::AuthenticatorRemoved`]. Errors: `NotAuthenticator`,
		/// `UnknownMetaAccount`, `AuthenticatorNotFound`, `LastAuthenticator`.
		///
		/// ## Complexity
		/// O(a) for a authenticators.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::remove_authenticator())]
		pub fn remove_authenticator(
			origin: OriginFor<T>,
			account: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let account = T::Lookup::lookup(account)?;
			let id = AuthenticatorOf::<T>::get(&who).ok_or(Error::<T>::NotAuthenticator)?;
			let removed = MetaAccounts::<T>::try_mutate(id, |maybe| {
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
				&removed.account,
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

		/// Close the caller's Meta-Account: cancels its pending invitations and returns every
		/// deposit. Only its last authenticator can, and only once the other pallets hold
		/// nothing for it (every address revoked).
		///
		/// The dispatch origin must be signed by the Meta-Account's only authenticator.
		///
		/// Emits [`Event::InvitationCancelled`] per pending invitation, then
		/// [`Event::MetaAccountClosed`]. Errors: `NotAuthenticator`, `UnknownMetaAccount`,
		/// `NotLastAuthenticator`, and the dependents' errors.
		///
		/// ## Complexity
		/// O(i) for i pending invitations.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::close_meta_account(T::MaxPendingInvitations::get())
			.saturating_add(T::Dependents::ensure_can_close_weight()))]
		pub fn close_meta_account(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let id = AuthenticatorOf::<T>::get(&who).ok_or(Error::<T>::NotAuthenticator)?;
			let meta = MetaAccounts::<T>::get(id).ok_or(Error::<T>::UnknownMetaAccount)?;
			ensure!(meta.authenticators.len() == 1, Error::<T>::NotLastAuthenticator);
			T::Dependents::ensure_can_close(&id)?;
			for invitee in meta.invitees.iter() {
				if let Some(invitation) = Invitations::<T>::get(invitee, id) {
					Self::drop_invitation(invitee, id, &invitation);
					Self::deposit_event(Event::InvitationCancelled {
						meta_account: id,
						invitee: invitee.clone(),
						by: who.clone(),
					});
				}
			}
			for a in meta.authenticators.iter() {
				T::Currency::release(
					&HoldReason::Authenticator.into(),
					&a.account,
					a.deposit,
					Precision::BestEffort,
				)?;
				AuthenticatorOf::<T>::remove(&a.account);
			}
			MetaAccounts::<T>::remove(id);
			Self::deposit_event(Event::MetaAccountClosed { meta_account: id, closed_by: who });
			Ok(Some(
				T::WeightInfo::close_meta_account(meta.invitees.len() as u32)
					.saturating_add(T::Dependents::ensure_can_close_weight()),
			)
			.into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The id that `creator`'s Meta-Account number `nonce` gets:
		/// `blake2_256(META_ACCOUNT_ID_DOMAIN ‖ SCALE(creator) ‖ nonce as u32 little-endian)`.
		pub fn meta_account_id(creator: &T::AccountId, nonce: u32) -> MetaAccountId {
			let mut bytes = alloc::vec::Vec::with_capacity(17 + 32 + 4);
			bytes.extend_from_slice(&META_ACCOUNT_ID_DOMAIN);
			creator.encode_to(&mut bytes);
			bytes.extend_from_slice(&nonce.to_le_bytes());
			sp_io::hashing::blake2_256(&bytes).into()
		}

		/// The Meta-Account with this id, if it exists.
		pub fn meta_account(id: &MetaAccountId) -> Option<MetaAccountOf<T>> {
			MetaAccounts::<T>::get(id)
		}

		/// The deposit an authenticator entry holds: base + per byte of what it stores (its
		/// entry in the Meta-Account record and its `AuthenticatorOf` entry).
		pub fn authenticator_deposit() -> BalanceOf<T> {
			let account = T::AccountId::max_encoded_len();
			let bytes = Authenticator::<T::AccountId, BalanceOf<T>>::max_encoded_len()
				+ (16 + account + MetaAccountId::max_encoded_len());
			Self::deposit_for(bytes as u32)
		}

		/// The deposit an invitation holds: base + per byte of what it stores (the invitation,
		/// its two-part key, and the invitee in the Meta-Account record).
		pub fn invitation_deposit() -> BalanceOf<T> {
			let account = T::AccountId::max_encoded_len();
			let bytes = InvitationOf::<T>::max_encoded_len()
				+ (16 + account + 16 + MetaAccountId::max_encoded_len())
				+ account;
			Self::deposit_for(bytes as u32)
		}

		fn deposit_for(bytes: u32) -> BalanceOf<T> {
			T::DepositBase::get()
				.saturating_add(T::DepositPerByte::get().saturating_mul(bytes.into()))
		}

		/// Removes an invitation and returns its deposit to the inviter.
		fn drop_invitation(
			invitee: &T::AccountId,
			meta_account: MetaAccountId,
			invitation: &InvitationOf<T>,
		) {
			Invitations::<T>::remove(invitee, meta_account);
			let _ = T::Currency::release(
				&HoldReason::Invitation.into(),
				&invitation.inviter,
				invitation.deposit,
				Precision::BestEffort,
			);
		}

		/// Pending invitations to `invitee`: `(meta_account, invitation)`.
		pub fn invitations_of(
			invitee: &T::AccountId,
		) -> alloc::vec::Vec<(MetaAccountId, InvitationOf<T>)> {
			Invitations::<T>::iter_prefix(invitee).collect()
		}
	}
}

impl<T: Config> MetaAccountInspect<T::AccountId> for Pallet<T> {
	fn meta_account_of(who: &T::AccountId) -> Option<MetaAccountId> {
		AuthenticatorOf::<T>::get(who)
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

	/// An existing authenticator, or one of a Meta-Account made for the benchmark (no deposit
	/// held: benchmarks of other pallets only need the origin).
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		let who = match AuthenticatorOf::<T>::iter_keys().next() {
			Some(who) => who,
			None => {
				let who: T::AccountId = frame_benchmarking::account("authenticator", 0, 0);
				let id = Pallet::<T>::meta_account_id(&who, 0);
				let first = Authenticator { account: who.clone(), deposit: Default::default() };
				MetaAccounts::<T>::insert(
					id,
					MetaAccount {
						authenticators: BoundedVec::truncate_from(alloc::vec![first]),
						invitees: BoundedVec::new(),
						creator: who.clone(),
						created_at: frame_system::Pallet::<T>::block_number(),
					},
				);
				AuthenticatorOf::<T>::insert(&who, id);
				who
			},
		};
		Ok(O::from(frame_system::RawOrigin::Signed(who)))
	}
}
