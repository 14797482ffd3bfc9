//! Envelopes: the pool's checks (nonce, validity window, role filter, fee payer), fees paid
//! and burnt whatever the call does, sponsors.

use super::*;
use crate::pallet::{Error, Sponsorships};
use frame_support::assert_noop;
use sp_runtime::transaction_validity::InvalidTransaction;

fn invite_call(account: u64) -> RuntimeCall {
	RuntimeCall::MetaAccounts(Call::invite_authenticator { account, role: Role::Viewer })
}

#[test]
fn nonces_run_in_order_and_future_ones_wait_in_the_pool() {
	build_and_execute(|| {
		let wallet = EvmWallet::new(1);
		let id = create_with_wallet(&wallet, false);
		let key = evm_key(&wallet);
		let first = envelope(id, key.clone(), invite_call(4));
		let mut second = envelope(id, key.clone(), invite_call(5));
		second.nonce = 1;
		let p1 = wallet_proof(&wallet, &first, false);
		let p2 = wallet_proof(&wallet, &second, false);
		// Nonce 1 is valid in the pool, behind nonce 0 …
		let valid = pool(&Call::dispatch_envelope { envelope: second.clone(), proof: p2.clone() })
			.expect("waits in the pool");
		assert_eq!(valid.requires.len(), 1);
		let v0 =
			pool(&Call::dispatch_envelope { envelope: first.clone(), proof: p1.clone() }).unwrap();
		assert_eq!(valid.requires, v0.provides);
		// … but is not included before it.
		assert_eq!(
			<Pallet<Test> as ValidateUnsigned>::pre_dispatch(&Call::dispatch_envelope {
				envelope: second.clone(),
				proof: p2.clone()
			}),
			Err(InvalidTransaction::Future.into())
		);
		dispatch(first, p1);
		dispatch(second, p2);
		assert_eq!(crate::MetaAccounts::<Test>::get(id).unwrap().nonce, 2);
		// Too far ahead.
		let mut far = envelope(id, key, invite_call(3));
		far.nonce = 2 + crate::envelope::MAX_FUTURE_NONCES;
		let proof = wallet_proof(&wallet, &far, false);
		assert_eq!(
			pool(&Call::dispatch_envelope { envelope: far, proof }),
			Err(InvalidTransaction::Future.into())
		);
	});
}

#[test]
fn an_envelope_lives_only_in_its_window() {
	build_and_execute(|| {
		let wallet = EvmWallet::new(2);
		let id = create_with_wallet(&wallet, false);
		let mut env = envelope(id, evm_key(&wallet), invite_call(4));
		env.valid_until = 100;
		let proof = wallet_proof(&wallet, &env, false);
		assert_eq!(
			submit(Call::dispatch_envelope { envelope: env.clone(), proof }).err(),
			Some(pool_code(&Error::EnvelopeTooLongLived))
		);
		env.valid_until = 5;
		let proof = wallet_proof(&wallet, &env, false);
		let validity =
			pool(&Call::dispatch_envelope { envelope: env.clone(), proof: proof.clone() }).unwrap();
		assert_eq!(validity.longevity, 5);
		System::set_block_number(6);
		assert_eq!(
			submit(Call::dispatch_envelope { envelope: env, proof }).err(),
			Some(pool_code(&Error::EnvelopeExpired))
		);
	});
}

#[test]
fn the_role_filter_decides_what_an_envelope_may_carry() {
	build_and_execute(|| {
		let owner = EvmWallet::new(3);
		let id = create_with_wallet(&owner, false);
		let viewer = EvmWallet::new(4);
		let consent = wallet_consent(&viewer, existing(id), Role::Viewer, false);
		let add = envelope(
			id,
			evm_key(&owner),
			RuntimeCall::MetaAccounts(Call::add_authenticator { new: consent, role: Role::Viewer }),
		);
		let proof = wallet_proof(&owner, &add, false);
		dispatch(add, proof);
		assert_ok!(envelope_result());
		// A Viewer may not invite: refused in the pool, the nonce stays free.
		let env = envelope(id, evm_key(&viewer), invite_call(4));
		let proof = wallet_proof(&viewer, &env, false);
		assert_eq!(
			submit(Call::dispatch_envelope { envelope: env, proof }).err(),
			Some(pool_code(&Error::CallNotAllowed))
		);
		// An envelope never carries another envelope or a sponsorship.
		let inner = envelope(id, evm_key(&owner), invite_call(4));
		let inner_proof = wallet_proof(&owner, &inner, false);
		for call in [
			RuntimeCall::MetaAccounts(Call::dispatch_envelope {
				envelope: inner,
				proof: inner_proof,
			}),
			RuntimeCall::MetaAccounts(Call::set_sponsorship { meta_account: id, allowance: 5 }),
			RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
				dest: 1,
				value: 1,
			}),
		] {
			let env = envelope(id, evm_key(&owner), call);
			let proof = wallet_proof(&owner, &env, false);
			assert_eq!(
				submit(Call::dispatch_envelope { envelope: env, proof }).err(),
				Some(pool_code(&Error::CallNotAllowed))
			);
		}
		assert_eq!(crate::MetaAccounts::<Test>::get(id).unwrap().nonce, 1);
	});
}

#[test]
fn a_failing_call_still_pays_and_uses_the_nonce() {
	build_and_execute(|| {
		let wallet = EvmWallet::new(5);
		let id = create_with_wallet(&wallet, false);
		let sovereign = MetaAccounts::sovereign_account(&id);
		let before = Balances::free_balance(sovereign);
		// A Signer-level call whose own origin check fails inside (`remark_with_event` wants a
		// signed origin): the envelope is valid and paid, the call's error is in the event.
		let env = envelope(
			id,
			evm_key(&wallet),
			RuntimeCall::System(frame_system::Call::remark_with_event { remark: vec![1, 2, 3] }),
		);
		let proof = wallet_proof(&wallet, &env, false);
		dispatch(env, proof);
		assert_eq!(envelope_result(), Err(sp_runtime::DispatchError::BadOrigin));
		assert_eq!(crate::MetaAccounts::<Test>::get(id).unwrap().nonce, 1);
		let paid = before - Balances::free_balance(sovereign);
		assert!(paid > 0);
		assert!(events().iter().any(|e| matches!(
			e,
			Event::EnvelopeDispatched { fee, .. } if *fee == paid
		)));
		assert_eq!(held(HoldReason::UnsignedFee, sovereign), 0);
	});
}

#[test]
fn an_unpaid_envelope_never_reaches_a_block() {
	build_and_execute(|| {
		let wallet = EvmWallet::new(6);
		let id = create_with_wallet(&wallet, false);
		let sovereign = MetaAccounts::sovereign_account(&id);
		let env = envelope(id, evm_key(&wallet), invite_call(4));
		let proof = wallet_proof(&wallet, &env, false);
		let call = Call::dispatch_envelope { envelope: env, proof };
		assert_ok!(pool(&call));
		// The balance is spent while the envelope waits in the pool.
		let keep = Balances::minimum_balance() + held(HoldReason::Authenticator, sovereign);
		let free = Balances::free_balance(sovereign);
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(sovereign),
			1,
			free - keep
		));
		assert_eq!(
			<Pallet<Test> as ValidateUnsigned>::pre_dispatch(&call),
			Err(InvalidTransaction::Payment.into())
		);
	});
}

#[test]
fn a_sponsor_pays_within_its_allowance_only() {
	build_and_execute(|| {
		let wallet = EvmWallet::new(7);
		let key = evm_key(&wallet);
		let id = MetaAccounts::next_meta_account_id(&key);
		let sovereign = MetaAccounts::sovereign_account(&id);
		// The sovereign account needs the entry deposit (and its existential deposit) only.
		fund(sovereign, 3);
		let new = wallet_consent(
			&wallet,
			PossessionTarget::NewMetaAccount { creation_nonce: 0 },
			Role::Owner,
			true,
		);
		let create = |sponsor: u64| Call::create_with_authenticator {
			new: new.clone(),
			fee_payer: FeePayer::Sponsor(sponsor),
		};
		assert_eq!(submit(create(2)).err(), Some(pool_code(&Error::NoSponsorship)));
		// Sponsor 2 opts in for this id before it exists, with an allowance of 30.
		assert_ok!(MetaAccounts::set_sponsorship(RuntimeOrigin::signed(2), id, 30));
		assert_eq!(held(HoldReason::Sponsorship, 2), 2);
		let before = Balances::free_balance(2);
		assert_ok!(submit(create(2)).unwrap());
		let fee = before - Balances::free_balance(2);
		assert!(fee > 0);
		assert_eq!(Sponsorships::<Test>::get(2, id).unwrap().0, 30 - fee);
		// An envelope paid by the sponsor: the sovereign account pays nothing.
		let mut env = envelope(id, key.clone(), invite_call(4));
		env.fee_payer = FeePayer::Sponsor(2);
		let proof = wallet_proof(&wallet, &env, true);
		let sovereign_before = Balances::free_balance(sovereign);
		dispatch(env, proof);
		assert_eq!(Balances::free_balance(sovereign), sovereign_before);
		// Another sponsor that did not opt in cannot be named.
		let mut env = envelope(id, key.clone(), invite_call(5));
		env.fee_payer = FeePayer::Sponsor(3);
		let proof = wallet_proof(&wallet, &env, true);
		assert_eq!(
			submit(Call::dispatch_envelope { envelope: env, proof }).err(),
			Some(pool_code(&Error::NoSponsorship))
		);
		// Ending the sponsorship returns its deposit.
		assert_ok!(MetaAccounts::set_sponsorship(RuntimeOrigin::signed(2), id, 0));
		assert_eq!(held(HoldReason::Sponsorship, 2), 0);
		assert!(Sponsorships::<Test>::get(2, id).is_none());
	});
}

#[test]
fn substrate_authenticators_and_mismatched_proofs_are_refused() {
	build_and_execute(|| {
		let id = create(1);
		fund(MetaAccounts::sovereign_account(&id), 1_000);
		let wallet = EvmWallet::new(8);
		let consent = wallet_consent(&wallet, existing(id), Role::Owner, false);
		assert_ok!(MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), consent, Role::Owner));
		// A Substrate authenticator signs extrinsics, not envelopes.
		let env = envelope(id, sub(1), invite_call(4));
		let proof = wallet_proof(&wallet, &env, false);
		assert_eq!(
			submit(Call::dispatch_envelope { envelope: env, proof }).err(),
			Some(pool_code(&Error::UnsupportedAuthenticator))
		);
		// An EVM authenticator with a passkey proof.
		let env = envelope(id, evm_key(&wallet), invite_call(4));
		let proof = passkey_proof(&mut passkey(1), &env);
		assert_eq!(
			submit(Call::dispatch_envelope { envelope: env, proof }).err(),
			Some(pool_code(&Error::ProofKindMismatch))
		);
		// Unsigned calls need no origin; the others are refused in the pool.
		let env = envelope(id, evm_key(&wallet), invite_call(4));
		let proof = wallet_proof(&wallet, &env, false);
		assert_noop!(
			MetaAccounts::dispatch_envelope(RuntimeOrigin::signed(1), env, proof),
			Error::<Test>::WrongOrigin
		);
		assert_eq!(pool(&Call::create {}), Err(InvalidTransaction::Call.into()));
	});
}
