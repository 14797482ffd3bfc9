//! Unit tests of the threshold-signers pallet, one file per concern. Every test runs in
//! [`build_and_execute`], which checks the pallet's invariants at the end.

mod agenda;
mod extension;
mod faults;
mod keygen;
mod registry;
mod signing;

use crate::{mock::*, pallet::*, types::*, SigningRequest, ThresholdSigner};
use frame_support::{assert_ok, traits::fungible::InspectHold, BoundedVec};
use sp_core::H256;
use waas_primitives::{testing::TestKey, HashScheme};

/// The whole key the test committees "hold".
pub fn test_key() -> TestKey {
	TestKey::from_seed([7u8; 32])
}

/// Registers signers `1..=n` (p2p key `[i; 32]`, endpoint `127.0.0.1:3000i`).
pub fn register(n: u64) {
	for i in 1..=n {
		assert_ok!(ThresholdSigners::register_signer(
			RuntimeOrigin::root(),
			i,
			[i as u8; 32],
			endpoint(&format!("127.0.0.1:{}", 30000 + i)),
		));
	}
}

/// An endpoint from text.
pub fn endpoint(text: &str) -> Endpoint<Test> {
	BoundedVec::try_from(text.as_bytes().to_vec()).unwrap()
}

/// A committee of `members` with threshold `t`.
pub fn committee(members: &[u64], t: u16) -> CommitteeId {
	assert_ok!(ThresholdSigners::create_committee(
		RuntimeOrigin::root(),
		BoundedVec::try_from(members.to_vec()).unwrap(),
		t
	));
	NextCommitteeId::<Test>::get() - 1
}

/// Signers `1..=n`, a `t`-of-`n` committee and an Active key reported as [`test_key`].
pub fn active_key(n: u64, t: u16) -> KeyId {
	register(n);
	let members: Vec<u64> = (1..=n).collect();
	let c = committee(&members, t);
	keygen_reported_by_all(c)
}

/// Requests a keygen in committee `c` and has every member report [`test_key`].
pub fn keygen_reported_by_all(c: CommitteeId) -> KeyId {
	assert_ok!(ThresholdSigners::request_keygen(RuntimeOrigin::root(), c));
	let key = NextKeyId::<Test>::get() - 1;
	let k = test_key();
	for m in Committees::<Test>::get(c).unwrap().members {
		assert_ok!(ThresholdSigners::report_keygen(
			RuntimeOrigin::signed(m),
			key,
			k.public_key(),
			k.chain_code()
		));
	}
	assert!(matches!(Keys::<Test>::get(key).unwrap().status, KeyStatus::Active { .. }));
	key
}

/// The owner of Meta-Account `m`'s address `index` (Meta-Account id `[m; 32]`).
pub fn address_owner(m: u8, index: u32) -> RequestOwner {
	RequestOwner::meta_account_address(H256::repeat_byte(m), index)
}

/// The path of that address.
pub fn address_path(m: u8, index: u32) -> Vec<u32> {
	waas_primitives::meta_account_path(&[m; 32], index).unwrap().to_vec()
}

/// User `payer` asks, through the trait, for a signature of `payload` with address
/// `(m, index)` under `key`.
pub fn request_for(
	payer: u64,
	key: KeyId,
	m: u8,
	index: u32,
	payload: &[u8],
) -> Result<RequestId, sp_runtime::DispatchError> {
	<ThresholdSigners as ThresholdSigner<u64>>::request_signature(SigningRequest {
		owner: address_owner(m, index),
		payer: &payer,
		key,
		path: &address_path(m, index),
		payload,
		scheme: HashScheme::Keccak256,
	})
}

/// The test key's signature for a request: `(r ‖ s, recovery id)`.
pub fn signature_for(request: RequestId) -> ([u8; 64], u8) {
	let req = SignatureRequests::<Test>::get(request).unwrap();
	test_key().sign(&req.path, req.scheme, &req.payload)
}

/// The signers (accounts) of a request's current attempt.
pub fn assigned_signers(request: RequestId) -> Vec<u64> {
	let req = SignatureRequests::<Test>::get(request).unwrap();
	let RequestStatus::Assigned { signers, .. } = req.status else { panic!("not assigned") };
	let c = ThresholdSigners::committee_of_key(req.key).unwrap();
	signers.iter().map(|i| c.members[*i as usize]).collect()
}

/// The current attempt number of an assigned request.
pub fn attempt_of(request: RequestId) -> u8 {
	match SignatureRequests::<Test>::get(request).unwrap().status {
		RequestStatus::Assigned { attempt, .. } => attempt,
		other => panic!("not assigned: {other:?}"),
	}
}

/// This pallet's events since the last call, oldest first.
pub fn events() -> Vec<Event<Test>> {
	let out = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::ThresholdSigners(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	out
}

/// Funds held from `who` for `reason`.
pub fn held(reason: HoldReason, who: u64) -> u64 {
	<Balances as InspectHold<u64>>::balance_on_hold(&reason.into(), &who)
}
