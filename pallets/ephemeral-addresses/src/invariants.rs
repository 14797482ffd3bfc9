//! `try_state` invariants: checked by try-runtime and at the end of every unit test.

use crate::{pallet::*, types::*, BalanceOf};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{traits::Saturating, TryRuntimeError};
use waas_traits::MetaAccountId;

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut in_flight: BTreeMap<(MetaAccountId, AddressIndex), u32> = BTreeMap::new();
		for (meta_account, request, index) in InFlight::<T>::iter() {
			let _ = request;
			*in_flight.entry((meta_account, index)).or_default() += 1;
		}
		for (meta_account, index, info) in Addresses::<T>::iter() {
			ensure!(
				index < NextAddressIndex::<T>::get(meta_account),
				"an address index at or above the next index"
			);
			ensure!(
				in_flight.remove(&(meta_account, index)).unwrap_or(0) == info.in_flight,
				"an address's in-flight count differs from its requests"
			);
			ensure!(
				!(info.one_time && info.in_flight > 1),
				"a one-time address with more than one request in flight"
			);
			let d = deposits.entry(info.deposit_payer.clone()).or_default();
			*d = d.saturating_add(info.deposit);
		}
		ensure!(in_flight.is_empty(), "in-flight requests of an address that does not exist");
		for (meta_account, count) in InFlightCount::<T>::iter() {
			ensure!(
				InFlight::<T>::iter_prefix(meta_account).count() as u32 == count && count > 0,
				"a Meta-Account's in-flight count differs from its requests"
			);
		}
		for (payer, deposit) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Address.into(), &payer) == deposit,
				"held address deposits differ from the recorded ones"
			);
		}
		Ok(())
	}
}
