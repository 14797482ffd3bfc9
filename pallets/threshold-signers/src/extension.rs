//! [`CheckSignerSubmission`]: pool validation of signers' free, operational submissions.
//!
//! `report_keygen`, `submit_signature` and `report_fault` pay no fee and use the operational
//! share of block space, so signers need no balance and spam in normal transactions cannot
//! keep them out. The price of that is that junk must never reach a block: this extension
//! admits them only from a committee member for a session that is open (a keygen the member
//! has not reported yet, within its window; a signature request that is assigned, with a
//! signature that verifies; a fault report by a signer of the current attempt against another
//! one), and gives them a high priority and a tag per session, so that of duplicates from
//! several members only one is included. It runs again when a block applies them, so a
//! submission that an earlier one in the same block made stale is dropped, not included.
//! Every other call passes through untouched.
//!
//! A refused submission gets `InvalidTransaction::Custom(code)`, where `code` is the index of
//! the pallet's [`Error`] variant that dispatch would have returned.

use crate::{pallet::*, weights::WeightInfo};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame_support::{
	pallet_prelude::{TransactionSource, TypeInfo},
	traits::{Get, IsSubType, OriginTrait},
	DefaultNoBound,
};
use sp_runtime::{
	impl_tx_ext_default,
	traits::{DispatchInfoOf, TransactionExtension, ValidateResult},
	transaction_validity::{InvalidTransaction, TransactionPriority, ValidTransaction},
	Weight,
};

/// Priority of valid signer submissions: above any fee-based priority of normal traffic.
pub const SUBMISSION_PRIORITY: TransactionPriority = TransactionPriority::MAX / 2;

/// Validates signers' submissions in the transaction pool (see the module docs).
#[derive(Encode, Decode, DecodeWithMemTracking, DefaultNoBound, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckSignerSubmission<T>(PhantomData<T>);

impl<T> CheckSignerSubmission<T> {
	/// The extension (it carries no data).
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> core::fmt::Debug for CheckSignerSubmission<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckSignerSubmission")
	}
}

fn refuse<T: Config>(error: Error<T>) -> InvalidTransaction {
	InvalidTransaction::Custom(error.encode().first().copied().unwrap_or(u8::MAX))
}

impl<T: Config + Send + Sync> CheckSignerSubmission<T> {
	/// The pool validity of `call` from `who`: `None` if it is not a signer submission.
	pub fn validity(
		who: &T::AccountId,
		call: &Call<T>,
	) -> Option<Result<ValidTransaction, InvalidTransaction>> {
		let (tag, longevity) = match call {
			Call::report_keygen { key, public_key, .. } => {
				if let Err(e) = Pallet::<T>::check_keygen_report(who, *key, public_key) {
					return Some(Err(refuse(e)));
				}
				((b"waas/keygen", key, who).encode(), T::KeygenTimeoutBase::get())
			},
			Call::submit_signature { request, signature, recovery_id } => {
				if let Err(e) = Pallet::<T>::check_signature(who, *request, signature, *recovery_id)
				{
					return Some(Err(refuse(e)));
				}
				((b"waas/signature", request).encode(), T::SigningTimeout::get())
			},
			Call::report_fault { request, attempt, accused, .. } => {
				if let Err(e) = Pallet::<T>::check_fault_report(who, *request, *attempt, *accused) {
					return Some(Err(refuse(e)));
				}
				// One report ends the attempt: the pool keeps the first and refuses the others.
				((b"waas/fault", request, attempt).encode(), T::SigningTimeout::get())
			},
			_ => return None,
		};
		let longevity: u64 = sp_runtime::SaturatedConversion::saturated_into(longevity);
		Some(
			ValidTransaction::with_tag_prefix("WaasSigner")
				.priority(SUBMISSION_PRIORITY)
				.and_provides(tag)
				.longevity(longevity.max(1))
				.propagate(true)
				.build()
				.map_err(|_| InvalidTransaction::Call),
		)
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckSignerSubmission<T>
where
	T::RuntimeCall: IsSubType<Call<T>>,
{
	const IDENTIFIER: &'static str = "CheckSignerSubmission";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		match call.is_sub_type() {
			Some(Call::report_keygen { .. })
			| Some(Call::submit_signature { .. })
			| Some(Call::report_fault { .. }) => T::WeightInfo::check_signer_submission(),
			_ => Weight::zero(),
		}
	}

	fn validate(
		&self,
		origin: T::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let verdict = match (origin.as_signer(), call.is_sub_type()) {
			(Some(who), Some(call)) => Self::validity(who, call),
			_ => None,
		};
		match verdict {
			None => Ok((Default::default(), (), origin)),
			Some(Ok(valid)) => Ok((valid, (), origin)),
			Some(Err(invalid)) => Err(invalid.into()),
		}
	}

	impl_tx_ext_default!(T::RuntimeCall; prepare);
}
