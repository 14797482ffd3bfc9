//! WebAuthn test inputs, built independently of the verifier: JSON written out by hand, CBOR
//! and authenticator data assembled byte by byte, signatures made by `p256`'s own
//! SHA-256-hashing signer.

#![allow(dead_code)]

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use p256::ecdsa::{signature::Signer as _, Signature, SigningKey};
use sha2::{Digest as _, Sha256};
use waas_primitives::webauthn::{Assertion, PasskeyPublicKey, Policy, RelyingParty};

pub const RP_ID: &str = "wallet.example";
pub const ORIGIN: &str = "https://wallet.example";
pub const CHALLENGE: [u8; 32] = [7; 32];
pub const AAGUID: [u8; 16] = [0xaa; 16];
pub const CREDENTIAL_ID: &[u8] = b"credential-0123456789";

pub const UP: u8 = 0x01;
pub const UV: u8 = 0x04;
pub const BE: u8 = 0x08;
pub const BS: u8 = 0x10;
pub const AT: u8 = 0x40;
pub const ED: u8 = 0x80;

pub static RELYING_PARTIES: &[RelyingParty] = &[
	RelyingParty { rp_id: RP_ID, origin: ORIGIN, any_port: false },
	RelyingParty { rp_id: "localhost", origin: "http://localhost", any_port: true },
];

pub fn policy() -> Policy<'static> {
	Policy { relying_parties: RELYING_PARTIES, require_user_verification: false }
}

pub fn uv_policy() -> Policy<'static> {
	Policy { relying_parties: RELYING_PARTIES, require_user_verification: true }
}

pub fn signing_key() -> SigningKey {
	SigningKey::from_slice(&[0x42; 32]).unwrap()
}

pub fn other_key() -> SigningKey {
	SigningKey::from_slice(&[0x43; 32]).unwrap()
}

pub fn public_key(key: &SigningKey) -> PasskeyPublicKey {
	PasskeyPublicKey::from_sec1(key.verifying_key().to_encoded_point(false).as_bytes()).unwrap()
}

pub fn b64url(bytes: &[u8]) -> String {
	URL_SAFE_NO_PAD.encode(bytes)
}

/// clientDataJSON as Chromium writes it.
pub fn client_data(ty: &str, challenge: &[u8], origin: &str) -> Vec<u8> {
	client_data_raw(ty, &b64url(challenge), origin, r#","crossOrigin":false"#)
}

/// clientDataJSON with the challenge text as given and `tail` before the closing brace.
pub fn client_data_raw(ty: &str, challenge: &str, origin: &str, tail: &str) -> Vec<u8> {
	format!(r#"{{"type":"{ty}","challenge":"{challenge}","origin":"{origin}"{tail}}}"#).into_bytes()
}

pub fn cbor_head(major: u8, len: usize) -> Vec<u8> {
	let m = major << 5;
	match len {
		0..=23 => vec![m | len as u8],
		24..=255 => vec![m | 24, len as u8],
		_ => vec![m | 25, (len >> 8) as u8, len as u8],
	}
}

pub fn cbor_text(text: &str) -> Vec<u8> {
	[cbor_head(3, text.len()), text.as_bytes().to_vec()].concat()
}

pub fn cbor_bytes(bytes: &[u8]) -> Vec<u8> {
	[cbor_head(2, bytes.len()), bytes.to_vec()].concat()
}

/// The COSE key of `key`: `{1: 2, 3: -7, -1: 1, -2: x, -3: y}` in CTAP2 canonical order.
pub fn cose_key(key: &SigningKey) -> Vec<u8> {
	let point = key.verifying_key().to_encoded_point(false);
	let (x, y) = (point.x().unwrap(), point.y().unwrap());
	let mut out = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20];
	out.extend_from_slice(x);
	out.extend_from_slice(&[0x22, 0x58, 0x20]);
	out.extend_from_slice(y);
	out
}

/// Attested credential data: AAGUID ‖ credential id length (BE) ‖ credential id ‖ COSE key.
pub fn attested(credential_id: &[u8], cose: &[u8]) -> Vec<u8> {
	let mut out = AAGUID.to_vec();
	out.extend_from_slice(&(credential_id.len() as u16).to_be_bytes());
	out.extend_from_slice(credential_id);
	out.extend_from_slice(cose);
	out
}

/// Authenticator data: SHA-256(rp_id) ‖ flags ‖ sign count (BE) ‖ rest.
pub fn auth_data(rp_id: &str, flags: u8, sign_count: u32, rest: &[u8]) -> Vec<u8> {
	let mut out = Sha256::digest(rp_id.as_bytes()).to_vec();
	out.push(flags);
	out.extend_from_slice(&sign_count.to_be_bytes());
	out.extend_from_slice(rest);
	out
}

/// ECDSA P-256/SHA-256 over authenticatorData ‖ SHA-256(clientDataJSON), by p256's signer
/// (which hashes the message itself).
pub fn sign(key: &SigningKey, authenticator_data: &[u8], client_data_json: &[u8]) -> Signature {
	let message = [authenticator_data, Sha256::digest(client_data_json).as_slice()].concat();
	key.sign(&message)
}

pub fn sign_der(key: &SigningKey, authenticator_data: &[u8], client_data_json: &[u8]) -> Vec<u8> {
	sign(key, authenticator_data, client_data_json).to_der().as_bytes().to_vec()
}

/// An assertion's three byte strings.
#[derive(Clone, Debug)]
pub struct AssertionParts {
	pub authenticator_data: Vec<u8>,
	pub client_data_json: Vec<u8>,
	pub signature: Vec<u8>,
}

impl AssertionParts {
	/// Signs `authenticator_data` and `client_data_json` with the test key (DER).
	pub fn signed(authenticator_data: Vec<u8>, client_data_json: Vec<u8>) -> Self {
		let signature = sign_der(&signing_key(), &authenticator_data, &client_data_json);
		Self { authenticator_data, client_data_json, signature }
	}

	pub fn as_assertion(&self) -> Assertion<'_> {
		Assertion {
			authenticator_data: &self.authenticator_data,
			client_data_json: &self.client_data_json,
			signature: &self.signature,
		}
	}
}

/// A valid assertion for [`CHALLENGE`] on [`ORIGIN`], signed by [`signing_key`].
pub fn valid_assertion() -> AssertionParts {
	AssertionParts::signed(
		auth_data(RP_ID, UP, 5, &[]),
		client_data("webauthn.get", &CHALLENGE, ORIGIN),
	)
}

/// `{"fmt": fmt, "attStmt": statement, "authData": authenticator_data}`.
pub fn attestation_object(fmt: &str, statement: &[u8], authenticator_data: &[u8]) -> Vec<u8> {
	[
		vec![0xa3],
		cbor_text("fmt"),
		cbor_text(fmt),
		cbor_text("attStmt"),
		statement.to_vec(),
		cbor_text("authData"),
		cbor_bytes(authenticator_data),
	]
	.concat()
}

/// A `packed` self-attestation statement: `{"alg": -7, "sig": signature}`.
pub fn packed_statement(signature: &[u8]) -> Vec<u8> {
	[vec![0xa2], cbor_text("alg"), vec![0x26], cbor_text("sig"), cbor_bytes(signature)].concat()
}

/// A registration's two byte strings, and where authenticator data sits in the attestation
/// object.
#[derive(Clone, Debug)]
pub struct RegistrationParts {
	pub attestation_object: Vec<u8>,
	pub client_data_json: Vec<u8>,
	pub authenticator_data: Vec<u8>,
	/// Offset of authenticator data inside the attestation object.
	pub authenticator_data_offset: usize,
}

/// Registration authenticator data of the test key.
pub fn registration_auth_data(flags: u8) -> Vec<u8> {
	auth_data(RP_ID, flags | AT, 0, &attested(CREDENTIAL_ID, &cose_key(&signing_key())))
}

/// A registration for [`CHALLENGE`] on [`ORIGIN`]: attestation `none`, or `packed`
/// self-attestation by [`signing_key`].
pub fn registration(packed: bool, authenticator_data: Vec<u8>) -> RegistrationParts {
	let client_data_json = client_data("webauthn.create", &CHALLENGE, ORIGIN);
	let attestation_object = if packed {
		let signature = sign_der(&signing_key(), &authenticator_data, &client_data_json);
		attestation_object("packed", &packed_statement(&signature), &authenticator_data)
	} else {
		attestation_object("none", &[0xa0], &authenticator_data)
	};
	let authenticator_data_offset = attestation_object.len() - authenticator_data.len();
	RegistrationParts {
		attestation_object,
		client_data_json,
		authenticator_data,
		authenticator_data_offset,
	}
}

pub fn valid_registration(packed: bool) -> RegistrationParts {
	registration(packed, registration_auth_data(UP))
}
