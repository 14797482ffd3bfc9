//! Unit tests of every call and hook: success paths, every error, events.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{Pays, PostDispatchInfo},
	traits::fungible::InspectHold,
	BoundedVec,
};
use sp_runtime::DispatchError;
use waas_primitives::testing::TestKey;

const P2P: [u8; 32] = [9u8; 32];

fn addr(s: &str) -> BoundedVec<u8, MaxAddressLen> {
	s.as_bytes().to_vec().try_into().unwrap()
}

fn members(m: &[u64]) -> BoundedVec<u64, MaxCommitteeSize> {
	m.to_vec().try_into().unwrap()
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::ThresholdSigners(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn last_event() -> Event<Test> {
	events().pop().expect("an event")
}

fn test_key() -> TestKey {
	TestKey::from_seed([42u8; 32])
}

fn register(signers: &[u64]) {
	for s in signers {
		assert_ok!(ThresholdSigners::register_signer(
			RuntimeOrigin::root(),
			*s,
			P2P,
			addr("127.0.0.1:30400")
		));
	}
}

/// Signers 1, 2, 3 in committee 0 (2-of-3).
fn committee_2_of_3() -> CommitteeId {
	register(&[1, 2, 3]);
	assert_ok!(ThresholdSigners::create_committee(RuntimeOrigin::root(), members(&[1, 2, 3]), 2));
	0
}

/// An Active key (id 0) held by the 2-of-3 committee, with `test_key()`'s public key.
fn active_key() -> KeyId {
	let committee = committee_2_of_3();
	assert_ok!(ThresholdSigners::request_keygen(RuntimeOrigin::root(), committee));
	let k = test_key();
	for m in [1, 2, 3] {
		assert_ok!(report(m, &k));
	}
	0
}

/// Member `member` reports `key` for key 0.
fn report(member: u64, key: &TestKey) -> frame_support::dispatch::DispatchResultWithPostInfo {
	ThresholdSigners::report_keygen(
		RuntimeOrigin::signed(member),
		0,
		key.public_key(),
		key.chain_code(),
	)
}

fn path() -> Vec<u32> {
	vec![1, 2, 3, 4]
}

fn pending_signers(request: RequestId) -> (u8, Vec<u64>) {
	let req = SignatureRequests::<Test>::get(request).unwrap();
	let committee = Committees::<Test>::get(0).unwrap();
	match req.status {
		RequestStatus::Pending { attempt, signers, .. } => {
			(attempt, signers.iter().map(|i| committee.members[*i as usize]).collect())
		},
		other => panic!("not pending: {other:?}"),
	}
}

/// A request by user 10 through the trait, on `path()` over "hello".
fn request_as_user() -> RequestId {
	<ThresholdSigners as ThresholdSigner<u64>>::request_signature(
		&10,
		0,
		&path(),
		b"hello",
		HashScheme::Keccak256,
	)
	.unwrap()
}

fn sign_hello() -> ([u8; 64], u8) {
	test_key().sign(&path(), HashScheme::Keccak256, b"hello")
}

// ---------------------------------------------------------------- registry

#[test]
fn register_and_deregister_signer() {
	new_test_ext().execute_with(|| {
		register(&[1]);
		assert_eq!(last_event(), Event::SignerRegistered { signer: 1, p2p_key: P2P });
		let info = Signers::<Test>::get(1).unwrap();
		assert_eq!(info.p2p_key, P2P);
		assert_eq!(info.address.to_vec(), b"127.0.0.1:30400".to_vec());
		assert_ok!(ThresholdSigners::deregister_signer(RuntimeOrigin::root(), 1));
		assert_eq!(last_event(), Event::SignerDeregistered { signer: 1 });
		assert!(Signers::<Test>::get(1).is_none());
	});
}

#[test]
fn register_signer_errors() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ThresholdSigners::register_signer(RuntimeOrigin::signed(1), 1, P2P, addr("a")),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ThresholdSigners::register_signer(RuntimeOrigin::root(), 1, [0u8; 32], addr("a")),
			Error::<Test>::InvalidP2pKey
		);
		assert_noop!(
			ThresholdSigners::register_signer(RuntimeOrigin::root(), 1, P2P, addr("")),
			Error::<Test>::InvalidAddress
		);
		let not_utf8: BoundedVec<u8, MaxAddressLen> = vec![0xff, 0xfe].try_into().unwrap();
		assert_noop!(
			ThresholdSigners::register_signer(RuntimeOrigin::root(), 1, P2P, not_utf8),
			Error::<Test>::InvalidAddress
		);
		register(&[1]);
		assert_noop!(
			ThresholdSigners::register_signer(RuntimeOrigin::root(), 1, P2P, addr("b")),
			Error::<Test>::SignerAlreadyRegistered
		);
	});
}

#[test]
fn deregister_signer_errors() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ThresholdSigners::deregister_signer(RuntimeOrigin::root(), 1),
			Error::<Test>::UnknownSigner
		);
		committee_2_of_3();
		assert_noop!(
			ThresholdSigners::deregister_signer(RuntimeOrigin::signed(1), 1),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ThresholdSigners::deregister_signer(RuntimeOrigin::root(), 1),
			Error::<Test>::SignerInCommittee
		);
	});
}

// ---------------------------------------------------------------- committees

#[test]
fn create_committee_works() {
	new_test_ext().execute_with(|| {
		committee_2_of_3();
		assert_eq!(
			last_event(),
			Event::CommitteeCreated { committee: 0, members: members(&[1, 2, 3]), threshold: 2 }
		);
		let c = Committees::<Test>::get(0).unwrap();
		assert_eq!(c.members.to_vec(), vec![1, 2, 3]);
		assert_eq!(c.threshold, 2);
		assert_eq!(Signers::<Test>::get(2).unwrap().committees, 1);
		assert_eq!(NextCommitteeId::<Test>::get(), 1);
	});
}

#[test]
fn create_committee_errors() {
	new_test_ext().execute_with(|| {
		register(&[1, 2, 3]);
		let root = RuntimeOrigin::root;
		assert_noop!(
			ThresholdSigners::create_committee(RuntimeOrigin::signed(1), members(&[1, 2]), 2),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ThresholdSigners::create_committee(root(), members(&[1, 2, 3]), 1),
			Error::<Test>::InvalidThreshold
		);
		assert_noop!(
			ThresholdSigners::create_committee(root(), members(&[1, 2, 3]), 4),
			Error::<Test>::InvalidThreshold
		);
		assert_noop!(
			ThresholdSigners::create_committee(root(), members(&[1, 2, 1]), 2),
			Error::<Test>::DuplicateMember
		);
		assert_noop!(
			ThresholdSigners::create_committee(root(), members(&[1, 2, 4]), 2),
			Error::<Test>::UnknownSigner
		);
	});
}

// ---------------------------------------------------------------- keygen

#[test]
fn keygen_becomes_active_when_all_reports_agree() {
	new_test_ext().execute_with(|| {
		committee_2_of_3();
		assert_ok!(ThresholdSigners::request_keygen(RuntimeOrigin::root(), 0));
		assert_eq!(
			last_event(),
			Event::KeygenRequested {
				key: 0,
				committee: 0,
				threshold: 2,
				members: members(&[1, 2, 3]),
				deadline: 11
			}
		);
		let k = test_key();
		for m in [1, 2] {
			let post = report(m, &k).unwrap();
			assert_eq!(post, PostDispatchInfo { actual_weight: None, pays_fee: Pays::No });
			assert_eq!(last_event(), Event::KeygenReported { key: 0, member: m });
		}
		assert!(matches!(Keys::<Test>::get(0).unwrap().status, KeyStatus::Generating { .. }));
		assert_ok!(report(3, &k));
		assert_eq!(
			last_event(),
			Event::KeyActivated { key: 0, public_key: k.public_key(), chain_code: k.chain_code() }
		);
		let info = Keys::<Test>::get(0).unwrap();
		assert_eq!(info.status, KeyStatus::Active);
		assert_eq!(info.public_key, Some(k.public_key()));
		assert_eq!(KeygenReports::<Test>::iter_prefix(0).count(), 0);
		// The deadline passing later changes nothing.
		run_to_block(12);
		assert_eq!(Keys::<Test>::get(0).unwrap().status, KeyStatus::Active);
	});
}

#[test]
fn keygen_fails_on_disagreement_and_names_offender() {
	new_test_ext().execute_with(|| {
		committee_2_of_3();
		assert_ok!(ThresholdSigners::request_keygen(RuntimeOrigin::root(), 0));
		let k = test_key();
		let other = TestKey::from_seed([1u8; 32]);
		assert_ok!(report(1, &k));
		assert_ok!(ThresholdSigners::report_keygen(
			RuntimeOrigin::signed(2),
			0,
			other.public_key(),
			k.chain_code()
		));
		assert_ok!(report(3, &k));
		let expected = Event::KeygenFailed {
			key: 0,
			reason: KeygenFailure::Disagreement,
			offenders: members(&[2]),
		};
		assert_eq!(last_event(), expected);
		assert_eq!(
			Keys::<Test>::get(0).unwrap().status,
			KeyStatus::Failed { reason: KeygenFailure::Disagreement, offenders: members(&[2]) }
		);
	});
}

#[test]
fn keygen_times_out_and_names_missing_members() {
	new_test_ext().execute_with(|| {
		committee_2_of_3();
		assert_ok!(ThresholdSigners::request_keygen(RuntimeOrigin::root(), 0));
		let k = test_key();
		assert_ok!(report(2, &k));
		run_to_block(10);
		assert!(matches!(Keys::<Test>::get(0).unwrap().status, KeyStatus::Generating { .. }));
		run_to_block(11);
		assert_eq!(
			last_event(),
			Event::KeygenFailed {
				key: 0,
				reason: KeygenFailure::Timeout,
				offenders: members(&[1, 3])
			}
		);
		assert_noop!(report(1, &k), Error::<Test>::KeyNotGenerating);
	});
}

#[test]
fn keygen_errors() {
	new_test_ext().execute_with(|| {
		let k = test_key();
		assert_noop!(
			ThresholdSigners::request_keygen(RuntimeOrigin::root(), 0),
			Error::<Test>::UnknownCommittee
		);
		committee_2_of_3();
		assert_noop!(
			ThresholdSigners::request_keygen(RuntimeOrigin::signed(1), 0),
			DispatchError::BadOrigin
		);
		assert_noop!(report(1, &k), Error::<Test>::UnknownKey);
		assert_ok!(ThresholdSigners::request_keygen(RuntimeOrigin::root(), 0));
		assert_noop!(report(4, &k), Error::<Test>::NotCommitteeMember);
		let mut bad = k.public_key();
		bad[0] = 0x05;
		assert_noop!(
			ThresholdSigners::report_keygen(RuntimeOrigin::signed(1), 0, bad, k.chain_code()),
			Error::<Test>::InvalidPublicKey
		);
		assert_ok!(report(1, &k));
		assert_noop!(report(1, &k), Error::<Test>::AlreadyReported);
	});
}

// ---------------------------------------------------------------- signing

#[test]
fn signer_selection_is_deterministic_and_rotates() {
	let subsets: Vec<Vec<MemberIndex>> =
		(0..3).map(|a| ThresholdSigners::select_signers(7, a, 3, 2)).collect();
	for s in &subsets {
		assert_eq!(s.len(), 2);
		assert!(s[0] < s[1] && s[1] < 3);
	}
	assert_ne!(subsets[0], subsets[1]);
	assert_ne!(subsets[1], subsets[2]);
	assert_ne!(subsets[0], subsets[2]);
	assert_eq!(subsets[0], ThresholdSigners::select_signers(7, 0, 3, 2));
	assert_eq!(ThresholdSigners::select_signers(9, 0, 3, 3), vec![0, 1, 2]);
	assert!(ThresholdSigners::select_signers(9, 0, 0, 2).is_empty());
}

#[test]
fn request_and_valid_signature_is_accepted() {
	new_test_ext().execute_with(|| {
		active_key();
		let request = request_as_user();
		let (attempt, signers) = pending_signers(request);
		assert_eq!(attempt, 0);
		assert_eq!(signers.len(), 2);
		match last_event() {
			Event::SignatureRequested {
				request: r,
				key: 0,
				attempt: 0,
				signers: s,
				deadline,
				..
			} => {
				assert_eq!(r, request);
				assert_eq!(s.to_vec(), signers);
				assert_eq!(deadline, 6);
			},
			other => panic!("unexpected {other:?}"),
		}
		let req = SignatureRequests::<Test>::get(request).unwrap();
		assert_eq!(req.public_key, test_key().derived_public_key(&path()));
		assert_eq!(req.message_hash, HashScheme::Keccak256.hash(b"hello"));
		assert_eq!(req.requester, Some(10));
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::SignatureRequest.into(), &10),
			SignatureRequestDeposit::get()
		);

		let (sig, rid) = sign_hello();
		let post = ThresholdSigners::submit_signature(
			RuntimeOrigin::signed(signers[1]),
			request,
			sig,
			rid,
		)
		.unwrap();
		assert_eq!(post.pays_fee, Pays::No);
		assert_eq!(
			last_event(),
			Event::SignatureProduced {
				request,
				signature: sig,
				recovery_id: rid,
				submitted_by: signers[1]
			}
		);
		assert!(matches!(
			SignatureRequests::<Test>::get(request).unwrap().status,
			RequestStatus::Signed { recovery_id, .. } if recovery_id == rid
		));
		assert_eq!(OUTCOMES.with(|o| o.borrow().clone()), vec![(request, true)]);
		// Terminal: no second signature, and the deadline passing changes nothing.
		assert_noop!(
			ThresholdSigners::submit_signature(
				RuntimeOrigin::signed(signers[0]),
				request,
				sig,
				rid
			),
			Error::<Test>::RequestNotPending
		);
		run_to_block(20);
		assert!(matches!(
			SignatureRequests::<Test>::get(request).unwrap().status,
			RequestStatus::Signed { .. }
		));
	});
}

#[test]
fn wrong_signatures_are_rejected() {
	new_test_ext().execute_with(|| {
		active_key();
		let request = request_as_user();
		let (_, signers) = pending_signers(request);
		let signer = RuntimeOrigin::signed(signers[0]);
		let k = test_key();
		// Signed by the right key on another path.
		let (sig, rid) = k.sign(&[1, 2, 3, 5], HashScheme::Keccak256, b"hello");
		assert_noop!(
			ThresholdSigners::submit_signature(signer.clone(), request, sig, rid),
			Error::<Test>::InvalidSignature
		);
		// Over another payload.
		let (sig, rid) = k.sign(&path(), HashScheme::Keccak256, b"hellO");
		assert_noop!(
			ThresholdSigners::submit_signature(signer.clone(), request, sig, rid),
			Error::<Test>::InvalidSignature
		);
		// With another hash scheme.
		let (sig, rid) = k.sign(&path(), HashScheme::Sha256, b"hello");
		assert_noop!(
			ThresholdSigners::submit_signature(signer.clone(), request, sig, rid),
			Error::<Test>::InvalidSignature
		);
		// By another key.
		let (sig, rid) =
			TestKey::from_seed([1u8; 32]).sign(&path(), HashScheme::Keccak256, b"hello");
		assert_noop!(
			ThresholdSigners::submit_signature(signer.clone(), request, sig, rid),
			Error::<Test>::InvalidSignature
		);
		// The right signature with the wrong recovery id.
		let (sig, rid) = sign_hello();
		assert_noop!(
			ThresholdSigners::submit_signature(signer.clone(), request, sig, rid ^ 1),
			Error::<Test>::InvalidSignature
		);
		assert_noop!(
			ThresholdSigners::submit_signature(signer.clone(), request, sig, 4),
			Error::<Test>::InvalidRecoveryId
		);
		// The same signature with s replaced by n - s (valid ECDSA, but high-s).
		let high_s = waas_primitives::testing::flip_s(&sig);
		assert_noop!(
			ThresholdSigners::submit_signature(signer.clone(), request, high_s, rid ^ 1),
			Error::<Test>::NonCanonicalSignature
		);
		assert_noop!(
			ThresholdSigners::submit_signature(signer.clone(), request, [0u8; 64], 0),
			Error::<Test>::NonCanonicalSignature
		);
		// Not an assigned signer, not a member, unknown request, unsigned.
		let unassigned = [1u64, 2, 3].into_iter().find(|m| !signers.contains(m)).unwrap();
		assert_noop!(
			ThresholdSigners::submit_signature(
				RuntimeOrigin::signed(unassigned),
				request,
				sig,
				rid
			),
			Error::<Test>::NotAssignedSigner
		);
		assert_noop!(
			ThresholdSigners::submit_signature(RuntimeOrigin::signed(10), request, sig, rid),
			Error::<Test>::NotAssignedSigner
		);
		assert_noop!(
			ThresholdSigners::submit_signature(signer.clone(), 99, sig, rid),
			Error::<Test>::UnknownRequest
		);
		assert_noop!(
			ThresholdSigners::submit_signature(RuntimeOrigin::none(), request, sig, rid),
			DispatchError::BadOrigin
		);
		// Still pending after all of that.
		assert_eq!(pending_signers(request).0, 0);
	});
}

#[test]
fn expired_attempt_is_reassigned_then_fails() {
	new_test_ext().execute_with(|| {
		active_key();
		let request = request_as_user();
		let (_, first) = pending_signers(request);
		run_to_block(6);
		assert!(events().contains(&Event::SigningAttemptExpired { request, attempt: 0 }));
		let (attempt, second) = pending_signers(request);
		assert_eq!(attempt, 1);
		assert_ne!(first, second);
		// The first subset's signer that is not in the second one can no longer submit.
		let (sig, rid) = sign_hello();
		if let Some(dropped) = first.iter().find(|m| !second.contains(m)) {
			assert_noop!(
				ThresholdSigners::submit_signature(
					RuntimeOrigin::signed(*dropped),
					request,
					sig,
					rid
				),
				Error::<Test>::NotAssignedSigner
			);
		}
		run_to_block(11);
		assert_eq!(pending_signers(request).0, 2);
		run_to_block(16);
		assert_eq!(
			last_event(),
			Event::SignatureFailed { request, reason: SigningFailure::AttemptsExhausted }
		);
		assert_eq!(
			SignatureRequests::<Test>::get(request).unwrap().status,
			RequestStatus::Failed { reason: SigningFailure::AttemptsExhausted, at: 16 }
		);
		assert_eq!(OUTCOMES.with(|o| o.borrow().clone()), vec![(request, false)]);
		assert_noop!(
			ThresholdSigners::submit_signature(RuntimeOrigin::signed(second[0]), request, sig, rid),
			Error::<Test>::RequestNotPending
		);
	});
}

#[test]
fn reassigned_attempt_can_be_signed() {
	new_test_ext().execute_with(|| {
		active_key();
		let request = request_as_user();
		run_to_block(6);
		let (attempt, signers) = pending_signers(request);
		assert_eq!(attempt, 1);
		let (sig, rid) = sign_hello();
		assert_ok!(ThresholdSigners::submit_signature(
			RuntimeOrigin::signed(signers[0]),
			request,
			sig,
			rid
		));
		run_to_block(30);
		assert!(matches!(
			SignatureRequests::<Test>::get(request).unwrap().status,
			RequestStatus::Signed { .. }
		));
	});
}

#[test]
fn strangers_cannot_request_signatures_directly() {
	new_test_ext().execute_with(|| {
		active_key();
		let payload: BoundedVec<u8, MaxPayloadLen> = b"hello".to_vec().try_into().unwrap();
		let p: BoundedVec<u32, MaxPathDepth> = path().try_into().unwrap();
		for who in [1u64, 10, 11] {
			assert_noop!(
				ThresholdSigners::request_signature(
					RuntimeOrigin::signed(who),
					0,
					p.clone(),
					payload.clone(),
					HashScheme::Keccak256
				),
				DispatchError::BadOrigin
			);
		}
		// The privileged origin can, without a deposit.
		assert_ok!(ThresholdSigners::request_signature(
			RuntimeOrigin::root(),
			0,
			p,
			payload,
			HashScheme::Keccak256
		));
		let req = SignatureRequests::<Test>::get(0).unwrap();
		assert_eq!(req.requester, None);
		assert_eq!(req.deposit, 0);
	});
}

#[test]
fn request_signature_errors() {
	new_test_ext().execute_with(|| {
		let req = |key: KeyId, path: &[u32], payload: &[u8], who: u64| {
			<ThresholdSigners as ThresholdSigner<u64>>::request_signature(
				&who,
				key,
				path,
				payload,
				HashScheme::Keccak256,
			)
		};
		assert_noop!(req(0, &[1], b"x", 10), Error::<Test>::UnknownKey);
		committee_2_of_3();
		assert_ok!(ThresholdSigners::request_keygen(RuntimeOrigin::root(), 0));
		assert_noop!(req(0, &[1], b"x", 10), Error::<Test>::KeyNotActive);
		let k = test_key();
		for m in [1, 2, 3] {
			assert_ok!(report(m, &k));
		}
		assert_noop!(req(0, &[1], b"", 10), Error::<Test>::EmptyPayload);
		assert_noop!(req(0, &[1], &[0u8; 65], 10), Error::<Test>::PayloadTooLarge);
		assert_noop!(req(0, &[1, 2, 3, 4, 5], b"x", 10), Error::<Test>::PathTooDeep);
		assert_noop!(req(0, &[1, 1 << 31], b"x", 10), Error::<Test>::HardenedIndex);
		assert_noop!(req(0, &[1], b"x", 12), Error::<Test>::InsufficientBalanceForDeposit);
		// The empty path signs with the key itself.
		assert_ok!(req(0, &[], b"x", 10));
	});
}

#[test]
fn clear_request_releases_deposit_only_when_ended() {
	new_test_ext().execute_with(|| {
		active_key();
		let request = request_as_user();
		assert_noop!(
			ThresholdSigners::clear_request(RuntimeOrigin::signed(10), request),
			Error::<Test>::RequestNotFinished
		);
		let (_, signers) = pending_signers(request);
		let (sig, rid) = sign_hello();
		assert_ok!(ThresholdSigners::submit_signature(
			RuntimeOrigin::signed(signers[0]),
			request,
			sig,
			rid
		));
		assert_noop!(
			ThresholdSigners::clear_request(RuntimeOrigin::signed(11), request),
			Error::<Test>::NotRequester
		);
		assert_noop!(
			ThresholdSigners::clear_request(RuntimeOrigin::root(), request),
			DispatchError::BadOrigin
		);
		assert_ok!(ThresholdSigners::clear_request(RuntimeOrigin::signed(10), request));
		assert_eq!(last_event(), Event::RequestCleared { request });
		assert!(SignatureRequests::<Test>::get(request).is_none());
		assert_eq!(Balances::balance_on_hold(&HoldReason::SignatureRequest.into(), &10), 0);
		assert_noop!(
			ThresholdSigners::clear_request(RuntimeOrigin::signed(10), request),
			Error::<Test>::UnknownRequest
		);
	});
}

#[test]
fn privileged_requests_are_cleared_by_the_privileged_origin() {
	new_test_ext().execute_with(|| {
		active_key();
		let payload: BoundedVec<u8, MaxPayloadLen> = b"hello".to_vec().try_into().unwrap();
		assert_ok!(ThresholdSigners::request_signature(
			RuntimeOrigin::root(),
			0,
			path().try_into().unwrap(),
			payload,
			HashScheme::Keccak256
		));
		run_to_block(16);
		assert!(SignatureRequests::<Test>::get(0).unwrap().status.is_terminal());
		assert_noop!(
			ThresholdSigners::clear_request(RuntimeOrigin::signed(10), 0),
			DispatchError::BadOrigin
		);
		assert_ok!(ThresholdSigners::clear_request(RuntimeOrigin::root(), 0));
	});
}

#[test]
fn deadline_queue_spills_to_later_blocks_and_is_bounded() {
	new_test_ext().execute_with(|| {
		active_key();
		// Two deadlines fit per block and 16 blocks are tried: 32 slots, one taken by the
		// keygen deadline at block 11.
		let mut deadlines = Vec::new();
		for _ in 0..31 {
			let r = request_as_user();
			match SignatureRequests::<Test>::get(r).unwrap().status {
				RequestStatus::Pending { deadline, .. } => deadlines.push(deadline),
				_ => unreachable!(),
			}
		}
		assert_eq!(deadlines.first(), Some(&6));
		assert!(deadlines.iter().all(|d| (6..22).contains(d)));
		assert_noop!(
			<ThresholdSigners as ThresholdSigner<u64>>::request_signature(
				&11,
				0,
				&path(),
				b"x",
				HashScheme::Keccak256
			),
			Error::<Test>::DeadlineQueueFull
		);
	});
}

#[test]
fn id_counters_refuse_to_overflow() {
	new_test_ext().execute_with(|| {
		register(&[1, 2, 3]);
		NextCommitteeId::<Test>::put(CommitteeId::MAX);
		assert_noop!(
			ThresholdSigners::create_committee(RuntimeOrigin::root(), members(&[1, 2, 3]), 2),
			Error::<Test>::IdOverflow
		);
		NextCommitteeId::<Test>::put(0);
		assert_ok!(ThresholdSigners::create_committee(
			RuntimeOrigin::root(),
			members(&[1, 2, 3]),
			2
		));
		NextKeyId::<Test>::put(KeyId::MAX);
		assert_noop!(
			ThresholdSigners::request_keygen(RuntimeOrigin::root(), 0),
			Error::<Test>::IdOverflow
		);
		NextKeyId::<Test>::put(0);
		assert_ok!(ThresholdSigners::request_keygen(RuntimeOrigin::root(), 0));
		let k = test_key();
		for m in [1, 2, 3] {
			assert_ok!(report(m, &k));
		}
		NextRequestId::<Test>::put(RequestId::MAX);
		assert_noop!(
			<ThresholdSigners as ThresholdSigner<u64>>::request_signature(
				&10,
				0,
				&path(),
				b"x",
				HashScheme::Keccak256
			),
			Error::<Test>::IdOverflow
		);
	});
}
