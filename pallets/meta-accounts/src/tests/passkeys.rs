//! Passkeys: created without a Substrate key, added with proof of possession, verified by the
//! runtime on every envelope; every malformed input refused with a typed error.

use super::*;
use crate::{pallet::Error, CreationNonce};
use frame_support::{assert_noop, assert_storage_noop};
use sp_runtime::transaction_validity::InvalidTransaction;

fn refused(call: Call<Test>) -> TransactionValidityError {
	submit(call).expect_err("refused")
}

fn create_call(new: NewAuthenticator) -> Call<Test> {
	Call::create_with_authenticator { new, fee_payer: FeePayer::MetaAccount }
}

#[test]
fn a_passkey_creates_a_meta_account_paid_by_its_sovereign_account() {
	build_and_execute(|| {
		let mut device = passkey(1);
		let key = passkey_key(&device);
		let id = MetaAccounts::next_meta_account_id(&key);
		let sovereign = MetaAccounts::sovereign_account(&id);
		let new = registration(
			&mut device,
			PossessionTarget::NewMetaAccount { creation_nonce: 0 },
			Role::Owner,
			Attestation::None,
		);
		// Nothing funds the sovereign account yet: the pool refuses, nothing is paid.
		assert_eq!(refused(create_call(new.clone())), InvalidTransaction::Payment.into());
		fund(sovereign, 1_000);
		events();
		assert_ok!(submit(create_call(new.clone())).unwrap());
		assert_eq!(AuthenticatorOf::<Test>::get(&key), Some(id));
		assert_eq!(roles(id), vec![(key.clone(), Role::Owner)]);
		let stored = Authenticators::<Test>::get(id, &key).unwrap();
		let credential = stored.passkey.unwrap();
		assert_eq!(credential.public_key, device.public_key());
		assert_eq!(credential.sign_count, device.sign_count());
		assert_eq!(stored.deposit_payer, sovereign);
		assert_eq!(held(HoldReason::Authenticator, sovereign), 2);
		assert_eq!(CreationNonce::<Test>::get(&key), 1);
		// The fee was burnt; nothing stays held for it.
		assert_eq!(held(HoldReason::UnsignedFee, sovereign), 0);
		assert!(Balances::free_balance(sovereign) < 1_000 - 2);
		assert_eq!(
			events(),
			vec![Event::MetaAccountCreated { meta_account: id, creator: key.clone() }]
		);
		// The same registration again: the passkey already acts for a Meta-Account.
		assert_eq!(refused(create_call(new)), pool_code(&Error::AlreadyAuthenticator));
	});
}

#[test]
fn packed_self_attestation_proves_possession_by_itself() {
	build_and_execute(|| {
		let mut device = passkey(2);
		let id = MetaAccounts::next_meta_account_id(&passkey_key(&device));
		fund(MetaAccounts::sovereign_account(&id), 1_000);
		let new = registration(
			&mut device,
			PossessionTarget::NewMetaAccount { creation_nonce: 0 },
			Role::Owner,
			Attestation::PackedSelf,
		);
		let NewAuthenticator::Passkey(ref reg) = new else { unreachable!() };
		assert!(reg.possession.is_none());
		assert_ok!(submit(create_call(new)).unwrap());
		assert!(MetaAccounts::meta_account(&id).is_some());
	});
}

#[test]
fn attestation_none_without_a_possession_assertion_is_refused() {
	build_and_execute(|| {
		let mut device = passkey(3);
		let id = MetaAccounts::next_meta_account_id(&passkey_key(&device));
		fund(MetaAccounts::sovereign_account(&id), 1_000);
		let NewAuthenticator::Passkey(mut reg) = registration(
			&mut device,
			PossessionTarget::NewMetaAccount { creation_nonce: 0 },
			Role::Owner,
			Attestation::None,
		) else {
			unreachable!()
		};
		reg.possession = None;
		assert_eq!(
			refused(create_call(NewAuthenticator::Passkey(reg))),
			pool_code(&Error::PossessionNotProven)
		);
	});
}

#[test]
fn a_proof_consents_to_one_meta_account_role_and_epoch_only() {
	build_and_execute(|| {
		let victim = create(1);
		let attacker = create(2);
		let mut device = passkey(4);
		// The victim's new device consents to join the victim's Meta-Account as a Signer.
		let consent = registration(&mut device, existing(victim), Role::Signer, Attestation::None);
		// The attacker cannot use it for its own Meta-Account, nor as an Owner.
		assert_noop!(
			MetaAccounts::add_authenticator(
				RuntimeOrigin::signed(2),
				consent.clone(),
				Role::Signer
			),
			Error::<Test>::PasskeyChallengeMismatch
		);
		assert_noop!(
			MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), consent.clone(), Role::Owner),
			Error::<Test>::PasskeyChallengeMismatch
		);
		// Once the victim's Meta-Account changes (a new epoch), the old consent is dead too.
		join(victim, 1, 3, Role::Viewer);
		assert_noop!(
			MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), consent, Role::Signer),
			Error::<Test>::PasskeyChallengeMismatch
		);
		let fresh = registration(&mut device, existing(victim), Role::Signer, Attestation::None);
		assert_ok!(MetaAccounts::add_authenticator(RuntimeOrigin::signed(1), fresh, Role::Signer));
		assert_eq!(AuthenticatorOf::<Test>::get(passkey_key(&device)), Some(victim));
		assert!(AuthenticatorOf::<Test>::get(sub(2)) == Some(attacker));
	});
}

#[test]
fn a_second_device_is_added_from_the_first_and_signs_by_itself() {
	build_and_execute(|| {
		let mut phone = passkey(5);
		let id = create_with_passkey(&mut phone);
		let mut laptop = passkey(6);
		// The laptop registers, consenting as an Owner; the phone approves in an envelope.
		let consent = registration(&mut laptop, existing(id), Role::Owner, Attestation::None);
		let add = envelope(
			id,
			passkey_key(&phone),
			RuntimeCall::MetaAccounts(Call::add_authenticator { new: consent, role: Role::Owner }),
		);
		let proof = passkey_proof(&mut phone, &add);
		dispatch(add, proof);
		assert_ok!(envelope_result());
		assert_eq!(roles(id), {
			let mut r =
				vec![(passkey_key(&phone), Role::Owner), (passkey_key(&laptop), Role::Owner)];
			r.sort();
			r
		});
		// The laptop now signs an envelope of its own.
		let invite_call = envelope(
			id,
			passkey_key(&laptop),
			RuntimeCall::MetaAccounts(Call::invite_authenticator {
				account: 4,
				role: Role::Viewer,
			}),
		);
		let proof = passkey_proof(&mut laptop, &invite_call);
		dispatch(invite_call, proof);
		assert_ok!(envelope_result());
		assert!(crate::Invitations::<Test>::get(4, id).is_some());
		assert_eq!(crate::MetaAccounts::<Test>::get(id).unwrap().nonce, 2);
	});
}

#[test]
fn the_runtime_checks_origin_rp_id_presence_and_verification() {
	build_and_execute(|| {
		let mut device = passkey(7);
		let id = create_with_passkey(&mut device);
		let key = passkey_key(&device);
		let call = RuntimeCall::MetaAccounts(Call::invite_authenticator {
			account: 4,
			role: Role::Viewer,
		});
		let env = envelope(id, key.clone(), call);
		let digest = MetaAccounts::envelope_digest(&env);
		let with = |device: &mut SoftwarePasskey, origin: &str, rp_id: &str| {
			let a = device.assert(&digest, origin, rp_id);
			Call::dispatch_envelope {
				envelope: env.clone(),
				proof: EnvelopeProof::Passkey(PasskeyAssertion {
					authenticator_data: a.authenticator_data.try_into().unwrap(),
					client_data_json: a.client_data_json.try_into().unwrap(),
					signature: a.signature.try_into().unwrap(),
				}),
			}
		};
		// An origin that is not allowed (or that only looks like it), the right origin with
		// another rp id.
		for origin in ["https://evil.example", "http://localhost.evil.example", "http://localhost:"]
		{
			assert_eq!(
				refused(with(&mut device, origin, RP_ID)),
				pool_code(&Error::PasskeyOriginNotAllowed)
			);
		}
		assert_eq!(
			refused(with(&mut device, ORIGIN, "wallet.example")),
			pool_code(&Error::PasskeyRpIdMismatch)
		);
		device.user_verified = false;
		assert_eq!(
			refused(with(&mut device, ORIGIN, RP_ID)),
			pool_code(&Error::PasskeyUserNotVerified)
		);
		device.user_verified = true;
		device.user_present = false;
		assert_eq!(
			refused(with(&mut device, ORIGIN, RP_ID)),
			pool_code(&Error::PasskeyUserNotPresent)
		);
		device.user_present = true;
		// Nothing of that used the nonce: the good assertion still goes through.
		assert_ok!(submit(with(&mut device, ORIGIN, RP_ID)).unwrap());
	});
}

#[test]
fn the_signature_counter_must_increase_unless_the_passkey_never_counts() {
	build_and_execute(|| {
		let mut device = passkey(8);
		let id = create_with_passkey(&mut device);
		let key = passkey_key(&device);
		let remark = |n: u8| {
			RuntimeCall::MetaAccounts(Call::cancel_invitation {
				meta_account: [n; 32].into(),
				invitee: 4,
			})
		};
		let first = envelope(id, key.clone(), remark(1));
		let proof = passkey_proof(&mut device, &first);
		let count = device.sign_count();
		dispatch(first, proof);
		assert_eq!(
			Authenticators::<Test>::get(id, &key).unwrap().passkey.unwrap().sign_count,
			count
		);
		// A clone of the authenticator that lags behind (its counter not above the stored one).
		device.set_sign_count(count - 1);
		let second = envelope(id, key.clone(), remark(2));
		let proof = passkey_proof(&mut device, &second);
		assert_eq!(
			refused(Call::dispatch_envelope { envelope: second, proof }),
			pool_code(&Error::SignCountNotIncreasing)
		);

		// A synced passkey always reports 0, and that is accepted every time.
		let mut synced = SoftwarePasskey::synced(9, &[9; 20]);
		let sid = create_with_passkey(&mut synced);
		let skey = passkey_key(&synced);
		let stored = Authenticators::<Test>::get(sid, &skey).unwrap().passkey.unwrap();
		assert_eq!(stored.sign_count, 0);
		assert!(stored.backup_eligible && stored.backup_state);
		for n in 3..6 {
			let e = envelope(sid, skey.clone(), remark(n));
			let proof = passkey_proof(&mut synced, &e);
			dispatch(e, proof);
		}
		assert_eq!(crate::MetaAccounts::<Test>::get(sid).unwrap().nonce, 3);
	});
}

#[test]
fn malformed_assertions_get_typed_errors_and_change_nothing() {
	build_and_execute(|| {
		let mut device = passkey(10);
		let id = create_with_passkey(&mut device);
		let key = passkey_key(&device);
		let env = envelope(
			id,
			key,
			RuntimeCall::MetaAccounts(Call::invite_authenticator {
				account: 4,
				role: Role::Viewer,
			}),
		);
		let EnvelopeProof::Passkey(good) = passkey_proof(&mut device, &env) else { unreachable!() };
		let with = |f: &dyn Fn(&mut PasskeyAssertion)| {
			let mut a = good.clone();
			f(&mut a);
			Call::dispatch_envelope { envelope: env.clone(), proof: EnvelopeProof::Passkey(a) }
		};
		type Mutation = Box<dyn Fn(&mut PasskeyAssertion)>;
		let cases: Vec<(Mutation, Error<Test>)> = vec![
			(
				Box::new(|a| a.client_data_json = b"{".to_vec().try_into().unwrap()),
				Error::PasskeyMalformedClientData,
			),
			(
				Box::new(|a| a.client_data_json = b"not json at all".to_vec().try_into().unwrap()),
				Error::PasskeyMalformedClientData,
			),
			(
				Box::new(|a| a.authenticator_data.truncate(36)),
				Error::PasskeyMalformedAuthenticatorData,
			),
			(Box::new(|a| a.authenticator_data.try_push(0).unwrap()), Error::PasskeyTrailingBytes),
			(
				Box::new(|a| a.signature = vec![0x30, 0x02, 0x01].try_into().unwrap()),
				Error::PasskeyMalformedSignature,
			),
			(
				Box::new(|a| a.signature = vec![7u8; 64].try_into().unwrap()),
				Error::PasskeyBadSignature,
			),
			(
				Box::new(|a| {
					let last = a.authenticator_data.len() - 1;
					a.authenticator_data[last] ^= 1;
				}),
				Error::PasskeyBadSignature,
			),
			(
				Box::new(|a| {
					let json = core::str::from_utf8(&a.client_data_json)
						.unwrap()
						.replace("webauthn.get", "webauthn.create");
					a.client_data_json = json.into_bytes().try_into().unwrap();
				}),
				Error::PasskeyWrongType,
			),
		];
		for (mutate, error) in cases {
			let call = with(&*mutate);
			let expected = pool_code(&error);
			assert_storage_noop!(assert_eq!(refused(call.clone()), expected));
			// Dispatched anyway (a block author that skipped the pool): the same typed error.
			assert_noop!(
				frame_support::traits::UnfilteredDispatchable::dispatch_bypass_filter(
					call,
					RuntimeOrigin::none()
				),
				error
			);
		}
		assert_eq!(crate::MetaAccounts::<Test>::get(id).unwrap().nonce, 0);
	});
}
