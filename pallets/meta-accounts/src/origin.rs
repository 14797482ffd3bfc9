//! Acting for a Meta-Account: the pallet's own origin, [`EnsureMetaAccount`] for other pallets,
//! and [`Acting`], which resolves any origin to the authenticator behind it.
//!
//! Two origins act for a Meta-Account:
//! - a signed origin whose account is one of its Substrate authenticators; that account pays
//!   what the call holds or charges;
//! - [`MetaAccountOrigin`], which only this pallet creates, when it dispatches an envelope
//!   signed by a passkey or an EVM wallet; the Meta-Account's sovereign account pays.

use crate::{pallet::*, types::*};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::IsType};
use scale_info::TypeInfo;

/// The origin of a call dispatched from an envelope: the Meta-Account, the authenticator that
/// signed it, and that authenticator's role.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct MetaAccountOrigin<AccountId> {
	/// The Meta-Account the call acts for.
	pub meta_account: MetaAccountId,
	/// The authenticator that signed the envelope.
	pub authenticator: AuthenticatorKey<AccountId>,
	/// Its role when the envelope was dispatched.
	pub role: Role,
}

/// The authenticator behind an origin, and who pays for what it does.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Acting<AccountId> {
	/// The Meta-Account.
	pub meta_account: MetaAccountId,
	/// The authenticator.
	pub key: AuthenticatorKey<AccountId>,
	/// Its role.
	pub role: Role,
	/// Who pays deposits and fees for it: the Substrate authenticator itself, or the
	/// Meta-Account's sovereign account.
	pub payer: AccountId,
}

impl<T: Config> Pallet<T> {
	/// The authenticator behind `origin`: a Substrate authenticator's signed origin, or this
	/// pallet's [`MetaAccountOrigin`]. Anything else is `BadOrigin`; a signed account that
	/// authenticates for no Meta-Account is `NotAuthenticator`.
	pub fn acting(
		origin: <T as frame_system::Config>::RuntimeOrigin,
	) -> Result<Acting<T::AccountId>, DispatchError> {
		if let Some(o) = Self::meta_account_origin(&origin) {
			return Ok(Acting {
				meta_account: o.meta_account,
				key: o.authenticator.clone(),
				role: o.role,
				payer: Self::sovereign_account(&o.meta_account),
			});
		}
		let who = frame_system::ensure_signed(origin)?;
		let key = AuthenticatorKey::Substrate(who.clone());
		let meta_account = AuthenticatorOf::<T>::get(&key).ok_or(Error::<T>::NotAuthenticator)?;
		let info =
			Authenticators::<T>::get(meta_account, &key).ok_or(Error::<T>::NotAuthenticator)?;
		Ok(Acting { meta_account, key, role: info.role, payer: who })
	}

	/// Like [`Self::acting`], and the authenticator must be an Owner.
	pub fn acting_owner(
		origin: <T as frame_system::Config>::RuntimeOrigin,
	) -> Result<Acting<T::AccountId>, DispatchError> {
		let acting = Self::acting(origin)?;
		ensure!(acting.role == Role::Owner, Error::<T>::NotOwner);
		Ok(acting)
	}

	/// This pallet's origin inside `origin`, if it is one.
	pub(crate) fn meta_account_origin(
		origin: &<T as frame_system::Config>::RuntimeOrigin,
	) -> Option<MetaAccountOrigin<T::AccountId>> {
		let origin = <<T as Config>::RuntimeOrigin as IsType<_>>::from_ref(origin);
		let ours: Result<Origin<T>, _> = origin.clone().into();
		ours.ok()
	}
}

/// An origin check for other pallets: succeeds for an authenticator whose role includes
/// `MinRole`, through either origin (see the module docs), and yields
/// `(meta_account, payer)`.
pub struct EnsureMetaAccount<T, MinRole>(core::marker::PhantomData<(T, MinRole)>);

impl<T, MinRole> EnsureOrigin<<T as frame_system::Config>::RuntimeOrigin>
	for EnsureMetaAccount<T, MinRole>
where
	T: Config,
	MinRole: Get<Role>,
{
	type Success = (MetaAccountId, T::AccountId);

	fn try_origin(
		origin: <T as frame_system::Config>::RuntimeOrigin,
	) -> Result<Self::Success, <T as frame_system::Config>::RuntimeOrigin> {
		match Pallet::<T>::acting(origin.clone()) {
			Ok(acting) if acting.role.includes(MinRole::get()) => {
				Ok((acting.meta_account, acting.payer))
			},
			_ => Err(origin),
		}
	}

	/// A Substrate Owner of a Meta-Account made for the benchmark (no deposit held: benchmarks
	/// of other pallets only need the origin).
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<<T as frame_system::Config>::RuntimeOrigin, ()> {
		let who: T::AccountId = frame_benchmarking::account("authenticator", 0, 0);
		let key = AuthenticatorKey::Substrate(who.clone());
		if !AuthenticatorOf::<T>::contains_key(&key) {
			Pallet::<T>::insert_meta_account(
				&key,
				Role::Owner,
				None,
				who.clone(),
				Default::default(),
			)
			.map_err(|_| ())?;
		}
		Ok(frame_system::RawOrigin::Signed(who).into())
	}
}
