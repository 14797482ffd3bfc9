//! The agenda: what happens at which block.
//!
//! Entries live in a double map (block, item), so adding one never fails and removing one
//! (a signed request's expiry) costs one write. `on_initialize` works through the blocks from
//! [`AgendaCursor`] up to the current one, at most [`Config::MaxAgendaPerBlock`] items per
//! block; what does not fit is carried over to the next block, in order.

use crate::{pallet::*, types::*, weights::WeightInfo};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating};
use waas_traits::OnSignatureOutcome;

impl<T: Config> Pallet<T> {
	/// The block after `deadline`: where a deadline's expiry is scheduled, so that a
	/// submission in block `deadline` itself still counts.
	pub fn after(deadline: BlockNumberFor<T>) -> BlockNumberFor<T> {
		deadline.saturating_add(One::one())
	}

	/// Puts `item` on the agenda of block `at`. Never fails.
	pub(crate) fn schedule(at: BlockNumberFor<T>, item: AgendaItem) {
		Agenda::<T>::insert(at, item, ());
	}

	/// Processes due agenda items within the per-block budget; returns the weight used.
	pub(crate) fn process_agenda(now: BlockNumberFor<T>) -> Weight {
		let mut weight = T::WeightInfo::agenda_empty();
		let mut budget = T::MaxAgendaPerBlock::get();
		// Empty blocks cost a read each; bound how many one block may skip.
		let mut probes = T::MaxAgendaPerBlock::get();
		let mut block = AgendaCursor::<T>::get();
		while block <= now && budget > 0 && probes > 0 {
			let items: Vec<AgendaItem> =
				Agenda::<T>::iter_key_prefix(block).take(budget as usize).collect();
			if items.is_empty() {
				block = block.saturating_add(One::one());
				probes -= 1;
				weight = weight.saturating_add(T::DbWeight::get().reads(1));
				continue;
			}
			for item in items {
				Agenda::<T>::remove(block, item);
				budget -= 1;
				weight = weight.saturating_add(Self::process_item(item, now));
			}
		}
		AgendaCursor::<T>::put(block);
		weight
	}

	/// Does what `item` says; returns its weight.
	fn process_item(item: AgendaItem, now: BlockNumberFor<T>) -> Weight {
		match item {
			AgendaItem::KeygenExpiry(key) => {
				Self::expire_keygen(key);
				T::WeightInfo::agenda_keygen_expiry(T::MaxCommitteeSize::get())
			},
			AgendaItem::AttemptExpiry(request, attempt) => {
				Self::expire_attempt(request, attempt, now);
				T::WeightInfo::agenda_attempt_expiry()
					.saturating_add(T::OnSignatureOutcome::on_outcome_weight())
			},
			AgendaItem::Prune(request) => {
				Self::prune(request);
				T::WeightInfo::agenda_prune()
			},
		}
	}
}
