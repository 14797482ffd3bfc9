//! Unit tests of every call: success path, every error, events.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::InspectHold, EnsureOrigin},
};
use sp_runtime::DispatchError;

fn held(who: u64) -> u64 {
	<Balances as InspectHold<u64>>::balance_on_hold(&HoldReason::Authenticator.into(), &who)
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

fn create(who: u64) -> MetaAccountId {
	assert_ok!(MetaAccounts::create(RuntimeOrigin::signed(who)));
	AuthenticatorOf::<Test>::get(who).expect("created")
}

#[test]
fn create_registers_meta_account_holds_deposit_and_emits_event() {
	new_test_ext().execute_with(|| {
		let id = create(1);
		assert_eq!(id, MetaAccounts::meta_account_id(&1, 0));
		let meta = MetaAccounts::meta_account(&id).unwrap();
		assert_eq!(meta.creator, 1);
		assert_eq!(meta.created_at, 1);
		assert_eq!(
			meta.authenticators.into_inner(),
			vec![Authenticator { account: 1, deposit_payer: 1, deposit: 10 }]
		);
		assert_eq!(held(1), 10);
		assert_eq!(CreationNonce::<Test>::get(1), 1);
		assert_eq!(last_event(), Event::MetaAccountCreated { meta_account: id, creator: 1 }.into());
	});
}

#[test]
fn ids_are_deterministic_and_distinct_per_creator_and_nonce() {
	new_test_ext().execute_with(|| {
		assert_ne!(MetaAccounts::meta_account_id(&1, 0), MetaAccounts::meta_account_id(&2, 0));
		assert_ne!(MetaAccounts::meta_account_id(&1, 0), MetaAccounts::meta_account_id(&1, 1));
		// Leave the first Meta-Account, then create a second one: it gets nonce 1.
		let first = create(1);
		assert_ok!(MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), 2));
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), 1));
		let second = create(1);
		assert_ne!(first, second);
		assert_eq!(second, MetaAccounts::meta_account_id(&1, 1));
	});
}

#[test]
fn create_rejects_existing_authenticator() {
	new_test_ext().execute_with(|| {
		create(1);
		assert_noop!(
			MetaAccounts::create(RuntimeOrigin::signed(1)),
			Error::<Test>::AlreadyAuthenticator
		);
	});
}

#[test]
fn create_rejects_insufficient_balance() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			MetaAccounts::create(RuntimeOrigin::signed(9)),
			Error::<Test>::InsufficientBalanceForDeposit
		);
		assert_noop!(
			MetaAccounts::create(RuntimeOrigin::signed(42)),
			Error::<Test>::InsufficientBalanceForDeposit
		);
	});
}

#[test]
fn calls_reject_unsigned_origins() {
	new_test_ext().execute_with(|| {
		assert_noop!(MetaAccounts::create(RuntimeOrigin::none()), DispatchError::BadOrigin);
		assert_noop!(MetaAccounts::create(RuntimeOrigin::root()), DispatchError::BadOrigin);
		assert_noop!(
			MetaAccounts::add_authenticator(RuntimeOrigin::root(), 2),
			DispatchError::BadOrigin
		);
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::none(), 2),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn add_authenticator_works_and_caller_pays() {
	new_test_ext().execute_with(|| {
		let id = create(1);
		assert_ok!(MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), 2));
		assert_eq!(
			last_event(),
			Event::AuthenticatorAdded { meta_account: id, account: 2, added_by: 1 }.into()
		);
		// The new authenticator can add another one and pays for it.
		assert_ok!(MetaAccounts::add_authenticator(RuntimeOrigin::signed(2), 3));
		assert_eq!(held(1), 20);
		assert_eq!(held(2), 10);
		assert_eq!(AuthenticatorOf::<Test>::get(3), Some(id));
		let accounts: Vec<u64> = MetaAccounts::meta_account(&id)
			.unwrap()
			.authenticators
			.iter()
			.map(|a| a.account)
			.collect();
		assert_eq!(accounts, vec![1, 2, 3]);
	});
}

#[test]
fn add_authenticator_errors() {
	new_test_ext().execute_with(|| {
		create(1);
		create(4);
		// Caller without a Meta-Account.
		assert_noop!(
			MetaAccounts::add_authenticator(RuntimeOrigin::signed(2), 3),
			Error::<Test>::NotAuthenticator
		);
		// Account already authenticating, here or elsewhere.
		assert_noop!(
			MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), 1),
			Error::<Test>::AlreadyAuthenticator
		);
		assert_noop!(
			MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), 4),
			Error::<Test>::AlreadyAuthenticator
		);
		// Bounded: at most 3.
		assert_ok!(MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), 2));
		assert_ok!(MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), 3));
		assert_noop!(
			MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), 5),
			Error::<Test>::TooManyAuthenticators
		);
	});
}

#[test]
fn add_authenticator_rejects_insufficient_balance() {
	new_test_ext().execute_with(|| {
		create(1);
		assert_ok!(MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), 9));
		// Account 9 authenticates but cannot pay for another entry.
		assert_noop!(
			MetaAccounts::add_authenticator(RuntimeOrigin::signed(9), 3),
			Error::<Test>::InsufficientBalanceForDeposit
		);
	});
}

#[test]
fn remove_authenticator_releases_deposit_to_payer() {
	new_test_ext().execute_with(|| {
		let id = create(1);
		assert_ok!(MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), 2));
		assert_eq!(held(1), 20);
		// Account 2 removes itself; the deposit (paid by 1) goes back to 1.
		assert_ok!(MetaAccounts::remove_authenticator(RuntimeOrigin::signed(2), 2));
		assert_eq!(held(1), 10);
		assert_eq!(Balances::free_balance(1), 90);
		assert_eq!(AuthenticatorOf::<Test>::get(2), None);
		assert_eq!(
			last_event(),
			Event::AuthenticatorRemoved { meta_account: id, account: 2, removed_by: 2 }.into()
		);
		// Account 2 is free to create its own.
		create(2);
	});
}

#[test]
fn remove_authenticator_errors() {
	new_test_ext().execute_with(|| {
		create(1);
		create(4);
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), 1),
			Error::<Test>::LastAuthenticator
		);
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(2), 1),
			Error::<Test>::NotAuthenticator
		);
		// Cannot remove an authenticator of another Meta-Account.
		assert_ok!(MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), 2));
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), 4),
			Error::<Test>::AuthenticatorNotFound
		);
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), 3),
			Error::<Test>::AuthenticatorNotFound
		);
	});
}

#[test]
fn ensure_meta_account_origin() {
	new_test_ext().execute_with(|| {
		let id = create(1);
		assert_ok!(MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), 2));
		assert_eq!(
			EnsureMetaAccount::<Test>::try_origin(RuntimeOrigin::signed(2)).ok(),
			Some((id, 2))
		);
		assert!(EnsureMetaAccount::<Test>::try_origin(RuntimeOrigin::signed(3)).is_err());
		assert!(EnsureMetaAccount::<Test>::try_origin(RuntimeOrigin::root()).is_err());
		assert!(EnsureMetaAccount::<Test>::try_origin(RuntimeOrigin::none()).is_err());
		assert!(<MetaAccounts as MetaAccountInspect<u64>>::exists(&id));
		assert!(<MetaAccounts as MetaAccountInspect<u64>>::is_authenticator(&id, &2));
		assert!(!<MetaAccounts as MetaAccountInspect<u64>>::is_authenticator(&id, &3));
	});
}

#[test]
fn create_rejects_exhausted_nonce() {
	new_test_ext().execute_with(|| {
		CreationNonce::<Test>::insert(1, u32::MAX);
		assert_noop!(MetaAccounts::create(RuntimeOrigin::signed(1)), Error::<Test>::NonceOverflow);
	});
}

#[test]
fn inconsistent_storage_is_reported_not_panicked() {
	new_test_ext().execute_with(|| {
		let id = create(1);
		// An authenticator pointing to a missing Meta-Account (cannot happen through the calls).
		Accounts::<Test>::remove(id);
		assert_noop!(
			MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), 2),
			Error::<Test>::UnknownMetaAccount
		);
		assert_noop!(
			MetaAccounts::remove_authenticator(RuntimeOrigin::signed(1), 1),
			Error::<Test>::UnknownMetaAccount
		);
	});
}
