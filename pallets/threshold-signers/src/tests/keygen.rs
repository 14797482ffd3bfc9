//! Key generation: agreement, blame, deadlines, aux-info reuse, retirement.

use super::*;
use frame_support::assert_noop;

fn report(
	member: u64,
	key: KeyId,
	k: &TestKey,
) -> sp_runtime::DispatchResultWithInfo<frame_support::dispatch::PostDispatchInfo> {
	ThresholdSigners::report_keygen(
		RuntimeOrigin::signed(member),
		key,
		k.public_key(),
		k.chain_code(),
	)
}

fn generating(n: u64, t: u16) -> KeyId {
	register(n);
	let c = committee(&(1..=n).collect::<Vec<_>>(), t);
	assert_ok!(ThresholdSigners::request_keygen(RuntimeOrigin::root(), c));
	NextKeyId::<Test>::get() - 1
}

#[test]
fn agreement_activates_the_key_and_reports_carry_their_values() {
	build_and_execute(|| {
		let key = generating(3, 2);
		let k = test_key();
		let ev = events();
		// Deadline = request block (1) + base (10) + 2 per member.
		assert!(ev.contains(&Event::KeygenRequested {
			key,
			committee: 0,
			threshold: 2,
			members: BoundedVec::try_from(vec![1, 2, 3]).unwrap(),
			deadline: 1 + 10 + 2 * 3,
			aux_source: None,
		}));
		for m in 1..=3 {
			assert_ok!(report(m, key, &k));
		}
		let ev = events();
		assert!(ev.contains(&Event::KeygenReported {
			key,
			member: 2,
			public_key: k.public_key(),
			chain_code: k.chain_code()
		}));
		assert!(ev.contains(&Event::KeyActivated {
			key,
			public_key: k.public_key(),
			chain_code: k.chain_code()
		}));
		assert_eq!(ThresholdSigners::active_key(key).unwrap(), (k.public_key(), k.chain_code()));
		// The committee's aux info now comes from this key, for every later keygen.
		assert_eq!(Committees::<Test>::get(0).unwrap().aux_key, Some(key));
		assert_ok!(ThresholdSigners::request_keygen(RuntimeOrigin::root(), 0));
		assert_eq!(Keys::<Test>::get(key + 1).unwrap().aux_source, Some(key));
	});
}

#[test]
fn a_strict_majority_names_the_minority() {
	build_and_execute(|| {
		let key = generating(3, 2);
		let (k, other) = (test_key(), TestKey::from_seed([9u8; 32]));
		assert_ok!(report(1, key, &k));
		assert_ok!(report(2, key, &other));
		assert_ok!(report(3, key, &k));
		assert_eq!(
			Keys::<Test>::get(key).unwrap().status,
			KeyStatus::Failed {
				reason: KeygenFailure::Disagreement,
				offenders: BoundedVec::try_from(vec![2]).unwrap()
			}
		);
		assert_eq!(Committees::<Test>::get(0).unwrap().live_keys, 0);
		assert!(KeygenReports::<Test>::iter_prefix(key).next().is_none());
	});
}

#[test]
fn without_a_strict_majority_nobody_is_named() {
	build_and_execute(|| {
		// 2 against 2: neither value has more than half.
		let key = generating(4, 2);
		let (k, other) = (test_key(), TestKey::from_seed([9u8; 32]));
		assert_ok!(report(1, key, &k));
		assert_ok!(report(2, key, &other));
		assert_ok!(report(3, key, &other));
		assert_ok!(report(4, key, &k));
		assert_eq!(
			Keys::<Test>::get(key).unwrap().status,
			KeyStatus::Failed { reason: KeygenFailure::NoMajority, offenders: BoundedVec::new() }
		);
	});
	build_and_execute(|| {
		// 2-of-2 that disagree: no majority either.
		let key = generating(2, 2);
		assert_ok!(report(1, key, &test_key()));
		assert_ok!(report(2, key, &TestKey::from_seed([9u8; 32])));
		assert!(matches!(
			Keys::<Test>::get(key).unwrap().status,
			KeyStatus::Failed { reason: KeygenFailure::NoMajority, .. }
		));
	});
}

#[test]
fn a_report_in_the_deadline_block_counts_and_the_next_block_expires_the_keygen() {
	build_and_execute(|| {
		let key = generating(3, 2);
		let KeyStatus::Generating { deadline } = Keys::<Test>::get(key).unwrap().status else {
			panic!()
		};
		assert_eq!(deadline, 17);
		run_to_block(deadline);
		assert_ok!(report(1, key, &test_key()));
		run_to_block(deadline + 1);
		assert_eq!(
			Keys::<Test>::get(key).unwrap().status,
			KeyStatus::Failed {
				reason: KeygenFailure::Timeout,
				offenders: BoundedVec::try_from(vec![2, 3]).unwrap()
			}
		);
		assert_noop!(report(2, key, &test_key()), Error::<Test>::KeyNotGenerating);
	});
}

#[test]
fn a_report_after_the_deadline_is_refused_even_before_the_expiry_runs() {
	build_and_execute(|| {
		let key = generating(3, 2);
		run_to_block(17);
		// The next block without its on_initialize: as when the agenda's budget ran out.
		System::set_block_number(18);
		assert_noop!(report(1, key, &test_key()), Error::<Test>::ReportingClosed);
		run_to_block(19);
		assert!(matches!(Keys::<Test>::get(key).unwrap().status, KeyStatus::Failed { .. }));
	});
}

#[test]
fn the_timeout_grows_with_the_committee() {
	build_and_execute(|| {
		assert_eq!(ThresholdSigners::keygen_timeout(3), 16);
		assert_eq!(ThresholdSigners::keygen_timeout(5), 20);
	});
}

#[test]
fn reports_are_checked() {
	build_and_execute(|| {
		let key = generating(3, 2);
		register_extra();
		let k = test_key();
		assert_noop!(report(9, key, &k), Error::<Test>::NotCommitteeMember);
		assert_noop!(report(1, key + 1, &k), Error::<Test>::UnknownKey);
		assert_noop!(
			ThresholdSigners::report_keygen(
				RuntimeOrigin::signed(1),
				key,
				[0u8; 33],
				k.chain_code()
			),
			Error::<Test>::InvalidPublicKey
		);
		assert_ok!(report(1, key, &k));
		assert_noop!(report(1, key, &k), Error::<Test>::AlreadyReported);
	});
}

fn register_extra() {
	assert_ok!(ThresholdSigners::register_signer(
		RuntimeOrigin::root(),
		9,
		[99u8; 32],
		endpoint("h:9")
	));
}

#[test]
fn retiring_a_generating_key_clears_its_reports_and_expiry() {
	build_and_execute(|| {
		let key = generating(3, 2);
		assert_ok!(report(1, key, &test_key()));
		assert_ok!(ThresholdSigners::retire_key(RuntimeOrigin::root(), key));
		assert_eq!(Keys::<Test>::get(key).unwrap().status, KeyStatus::Retired);
		assert!(KeygenReports::<Test>::iter_prefix(key).next().is_none());
		assert_eq!(Agenda::<Test>::iter().count(), 0);
		assert_noop!(
			ThresholdSigners::retire_key(RuntimeOrigin::root(), key),
			Error::<Test>::KeyNotLive
		);
		assert_noop!(report(2, key, &test_key()), Error::<Test>::KeyNotGenerating);
	});
}
