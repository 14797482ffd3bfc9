//! Unit tests of the Meta-Accounts pallet. Every test runs in [`build_and_execute`], which
//! checks the pallet's invariants at the end.

use crate::{
	mock::*,
	pallet::{AuthenticatorOf, CreationNonce, Error, Event, HoldReason, Invitations},
	MetaAccountId,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use hex_literal::hex;
use sp_runtime::TokenError;

fn events() -> Vec<Event<Test>> {
	let out = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::MetaAccounts(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	out
}

fn held(reason: HoldReason, who: u64) -> u64 {
	<Balances as InspectHold<u64>>::balance_on_hold(&reason.into(), &who)
}

fn create(who: u64) -> MetaAccountId {
	assert_ok!(MetaAccounts::create(RuntimeOrigin::signed(who)));
	AuthenticatorOf::<Test>::get(who).unwrap()
}

fn invite(by: u64, invitee: u64) {
	assert_ok!(MetaAccounts::invite_authenticator(RuntimeOrigin::signed(by), invitee));
}

fn authenticators(id: MetaAccountId) -> Vec<u64> {
	crate::MetaAccounts::<Test>::get(id).unwrap().authenticators.iter().map(|a| a.account).collect()
}

#[test]
fn the_id_is_the_documented_hash() {
	build_and_execute(|| {
		// blake2_256("waas/meta-account" ‖ 1u64 little-endian ‖ 0u32 little-endian), computed
		// independently (Python hashlib.blake2b, digest_size 32).
		let expected = hex!("465d2abab3143c914d5ad84839b0995d143a8015cc953bbb9bce25e283f37a38");
		assert_eq!(MetaAccounts::meta_account_id(&1, 0).0, expected);
		assert_eq!(create(1).0, expected);
		assert_eq!(
			events(),
			vec![Event::MetaAccountCreated { meta_account: expected.into(), creator: 1 }]
		);
		assert_eq!(CreationNonce::<Test>::get(1), 1);
		assert_eq!(held(HoldReason::Authenticator, 1), 2);
		assert_noop!(
			MetaAccounts::create(RuntimeOrigin::signed(1)),
			Error::<Test>::AlreadyAuthenticator
		);
	});
}

#[test]
fn deposits_are_sized_by_what_is_stored() {
	build_and_execute(|| {
		// Base 2, nothing per byte in this mock: both deposits are the base.
		assert_eq!(MetaAccounts::authenticator_deposit(), 2);
		assert_eq!(MetaAccounts::invitation_deposit(), 2);
	});
}

#[test]
fn creation_needs_the_deposit() {
	build_and_execute(|| {
		assert_noop!(MetaAccounts::create(RuntimeOrigin::signed(9)), TokenError::FundsUnavailable);
		assert_noop!(MetaAccounts::create(RuntimeOrigin::signed(7)), TokenError::FundsUnavailable);
	});
}

#[test]
fn an_invited_account_joins_only_when_it_accepts() {
	build_and_execute(|| {
		let id = create(1);
		invite(1, 2);
		// Invited, not yet an authenticator: it cannot act for the Meta-Account.
		assert_eq!(AuthenticatorOf::<Test>::get(2), None);
		assert_eq!(authenticators(id), vec![1]);
		assert_eq!(held(HoldReason::Invitation, 1), 2);
		assert_eq!(MetaAccounts::invitations_of(&2).len(), 1);
		assert_noop!(
			MetaAccounts::accept_invitation(RuntimeOrigin::signed(3), id),
			Error::<Test>::NoInvitation
		);
		assert_ok!(MetaAccounts::accept_invitation(RuntimeOrigin::signed(2), id));
		assert_eq!(authenticators(id), vec![1, 2]);
		assert_eq!(AuthenticatorOf::<Test>::get(2), Some(id));
		// The joiner pays for its own entry; the inviter gets its deposit back.
		assert_eq!(held(HoldReason::Authenticator, 2), 2);
		assert_eq!(held(HoldReason::Invitation, 1), 0);
		assert!(events().contains(&Event::AuthenticatorAdded { meta_account: id, account: 2 }));
		assert_noop!(
			MetaAccounts::accept_invitation(RuntimeOrigin::signed(2), id),
			Error::<Test>::NoInvitation
		);
	});
}

#[test]
fn front_running_a_victims_create_with_an_invitation_binds_nothing() {
	build_and_execute(|| {
		// The attacker sees victim 2's `create` in the pool and gets an invitation in first.
		let attacker_id = create(1);
		invite(1, 2);
		// The victim's `create` still succeeds: it controls its own Meta-Account.
		let victim_id = create(2);
		assert_ne!(victim_id, attacker_id);
		assert_eq!(authenticators(attacker_id), vec![1]);
		assert_eq!(authenticators(victim_id), vec![2]);
		// Nothing can make the victim join the attacker's Meta-Account now; it declines.
		assert_noop!(
			MetaAccounts::accept_invitation(RuntimeOrigin::signed(2), attacker_id),
			Error::<Test>::AlreadyAuthenticator
		);
		assert_ok!(MetaAccounts::cancel_invitation(RuntimeOrigin::signed(2), attacker_id, 2));
		assert_eq!(held(HoldReason::Invitation, 1), 0);
		// Nor can the attacker lock it in by leaving: it was never in.
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), 2),
			Error::<Test>::AuthenticatorNotFound
		);
	});
}

#[test]
fn invitations_are_bounded_and_checked() {
	build_and_execute(|| {
		let id = create(1);
		assert_noop!(
			MetaAccounts::invite_authenticator(RuntimeOrigin::signed(3), 2),
			Error::<Test>::NotAuthenticator
		);
		assert_noop!(
			MetaAccounts::invite_authenticator(RuntimeOrigin::signed(1), 1),
			Error::<Test>::AlreadyAuthenticator
		);
		invite(1, 2);
		assert_noop!(
			MetaAccounts::invite_authenticator(RuntimeOrigin::signed(1), 2),
			Error::<Test>::AlreadyInvited
		);
		invite(1, 3);
		assert_noop!(
			MetaAccounts::invite_authenticator(RuntimeOrigin::signed(1), 4),
			Error::<Test>::TooManyInvitations
		);
		// Accepting makes room; the member cap still holds.
		assert_ok!(MetaAccounts::accept_invitation(RuntimeOrigin::signed(2), id));
		assert_ok!(MetaAccounts::accept_invitation(RuntimeOrigin::signed(3), id));
		invite(1, 4);
		assert_noop!(
			MetaAccounts::accept_invitation(RuntimeOrigin::signed(4), id),
			Error::<Test>::TooManyAuthenticators
		);
	});
}

#[test]
fn invitations_expire_and_anyone_clears_them_then() {
	build_and_execute(|| {
		let id = create(1);
		invite(1, 2);
		assert_noop!(
			MetaAccounts::cancel_invitation(RuntimeOrigin::signed(5), id, 2),
			Error::<Test>::NotAllowedToCancel
		);
		// Lifetime 10 from block 1: acceptable up to block 11.
		System::set_block_number(12);
		assert_noop!(
			MetaAccounts::accept_invitation(RuntimeOrigin::signed(2), id),
			Error::<Test>::InvitationExpired
		);
		assert_ok!(MetaAccounts::cancel_invitation(RuntimeOrigin::signed(5), id, 2));
		assert_eq!(held(HoldReason::Invitation, 1), 0);
		assert!(events().contains(&Event::InvitationCancelled {
			meta_account: id,
			invitee: 2,
			by: 5
		}));
		assert_noop!(
			MetaAccounts::cancel_invitation(RuntimeOrigin::signed(1), id, 2),
			Error::<Test>::NoInvitation
		);
	});
}

#[test]
fn an_authenticator_withdraws_an_invitation() {
	build_and_execute(|| {
		let id = create(1);
		invite(1, 2);
		assert_ok!(MetaAccounts::cancel_invitation(RuntimeOrigin::signed(1), id, 2));
		assert!(crate::MetaAccounts::<Test>::get(id).unwrap().invitees.is_empty());
	});
}

#[test]
fn authenticators_are_removed_but_never_the_last() {
	build_and_execute(|| {
		let id = create(1);
		invite(1, 2);
		assert_ok!(MetaAccounts::accept_invitation(RuntimeOrigin::signed(2), id));
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(3), 1),
			Error::<Test>::NotAuthenticator
		);
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), 3),
			Error::<Test>::AuthenticatorNotFound
		);
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(2), 2));
		// The leaver's own deposit comes back to it.
		assert_eq!(held(HoldReason::Authenticator, 2), 0);
		assert_eq!(AuthenticatorOf::<Test>::get(2), None);
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), 1),
			Error::<Test>::LastAuthenticator
		);
	});
}

#[test]
fn closing_returns_every_deposit_once_nothing_is_held() {
	build_and_execute(|| {
		let id = create(1);
		invite(1, 2);
		assert_ok!(MetaAccounts::accept_invitation(RuntimeOrigin::signed(2), id));
		invite(1, 3);
		assert_noop!(
			MetaAccounts::close_meta_account(RuntimeOrigin::signed(1)),
			Error::<Test>::NotLastAuthenticator
		);
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), 2));
		HELD_FOR.with(|h| h.borrow_mut().push(id));
		assert_noop!(
			MetaAccounts::close_meta_account(RuntimeOrigin::signed(1)),
			sp_runtime::DispatchError::Other("still held")
		);
		HELD_FOR.with(|h| h.borrow_mut().clear());
		events();
		assert_ok!(MetaAccounts::close_meta_account(RuntimeOrigin::signed(1)));
		assert!(crate::MetaAccounts::<Test>::get(id).is_none());
		assert_eq!(AuthenticatorOf::<Test>::get(1), None);
		assert_eq!(Invitations::<Test>::get(3, id), None);
		assert_eq!(Balances::free_balance(1), 100);
		assert_eq!(
			events(),
			vec![
				Event::InvitationCancelled { meta_account: id, invitee: 3, by: 1 },
				Event::MetaAccountClosed { meta_account: id, closed_by: 1 },
			]
		);
		// A new Meta-Account gets a new id.
		assert_ne!(create(1), id);
	});
}

#[test]
fn the_origin_resolves_authenticators_only() {
	use frame_support::traits::EnsureOrigin;
	build_and_execute(|| {
		let id = create(1);
		invite(1, 2);
		assert_eq!(
			crate::EnsureMetaAccount::<Test>::try_origin(RuntimeOrigin::signed(1)).ok(),
			Some((id, 1))
		);
		assert!(crate::EnsureMetaAccount::<Test>::try_origin(RuntimeOrigin::signed(2)).is_err());
		assert!(crate::EnsureMetaAccount::<Test>::try_origin(RuntimeOrigin::root()).is_err());
	});
}
