//! Real browser vectors: what Chromium's virtual authenticator (CTAP2, ES256, user
//! verification) produced for `navigator.credentials.create()` with attestation `none` and
//! `direct`, and for `navigator.credentials.get()` by the `none` credential, on a page served
//! from `http://localhost:<port>` (`fixtures/webauthn-chromium.json`, all bytes in hex).

mod common;

use common::{attestation_object, packed_statement};
use p256::{ecdsa::Signature, elliptic_curve::scalar::IsHigh as _};
use serde_json::Value;
use waas_primitives::webauthn::{
	verify_assertion, verify_registration, Assertion, Flags, Policy, RelyingParty, WebAuthnError,
};

static DEV: &[RelyingParty] =
	&[RelyingParty { rp_id: "localhost", origin: "http://localhost", any_port: true }];

fn policy(require_user_verification: bool) -> Policy<'static> {
	Policy { relying_parties: DEV, require_user_verification }
}

fn fixture() -> Value {
	let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/webauthn-chromium.json");
	serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

fn hex_field(value: &Value, name: &str) -> Vec<u8> {
	hex::decode(value[name].as_str().unwrap_or_else(|| panic!("{name}"))).expect(name)
}

fn challenge(value: &Value) -> [u8; 32] {
	hex_field(value, "challenge").try_into().expect("32-byte challenge")
}

#[test]
fn the_fixture_is_a_localhost_dev_server() {
	let fixture = fixture();
	assert_eq!(fixture["rp_id"], "localhost");
	let origin = fixture["origin"].as_str().unwrap();
	assert!(origin.starts_with("http://localhost:"), "{origin}");
	assert!(DEV[0].matches_origin(origin));
}

#[test]
fn registration_none_then_assertion() {
	let fixture = fixture();
	let registration = &fixture["registration_none"];
	let registered = verify_registration(
		&hex_field(registration, "attestation_object"),
		&hex_field(registration, "client_data_json"),
		&challenge(registration),
		&policy(true),
	)
	.expect("Chromium's registration verifies");
	assert_eq!(registered.credential_id, hex_field(registration, "credential_id"));
	assert!(!registered.self_attested);
	assert_eq!(
		registered.flags,
		Flags { user_present: true, user_verified: true, ..Flags::default() }
	);

	let assertion = &fixture["assertion"];
	assert_eq!(assertion["credential_id"], registration["credential_id"]);
	let authenticator_data = hex_field(assertion, "authenticator_data");
	let client_data_json = hex_field(assertion, "client_data_json");
	let signature = hex_field(assertion, "signature");
	let parts = Assertion {
		authenticator_data: &authenticator_data,
		client_data_json: &client_data_json,
		signature: &signature,
	};
	let verified =
		verify_assertion(&registered.public_key, &parts, &challenge(assertion), &policy(true))
			.expect("Chromium's assertion verifies with the registered key");
	assert!(verified.flags.user_present && verified.flags.user_verified);
	assert!(verified.sign_count > registered.sign_count);

	// Another challenge: refused.
	let mut wrong = challenge(assertion);
	wrong[0] ^= 1;
	assert_eq!(
		verify_assertion(&registered.public_key, &parts, &wrong, &policy(true)),
		Err(WebAuthnError::ChallengeMismatch)
	);
	// The registration's challenge is not the assertion's.
	assert_eq!(
		verify_assertion(&registered.public_key, &parts, &challenge(registration), &policy(true)),
		Err(WebAuthnError::ChallengeMismatch)
	);
	// Without the any-port rule the dev server's origin is not allowed.
	static EXACT: &[RelyingParty] =
		&[RelyingParty { rp_id: "localhost", origin: "http://localhost", any_port: false }];
	let exact = Policy { relying_parties: EXACT, require_user_verification: false };
	assert_eq!(
		verify_assertion(&registered.public_key, &parts, &challenge(assertion), &exact),
		Err(WebAuthnError::OriginNotAllowed)
	);
	// An rp id other than the one the credential is scoped to.
	static OTHER: &[RelyingParty] =
		&[RelyingParty { rp_id: "127.0.0.1", origin: "http://localhost", any_port: true }];
	let other = Policy { relying_parties: OTHER, require_user_verification: false };
	assert_eq!(
		verify_assertion(&registered.public_key, &parts, &challenge(assertion), &other),
		Err(WebAuthnError::RpIdHashMismatch)
	);
	// The key of the other (direct) credential does not verify it.
	let direct = &fixture["registration_direct"];
	let direct_data = authenticator_data_of(&hex_field(direct, "attestation_object"));
	let direct_key = verify_registration(
		&attestation_object("none", &[0xa0], &direct_data),
		&hex_field(direct, "client_data_json"),
		&challenge(direct),
		&policy(true),
	)
	.unwrap()
	.public_key;
	assert_eq!(
		verify_assertion(&direct_key, &parts, &challenge(assertion), &policy(true)),
		Err(WebAuthnError::BadSignature)
	);

	// The same signature as raw r ‖ s, and with s in either half, verifies too.
	let der = Signature::from_der(&signature).unwrap();
	let low = der.normalize_s().unwrap_or(der);
	let high = Signature::from_scalars(low.r(), -*low.s()).unwrap();
	assert!(bool::from(high.s().is_high()));
	for other in
		[low.to_bytes().to_vec(), high.to_bytes().to_vec(), low.to_der().as_bytes().to_vec()]
	{
		let parts = Assertion { signature: &other, ..parts };
		assert!(verify_assertion(
			&registered.public_key,
			&parts,
			&challenge(assertion),
			&policy(true)
		)
		.is_ok());
	}

	// Any single flipped byte is refused.
	for (field, bytes) in [(0, &authenticator_data), (1, &client_data_json), (2, &signature)] {
		for i in 0..bytes.len() {
			let mut mutated = bytes.clone();
			mutated[i] ^= 0x01;
			let parts = match field {
				0 => Assertion { authenticator_data: &mutated, ..parts },
				1 => Assertion { client_data_json: &mutated, ..parts },
				_ => Assertion { signature: &mutated, ..parts },
			};
			assert!(
				verify_assertion(
					&registered.public_key,
					&parts,
					&challenge(assertion),
					&policy(false)
				)
				.is_err(),
				"field {field} byte {i}"
			);
		}
	}
}

/// The `authData` member of an attestation object.
fn authenticator_data_of(attestation_object: &[u8]) -> Vec<u8> {
	member(attestation_object, "authData", |d| d.bytes().map(<[u8]>::to_vec))
}

/// The `attStmt.sig` member of an attestation object.
fn statement_signature_of(attestation_object: &[u8]) -> Vec<u8> {
	member(attestation_object, "attStmt", |d| {
		let entries = d.map()?.unwrap();
		for _ in 0..entries {
			if d.str()? == "sig" {
				return d.bytes().map(<[u8]>::to_vec);
			}
			d.skip()?;
		}
		panic!("no sig")
	})
}

fn member<T>(
	object: &[u8],
	name: &str,
	read: impl FnOnce(&mut minicbor::Decoder<'_>) -> Result<T, minicbor::decode::Error>,
) -> T {
	let mut decoder = minicbor::Decoder::new(object);
	let entries = decoder.map().unwrap().unwrap();
	for _ in 0..entries {
		if decoder.str().unwrap() == name {
			return read(&mut decoder).unwrap();
		}
		decoder.skip().unwrap();
	}
	panic!("no {name}")
}

#[test]
fn registration_direct_is_packed_with_a_certificate() {
	let fixture = fixture();
	let direct = &fixture["registration_direct"];
	assert_eq!(direct["fmt"], "packed");
	assert_eq!(direct["has_x5c"], true);
	let object = hex_field(direct, "attestation_object");
	let client_data_json = hex_field(direct, "client_data_json");
	assert_eq!(
		verify_registration(&object, &client_data_json, &challenge(direct), &policy(false)),
		Err(WebAuthnError::UnsupportedAttestation)
	);

	// Its signature is the attestation certificate's, not the credential's: without the
	// certificate it is not a self-attestation.
	let data = authenticator_data_of(&object);
	let signature = statement_signature_of(&object);
	let stripped = attestation_object("packed", &packed_statement(&signature), &data);
	assert_eq!(
		verify_registration(&stripped, &client_data_json, &challenge(direct), &policy(false)),
		Err(WebAuthnError::BadAttestationSignature)
	);
	// Its authenticator data is fine: as attestation `none` it registers the credential.
	let none = attestation_object("none", &[0xa0], &data);
	let registered =
		verify_registration(&none, &client_data_json, &challenge(direct), &policy(true)).unwrap();
	assert_eq!(registered.credential_id, hex_field(direct, "credential_id"));
	assert!(!registered.self_attested);
}
