//! Non-hardened BIP32 public derivation, and the path of a Meta-Account's address.
//!
//! The arithmetic is the `bip32` crate's (`ExtendedPublicKey::derive_child` on `k256`): the
//! runtime derives with it, and signers derive the same child with cggmp21's
//! `set_derivation_path` (checked equal at the maximum depth, [`crate::MAX_DERIVATION_DEPTH`],
//! by `offchain-signer/tests/engine.rs`).

use bip32::{ChildNumber, ExtendedKeyAttrs, ExtendedPublicKey, PublicKey as _};

/// A SEC1 compressed secp256k1 public key.
pub type CompressedPublicKey = [u8; 33];
/// A BIP32 chain code.
pub type ChainCode = [u8; 32];

/// Indices at or above this are hardened, which public derivation cannot do.
pub const HARDENED_OFFSET: u32 = 1 << 31;
/// Longest path [`derive_public_key`] accepts.
pub const MAX_DERIVATION_DEPTH: u32 = 8;

/// Why a derivation failed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DerivationError {
	/// The parent public key is not a valid compressed secp256k1 point.
	InvalidPublicKey,
	/// An index is hardened (≥ 2^31).
	HardenedIndex,
	/// The path is longer than [`MAX_DERIVATION_DEPTH`].
	PathTooDeep,
	/// The child is invalid (probability below 2^-127 per step).
	InvalidChild,
}

/// Whether 33 bytes are a valid SEC1 compressed secp256k1 point.
pub fn is_valid_public_key(public_key: &CompressedPublicKey) -> bool {
	matches!(public_key[0], 0x02 | 0x03) && k256::PublicKey::from_sec1_bytes(public_key).is_ok()
}

/// Derives the child public key and chain code along `path` (every index < 2^31).
pub fn derive_public_key(
	public_key: &CompressedPublicKey,
	chain_code: &ChainCode,
	path: &[u32],
) -> Result<(CompressedPublicKey, ChainCode), DerivationError> {
	if path.len() > MAX_DERIVATION_DEPTH as usize {
		return Err(DerivationError::PathTooDeep);
	}
	if !is_valid_public_key(public_key) {
		return Err(DerivationError::InvalidPublicKey);
	}
	let key =
		k256::PublicKey::from_bytes(*public_key).map_err(|_| DerivationError::InvalidPublicKey)?;
	let attrs = ExtendedKeyAttrs {
		depth: 0,
		parent_fingerprint: [0u8; 4],
		child_number: ChildNumber(0),
		chain_code: *chain_code,
	};
	let mut xpub = ExtendedPublicKey::new(key, attrs);
	for index in path {
		let child = ChildNumber::new(*index, false).map_err(|_| DerivationError::HardenedIndex)?;
		xpub = xpub.derive_child(child).map_err(|_| DerivationError::InvalidChild)?;
	}
	Ok((xpub.public_key().to_bytes(), xpub.attrs().chain_code))
}

/// Depth of a Meta-Account address path (see [`meta_account_path`]).
pub const META_ACCOUNT_PATH_DEPTH: u32 = 5;

/// The path of address number `index` of a Meta-Account:
/// `[META_ACCOUNT_ADDRESSES, m0, m1, m2, index]`, where `mK` is the big-endian u32 of
/// `meta_account[4K..4K+4]` with its top bit cleared (93 bits of the id). The chain records
/// which Meta-Account owns each prefix `[1, m0, m1, m2]` when it first provisions an address,
/// so two Meta-Accounts can never share an address even if their ids share those 93 bits.
pub fn meta_account_path(
	meta_account: &[u8; 32],
	index: u32,
) -> Result<[u32; META_ACCOUNT_PATH_DEPTH as usize], DerivationError> {
	if index >= HARDENED_OFFSET {
		return Err(DerivationError::HardenedIndex);
	}
	let word = |k: usize| {
		let mut bytes = [0u8; 4];
		bytes.copy_from_slice(&meta_account[4 * k..4 * k + 4]);
		u32::from_be_bytes(bytes) & (HARDENED_OFFSET - 1)
	};
	Ok([crate::namespace::META_ACCOUNT_ADDRESSES, word(0), word(1), word(2), index])
}

#[cfg(test)]
mod tests {
	use super::*;
	use bip32::XPub;
	use core::str::FromStr;

	fn parts(xpub: &str) -> (CompressedPublicKey, ChainCode) {
		let x = XPub::from_str(xpub).expect("valid xpub");
		(x.public_key().to_bytes(), x.attrs().chain_code)
	}

	/// BIP32 test vectors: (parent xpub, non-hardened index, child xpub).
	const VECTORS: &[(&str, u32, &str)] = &[
		// Vector 1: m/0H -> m/0H/1
		(
			"xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw",
			1,
			"xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ",
		),
		// Vector 1: m/0H/1/2H -> m/0H/1/2H/2
		(
			"xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5",
			2,
			"xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV",
		),
		// Vector 1: m/0H/1/2H/2 -> m/0H/1/2H/2/1000000000
		(
			"xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV",
			1_000_000_000,
			"xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy",
		),
		// Vector 2: m -> m/0
		(
			"xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB",
			0,
			"xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH",
		),
	];

	#[test]
	fn matches_published_bip32_vectors() {
		for (parent, index, child) in VECTORS {
			let (pk, cc) = parts(parent);
			assert_eq!(derive_public_key(&pk, &cc, &[*index]).unwrap(), parts(child), "{child}");
		}
	}

	#[test]
	fn multi_step_path_equals_step_by_step() {
		let (pk, cc) = parts(VECTORS[3].0);
		let (a, ca) = derive_public_key(&pk, &cc, &[0, 7]).unwrap();
		let (m0, c0) = derive_public_key(&pk, &cc, &[0]).unwrap();
		assert_eq!((m0, c0), parts(VECTORS[3].2));
		assert_eq!(derive_public_key(&m0, &c0, &[7]).unwrap(), (a, ca));
		// The empty path is the key itself.
		assert_eq!(derive_public_key(&pk, &cc, &[]).unwrap(), (pk, cc));
	}

	#[test]
	fn rejects_bad_input() {
		let (pk, cc) = parts(VECTORS[3].0);
		assert_eq!(
			derive_public_key(&pk, &cc, &[HARDENED_OFFSET]),
			Err(DerivationError::HardenedIndex)
		);
		assert_eq!(derive_public_key(&pk, &cc, &[1; 9]), Err(DerivationError::PathTooDeep));
		let mut bad = pk;
		bad[0] = 0x04;
		assert_eq!(derive_public_key(&bad, &cc, &[1]), Err(DerivationError::InvalidPublicKey));
		assert!(!is_valid_public_key(&[0u8; 33]));
		assert_eq!(
			derive_public_key(&[0xffu8; 33], &cc, &[1]),
			Err(DerivationError::InvalidPublicKey)
		);
		assert!(is_valid_public_key(&pk));
	}

	#[test]
	fn meta_account_paths() {
		let mut id = [0u8; 32];
		id[..12].copy_from_slice(&[
			0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78,
		]);
		assert_eq!(meta_account_path(&id, 5).unwrap(), [1, 0x7fff_ffff, 1, 0x1234_5678, 5]);
		assert_eq!(meta_account_path(&id, HARDENED_OFFSET), Err(DerivationError::HardenedIndex));
		assert_eq!(meta_account_path(&id, HARDENED_OFFSET - 1).unwrap()[4], HARDENED_OFFSET - 1);
	}
}
