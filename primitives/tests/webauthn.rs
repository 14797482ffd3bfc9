//! WebAuthn verification: valid registrations and assertions built independently (see
//! `common`), every error variant, signature encodings, flags and the origin rule.

mod common;

use codec::{Decode, Encode, MaxEncodedLen};
use common::*;
use p256::{ecdsa::Signature, elliptic_curve::scalar::IsHigh as _};
use scale_info::{TypeDef, TypeInfo};
use std::collections::BTreeSet;
use waas_primitives::webauthn::{
	verify_assertion, verify_registration, Flags, PasskeyPublicKey, Policy, RelyingParty,
	VerifiedAssertion, WebAuthnError, WebAuthnError as E, MAX_ATTESTATION_OBJECT_LEN,
	MAX_AUTHENTICATOR_DATA_LEN, MAX_CLIENT_DATA_JSON_LEN, MAX_CREDENTIAL_ID_LEN,
	MAX_DER_SIGNATURE_LEN, RAW_SIGNATURE_LEN,
};

fn check(parts: &AssertionParts) -> Result<VerifiedAssertion, WebAuthnError> {
	verify_assertion(&public_key(&signing_key()), &parts.as_assertion(), &CHALLENGE, &policy())
}

fn check_with(
	parts: &AssertionParts,
	policy: &Policy<'_>,
) -> Result<VerifiedAssertion, WebAuthnError> {
	verify_assertion(&public_key(&signing_key()), &parts.as_assertion(), &CHALLENGE, policy)
}

/// An assertion with this client data, signed.
fn with_client_data(json: Vec<u8>) -> AssertionParts {
	AssertionParts::signed(auth_data(RP_ID, UP, 5, &[]), json)
}

/// An assertion with this authenticator data, signed.
fn with_auth_data(data: Vec<u8>) -> AssertionParts {
	AssertionParts::signed(data, client_data("webauthn.get", &CHALLENGE, ORIGIN))
}

fn register(parts: &RegistrationParts) -> Result<waas_primitives::webauthn::Registration, E> {
	verify_registration(&parts.attestation_object, &parts.client_data_json, &CHALLENGE, &policy())
}

/// A `packed` registration whose authenticator data is `data`, self-attested by the test key.
fn packed_with(data: Vec<u8>) -> RegistrationParts {
	registration(true, data)
}

fn none_with(data: Vec<u8>) -> RegistrationParts {
	registration(false, data)
}

/// A registration with this attestation object and a valid client data.
fn attestation(object: Vec<u8>) -> Result<waas_primitives::webauthn::Registration, E> {
	let client_data_json = client_data("webauthn.create", &CHALLENGE, ORIGIN);
	verify_registration(&object, &client_data_json, &CHALLENGE, &policy())
}

/// A registration whose credential key is `cose`.
fn with_cose(cose: &[u8]) -> Result<waas_primitives::webauthn::Registration, E> {
	register(&none_with(auth_data(RP_ID, UP | AT, 0, &attested(CREDENTIAL_ID, cose))))
}

#[test]
fn a_valid_assertion_verifies() {
	let parts = valid_assertion();
	assert_eq!(
		check(&parts),
		Ok(VerifiedAssertion {
			flags: Flags {
				user_present: true,
				user_verified: false,
				backup_eligible: false,
				backup_state: false
			},
			sign_count: 5,
		})
	);
	// With another key it does not.
	let other = public_key(&other_key());
	assert_eq!(
		verify_assertion(&other, &parts.as_assertion(), &CHALLENGE, &policy()),
		Err(E::BadSignature)
	);
	// Nor for another challenge.
	assert_eq!(
		verify_assertion(&public_key(&signing_key()), &parts.as_assertion(), &[8; 32], &policy()),
		Err(E::ChallengeMismatch)
	);
}

#[test]
fn client_data_written_by_hand() {
	// Challenge 0, 1, …, 31 in base64url without padding (computed outside Rust), with the
	// extra member Chromium sometimes adds and an escaped slash.
	let challenge: [u8; 32] = core::array::from_fn(|i| i as u8);
	let json = br#"{"type":"webauthn.get","challenge":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8","origin":"https:\/\/wallet.example","crossOrigin":false,"other_keys_can_be_added_here":"do not compare clientDataJSON against a template. See https://goo.gl/yabPex"}"#;
	let parts = AssertionParts::signed(auth_data(RP_ID, UP, 0, &[]), json.to_vec());
	let result =
		verify_assertion(&public_key(&signing_key()), &parts.as_assertion(), &challenge, &policy());
	assert_eq!(result.map(|a| a.sign_count), Ok(0));
	// crossOrigin may be absent; whitespace around members is JSON.
	let json = br#" { "type" : "webauthn.get", "origin":"https://wallet.example","challenge":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8" } "#;
	let parts = AssertionParts::signed(auth_data(RP_ID, UP, 0, &[]), json.to_vec());
	let result =
		verify_assertion(&public_key(&signing_key()), &parts.as_assertion(), &challenge, &policy());
	assert!(result.is_ok(), "{result:?}");
}

#[test]
fn sign_count_is_big_endian() {
	let parts = with_auth_data(auth_data(RP_ID, UP, 0x0102_0304, &[]));
	assert_eq!(&parts.authenticator_data[33..37], &[1, 2, 3, 4]);
	assert_eq!(check(&parts).map(|a| a.sign_count), Ok(0x0102_0304));
	let parts = with_auth_data(auth_data(RP_ID, UP, u32::MAX, &[]));
	assert_eq!(check(&parts).map(|a| a.sign_count), Ok(u32::MAX));
}

#[test]
fn flags_are_reported() {
	let parts = with_auth_data(auth_data(RP_ID, UP | UV | BE | BS, 0, &[]));
	assert_eq!(
		check(&parts).map(|a| a.flags),
		Ok(Flags {
			user_present: true,
			user_verified: true,
			backup_eligible: true,
			backup_state: true
		})
	);
	let parts = with_auth_data(auth_data(RP_ID, UP | BE, 0, &[]));
	assert_eq!(
		check(&parts).map(|a| a.flags),
		Ok(Flags { user_present: true, backup_eligible: true, ..Flags::default() })
	);
	// Reserved bits are ignored.
	let parts = with_auth_data(auth_data(RP_ID, UP | 0x02 | 0x20, 0, &[]));
	assert_eq!(
		check(&parts).map(|a| a.flags),
		Ok(Flags { user_present: true, ..Flags::default() })
	);
}

#[test]
fn user_verification_by_policy() {
	let up_only = with_auth_data(auth_data(RP_ID, UP, 0, &[]));
	assert!(check_with(&up_only, &policy()).is_ok());
	assert_eq!(check_with(&up_only, &uv_policy()), Err(E::UserNotVerified));
	let verified = with_auth_data(auth_data(RP_ID, UP | UV, 0, &[]));
	assert_eq!(check_with(&verified, &uv_policy()).map(|a| a.flags.user_verified), Ok(true));
	// UV without UP is still refused.
	let no_up = with_auth_data(auth_data(RP_ID, UV, 0, &[]));
	assert_eq!(check_with(&no_up, &uv_policy()), Err(E::UserNotPresent));
	// And in a registration.
	let parts = packed_with(registration_auth_data(UP));
	assert_eq!(
		verify_registration(
			&parts.attestation_object,
			&parts.client_data_json,
			&CHALLENGE,
			&uv_policy()
		),
		Err(E::UserNotVerified)
	);
	let parts = packed_with(registration_auth_data(UP | UV));
	let registration = verify_registration(
		&parts.attestation_object,
		&parts.client_data_json,
		&CHALLENGE,
		&uv_policy(),
	)
	.unwrap();
	assert!(registration.flags.user_verified);
}

#[test]
fn raw_signatures_verify() {
	let mut parts = valid_assertion();
	let raw = sign(&signing_key(), &parts.authenticator_data, &parts.client_data_json).to_bytes();
	parts.signature = raw.to_vec();
	assert_eq!(parts.signature.len(), RAW_SIGNATURE_LEN as usize);
	assert!(check(&parts).is_ok());
	// A raw signature of another message does not.
	parts.signature = sign(&signing_key(), b"other", b"").to_bytes().to_vec();
	assert_eq!(check(&parts), Err(E::BadSignature));
}

#[test]
fn high_s_signatures_verify() {
	let mut parts = valid_assertion();
	let signature = sign(&signing_key(), &parts.authenticator_data, &parts.client_data_json);
	let low = signature.normalize_s().unwrap_or(signature);
	// n - s of a low s is high.
	let high = Signature::from_scalars(low.r(), -*low.s()).unwrap();
	assert!(bool::from(high.s().is_high()) && !bool::from(low.s().is_high()));
	assert_ne!(high, low);
	for signature in [low, high] {
		parts.signature = signature.to_der().as_bytes().to_vec();
		assert!(check(&parts).is_ok(), "DER {signature:?}");
		parts.signature = signature.to_bytes().to_vec();
		assert!(check(&parts).is_ok(), "raw {signature:?}");
	}
	// The longest DER: high s (33 bytes) and r with its high bit set (33 bytes). Search for one
	// over several sign counts.
	let longest = (0..200u32)
		.find_map(|count| {
			let parts = with_auth_data(auth_data(RP_ID, UP, count, &[]));
			let sig = sign(&signing_key(), &parts.authenticator_data, &parts.client_data_json);
			let low = sig.normalize_s().unwrap_or(sig);
			let high = Signature::from_scalars(low.r(), -*low.s()).unwrap();
			let der = high.to_der().as_bytes().to_vec();
			(der.len() == MAX_DER_SIGNATURE_LEN as usize)
				.then_some(AssertionParts { signature: der, ..parts })
		})
		.expect("a quarter of all signatures");
	assert!(check(&longest).is_ok());
}

/// The lengths of r and s in a DER signature `30 len 02 rlen r… 02 slen s…`.
fn der_integer_lengths(der: &[u8]) -> (usize, usize) {
	let r_len = der[3] as usize;
	(r_len, der[5 + r_len] as usize)
}

#[test]
fn der_with_short_integers_verifies() {
	let mut seen = (false, false);
	for count in 0..20_000u32 {
		let parts = with_auth_data(auth_data(RP_ID, UP, count, &[]));
		let (r_len, s_len) = der_integer_lengths(&parts.signature);
		if r_len < 32 && !seen.0 || s_len < 32 && !seen.1 {
			assert!(check(&parts).is_ok(), "r {r_len} s {s_len} bytes");
			// The raw form of the same signature has the integers left-padded.
			let raw = Signature::from_der(&parts.signature).unwrap().to_bytes();
			assert!(raw[0] == 0 || raw[32] == 0);
			let raw_parts = AssertionParts { signature: raw.to_vec(), ..parts };
			assert!(check(&raw_parts).is_ok());
			seen = (seen.0 || r_len < 32, seen.1 || s_len < 32);
		}
		if seen == (true, true) {
			return;
		}
	}
	panic!("no short r and short s found: {seen:?}");
}

#[test]
fn non_canonical_der_is_refused() {
	let parts = valid_assertion();
	let der = &parts.signature;
	let (r_len, _) = der_integer_lengths(der);
	// An extra leading zero before r: valid BER, not DER.
	let mut padded = vec![0x30, der[1] + 1, 0x02, r_len as u8 + 1, 0x00];
	padded.extend_from_slice(&der[4..]);
	let parts = AssertionParts { signature: padded, ..parts };
	assert_eq!(check(&parts), Err(E::MalformedSignature));
}

#[test]
fn extensions_are_skipped_as_one_cbor_map() {
	// {"credProtect": 2}
	let ext = [vec![0xa1], cbor_text("credProtect"), vec![0x02]].concat();
	let parts = with_auth_data(auth_data(RP_ID, UP | ED, 9, &ext));
	assert_eq!(check(&parts).map(|a| a.sign_count), Ok(9));
	// Nested and indefinite-length: {"a": [_ {"b": h'00'}], "c": {_ }}.
	let ext = [
		vec![0xa2],
		cbor_text("a"),
		vec![0x9f, 0xbf],
		cbor_text("b"),
		cbor_bytes(&[0]),
		vec![0xff, 0xff],
		cbor_text("c"),
		vec![0xbf, 0xff],
	]
	.concat();
	let parts = with_auth_data(auth_data(RP_ID, UP | ED, 9, &ext));
	assert!(check(&parts).is_ok());
	// A byte after the map is trailing.
	let parts = with_auth_data(auth_data(RP_ID, UP | ED, 9, &[ext.as_slice(), &[0]].concat()));
	assert_eq!(check(&parts), Err(E::TrailingBytes));
	// Not a map, a truncated map, nothing.
	for ext in [vec![0x01], vec![0xa1, 0x61], vec![0xbf], vec![]] {
		let parts = with_auth_data(auth_data(RP_ID, UP | ED, 9, &ext));
		assert_eq!(check(&parts), Err(E::MalformedExtensions), "{ext:?}");
	}
	// Extensions without the ED flag are trailing bytes.
	let parts = with_auth_data(auth_data(RP_ID, UP, 9, &[0xa0]));
	assert_eq!(check(&parts), Err(E::TrailingBytes));

	// In a registration, after the credential key.
	let ext = [vec![0xa1], cbor_text("credProtect"), vec![0x02]].concat();
	let rest = [attested(CREDENTIAL_ID, &cose_key(&signing_key())), ext].concat();
	let registration = register(&packed_with(auth_data(RP_ID, UP | AT | ED, 0, &rest))).unwrap();
	assert_eq!(registration.credential_id, CREDENTIAL_ID);
	assert!(registration.self_attested);
	let rest = attested(CREDENTIAL_ID, &cose_key(&signing_key()));
	assert_eq!(
		register(&packed_with(auth_data(RP_ID, UP | AT | ED, 0, &rest))),
		Err(E::MalformedExtensions)
	);
}

#[test]
fn origin_port_rule() {
	let localhost = RelyingParty { rp_id: "localhost", origin: "http://localhost", any_port: true };
	for origin in [
		"http://localhost",
		"http://localhost:5173",
		"http://localhost:1",
		"http://localhost:65535",
		"http://localhost:99999",
	] {
		assert!(localhost.matches_origin(origin), "{origin}");
	}
	for origin in [
		"http://localhost.evil.com",
		"http://localhost:",
		"http://localhost:123456",
		"http://localhost:5173/",
		"http://localhost:51a3",
		"http://localhost:+517",
		"http://localhost:5173:1",
		"https://localhost:5173",
		"http://localhos",
		"http://localhost/",
		"",
	] {
		assert!(!localhost.matches_origin(origin), "{origin}");
	}
	let exact = RelyingParty { any_port: false, ..localhost };
	assert!(exact.matches_origin("http://localhost"));
	assert!(!exact.matches_origin("http://localhost:5173"));

	// End to end: a dev server's origin with rpIdHash of "localhost".
	let parts = AssertionParts::signed(
		auth_data("localhost", UP, 0, &[]),
		client_data("webauthn.get", &CHALLENGE, "http://localhost:5173"),
	);
	assert!(check(&parts).is_ok());
	for origin in ["http://localhost.evil.com", "http://localhost:", "http://localhost:123456"] {
		let parts = AssertionParts::signed(
			auth_data("localhost", UP, 0, &[]),
			client_data("webauthn.get", &CHALLENGE, origin),
		);
		assert_eq!(check(&parts), Err(E::OriginNotAllowed), "{origin}");
	}
	// The rpIdHash must be that of the entry whose origin matched.
	let parts = AssertionParts::signed(
		auth_data(RP_ID, UP, 0, &[]),
		client_data("webauthn.get", &CHALLENGE, "http://localhost:5173"),
	);
	assert_eq!(check(&parts), Err(E::RpIdHashMismatch));
	// One origin, two relying parties: either rpIdHash is accepted.
	static TWO: &[RelyingParty] = &[
		RelyingParty { rp_id: "example", origin: "https://app.example", any_port: false },
		RelyingParty { rp_id: "app.example", origin: "https://app.example", any_port: false },
	];
	let two = Policy { relying_parties: TWO, require_user_verification: false };
	for rp_id in ["example", "app.example"] {
		let parts = AssertionParts::signed(
			auth_data(rp_id, UP, 0, &[]),
			client_data("webauthn.get", &CHALLENGE, "https://app.example"),
		);
		assert!(check_with(&parts, &two).is_ok(), "{rp_id}");
	}
	// An empty allow-list allows nothing.
	let none = Policy { relying_parties: &[], require_user_verification: false };
	assert_eq!(check_with(&valid_assertion(), &none), Err(E::OriginNotAllowed));
}

#[test]
fn registration_none() {
	let parts = valid_registration(false);
	let registration = register(&parts).unwrap();
	assert_eq!(registration.credential_id, CREDENTIAL_ID);
	assert_eq!(registration.public_key, public_key(&signing_key()));
	assert_eq!(registration.aaguid, AAGUID);
	assert_eq!(registration.sign_count, 0);
	assert_eq!(registration.flags, Flags { user_present: true, ..Flags::default() });
	assert!(!registration.self_attested);
	// The registered key verifies the credential's assertions.
	let assertion = valid_assertion();
	assert!(verify_assertion(
		&registration.public_key,
		&assertion.as_assertion(),
		&CHALLENGE,
		&policy()
	)
	.is_ok());
	// An assertion's client data (type webauthn.get) is not a registration's.
	assert_eq!(
		verify_registration(
			&parts.attestation_object,
			&client_data("webauthn.get", &CHALLENGE, ORIGIN),
			&CHALLENGE,
			&policy()
		),
		Err(E::WrongType)
	);
}

#[test]
fn registration_packed_self_attestation() {
	let parts = valid_registration(true);
	let registration = register(&parts).unwrap();
	assert!(registration.self_attested);
	assert_eq!(registration.public_key, public_key(&signing_key()));
	assert_eq!(registration.credential_id, CREDENTIAL_ID);
	// Raw and high-s attestation signatures are accepted too.
	let signature = sign(&signing_key(), &parts.authenticator_data, &parts.client_data_json);
	let low = signature.normalize_s().unwrap_or(signature);
	let high = Signature::from_scalars(low.r(), -*low.s()).unwrap();
	for sig in [low.to_bytes().to_vec(), high.to_der().as_bytes().to_vec()] {
		let object =
			attestation_object("packed", &packed_statement(&sig), &parts.authenticator_data);
		assert!(attestation(object).unwrap().self_attested);
	}
	// Signed by another key than the credential's: refused.
	let sig = sign_der(&other_key(), &parts.authenticator_data, &parts.client_data_json);
	let object = attestation_object("packed", &packed_statement(&sig), &parts.authenticator_data);
	assert_eq!(attestation(object), Err(E::BadAttestationSignature));
	// Over other client data (another challenge): refused.
	let other_client_data = client_data("webauthn.create", &[9; 32], ORIGIN);
	let sig = sign_der(&signing_key(), &parts.authenticator_data, &other_client_data);
	let object = attestation_object("packed", &packed_statement(&sig), &parts.authenticator_data);
	assert_eq!(attestation(object), Err(E::BadAttestationSignature));
	// Members in another order are the same statement.
	let sig = sign_der(&signing_key(), &parts.authenticator_data, &parts.client_data_json);
	let statement =
		[vec![0xa2], cbor_text("sig"), cbor_bytes(&sig), cbor_text("alg"), vec![0x26]].concat();
	let object = [
		vec![0xa3],
		cbor_text("authData"),
		cbor_bytes(&parts.authenticator_data),
		cbor_text("attStmt"),
		statement,
		cbor_text("fmt"),
		cbor_text("packed"),
	]
	.concat();
	assert!(attestation(object).unwrap().self_attested);
}

#[test]
fn attestation_formats() {
	let parts = valid_registration(true);
	let data = &parts.authenticator_data;
	let sig = sign_der(&signing_key(), data, &parts.client_data_json);
	// packed with a certificate chain (full attestation): not supported.
	let x5c = [
		vec![0xa3],
		cbor_text("alg"),
		vec![0x26],
		cbor_text("sig"),
		cbor_bytes(&sig),
		cbor_text("x5c"),
		vec![0x81],
		cbor_bytes(&[0x30, 0x82, 0x01, 0x00]),
	]
	.concat();
	assert_eq!(
		attestation(attestation_object("packed", &x5c, data)),
		Err(E::UnsupportedAttestation)
	);
	let ecdaa = [
		vec![0xa3],
		cbor_text("alg"),
		vec![0x26],
		cbor_text("sig"),
		cbor_bytes(&sig),
		cbor_text("ecdaaKeyId"),
		cbor_bytes(&[1]),
	]
	.concat();
	assert_eq!(
		attestation(attestation_object("packed", &ecdaa, data)),
		Err(E::UnsupportedAttestation)
	);
	for fmt in ["fido-u2f", "tpm", "android-key", "android-safetynet", "apple", "Packed", ""] {
		assert_eq!(
			attestation(attestation_object(fmt, &packed_statement(&sig), data)),
			Err(E::UnsupportedAttestation),
			"{fmt}"
		);
	}
	// packed with another algorithm.
	let rs256 =
		[vec![0xa2], cbor_text("alg"), vec![0x39, 0x01, 0x00], cbor_text("sig"), cbor_bytes(&sig)]
			.concat();
	assert_eq!(
		attestation(attestation_object("packed", &rs256, data)),
		Err(E::UnsupportedAlgorithm)
	);
	// Malformed statements.
	let missing_sig = [vec![0xa1], cbor_text("alg"), vec![0x26]].concat();
	let missing_alg = [vec![0xa1], cbor_text("sig"), cbor_bytes(&sig)].concat();
	let unknown_member = [packed_statement(&sig), cbor_text("foo"), vec![0x01]].concat();
	let mut unknown_member = unknown_member;
	unknown_member[0] = 0xa3;
	let duplicate = [
		vec![0xa3],
		cbor_text("alg"),
		vec![0x26],
		cbor_text("alg"),
		vec![0x26],
		cbor_text("sig"),
		cbor_bytes(&sig),
	]
	.concat();
	let sig_as_text =
		[vec![0xa2], cbor_text("alg"), vec![0x26], cbor_text("sig"), cbor_text("x")].concat();
	let indefinite =
		[vec![0xbf], cbor_text("alg"), vec![0x26], cbor_text("sig"), cbor_bytes(&sig), vec![0xff]]
			.concat();
	for statement in [missing_sig, missing_alg, unknown_member, duplicate, sig_as_text, indefinite]
	{
		assert_eq!(
			attestation(attestation_object("packed", &statement, data)),
			Err(E::MalformedAttestation),
			"{statement:?}"
		);
	}
	// none with a non-empty statement.
	assert_eq!(
		attestation(attestation_object("none", &packed_statement(&sig), data)),
		Err(E::MalformedAttestation)
	);
	assert_eq!(
		attestation(attestation_object("none", &[0xbf, 0xff], data)),
		Err(E::MalformedAttestation)
	);
	// A packed signature that is not a signature.
	assert_eq!(
		attestation(attestation_object("packed", &packed_statement(&[0x30, 0x00]), data)),
		Err(E::MalformedSignature)
	);
	assert_eq!(
		attestation(attestation_object("packed", &packed_statement(&[0x30; 73]), data)),
		Err(E::SignatureTooLong)
	);
}

#[test]
fn malformed_attestation_objects() {
	let data = registration_auth_data(UP);
	let fmt = [cbor_text("fmt"), cbor_text("none")].concat();
	let stmt = [cbor_text("attStmt"), vec![0xa0]].concat();
	let auth = [cbor_text("authData"), cbor_bytes(&data)].concat();
	let map = |n: u8, members: &[&[u8]]| [&[0xa0 | n][..], &members.concat()].concat();
	// The well-formed one, and with an unknown member (skipped).
	assert!(attestation(map(3, &[&fmt, &stmt, &auth])).is_ok());
	assert!(attestation(map(4, &[&fmt, &cbor_text("epAtt"), &[0xf5], &stmt, &auth])).is_ok());
	let cases: Vec<Vec<u8>> = vec![
		vec![],
		cbor_text("none"),
		map(2, &[&fmt, &stmt]),
		map(2, &[&fmt, &auth]),
		map(2, &[&stmt, &auth]),
		map(4, &[&fmt, &fmt, &stmt, &auth]),
		map(3, &[&fmt, &[cbor_text("attStmt"), vec![0x01]].concat(), &auth]),
		map(3, &[&fmt, &stmt, &[cbor_text("authData"), cbor_text("x")].concat()]),
		map(3, &[&[cbor_text("fmt"), vec![0x01]].concat(), &stmt, &auth]),
		map(3, &[&[vec![0x01], cbor_text("none")].concat(), &stmt, &auth]),
		map(4, &[&fmt, &stmt, &auth]),
		[vec![0xbf], fmt.clone(), stmt.clone(), auth.clone(), vec![0xff]].concat(),
		map(3, &[&fmt, &stmt, &auth[..auth.len() - 1]]),
	];
	for case in cases {
		assert_eq!(attestation(case.clone()), Err(E::MalformedAttestation), "{case:?}");
	}
	assert_eq!(attestation(map(3, &[&fmt, &stmt, &auth, &[0x00]])), Err(E::TrailingBytes));
	assert_eq!(attestation(map(2, &[&fmt, &stmt, &auth])), Err(E::TrailingBytes));
}

#[test]
fn cose_keys() {
	let key = signing_key();
	let point = key.verifying_key().to_encoded_point(false);
	let (x, y) = (point.x().unwrap().to_vec(), point.y().unwrap().to_vec());
	let cose = |members: &[&[u8]]| [vec![0xa0 | members.len() as u8], members.concat()].concat();
	let kty = [0x01, 0x02];
	let alg = [0x03, 0x26];
	let crv = [0x20, 0x01];
	let cx = [vec![0x21], cbor_bytes(&x)].concat();
	let cy = [vec![0x22], cbor_bytes(&y)].concat();
	// Canonical, reordered, with extra parameters (kid, text label).
	assert!(with_cose(&cose(&[&kty, &alg, &crv, &cx, &cy])).is_ok());
	assert!(with_cose(&cose(&[&cy, &cx, &crv, &alg, &kty])).is_ok());
	let kid = [vec![0x02], cbor_bytes(b"kid")].concat();
	let text = [cbor_text("note"), cbor_text("x")].concat();
	let registration = with_cose(&cose(&[&kty, &kid, &alg, &crv, &cx, &cy, &text])).unwrap();
	assert_eq!(registration.public_key, public_key(&key));

	let unsupported: Vec<Vec<u8>> = vec![
		cose(&[&[0x01, 0x01], &alg, &crv, &cx, &cy]), // kty OKP
		cose(&[&[0x01, 0x03], &[0x03, 0x39, 0x01, 0x00], &[0x20, 0x43, 1, 2, 3], &cx, &cy]), // RSA
		cose(&[&kty, &[0x03, 0x27], &crv, &cx, &cy]), // alg EdDSA
		cose(&[&kty, &[0x03, 0x38, 0x22], &crv, &cx, &cy]), // alg ES384
		cose(&[&kty, &alg, &[0x20, 0x02], &cx, &cy]), // crv P-384
		cose(&[&kty, &alg, &[0x20, 0x61, 0x31], &cx, &cy]), // crv as text
	];
	for case in unsupported {
		assert_eq!(with_cose(&case), Err(E::UnsupportedAlgorithm), "{case:?}");
	}
	let mut off_curve_y = y.clone();
	off_curve_y[31] ^= 1;
	let off_curve = [vec![0x22], cbor_bytes(&off_curve_y)].concat();
	let short_x = [vec![0x21], cbor_bytes(&x[1..])].concat();
	let x_as_int = [0x21, 0x01];
	let malformed: Vec<Vec<u8>> = vec![
		cose(&[&alg, &crv, &cx, &cy]),                     // no kty
		cose(&[&kty, &crv, &cx, &cy]),                     // no alg
		cose(&[&kty, &alg, &cx, &cy]),                     // no crv
		cose(&[&kty, &alg, &crv, &cy]),                    // no x
		cose(&[&kty, &alg, &crv, &cx]),                    // no y
		cose(&[&kty, &alg, &crv, &cx, &off_curve]),        // not on the curve
		cose(&[&kty, &alg, &crv, &short_x, &cy]),          // 31-byte x
		cose(&[&kty, &alg, &crv, &x_as_int, &cy]),         // x not bytes
		cose(&[&kty, &alg, &crv, &cx, &cx, &cy]),          // x twice
		cose(&[&kty, &kid, &kid, &alg, &crv, &cx, &cy]),   // kid twice
		cose(&[&kty, &text, &text, &alg, &crv, &cx, &cy]), // text label twice
		[vec![0xbf], kty.to_vec(), alg.to_vec(), crv.to_vec(), cx.clone(), cy.clone(), vec![0xff]]
			.concat(), // indefinite
		vec![0x80],                                        // an array
		vec![],                                            // nothing
		cose(&[&kty, &alg, &crv, &cx, &cy])[..70].to_vec(), // truncated
		cose(&[&[0x41, 0x01, 0x02], &alg, &crv, &cx, &cy]), // label not int or text
	];
	for case in malformed {
		assert_eq!(with_cose(&case), Err(E::MalformedPublicKey), "{case:?}");
	}
}

#[test]
fn passkey_public_keys() {
	let key = signing_key();
	let uncompressed = key.verifying_key().to_encoded_point(false);
	let compressed = key.verifying_key().to_encoded_point(true);
	let public = PasskeyPublicKey::from_sec1(uncompressed.as_bytes()).unwrap();
	assert_eq!(public.as_bytes().as_slice(), uncompressed.as_bytes());
	let xy = &uncompressed.as_bytes()[1..];
	assert_eq!(
		PasskeyPublicKey::from_coordinates(
			xy[..32].try_into().unwrap(),
			xy[32..].try_into().unwrap()
		),
		Ok(public)
	);
	assert_eq!(PasskeyPublicKey::from_sec1(compressed.as_bytes()), Err(E::MalformedPublicKey));
	assert_eq!(PasskeyPublicKey::from_sec1(&[0x04; 65]), Err(E::MalformedPublicKey));
	let mut hybrid = *public.as_bytes();
	hybrid[0] = 0x06;
	assert_eq!(PasskeyPublicKey::from_sec1(&hybrid), Err(E::MalformedPublicKey));
	assert_eq!(PasskeyPublicKey::from_sec1(&[]), Err(E::MalformedPublicKey));
	assert_eq!(PasskeyPublicKey::from_sec1(&[0x00]), Err(E::MalformedPublicKey));

	// SCALE: the 65 bytes; decoding checks the point.
	let encoded = public.encode();
	assert_eq!(encoded.as_slice(), uncompressed.as_bytes());
	assert_eq!(PasskeyPublicKey::max_encoded_len(), 65);
	assert_eq!(PasskeyPublicKey::decode(&mut &encoded[..]), Ok(public));
	let mut off_curve = encoded.clone();
	off_curve[64] ^= 1;
	assert!(PasskeyPublicKey::decode(&mut &off_curve[..]).is_err());
	assert!(PasskeyPublicKey::decode(&mut &encoded[..64]).is_err());
}

#[test]
fn challenge_encodings() {
	let encoded = b64url(&CHALLENGE);
	assert_eq!(encoded.len(), 43);
	let ok = with_client_data(client_data_raw("webauthn.get", &encoded, ORIGIN, ""));
	assert!(check(&ok).is_ok());
	// Padded, standard alphabet, non-zero trailing bits, other characters, empty.
	let challenge: [u8; 32] = [0xfb; 32]; // base64 of 0xfb… has `+` and `/` in the standard alphabet
	let url = b64url(&challenge);
	assert!(url.contains('-') && url.contains('_'));
	let standard = url.replace('-', "+").replace('_', "/");
	let last = url.chars().last().unwrap();
	// 32 bytes leave 2 unused bits in the last character: flip the lowest.
	let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	let index = alphabet.find(last).unwrap();
	let trailing = format!("{}{}", &url[..42], alphabet.chars().nth(index ^ 1).unwrap());
	for text in
		[format!("{url}="), standard, trailing, format!("{}!", &url[..42]), format!("{url} ")]
	{
		let parts = with_client_data(client_data_raw("webauthn.get", &text, ORIGIN, ""));
		let result = verify_assertion(
			&public_key(&signing_key()),
			&parts.as_assertion(),
			&challenge,
			&policy(),
		);
		assert_eq!(result, Err(E::MalformedChallenge), "{text}");
	}
	let parts = with_client_data(client_data_raw("webauthn.get", &url, ORIGIN, ""));
	let result =
		verify_assertion(&public_key(&signing_key()), &parts.as_assertion(), &challenge, &policy());
	assert!(result.is_ok());
	// Decodes, but not to the expected 32 bytes.
	for bytes in [&CHALLENGE[..31], &[CHALLENGE.as_slice(), &[7]].concat(), &[], &[8; 32]] {
		let parts = with_client_data(client_data("webauthn.get", bytes, ORIGIN));
		assert_eq!(check(&parts), Err(E::ChallengeMismatch), "{bytes:?}");
	}
}

#[test]
fn malformed_client_data() {
	let challenge = b64url(&CHALLENGE);
	let cases: Vec<String> = vec![
		String::new(),
		"not json".into(),
		"{".into(),
		format!(r#"["webauthn.get","{challenge}","{ORIGIN}"]"#),
		format!(r#"{{"challenge":"{challenge}","origin":"{ORIGIN}"}}"#),
		format!(r#"{{"type":"webauthn.get","origin":"{ORIGIN}"}}"#),
		format!(r#"{{"type":"webauthn.get","challenge":"{challenge}"}}"#),
		format!(r#"{{"type":1,"challenge":"{challenge}","origin":"{ORIGIN}"}}"#),
		format!(r#"{{"type":"webauthn.get","challenge":null,"origin":"{ORIGIN}"}}"#),
		format!(
			r#"{{"type":"webauthn.get","type":"webauthn.get","challenge":"{challenge}","origin":"{ORIGIN}"}}"#
		),
		format!(
			r#"{{"type":"webauthn.get","challenge":"{challenge}","origin":"{ORIGIN}","origin":"{ORIGIN}"}}"#
		),
		format!(
			r#"{{"type":"webauthn.get","challenge":"{challenge}","origin":"{ORIGIN}","crossOrigin":null}}"#
		),
		format!(
			r#"{{"type":"webauthn.get","challenge":"{challenge}","origin":"{ORIGIN}","crossOrigin":"false"}}"#
		),
		format!(r#"{{"type":"webauthn.get","challenge":"{challenge}","origin":"{ORIGIN}"}}x"#),
		format!(r#"{{"type":"webauthn.get","challenge":"{challenge}","origin":"{ORIGIN}"}}{{}}"#),
	];
	for json in cases {
		let parts = with_client_data(json.clone().into_bytes());
		assert_eq!(check(&parts), Err(E::MalformedClientData), "{json}");
	}
	// Invalid UTF-8 inside a string.
	let mut json = client_data("webauthn.get", &CHALLENGE, ORIGIN);
	let at = json.windows(6).position(|w| w == b"wallet").unwrap();
	json[at] = 0xff;
	assert_eq!(check(&with_client_data(json)), Err(E::MalformedClientData));
	// Cross-origin iframes.
	let parts = with_client_data(client_data_raw(
		"webauthn.get",
		&challenge,
		ORIGIN,
		r#","crossOrigin":true"#,
	));
	assert_eq!(check(&parts), Err(E::CrossOrigin));
	for top in [r#","topOrigin":"https://wallet.example""#, r#","topOrigin":null"#] {
		let parts = with_client_data(client_data_raw("webauthn.get", &challenge, ORIGIN, top));
		assert_eq!(check(&parts), Err(E::TopOrigin), "{top}");
	}
}

#[test]
fn size_caps() {
	// clientDataJSON of exactly the cap is accepted, one byte more is not.
	let base = client_data_raw("webauthn.get", &b64url(&CHALLENGE), ORIGIN, "");
	let pad = MAX_CLIENT_DATA_JSON_LEN as usize - base.len() - r#","x":"""#.len();
	let tail = format!(r#","x":"{}""#, "a".repeat(pad));
	let json = client_data_raw("webauthn.get", &b64url(&CHALLENGE), ORIGIN, &tail);
	assert_eq!(json.len(), MAX_CLIENT_DATA_JSON_LEN as usize);
	assert!(check(&with_client_data(json)).is_ok());
	let tail = format!(r#","x":"{}""#, "a".repeat(pad + 1));
	let json = client_data_raw("webauthn.get", &b64url(&CHALLENGE), ORIGIN, &tail);
	assert_eq!(check(&with_client_data(json)), Err(E::ClientDataTooLong));

	// Authenticator data of exactly the cap (an extensions map with a long byte string).
	// Fixed part (37), map of one (1), text "x" (2), byte string header (3 from 256 bytes).
	let filler = MAX_AUTHENTICATOR_DATA_LEN as usize - (37 + 1 + 2 + 3);
	let ext = |n: usize| [vec![0xa1], cbor_text("x"), cbor_bytes(&vec![0; n])].concat();
	let data = auth_data(RP_ID, UP | ED, 0, &ext(filler));
	assert_eq!(data.len(), MAX_AUTHENTICATOR_DATA_LEN as usize);
	assert!(check(&with_auth_data(data)).is_ok());
	let data = auth_data(RP_ID, UP | ED, 0, &ext(filler + 1));
	assert_eq!(check(&with_auth_data(data)), Err(E::AuthenticatorDataTooLong));

	// Signatures: 72 bytes is the DER cap, 73 is too long.
	let mut parts = valid_assertion();
	parts.signature = vec![0x30; MAX_DER_SIGNATURE_LEN as usize + 1];
	assert_eq!(check(&parts), Err(E::SignatureTooLong));
	parts.signature = vec![0x30; MAX_DER_SIGNATURE_LEN as usize];
	assert_eq!(check(&parts), Err(E::MalformedSignature));

	// Credential ids: 255 bytes accepted, 256 refused.
	let id = vec![0x11; MAX_CREDENTIAL_ID_LEN as usize];
	let data = auth_data(RP_ID, UP | AT, 0, &attested(&id, &cose_key(&signing_key())));
	assert_eq!(register(&packed_with(data)).map(|r| r.credential_id), Ok(id));
	let id = vec![0x11; MAX_CREDENTIAL_ID_LEN as usize + 1];
	let data = auth_data(RP_ID, UP | AT, 0, &attested(&id, &cose_key(&signing_key())));
	assert_eq!(register(&packed_with(data)), Err(E::CredentialIdTooLong));

	// Attestation objects.
	let too_long = vec![0xa0; MAX_ATTESTATION_OBJECT_LEN as usize + 1];
	assert_eq!(attestation(too_long), Err(E::AttestationObjectTooLong));
	// Authenticator data inside an attestation object is capped as well.
	let data = auth_data(
		RP_ID,
		UP | AT | ED,
		0,
		&[attested(CREDENTIAL_ID, &cose_key(&signing_key())), ext(filler)].concat(),
	);
	assert!(data.len() > MAX_AUTHENTICATOR_DATA_LEN as usize);
	assert_eq!(register(&packed_with(data)), Err(E::AuthenticatorDataTooLong));
}

#[test]
fn malformed_authenticator_data() {
	let full = registration_auth_data(UP);
	let cases: Vec<(Vec<u8>, E)> = vec![
		(vec![], E::MalformedAuthenticatorData),
		(auth_data(RP_ID, UP, 0, &[])[..36].to_vec(), E::MalformedAuthenticatorData),
		// AT set, attested credential data truncated at every point before the COSE key.
		(full[..37 + 15].to_vec(), E::MalformedAuthenticatorData),
		(full[..37 + 17].to_vec(), E::MalformedAuthenticatorData),
		(full[..37 + 18 + CREDENTIAL_ID.len() - 1].to_vec(), E::MalformedAuthenticatorData),
		(full[..37 + 18 + CREDENTIAL_ID.len()].to_vec(), E::MalformedPublicKey),
		(full[..full.len() - 1].to_vec(), E::MalformedPublicKey),
		// An empty credential id.
		(
			auth_data(RP_ID, UP | AT, 0, &attested(&[], &cose_key(&signing_key()))),
			E::MalformedAuthenticatorData,
		),
		([full.as_slice(), &[0]].concat(), E::TrailingBytes),
	];
	for (data, error) in cases {
		assert_eq!(register(&packed_with(data.clone())), Err(error), "{data:?}");
	}
	// In an assertion.
	assert_eq!(check(&with_auth_data(vec![0; 36])), Err(E::MalformedAuthenticatorData));
	assert_eq!(check(&with_auth_data(full)), Err(E::UnexpectedAttestedCredential));
}

/// The names of every variant of [`WebAuthnError`], from its type information.
fn variant_names() -> BTreeSet<String> {
	match WebAuthnError::type_info().type_def {
		TypeDef::Variant(def) => def.variants.iter().map(|v| v.name.to_string()).collect(),
		other => panic!("not an enum: {other:?}"),
	}
}

#[test]
fn every_error_variant_once() {
	let mut produced = BTreeSet::new();
	let mut expect = |expected: E, result: Result<(), E>| {
		assert_eq!(result, Err(expected));
		produced.insert(format!("{expected:?}"));
	};
	let assertion = |parts: AssertionParts| check(&parts).map(|_| ());
	let registration = |parts: RegistrationParts| register(&parts).map(|_| ());
	let valid = valid_assertion;

	expect(
		E::ClientDataTooLong,
		assertion(AssertionParts { client_data_json: vec![b' '; 1025], ..valid() }),
	);
	expect(
		E::AuthenticatorDataTooLong,
		assertion(AssertionParts { authenticator_data: vec![0; 1025], ..valid() }),
	);
	expect(
		E::AttestationObjectTooLong,
		attestation(vec![0; MAX_ATTESTATION_OBJECT_LEN as usize + 1]).map(|_| ()),
	);
	expect(E::SignatureTooLong, assertion(AssertionParts { signature: vec![0x30; 73], ..valid() }));
	expect(E::MalformedClientData, assertion(with_client_data(b"not json".to_vec())));
	expect(
		E::WrongType,
		assertion(with_client_data(client_data("webauthn.create", &CHALLENGE, ORIGIN))),
	);
	expect(
		E::MalformedChallenge,
		assertion(with_client_data(client_data_raw(
			"webauthn.get",
			&format!("{}=", b64url(&CHALLENGE)),
			ORIGIN,
			"",
		))),
	);
	expect(
		E::ChallengeMismatch,
		assertion(with_client_data(client_data("webauthn.get", &[8; 32], ORIGIN))),
	);
	expect(
		E::OriginNotAllowed,
		assertion(with_client_data(client_data(
			"webauthn.get",
			&CHALLENGE,
			"https://evil.example",
		))),
	);
	expect(
		E::CrossOrigin,
		assertion(with_client_data(client_data_raw(
			"webauthn.get",
			&b64url(&CHALLENGE),
			ORIGIN,
			r#","crossOrigin":true"#,
		))),
	);
	expect(
		E::TopOrigin,
		assertion(with_client_data(client_data_raw(
			"webauthn.get",
			&b64url(&CHALLENGE),
			ORIGIN,
			r#","crossOrigin":false,"topOrigin":"https://top.example""#,
		))),
	);
	expect(E::MalformedAuthenticatorData, assertion(with_auth_data(vec![0; 36])));
	expect(E::RpIdHashMismatch, assertion(with_auth_data(auth_data("other.example", UP, 0, &[]))));
	expect(E::UserNotPresent, assertion(with_auth_data(auth_data(RP_ID, 0, 0, &[]))));
	expect(
		E::UserNotVerified,
		check_with(&with_auth_data(auth_data(RP_ID, UP, 0, &[])), &uv_policy()).map(|_| ()),
	);
	expect(
		E::InconsistentBackupFlags,
		assertion(with_auth_data(auth_data(RP_ID, UP | BS, 0, &[]))),
	);
	expect(E::UnexpectedAttestedCredential, assertion(with_auth_data(registration_auth_data(UP))));
	expect(E::MissingAttestedCredential, registration(packed_with(auth_data(RP_ID, UP, 0, &[]))));
	expect(
		E::CredentialIdTooLong,
		registration(packed_with(auth_data(
			RP_ID,
			UP | AT,
			0,
			&attested(&[0; 256], &cose_key(&signing_key())),
		))),
	);
	expect(E::MalformedExtensions, assertion(with_auth_data(auth_data(RP_ID, UP | ED, 0, &[]))));
	expect(E::TrailingBytes, assertion(with_auth_data(auth_data(RP_ID, UP, 0, &[0]))));
	expect(
		E::MalformedPublicKey,
		registration(none_with(auth_data(
			RP_ID,
			UP | AT,
			0,
			&attested(CREDENTIAL_ID, &cose_key(&signing_key())[..76]),
		))),
	);
	let mut ed25519 = cose_key(&signing_key());
	ed25519[4] = 0x27; // alg -8
	expect(
		E::UnsupportedAlgorithm,
		registration(none_with(auth_data(RP_ID, UP | AT, 0, &attested(CREDENTIAL_ID, &ed25519)))),
	);
	expect(E::MalformedSignature, assertion(AssertionParts { signature: vec![0; 64], ..valid() }));
	let parts = valid();
	let other = sign_der(&other_key(), &parts.authenticator_data, &parts.client_data_json);
	expect(E::BadSignature, assertion(AssertionParts { signature: other, ..parts }));
	expect(E::MalformedAttestation, attestation(cbor_text("none")).map(|_| ()));
	let reg = valid_registration(true);
	let sig = sign_der(&signing_key(), &reg.authenticator_data, &reg.client_data_json);
	expect(
		E::UnsupportedAttestation,
		attestation(attestation_object(
			"fido-u2f",
			&packed_statement(&sig),
			&reg.authenticator_data,
		))
		.map(|_| ()),
	);
	let sig = sign_der(&other_key(), &reg.authenticator_data, &reg.client_data_json);
	expect(
		E::BadAttestationSignature,
		attestation(attestation_object("packed", &packed_statement(&sig), &reg.authenticator_data))
			.map(|_| ()),
	);

	assert_eq!(produced, variant_names(), "every variant is produced by some input");
}

#[test]
fn errors_encode_in_one_byte() {
	assert_eq!(WebAuthnError::max_encoded_len(), 1);
	for error in [E::ClientDataTooLong, E::BadSignature, E::BadAttestationSignature] {
		let encoded = error.encode();
		assert_eq!(encoded.len(), 1);
		assert_eq!(WebAuthnError::decode(&mut &encoded[..]), Ok(error));
	}
}
