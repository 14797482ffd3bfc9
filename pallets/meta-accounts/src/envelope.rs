//! Unsigned transactions: envelopes, and Meta-Accounts created without a Substrate key.
//!
//! Each goes through three gates:
//! 1. **pool** ([`ValidateUnsigned::validate_unsigned`]): every check, the proof's signature
//!    included, so that nothing invalid or unpaid is gossiped;
//! 2. **right before inclusion** ([`ValidateUnsigned::pre_dispatch`]): the state checks again
//!    (nonce, validity window, fee payer), so a transaction that went stale in the pool is
//!    left out of the block;
//! 3. **dispatch**: the proof is verified once more — this cost is inside the call's weight —
//!    then the fee is held, the nonce used, the call dispatched and the fee for its actual
//!    weight burnt.

use crate::{pallet::*, types::*, weights::WeightInfo, BalanceOf, MetaAccountOrigin};
use codec::Encode;
use frame_support::{
	dispatch::{extract_actual_weight, GetDispatchInfo, PostDispatchInfo},
	ensure,
	pallet_prelude::*,
	traits::{IsType, OriginTrait},
};
use sp_runtime::{
	traits::{Dispatchable, Saturating},
	DispatchError, ModuleError,
};
use waas_traits::AccountActivity;

/// Bytes an unsigned transaction adds to its call: the pallet index, the extrinsic version byte
/// and (at most) a 2-byte compact length — counted for its fee.
pub const UNSIGNED_OVERHEAD: u32 = 4;

/// How many nonces ahead of its Meta-Account an envelope may wait in the pool.
pub const MAX_FUTURE_NONCES: u64 = 16;

/// An envelope that passed its checks: the Meta-Account, the authenticator's record and the
/// fee to hold.
type CheckedEnvelope<T> = (MetaAccountOf<T>, AuthenticatorInfoOf<T>, BalanceOf<T>);

/// A creation that passed its checks: the new authenticator, its passkey credential, the new
/// Meta-Account's id and the fee.
type CheckedCreation<T> =
	(AuthenticatorKeyOf<T>, Option<PasskeyCredential>, MetaAccountId, BalanceOf<T>);

/// The pool's answer for a call that dispatch would refuse with `error`: the standard codes for
/// a used nonce, a future nonce and an unpaid fee, otherwise `Custom(index of the error)`.
pub(crate) fn refuse<T: Config>(error: DispatchError) -> TransactionValidityError {
	if error == Error::<T>::StaleNonce.into() {
		return InvalidTransaction::Stale.into();
	}
	if error == Error::<T>::FutureNonce.into() {
		return InvalidTransaction::Future.into();
	}
	if error == Error::<T>::CannotPayFee.into() {
		return InvalidTransaction::Payment.into();
	}
	match error {
		DispatchError::Module(ModuleError { error, .. }) => {
			InvalidTransaction::Custom(error[0]).into()
		},
		_ => InvalidTransaction::Call.into(),
	}
}

impl<T: Config> Pallet<T> {
	/// The length of the unsigned transaction `dispatch_envelope(envelope, proof)`.
	fn envelope_len(envelope: &EnvelopeOf<T>, proof: &EnvelopeProof) -> u32 {
		// The call index, then the arguments: what `Call::encoded_size` counts.
		(1 + envelope.encoded_size() + proof.encoded_size()) as u32 + UNSIGNED_OVERHEAD
	}

	/// The length of the unsigned transaction `create_with_authenticator(new, fee_payer)`.
	fn creation_len(new: &NewAuthenticator, fee_payer: &FeePayer<T::AccountId>) -> u32 {
		(1 + new.encoded_size() + fee_payer.encoded_size()) as u32 + UNSIGNED_OVERHEAD
	}

	/// The weight of verifying `proof`.
	fn proof_weight(proof: &EnvelopeProof) -> Weight {
		match proof {
			EnvelopeProof::Passkey(_) => T::WeightInfo::dispatch_envelope_passkey(),
			EnvelopeProof::Evm(_) => T::WeightInfo::dispatch_envelope_evm(),
		}
	}

	/// The weight of `dispatch_envelope(envelope, proof)`: the proof's verification and the
	/// envelope's bookkeeping, plus its call's own weight.
	pub fn envelope_weight(envelope: &EnvelopeOf<T>, proof: &EnvelopeProof) -> Weight {
		Self::proof_weight(proof).saturating_add(envelope.call.get_dispatch_info().total_weight())
	}

	/// The weight of verifying and adding `new`.
	pub fn new_authenticator_weight(new: &NewAuthenticator) -> Weight {
		match new {
			NewAuthenticator::Passkey(_) => T::WeightInfo::add_passkey(),
			NewAuthenticator::Evm { .. } => T::WeightInfo::add_evm_wallet(),
		}
		.saturating_add(T::Activity::record_weight())
	}

	/// The weight of `create_with_authenticator(new, _)`.
	pub fn creation_weight(new: &NewAuthenticator) -> Weight {
		match new {
			NewAuthenticator::Passkey(_) => T::WeightInfo::create_with_passkey(),
			NewAuthenticator::Evm { .. } => T::WeightInfo::create_with_evm_wallet(),
		}
		.saturating_add(T::Activity::open_weight())
	}

	/// The fee of an unsigned transaction of `len` bytes and `weight`.
	pub fn unsigned_fee(len: u32, weight: Weight) -> BalanceOf<T> {
		T::UnsignedFee::fee(len, weight)
	}

	/// The fee `dispatch_envelope(envelope, proof)` holds before its call runs.
	pub fn envelope_fee(envelope: &EnvelopeOf<T>, proof: &EnvelopeProof) -> BalanceOf<T> {
		Self::unsigned_fee(
			Self::envelope_len(envelope, proof),
			Self::envelope_weight(envelope, proof),
		)
	}

	/// The most `envelope` can cost: its fee with a passkey proof of the largest size.
	pub fn max_envelope_fee(envelope: &EnvelopeOf<T>) -> BalanceOf<T> {
		// The proof's variant byte, three compact lengths (at most 2 bytes each) and the data.
		let proof = 1
			+ 3 * 2 + MAX_AUTHENTICATOR_DATA_LEN
			+ MAX_CLIENT_DATA_JSON_LEN
			+ MAX_DER_SIGNATURE_LEN;
		let len = (1 + envelope.encoded_size() as u32).saturating_add(proof) + UNSIGNED_OVERHEAD;
		let weight = T::WeightInfo::dispatch_envelope_passkey()
			.max(T::WeightInfo::dispatch_envelope_evm())
			.saturating_add(envelope.call.get_dispatch_info().total_weight());
		Self::unsigned_fee(len, weight)
	}

	/// The account an unsigned fee of `meta_account` is taken from.
	fn fee_account(
		meta_account: &MetaAccountId,
		fee_payer: &FeePayer<T::AccountId>,
	) -> T::AccountId {
		match fee_payer {
			FeePayer::MetaAccount => Self::sovereign_account(meta_account),
			FeePayer::Sponsor(sponsor) => sponsor.clone(),
		}
	}

	/// Checks that `fee_payer` can pay `fee` for `meta_account` and that its sovereign account
	/// can, on top of that, hold `sovereign_holds`.
	fn ensure_can_pay(
		meta_account: &MetaAccountId,
		fee_payer: &FeePayer<T::AccountId>,
		fee: BalanceOf<T>,
		sovereign_holds: BalanceOf<T>,
	) -> Result<(), Error<T>> {
		let sovereign = Self::spendable(&Self::sovereign_account(meta_account));
		match fee_payer {
			FeePayer::MetaAccount => {
				ensure!(sovereign >= fee.saturating_add(sovereign_holds), Error::<T>::CannotPayFee)
			},
			FeePayer::Sponsor(sponsor) => {
				let (allowance, _) = Sponsorships::<T>::get(sponsor, meta_account)
					.ok_or(Error::<T>::NoSponsorship)?;
				ensure!(allowance >= fee, Error::<T>::NoSponsorship);
				ensure!(Self::spendable(sponsor) >= fee, Error::<T>::CannotPayFee);
				ensure!(sovereign >= sovereign_holds, Error::<T>::CannotPayFee);
			},
		}
		Ok(())
	}

	/// Every check of an envelope but its proof; `exact_nonce` for inclusion, else a future
	/// nonce may wait. Returns the Meta-Account, the authenticator and the fee to hold.
	fn check_envelope(
		envelope: &EnvelopeOf<T>,
		proof: &EnvelopeProof,
		exact_nonce: bool,
	) -> Result<CheckedEnvelope<T>, Error<T>> {
		let id = envelope.meta_account;
		let meta = MetaAccounts::<T>::get(id).ok_or(Error::<T>::UnknownMetaAccount)?;
		let info = Authenticators::<T>::get(id, &envelope.authenticator)
			.ok_or(Error::<T>::NotAuthenticator)?;
		ensure!(
			!matches!(envelope.authenticator, AuthenticatorKey::Substrate(_)),
			Error::<T>::UnsupportedAuthenticator
		);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= envelope.valid_until, Error::<T>::EnvelopeExpired);
		ensure!(
			envelope.valid_until <= now.saturating_add(T::MaxEnvelopeLifetime::get()),
			Error::<T>::EnvelopeTooLongLived
		);
		ensure!(envelope.nonce >= meta.nonce, Error::<T>::StaleNonce);
		let ahead = envelope.nonce - meta.nonce;
		ensure!(
			if exact_nonce { ahead == 0 } else { ahead < MAX_FUTURE_NONCES },
			Error::<T>::FutureNonce
		);
		ensure!(T::RoleFilter::allows(info.role, &envelope.call), Error::<T>::CallNotAllowed);
		let fee = Self::envelope_fee(envelope, proof);
		Self::ensure_can_pay(&id, &envelope.fee_payer, fee, Zero::zero())?;
		Ok((meta, info, fee))
	}

	/// Pool validation of an envelope.
	pub(crate) fn validate_envelope(
		envelope: &EnvelopeOf<T>,
		proof: &EnvelopeProof,
	) -> TransactionValidity {
		let (meta, info, fee) =
			Self::check_envelope(envelope, proof, false).map_err(|e| refuse::<T>(e.into()))?;
		Self::verify_envelope_proof(envelope, proof, &info).map_err(refuse::<T>)?;
		let now = frame_system::Pallet::<T>::block_number();
		let longevity: u64 = sp_runtime::SaturatedConversion::saturated_into(
			envelope.valid_until.saturating_sub(now),
		);
		let tag = |nonce: u64| (b"waas/envelope", envelope.meta_account, nonce).encode();
		let priority = T::UnsignedFee::priority(
			Self::envelope_len(envelope, proof),
			Self::envelope_weight(envelope, proof),
			fee,
		);
		let mut valid = ValidTransaction::with_tag_prefix("WaasMetaAccounts")
			.priority(priority)
			.and_provides(tag(envelope.nonce))
			.longevity(longevity.saturating_add(1))
			.propagate(true);
		if envelope.nonce > meta.nonce {
			valid = valid.and_requires(tag(envelope.nonce - 1));
		}
		valid.build()
	}

	/// The checks right before an envelope is included.
	pub(crate) fn pre_dispatch_envelope(
		envelope: &EnvelopeOf<T>,
		proof: &EnvelopeProof,
	) -> Result<(), TransactionValidityError> {
		Self::check_envelope(envelope, proof, true).map(|_| ()).map_err(|e| refuse::<T>(e.into()))
	}

	/// Verifies, pays for and dispatches an envelope.
	pub(crate) fn do_dispatch_envelope(
		envelope: EnvelopeOf<T>,
		proof: EnvelopeProof,
	) -> DispatchResultWithPostInfo {
		let (_, info, fee) = Self::check_envelope(&envelope, &proof, true)?;
		let passkey = Self::verify_envelope_proof(&envelope, &proof, &info)?;
		let id = envelope.meta_account;
		let payer = Self::fee_account(&id, &envelope.fee_payer);
		Self::hold(HoldReason::UnsignedFee, &payer, fee)?;
		// The nonce and the passkey's counter are used whatever the call does.
		MetaAccounts::<T>::mutate(id, |maybe| {
			if let Some(meta) = maybe {
				meta.nonce = meta.nonce.saturating_add(1);
			}
		});
		if passkey.is_some() {
			Authenticators::<T>::mutate(id, &envelope.authenticator, |maybe| {
				if let Some(stored) = maybe {
					stored.passkey = passkey;
				}
			});
		}

		let role = info.role;
		let origin = MetaAccountOrigin {
			meta_account: id,
			authenticator: envelope.authenticator.clone(),
			role,
		};
		let mut origin: <T as frame_system::Config>::RuntimeOrigin =
			<T as Config>::RuntimeOrigin::from(origin).into();
		origin.add_filter(move |call: &<T as frame_system::Config>::RuntimeCall| {
			T::RoleFilter::allows(role, <T as Config>::RuntimeCall::from_ref(call))
		});
		let len = Self::envelope_len(&envelope, &proof);
		let call_info = envelope.call.get_dispatch_info();
		let result = envelope.call.dispatch(origin);

		let weight =
			Self::proof_weight(&proof).saturating_add(extract_actual_weight(&result, &call_info));
		let charged = Self::unsigned_fee(len, weight).min(fee);
		Self::settle_fee(&payer, fee, charged);
		if let FeePayer::Sponsor(sponsor) = &envelope.fee_payer {
			Self::spend_allowance(sponsor, id, charged);
		}
		Self::deposit_event(Event::EnvelopeDispatched {
			meta_account: id,
			authenticator: envelope.authenticator,
			nonce: envelope.nonce,
			fee: charged,
			result: result.map(|_| ()).map_err(|e| e.error),
		});
		Ok(PostDispatchInfo { actual_weight: Some(weight), pays_fee: Pays::Yes })
	}

	/// Every check of a creation; with `verify` the possession proof too. Returns the new
	/// authenticator, its passkey credential, the new id and the fee.
	fn check_creation(
		new: &NewAuthenticator,
		fee_payer: &FeePayer<T::AccountId>,
		verify: bool,
	) -> Result<CheckedCreation<T>, DispatchError> {
		let key = Self::new_authenticator_key(new)?;
		ensure!(!AuthenticatorOf::<T>::contains_key(&key), Error::<T>::AlreadyAuthenticator);
		let creation_nonce = CreationNonce::<T>::get(&key);
		let id = Self::meta_account_id(&key, creation_nonce);
		ensure!(!MetaAccounts::<T>::contains_key(id), Error::<T>::IdCollision);
		let fee =
			Self::unsigned_fee(Self::creation_len(new, fee_payer), Self::creation_weight(new));
		Self::ensure_can_pay(&id, fee_payer, fee, Self::authenticator_deposit())?;
		let passkey = if verify {
			let target = PossessionTarget::NewMetaAccount { creation_nonce };
			let (verified, passkey) = Self::verify_possession(new, &target, Role::Owner)?;
			ensure!(verified == key, Error::<T>::PasskeyMalformedAttestation);
			passkey
		} else {
			None
		};
		Ok((key, passkey, id, fee))
	}

	/// Pool validation of a creation.
	pub(crate) fn validate_creation(
		new: &NewAuthenticator,
		fee_payer: &FeePayer<T::AccountId>,
	) -> TransactionValidity {
		let (key, _, _, fee) = Self::check_creation(new, fee_payer, true).map_err(refuse::<T>)?;
		let longevity: u64 =
			sp_runtime::SaturatedConversion::saturated_into(T::MaxEnvelopeLifetime::get());
		let priority = T::UnsignedFee::priority(
			Self::creation_len(new, fee_payer),
			Self::creation_weight(new),
			fee,
		);
		ValidTransaction::with_tag_prefix("WaasMetaAccounts")
			.priority(priority)
			.and_provides((b"waas/create", key).encode())
			.longevity(longevity.max(1))
			.propagate(true)
			.build()
	}

	/// The checks right before a creation is included.
	pub(crate) fn pre_dispatch_creation(
		new: &NewAuthenticator,
		fee_payer: &FeePayer<T::AccountId>,
	) -> Result<(), TransactionValidityError> {
		Self::check_creation(new, fee_payer, false).map(|_| ()).map_err(refuse::<T>)
	}

	/// Verifies, pays for and performs a creation.
	pub(crate) fn do_create_unsigned(
		new: NewAuthenticator,
		fee_payer: FeePayer<T::AccountId>,
	) -> DispatchResultWithPostInfo {
		let (key, passkey, id, fee) = Self::check_creation(&new, &fee_payer, true)?;
		let payer = Self::fee_account(&id, &fee_payer);
		Self::hold(HoldReason::UnsignedFee, &payer, fee)?;
		let created = Self::do_create(key, passkey, Self::sovereign_account(&id))?;
		debug_assert_eq!(created, id);
		Self::settle_fee(&payer, fee, fee);
		if let FeePayer::Sponsor(sponsor) = &fee_payer {
			Self::spend_allowance(sponsor, id, fee);
		}
		Ok(().into())
	}
}
