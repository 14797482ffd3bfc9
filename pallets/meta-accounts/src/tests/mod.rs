//! Unit tests of the Meta-Accounts pallet, by area. Every test runs in [`build_and_execute`],
//! which checks the pallet's invariants at the end. Passkeys and EVM wallets are software
//! authenticators from `waas_primitives::testing` (real P-256 and secp256k1 signatures over the
//! real WebAuthn and EIP-191/712 formats); the browser end-to-end test uses Chromium's.

// The tests drive the pool's checks (`ValidateUnsigned`, deprecated) directly.
#![allow(deprecated)]

mod envelopes;
mod evm;
mod passkeys;
mod roles;
mod substrate;

use crate::{
	mock::*,
	pallet::{AuthenticatorOf, Authenticators, Call, Event, HoldReason},
	types::*,
	Pallet,
};
use frame_support::{
	assert_ok,
	dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
	pallet_prelude::{TransactionSource, ValidateUnsigned},
	traits::{fungible::InspectHold, Currency},
};
use sp_runtime::transaction_validity::{TransactionValidity, TransactionValidityError};
use waas_primitives::testing::{Attestation, EvmWallet, SoftwarePasskey};

/// The origin of the tests' passkey ceremonies (an allowed relying party, any port).
pub const ORIGIN: &str = "http://localhost:5173";
/// Its relying party id.
pub const RP_ID: &str = "localhost";

/// The pallet's events since the last call, and clears them.
pub fn events() -> Vec<Event<Test>> {
	let out = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::MetaAccounts(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	out
}

/// What is held from `who` for `reason`.
pub fn held(reason: HoldReason, who: u64) -> u64 {
	<Balances as InspectHold<u64>>::balance_on_hold(&reason.into(), &who)
}

/// The key of Substrate account `who`.
pub fn sub(who: u64) -> AuthenticatorKey<u64> {
	AuthenticatorKey::Substrate(who)
}

/// Creates a Meta-Account for Substrate account `who`.
pub fn create(who: u64) -> MetaAccountId {
	assert_ok!(MetaAccounts::create(RuntimeOrigin::signed(who)));
	AuthenticatorOf::<Test>::get(sub(who)).unwrap()
}

/// `by` invites `invitee` with `role`.
pub fn invite(by: u64, invitee: u64, role: Role) {
	assert_ok!(MetaAccounts::invite_authenticator(RuntimeOrigin::signed(by), invitee, role));
}

/// `by` invites `who`, who accepts.
pub fn join(id: MetaAccountId, by: u64, who: u64, role: Role) {
	invite(by, who, role);
	assert_ok!(MetaAccounts::accept_invitation(RuntimeOrigin::signed(who), id));
}

/// The authenticators of `id` with their roles, in storage order.
pub fn roles(id: MetaAccountId) -> Vec<(AuthenticatorKey<u64>, Role)> {
	let mut out: Vec<_> =
		Authenticators::<Test>::iter_prefix(id).map(|(k, info)| (k, info.role)).collect();
	out.sort();
	out
}

/// Gives `who` `amount` more.
pub fn fund(who: u64, amount: u64) {
	let _ = Balances::deposit_creating(&who, amount);
}

/// A software passkey with credential id `[seed; 16]`.
pub fn passkey(seed: u8) -> SoftwarePasskey {
	SoftwarePasskey::new(seed, &[seed; 16])
}

/// The key of a passkey.
pub fn passkey_key(passkey: &SoftwarePasskey) -> AuthenticatorKey<u64> {
	AuthenticatorKey::Passkey(passkey.credential_id().to_vec().try_into().unwrap())
}

/// The key of an EVM wallet.
pub fn evm_key(wallet: &EvmWallet) -> AuthenticatorKey<u64> {
	AuthenticatorKey::Evm(wallet.address().into())
}

fn bounded<const N: u32>(
	bytes: Vec<u8>,
) -> frame_support::BoundedVec<u8, frame_support::traits::ConstU32<N>> {
	bytes.try_into().expect("within the bound")
}

/// A passkey assertion as the pallet takes it.
pub fn assertion(passkey: &mut SoftwarePasskey, challenge: &[u8; 32]) -> PasskeyAssertion {
	let a = passkey.assert(challenge, ORIGIN, RP_ID);
	PasskeyAssertion {
		authenticator_data: bounded(a.authenticator_data),
		client_data_json: bounded(a.client_data_json),
		signature: bounded(a.signature),
	}
}

/// `passkey`'s registration consenting to `(target, role)`, with a possession assertion when
/// the attestation is `none`.
pub fn registration(
	passkey: &mut SoftwarePasskey,
	target: PossessionTarget,
	role: Role,
	attestation: Attestation,
) -> NewAuthenticator {
	let digest = Pallet::<Test>::possession_digest(&target, role);
	let (attestation_object, client_data_json) =
		passkey.register(&digest, ORIGIN, RP_ID, attestation);
	let possession = match attestation {
		Attestation::None => Some(assertion(passkey, &digest)),
		Attestation::PackedSelf => None,
	};
	NewAuthenticator::Passkey(PasskeyRegistration {
		attestation_object: bounded(attestation_object),
		client_data_json: bounded(client_data_json),
		possession,
	})
}

/// `wallet`'s consent to `(target, role)`, as EIP-191 text or EIP-712 typed data.
pub fn wallet_consent(
	wallet: &EvmWallet,
	target: PossessionTarget,
	role: Role,
	typed: bool,
) -> NewAuthenticator {
	let digest = Pallet::<Test>::possession_digest(&target, role);
	let signature = if typed {
		EvmSignature::TypedData(
			wallet.sign_hash(&Pallet::<Test>::possession_typed_data_hash(&target, role, &digest)),
		)
	} else {
		EvmSignature::PersonalSign(
			wallet.personal_sign(&Pallet::<Test>::possession_text(&target, role, &digest)),
		)
	};
	NewAuthenticator::Evm { address: wallet.address().into(), signature }
}

/// The possession target of an existing Meta-Account now.
pub fn existing(id: MetaAccountId) -> PossessionTarget {
	PossessionTarget::Existing {
		meta_account: id,
		epoch: crate::MetaAccounts::<Test>::get(id).unwrap().epoch,
	}
}

/// An envelope of `call` for `id` by `key` with the Meta-Account's next nonce, valid for 10
/// blocks, paid by the Meta-Account.
pub fn envelope(
	id: MetaAccountId,
	key: AuthenticatorKey<u64>,
	call: RuntimeCall,
) -> EnvelopeOf<Test> {
	Envelope {
		meta_account: id,
		authenticator: key,
		nonce: crate::MetaAccounts::<Test>::get(id).map(|m| m.nonce).unwrap_or_default(),
		valid_until: System::block_number() + 10,
		fee_payer: FeePayer::MetaAccount,
		call: Box::new(call),
	}
}

/// A passkey's proof of `envelope`.
pub fn passkey_proof(passkey: &mut SoftwarePasskey, envelope: &EnvelopeOf<Test>) -> EnvelopeProof {
	EnvelopeProof::Passkey(assertion(passkey, &Pallet::<Test>::envelope_digest(envelope)))
}

/// A wallet's proof of `envelope` (EIP-712 if `typed`, else EIP-191).
pub fn wallet_proof(wallet: &EvmWallet, envelope: &EnvelopeOf<Test>, typed: bool) -> EnvelopeProof {
	let digest = Pallet::<Test>::envelope_digest(envelope);
	EnvelopeProof::Evm(if typed {
		EvmSignature::TypedData(
			wallet.sign_hash(&Pallet::<Test>::envelope_typed_data_hash(envelope, &digest)),
		)
	} else {
		EvmSignature::PersonalSign(
			wallet.personal_sign(&Pallet::<Test>::envelope_text(envelope, &digest)),
		)
	})
}

/// What the pool says of an unsigned call.
pub fn pool(call: &Call<Test>) -> TransactionValidity {
	<Pallet<Test> as ValidateUnsigned>::validate_unsigned(TransactionSource::External, call)
}

/// An unsigned call the way a block applies it: the pool's validation, the check right before
/// inclusion, then dispatch with no origin. A refusal at either gate returns its error.
pub fn submit(call: Call<Test>) -> Result<DispatchResultWithPostInfo, TransactionValidityError> {
	pool(&call)?;
	<Pallet<Test> as ValidateUnsigned>::pre_dispatch(&call)?;
	Ok(frame_support::traits::UnfilteredDispatchable::dispatch_bypass_filter(
		call,
		RuntimeOrigin::none(),
	))
}

/// Submits `dispatch_envelope(envelope, proof)` and expects it to be included.
pub fn dispatch(envelope: EnvelopeOf<Test>, proof: EnvelopeProof) -> PostDispatchInfo {
	submit(Call::dispatch_envelope { envelope, proof })
		.expect("valid in the pool and before inclusion")
		.expect("dispatched")
}

/// The result of the call inside the last dispatched envelope.
pub fn envelope_result() -> sp_runtime::DispatchResult {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::MetaAccounts(Event::EnvelopeDispatched { result, .. }) => Some(result),
			_ => None,
		})
		.expect("an envelope was dispatched")
}

/// The pool's code for a call that dispatch would refuse with `error`.
pub fn pool_code(error: &crate::Error<Test>) -> TransactionValidityError {
	sp_runtime::transaction_validity::InvalidTransaction::Custom(codec::Encode::encode(error)[0])
		.into()
}

/// Creates a Meta-Account whose first Owner is `wallet` (EIP-712 consent if `typed`), its
/// sovereign account funded with 1 000; returns its id.
pub fn create_with_wallet(wallet: &EvmWallet, typed: bool) -> MetaAccountId {
	let key = evm_key(wallet);
	let id = MetaAccounts::next_meta_account_id(&key);
	fund(MetaAccounts::sovereign_account(&id), 1_000);
	let new = wallet_consent(
		wallet,
		PossessionTarget::NewMetaAccount { creation_nonce: 0 },
		Role::Owner,
		typed,
	);
	assert_ok!(
		submit(Call::create_with_authenticator { new, fee_payer: FeePayer::MetaAccount }).unwrap()
	);
	id
}

/// Creates a Meta-Account whose first Owner is a passkey (unsigned, fee paid by its funded
/// sovereign account); returns its id.
pub fn create_with_passkey(passkey: &mut SoftwarePasskey) -> MetaAccountId {
	let key = passkey_key(passkey);
	let id = MetaAccounts::next_meta_account_id(&key);
	fund(MetaAccounts::sovereign_account(&id), 1_000);
	let creation_nonce = crate::CreationNonce::<Test>::get(&key);
	let new = registration(
		passkey,
		PossessionTarget::NewMetaAccount { creation_nonce },
		Role::Owner,
		Attestation::None,
	);
	assert_ok!(submit(Call::create_with_authenticator { new, fee_payer: FeePayer::MetaAccount })
		.expect("valid"));
	assert_eq!(AuthenticatorOf::<Test>::get(&key), Some(id));
	id
}
