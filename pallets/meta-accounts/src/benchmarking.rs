//! Benchmarks of the Meta-Accounts pallet (frame-benchmarking v2).

use super::*;
use crate::Pallet as MetaAccounts;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::Mutate;
use frame_system::RawOrigin;
use sp_runtime::traits::{Bounded, StaticLookup};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let _ = T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	who
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create() {
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));
		assert!(AuthenticatorOf::<T>::contains_key(&caller));
	}

	#[benchmark]
	fn add_authenticator() {
		let caller = funded::<T>("caller", 0);
		Accounts::<T>::create(RawOrigin::Signed(caller.clone()).into()).unwrap();
		// Fill up to one below the maximum so the push is the worst case.
		for i in 1..T::MaxAuthenticators::get().saturating_sub(1) {
			let other = funded::<T>("other", i);
			Accounts::<T>::add_authenticator(
				RawOrigin::Signed(caller.clone()).into(),
				T::Lookup::unlookup(other),
			)
			.unwrap();
		}
		let new = funded::<T>("new", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), T::Lookup::unlookup(new.clone()));
		assert!(AuthenticatorOf::<T>::contains_key(&new));
	}

	#[benchmark]
	fn remove_authenticator() {
		let caller = funded::<T>("caller", 0);
		Accounts::<T>::create(RawOrigin::Signed(caller.clone()).into()).unwrap();
		let mut last = caller.clone();
		for i in 1..T::MaxAuthenticators::get() {
			last = funded::<T>("other", i);
			Accounts::<T>::add_authenticator(
				RawOrigin::Signed(caller.clone()).into(),
				T::Lookup::unlookup(last.clone()),
			)
			.unwrap();
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), T::Lookup::unlookup(last.clone()));
		assert!(!AuthenticatorOf::<T>::contains_key(&last));
	}

	impl_benchmark_test_suite!(MetaAccounts, crate::mock::new_test_ext(), crate::mock::Test);
}
