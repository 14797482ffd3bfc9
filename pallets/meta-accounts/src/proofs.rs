//! What authenticators sign, and how the runtime checks it.
//!
//! **Possession statement** (consent to join a Meta-Account with a role):
//! `digest = blake2_256("waas/possession/v1" ‖ genesis hash ‖ SCALE(PossessionTarget) ‖
//! SCALE(Role))`. A passkey signs it as the WebAuthn challenge of its registration (with
//! `packed` self-attestation) or of an assertion right after it (attestation `none`); an EVM
//! wallet signs its EIP-191 text or EIP-712 typed data.
//!
//! **Envelope** (a call for a Meta-Account): `digest = blake2_256("waas/envelope/v1" ‖
//! genesis hash ‖ meta-account ‖ SCALE(authenticator) ‖ nonce (u64 LE) ‖ SCALE(valid until) ‖
//! SCALE(fee payer) ‖ blake2_256(SCALE(call)))`. A passkey signs it as the challenge of an
//! assertion; an EVM wallet its EIP-191 text or EIP-712 typed data.
//!
//! The texts and typed data are built by [`waas_primitives::evm_auth`] from the digest and
//! the fields a wallet should show; the README has every byte.

use crate::{pallet::*, types::*, AuthenticatorInfoOf};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{ensure, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H160;
use sp_runtime::{traits::Zero, DispatchError, SaturatedConversion};
use waas_primitives::{
	evm_auth,
	webauthn::{self, Policy, WebAuthnError},
};

/// Domain tag of possession statements (18 bytes, no length prefix).
pub const POSSESSION_DOMAIN: [u8; 18] = *b"waas/possession/v1";
/// Domain tag of envelopes (16 bytes, no length prefix).
pub const ENVELOPE_DOMAIN: [u8; 16] = *b"waas/envelope/v1";

impl<T: Config> Pallet<T> {
	/// The chain's genesis hash, which every statement and envelope names.
	pub fn genesis_hash() -> [u8; 32] {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let bytes = hash.as_ref();
		let mut out = [0u8; 32];
		if bytes.len() == 32 {
			out.copy_from_slice(bytes);
		} else {
			out = sp_io::hashing::blake2_256(bytes);
		}
		out
	}

	/// The digest of the possession statement `(target, role)`.
	pub fn possession_digest(target: &PossessionTarget, role: Role) -> [u8; 32] {
		let mut bytes = Vec::with_capacity(18 + 32 + 41 + 1);
		bytes.extend_from_slice(&POSSESSION_DOMAIN);
		bytes.extend_from_slice(&Self::genesis_hash());
		target.encode_to(&mut bytes);
		role.encode_to(&mut bytes);
		sp_io::hashing::blake2_256(&bytes)
	}

	/// The digest of `envelope`.
	pub fn envelope_digest(envelope: &EnvelopeOf<T>) -> [u8; 32] {
		let mut bytes = Vec::with_capacity(16 + 32 + 32 + 300 + 8 + 8 + 33 + 32);
		bytes.extend_from_slice(&ENVELOPE_DOMAIN);
		bytes.extend_from_slice(&Self::genesis_hash());
		bytes.extend_from_slice(envelope.meta_account.as_bytes());
		envelope.authenticator.encode_to(&mut bytes);
		bytes.extend_from_slice(&envelope.nonce.to_le_bytes());
		envelope.valid_until.encode_to(&mut bytes);
		envelope.fee_payer.encode_to(&mut bytes);
		bytes.extend_from_slice(&envelope.call.using_encoded(sp_io::hashing::blake2_256));
		sp_io::hashing::blake2_256(&bytes)
	}

	/// What an EVM wallet is shown and signs for `envelope` with `digest`.
	fn evm_envelope(envelope: &EnvelopeOf<T>, digest: &[u8; 32]) -> evm_auth::Envelope {
		evm_auth::Envelope {
			genesis_hash: Self::genesis_hash(),
			meta_account: envelope.meta_account.to_fixed_bytes(),
			nonce: envelope.nonce,
			valid_until: envelope.valid_until.saturated_into::<u32>(),
			digest: *digest,
		}
	}

	/// What an EVM wallet is shown and signs to join `target` with `role`.
	fn evm_possession(
		target: &PossessionTarget,
		role: Role,
		digest: &[u8; 32],
	) -> evm_auth::Possession<'static> {
		evm_auth::Possession {
			genesis_hash: Self::genesis_hash(),
			account: match target {
				PossessionTarget::NewMetaAccount { creation_nonce } => {
					evm_auth::PossessionAccount::New { creation_nonce: *creation_nonce }
				},
				PossessionTarget::Existing { meta_account, .. } => {
					evm_auth::PossessionAccount::Existing(meta_account.to_fixed_bytes())
				},
			},
			role: role.name(),
			digest: *digest,
		}
	}

	/// The EIP-191 text an EVM wallet signs for `envelope` with `digest`.
	pub fn envelope_text(envelope: &EnvelopeOf<T>, digest: &[u8; 32]) -> Vec<u8> {
		Self::evm_envelope(envelope, digest).text().into_bytes()
	}

	/// The EIP-712 hash an EVM wallet signs for `envelope` with `digest`.
	pub fn envelope_typed_data_hash(envelope: &EnvelopeOf<T>, digest: &[u8; 32]) -> [u8; 32] {
		Self::evm_envelope(envelope, digest).hash(evm_auth::MessageFormat::Eip712)
	}

	/// The EIP-191 text an EVM wallet signs to join `target` with `role`.
	pub fn possession_text(target: &PossessionTarget, role: Role, digest: &[u8; 32]) -> Vec<u8> {
		Self::evm_possession(target, role, digest).text().into_bytes()
	}

	/// The EIP-712 hash an EVM wallet signs to join `target` with `role`.
	pub fn possession_typed_data_hash(
		target: &PossessionTarget,
		role: Role,
		digest: &[u8; 32],
	) -> [u8; 32] {
		Self::evm_possession(target, role, digest).hash(evm_auth::MessageFormat::Eip712)
	}

	/// The runtime's passkey policy.
	pub fn passkey_policy() -> Policy<'static> {
		Policy {
			relying_parties: T::RelyingParties::get(),
			require_user_verification: T::RequireUserVerification::get(),
		}
	}

	/// The key a new authenticator would have, without verifying its proof (cheap: for the
	/// checks right before inclusion).
	pub(crate) fn new_authenticator_key(
		new: &NewAuthenticator,
	) -> Result<AuthenticatorKeyOf<T>, DispatchError> {
		match new {
			NewAuthenticator::Evm { address, .. } => Ok(AuthenticatorKey::Evm(*address)),
			NewAuthenticator::Passkey(registration) => {
				let id = webauthn::registration_credential_id(&registration.attestation_object)
					.map_err(passkey_error::<T>)?;
				Ok(AuthenticatorKey::Passkey(
					CredentialId::try_from(id).map_err(|_| Error::<T>::CredentialIdTooLong)?,
				))
			},
		}
	}

	/// Verifies that `new` consents to join `target` with `role`; returns its key and, for a
	/// passkey, its credential.
	pub(crate) fn verify_possession(
		new: &NewAuthenticator,
		target: &PossessionTarget,
		role: Role,
	) -> Result<(AuthenticatorKeyOf<T>, Option<PasskeyCredential>), DispatchError> {
		let digest = Self::possession_digest(target, role);
		match new {
			NewAuthenticator::Passkey(registration) => {
				let policy = Self::passkey_policy();
				let verified = webauthn::verify_registration(
					&registration.attestation_object,
					&registration.client_data_json,
					&digest,
					&policy,
				)
				.map_err(passkey_error::<T>)?;
				let mut sign_count = verified.sign_count;
				let mut backup_state = verified.flags.backup_state;
				if !verified.self_attested {
					let assertion =
						registration.possession.as_ref().ok_or(Error::<T>::PossessionNotProven)?;
					let checked = webauthn::verify_assertion(
						&verified.public_key,
						&webauthn_assertion(assertion),
						&digest,
						&policy,
					)
					.map_err(passkey_error::<T>)?;
					sign_count = sign_count.max(checked.sign_count);
					backup_state = checked.flags.backup_state;
				}
				let credential_id = CredentialId::try_from(verified.credential_id)
					.map_err(|_| Error::<T>::CredentialIdTooLong)?;
				Ok((
					AuthenticatorKey::Passkey(credential_id),
					Some(PasskeyCredential {
						public_key: *verified.public_key.as_bytes(),
						sign_count,
						backup_eligible: verified.flags.backup_eligible,
						backup_state,
					}),
				))
			},
			NewAuthenticator::Evm { address, signature } => {
				let signer = Self::recover_evm(
					signature,
					|| Self::possession_text(target, role, &digest),
					|| Self::possession_typed_data_hash(target, role, &digest),
				)?;
				ensure!(signer == *address, Error::<T>::EvmSignerMismatch);
				Ok((AuthenticatorKey::Evm(*address), None))
			},
		}
	}

	/// Verifies that `proof` signs `envelope` for the authenticator `info`; returns the
	/// passkey's updated credential (counter, backup state) for a passkey.
	pub(crate) fn verify_envelope_proof(
		envelope: &EnvelopeOf<T>,
		proof: &EnvelopeProof,
		info: &AuthenticatorInfoOf<T>,
	) -> Result<Option<PasskeyCredential>, DispatchError> {
		let digest = Self::envelope_digest(envelope);
		match (&envelope.authenticator, proof, &info.passkey) {
			(AuthenticatorKey::Passkey(_), EnvelopeProof::Passkey(assertion), Some(credential)) => {
				let public_key = webauthn::PasskeyPublicKey::from_sec1(&credential.public_key)
					.map_err(passkey_error::<T>)?;
				let checked = webauthn::verify_assertion(
					&public_key,
					&webauthn_assertion(assertion),
					&digest,
					&Self::passkey_policy(),
				)
				.map_err(passkey_error::<T>)?;
				let sign_count = next_sign_count::<T>(credential.sign_count, checked.sign_count)?;
				Ok(Some(PasskeyCredential {
					sign_count,
					backup_state: checked.flags.backup_state,
					..credential.clone()
				}))
			},
			(AuthenticatorKey::Evm(address), EnvelopeProof::Evm(signature), None) => {
				let signer = Self::recover_evm(
					signature,
					|| Self::envelope_text(envelope, &digest),
					|| Self::envelope_typed_data_hash(envelope, &digest),
				)?;
				ensure!(signer == *address, Error::<T>::EvmSignerMismatch);
				Ok(None)
			},
			_ => Err(Error::<T>::ProofKindMismatch.into()),
		}
	}

	/// The address that signed the EIP-191 text or the EIP-712 hash (secp256k1 host function).
	fn recover_evm(
		signature: &EvmSignature,
		text: impl FnOnce() -> Vec<u8>,
		typed_data_hash: impl FnOnce() -> [u8; 32],
	) -> Result<H160, DispatchError> {
		let (signature, hash) = match signature {
			EvmSignature::PersonalSign(s) => (s, evm_auth::eip191_hash(&text())),
			EvmSignature::TypedData(s) => (s, typed_data_hash()),
		};
		// Low s and v in {0, 1}: the host function and k256 then agree on every signature.
		let signature = evm_auth::canonical_signature(signature)
			.map_err(|_| Error::<T>::EvmMalformedSignature)?;
		let public = sp_io::crypto::secp256k1_ecdsa_recover(&signature, &hash)
			.map_err(|_| Error::<T>::EvmRecoveryFailed)?;
		Ok(H160::from(evm_auth::evm_address_of(&public)))
	}
}

/// The counter a passkey keeps after an assertion reporting `reported`: 0 stays allowed for
/// passkeys that never count (synced passkeys); otherwise it must increase strictly.
pub(crate) fn next_sign_count<T: Config>(stored: u32, reported: u32) -> Result<u32, DispatchError> {
	if stored == 0 && reported == 0 {
		return Ok(0);
	}
	ensure!(reported > stored, Error::<T>::SignCountNotIncreasing);
	Ok(reported)
}

fn webauthn_assertion(assertion: &PasskeyAssertion) -> webauthn::Assertion<'_> {
	webauthn::Assertion {
		authenticator_data: &assertion.authenticator_data,
		client_data_json: &assertion.client_data_json,
		signature: &assertion.signature,
	}
}

/// The pallet error for a WebAuthn failure: one for one.
pub(crate) fn passkey_error<T: Config>(e: WebAuthnError) -> DispatchError {
	use WebAuthnError as W;
	match e {
		W::ClientDataTooLong => Error::<T>::PasskeyClientDataTooLong,
		W::AuthenticatorDataTooLong => Error::<T>::PasskeyAuthenticatorDataTooLong,
		W::AttestationObjectTooLong => Error::<T>::PasskeyAttestationTooLong,
		W::SignatureTooLong => Error::<T>::PasskeySignatureTooLong,
		W::MalformedClientData => Error::<T>::PasskeyMalformedClientData,
		W::WrongType => Error::<T>::PasskeyWrongType,
		W::MalformedChallenge => Error::<T>::PasskeyMalformedChallenge,
		W::ChallengeMismatch => Error::<T>::PasskeyChallengeMismatch,
		W::OriginNotAllowed => Error::<T>::PasskeyOriginNotAllowed,
		W::CrossOrigin => Error::<T>::PasskeyCrossOrigin,
		W::TopOrigin => Error::<T>::PasskeyTopOrigin,
		W::MalformedAuthenticatorData => Error::<T>::PasskeyMalformedAuthenticatorData,
		W::RpIdHashMismatch => Error::<T>::PasskeyRpIdMismatch,
		W::UserNotPresent => Error::<T>::PasskeyUserNotPresent,
		W::UserNotVerified => Error::<T>::PasskeyUserNotVerified,
		W::InconsistentBackupFlags => Error::<T>::PasskeyInconsistentBackupFlags,
		W::UnexpectedAttestedCredential => Error::<T>::PasskeyUnexpectedAttestedCredential,
		W::MissingAttestedCredential => Error::<T>::PasskeyMissingCredential,
		W::CredentialIdTooLong => Error::<T>::CredentialIdTooLong,
		W::MalformedExtensions => Error::<T>::PasskeyMalformedExtensions,
		W::TrailingBytes => Error::<T>::PasskeyTrailingBytes,
		W::MalformedPublicKey => Error::<T>::PasskeyMalformedPublicKey,
		W::UnsupportedAlgorithm => Error::<T>::PasskeyUnsupportedAlgorithm,
		W::MalformedSignature => Error::<T>::PasskeyMalformedSignature,
		W::BadSignature => Error::<T>::PasskeyBadSignature,
		W::MalformedAttestation => Error::<T>::PasskeyMalformedAttestation,
		W::UnsupportedAttestation => Error::<T>::PasskeyUnsupportedAttestation,
		W::BadAttestationSignature => Error::<T>::PasskeyBadAttestationSignature,
	}
	.into()
}
