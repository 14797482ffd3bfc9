//! Fault reports, recorded faults and exclusion.

use super::*;
use frame_support::assert_noop;
use waas_traits::SignatureOutcome;

const PAYLOAD: &[u8] = b"payload";
const REASON: FaultReason = FaultReason::InvalidEncProof;

/// The member index of account `who` in `key`'s committee.
fn index_of(key: KeyId, who: u64) -> MemberIndex {
	let c = ThresholdSigners::committee_of_key(key).unwrap();
	c.members.iter().position(|m| *m == who).unwrap() as MemberIndex
}

/// A new request (on a fresh address of Meta-Account 1) whose current attempt is signed by
/// accounts for which `wanted` holds; requests assigned otherwise are cancelled.
fn request_where(key: KeyId, wanted: impl Fn(&[u64]) -> bool) -> RequestId {
	for index in 1000..1200 {
		let request = request_for(10, key, 1, index, PAYLOAD).unwrap();
		let mut signers = assigned_signers(request);
		signers.sort_unstable();
		if wanted(&signers) {
			return request;
		}
		assert_ok!(<ThresholdSigners as ThresholdSigner<u64>>::cancel(
			&address_owner(1, index),
			request
		));
	}
	panic!("no request was assigned as wanted");
}

/// `reporter` reports `accused` (accounts) in `request`'s current attempt.
fn report(reporter: u64, request: RequestId, accused: u64) -> sp_runtime::DispatchResult {
	let key = SignatureRequests::<Test>::get(request).unwrap().key;
	ThresholdSigners::report_fault(
		RuntimeOrigin::signed(reporter),
		request,
		attempt_of(request),
		index_of(key, accused),
		REASON,
	)
}

/// Signs `request` with the test key, submitted by `who`.
fn sign(who: u64, request: RequestId) {
	let (signature, recovery_id) = signature_for(request);
	assert_ok!(ThresholdSigners::submit_signature(
		RuntimeOrigin::signed(who),
		request,
		signature,
		recovery_id
	));
}

fn faulted_events() -> Vec<Event<Test>> {
	events()
		.into_iter()
		.filter(|e| matches!(e, Event::SignerFaulted { .. } | Event::SignerRemovalSuggested { .. }))
		.collect()
}

#[test]
fn a_report_ends_the_attempt_at_once_and_the_request_completes_without_the_accused() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		let request = request_where(key, |s| s == [1, 2]);
		run_to_block(3);
		events();
		assert_ok!(report(1, request, 2));
		let attempt = events();
		assert_eq!(
			attempt[0],
			Event::FaultReported { request, attempt: 0, reporter: 1, accused: 2, reason: REASON }
		);
		// Re-assigned in the same block, with a fresh deadline, to a subset with member 3.
		assert!(matches!(
			&attempt[1],
			Event::AttemptAssigned { attempt: 1, deadline: 8, signers, .. } if signers.contains(&3)
		));
		assert!(!Agenda::<Test>::contains_key(ThresholdSigners::after(1 + 5), {
			AgendaItem::AttemptExpiry(request, 0)
		}));
		// A dispute, not a missed attempt: neither counts as expired; one accusation, no fault.
		assert_eq!(Signers::<Test>::get(2).unwrap().expired_attempts, 0);
		assert_eq!(Signers::<Test>::get(1).unwrap().expired_attempts, 0);
		let record = SignerRecords::<Test>::get(2);
		assert_eq!((record.accusations, record.faults, record.excluded_until), (1, 0, None));
		// The old attempt's deadline passing changes nothing; the new subset signs.
		run_to_block(7);
		assert_eq!(attempt_of(request), 1);
		let signer = assigned_signers(request)[0];
		sign(signer, request);
		assert!(outcomes().contains(&(request, address_owner(1, 1000), SignatureOutcome::Signed)));
	});
}

#[test]
fn a_fault_is_recorded_on_the_reports_of_a_quorum_and_excludes_the_signer() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		assert_eq!(ThresholdSigners::fault_quorum(2), 2);
		let first = request_where(key, |s| s == [1, 2]);
		assert_ok!(report(1, first, 2));
		assert!(faulted_events().is_empty());
		let c = Keys::<Test>::get(key).unwrap().committee;
		assert_eq!(FaultReports::<Test>::get(c, 1).len(), 1);

		run_to_block(4);
		let second = request_where(key, |s| s == [2, 3]);
		events();
		assert_ok!(report(3, second, 2));
		let evs = events();
		assert!(evs.contains(&Event::SignerFaulted {
			signer: 2,
			committee: c,
			reason: REASON,
			reporters: BoundedVec::truncate_from(vec![0, 2]),
			faults: 1,
			excluded_until: 4 + 30,
		}));
		assert!(FaultReports::<Test>::get(c, 1).is_empty());
		let record = SignerRecords::<Test>::get(2);
		assert_eq!((record.faults, record.last_fault), (1, Some((REASON, 4))));
		assert!(record.is_excluded(34) && !record.is_excluded(35));
		assert_eq!(ThresholdSigners::excluded_members(c, 34), vec![1]);
		assert!(ThresholdSigners::excluded_members(c, 35).is_empty());
		// The request's next attempt leaves the faulted signer out.
		assert_eq!(
			{
				let mut s = assigned_signers(second);
				s.sort_unstable();
				s
			},
			vec![1, 3]
		);
		sign(1, second);
		sign(assigned_signers(first)[0], first);
		// So do all new requests while it is excluded.
		for index in 0..12 {
			let request = request_for(10, key, 2, index, PAYLOAD).unwrap();
			assert!(!assigned_signers(request).contains(&2), "request {index}");
			sign(assigned_signers(request)[0], request);
		}
		// Afterwards it is chosen again.
		run_to_block(35);
		let back = (0..12).any(|index| {
			let request = request_for(10, key, 3, index, PAYLOAD).unwrap();
			let chosen = assigned_signers(request).contains(&2);
			sign(assigned_signers(request)[0], request);
			chosen
		});
		assert!(back, "the signer was never chosen after its exclusion ended");
	});
}

#[test]
fn reports_older_than_the_window_do_not_add_up() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		let first = request_where(key, |s| s == [1, 2]);
		assert_ok!(report(1, first, 2));
		// FaultWindow is 50 blocks: the first report is out of it at block 52.
		run_to_block(52);
		let second = request_where(key, |s| s == [2, 3]);
		assert_ok!(report(3, second, 2));
		assert!(faulted_events().is_empty());
		assert_eq!(SignerRecords::<Test>::get(2).faults, 0);
		let c = Keys::<Test>::get(key).unwrap().committee;
		let reports = FaultReports::<Test>::get(c, 1);
		assert_eq!(reports.iter().map(|r| (r.reporter, r.at)).collect::<Vec<_>>(), vec![(2, 52)]);
	});
}

#[test]
fn fewer_than_t_lying_members_cannot_frame_an_honest_one() {
	build_and_execute(|| {
		// 3-of-5: members 1 and 2 are corrupt and accuse honest member 5 whenever they sign
		// with it, over many requests.
		let key = active_key(5, 3);
		assert_eq!(ThresholdSigners::fault_quorum(3), 3);
		let mut reports = 0u32;
		for _ in 0..8 {
			for liar in [1, 2] {
				let request = request_where(key, |s| s.contains(&liar) && s.contains(&5));
				assert_ok!(report(liar, request, 5));
				reports += 1;
				sign(liar, request);
				run_to_block(System::block_number() + 1);
			}
		}
		assert!(faulted_events().is_empty());
		let record = SignerRecords::<Test>::get(5);
		assert_eq!((record.accusations, record.faults, record.excluded_until), (reports, 0, None));
		let c = Keys::<Test>::get(key).unwrap().committee;
		assert!(ThresholdSigners::excluded_members(c, System::block_number()).is_empty());
	});
}

#[test]
fn one_lying_member_of_three_cannot_make_a_request_fail() {
	build_and_execute(|| {
		// Member 1 accuses its partner first in every attempt it signs; the others sign.
		let key = active_key(3, 2);
		for index in 0..20 {
			let request = request_for(10, key, 4, index, PAYLOAD).unwrap();
			loop {
				let signers = assigned_signers(request);
				if let Some(partner) =
					signers.iter().find(|s| **s != 1).filter(|_| signers.contains(&1))
				{
					assert_ok!(report(1, request, *partner));
				} else {
					sign(signers[0], request);
					break;
				}
			}
			assert!(
				matches!(
					SignatureRequests::<Test>::get(request).unwrap().status,
					RequestStatus::Signed { .. }
				),
				"request {index}"
			);
		}
		// Its accusations never come from a quorum.
		assert_eq!(SignerRecords::<Test>::get(2).faults + SignerRecords::<Test>::get(3).faults, 0);
	});
}

#[test]
fn repeated_faults_suggest_removal() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		// FaultsForRemoval is 2.
		for round in 0..2u64 {
			let first = request_where(key, |s| s == [1, 2]);
			assert_ok!(report(1, first, 2));
			let second = request_where(key, |s| s == [2, 3]);
			events();
			// While excluded, member 2 is only chosen when it must be: a fresh exclusion
			// needs the window first, so wait it out between rounds.
			assert_ok!(report(3, second, 2));
			let evs = faulted_events();
			assert!(
				matches!(evs[0], Event::SignerFaulted { signer: 2, faults, .. } if faults == round as u32 + 1)
			);
			if round == 1 {
				assert_eq!(evs[1], Event::SignerRemovalSuggested { signer: 2, faults: 2 });
			} else {
				assert_eq!(evs.len(), 1);
			}
			sign(assigned_signers(first)[0], first);
			sign(assigned_signers(second)[0], second);
			run_to_block(System::block_number() + 31);
		}
	});
}

#[test]
fn invalid_reports_are_refused_and_change_nothing() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		let request = request_where(key, |s| s == [1, 2]);
		let at = |who: u64, attempt: u8, accused: MemberIndex| {
			ThresholdSigners::report_fault(
				RuntimeOrigin::signed(who),
				request,
				attempt,
				accused,
				REASON,
			)
		};
		assert_noop!(
			ThresholdSigners::report_fault(RuntimeOrigin::signed(1), 99, 0, 1, REASON),
			Error::<Test>::UnknownRequest
		);
		assert_noop!(at(1, 1, 1), Error::<Test>::StaleAttempt);
		assert_noop!(at(7, 0, 1), Error::<Test>::NotCommitteeMember);
		assert_noop!(at(3, 0, 1), Error::<Test>::NotAttemptSigner);
		assert_noop!(at(1, 0, 0), Error::<Test>::SelfAccusation);
		assert_noop!(at(1, 0, 2), Error::<Test>::AccusedNotInAttempt);
		assert_noop!(at(1, 0, 7), Error::<Test>::AccusedNotInAttempt);
		// Queued: fill both signing slots first.
		let _busy = request_for(10, key, 5, 0, PAYLOAD).unwrap();
		let queued = request_for(10, key, 5, 1, PAYLOAD).unwrap();
		assert_noop!(
			ThresholdSigners::report_fault(RuntimeOrigin::signed(1), queued, 0, 1, REASON),
			Error::<Test>::RequestNotAssigned
		);
		sign(1, request);
		assert_noop!(at(1, 0, 1), Error::<Test>::RequestNotPending);
	});
}

#[test]
fn excluded_members_sign_only_when_too_few_others_are_left() {
	for request in 0..20 {
		// Two of three excluded in a 2-of-3: one of them must sign, with the third.
		let chosen = ThresholdSigners::select_signers(request, 0, 3, 2, &[], &[], &[0, 1]);
		assert!(chosen.contains(&2) && chosen.len() == 2, "{chosen:?}");
		// One excluded: never chosen.
		let chosen = ThresholdSigners::select_signers(request, 0, 3, 2, &[], &[], &[1]);
		assert_eq!(chosen, vec![0, 2]);
	}
}

#[test]
fn dissolving_a_committee_drops_its_reports_and_deregistering_drops_the_record() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		// A recorded fault against member 2, and an open report against member 1.
		let c = Keys::<Test>::get(key).unwrap().committee;
		let first = request_where(key, |s| s == [1, 2]);
		assert_ok!(report(1, first, 2));
		let second = request_where(key, |s| s == [2, 3]);
		assert_ok!(report(3, second, 2));
		assert_eq!(ThresholdSigners::excluded_members(c, System::block_number()), vec![1]);
		sign(1, first);
		sign(1, second);
		let third = request_where(key, |s| s == [1, 3]);
		assert_ok!(report(3, third, 1));
		assert_eq!(FaultReports::<Test>::iter_prefix(c).count(), 1);
		assert_ok!(ThresholdSigners::retire_key(RuntimeOrigin::root(), key));
		assert_ok!(ThresholdSigners::dissolve_committee(RuntimeOrigin::root(), c));
		assert_eq!(FaultReports::<Test>::iter_prefix(c).count(), 0);
		assert!(!Exclusions::<Test>::contains_key(c));
		assert_eq!(SignerRecords::<Test>::get(2).accusations, 2);
		assert_ok!(ThresholdSigners::deregister_signer(RuntimeOrigin::root(), 2));
		assert!(!SignerRecords::<Test>::contains_key(2));
	});
}

#[test]
fn the_quorum_is_never_below_the_threshold() {
	// FaultQuorum is 2 in the mock.
	assert_eq!(ThresholdSigners::fault_quorum(2), 2);
	assert_eq!(ThresholdSigners::fault_quorum(4), 4);
}
