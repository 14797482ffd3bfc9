//! Signers and committees.

use super::*;
use frame_support::assert_noop;
use sp_runtime::DispatchError;

#[test]
fn registration_keeps_the_account_alive_and_p2p_keys_are_unique() {
	build_and_execute(|| {
		register(2);
		let info = Signers::<Test>::get(1).unwrap();
		assert_eq!(info.p2p_key, [1u8; 32]);
		assert_eq!(info.endpoint, endpoint("127.0.0.1:30001"));
		assert_eq!(P2pKeyOwners::<Test>::get([1u8; 32]), Some(1));
		// No balance, yet the account exists: it can submit free transactions.
		assert_eq!(Balances::free_balance(1), 0);
		assert_eq!(System::providers(&1), 1);

		assert_noop!(
			ThresholdSigners::register_signer(RuntimeOrigin::root(), 3, [2u8; 32], endpoint("x")),
			Error::<Test>::P2pKeyInUse
		);
		assert_noop!(
			ThresholdSigners::register_signer(RuntimeOrigin::root(), 1, [9u8; 32], endpoint("x")),
			Error::<Test>::SignerAlreadyRegistered
		);
		assert_noop!(
			ThresholdSigners::register_signer(RuntimeOrigin::root(), 3, [0u8; 32], endpoint("x")),
			Error::<Test>::InvalidP2pKey
		);
		assert_noop!(
			ThresholdSigners::register_signer(RuntimeOrigin::root(), 3, [3u8; 32], endpoint("")),
			Error::<Test>::InvalidEndpoint
		);
		let not_utf8 = BoundedVec::try_from(vec![0xffu8, 0xfe]).unwrap();
		assert_noop!(
			ThresholdSigners::register_signer(RuntimeOrigin::root(), 3, [3u8; 32], not_utf8),
			Error::<Test>::InvalidEndpoint
		);
		assert_noop!(
			ThresholdSigners::register_signer(
				RuntimeOrigin::signed(10),
				3,
				[3u8; 32],
				endpoint("x")
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn signers_update_their_key_and_endpoint() {
	build_and_execute(|| {
		register(2);
		events();
		// The signer itself may update; a stranger may not.
		assert_ok!(ThresholdSigners::update_signer(
			RuntimeOrigin::signed(1),
			1,
			Some([7u8; 32]),
			None
		));
		assert_eq!(P2pKeyOwners::<Test>::get([1u8; 32]), None);
		assert_eq!(P2pKeyOwners::<Test>::get([7u8; 32]), Some(1));
		assert_noop!(
			ThresholdSigners::update_signer(
				RuntimeOrigin::signed(2),
				1,
				None,
				Some(endpoint("h:1"))
			),
			DispatchError::BadOrigin
		);
		assert_ok!(ThresholdSigners::update_signer(
			RuntimeOrigin::root(),
			1,
			None,
			Some(endpoint("/dns/s1/tcp/1"))
		));
		assert_eq!(Signers::<Test>::get(1).unwrap().endpoint, endpoint("/dns/s1/tcp/1"));
		assert_noop!(
			ThresholdSigners::update_signer(RuntimeOrigin::signed(1), 1, Some([2u8; 32]), None),
			Error::<Test>::P2pKeyInUse
		);
		assert_noop!(
			ThresholdSigners::update_signer(RuntimeOrigin::root(), 9, None, None),
			Error::<Test>::UnknownSigner
		);
		assert_eq!(
			events(),
			vec![
				Event::SignerUpdated {
					signer: 1,
					p2p_key: [7u8; 32],
					endpoint: endpoint("127.0.0.1:30001")
				},
				Event::SignerUpdated {
					signer: 1,
					p2p_key: [7u8; 32],
					endpoint: endpoint("/dns/s1/tcp/1")
				},
			]
		);
	});
}

#[test]
fn committees_are_validated_and_counted() {
	build_and_execute(|| {
		register(3);
		let members = |v: Vec<u64>| BoundedVec::try_from(v).unwrap();
		assert_noop!(
			ThresholdSigners::create_committee(RuntimeOrigin::root(), members(vec![1, 2]), 3),
			Error::<Test>::InvalidThreshold
		);
		assert_noop!(
			ThresholdSigners::create_committee(RuntimeOrigin::root(), members(vec![1, 2]), 1),
			Error::<Test>::InvalidThreshold
		);
		assert_noop!(
			ThresholdSigners::create_committee(RuntimeOrigin::root(), members(vec![1, 2, 1]), 2),
			Error::<Test>::DuplicateMember
		);
		assert_noop!(
			ThresholdSigners::create_committee(RuntimeOrigin::root(), members(vec![1, 9]), 2),
			Error::<Test>::UnknownSigner
		);
		let c = committee(&[1, 2, 3], 2);
		assert_eq!(c, 0);
		assert_eq!(Signers::<Test>::get(2).unwrap().committees, 1);
		let c2 = committee(&[2, 3], 2);
		assert_eq!(Signers::<Test>::get(2).unwrap().committees, 2);
		assert_noop!(
			ThresholdSigners::dissolve_committee(RuntimeOrigin::root(), 7),
			Error::<Test>::UnknownCommittee
		);
		assert_ok!(ThresholdSigners::dissolve_committee(RuntimeOrigin::root(), c2));
		assert_eq!(Signers::<Test>::get(2).unwrap().committees, 1);
	});
}

#[test]
fn signers_leave_only_after_their_committees_are_dissolved() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		assert_noop!(
			ThresholdSigners::deregister_signer(RuntimeOrigin::root(), 1),
			Error::<Test>::SignerInCommittee
		);
		assert_noop!(
			ThresholdSigners::dissolve_committee(RuntimeOrigin::root(), 0),
			Error::<Test>::CommitteeHasLiveKeys
		);
		assert_ok!(ThresholdSigners::retire_key(RuntimeOrigin::root(), key));
		assert_ok!(ThresholdSigners::dissolve_committee(RuntimeOrigin::root(), 0));
		assert_ok!(ThresholdSigners::deregister_signer(RuntimeOrigin::root(), 1));
		assert!(Signers::<Test>::get(1).is_none());
		assert_eq!(P2pKeyOwners::<Test>::get([1u8; 32]), None);
		assert_eq!(System::providers(&1), 0);
		// Its p2p key can be registered again by someone else.
		assert_ok!(ThresholdSigners::register_signer(
			RuntimeOrigin::root(),
			6,
			[1u8; 32],
			endpoint("h:6")
		));
		assert_noop!(
			ThresholdSigners::deregister_signer(RuntimeOrigin::root(), 1),
			Error::<Test>::UnknownSigner
		);
	});
}

#[test]
fn genesis_builds_signers_committees_and_keys() {
	use frame_support::traits::BuildGenesisConfig;
	let k = test_key();
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		crate::GenesisConfig::<Test> {
			signers: (1..=3).map(|i| (i, [i as u8; 32], b"127.0.0.1:1".to_vec())).collect(),
			committees: vec![(vec![1, 2, 3], 2)],
			keys: vec![(0, None), (0, Some((k.public_key().to_vec(), k.chain_code())))],
		}
		.build();
		assert_eq!(Signers::<Test>::iter().count(), 3);
		assert_eq!(Committees::<Test>::get(0).unwrap().threshold, 2);
		assert!(matches!(Keys::<Test>::get(0).unwrap().status, KeyStatus::Generating { .. }));
		assert_eq!(ThresholdSigners::active_key(1).unwrap(), (k.public_key(), k.chain_code()));
		assert_eq!(Committees::<Test>::get(0).unwrap().live_keys, 2);
		assert_eq!(Committees::<Test>::get(0).unwrap().aux_key, Some(1));
		ThresholdSigners::do_try_state().unwrap();
	});
}
