//! Substrate-account authenticators: creation, invitations (consent), leaving, closing, and
//! the origin other pallets use.

use super::*;
use crate::{
	pallet::{CreationNonce, Error, Invitations},
	EnsureMetaAccount,
};
use frame_support::{assert_noop, parameter_types, traits::EnsureOrigin};
use hex_literal::hex;
use sp_runtime::TokenError;

#[test]
fn the_id_is_the_documented_hash() {
	build_and_execute(|| {
		// blake2_256("waas/meta-account" ‖ SCALE(Substrate(1u64)) = 0x00 ‖ 1u64 LE ‖ 0u32 LE),
		// computed independently (Python hashlib.blake2b, digest_size 32).
		let expected = hex!("eccc577c508df4bd8af382cbda1de7b9a02c14836c23d4385dde2a84fecf8a85");
		assert_eq!(MetaAccounts::meta_account_id(&sub(1), 0).0, expected);
		// An EVM creator 0x1111…11 (variant 2), nonce 0.
		let evm = AuthenticatorKey::Evm([0x11; 20].into());
		assert_eq!(
			MetaAccounts::meta_account_id(&evm, 0).0,
			hex!("c8b526154ef330833913f30ab2517b04b58e908db3781ad53ba315dbec0664c4")
		);
		assert_eq!(MetaAccounts::next_meta_account_id(&sub(1)).0, expected);
		assert_eq!(create(1).0, expected);
		assert_eq!(
			events(),
			vec![Event::MetaAccountCreated { meta_account: expected.into(), creator: sub(1) }]
		);
		assert_eq!(CreationNonce::<Test>::get(sub(1)), 1);
		assert_eq!(held(HoldReason::Authenticator, 1), 2);
		assert_eq!(roles(expected.into()), vec![(sub(1), Role::Owner)]);
		assert_noop!(
			MetaAccounts::create(RuntimeOrigin::signed(1)),
			Error::<Test>::AlreadyAuthenticator
		);
	});
}

#[test]
fn the_sovereign_account_is_derived_and_distinct() {
	build_and_execute(|| {
		let a = create(1);
		let b = create(2);
		let (sa, sb) = (MetaAccounts::sovereign_account(&a), MetaAccounts::sovereign_account(&b));
		assert_ne!(sa, sb);
		assert_eq!(sa, MetaAccounts::sovereign_account(&a));
		assert!(sa != 1 && sa != 2);
	});
}

#[test]
fn deposits_are_sized_by_what_is_stored() {
	build_and_execute(|| {
		// Base 2, nothing per byte in this mock: every deposit is the base.
		assert_eq!(MetaAccounts::authenticator_deposit(), 2);
		assert_eq!(MetaAccounts::invitation_deposit(), 2);
		assert_eq!(MetaAccounts::change_deposit(), 2);
		assert_eq!(MetaAccounts::sponsorship_deposit(), 2);
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
fn an_invited_account_joins_with_its_role_only_when_it_accepts() {
	build_and_execute(|| {
		let id = create(1);
		invite(1, 2, Role::Signer);
		// Invited, not yet an authenticator: it cannot act for the Meta-Account.
		assert_eq!(AuthenticatorOf::<Test>::get(sub(2)), None);
		assert_eq!(roles(id), vec![(sub(1), Role::Owner)]);
		assert_eq!(held(HoldReason::Invitation, 1), 2);
		assert_eq!(MetaAccounts::invitations_of(&2).len(), 1);
		assert_noop!(
			MetaAccounts::accept_invitation(RuntimeOrigin::signed(3), id),
			Error::<Test>::NoInvitation
		);
		let epoch = crate::MetaAccounts::<Test>::get(id).unwrap().epoch;
		assert_ok!(MetaAccounts::accept_invitation(RuntimeOrigin::signed(2), id));
		assert_eq!(roles(id), vec![(sub(1), Role::Owner), (sub(2), Role::Signer)]);
		assert_eq!(AuthenticatorOf::<Test>::get(sub(2)), Some(id));
		assert_eq!(crate::MetaAccounts::<Test>::get(id).unwrap().epoch, epoch + 1);
		// The joiner pays for its own entry; the inviter gets its deposit back.
		assert_eq!(held(HoldReason::Authenticator, 2), 2);
		assert_eq!(held(HoldReason::Invitation, 1), 0);
		assert!(events().contains(&Event::AuthenticatorAdded {
			meta_account: id,
			authenticator: sub(2),
			role: Role::Signer
		}));
		assert_noop!(
			MetaAccounts::accept_invitation(RuntimeOrigin::signed(2), id),
			Error::<Test>::NoInvitation
		);
	});
}

#[test]
fn only_owners_invite() {
	build_and_execute(|| {
		let id = create(1);
		join(id, 1, 2, Role::Signer);
		assert_noop!(
			MetaAccounts::invite_authenticator(RuntimeOrigin::signed(2), 3, Role::Viewer),
			Error::<Test>::NotOwner
		);
	});
}

#[test]
fn front_running_a_victims_create_with_an_invitation_binds_nothing() {
	build_and_execute(|| {
		// The attacker sees victim 2's `create` in the pool and gets an invitation in first.
		let attacker_id = create(1);
		invite(1, 2, Role::Owner);
		// The victim's `create` still succeeds: it controls its own Meta-Account.
		let victim_id = create(2);
		assert_ne!(victim_id, attacker_id);
		assert_eq!(roles(attacker_id), vec![(sub(1), Role::Owner)]);
		assert_eq!(roles(victim_id), vec![(sub(2), Role::Owner)]);
		// Nothing can make the victim join the attacker's Meta-Account now; it declines.
		assert_noop!(
			MetaAccounts::accept_invitation(RuntimeOrigin::signed(2), attacker_id),
			Error::<Test>::AlreadyAuthenticator
		);
		assert_ok!(MetaAccounts::cancel_invitation(RuntimeOrigin::signed(2), attacker_id, 2));
		assert_eq!(held(HoldReason::Invitation, 1), 0);
		// Nor can the attacker propose to remove it: it was never in.
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), sub(2)),
			Error::<Test>::AuthenticatorNotFound
		);
	});
}

#[test]
fn invitations_are_bounded_and_checked() {
	build_and_execute(|| {
		let id = create(1);
		assert_noop!(
			MetaAccounts::invite_authenticator(RuntimeOrigin::signed(3), 2, Role::Owner),
			Error::<Test>::NotAuthenticator
		);
		assert_noop!(
			MetaAccounts::invite_authenticator(RuntimeOrigin::signed(1), 1, Role::Owner),
			Error::<Test>::AlreadyAuthenticator
		);
		invite(1, 2, Role::Owner);
		assert_noop!(
			MetaAccounts::invite_authenticator(RuntimeOrigin::signed(1), 2, Role::Owner),
			Error::<Test>::AlreadyInvited
		);
		invite(1, 3, Role::Owner);
		assert_noop!(
			MetaAccounts::invite_authenticator(RuntimeOrigin::signed(1), 4, Role::Owner),
			Error::<Test>::TooManyInvitations
		);
		// Accepting makes room; the member cap still holds.
		assert_ok!(MetaAccounts::accept_invitation(RuntimeOrigin::signed(2), id));
		assert_ok!(MetaAccounts::accept_invitation(RuntimeOrigin::signed(3), id));
		invite(1, 4, Role::Owner);
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
		invite(1, 2, Role::Owner);
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
		events();
		assert_ok!(MetaAccounts::cancel_invitation(RuntimeOrigin::signed(5), id, 2));
		assert_eq!(held(HoldReason::Invitation, 1), 0);
		assert_eq!(events(), vec![Event::InvitationCancelled { meta_account: id, invitee: 2 }]);
		assert_noop!(
			MetaAccounts::cancel_invitation(RuntimeOrigin::signed(1), id, 2),
			Error::<Test>::NoInvitation
		);
	});
}

#[test]
fn an_owner_withdraws_an_invitation_and_a_signer_cannot() {
	build_and_execute(|| {
		let id = create(1);
		join(id, 1, 3, Role::Signer);
		invite(1, 2, Role::Owner);
		assert_noop!(
			MetaAccounts::cancel_invitation(RuntimeOrigin::signed(3), id, 2),
			Error::<Test>::NotAllowedToCancel
		);
		assert_ok!(MetaAccounts::cancel_invitation(RuntimeOrigin::signed(1), id, 2));
		assert!(crate::MetaAccounts::<Test>::get(id).unwrap().invitees.is_empty());
	});
}

#[test]
fn an_authenticator_leaves_at_once_but_never_the_last_one_or_the_last_owner() {
	build_and_execute(|| {
		let id = create(1);
		join(id, 1, 2, Role::Signer);
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(3), sub(1)),
			Error::<Test>::NotAuthenticator
		);
		// The only Owner cannot leave while others remain.
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), sub(1)),
			Error::<Test>::LastOwner
		);
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(2), sub(2)));
		// The leaver's own deposit comes back to it.
		assert_eq!(held(HoldReason::Authenticator, 2), 0);
		assert_eq!(AuthenticatorOf::<Test>::get(sub(2)), None);
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), sub(1)),
			Error::<Test>::LastAuthenticator
		);
	});
}

#[test]
fn closing_returns_every_deposit_and_the_sovereign_balance_once_nothing_is_held() {
	build_and_execute(|| {
		let id = create(1);
		join(id, 1, 2, Role::Signer);
		invite(1, 3, Role::Owner);
		fund(MetaAccounts::sovereign_account(&id), 40);
		assert_noop!(
			MetaAccounts::close_meta_account(RuntimeOrigin::signed(1), 1),
			Error::<Test>::NotLastAuthenticator
		);
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(2), sub(2)));
		assert_noop!(
			MetaAccounts::close_meta_account(RuntimeOrigin::signed(2), 2),
			Error::<Test>::NotAuthenticator
		);
		HELD_FOR.with(|h| h.borrow_mut().push(id));
		assert_noop!(
			MetaAccounts::close_meta_account(RuntimeOrigin::signed(1), 1),
			sp_runtime::DispatchError::Other("still held")
		);
		HELD_FOR.with(|h| h.borrow_mut().clear());
		events();
		assert_ok!(MetaAccounts::close_meta_account(RuntimeOrigin::signed(1), 5));
		assert!(crate::MetaAccounts::<Test>::get(id).is_none());
		assert_eq!(AuthenticatorOf::<Test>::get(sub(1)), None);
		assert_eq!(Invitations::<Test>::get(3, id), None);
		assert_eq!(Balances::free_balance(1), 100);
		// The sovereign account's balance went to the beneficiary.
		assert_eq!(Balances::free_balance(5), 140);
		assert_eq!(Balances::free_balance(MetaAccounts::sovereign_account(&id)), 0);
		assert_eq!(
			events(),
			vec![
				Event::InvitationCancelled { meta_account: id, invitee: 3 },
				Event::MetaAccountClosed { meta_account: id, closed_by: sub(1), beneficiary: 5 },
			]
		);
		// A new Meta-Account gets a new id.
		assert_ne!(create(1), id);
	});
}

parameter_types! {
	pub const AtLeastSigner: Role = Role::Signer;
}

#[test]
fn the_origin_resolves_authenticators_with_enough_role() {
	build_and_execute(|| {
		let id = create(1);
		join(id, 1, 2, Role::Viewer);
		invite(1, 3, Role::Owner);
		type Ensure = EnsureMetaAccount<Test, AtLeastSigner>;
		assert_eq!(Ensure::try_origin(RuntimeOrigin::signed(1)).ok(), Some((id, 1)));
		// A Viewer, an invitee that has not accepted, root: refused.
		assert!(Ensure::try_origin(RuntimeOrigin::signed(2)).is_err());
		assert!(Ensure::try_origin(RuntimeOrigin::signed(3)).is_err());
		assert!(Ensure::try_origin(RuntimeOrigin::root()).is_err());
		// The envelope origin pays with the sovereign account.
		let origin: RuntimeOrigin = crate::MetaAccountOrigin {
			meta_account: id,
			authenticator: AuthenticatorKey::Evm([1; 20].into()),
			role: Role::Signer,
		}
		.into();
		assert_eq!(
			Ensure::try_origin(origin).ok(),
			Some((id, MetaAccounts::sovereign_account(&id)))
		);
	});
}
