//! Pool validation of signers' submissions.

use super::*;
use crate::{extension::SUBMISSION_PRIORITY, CheckSignerSubmission};
use codec::Encode;
use frame_support::dispatch::{DispatchClass, GetDispatchInfo, Pays};
use sp_runtime::{
	traits::DispatchTransaction,
	transaction_validity::{
		InvalidTransaction, TransactionSource::External, TransactionValidityError,
	},
};

fn validate(
	who: u64,
	call: Call<Test>,
) -> Result<sp_runtime::transaction_validity::ValidTransaction, TransactionValidityError> {
	let call: RuntimeCall = call.into();
	let info = call.get_dispatch_info();
	CheckSignerSubmission::<Test>::new()
		.validate_only(Some(who).into(), &call, &info, 0, External, 0)
		.map(|(valid, _, _)| valid)
}

fn code(e: Error<Test>) -> TransactionValidityError {
	InvalidTransaction::Custom(e.encode()[0]).into()
}

#[test]
fn submissions_are_free_and_operational() {
	let k = test_key();
	for call in [
		Call::<Test>::submit_signature { request: 0, signature: [0u8; 64], recovery_id: 0 },
		Call::<Test>::report_keygen {
			key: 0,
			public_key: k.public_key(),
			chain_code: k.chain_code(),
		},
		Call::<Test>::report_fault {
			request: 0,
			attempt: 0,
			accused: 1,
			reason: FaultReason::MalformedMessage,
		},
	] {
		let info = call.get_dispatch_info();
		assert_eq!((info.class, info.pays_fee), (DispatchClass::Operational, Pays::No));
	}
}

#[test]
fn only_valid_signatures_of_members_enter_the_pool() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		let request = request_for(10, key, 1, 0, b"payload").unwrap();
		let (sig, rid) = signature_for(request);
		let member = assigned_signers(request)[0];
		let valid =
			validate(member, Call::submit_signature { request, signature: sig, recovery_id: rid })
				.unwrap();
		assert_eq!(valid.priority, SUBMISSION_PRIORITY);
		assert_eq!(
			valid.provides,
			vec![("WaasSigner", (b"waas/signature", request).encode()).encode()]
		);
		// The same tag from another member: the pool keeps one of them.
		let other = (1..=3).find(|m| *m != member).unwrap();
		let from_other =
			validate(other, Call::submit_signature { request, signature: sig, recovery_id: rid })
				.unwrap();
		assert_eq!(from_other.provides, valid.provides);

		let (wrong, wrong_rid) = test_key().sign(&address_path(1, 0), HashScheme::Keccak256, b"x");
		assert_eq!(
			validate(
				member,
				Call::submit_signature { request, signature: wrong, recovery_id: wrong_rid }
			),
			Err(code(Error::InvalidSignature))
		);
		assert_eq!(
			validate(10, Call::submit_signature { request, signature: sig, recovery_id: rid }),
			Err(code(Error::NotCommitteeMember))
		);
		assert_eq!(
			validate(
				member,
				Call::submit_signature { request: 7, signature: sig, recovery_id: rid }
			),
			Err(code(Error::UnknownRequest))
		);
		// Other calls pass through untouched.
		assert_eq!(
			validate(10, Call::request_keygen { committee: 0 }).unwrap(),
			Default::default()
		);
	});
}

#[test]
fn only_open_keygen_reports_of_members_enter_the_pool() {
	build_and_execute(|| {
		register(3);
		let c = committee(&[1, 2, 3], 2);
		assert_ok!(ThresholdSigners::request_keygen(RuntimeOrigin::root(), c));
		let k = test_key();
		let report = |key| Call::<Test>::report_keygen {
			key,
			public_key: k.public_key(),
			chain_code: k.chain_code(),
		};
		assert!(validate(1, report(0)).is_ok());
		assert_eq!(validate(10, report(0)), Err(code(Error::NotCommitteeMember)));
		assert_eq!(validate(1, report(1)), Err(code(Error::UnknownKey)));
		assert_ok!(ThresholdSigners::report_keygen(
			RuntimeOrigin::signed(1),
			0,
			k.public_key(),
			k.chain_code()
		));
		assert_eq!(validate(1, report(0)), Err(code(Error::AlreadyReported)));
	});
}

#[test]
fn only_reports_within_the_current_attempt_enter_the_pool_one_per_attempt() {
	build_and_execute(|| {
		let key = active_key(3, 2);
		let request = request_for(10, key, 1, 0, b"payload").unwrap();
		let RequestStatus::Assigned { signers, .. } =
			SignatureRequests::<Test>::get(request).unwrap().status
		else {
			panic!("not assigned")
		};
		let (a, b) = (signers[0], signers[1]);
		let account = |i: MemberIndex| u64::from(i) + 1;
		let report = |attempt, accused| Call::<Test>::report_fault {
			request,
			attempt,
			accused,
			reason: FaultReason::InvalidEncProof,
		};
		let valid = validate(account(a), report(0, b)).unwrap();
		assert_eq!(valid.priority, SUBMISSION_PRIORITY);
		assert_eq!(
			valid.provides,
			vec![("WaasSigner", (b"waas/fault", request, 0u8).encode()).encode()]
		);
		// The other signer's counter-report carries the same tag: only one gets in.
		assert_eq!(validate(account(b), report(0, a)).unwrap().provides, valid.provides);
		assert_eq!(validate(account(a), report(0, a)), Err(code(Error::SelfAccusation)));
		assert_eq!(validate(account(a), report(1, b)), Err(code(Error::StaleAttempt)));
		let outsider = (0..3).find(|i| !signers.contains(i)).unwrap();
		assert_eq!(validate(account(outsider), report(0, a)), Err(code(Error::NotAttemptSigner)));
		assert_eq!(validate(10, report(0, a)), Err(code(Error::NotCommitteeMember)));
		// Once a report ended the attempt, the others are stale.
		assert_ok!(ThresholdSigners::report_fault(
			RuntimeOrigin::signed(account(a)),
			request,
			0,
			b,
			FaultReason::InvalidEncProof
		));
		assert_eq!(validate(account(b), report(0, a)), Err(code(Error::StaleAttempt)));
	});
}
