//! Roles, and changes to other authenticators behind a vetoable delay: one stolen device is
//! not a takeover.

use super::*;
use crate::pallet::{Error, PendingChanges};
use frame_support::assert_noop;

/// The mock's delay (blocks).
const DELAY: u64 = 5;

fn meta(id: MetaAccountId) -> MetaAccountOf<Test> {
	crate::MetaAccounts::<Test>::get(id).unwrap()
}

#[test]
fn removing_another_authenticator_waits_for_the_delay_then_anyone_enacts_it() {
	build_and_execute(|| {
		let id = create(1);
		join(id, 1, 2, Role::Owner);
		events();
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), sub(2)));
		// Only proposed: 2 still acts for the Meta-Account.
		assert_eq!(AuthenticatorOf::<Test>::get(sub(2)), Some(id));
		assert_eq!(
			events(),
			vec![Event::ChangeProposed {
				meta_account: id,
				change_id: 0,
				change: Change::Remove(sub(2)),
				proposer: sub(1),
				enact_at: 1 + DELAY,
			}]
		);
		assert_eq!(held(HoldReason::Change, 1), 2);
		System::set_block_number(DELAY);
		assert_noop!(
			MetaAccounts::enact_change(RuntimeOrigin::signed(5), id, 0),
			Error::<Test>::ChangeNotDue
		);
		System::set_block_number(1 + DELAY);
		// Anyone may enact a change whose delay has passed.
		assert_ok!(MetaAccounts::enact_change(RuntimeOrigin::signed(5), id, 0));
		assert_eq!(AuthenticatorOf::<Test>::get(sub(2)), None);
		assert_eq!(held(HoldReason::Change, 1), 0);
		assert_eq!(held(HoldReason::Authenticator, 2), 0);
		assert_eq!(
			events(),
			vec![
				Event::ChangeEnacted { meta_account: id, change_id: 0 },
				Event::AuthenticatorRemoved { meta_account: id, authenticator: sub(2) },
			]
		);
		assert_noop!(
			MetaAccounts::enact_change(RuntimeOrigin::signed(5), id, 0),
			Error::<Test>::UnknownChange
		);
		assert_noop!(
			MetaAccounts::enact_change(RuntimeOrigin::none(), id, 0),
			Error::<Test>::WrongOrigin
		);
	});
}

#[test]
fn a_stolen_device_cannot_take_over_within_the_delay() {
	build_and_execute(|| {
		// The user has two Owner devices, 1 and 2; the thief holds device 2.
		let id = create(1);
		join(id, 1, 2, Role::Owner);
		// The thief tries to remove device 1, and to demote it.
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(2), sub(1)));
		assert_ok!(MetaAccounts::set_role(RuntimeOrigin::signed(2), sub(1), Role::Viewer));
		// Nothing takes effect before the delay, whoever asks.
		for block in 1..=DELAY {
			System::set_block_number(block);
			for change in 0..2 {
				assert_noop!(
					MetaAccounts::enact_change(RuntimeOrigin::signed(2), id, change),
					Error::<Test>::ChangeNotDue
				);
			}
		}
		// The user vetoes both from device 1 within the delay.
		assert_ok!(MetaAccounts::veto_change(RuntimeOrigin::signed(1), 0));
		assert_ok!(MetaAccounts::veto_change(RuntimeOrigin::signed(1), 1));
		assert!(events().contains(&Event::ChangeVetoed {
			meta_account: id,
			change_id: 1,
			by: sub(1)
		}));
		System::set_block_number(100);
		for change in 0..2 {
			assert_noop!(
				MetaAccounts::enact_change(RuntimeOrigin::signed(2), id, change),
				Error::<Test>::UnknownChange
			);
		}
		assert_eq!(roles(id), vec![(sub(1), Role::Owner), (sub(2), Role::Owner)]);
		assert_eq!(held(HoldReason::Change, 2), 0);
	});
}

#[test]
fn only_owners_propose_and_veto() {
	build_and_execute(|| {
		let id = create(1);
		join(id, 1, 2, Role::Signer);
		join(id, 1, 3, Role::Viewer);
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(2), sub(3)),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			MetaAccounts::set_role(RuntimeOrigin::signed(2), sub(2), Role::Owner),
			Error::<Test>::NotOwner
		);
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), sub(3)));
		assert_noop!(
			MetaAccounts::veto_change(RuntimeOrigin::signed(2), 0),
			Error::<Test>::NotOwner
		);
		// A Viewer may still leave by itself, at once.
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(3), sub(3)));
		// Its pending removal is dropped with it.
		assert!(PendingChanges::<Test>::get(id, 0).is_none());
		assert!(events().contains(&Event::ChangeDropped { meta_account: id, change_id: 0 }));
		assert_eq!(meta(id).pending_changes, 0);
	});
}

#[test]
fn a_role_change_is_enacted_and_counted() {
	build_and_execute(|| {
		let id = create(1);
		join(id, 1, 2, Role::Signer);
		assert_noop!(
			MetaAccounts::set_role(RuntimeOrigin::signed(1), sub(2), Role::Signer),
			Error::<Test>::RoleUnchanged
		);
		assert_noop!(
			MetaAccounts::set_role(RuntimeOrigin::signed(1), sub(3), Role::Owner),
			Error::<Test>::AuthenticatorNotFound
		);
		assert_ok!(MetaAccounts::set_role(RuntimeOrigin::signed(1), sub(2), Role::Owner));
		let epoch = meta(id).epoch;
		System::set_block_number(1 + DELAY);
		assert_ok!(MetaAccounts::enact_change(RuntimeOrigin::signed(2), id, 0));
		assert_eq!(roles(id), vec![(sub(1), Role::Owner), (sub(2), Role::Owner)]);
		assert_eq!(meta(id).owners, 2);
		assert_eq!(meta(id).epoch, epoch + 1);
		assert!(events().contains(&Event::RoleChanged {
			meta_account: id,
			authenticator: sub(2),
			role: Role::Owner
		}));
		// Now 1 can be demoted (2 remains an Owner).
		assert_ok!(MetaAccounts::set_role(RuntimeOrigin::signed(2), sub(1), Role::Signer));
		System::set_block_number(1 + 2 * DELAY);
		assert_ok!(MetaAccounts::enact_change(RuntimeOrigin::signed(2), id, 1));
		assert_eq!(meta(id).owners, 1);
	});
}

#[test]
fn the_last_owner_is_never_removed_or_demoted() {
	build_and_execute(|| {
		let id = create(1);
		join(id, 1, 2, Role::Signer);
		assert_noop!(
			MetaAccounts::set_role(RuntimeOrigin::signed(1), sub(1), Role::Signer),
			Error::<Test>::LastOwner
		);
		// Two Owners propose to remove each other; the first enacted wins, the second no
		// longer keeps an Owner and is dropped with its proposer.
		join(id, 1, 3, Role::Owner);
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), sub(3)));
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(3), sub(1)));
		System::set_block_number(1 + DELAY);
		assert_ok!(MetaAccounts::enact_change(RuntimeOrigin::signed(5), id, 0));
		assert_noop!(
			MetaAccounts::enact_change(RuntimeOrigin::signed(5), id, 1),
			Error::<Test>::UnknownChange
		);
		assert_eq!(roles(id), vec![(sub(1), Role::Owner), (sub(2), Role::Signer)]);
	});
}

#[test]
fn pending_changes_are_bounded() {
	build_and_execute(|| {
		let id = create(1);
		join(id, 1, 2, Role::Signer);
		join(id, 1, 3, Role::Signer);
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), sub(2)));
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), sub(3)));
		assert_noop!(
			MetaAccounts::set_role(RuntimeOrigin::signed(1), sub(2), Role::Viewer),
			Error::<Test>::TooManyPendingChanges
		);
		// Closing is impossible with others left; after they leave, closing drops the changes.
		assert_ok!(MetaAccounts::veto_change(RuntimeOrigin::signed(1), 0));
		assert_ok!(MetaAccounts::set_role(RuntimeOrigin::signed(1), sub(2), Role::Viewer));
		assert_eq!(meta(id).pending_changes, 2);
		assert_noop!(
			MetaAccounts::veto_change(RuntimeOrigin::signed(1), 7),
			Error::<Test>::UnknownChange
		);
	});
}
