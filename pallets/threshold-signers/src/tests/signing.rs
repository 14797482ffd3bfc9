//! Signature requests: namespaces, prices, the FIFO, assignment, acceptance, cancellation.

use super::*;
use crate::SignatureOutcome;
use frame_support::assert_noop;
use sp_runtime::{DispatchError, TokenError};
use waas_primitives::namespace;

const PAYLOAD: &[u8] = b"payload";

#[test]
fn the_privileged_origin_signs_only_in_its_own_namespace() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		let path = |p: Vec<u32>| BoundedVec::try_from(p).unwrap();
		let payload = BoundedVec::try_from(PAYLOAD.to_vec()).unwrap();
		// A Meta-Account address path: refused, whatever the origin's power.
		assert_noop!(
			ThresholdSigners::request_signature(
				RuntimeOrigin::root(),
				key,
				path(address_path(1, 0)),
				payload.clone(),
				HashScheme::Keccak256
			),
			Error::<Test>::PathNotInNamespace
		);
		assert_noop!(
			ThresholdSigners::request_signature(
				RuntimeOrigin::root(),
				key,
				path(vec![]),
				payload.clone(),
				HashScheme::Keccak256
			),
			Error::<Test>::PathNotInNamespace
		);
		assert_noop!(
			ThresholdSigners::request_signature(
				RuntimeOrigin::signed(10),
				key,
				path(vec![namespace::PRIVILEGED]),
				payload.clone(),
				HashScheme::Keccak256
			),
			DispatchError::BadOrigin
		);
		assert_ok!(ThresholdSigners::request_signature(
			RuntimeOrigin::root(),
			key,
			path(vec![namespace::PRIVILEGED, 5]),
			payload,
			HashScheme::Keccak256
		));
		let req = SignatureRequests::<Test>::get(0).unwrap();
		assert_eq!(req.owner, RequestOwner::privileged());
		assert_eq!((req.payer, req.deposit, req.fee), (None, 0, 0));
	});
}

#[test]
fn a_path_prefix_belongs_to_its_first_owner() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		let owner_a = address_owner(1, 0);
		// Meta-Account 2 whose id maps onto the same path prefix as Meta-Account 1's.
		let owner_b = RequestOwner { id: H256::repeat_byte(2), ..owner_a };
		let path = address_path(1, 0);
		let claim = |o: &RequestOwner, p: &[u32]| {
			<ThresholdSigners as ThresholdSigner<u64>>::claim_path(o, key, p)
		};
		let derived = claim(&owner_a, &path).unwrap();
		assert_eq!(derived, test_key().derived_public_key(&path));
		assert_eq!(
			PathOwners::<Test>::get(BoundedVec::try_from(path[..4].to_vec()).unwrap()),
			Some((namespace::META_ACCOUNT_ADDRESSES, H256::repeat_byte(1)))
		);
		assert_noop!(claim(&owner_b, &path), Error::<Test>::PathOwnedByAnother);
		assert_noop!(claim(&owner_b, &address_path(1, 7)), Error::<Test>::PathOwnedByAnother);
		// The owner itself may claim other indices, and sign on them.
		assert_ok!(claim(&owner_a, &address_path(1, 7)));
		assert_noop!(
			<ThresholdSigners as ThresholdSigner<u64>>::request_signature(SigningRequest {
				owner: owner_b,
				payer: &10,
				key,
				path: &path,
				payload: PAYLOAD,
				scheme: HashScheme::Keccak256,
			}),
			Error::<Test>::PathOwnedByAnother
		);
		// A path outside the owner's namespace is refused.
		assert_noop!(
			claim(&owner_a, &[namespace::PRIVILEGED, 1]),
			Error::<Test>::PathNotInNamespace
		);
	});
}

#[test]
fn requests_are_validated_and_change_nothing_when_refused() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		assert_noop!(request_for(10, key, 1, 0, b""), Error::<Test>::EmptyPayload);
		assert_noop!(request_for(10, key, 1, 0, &[1u8; 65]), Error::<Test>::PayloadTooLarge);
		assert_noop!(request_for(10, key + 1, 1, 0, PAYLOAD), Error::<Test>::UnknownKey);
		let deep = |p: Vec<u32>| {
			<ThresholdSigners as ThresholdSigner<u64>>::request_signature(SigningRequest {
				owner: address_owner(1, 0),
				payer: &10,
				key,
				path: &p,
				payload: PAYLOAD,
				scheme: HashScheme::Keccak256,
			})
		};
		assert_noop!(deep(vec![1; 9]), Error::<Test>::PathTooDeep);
		assert_noop!(deep(vec![1, 1 << 31]), Error::<Test>::HardenedIndex);
		// User 12 has 10 units: the deposit (5 + 7) does not fit.
		assert_noop!(request_for(12, key, 1, 0, PAYLOAD), TokenError::FundsUnavailable);
		assert_eq!(NextRequestId::<Test>::get(), 0);
		// A key that is still generating cannot sign.
		assert_ok!(ThresholdSigners::request_keygen(RuntimeOrigin::root(), 0));
		assert_noop!(request_for(10, key + 1, 1, 0, PAYLOAD), Error::<Test>::KeyNotActive);
	});
}

#[test]
fn a_signed_request_pays_its_signers_and_returns_the_deposit() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		events();
		let request = request_for(10, key, 1, 0, PAYLOAD).unwrap();
		let deposit = 5 + PAYLOAD.len() as u64;
		assert_eq!(held(HoldReason::RequestDeposit, 10), deposit);
		assert_eq!(held(HoldReason::SigningFee, 10), 6);
		let signers = assigned_signers(request);
		let ev = events();
		assert_eq!(
			ev[0],
			Event::SignatureRequested {
				request,
				key,
				owner: address_owner(1, 0),
				payer: Some(10),
				deposit,
				fee: 6
			}
		);
		assert!(matches!(ev[1], Event::AttemptAssigned { attempt: 0, deadline: 6, .. }));

		let (sig, rid) = signature_for(request);
		assert_ok!(ThresholdSigners::submit_signature(
			RuntimeOrigin::signed(signers[0]),
			request,
			sig,
			rid
		));
		assert!(matches!(
			SignatureRequests::<Test>::get(request).unwrap().status,
			RequestStatus::Signed { submitted_by, .. } if submitted_by == signers[0]
		));
		assert_eq!(held(HoldReason::RequestDeposit, 10), 0);
		assert_eq!(held(HoldReason::SigningFee, 10), 0);
		assert_eq!(Balances::free_balance(10), 1_000 - 6);
		for s in &signers {
			assert_eq!(Balances::free_balance(s), 3);
		}
		assert_eq!(outcomes(), vec![(request, address_owner(1, 0), SignatureOutcome::Signed)]);
		// Its expiry is off the agenda; its pruning is on it.
		assert!(!Agenda::<Test>::contains_key(7, AgendaItem::AttemptExpiry(request, 0)));
		assert!(Agenda::<Test>::contains_key(21, AgendaItem::Prune(request)));
		run_to_block(21);
		assert!(SignatureRequests::<Test>::get(request).is_none());
	});
}

#[test]
fn bad_submissions_are_refused() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		register_outsider();
		let request = request_for(10, key, 1, 0, PAYLOAD).unwrap();
		let signer = assigned_signers(request)[0];
		let (sig, rid) = signature_for(request);
		let submit = |who: u64, sig: [u8; 64], rid: u8| {
			ThresholdSigners::submit_signature(RuntimeOrigin::signed(who), request, sig, rid)
		};
		let (other, other_rid) = test_key().sign(&address_path(1, 0), HashScheme::Keccak256, b"x");
		assert_noop!(submit(signer, other, other_rid), Error::<Test>::InvalidSignature);
		assert_noop!(submit(signer, sig, rid ^ 1), Error::<Test>::InvalidSignature);
		assert_noop!(
			submit(signer, waas_primitives::testing::flip_s(&sig), rid ^ 1),
			Error::<Test>::NonCanonicalSignature
		);
		assert_noop!(submit(signer, sig, 4), Error::<Test>::InvalidRecoveryId);
		assert_noop!(submit(9, sig, rid), Error::<Test>::NotCommitteeMember);
		assert_noop!(
			ThresholdSigners::submit_signature(RuntimeOrigin::signed(signer), 99, sig, rid),
			Error::<Test>::UnknownRequest
		);
		assert_ok!(submit(signer, sig, rid));
		assert_noop!(submit(signer, sig, rid), Error::<Test>::RequestNotPending);
	});
}

fn register_outsider() {
	assert_ok!(ThresholdSigners::register_signer(
		RuntimeOrigin::root(),
		9,
		[99u8; 32],
		endpoint("h:9")
	));
}

#[test]
fn a_signature_in_the_deadline_block_counts() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		let request = request_for(10, key, 1, 0, PAYLOAD).unwrap();
		run_to_block(6);
		assert_eq!(attempt_of(request), 0);
		let (sig, rid) = signature_for(request);
		assert_ok!(ThresholdSigners::submit_signature(
			RuntimeOrigin::signed(assigned_signers(request)[0]),
			request,
			sig,
			rid
		));
	});
}

#[test]
fn the_block_after_the_deadline_reassigns_and_a_late_signature_still_counts() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		let request = request_for(10, key, 1, 0, PAYLOAD).unwrap();
		let first = assigned_signers(request);
		run_to_block(7);
		assert_eq!(attempt_of(request), 1);
		let second = assigned_signers(request);
		// The member left out of attempt 0 is in attempt 1.
		let fresh = (1..=3).find(|m| !first.contains(m)).unwrap();
		assert!(second.contains(&fresh));
		for m in &first {
			assert_eq!(Signers::<Test>::get(m).unwrap().expired_attempts, 1);
		}
		// A member of attempt 0 that is not in attempt 1 delivers late: accepted.
		let late = first.iter().find(|m| !second.contains(m)).copied().unwrap();
		let (sig, rid) = signature_for(request);
		assert_ok!(ThresholdSigners::submit_signature(
			RuntimeOrigin::signed(late),
			request,
			sig,
			rid
		));
		// The fee goes to the current attempt's signers.
		for s in &second {
			assert_eq!(Balances::free_balance(s), 3);
		}
	});
}

#[test]
fn retries_avoid_failed_members_and_a_request_fails_after_its_attempts() {
	build_and_execute(|| {
		let key = active_key(5, 3);
		let request = request_for(10, key, 1, 0, PAYLOAD).unwrap();
		let a0 = assigned_signers(request);
		run_to_block(7);
		let a1 = assigned_signers(request);
		// Both members never tried are in attempt 1.
		for m in (1..=5).filter(|m| !a0.contains(m)) {
			assert!(a1.contains(&m), "{m} missing from {a1:?} after {a0:?}");
		}
		run_to_block(13);
		let a2 = assigned_signers(request);
		assert_ne!(a2, a1);
		// The member of both failed attempts is avoided: four others failed only once.
		let twice = a0.iter().find(|m| a1.contains(m)).unwrap();
		assert!(!a2.contains(twice), "{twice} failed twice but is in {a2:?}");
		run_to_block(19);
		assert!(matches!(
			SignatureRequests::<Test>::get(request).unwrap().status,
			RequestStatus::Failed { reason: SigningFailure::AttemptsExhausted, at: 19 }
		));
		// A failed request returns the fee and the deposit.
		assert_eq!(Balances::free_balance(10), 1_000);
		assert_eq!(
			outcomes(),
			vec![(
				request,
				address_owner(1, 0),
				SignatureOutcome::Failed(SigningFailure::AttemptsExhausted)
			)]
		);
	});
}

#[test]
fn with_one_dead_member_of_three_some_attempt_avoids_it() {
	// 2-of-3: the three attempts are the three different pairs, whatever the request id, so
	// one of them leaves out any single dead member.
	for request in 0..50u64 {
		let a0 = ThresholdSigners::select_signers(request, 0, 3, 2, &[], &[], &[]);
		let tried: Vec<(MemberIndex, u8)> = a0.iter().map(|m| (*m, 1)).collect();
		let a1 = ThresholdSigners::select_signers(request, 1, 3, 2, &tried, &a0, &[]);
		let mut tried = tried;
		for m in &a1 {
			match tried.iter_mut().find(|(i, _)| i == m) {
				Some((_, c)) => *c += 1,
				None => tried.push((*m, 1)),
			}
		}
		let a2 = ThresholdSigners::select_signers(request, 2, 3, 2, &tried, &a1, &[]);
		let mut subsets = vec![a0.clone(), a1.clone(), a2.clone()];
		subsets.sort();
		subsets.dedup();
		assert_eq!(subsets.len(), 3, "request {request}: {a0:?} {a1:?} {a2:?}");
	}
}

#[test]
fn with_t_equal_n_a_failed_attempt_is_not_repeated() {
	build_and_execute(|| {
		let key = active_key(3, 3);
		let request = request_for(10, key, 1, 0, PAYLOAD).unwrap();
		run_to_block(7);
		assert!(matches!(
			SignatureRequests::<Test>::get(request).unwrap().status,
			RequestStatus::Failed { reason: SigningFailure::AttemptsExhausted, at: 7 }
		));
	});
}

#[test]
fn requests_wait_in_a_fifo_and_pay_more_when_it_is_long() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		// Two slots (MaxAssignedPerKey), then three places in the queue.
		let ids: Vec<RequestId> =
			(0..5).map(|i| request_for(10, key, 1, i, PAYLOAD).unwrap()).collect();
		assert_noop!(request_for(10, key, 1, 5, PAYLOAD), Error::<Test>::QueueFull);
		assert_eq!(Assigned::<Test>::get(key).to_vec(), ids[..2].to_vec());
		assert_eq!(Queue::<Test>::get(key).to_vec(), ids[2..].to_vec());
		assert_eq!(ThresholdSigners::queue_position(ids[4]), Some(2));
		// Fees: 6 with fewer than two queued ahead, 12 with two or three.
		let fees: Vec<u64> =
			ids.iter().map(|i| SignatureRequests::<Test>::get(i).unwrap().fee).collect();
		assert_eq!(fees, vec![6, 6, 6, 6, 12]);
		assert_eq!(ThresholdSigners::signing_fee(key), Some(12));
		assert!(events().contains(&Event::SignatureQueued { request: ids[4], position: 2 }));

		// Signing the first hands its slot to the oldest queued request, in this block.
		let (sig, rid) = signature_for(ids[0]);
		assert_ok!(ThresholdSigners::submit_signature(
			RuntimeOrigin::signed(assigned_signers(ids[0])[0]),
			ids[0],
			sig,
			rid
		));
		assert_eq!(attempt_of(ids[2]), 0);
		assert_eq!(ThresholdSigners::queue_position(ids[4]), Some(1));
		// The attempt clock of a promoted request starts at its assignment.
		run_to_block(4);
		let (sig, rid) = signature_for(ids[1]);
		assert_ok!(ThresholdSigners::submit_signature(
			RuntimeOrigin::signed(assigned_signers(ids[1])[0]),
			ids[1],
			sig,
			rid
		));
		assert!(matches!(
			SignatureRequests::<Test>::get(ids[3]).unwrap().status,
			RequestStatus::Assigned { deadline: 9, .. }
		));
	});
}

#[test]
fn cancellation_refunds_a_queued_request_and_pays_for_started_work() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		let ids: Vec<RequestId> =
			(0..3).map(|i| request_for(10, key, 1, i, PAYLOAD).unwrap()).collect();
		let owner = |i| address_owner(1, i);
		let cancel = |o: RequestOwner, r: RequestId| {
			<ThresholdSigners as ThresholdSigner<u64>>::cancel(&o, r)
		};
		assert_noop!(cancel(owner(0), ids[2]), Error::<Test>::NotRequestOwner);
		assert_noop!(cancel(owner(2), 99), Error::<Test>::UnknownRequest);
		// Queued: the fee comes back.
		assert_ok!(cancel(owner(2), ids[2]));
		assert!(Queue::<Test>::get(key).is_empty());
		assert_eq!(Balances::free_balance(10), 1_000 - 2 * (12 + 6));
		// Assigned: the signers started, they keep the fee.
		let signers = assigned_signers(ids[0]);
		assert_ok!(cancel(owner(0), ids[0]));
		for s in &signers {
			assert_eq!(Balances::free_balance(s), 3);
		}
		assert_noop!(cancel(owner(0), ids[0]), Error::<Test>::RequestNotPending);
		assert_eq!(
			outcomes(),
			vec![
				(ids[2], owner(2), SignatureOutcome::Cancelled),
				(ids[0], owner(0), SignatureOutcome::Cancelled)
			]
		);
		// The privileged origin cancels its own requests only.
		assert_noop!(
			ThresholdSigners::cancel_request(RuntimeOrigin::root(), ids[1]),
			Error::<Test>::NotRequestOwner
		);
	});
}

#[test]
fn retiring_a_key_fails_its_queued_and_assigned_requests() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		let ids: Vec<RequestId> =
			(0..4).map(|i| request_for(10, key, 1, i, PAYLOAD).unwrap()).collect();
		events();
		assert_ok!(ThresholdSigners::retire_key(RuntimeOrigin::root(), key));
		for id in &ids {
			assert!(matches!(
				SignatureRequests::<Test>::get(id).unwrap().status,
				RequestStatus::Failed { reason: SigningFailure::KeyRetired, .. }
			));
		}
		assert!(Assigned::<Test>::get(key).is_empty() && Queue::<Test>::get(key).is_empty());
		assert_eq!(Balances::free_balance(10), 1_000);
		assert!(events().contains(&Event::KeyRetired { key, failed_requests: 4 }));
		assert_eq!(outcomes().len(), 4);
		assert_noop!(request_for(10, key, 1, 0, PAYLOAD), Error::<Test>::KeyNotActive);
	});
}

#[test]
fn signers_see_what_is_assigned_to_them() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		let request = request_for(10, key, 1, 0, PAYLOAD).unwrap();
		for m in 1..=3u64 {
			let expected =
				if assigned_signers(request).contains(&m) { vec![(request, 0)] } else { vec![] };
			assert_eq!(ThresholdSigners::assigned_to(&m), expected);
		}
	});
}
