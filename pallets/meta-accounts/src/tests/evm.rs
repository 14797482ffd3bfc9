//! EVM wallets: EIP-191 and EIP-712 consent and envelopes, recovered with the secp256k1 host
//! function.

use super::*;
use crate::pallet::Error;
use frame_support::assert_noop;
use sp_runtime::transaction_validity::InvalidTransaction;

#[test]
fn a_wallet_creates_a_meta_account_with_either_signature_form() {
	build_and_execute(|| {
		for (seed, typed) in [(1u8, false), (2, true)] {
			let wallet = EvmWallet::new(seed);
			let id = create_with_wallet(&wallet, typed);
			assert_eq!(roles(id), vec![(evm_key(&wallet), Role::Owner)]);
			assert!(Authenticators::<Test>::get(id, evm_key(&wallet)).unwrap().passkey.is_none());
		}
	});
}

#[test]
fn a_signature_that_recovers_to_another_address_binds_nothing() {
	build_and_execute(|| {
		let owner = create(1);
		let victim = EvmWallet::new(3);
		let attacker = EvmWallet::new(4);
		// The attacker signs a consent and claims it is the victim's address.
		let NewAuthenticator::Evm { signature, .. } =
			wallet_consent(&attacker, existing(owner), Role::Owner, false)
		else {
			unreachable!()
		};
		let forged = NewAuthenticator::Evm { address: victim.address().into(), signature };
		assert_noop!(
			MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), forged, Role::Owner),
			Error::<Test>::EvmSignerMismatch
		);
		// A malformed recovery id.
		let NewAuthenticator::Evm { signature: EvmSignature::PersonalSign(mut raw), .. } =
			wallet_consent(&victim, existing(owner), Role::Owner, false)
		else {
			unreachable!()
		};
		raw[64] = 29;
		assert_noop!(
			MetaAccounts::add_authenticator(
				RuntimeOrigin::signed(1),
				NewAuthenticator::Evm {
					address: victim.address().into(),
					signature: EvmSignature::PersonalSign(raw)
				},
				Role::Owner
			),
			Error::<Test>::EvmMalformedSignature
		);
		// A consent signed as EIP-191 text does not pass as EIP-712 typed data.
		let NewAuthenticator::Evm { signature: EvmSignature::PersonalSign(text_sig), .. } =
			wallet_consent(&victim, existing(owner), Role::Owner, false)
		else {
			unreachable!()
		};
		assert_noop!(
			MetaAccounts::add_authenticator(
				RuntimeOrigin::signed(1),
				NewAuthenticator::Evm {
					address: victim.address().into(),
					signature: EvmSignature::TypedData(text_sig)
				},
				Role::Owner
			),
			Error::<Test>::EvmSignerMismatch
		);
		let good = wallet_consent(&victim, existing(owner), Role::Signer, true);
		assert_ok!(MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), good, Role::Signer));
		assert_eq!(AuthenticatorOf::<Test>::get(evm_key(&victim)), Some(owner));
	});
}

#[test]
fn a_wallet_dispatches_envelopes_and_cannot_replay_them() {
	build_and_execute(|| {
		for typed in [false, true] {
			let wallet = EvmWallet::new(10 + u8::from(typed));
			let id = create_with_wallet(&wallet, typed);
			let call = RuntimeCall::MetaAccounts(Call::invite_authenticator {
				account: 4,
				role: Role::Signer,
			});
			let env = envelope(id, evm_key(&wallet), call);
			let proof = wallet_proof(&wallet, &env, typed);
			dispatch(env.clone(), proof.clone());
			assert_ok!(envelope_result());
			assert!(crate::Invitations::<Test>::get(4, id).is_some());
			// The same signed envelope again: its nonce is used.
			assert_eq!(
				submit(Call::dispatch_envelope { envelope: env, proof }).err(),
				Some(InvalidTransaction::Stale.into())
			);
		}
	});
}

#[test]
fn an_envelope_signed_for_another_chain_does_not_verify() {
	build_and_execute(|| {
		let wallet = EvmWallet::new(20);
		let id = create_with_wallet(&wallet, false);
		let env = envelope(
			id,
			evm_key(&wallet),
			RuntimeCall::MetaAccounts(Call::invite_authenticator {
				account: 4,
				role: Role::Signer,
			}),
		);
		// Signed while the chain had another genesis hash.
		let proof = wallet_proof(&wallet, &env, false);
		frame_system::BlockHash::<Test>::insert(0, sp_core::H256::repeat_byte(0xaa));
		assert_eq!(
			submit(Call::dispatch_envelope { envelope: env, proof }).err(),
			Some(pool_code(&Error::EvmSignerMismatch))
		);
	});
}
