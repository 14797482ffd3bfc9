//! Committee keys: DKG requests, members' reports, the decision, expiry and retirement.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;
use waas_primitives::{ChainCode, CompressedPublicKey};

impl<T: Config> Pallet<T> {
	/// Blocks a committee of `n` members has to run a DKG and report it.
	pub fn keygen_timeout(n: u32) -> BlockNumberFor<T> {
		T::KeygenTimeoutBase::get()
			.saturating_add(T::KeygenTimeoutPerMember::get().saturating_mul(n.into()))
	}

	pub(crate) fn do_request_keygen(committee: CommitteeId) -> Result<KeyId, DispatchError> {
		let mut c = Committees::<T>::get(committee).ok_or(Error::<T>::UnknownCommittee)?;
		let key = NextKeyId::<T>::get();
		let next = key.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		let now = frame_system::Pallet::<T>::block_number();
		let deadline = now.saturating_add(Self::keygen_timeout(c.members.len() as u32));
		Self::schedule(Self::after(deadline), AgendaItem::KeygenExpiry(key));
		NextKeyId::<T>::put(next);
		c.live_keys = c.live_keys.saturating_add(1);
		let (members, threshold, aux_source) = (c.members.clone(), c.threshold, c.aux_key);
		Committees::<T>::insert(committee, c);
		Keys::<T>::insert(
			key,
			KeyInfo {
				committee,
				status: KeyStatus::Generating { deadline },
				aux_source,
				requested_at: now,
			},
		);
		Self::deposit_event(Event::KeygenRequested {
			key,
			committee,
			threshold,
			members,
			deadline,
			aux_source,
		});
		Ok(key)
	}

	/// Checks that `who` may report for `key` now: returns the key's committee.
	pub(crate) fn check_keygen_report(
		who: &T::AccountId,
		key: KeyId,
		public_key: &CompressedPublicKey,
	) -> Result<Committee<T>, Error<T>> {
		let info = Keys::<T>::get(key).ok_or(Error::<T>::UnknownKey)?;
		let KeyStatus::Generating { deadline } = info.status else {
			return Err(Error::<T>::KeyNotGenerating);
		};
		ensure!(frame_system::Pallet::<T>::block_number() <= deadline, Error::<T>::ReportingClosed);
		let committee = Committees::<T>::get(info.committee).ok_or(Error::<T>::UnknownCommittee)?;
		ensure!(committee.members.contains(who), Error::<T>::NotCommitteeMember);
		ensure!(!KeygenReports::<T>::contains_key(key, who), Error::<T>::AlreadyReported);
		ensure!(
			waas_primitives::derivation::is_valid_public_key(public_key),
			Error::<T>::InvalidPublicKey
		);
		Ok(committee)
	}

	/// Stores a report and decides the keygen on the last one. Returns the committee size.
	pub(crate) fn do_report_keygen(
		who: T::AccountId,
		key: KeyId,
		public_key: CompressedPublicKey,
		chain_code: ChainCode,
	) -> Result<u32, DispatchError> {
		let committee = Self::check_keygen_report(&who, key, &public_key)?;
		KeygenReports::<T>::insert(key, &who, (public_key, chain_code));
		Self::deposit_event(Event::KeygenReported { key, member: who, public_key, chain_code });
		let reports: Vec<_> =
			committee.members.iter().map(|m| KeygenReports::<T>::get(key, m)).collect();
		if reports.iter().all(Option::is_some) {
			let reports: Vec<_> = reports.into_iter().flatten().collect();
			Self::conclude_keygen(key, &committee, &reports);
		}
		Ok(committee.members.len() as u32)
	}

	/// Decides a keygen once every member reported (`reports[i]` is member `i`'s): Active if
	/// all agree; otherwise failed, naming the members outside a strict majority, or nobody
	/// when there is no strict majority.
	fn conclude_keygen(
		key: KeyId,
		committee: &Committee<T>,
		reports: &[(CompressedPublicKey, ChainCode)],
	) {
		let majority = reports.iter().find(|candidate| {
			reports.iter().filter(|r| r == candidate).count() * 2 > reports.len()
		});
		let _ = KeygenReports::<T>::clear_prefix(key, committee.members.len() as u32, None);
		let status = match majority {
			Some(value) => {
				let offenders: Vec<T::AccountId> = committee
					.members
					.iter()
					.zip(reports)
					.filter(|(_, r)| *r != value)
					.map(|(m, _)| m.clone())
					.collect();
				if offenders.is_empty() {
					KeyStatus::Active { public_key: value.0, chain_code: value.1 }
				} else {
					KeyStatus::Failed {
						reason: KeygenFailure::Disagreement,
						offenders: BoundedVec::truncate_from(offenders),
					}
				}
			},
			None => KeyStatus::Failed {
				reason: KeygenFailure::NoMajority,
				offenders: BoundedVec::new(),
			},
		};
		Self::end_keygen(key, status);
	}

	/// The keygen's reporting window closed: fail it if it is still generating, naming the
	/// members that did not report.
	pub(crate) fn expire_keygen(key: KeyId) {
		let Some(info) = Keys::<T>::get(key) else { return };
		if !matches!(info.status, KeyStatus::Generating { .. }) {
			return;
		}
		let members = Committees::<T>::get(info.committee)
			.map(|c| c.members.into_inner())
			.unwrap_or_default();
		let missing: Vec<T::AccountId> = members
			.iter()
			.filter(|m| !KeygenReports::<T>::contains_key(key, *m))
			.cloned()
			.collect();
		let _ = KeygenReports::<T>::clear_prefix(key, members.len() as u32, None);
		Self::end_keygen(
			key,
			KeyStatus::Failed {
				reason: KeygenFailure::Timeout,
				offenders: BoundedVec::truncate_from(missing),
			},
		);
	}

	/// Moves a Generating key to `status` (Active or Failed), with its event and the
	/// committee's bookkeeping.
	fn end_keygen(key: KeyId, status: KeyStatus<T>) {
		let Some(mut info) = Keys::<T>::get(key) else { return };
		if let KeyStatus::Generating { deadline } = info.status {
			Agenda::<T>::remove(Self::after(deadline), AgendaItem::KeygenExpiry(key));
		}
		Committees::<T>::mutate(info.committee, |c| {
			let Some(c) = c else { return };
			match &status {
				KeyStatus::Active { .. } => {
					c.aux_key.get_or_insert(key);
				},
				_ => c.live_keys = c.live_keys.saturating_sub(1),
			}
		});
		match &status {
			KeyStatus::Active { public_key, chain_code } => {
				Self::deposit_event(Event::KeyActivated {
					key,
					public_key: *public_key,
					chain_code: *chain_code,
				})
			},
			KeyStatus::Failed { reason, offenders } => Self::deposit_event(Event::KeygenFailed {
				key,
				reason: *reason,
				offenders: offenders.clone(),
			}),
			_ => {},
		}
		info.status = status;
		Keys::<T>::insert(key, info);
	}

	/// Retires a live key, failing its queued and assigned requests. Returns how many failed.
	pub(crate) fn do_retire_key(key: KeyId) -> Result<u32, DispatchError> {
		let mut info = Keys::<T>::get(key).ok_or(Error::<T>::UnknownKey)?;
		match info.status {
			KeyStatus::Generating { deadline } => {
				Agenda::<T>::remove(Self::after(deadline), AgendaItem::KeygenExpiry(key));
				let n = Committees::<T>::get(info.committee).map_or(0, |c| c.members.len());
				let _ = KeygenReports::<T>::clear_prefix(key, n as u32, None);
			},
			KeyStatus::Active { .. } => {},
			_ => return Err(Error::<T>::KeyNotLive.into()),
		}
		info.status = KeyStatus::Retired;
		let committee = info.committee;
		Keys::<T>::insert(key, info);
		Committees::<T>::mutate(committee, |c| {
			if let Some(c) = c {
				c.live_keys = c.live_keys.saturating_sub(1);
			}
		});
		let failed = Self::fail_all_requests(key, SigningFailure::KeyRetired);
		Self::deposit_event(Event::KeyRetired { key, failed_requests: failed });
		Ok(failed)
	}

	/// Public key and chain code of an Active key.
	pub fn active_key(key: KeyId) -> Result<(CompressedPublicKey, ChainCode), DispatchError> {
		match Keys::<T>::get(key).ok_or(Error::<T>::UnknownKey)?.status {
			KeyStatus::Active { public_key, chain_code } => Ok((public_key, chain_code)),
			_ => Err(Error::<T>::KeyNotActive.into()),
		}
	}

	/// Makes an Active key at genesis (tests only).
	pub(crate) fn genesis_active_key(
		committee: CommitteeId,
		public_key: CompressedPublicKey,
		chain_code: ChainCode,
	) -> DispatchResult {
		ensure!(
			waas_primitives::derivation::is_valid_public_key(&public_key),
			Error::<T>::InvalidPublicKey
		);
		let key = Self::do_request_keygen(committee)?;
		Self::end_keygen(key, KeyStatus::Active { public_key, chain_code });
		Ok(())
	}
}
