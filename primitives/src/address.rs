//! Address encodings. EVM: `keccak256(uncompressed point)[12..]`, written with the EIP-55
//! checksum.
//!
//! An exception to the rule "use the crates, never hand-roll encodings": EIP-55 is written
//! here over the `sha3` crate's keccak-256, because the crates that implement it
//! (`alloy-primitives`, `ethers`) would bring a large dependency tree into the runtime for
//! twenty lines. It is tested against the specification's own vectors and, end to end,
//! against ethers' `getAddress` (tests/js).

use crate::{caip::ChainFamily, derivation::CompressedPublicKey};
use alloc::vec::Vec;
use sha3::{Digest as _, Keccak256};

/// Longest address text any family produces.
pub const MAX_ADDRESS_LEN: u32 = 64;

/// Why an address could not be made.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AddressError {
	/// The public key is not a valid compressed secp256k1 point.
	InvalidPublicKey,
}

/// The 20-byte EVM address of a public key.
pub fn evm_address(public_key: &CompressedPublicKey) -> Result<[u8; 20], AddressError> {
	let key =
		k256::PublicKey::from_sec1_bytes(public_key).map_err(|_| AddressError::InvalidPublicKey)?;
	let point = k256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(&key, false);
	let uncompressed = point.as_bytes();
	let hash = Keccak256::digest(uncompressed.get(1..).ok_or(AddressError::InvalidPublicKey)?);
	let mut address = [0u8; 20];
	address.copy_from_slice(&hash[12..]);
	Ok(address)
}

/// EIP-55 mixed-case text of an EVM address: `0x` and 40 hex digits, as ASCII bytes.
pub fn eip55(address: &[u8; 20]) -> [u8; 42] {
	const HEX: &[u8; 16] = b"0123456789abcdef";
	let mut lower = [0u8; 40];
	for (i, byte) in address.iter().enumerate() {
		lower[2 * i] = HEX[(byte >> 4) as usize];
		lower[2 * i + 1] = HEX[(byte & 0x0f) as usize];
	}
	let hash = Keccak256::digest(lower);
	let mut out = [0u8; 42];
	out[0] = b'0';
	out[1] = b'x';
	for (i, c) in lower.iter().enumerate() {
		let nibble = (hash[i / 2] >> (if i % 2 == 0 { 4 } else { 0 })) & 0x0f;
		out[2 + i] =
			if c.is_ascii_alphabetic() && nibble >= 8 { c.to_ascii_uppercase() } else { *c };
	}
	out
}

/// The address text of `public_key` on a chain family (EVM: EIP-55).
pub fn encode_address(
	family: &ChainFamily,
	public_key: &CompressedPublicKey,
) -> Result<Vec<u8>, AddressError> {
	match family {
		ChainFamily::Evm { .. } => Ok(eip55(&evm_address(public_key)?).to_vec()),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use hex_literal::hex;

	#[test]
	fn eip55_spec_vectors() {
		for text in [
			"0x52908400098527886E0F7030069857D2E4169EE7",
			"0x8617E340B3D01FA5F11F306F4090FD50E238070D",
			"0xde709f2102306220921060314715629080e2fb77",
			"0x27b1fdb04752bbc536007a920d24acb045561c26",
			"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
			"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
			"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
			"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
		] {
			let mut bytes = [0u8; 20];
			hex::decode_to_slice(&text[2..], &mut bytes).unwrap();
			assert_eq!(&eip55(&bytes)[..], text.as_bytes());
		}
	}

	#[test]
	fn evm_address_of_known_key() {
		let secret = hex!("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
		let key = k256::SecretKey::from_slice(&secret).unwrap().public_key();
		let compressed: CompressedPublicKey =
			k256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(&key, true)
				.as_bytes()
				.try_into()
				.unwrap();
		let address = evm_address(&compressed).unwrap();
		assert_eq!(&eip55(&address)[..], b"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23");
		assert_eq!(
			encode_address(&ChainFamily::Evm { chain_id: 1 }, &compressed).unwrap(),
			b"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23".to_vec()
		);
		assert_eq!(evm_address(&[0u8; 33]), Err(AddressError::InvalidPublicKey));
	}
}
