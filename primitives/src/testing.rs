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
