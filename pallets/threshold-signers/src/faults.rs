//! Accountability: members of a signing attempt report the faults their protocol run
//! attributed to another member ([`Pallet::report_fault`]); enough independent reports record
//! the fault against the accused signer.
//!
//! - **A report ends the attempt.** The request is re-assigned at once instead of waiting for
//!   the deadline. The attempt's signers are treated as after an expiry — all of them, the
//!   reporter too, count as having tried once — because one report is a dispute between two
//!   members the chain cannot judge: were only the accused pushed back, a lying member could
//!   steer every retry to itself by accusing its partner first. Treated alike, one deviating
//!   member of a 2-of-3 committee cannot make a request fail within three attempts.
//! - **A fault is recorded** when at least [`Pallet::fault_quorum`] = `max(FaultQuorum, t)`
//!   distinct members of the committee reported the accused within [`Config::FaultWindow`]
//!   blocks. Fewer than `t` members are by assumption all that an adversary controls, so
//!   corrupt members alone can never frame an honest one: a recorded fault needs the report of
//!   at least one honest member, and honest signers only report what their protocol run
//!   proved (an invalid zero-knowledge proof, an authenticated message that does not decode).
//!   Within one attempt only `t - 1` others can see the accused, so the quorum builds up over
//!   attempts and requests.
//!   A committee with `t = n` records no faults: every other member could be the adversary.
//! - **A recorded fault** adds to the signer's [`SignerRecord`], and leaves it out of the
//!   committee's new signing subsets (this request's next attempt included) for
//!   [`Config::FaultExclusion`] blocks ([`Exclusions`]: one read per assignment) — unless fewer than `t` members would be left, when liveness wins and excluded
//!   members are chosen last. At [`Config::FaultsForRemoval`] faults the chain suggests its
//!   removal to governance ([`Event::SignerRemovalSuggested`]).

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

/// A fault report that passed [`Pallet::check_fault_report`].
pub(crate) struct CheckedReport<T: Config> {
	/// The request, in its current attempt.
	pub request: SignatureRequest<T>,
	/// The id of the key's committee.
	pub committee_id: CommitteeId,
	/// The key's committee.
	pub committee: Committee<T>,
	/// The reporter's member index.
	pub reporter: MemberIndex,
}

impl<T: Config> Pallet<T> {
	/// Distinct reporters needed to record a fault in a committee of threshold `threshold`.
	pub fn fault_quorum(threshold: u16) -> u32 {
		T::FaultQuorum::get().max(u32::from(threshold))
	}

	/// Checks a fault report: `who` and `accused` must both sign the current attempt
	/// `attempt` of `request`.
	pub(crate) fn check_fault_report(
		who: &T::AccountId,
		request: RequestId,
		attempt: u8,
		accused: MemberIndex,
	) -> Result<CheckedReport<T>, Error<T>> {
		let req = SignatureRequests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
		let signers = match &req.status {
			RequestStatus::Assigned { attempt: current, signers, .. } => {
				ensure!(*current == attempt, Error::<T>::StaleAttempt);
				signers
			},
			RequestStatus::Queued => return Err(Error::<T>::RequestNotAssigned),
			_ => return Err(Error::<T>::RequestNotPending),
		};
		let committee_id = Keys::<T>::get(req.key).ok_or(Error::<T>::UnknownKey)?.committee;
		let committee = Committees::<T>::get(committee_id).ok_or(Error::<T>::UnknownCommittee)?;
		let reporter =
			committee.members.iter().position(|m| m == who).ok_or(Error::<T>::NotCommitteeMember)?
				as MemberIndex;
		ensure!(signers.contains(&reporter), Error::<T>::NotAttemptSigner);
		ensure!(reporter != accused, Error::<T>::SelfAccusation);
		ensure!(signers.contains(&accused), Error::<T>::AccusedNotInAttempt);
		Ok(CheckedReport { request: req, committee_id, committee, reporter })
	}

	/// Records `who`'s report, records the fault if the quorum is reached, and ends the
	/// attempt.
	pub(crate) fn do_report_fault(
		who: T::AccountId,
		request: RequestId,
		attempt: u8,
		accused: MemberIndex,
		reason: FaultReason,
	) -> DispatchResult {
		let CheckedReport { request: req, committee_id, committee, reporter } =
			Self::check_fault_report(&who, request, attempt, accused)?;
		let now = frame_system::Pallet::<T>::block_number();
		let accused_account = committee
			.members
			.get(usize::from(accused))
			.cloned()
			.ok_or(Error::<T>::UnknownSigner)?;
		Self::deposit_event(Event::FaultReported {
			request,
			attempt,
			reporter: who,
			accused: accused_account.clone(),
			reason,
		});
		SignerRecords::<T>::mutate(&accused_account, |r| {
			r.accusations = r.accusations.saturating_add(1)
		});
		let reporters = Self::add_report(committee_id, accused, reporter, reason, now);
		if reporters.len() as u32 >= Self::fault_quorum(committee.threshold) {
			FaultReports::<T>::remove(committee_id, accused);
			Self::record_fault(committee_id, accused, accused_account, reason, reporters, now);
		}
		let RequestStatus::Assigned { signers, .. } = &req.status else {
			return Err(Error::<T>::RequestNotPending.into());
		};
		let signers = signers.clone();
		Self::end_attempt(request, req, attempt, &signers, Some(committee), now);
		Ok(())
	}

	/// Adds `reporter`'s report against `accused` (replacing its earlier one), drops reports
	/// older than the window, and returns the distinct reporters left, ascending.
	fn add_report(
		committee: CommitteeId,
		accused: MemberIndex,
		reporter: MemberIndex,
		reason: FaultReason,
		now: BlockNumberFor<T>,
	) -> Vec<MemberIndex> {
		let oldest = now.saturating_sub(T::FaultWindow::get());
		FaultReports::<T>::mutate(committee, accused, |reports| {
			reports.retain(|r| r.reporter != reporter && r.at >= oldest);
			// Never full: at most one report per other member of a committee of at most
			// `MaxCommitteeSize`.
			let _ = reports.try_push(FaultReport { reporter, reason, at: now });
			let mut reporters: Vec<MemberIndex> = reports.iter().map(|r| r.reporter).collect();
			reporters.sort_unstable();
			reporters
		})
	}

	/// Records a fault against `signer`, member `member` of `committee`: counters, exclusion
	/// from the committee's new subsets, events.
	fn record_fault(
		committee: CommitteeId,
		member: MemberIndex,
		signer: T::AccountId,
		reason: FaultReason,
		reporters: Vec<MemberIndex>,
		now: BlockNumberFor<T>,
	) {
		let excluded_until = now.saturating_add(T::FaultExclusion::get());
		let faults = SignerRecords::<T>::mutate(&signer, |r| {
			r.faults = r.faults.saturating_add(1);
			r.last_fault = Some((reason, now));
			r.excluded_until = Some(excluded_until);
			r.faults
		});
		Exclusions::<T>::mutate(committee, |list| {
			list.retain(|(m, until)| *m != member && now <= *until);
			// Never full: at most one entry per member.
			let _ = list.try_push((member, excluded_until));
		});
		Self::deposit_event(Event::SignerFaulted {
			signer: signer.clone(),
			committee,
			reason,
			reporters: BoundedVec::truncate_from(reporters),
			faults,
			excluded_until,
		});
		let threshold = T::FaultsForRemoval::get();
		if threshold > 0 && faults >= threshold {
			Self::deposit_event(Event::SignerRemovalSuggested { signer, faults });
		}
	}

	/// The members of `committee` that are excluded from its new subsets at `now`, ascending.
	pub fn excluded_members(committee: CommitteeId, now: BlockNumberFor<T>) -> Vec<MemberIndex> {
		let mut excluded: Vec<MemberIndex> = Exclusions::<T>::get(committee)
			.into_iter()
			.filter(|(_, until)| now <= *until)
			.map(|(m, _)| m)
			.collect();
		excluded.sort_unstable();
		excluded
	}
}
