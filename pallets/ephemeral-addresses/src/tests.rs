//! Unit tests: provisioning, signing through the owner only, one-time lifecycle, revocation.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use pallet_threshold_signers::{RequestStatus, SignatureRequests};
use sp_runtime::DispatchError;
use waas_primitives::testing::TestKey;

fn test_key() -> TestKey {
	TestKey::from_seed([42u8; 32])
}

fn chain(s: &str) -> ChainIdOf {
	s.as_bytes().to_vec().try_into().unwrap()
}

fn payload(p: &[u8]) -> BoundedVec<u8, MaxPayloadLen> {
	p.to_vec().try_into().unwrap()
}

/// `who` asks for a keccak-256 signature over `msg` with address `index` of its Meta-Account.
fn ask(who: u64, index: AddressIndex, msg: &[u8]) -> frame_support::dispatch::DispatchResult {
	EphemeralAddresses::sign_with_address(
		RuntimeOrigin::signed(who),
		index,
		payload(msg),
		HashScheme::Keccak256,
	)
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::EphemeralAddresses(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Committee of signers 1..=3 (2-of-3) with an Active key 0 = `test_key()`.
fn setup_key() {
	let k = test_key();
	for s in [1u64, 2, 3] {
		assert_ok!(ThresholdSigners::register_signer(
			RuntimeOrigin::root(),
			s,
			[7u8; 32],
			b"127.0.0.1:1".to_vec().try_into().unwrap()
		));
	}
	assert_ok!(ThresholdSigners::create_committee(
		RuntimeOrigin::root(),
		vec![1, 2, 3].try_into().unwrap(),
		2
	));
	assert_ok!(ThresholdSigners::request_keygen(RuntimeOrigin::root(), 0));
	for s in [1u64, 2, 3] {
		assert_ok!(ThresholdSigners::report_keygen(
			RuntimeOrigin::signed(s),
			0,
			k.public_key(),
			k.chain_code()
		));
	}
}

fn meta(who: u64) -> MetaAccountId {
	assert_ok!(MetaAccounts::create(RuntimeOrigin::signed(who)));
	pallet_meta_accounts::AuthenticatorOf::<Test>::get(who).unwrap()
}

fn expected_address(m: &MetaAccountId, index: u32) -> (CompressedPublicKey, Vec<u8>) {
	let path = waas_primitives::meta_account_path(m.as_fixed_bytes(), index).unwrap();
	let pk = test_key().derived_public_key(&path);
	let evm = waas_primitives::evm_address(&pk).unwrap();
	(pk, waas_primitives::eip55(&evm).to_vec())
}

fn sign(m: &MetaAccountId, index: u32, msg: &[u8]) -> ([u8; 64], u8) {
	let path = waas_primitives::meta_account_path(m.as_fixed_bytes(), index).unwrap();
	test_key().sign(&path, HashScheme::Keccak256, msg)
}

fn assigned_signer(request: RequestId) -> u64 {
	match SignatureRequests::<Test>::get(request).unwrap().status {
		RequestStatus::Pending { signers, .. } => [1u64, 2, 3][signers[0] as usize],
		other => panic!("not pending: {other:?}"),
	}
}

fn last_request() -> RequestId {
	match events().into_iter().rev().find_map(|e| match e {
		Event::AddressSignatureRequested { request, .. } => Some(request),
		_ => None,
	}) {
		Some(r) => r,
		None => panic!("no request"),
	}
}

#[test]
fn provision_derives_eip55_address_on_chain() {
	new_test_ext().execute_with(|| {
		setup_key();
		let m = meta(10);
		assert_ok!(EphemeralAddresses::provision_address(
			RuntimeOrigin::signed(10),
			0,
			chain("eip155:1"),
			false
		));
		let (pk, text) = expected_address(&m, 0);
		let info = Addresses::<Test>::get(m, 0).unwrap();
		assert_eq!(info.public_key, pk);
		assert_eq!(info.address.to_vec(), text);
		assert_eq!(info.status, AddressStatus::Active);
		assert_eq!(info.deposit_payer, 10);
		assert_eq!(Balances::balance_on_hold(&HoldReason::Address.into(), &10), 3);
		assert_eq!(
			events().pop().unwrap(),
			Event::AddressProvisioned {
				meta_account: m,
				index: 0,
				key: 0,
				chain: chain("eip155:1"),
				address: text.clone().try_into().unwrap(),
				one_time: false
			}
		);
		// The next index gives another address; the runtime-API helper agrees.
		assert_ok!(EphemeralAddresses::provision_address(
			RuntimeOrigin::signed(10),
			0,
			chain("eip155:11155111"),
			true
		));
		let second = Addresses::<Test>::get(m, 1).unwrap();
		assert_ne!(second.address, info.address);
		let path = waas_primitives::meta_account_path(m.as_fixed_bytes(), 1).unwrap();
		assert_eq!(
			EphemeralAddresses::derive_address(0, &path, b"eip155:5").unwrap(),
			second.address
		);
		assert_eq!(EphemeralAddresses::addresses_of(&m).len(), 2);
	});
}

#[test]
fn provision_errors() {
	new_test_ext().execute_with(|| {
		let origin = || RuntimeOrigin::signed(10);
		// Not an authenticator.
		assert_noop!(
			EphemeralAddresses::provision_address(origin(), 0, chain("eip155:1"), false),
			DispatchError::BadOrigin
		);
		meta(10);
		assert_noop!(
			EphemeralAddresses::provision_address(origin(), 0, chain("eip155:1"), false),
			pallet_threshold_signers::Error::<Test>::UnknownKey
		);
		setup_key();
		assert_noop!(
			EphemeralAddresses::provision_address(origin(), 0, chain("eip155:01"), false),
			Error::<Test>::InvalidChainId
		);
		assert_noop!(
			EphemeralAddresses::provision_address(origin(), 0, chain("nonsense"), false),
			Error::<Test>::InvalidChainId
		);
		assert_noop!(
			EphemeralAddresses::provision_address(
				origin(),
				0,
				chain("bip122:000000000019d6689c085ae165831e93"),
				false
			),
			Error::<Test>::UnsupportedChain
		);
		assert_noop!(
			EphemeralAddresses::provision_address(origin(), 1, chain("eip155:1"), false),
			pallet_threshold_signers::Error::<Test>::UnknownKey
		);
		for _ in 0..3 {
			assert_ok!(EphemeralAddresses::provision_address(
				origin(),
				0,
				chain("eip155:1"),
				false
			));
		}
		assert_noop!(
			EphemeralAddresses::provision_address(origin(), 0, chain("eip155:1"), false),
			Error::<Test>::TooManyAddresses
		);
		// 13 has 12: 10 for the Meta-Account deposit, 2 left < 3.
		meta(13);
		assert_noop!(
			EphemeralAddresses::provision_address(
				RuntimeOrigin::signed(13),
				0,
				chain("eip155:1"),
				false
			),
			Error::<Test>::InsufficientBalanceForDeposit
		);
	});
}

#[test]
fn owner_gets_a_signature_that_verifies_for_the_address() {
	new_test_ext().execute_with(|| {
		setup_key();
		let m = meta(10);
		assert_ok!(MetaAccounts::add_authenticator(RuntimeOrigin::signed(10), 11));
		assert_ok!(EphemeralAddresses::provision_address(
			RuntimeOrigin::signed(10),
			0,
			chain("eip155:1"),
			false
		));
		// Another authenticator of the same Meta-Account may sign with it.
		assert_ok!(ask(11, 0, b"transfer 1 ETH"));
		let request = last_request();
		let req = SignatureRequests::<Test>::get(request).unwrap();
		assert_eq!(req.requester, Some(11));
		assert_eq!(req.public_key, Addresses::<Test>::get(m, 0).unwrap().public_key);
		let (sig, rid) = sign(&m, 0, b"transfer 1 ETH");
		assert_ok!(ThresholdSigners::submit_signature(
			RuntimeOrigin::signed(assigned_signer(request)),
			request,
			sig,
			rid
		));
		// Recovering the EVM address from the signature gives the provisioned address.
		let recovered = waas_primitives::signature::recover_compressed(
			&sig,
			rid,
			&HashScheme::Keccak256.hash(b"transfer 1 ETH"),
		)
		.unwrap();
		let evm = waas_primitives::evm_address(&recovered).unwrap();
		assert_eq!(
			waas_primitives::eip55(&evm).to_vec(),
			Addresses::<Test>::get(m, 0).unwrap().address.to_vec()
		);
		// Not one-time: still Active and can sign again.
		assert_eq!(Addresses::<Test>::get(m, 0).unwrap().status, AddressStatus::Active);
		assert_ok!(ask(10, 0, b"again"));
	});
}

#[test]
fn strangers_cannot_obtain_signatures_for_someone_elses_address() {
	new_test_ext().execute_with(|| {
		setup_key();
		let owner = meta(10);
		assert_ok!(EphemeralAddresses::provision_address(
			RuntimeOrigin::signed(10),
			0,
			chain("eip155:1"),
			false
		));
		// A plain account: not a Meta-Account authenticator at all.
		assert_noop!(ask(12, 0, b"steal"), DispatchError::BadOrigin);
		// Another Meta-Account's authenticator: index 0 resolves in *its own* Meta-Account.
		let other = meta(12);
		assert_ne!(other, owner);
		assert_noop!(ask(12, 0, b"steal"), Error::<Test>::UnknownAddress);
		// Nor directly from the signer pallet.
		let path = waas_primitives::meta_account_path(owner.as_fixed_bytes(), 0).unwrap();
		assert_noop!(
			ThresholdSigners::request_signature(
				RuntimeOrigin::signed(12),
				0,
				path.to_vec().try_into().unwrap(),
				payload(b"steal"),
				HashScheme::Keccak256
			),
			DispatchError::BadOrigin
		);
		assert_eq!(SignatureRequests::<Test>::iter().count(), 0);
	});
}

#[test]
fn sign_with_address_errors() {
	new_test_ext().execute_with(|| {
		setup_key();
		meta(10);
		let origin = || RuntimeOrigin::signed(10);
		assert_noop!(ask(10, 0, b"x"), Error::<Test>::UnknownAddress);
		assert_ok!(EphemeralAddresses::provision_address(origin(), 0, chain("eip155:1"), false));
		assert_noop!(
			EphemeralAddresses::sign_with_address(origin(), 0, payload(b"x"), HashScheme::Sha256),
			Error::<Test>::SchemeNotAllowed
		);
		assert_noop!(ask(10, 0, b""), Error::<Test>::EmptyPayload);
		assert_ok!(EphemeralAddresses::revoke_address(origin(), 0));
		assert_noop!(ask(10, 0, b"x"), Error::<Test>::AddressRevoked);
	});
}

#[test]
fn one_time_address_is_used_after_its_first_signature() {
	new_test_ext().execute_with(|| {
		setup_key();
		let m = meta(10);
		let origin = || RuntimeOrigin::signed(10);
		assert_ok!(EphemeralAddresses::provision_address(origin(), 0, chain("eip155:1"), true));
		assert_ok!(ask(10, 0, b"once"));
		let request = last_request();
		assert_eq!(Addresses::<Test>::get(m, 0).unwrap().pending_request, Some(request));
		assert_noop!(ask(10, 0, b"twice"), Error::<Test>::SignatureInFlight);
		let (sig, rid) = sign(&m, 0, b"once");
		assert_ok!(ThresholdSigners::submit_signature(
			RuntimeOrigin::signed(assigned_signer(request)),
			request,
			sig,
			rid
		));
		let info = Addresses::<Test>::get(m, 0).unwrap();
		assert_eq!(info.status, AddressStatus::Used);
		assert_eq!(info.pending_request, None);
		assert_eq!(events().pop().unwrap(), Event::AddressUsed { meta_account: m, index: 0 });
		assert_noop!(ask(10, 0, b"twice"), Error::<Test>::AddressUsed);
		// Used addresses can still be revoked.
		assert_ok!(EphemeralAddresses::revoke_address(origin(), 0));
	});
}

#[test]
fn one_time_address_stays_active_when_its_request_fails() {
	new_test_ext().execute_with(|| {
		setup_key();
		let m = meta(10);
		let origin = || RuntimeOrigin::signed(10);
		assert_ok!(EphemeralAddresses::provision_address(origin(), 0, chain("eip155:1"), true));
		assert_ok!(ask(10, 0, b"once"));
		let request = last_request();
		run_to_block(20);
		assert!(matches!(
			SignatureRequests::<Test>::get(request).unwrap().status,
			RequestStatus::Failed { .. }
		));
		let info = Addresses::<Test>::get(m, 0).unwrap();
		assert_eq!(info.status, AddressStatus::Active);
		assert_eq!(info.pending_request, None);
		assert!(PendingSignatures::<Test>::get(request).is_none());
		assert_ok!(ask(10, 0, b"retry"));
	});
}

#[test]
fn revoke_address_works_and_errors() {
	new_test_ext().execute_with(|| {
		setup_key();
		let m = meta(10);
		let origin = || RuntimeOrigin::signed(10);
		assert_noop!(
			EphemeralAddresses::revoke_address(origin(), 0),
			Error::<Test>::UnknownAddress
		);
		assert_ok!(EphemeralAddresses::provision_address(origin(), 0, chain("eip155:1"), false));
		assert_noop!(
			EphemeralAddresses::revoke_address(RuntimeOrigin::signed(12), 0),
			DispatchError::BadOrigin
		);
		assert_ok!(EphemeralAddresses::revoke_address(origin(), 0));
		assert_eq!(events().pop().unwrap(), Event::AddressRevoked { meta_account: m, index: 0 });
		assert_eq!(Addresses::<Test>::get(m, 0).unwrap().status, AddressStatus::Revoked);
		assert_noop!(
			EphemeralAddresses::revoke_address(origin(), 0),
			Error::<Test>::AlreadyRevoked
		);
		// The index is never reused.
		assert_ok!(EphemeralAddresses::provision_address(origin(), 0, chain("eip155:1"), false));
		assert!(Addresses::<Test>::get(m, 1).is_some());
	});
}
