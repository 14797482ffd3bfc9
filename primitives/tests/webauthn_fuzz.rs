//! Property tests: the verifiers never panic on any input, and no single-byte change,
//! truncation or extension of a signed registration or assertion verifies.
//!
//! Each mutation case first checks that the unmutated input verifies, so the properties
//! cannot hold vacuously.

mod common;

use common::*;
use proptest::{prelude::*, sample::Index};
use std::sync::OnceLock;
use waas_primitives::webauthn::{
	verify_assertion, verify_registration, Assertion, PasskeyPublicKey, Registration, WebAuthnError,
};

fn assertion_result(parts: &AssertionParts) -> Result<(), WebAuthnError> {
	verify_assertion(&public_key(&signing_key()), &parts.as_assertion(), &CHALLENGE, &policy())
		.map(|_| ())
}

fn registration_result(
	attestation_object: &[u8],
	client_data_json: &[u8],
) -> Result<Registration, WebAuthnError> {
	verify_registration(attestation_object, client_data_json, &CHALLENGE, &policy())
}

/// A valid assertion with an extensions map, so mutations reach the CBOR skipper too.
fn assertion() -> &'static AssertionParts {
	static PARTS: OnceLock<AssertionParts> = OnceLock::new();
	PARTS.get_or_init(|| {
		let ext = [vec![0xa1], cbor_text("credProtect"), vec![0x02]].concat();
		AssertionParts::signed(
			auth_data(RP_ID, UP | UV | ED, 42, &ext),
			client_data("webauthn.get", &CHALLENGE, ORIGIN),
		)
	})
}

fn packed() -> &'static RegistrationParts {
	static PARTS: OnceLock<RegistrationParts> = OnceLock::new();
	PARTS.get_or_init(|| valid_registration(true))
}

fn none() -> &'static RegistrationParts {
	static PARTS: OnceLock<RegistrationParts> = OnceLock::new();
	PARTS.get_or_init(|| valid_registration(false))
}

/// A change to one byte string: flip bits of one byte, cut it short, or append to it.
#[derive(Clone, Debug)]
enum Mutation {
	Xor(Index, u8),
	Truncate(Index),
	Append(Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
	prop_oneof![
		4 => (any::<Index>(), 1..=255u8).prop_map(|(i, x)| Mutation::Xor(i, x)),
		1 => any::<Index>().prop_map(Mutation::Truncate),
		1 => prop::collection::vec(any::<u8>(), 1..8).prop_map(Mutation::Append),
	]
}

/// Applies `mutation`; returns the mutated bytes and the index of the changed byte (for a
/// truncation or an append, the first index that differs).
fn apply(bytes: &[u8], mutation: &Mutation) -> (Vec<u8>, usize) {
	let mut out = bytes.to_vec();
	match mutation {
		Mutation::Xor(index, x) => {
			let i = index.index(out.len());
			out[i] ^= x;
			(out, i)
		},
		Mutation::Truncate(index) => {
			let len = index.index(out.len());
			out.truncate(len);
			(out, len)
		},
		Mutation::Append(extra) => {
			let at = out.len();
			out.extend_from_slice(extra);
			(out, at)
		},
	}
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
	prop::collection::vec(any::<u8>(), 0..max)
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

	/// Any change to any of the three signed byte strings of an assertion is refused.
	#[test]
	fn mutated_assertions_never_verify(field in 0..3usize, mutation in mutation()) {
		let valid = assertion();
		prop_assert_eq!(assertion_result(valid), Ok(()));
		let mut parts = valid.clone();
		let target = match field {
			0 => &mut parts.authenticator_data,
			1 => &mut parts.client_data_json,
			_ => &mut parts.signature,
		};
		*target = apply(target, &mutation).0;
		prop_assert!(assertion_result(&parts).is_err(), "{:?} of field {} verified", mutation, field);
	}

	/// Any change to a `packed` self-attested registration is refused: every byte of
	/// authenticator data and clientDataJSON is signed, and every byte of the CBOR around
	/// them is checked.
	#[test]
	fn mutated_packed_registrations_never_verify(field in 0..2usize, mutation in mutation()) {
		let valid = packed();
		let registration = registration_result(&valid.attestation_object, &valid.client_data_json);
		prop_assert!(registration.map(|r| r.self_attested).unwrap_or(false));
		let (object, json) = match field {
			0 => (apply(&valid.attestation_object, &mutation).0, valid.client_data_json.clone()),
			_ => (valid.attestation_object.clone(), apply(&valid.client_data_json, &mutation).0),
		};
		let result = registration_result(&object, &json);
		prop_assert!(result.is_err(), "{:?} of field {} verified: {:?}", mutation, field, result);
	}

	/// Attestation `none` signs nothing, so a change may still parse; but never one to the
	/// rpIdHash or the credential key, nor a truncation or extension, and nothing panics.
	#[test]
	fn mutated_none_registrations(field in 0..2usize, mutation in mutation()) {
		let valid = none();
		prop_assert!(registration_result(&valid.attestation_object, &valid.client_data_json).is_ok());
		if field == 1 {
			let (json, _) = apply(&valid.client_data_json, &mutation);
			let _ = registration_result(&valid.attestation_object, &json);
			return Ok(());
		}
		let (object, at) = apply(&valid.attestation_object, &mutation);
		let result = registration_result(&object, &valid.client_data_json);
		let data_start = valid.authenticator_data_offset;
		let rp_id_hash = data_start..data_start + 32;
		let cose_len = cose_key(&signing_key()).len();
		let key = valid.attestation_object.len() - cose_len..valid.attestation_object.len();
		let must_fail = !matches!(mutation, Mutation::Xor(..)) || rp_id_hash.contains(&at) || key.contains(&at);
		if must_fail {
			prop_assert!(result.is_err(), "{:?} at {} verified: {:?}", mutation, at, result);
		}
	}

	/// Random byte strings in every position of an assertion, alone and next to valid parts.
	#[test]
	fn random_assertion_inputs_never_panic(
		authenticator_data in bytes(1100),
		client_data_json in bytes(1100),
		signature in bytes(80),
		which in 0..4usize,
	) {
		let valid = assertion();
		let parts = match which {
			0 => AssertionParts { authenticator_data, client_data_json, signature },
			1 => AssertionParts { authenticator_data, ..valid.clone() },
			2 => AssertionParts { client_data_json, ..valid.clone() },
			_ => AssertionParts { signature, ..valid.clone() },
		};
		prop_assert!(assertion_result(&parts).is_err());
	}

	/// Authenticator data with a valid rpIdHash, random flags and a random rest: exercises
	/// the attested-credential, COSE and extension parsers.
	#[test]
	fn random_authenticator_data_never_panics(flags in any::<u8>(), rest in bytes(300)) {
		let parts = AssertionParts { authenticator_data: auth_data(RP_ID, flags, 0, &rest), ..assertion().clone() };
		prop_assert!(assertion_result(&parts).is_err());
		// As registration authenticator data, inside a well-formed attestation object.
		let data = auth_data(RP_ID, flags, 0, &rest);
		let object = attestation_object("none", &[0xa0], &data);
		let json = client_data("webauthn.create", &CHALLENGE, ORIGIN);
		let _ = registration_result(&object, &json);
		// And after a valid attested credential header.
		let data = auth_data(RP_ID, flags | AT, 0, &[&AAGUID[..], &[0, 4], b"cred", &rest].concat());
		let object = attestation_object("none", &[0xa0], &data);
		let _ = registration_result(&object, &json);
	}

	/// Random attestation objects and statements.
	#[test]
	fn random_registration_inputs_never_panic(
		object in bytes(2100),
		json in bytes(1100),
		statement in bytes(120),
		which in 0..4usize,
	) {
		let valid = packed();
		let result = match which {
			0 => registration_result(&object, &json),
			1 => registration_result(&object, &valid.client_data_json),
			2 => registration_result(&valid.attestation_object, &json),
			_ => registration_result(
				&attestation_object("packed", &statement, &valid.authenticator_data),
				&valid.client_data_json,
			),
		};
		prop_assert!(result.is_err());
	}

	/// Random CBOR-ish statement contents after a valid map header.
	#[test]
	fn random_packed_statements_never_panic(entries in 0..4u8, rest in bytes(120)) {
		let valid = packed();
		let statement = [&[0xa0 | entries][..], &rest].concat();
		let object = attestation_object("packed", &statement, &valid.authenticator_data);
		let _ = registration_result(&object, &valid.client_data_json);
	}

	/// Public keys from random bytes: from_sec1 only accepts points on the curve, and an
	/// accepted key never verifies the valid assertion (it is not the signer's).
	#[test]
	fn random_public_keys(mut point in prop::collection::vec(any::<u8>(), 65), prefix in any::<bool>()) {
		if prefix {
			point[0] = 0x04;
		}
		if let Ok(key) = PasskeyPublicKey::from_sec1(&point) {
			let parts = assertion();
			let assertion = Assertion {
				authenticator_data: &parts.authenticator_data,
				client_data_json: &parts.client_data_json,
				signature: &parts.signature,
			};
			prop_assert!(verify_assertion(&key, &assertion, &CHALLENGE, &policy()).is_err());
		}
		let _ = <PasskeyPublicKey as codec::Decode>::decode(&mut &point[..]);
	}

	/// Valid keys other than the signer's never verify the valid assertion.
	#[test]
	fn other_keys_never_verify(secret in any::<[u8; 32]>()) {
		let Ok(key) = p256::ecdsa::SigningKey::from_slice(&secret) else { return Ok(()) };
		prop_assume!(key != signing_key());
		let parts = assertion();
		let result = verify_assertion(&public_key(&key), &parts.as_assertion(), &CHALLENGE, &policy());
		prop_assert_eq!(result, Err(WebAuthnError::BadSignature));
	}
}
