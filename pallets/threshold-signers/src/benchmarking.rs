//! Benchmarks of the threshold-signers pallet, each at its worst case: the largest committee,
//! the deepest path, the longest payload, fee transfers to every signer, a queued request
//! promoted into the freed slot.

use super::*;
use crate::pallet::{Call, Pallet as ThresholdSigners};
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get, Hooks};
use frame_system::RawOrigin;
use waas_primitives::{namespace, testing::TestKey};

/// A balance far above any deposit or fee a benchmark holds: 10^9 existential deposits.
fn rich<T: Config>() -> BalanceOf<T>
where
	T::Currency: Mutate<T::AccountId>,
{
	use frame_support::traits::fungible::Inspect;
	sp_runtime::Saturating::saturating_mul(T::Currency::minimum_balance(), 1_000_000_000u32.into())
}

/// The whole key the benchmark committees "hold".
fn test_key() -> TestKey {
	TestKey::from_seed([7u8; 32])
}

fn signer<T: Config>(i: u32) -> T::AccountId {
	account("signer", i, 0)
}

/// Registers signers `0..n` and returns them.
fn register<T: Config>(n: u32) -> Vec<T::AccountId> {
	(0..n)
		.map(|i| {
			let who = signer::<T>(i);
			let mut p2p_key = [0xffu8; 32];
			p2p_key[..4].copy_from_slice(&i.to_le_bytes());
			ThresholdSigners::<T>::do_register_signer(who.clone(), p2p_key, endpoint::<T>(b'a'))
				.expect("benchmark signer registers");
			who
		})
		.collect()
}

/// The longest endpoint, made of `fill`.
fn endpoint<T: Config>(fill: u8) -> Endpoint<T> {
	BoundedVec::truncate_from(vec![fill; T::MaxEndpointLen::get() as usize])
}

/// A `t`-of-`n` committee of fresh signers with an Active key reported as [`test_key`].
pub fn active_test_key<T: Config>(n: u32, t: u16) -> KeyId {
	let members = register::<T>(n);
	let committee =
		ThresholdSigners::<T>::do_create_committee(BoundedVec::truncate_from(members), t)
			.expect("benchmark committee");
	let k = test_key();
	ThresholdSigners::<T>::genesis_active_key(committee, k.public_key(), k.chain_code())
		.expect("benchmark key");
	NextKeyId::<T>::get() - 1
}

/// Makes `request` and has its first assigned member submit [`test_key`]'s signature.
pub fn signed_request<T: Config>(r: waas_traits::SigningRequest<'_, T::AccountId>) -> RequestId {
	let id = ThresholdSigners::<T>::do_request_signature(
		r.owner,
		Some(r.payer),
		r.key,
		r.path,
		r.payload,
		r.scheme,
	)
	.expect("benchmark request");
	let req = SignatureRequests::<T>::get(id).expect("request");
	let RequestStatus::Assigned { signers, .. } = &req.status else { panic!("not assigned") };
	let committee = Keys::<T>::get(r.key).expect("key").committee;
	let members = Committees::<T>::get(committee).expect("committee").members;
	let member = members[usize::from(signers[0])].clone();
	let (signature, recovery_id) = test_key().sign(r.path, r.scheme, r.payload);
	ThresholdSigners::<T>::do_submit_signature(member, id, signature, recovery_id)
		.expect("benchmark signature");
	id
}

/// A keygen of a committee of `n` fresh signers, of which the last `reported` reported
/// [`test_key`]: `(members, key)`.
fn generating_key<T: Config>(n: u32, reported: u32) -> (Vec<T::AccountId>, KeyId) {
	let members = register::<T>(n);
	let committee =
		ThresholdSigners::<T>::do_create_committee(BoundedVec::truncate_from(members.clone()), 2)
			.expect("committee");
	let key = ThresholdSigners::<T>::do_request_keygen(committee).expect("keygen");
	let k = test_key();
	for m in members.iter().rev().take(reported as usize) {
		ThresholdSigners::<T>::do_report_keygen(m.clone(), key, k.public_key(), k.chain_code())
			.expect("report");
	}
	(members, key)
}

/// An account with plenty of funds.
fn funded<T: Config>(name: &'static str) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&who, rich::<T>());
	who
}

/// The deepest privileged path, distinct per `i`.
fn path<T: Config>(i: u32) -> Vec<u32> {
	let mut p = vec![i; T::MaxPathDepth::get() as usize];
	p[0] = namespace::PRIVILEGED;
	p
}

/// A paid request for `key` on path `path::<T>(i)` with the longest payload.
fn paid_request<T: Config>(payer: &T::AccountId, key: KeyId, i: u32) -> RequestId {
	let payload = vec![i as u8; T::MaxPayloadLen::get() as usize];
	ThresholdSigners::<T>::do_request_signature(
		RequestOwner::privileged(),
		Some(payer),
		key,
		&path::<T>(i),
		&payload,
		HashScheme::Keccak256,
	)
	.expect("benchmark request")
}

/// Fills `key`'s signing slots with paid requests and queues one more; returns them all.
fn full_slots_and_one_queued<T: Config>(payer: &T::AccountId, key: KeyId) -> Vec<RequestId> {
	(0..=T::MaxAssignedPerKey::get()).map(|i| paid_request::<T>(payer, key, i)).collect()
}

/// The test key's signature for a request.
fn signature_for<T: Config>(request: RequestId) -> ([u8; 64], u8) {
	let req = SignatureRequests::<T>::get(request).expect("request exists");
	test_key().sign(&req.path, req.scheme, &req.payload)
}

#[benchmarks(where T: Send + Sync, T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_signer() {
		let who = signer::<T>(0);
		#[extrinsic_call]
		_(RawOrigin::Root, who.clone(), [1u8; 32], endpoint::<T>(b'a'));
		assert!(Signers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn update_signer() {
		let who = register::<T>(1).remove(0);
		#[extrinsic_call]
		_(RawOrigin::Root, who.clone(), Some([2u8; 32]), Some(endpoint::<T>(b'b')));
		assert_eq!(Signers::<T>::get(&who).expect("registered").p2p_key, [2u8; 32]);
	}

	#[benchmark]
	fn deregister_signer() {
		let who = register::<T>(1).remove(0);
		#[extrinsic_call]
		_(RawOrigin::Root, who.clone());
		assert!(!Signers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn create_committee(n: Linear<2, { T::MaxCommitteeSize::get() }>) {
		let members = BoundedVec::truncate_from(register::<T>(n));
		#[extrinsic_call]
		_(RawOrigin::Root, members, n as u16);
		assert!(Committees::<T>::contains_key(0));
	}

	#[benchmark]
	fn dissolve_committee(n: Linear<2, { T::MaxCommitteeSize::get() }>) {
		let members = BoundedVec::truncate_from(register::<T>(n));
		let committee = ThresholdSigners::<T>::do_create_committee(members, 2).expect("committee");
		#[extrinsic_call]
		_(RawOrigin::Root, committee);
		assert!(!Committees::<T>::contains_key(committee));
	}

	#[benchmark]
	fn request_keygen(n: Linear<2, { T::MaxCommitteeSize::get() }>) {
		let members = BoundedVec::truncate_from(register::<T>(n));
		let committee = ThresholdSigners::<T>::do_create_committee(members, 2).expect("committee");
		#[extrinsic_call]
		_(RawOrigin::Root, committee);
		assert!(Keys::<T>::contains_key(0));
	}

	/// The last report: it reads every member's report and activates the key.
	#[benchmark]
	fn report_keygen(n: Linear<2, { T::MaxCommitteeSize::get() }>) {
		let (members, key) = generating_key::<T>(n, n - 1);
		let k = test_key();
		#[extrinsic_call]
		_(RawOrigin::Signed(members[0].clone()), key, k.public_key(), k.chain_code());
		assert!(ThresholdSigners::<T>::active_key(key).is_ok());
	}

	/// Retiring a key with `q` paid requests, assigned ones first.
	#[benchmark]
	fn retire_key(q: Linear<0, { T::MaxQueuedPerKey::get() + T::MaxAssignedPerKey::get() }>) {
		let key = active_test_key::<T>(T::MaxCommitteeSize::get(), 2);
		let payer = funded::<T>("payer");
		for i in 0..q {
			paid_request::<T>(&payer, key, i);
		}
		#[extrinsic_call]
		_(RawOrigin::Root, key);
		assert_eq!(Keys::<T>::get(key).expect("key").status, KeyStatus::Retired);
	}

	/// A privileged request at the deepest path with the longest payload, first on its
	/// prefix (the owner record is written).
	#[benchmark]
	fn request_signature(
		d: Linear<1, { T::MaxPathDepth::get() }>,
		p: Linear<1, { T::MaxPayloadLen::get() }>,
	) {
		let key = active_test_key::<T>(T::MaxCommitteeSize::get(), 2);
		let path: PathOf<T> = BoundedVec::truncate_from(path::<T>(7)[..d as usize].to_vec());
		let payload = BoundedVec::truncate_from(vec![1u8; p as usize]);
		#[extrinsic_call]
		_(RawOrigin::Root, key, path, payload, HashScheme::Keccak256);
		assert!(SignatureRequests::<T>::contains_key(0));
	}

	/// A signature for a paid request of a committee where every member signs (the fee is
	/// split `n` ways) while another request waits to be promoted into the freed slot.
	#[benchmark]
	fn submit_signature() {
		let n = T::MaxCommitteeSize::get();
		let key = active_test_key::<T>(n, n as u16);
		let payer = funded::<T>("payer");
		let requests = full_slots_and_one_queued::<T>(&payer, key);
		let (signature, recovery_id) = signature_for::<T>(requests[0]);
		#[extrinsic_call]
		_(RawOrigin::Signed(signer::<T>(0)), requests[0], signature, recovery_id);
		assert!(matches!(
			SignatureRequests::<T>::get(requests[0]).expect("request").status,
			RequestStatus::Signed { .. }
		));
		assert!(Queue::<T>::get(key).is_empty());
	}

	/// Cancelling an assigned request (its fee paid out) and promoting a queued one.
	#[benchmark]
	fn cancel_request() {
		let n = T::MaxCommitteeSize::get();
		let key = active_test_key::<T>(n, n as u16);
		let payer = funded::<T>("payer");
		let requests = full_slots_and_one_queued::<T>(&payer, key);
		// Privileged-owned and paid: the worst of both.
		#[extrinsic_call]
		_(RawOrigin::Root, requests[0]);
		assert!(Queue::<T>::get(key).is_empty());
	}

	/// Pool validation of a signature: lookups and one secp256k1 recovery.
	#[benchmark]
	fn check_signer_submission() {
		let key = active_test_key::<T>(T::MaxCommitteeSize::get(), 2);
		let payer = funded::<T>("payer");
		let request = paid_request::<T>(&payer, key, 1);
		let (signature, recovery_id) = signature_for::<T>(request);
		let call = Call::<T>::submit_signature { request, signature, recovery_id };
		let who = signer::<T>(0);
		#[block]
		{
			let verdict = CheckSignerSubmission::<T>::validity(&who, &call);
			assert!(matches!(verdict, Some(Ok(_))));
		}
	}

	/// `on_initialize` with an empty agenda.
	#[benchmark]
	fn agenda_empty() {
		let now = frame_system::Pallet::<T>::block_number();
		AgendaCursor::<T>::put(now);
		#[block]
		{
			ThresholdSigners::<T>::on_initialize(now);
		}
	}

	/// A keygen of `n` members expiring with half of them silent.
	#[benchmark]
	fn agenda_keygen_expiry(n: Linear<2, { T::MaxCommitteeSize::get() }>) {
		let (_, key) = generating_key::<T>(n, n / 2);
		#[block]
		{
			ThresholdSigners::<T>::expire_keygen(key);
		}
		assert!(matches!(Keys::<T>::get(key).expect("key").status, KeyStatus::Failed { .. }));
	}

	/// The last attempt of a paid request expires with every member assigned: counters of all
	/// of them, the failure (deposit and fee returned), and a queued request promoted.
	#[benchmark]
	fn agenda_attempt_expiry() {
		let n = T::MaxCommitteeSize::get();
		let key = active_test_key::<T>(n, n as u16);
		let payer = funded::<T>("payer");
		let requests = full_slots_and_one_queued::<T>(&payer, key);
		let request = requests[0];
		let last = T::MaxSigningAttempts::get().saturating_sub(1);
		SignatureRequests::<T>::mutate(request, |r| {
			if let Some(RequestStatus::Assigned { attempt, .. }) = r.as_mut().map(|r| &mut r.status)
			{
				*attempt = last;
			}
		});
		let now = frame_system::Pallet::<T>::block_number();
		#[block]
		{
			ThresholdSigners::<T>::expire_attempt(request, last, now);
		}
		assert!(matches!(
			SignatureRequests::<T>::get(request).expect("request").status,
			RequestStatus::Failed { .. }
		));
	}

	/// A report that completes the quorum against a signer with one fault short of the
	/// removal suggestion, in the last attempt of a paid request of the largest committee
	/// (`t = n - 1`, so the quorum is `n - 1`): the fault is recorded, the request fails
	/// (deposit and fee returned) and a queued request is promoted, reading every member's
	/// record.
	#[benchmark]
	fn report_fault() {
		let n = T::MaxCommitteeSize::get();
		let t = (n - 1) as u16;
		let key = active_test_key::<T>(n, t);
		let payer = funded::<T>("payer");
		let requests = full_slots_and_one_queued::<T>(&payer, key);
		let request = requests[0];
		let last = T::MaxSigningAttempts::get().saturating_sub(1);
		SignatureRequests::<T>::mutate(request, |r| {
			if let Some(RequestStatus::Assigned { attempt, .. }) = r.as_mut().map(|r| &mut r.status)
			{
				*attempt = last;
			}
		});
		let RequestStatus::Assigned { signers, .. } =
			SignatureRequests::<T>::get(request).expect("request").status
		else {
			panic!("not assigned")
		};
		let (reporter, accused) = (signers[0], signers[1]);
		let committee = Keys::<T>::get(key).expect("key").committee;
		let now = frame_system::Pallet::<T>::block_number();
		let quorum = ThresholdSigners::<T>::fault_quorum(t);
		let others = (0..n as MemberIndex).filter(|m| *m != reporter && *m != accused);
		let earlier: Vec<FaultReport<T>> = others
			.take(quorum.saturating_sub(1) as usize)
			.map(|m| FaultReport { reporter: m, reason: FaultReason::InvalidEncProof, at: now })
			.collect();
		FaultReports::<T>::insert(committee, accused, BoundedVec::truncate_from(earlier));
		let accused_account = signer::<T>(accused.into());
		SignerRecords::<T>::mutate(&accused_account, |r| {
			r.faults = T::FaultsForRemoval::get().saturating_sub(1)
		});
		#[extrinsic_call]
		_(
			RawOrigin::Signed(signer::<T>(reporter.into())),
			request,
			last,
			accused,
			FaultReason::InvalidEncProof,
		);
		assert!(SignerRecords::<T>::get(&accused_account).is_excluded(now));
		assert!(matches!(
			SignatureRequests::<T>::get(request).expect("request").status,
			RequestStatus::Failed { .. }
		));
	}

	/// Pruning an ended request with the longest payload.
	#[benchmark]
	fn agenda_prune() {
		let key = active_test_key::<T>(T::MaxCommitteeSize::get(), 2);
		let payer = funded::<T>("payer");
		let request = paid_request::<T>(&payer, key, 1);
		ThresholdSigners::<T>::do_cancel(&RequestOwner::privileged(), request).expect("cancel");
		#[block]
		{
			ThresholdSigners::<T>::prune(request);
		}
		assert!(!SignatureRequests::<T>::contains_key(request));
	}

	impl_benchmark_test_suite!(ThresholdSigners, crate::mock::new_test_ext(), crate::mock::Test);
}
