//! How a payload is hashed before it is signed. Signers hash the payload themselves; the
//! runtime hashes it the same way to verify the signature.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sha2::{Digest as _, Sha256};
use sha3::Keccak256;

/// A payload hashing scheme.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[cfg_attr(feature = "std", derive(serde::Serialize, serde::Deserialize))]
pub enum HashScheme {
	/// keccak-256 (EVM chains).
	Keccak256,
	/// SHA-256.
	Sha256,
	/// SHA-256 of SHA-256 (Bitcoin-style).
	DoubleSha256,
}

impl HashScheme {
	/// The 32-byte digest of `payload` under this scheme.
	pub fn hash(&self, payload: &[u8]) -> [u8; 32] {
		match self {
			HashScheme::Keccak256 => Keccak256::digest(payload).into(),
			HashScheme::Sha256 => Sha256::digest(payload).into(),
			HashScheme::DoubleSha256 => Sha256::digest(Sha256::digest(payload)).into(),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use hex_literal::hex;

	#[test]
	fn known_digests() {
		assert_eq!(
			HashScheme::Keccak256.hash(b""),
			hex!("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
		);
		assert_eq!(
			HashScheme::Keccak256.hash(b"abc"),
			hex!("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
		);
		assert_eq!(
			HashScheme::Sha256.hash(b""),
			hex!("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
		);
		assert_eq!(
			HashScheme::Sha256.hash(b"abc"),
			hex!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
		);
		assert_eq!(
			HashScheme::DoubleSha256.hash(b"abc"),
			hex!("4f8b42c22dd3729b519ba6f68d2da7cc5b2d606d05daed5ad5128cc03e6c6358")
		);
	}
}
