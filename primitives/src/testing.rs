//! Test-only helpers (feature `test-utils`): a BIP32 key that signs the way the committee does.
//!
//! No key made here belongs in a production genesis. Tests use it to make a key Active through
//! the keygen calls and to produce signatures for derived paths; runtime benchmarks (feature
//! `runtime-benchmarks`, `no_std`) use it to produce the valid signatures their worst cases
//! need.

use crate::{ChainCode, CompressedPublicKey, HashScheme};
use bip32::{ChildNumber, PublicKey as _, XPrv};
use k256::{
	ecdsa::SigningKey,
	elliptic_curve::{ff::PrimeField, generic_array::GenericArray},
	Scalar,
};

/// A whole private key with a chain code: what the committee holds only in shares.
#[derive(Clone)]
pub struct TestKey {
	master: XPrv,
}

impl TestKey {
	/// The BIP32 master key of a 32-byte seed.
	pub fn from_seed(seed: [u8; 32]) -> Self {
		Self { master: XPrv::new(seed).expect("a 32-byte seed is a valid BIP32 seed") }
	}

	/// Compressed public key of the master key.
	pub fn public_key(&self) -> CompressedPublicKey {
		self.master.public_key().public_key().to_bytes()
	}

	/// Chain code of the master key.
	pub fn chain_code(&self) -> ChainCode {
		self.master.attrs().chain_code
	}

	fn derive(&self, path: &[u32]) -> XPrv {
		let mut key = self.master.clone();
		for index in path {
			let child = ChildNumber::new(*index, false).expect("non-hardened index");
			key = key.derive_child(child).expect("derivable path");
		}
		key
	}

	/// Public key of the child at `path` (non-hardened).
	pub fn derived_public_key(&self, path: &[u32]) -> CompressedPublicKey {
		self.derive(path).public_key().public_key().to_bytes()
	}

	/// Signs `scheme(payload)` with the child key at `path`: `(r ‖ s, recovery id)`, low-s.
	pub fn sign(&self, path: &[u32], scheme: HashScheme, payload: &[u8]) -> ([u8; 64], u8) {
		let child = self.derive(path);
		let signing_key: &SigningKey = child.private_key();
		let prehash = scheme.hash(payload);
		let (signature, recovery_id) =
			signing_key.sign_prehash_recoverable(&prehash).expect("signing a 32-byte prehash");
		let mut out = [0u8; 64];
		out.copy_from_slice(&signature.to_bytes());
		let mut recovery_id = recovery_id.to_byte();
		if !crate::signature::is_canonical(&out) {
			// Same signature with s replaced by n - s: the recovered point's y parity flips.
			out = flip_s(&out);
			recovery_id ^= 1;
		}
		(out, recovery_id)
	}
}

/// `r ‖ (n - s)`: the other valid ECDSA signature for the same key and message (high-s if the
/// input was low-s).
pub fn flip_s(signature: &[u8; 64]) -> [u8; 64] {
	let repr = GenericArray::clone_from_slice(&signature[32..]);
	let s: Scalar = Option::from(Scalar::from_repr(repr)).expect("s is a scalar");
	let mut out = *signature;
	out[32..].copy_from_slice(&(-s).to_bytes());
	out
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{derive_public_key, signature};

	#[test]
	fn private_and_public_derivation_agree_and_signatures_recover() {
		let key = TestKey::from_seed([3u8; 32]);
		let path = [5, 0x7fff_ffff, 0, 9];
		let (child, _) = derive_public_key(&key.public_key(), &key.chain_code(), &path).unwrap();
		assert_eq!(key.derived_public_key(&path), child);
		for scheme in [HashScheme::Keccak256, HashScheme::Sha256, HashScheme::DoubleSha256] {
			let (sig, rid) = key.sign(&path, scheme, b"payload");
			assert!(signature::is_canonical(&sig));
			assert_eq!(
				signature::recover_compressed(&sig, rid, &scheme.hash(b"payload")),
				Some(child)
			);
			let flipped = flip_s(&sig);
			assert!(!signature::is_canonical(&flipped));
			assert_eq!(flip_s(&flipped), sig);
		}
	}
}

/// How a [`SoftwarePasskey`] attests a new credential.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Attestation {
	/// `none`: nothing signed (what browsers return by default).
	None,
	/// `packed` self-attestation: the new credential signs its registration.
	PackedSelf,
}

/// An assertion's three byte strings, as `navigator.credentials.get` returns them.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SignedAssertion {
	/// `response.authenticatorData`.
	pub authenticator_data: alloc::vec::Vec<u8>,
	/// `response.clientDataJSON`.
	pub client_data_json: alloc::vec::Vec<u8>,
	/// `response.signature` (DER).
	pub signature: alloc::vec::Vec<u8>,
}

/// A software WebAuthn authenticator with one ES256 credential, producing the bytes a browser
/// and authenticator produce: clientDataJSON as Chromium writes it, authenticator data, CBOR
/// attestation objects (by `minicbor`'s encoder) and DER signatures (by `p256`). For tests and
/// benchmarks; the browser end-to-end test uses Chromium's own virtual authenticator.
pub struct SoftwarePasskey {
	key: p256::ecdsa::SigningKey,
	credential_id: alloc::vec::Vec<u8>,
	sign_count: u32,
	counting: bool,
	backed_up: bool,
	/// Whether it reports user presence (UP).
	pub user_present: bool,
	/// Whether it reports user verification (UV).
	pub user_verified: bool,
}

const FLAG_UP: u8 = 0x01;
const FLAG_UV: u8 = 0x04;
const FLAG_BE: u8 = 0x08;
const FLAG_BS: u8 = 0x10;
const FLAG_AT: u8 = 0x40;

impl SoftwarePasskey {
	/// A device-bound passkey: its key from `seed`, its counter increasing with every
	/// signature.
	pub fn new(seed: u8, credential_id: &[u8]) -> Self {
		let mut secret = [seed; 32];
		secret[0] = 0x5a;
		Self {
			key: p256::ecdsa::SigningKey::from_slice(&secret).expect("a valid P-256 scalar"),
			credential_id: credential_id.to_vec(),
			sign_count: 0,
			counting: true,
			backed_up: false,
			user_present: true,
			user_verified: true,
		}
	}

	/// A synced passkey: backed up (BE and BS set) and never counting (counter always 0).
	pub fn synced(seed: u8, credential_id: &[u8]) -> Self {
		Self { counting: false, backed_up: true, ..Self::new(seed, credential_id) }
	}

	/// Its credential id.
	pub fn credential_id(&self) -> &[u8] {
		&self.credential_id
	}

	/// Its public key, SEC1 uncompressed.
	pub fn public_key(&self) -> [u8; 65] {
		let point = self.key.verifying_key().to_encoded_point(false);
		let mut out = [0u8; 65];
		out.copy_from_slice(point.as_bytes());
		out
	}

	/// The counter its last signature carried.
	pub fn sign_count(&self) -> u32 {
		self.sign_count
	}

	/// Sets its counter (a cloned authenticator that lags behind).
	pub fn set_sign_count(&mut self, count: u32) {
		self.sign_count = count;
	}

	fn next_count(&mut self) -> u32 {
		if self.counting {
			self.sign_count = self.sign_count.saturating_add(1);
		}
		self.sign_count
	}

	fn flags(&self) -> u8 {
		let mut flags = 0;
		if self.user_present {
			flags |= FLAG_UP;
		}
		if self.user_verified {
			flags |= FLAG_UV;
		}
		if self.backed_up {
			flags |= FLAG_BE | FLAG_BS;
		}
		flags
	}

	/// clientDataJSON of a ceremony of `ty` for `challenge` on `origin`.
	pub fn client_data(ty: &str, challenge: &[u8; 32], origin: &str) -> alloc::vec::Vec<u8> {
		alloc::format!(
			r#"{{"type":"{ty}","challenge":"{}","origin":"{origin}","crossOrigin":false}}"#,
			crate::webauthn::challenge_text(challenge)
		)
		.into_bytes()
	}

	fn authenticator_data(&self, rp_id: &str, flags: u8, count: u32) -> alloc::vec::Vec<u8> {
		use sha2::Digest as _;
		let mut out = sha2::Sha256::digest(rp_id.as_bytes()).to_vec();
		out.push(flags);
		out.extend_from_slice(&count.to_be_bytes());
		out
	}

	/// DER signature over `authenticator_data ‖ SHA-256(client_data_json)`.
	fn sign(&self, authenticator_data: &[u8], client_data_json: &[u8]) -> alloc::vec::Vec<u8> {
		use p256::ecdsa::signature::Signer as _;
		use sha2::Digest as _;
		let mut message = authenticator_data.to_vec();
		message.extend_from_slice(&sha2::Sha256::digest(client_data_json));
		let signature: p256::ecdsa::Signature = self.key.sign(&message);
		signature.to_der().as_bytes().to_vec()
	}

	/// `navigator.credentials.create` for `challenge` on `origin` / `rp_id`: the attestation
	/// object and clientDataJSON.
	pub fn register(
		&mut self,
		challenge: &[u8; 32],
		origin: &str,
		rp_id: &str,
		attestation: Attestation,
	) -> (alloc::vec::Vec<u8>, alloc::vec::Vec<u8>) {
		let client_data_json = Self::client_data(crate::webauthn::TYPE_CREATE, challenge, origin);
		let count = self.next_count();
		let mut data = self.authenticator_data(rp_id, self.flags() | FLAG_AT, count);
		data.extend_from_slice(&[0x11; 16]);
		data.extend_from_slice(&(self.credential_id.len() as u16).to_be_bytes());
		data.extend_from_slice(&self.credential_id);
		data.extend_from_slice(&self.cose_key());
		let mut object = minicbor::Encoder::new(alloc::vec::Vec::new());
		let written = match attestation {
			Attestation::None => object
				.map(3)
				.and_then(|e| e.str("fmt")?.str("none")?.str("attStmt")?.map(0))
				.and_then(|e| e.str("authData")?.bytes(&data))
				.map(|_| ()),
			Attestation::PackedSelf => {
				let signature = self.sign(&data, &client_data_json);
				object
					.map(3)
					.and_then(|e| e.str("fmt")?.str("packed")?.str("attStmt")?.map(2))
					.and_then(|e| e.str("alg")?.i8(-7)?.str("sig")?.bytes(&signature))
					.and_then(|e| e.str("authData")?.bytes(&data))
					.map(|_| ())
			},
		};
		written.expect("writing CBOR to a Vec cannot fail");
		(object.into_writer(), client_data_json)
	}

	/// The COSE key `{1: 2, 3: -7, -1: 1, -2: x, -3: y}`.
	fn cose_key(&self) -> alloc::vec::Vec<u8> {
		let point = self.public_key();
		let mut key = minicbor::Encoder::new(alloc::vec::Vec::new());
		key.map(5)
			.and_then(|e| e.i8(1)?.i8(2)?.i8(3)?.i8(-7)?.i8(-1)?.i8(1))
			.and_then(|e| e.i8(-2)?.bytes(&point[1..33])?.i8(-3)?.bytes(&point[33..]))
			.expect("writing CBOR to a Vec cannot fail");
		key.into_writer()
	}

	/// `navigator.credentials.get` for `challenge` on `origin` / `rp_id`.
	pub fn assert(&mut self, challenge: &[u8; 32], origin: &str, rp_id: &str) -> SignedAssertion {
		let client_data_json = Self::client_data(crate::webauthn::TYPE_GET, challenge, origin);
		let count = self.next_count();
		let authenticator_data = self.authenticator_data(rp_id, self.flags(), count);
		let signature = self.sign(&authenticator_data, &client_data_json);
		SignedAssertion { authenticator_data, client_data_json, signature }
	}
}

/// A software EVM wallet (secp256k1): EIP-191 `personal_sign` and signatures of EIP-712
/// hashes, in the 65-byte `r ‖ s ‖ v` form wallets return (`v` 27 or 28).
pub struct EvmWallet {
	key: SigningKey,
}

impl EvmWallet {
	/// A wallet whose private key comes from `seed`.
	pub fn new(seed: u8) -> Self {
		let mut secret = [seed; 32];
		secret[0] = 0x3c;
		Self { key: SigningKey::from_slice(&secret).expect("a valid secp256k1 scalar") }
	}

	/// Its address.
	pub fn address(&self) -> [u8; 20] {
		let point = self.key.verifying_key().to_encoded_point(false);
		let mut public = [0u8; 64];
		public.copy_from_slice(&point.as_bytes()[1..]);
		crate::evm_auth::evm_address_of(&public)
	}

	/// Its signature of a 32-byte hash.
	pub fn sign_hash(&self, hash: &[u8; 32]) -> [u8; 65] {
		let (signature, recovery) =
			self.key.sign_prehash_recoverable(hash).expect("a 32-byte prehash signs");
		let mut out = [0u8; 65];
		out[..64].copy_from_slice(&signature.to_bytes());
		out[64] = 27 + recovery.to_byte();
		out
	}

	/// `personal_sign` of `message` (EIP-191).
	pub fn personal_sign(&self, message: &[u8]) -> [u8; 65] {
		self.sign_hash(&crate::evm_auth::eip191_hash(message))
	}
}
