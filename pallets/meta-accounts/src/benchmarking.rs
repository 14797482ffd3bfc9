//! Benchmarks of the Meta-Accounts pallet, each at its worst case: the most authenticators
//! and pending invitations a Meta-Account may have.

use super::*;
use crate::pallet::Pallet as MetaAccountsPallet;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use sp_runtime::traits::StaticLookup;

/// A balance far above any deposit or fee a benchmark holds: 10^9 existential deposits.
fn rich<T: Config>() -> BalanceOf<T>
where
	T::Currency: Mutate<T::AccountId>,
{
	use frame_support::traits::fungible::Inspect;
	sp_runtime::Saturating::saturating_mul(T::Currency::minimum_balance(), 1_000_000_000u32.into())
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, i, 0);
	T::Currency::set_balance(&who, rich::<T>());
	who
}

fn lookup<T: Config>(who: &T::AccountId) -> <T::Lookup as StaticLookup>::Source {
	T::Lookup::unlookup(who.clone())
}

/// A Meta-Account created by `owner`, with `members` more authenticators and `invited`
/// pending invitations.
fn meta_account<T: Config>(
	owner: &T::AccountId,
	members: u32,
	invited: u32,
) -> (MetaAccountId, Vec<T::AccountId>, Vec<T::AccountId>)
where
	T::Currency: Mutate<T::AccountId>,
{
	MetaAccountsPallet::<T>::create(RawOrigin::Signed(owner.clone()).into()).expect("create");
	let id = AuthenticatorOf::<T>::get(owner).expect("created");
	let joined: Vec<_> = (0..members)
		.map(|i| {
			let who = funded::<T>("member", i);
			MetaAccountsPallet::<T>::invite_authenticator(
				RawOrigin::Signed(owner.clone()).into(),
				lookup::<T>(&who),
			)
			.expect("invite");
			MetaAccountsPallet::<T>::accept_invitation(RawOrigin::Signed(who.clone()).into(), id)
				.expect("accept");
			who
		})
		.collect();
	let invitees: Vec<_> = (0..invited)
		.map(|i| {
			let who = funded::<T>("invitee", i);
			MetaAccountsPallet::<T>::invite_authenticator(
				RawOrigin::Signed(owner.clone()).into(),
				lookup::<T>(&who),
			)
			.expect("invite");
			who
		})
		.collect();
	(id, joined, invitees)
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create() {
		let who = funded::<T>("creator", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(AuthenticatorOf::<T>::contains_key(&who));
	}

	#[benchmark]
	fn invite_authenticator() {
		let owner = funded::<T>("owner", 0);
		let (id, _, _) = meta_account::<T>(
			&owner,
			T::MaxAuthenticators::get() - 2,
			T::MaxPendingInvitations::get() - 1,
		);
		let invitee = funded::<T>("new", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), lookup::<T>(&invitee));
		assert!(Invitations::<T>::contains_key(&invitee, id));
	}

	#[benchmark]
	fn accept_invitation() {
		let owner = funded::<T>("owner", 0);
		let (id, _, invitees) = meta_account::<T>(
			&owner,
			T::MaxAuthenticators::get() - 2,
			T::MaxPendingInvitations::get(),
		);
		let who = invitees.last().expect("an invitee").clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id);
		assert_eq!(AuthenticatorOf::<T>::get(&who), Some(id));
	}

	#[benchmark]
	fn cancel_invitation() {
		let owner = funded::<T>("owner", 0);
		let (id, _, invitees) = meta_account::<T>(&owner, 0, T::MaxPendingInvitations::get());
		let who = invitees.last().expect("an invitee").clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, lookup::<T>(&who));
		assert!(!Invitations::<T>::contains_key(&who, id));
	}

	#[benchmark]
	fn remove_authenticator() {
		let owner = funded::<T>("owner", 0);
		let (_, members, _) = meta_account::<T>(&owner, T::MaxAuthenticators::get() - 1, 0);
		let last = members.last().expect("a member").clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), lookup::<T>(&last));
		assert!(!AuthenticatorOf::<T>::contains_key(&last));
	}

	/// Closing with `i` pending invitations to cancel.
	#[benchmark]
	fn close_meta_account(i: Linear<0, { T::MaxPendingInvitations::get() }>) {
		let owner = funded::<T>("owner", 0);
		let (id, _, _) = meta_account::<T>(&owner, 0, i);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner));
		assert!(!MetaAccounts::<T>::contains_key(id));
	}

	impl_benchmark_test_suite!(MetaAccountsPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
