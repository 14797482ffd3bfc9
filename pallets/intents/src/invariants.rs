//! Storage invariants of the intents pallet.

use crate::*;
use alloc::collections::btree_map::BTreeMap;

impl<T: Config> Pallet<T> {
	/// Checks that the indexes agree with the intents and the solvers' claim counts with the
	/// claims.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut per_creator: BTreeMap<MetaAccountId, u32> = BTreeMap::new();
		let mut claims: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let next = NextIntentId::<T>::get();
		for (id, intent) in Intents::<T>::iter() {
			ensure!(id < next, "an intent id at or above NextIntentId");
			ensure!(
				IntentsOf::<T>::contains_key(intent.creator, id),
				"an intent missing from its creator's index"
			);
			*per_creator.entry(intent.creator).or_default() += 1;
			if let IntentStatus::Claimed { solver, .. } = &intent.status {
				ensure!(Solvers::<T>::contains_key(solver), "a claim by an unregistered solver");
				*claims.entry(solver.clone()).or_default() += 1;
			}
		}
		for (creator, count) in IntentCount::<T>::iter() {
			ensure!(per_creator.get(&creator) == Some(&count), "IntentCount disagrees");
		}
		ensure!(
			IntentCount::<T>::iter().count() == per_creator.len(),
			"a creator with intents but no IntentCount"
		);
		ensure!(
			IntentsOf::<T>::iter().count() == Intents::<T>::iter().count(),
			"IntentsOf names an intent that does not exist"
		);
		for (solver, info) in Solvers::<T>::iter() {
			ensure!(
				claims.get(&solver).copied().unwrap_or(0) == info.active_claims,
				"a solver's active_claims disagrees with its claims"
			);
		}
		for (id, _, _) in Attestations::<T>::iter() {
			ensure!(Intents::<T>::contains_key(id), "votes about an intent that ended");
		}
		Ok(())
	}
}
