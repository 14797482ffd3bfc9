//! Unit tests of the ephemeral-addresses pallet, with the real Meta-Accounts and
//! threshold-signers pallets. Every test runs in [`build_and_execute`], which checks all three
//! pallets' invariants at the end.

use crate::{mock::*, pallet::*, types::*};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use pallet_meta_accounts::{AuthenticatorKey, Role};
use pallet_threshold_signers::{RequestStatus, SignatureRequests};
use sp_runtime::{DispatchError, TokenError};
use waas_primitives::{testing::TestKey, HashScheme};
use waas_traits::{MetaAccountId, RequestId, RequestOwner, ThresholdSigner};

fn test_key() -> TestKey {
	TestKey::from_seed([7u8; 32])
}

fn chain(s: &str) -> Caip2Id {
	BoundedVec::try_from(s.as_bytes().to_vec()).unwrap()
}

fn ask(who: u64, index: AddressIndex, msg: &[u8]) -> frame_support::dispatch::DispatchResult {
	EphemeralAddresses::sign_with_address(
		RuntimeOrigin::signed(who),
		index,
		BoundedVec::try_from(msg.to_vec()).unwrap(),
	)
}

fn events() -> Vec<Event<Test>> {
	let out = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::EphemeralAddresses(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	out
}

/// Signers 1..=3, a 2-of-3 committee and Active key 0 reported as [`test_key`].
fn setup_key() {
	use pallet_threshold_signers::Pallet as Signers;
	for i in 1..=3u64 {
		assert_ok!(Signers::<Test>::register_signer(
			RuntimeOrigin::root(),
			i,
			[i as u8; 32],
			BoundedVec::try_from(b"127.0.0.1:1".to_vec()).unwrap()
		));
	}
	assert_ok!(Signers::<Test>::create_committee(
		RuntimeOrigin::root(),
		BoundedVec::try_from(vec![1, 2, 3]).unwrap(),
		2
	));
	assert_ok!(Signers::<Test>::request_keygen(RuntimeOrigin::root(), 0));
	let k = test_key();
	for i in 1..=3u64 {
		assert_ok!(Signers::<Test>::report_keygen(
			RuntimeOrigin::signed(i),
			0,
			k.public_key(),
			k.chain_code()
		));
	}
}

fn meta(who: u64) -> MetaAccountId {
	assert_ok!(MetaAccounts::create(RuntimeOrigin::signed(who)));
	pallet_meta_accounts::AuthenticatorOf::<Test>::get(AuthenticatorKey::Substrate(who)).unwrap()
}

fn provision(who: u64, one_time: bool) -> AddressIndex {
	assert_ok!(EphemeralAddresses::provision_address(
		RuntimeOrigin::signed(who),
		0,
		chain("eip155:1"),
		one_time
	));
	let m = pallet_meta_accounts::AuthenticatorOf::<Test>::get(AuthenticatorKey::Substrate(who))
		.unwrap();
	NextAddressIndex::<Test>::get(m) - 1
}

/// Public key and EIP-55 text of address `index` of `m`, from the whole test key's private
/// derivation.
fn expected_address(m: &MetaAccountId, index: u32) -> (CompressedPublicKey, Vec<u8>) {
	let path = waas_primitives::meta_account_path(m.as_fixed_bytes(), index).unwrap();
	let pk = test_key().derived_public_key(&path);
	(pk, waas_primitives::eip55(&waas_primitives::evm_address(&pk).unwrap()).to_vec())
}

fn last_request() -> RequestId {
	pallet_threshold_signers::NextRequestId::<Test>::get() - 1
}

/// The test key signs request `request` and its first assigned signer submits it.
fn deliver(request: RequestId) -> frame_support::dispatch::DispatchResult {
	let req = SignatureRequests::<Test>::get(request).unwrap();
	let (sig, rid) = test_key().sign(&req.path, req.scheme, &req.payload);
	let RequestStatus::Assigned { signers, .. } = req.status else {
		return Err(DispatchError::Other("not assigned"));
	};
	let signer = [1u64, 2, 3][signers[0] as usize];
	ThresholdSigners::submit_signature(RuntimeOrigin::signed(signer), request, sig, rid)
}

#[test]
fn provisioning_derives_the_eip55_address_on_chain_and_claims_the_path() {
	build_and_execute(|| {
		setup_key();
		let m = meta(10);
		events();
		let index = provision(10, false);
		let (pk, text) = expected_address(&m, index);
		let info = Addresses::<Test>::get(m, index).unwrap();
		assert_eq!((info.public_key, info.address.to_vec()), (pk, text.clone()));
		assert_eq!((info.status, info.deposit_payer, info.deposit), (AddressStatus::Active, 10, 2));
		assert_eq!(Balances::balance_on_hold(&HoldReason::Address.into(), &10), 2);
		assert_eq!(
			events(),
			vec![Event::AddressProvisioned {
				meta_account: m,
				index,
				key: 0,
				chain: chain("eip155:1"),
				address: text.try_into().unwrap(),
				public_key: pk,
				one_time: false,
				deposit: 2,
			}]
		);
		// The Meta-Account now owns the path prefix [1, m0, m1, m2].
		let path = waas_primitives::meta_account_path(m.as_fixed_bytes(), 0).unwrap();
		assert_eq!(
			pallet_threshold_signers::PathOwners::<Test>::get(
				BoundedVec::try_from(path[..4].to_vec()).unwrap()
			),
			Some((waas_primitives::namespace::META_ACCOUNT_ADDRESSES, m))
		);
		let second = provision(10, true);
		assert_ne!(Addresses::<Test>::get(m, second).unwrap().address, info.address);
		assert_eq!(EphemeralAddresses::addresses_of(&m, 0, 10).len(), 2);
		assert_eq!(EphemeralAddresses::addresses_of(&m, 1, 10)[0].0, 1);
		assert_eq!(EphemeralAddresses::addresses_of(&m, 0, 1).len(), 1);
	});
}

#[test]
fn provisioning_is_validated() {
	build_and_execute(|| {
		let provision_on = |who: u64, key: u32, c: &str| {
			EphemeralAddresses::provision_address(RuntimeOrigin::signed(who), key, chain(c), false)
		};
		meta(10);
		assert_noop!(
			provision_on(10, 0, "eip155:1"),
			pallet_threshold_signers::Error::<Test>::UnknownKey
		);
		setup_key();
		assert_noop!(provision_on(11, 0, "eip155:1"), DispatchError::BadOrigin);
		assert_noop!(provision_on(10, 0, "eip155:01"), Error::<Test>::InvalidChainId);
		assert_noop!(provision_on(10, 0, "nope"), Error::<Test>::InvalidChainId);
		assert_noop!(
			provision_on(10, 0, "bip122:000000000019d6689c085ae165831e93"),
			Error::<Test>::UnsupportedChain
		);
		assert_ok!(pallet_threshold_signers::Pallet::<Test>::request_keygen(
			RuntimeOrigin::root(),
			0
		));
		assert_noop!(
			provision_on(10, 1, "eip155:1"),
			pallet_threshold_signers::Error::<Test>::KeyNotActive
		);
		for _ in 0..3 {
			provision(10, false);
		}
		assert_noop!(provision_on(10, 0, "eip155:1"), Error::<Test>::TooManyAddresses);
	});
}

#[test]
fn a_broken_key_gives_a_typed_error() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		BROKEN_KEY.with(|b| b.set(true));
		assert_noop!(
			EphemeralAddresses::provision_address(
				RuntimeOrigin::signed(10),
				0,
				chain("eip155:1"),
				false
			),
			Error::<Test>::EncodingFailed
		);
	});
}

#[test]
fn a_meta_account_whose_id_collides_on_the_path_prefix_is_refused() {
	build_and_execute(|| {
		setup_key();
		let victim = meta(10);
		let index = provision(10, false);
		// Another Meta-Account id mapping onto the same 93 bits (found by grinding) asks for
		// the same path: refused, so it can never sign for the victim's addresses.
		let colliding = MetaAccountId::repeat_byte(0xee);
		let path = waas_primitives::meta_account_path(victim.as_fixed_bytes(), index).unwrap();
		assert_noop!(
			<ThresholdSigners as ThresholdSigner<u64>>::claim_path(
				&RequestOwner::meta_account_address(colliding, index),
				0,
				&path
			),
			pallet_threshold_signers::Error::<Test>::PathOwnedByAnother
		);
	});
}

#[test]
fn the_owner_gets_a_signature_that_verifies_for_the_address() {
	build_and_execute(|| {
		setup_key();
		let m = meta(10);
		let index = provision(10, false);
		events();
		assert_ok!(ask(10, index, b"hello"));
		let request = last_request();
		assert_eq!(
			events(),
			vec![Event::AddressSignatureRequested { meta_account: m, index, request }]
		);
		let req = SignatureRequests::<Test>::get(request).unwrap();
		assert_eq!(req.owner, RequestOwner::meta_account_address(m, index));
		// The chain family fixes the hash: keccak-256 on EVM chains.
		assert_eq!(req.scheme, HashScheme::Keccak256);
		assert_eq!(Addresses::<Test>::get(m, index).unwrap().in_flight, 1);
		assert_ok!(deliver(request));
		let RequestStatus::Signed { signature, recovery_id, .. } =
			SignatureRequests::<Test>::get(request).unwrap().status
		else {
			panic!("signed")
		};
		let (pk, _) = expected_address(&m, index);
		assert_eq!(
			waas_primitives::signature::recover_compressed(
				&signature,
				recovery_id,
				&HashScheme::Keccak256.hash(b"hello")
			),
			Some(pk)
		);
		assert_eq!(Addresses::<Test>::get(m, index).unwrap().in_flight, 0);
		assert_eq!(InFlightCount::<Test>::get(m), 0);
		// The request's deposit came back; its fee (1 per signer) went to the signers.
		assert_eq!(Balances::free_balance(10), 100 - 2 - 2 - 2);
	});
}

#[test]
fn strangers_cannot_use_or_cancel_someone_elses_addresses() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		meta(11);
		let index = provision(10, false);
		assert_ok!(ask(10, index, b"mine"));
		let request = last_request();
		assert_noop!(ask(11, index, b"theirs"), Error::<Test>::UnknownAddress);
		assert_noop!(ask(12, index, b"theirs"), DispatchError::BadOrigin);
		assert_noop!(
			EphemeralAddresses::cancel_request(RuntimeOrigin::signed(11), request),
			Error::<Test>::UnknownRequest
		);
		assert_noop!(
			EphemeralAddresses::revoke_address(RuntimeOrigin::signed(11), index),
			Error::<Test>::UnknownAddress
		);
	});
}

#[test]
fn requests_are_validated_and_bounded_per_meta_account() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		let index = provision(10, false);
		assert_noop!(ask(10, 7, b"x"), Error::<Test>::UnknownAddress);
		assert_noop!(ask(10, index, b""), Error::<Test>::EmptyPayload);
		assert_ok!(ask(10, index, b"1"));
		assert_ok!(ask(10, index, b"2"));
		assert_noop!(ask(10, index, b"3"), Error::<Test>::TooManyInFlight);
		assert_ok!(deliver(last_request()));
		assert_ok!(ask(10, index, b"3"));
		// A payer that cannot hold the request's deposit and fee gets the currency's error.
		meta(13);
		let poor = provision(13, false);
		assert_noop!(ask(13, poor, b"x"), TokenError::FundsUnavailable);
		assert!(EphemeralAddresses::path(&MetaAccountId::zero(), 1 << 31).is_err());
	});
}

#[test]
fn a_one_time_address_signs_once() {
	build_and_execute(|| {
		setup_key();
		let m = meta(10);
		let index = provision(10, true);
		assert_ok!(ask(10, index, b"first"));
		assert_noop!(ask(10, index, b"second"), Error::<Test>::SignatureInFlight);
		events();
		assert_ok!(deliver(last_request()));
		assert_eq!(Addresses::<Test>::get(m, index).unwrap().status, AddressStatus::Used);
		assert_eq!(events(), vec![Event::AddressUsed { meta_account: m, index }]);
		assert_noop!(ask(10, index, b"second"), Error::<Test>::AddressUsed);
	});
}

#[test]
fn a_one_time_address_stays_active_when_its_request_fails() {
	build_and_execute(|| {
		setup_key();
		let m = meta(10);
		let index = provision(10, true);
		assert_ok!(ask(10, index, b"first"));
		let request = last_request();
		// Two attempts of 5 blocks each, nobody signs.
		run_to_block(13);
		assert!(matches!(
			SignatureRequests::<Test>::get(request).unwrap().status,
			RequestStatus::Failed { .. }
		));
		let info = Addresses::<Test>::get(m, index).unwrap();
		assert_eq!((info.status, info.in_flight), (AddressStatus::Active, 0));
		assert_ok!(ask(10, index, b"again"));
	});
}

#[test]
fn a_user_cancels_a_request() {
	build_and_execute(|| {
		setup_key();
		let m = meta(10);
		let index = provision(10, true);
		assert_ok!(ask(10, index, b"oops"));
		let request = last_request();
		assert_ok!(EphemeralAddresses::cancel_request(RuntimeOrigin::signed(10), request));
		assert!(matches!(
			SignatureRequests::<Test>::get(request).unwrap().status,
			RequestStatus::Cancelled { .. }
		));
		assert_eq!(InFlight::<Test>::get(m, request), None);
		assert_noop!(
			EphemeralAddresses::cancel_request(RuntimeOrigin::signed(10), request),
			Error::<Test>::UnknownRequest
		);
		// The one-time address is free to sign again.
		assert_ok!(ask(10, index, b"this time"));
	});
}

#[test]
fn revoking_an_address_cancels_its_requests_and_returns_its_deposit() {
	build_and_execute(|| {
		setup_key();
		let m = meta(10);
		let index = provision(10, false);
		let other = provision(10, false);
		assert_ok!(ask(10, index, b"in flight"));
		let request = last_request();
		assert_ok!(ask(10, other, b"unaffected"));
		// The committee's signature, ready before the revocation lands.
		let req = SignatureRequests::<Test>::get(request).unwrap();
		let (sig, rid) = test_key().sign(&req.path, req.scheme, &req.payload);
		events();
		assert_ok!(EphemeralAddresses::revoke_address(RuntimeOrigin::signed(10), index));
		assert_eq!(
			events(),
			vec![Event::AddressRevoked { meta_account: m, index, cancelled_requests: 1 }]
		);
		assert!(Addresses::<Test>::get(m, index).is_none());
		assert_eq!(InFlightCount::<Test>::get(m), 1);
		assert_eq!(Balances::balance_on_hold(&HoldReason::Address.into(), &10), 2);
		// The committee's signature for the cancelled request no longer counts.
		assert_noop!(
			ThresholdSigners::submit_signature(RuntimeOrigin::signed(1), request, sig, rid),
			pallet_threshold_signers::Error::<Test>::RequestNotPending
		);
		assert_noop!(ask(10, index, b"x"), Error::<Test>::UnknownAddress);
		assert_noop!(
			EphemeralAddresses::revoke_address(RuntimeOrigin::signed(10), index),
			Error::<Test>::UnknownAddress
		);
		// Indices are never reused.
		assert_eq!(provision(10, false), 2);
	});
}

#[test]
fn a_remaining_authenticator_takes_over_a_leavers_deposit() {
	build_and_execute(|| {
		setup_key();
		let m = meta(10);
		assert_ok!(MetaAccounts::invite_authenticator(RuntimeOrigin::signed(10), 11, Role::Owner));
		assert_ok!(MetaAccounts::accept_invitation(RuntimeOrigin::signed(11), m));
		let index = provision(10, false);
		assert_noop!(
			EphemeralAddresses::take_over_deposit(RuntimeOrigin::signed(11), index),
			Error::<Test>::PayerStillAuthenticator
		);
		// 10 leaves (removing oneself takes effect at once).
		assert_ok!(MetaAccounts::remove_authenticator(
			RuntimeOrigin::signed(10),
			AuthenticatorKey::Substrate(10)
		));
		assert_ok!(EphemeralAddresses::take_over_deposit(RuntimeOrigin::signed(11), index));
		assert_eq!(Balances::balance_on_hold(&HoldReason::Address.into(), &10), 0);
		assert_eq!(Balances::balance_on_hold(&HoldReason::Address.into(), &11), 2);
		assert_eq!(Addresses::<Test>::get(m, index).unwrap().deposit_payer, 11);
	});
}

#[test]
fn a_meta_account_closes_only_without_addresses() {
	build_and_execute(|| {
		setup_key();
		meta(10);
		let index = provision(10, false);
		assert_noop!(
			MetaAccounts::close_meta_account(RuntimeOrigin::signed(10), 10),
			Error::<Test>::MetaAccountHasAddresses
		);
		assert_ok!(EphemeralAddresses::revoke_address(RuntimeOrigin::signed(10), index));
		assert_ok!(MetaAccounts::close_meta_account(RuntimeOrigin::signed(10), 10));
		assert_eq!(Balances::free_balance(10), 100);
	});
}

/// The origin of a call from an envelope signed by `key` with `role`.
fn envelope_origin(m: MetaAccountId, key: AuthenticatorKey<u64>, role: Role) -> RuntimeOrigin {
	pallet_meta_accounts::MetaAccountOrigin { meta_account: m, authenticator: key, role }.into()
}

#[test]
fn an_envelope_signer_provisions_and_signs_paid_by_the_sovereign_account() {
	build_and_execute(|| {
		setup_key();
		let m = meta(10);
		let sovereign = MetaAccounts::sovereign_account(&m);
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(10), sovereign, 50));
		let passkey = AuthenticatorKey::Passkey(vec![7u8; 16].try_into().unwrap());
		assert_ok!(EphemeralAddresses::provision_address(
			envelope_origin(m, passkey.clone(), Role::Signer),
			0,
			chain("eip155:1"),
			false
		));
		let info = Addresses::<Test>::get(m, 0).unwrap();
		assert_eq!(info.deposit_payer, sovereign);
		assert_eq!(Balances::balance_on_hold(&HoldReason::Address.into(), &sovereign), 2);
		assert_eq!(Balances::balance_on_hold(&HoldReason::Address.into(), &10), 0);
		assert_ok!(EphemeralAddresses::sign_with_address(
			envelope_origin(m, passkey.clone(), Role::Owner),
			0,
			BoundedVec::try_from(b"from a passkey".to_vec()).unwrap()
		));
		// The sovereign account pays for the Meta-Account: nobody can take its deposit over.
		assert_noop!(
			EphemeralAddresses::take_over_deposit(RuntimeOrigin::signed(10), 0),
			Error::<Test>::PayerStillAuthenticator
		);
		// A Viewer can do none of it.
		assert_noop!(
			EphemeralAddresses::provision_address(
				envelope_origin(m, passkey, Role::Viewer),
				0,
				chain("eip155:1"),
				false
			),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}
