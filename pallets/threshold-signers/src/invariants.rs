//! `try_state` invariants: checked by try-runtime and at the end of every unit test.

use crate::{pallet::*, types::*, BalanceOf};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{traits::Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_registry()?;
		Self::check_keys()?;
		Self::check_requests()?;
		Self::check_faults()
	}

	/// Records belong to registered signers; open reports to existing committees, naming
	/// members of it, one per reporter, never by the accused itself.
	fn check_faults() -> Result<(), TryRuntimeError> {
		for account in SignerRecords::<T>::iter_keys() {
			ensure!(Signers::<T>::contains_key(&account), "a record of an unregistered signer");
		}
		for (committee, list) in Exclusions::<T>::iter() {
			let c = Committees::<T>::get(committee).ok_or("exclusions in a dissolved committee")?;
			let mut members: alloc::vec::Vec<MemberIndex> = list.iter().map(|(m, _)| *m).collect();
			members.sort_unstable();
			members.dedup();
			ensure!(members.len() == list.len(), "a member excluded twice");
			ensure!(
				members.iter().all(|m| usize::from(*m) < c.members.len()),
				"a non-member excluded"
			);
		}
		for (committee, accused, reports) in FaultReports::<T>::iter() {
			let c = Committees::<T>::get(committee).ok_or("reports in a dissolved committee")?;
			let n = c.members.len() as MemberIndex;
			ensure!(accused < n, "a report accuses a non-member");
			let mut reporters: alloc::vec::Vec<MemberIndex> =
				reports.iter().map(|r| r.reporter).collect();
			reporters.sort_unstable();
			reporters.dedup();
			ensure!(reporters.len() == reports.len(), "a member reported twice");
			ensure!(
				reporters.iter().all(|r| *r < n && *r != accused),
				"a report by a non-member or by the accused"
			);
			ensure!(
				(reporters.len() as u32) < Self::fault_quorum(c.threshold),
				"a report quorum was reached but not recorded"
			);
		}
		Ok(())
	}

	/// Signers and p2p keys map one to one; committee counts match the committees.
	fn check_registry() -> Result<(), TryRuntimeError> {
		for (account, info) in Signers::<T>::iter() {
			ensure!(
				P2pKeyOwners::<T>::get(info.p2p_key).as_ref() == Some(&account),
				"a signer's p2p key is not recorded as its own"
			);
			let committees =
				Committees::<T>::iter_values().filter(|c| c.members.contains(&account)).count();
			ensure!(committees as u32 == info.committees, "a signer's committee count is wrong");
		}
		for (p2p_key, account) in P2pKeyOwners::<T>::iter() {
			ensure!(
				Signers::<T>::get(&account).is_some_and(|s| s.p2p_key == p2p_key),
				"a p2p key points to a signer that does not hold it"
			);
		}
		for (_, committee) in Committees::<T>::iter() {
			for member in committee.members.iter() {
				ensure!(Signers::<T>::contains_key(member), "a committee member is not registered");
			}
		}
		Ok(())
	}

	/// Live-key counts match the keys; reports and keygen expiries exist only for Generating
	/// keys.
	fn check_keys() -> Result<(), TryRuntimeError> {
		let mut live: BTreeMap<CommitteeId, u32> = BTreeMap::new();
		for (key, info) in Keys::<T>::iter() {
			let generating = match info.status {
				KeyStatus::Generating { deadline } => {
					ensure!(
						Agenda::<T>::contains_key(
							Self::after(deadline),
							AgendaItem::KeygenExpiry(key)
						),
						"a Generating key has no expiry on the agenda"
					);
					true
				},
				_ => false,
			};
			if generating || matches!(info.status, KeyStatus::Active { .. }) {
				*live.entry(info.committee).or_default() += 1;
			}
			if !generating {
				ensure!(
					KeygenReports::<T>::iter_prefix(key).next().is_none(),
					"keygen reports kept for a key that is not Generating"
				);
			}
		}
		for (id, committee) in Committees::<T>::iter() {
			ensure!(
				live.get(&id).copied().unwrap_or(0) == committee.live_keys,
				"a committee's live-key count is wrong"
			);
		}
		Ok(())
	}

	/// Every pending request is on exactly one of its key's lists, in the matching state, with
	/// its expiry on the agenda; holds equal the deposits and fees of pending requests.
	fn check_requests() -> Result<(), TryRuntimeError> {
		let mut held: BTreeMap<T::AccountId, (BalanceOf<T>, BalanceOf<T>)> = BTreeMap::new();
		for (id, req) in SignatureRequests::<T>::iter() {
			let queued = Queue::<T>::get(req.key).contains(&id);
			let assigned = Assigned::<T>::get(req.key).contains(&id);
			match &req.status {
				RequestStatus::Queued => {
					ensure!(queued && !assigned, "a Queued request is not queued")
				},
				RequestStatus::Assigned { attempt, deadline, signers } => {
					ensure!(assigned && !queued, "an Assigned request is not on the assigned list");
					ensure!(
						Agenda::<T>::contains_key(
							Self::after(*deadline),
							AgendaItem::AttemptExpiry(id, *attempt)
						),
						"an Assigned request has no expiry on the agenda"
					);
					ensure!(!signers.is_empty(), "an attempt without signers");
				},
				_ => {
					ensure!(!queued && !assigned, "an ended request is still listed");
					continue;
				},
			}
			if let Some(payer) = &req.payer {
				let entry = held.entry(payer.clone()).or_default();
				entry.0 = entry.0.saturating_add(req.deposit);
				entry.1 = entry.1.saturating_add(req.fee);
			}
		}
		for (key, list) in Assigned::<T>::iter() {
			for id in list {
				ensure!(
					SignatureRequests::<T>::get(id).is_some_and(|r| r.key == key),
					"an assigned entry points to another key's or a missing request"
				);
			}
		}
		for (key, list) in Queue::<T>::iter() {
			for id in list {
				ensure!(
					SignatureRequests::<T>::get(id).is_some_and(|r| r.key == key),
					"a queued entry points to another key's or a missing request"
				);
			}
		}
		for (payer, (deposit, fee)) in held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::RequestDeposit.into(), &payer) == deposit,
				"held request deposits differ from the recorded ones"
			);
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::SigningFee.into(), &payer) == fee,
				"held signing fees differ from the recorded ones"
			);
		}
		Ok(())
	}
}
