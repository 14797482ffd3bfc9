//! ECDSA secp256k1 checks. The runtime verifies with the host function; these are for the
//! canonical-form rule (shared with signers) and for off-chain verification.

use crate::derivation::CompressedPublicKey;
use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};

/// Whether `r ‖ s` is canonical: `0 < r < n` and `0 < s ≤ n/2` (EIP-2 low-s). Exactly one of
/// the two valid signatures `(r, s)` and `(r, n - s)` passes, so a signature cannot be altered
/// after the fact.
pub fn is_canonical(signature: &[u8; 64]) -> bool {
	match Signature::from_slice(signature) {
		Ok(sig) => sig.normalize_s().is_none(),
		Err(_) => false,
	}
}

/// The compressed public key that produced `r ‖ s` over `prehash`, given the recovery id
/// (0..=3). `None` on any invalid input.
pub fn recover_compressed(
	signature: &[u8; 64],
	recovery_id: u8,
	prehash: &[u8; 32],
) -> Option<CompressedPublicKey> {
	let sig = Signature::from_slice(signature).ok()?;
	let rid = RecoveryId::from_byte(recovery_id)?;
	let key = VerifyingKey::recover_from_prehash(prehash, &sig, rid).ok()?;
	key.to_encoded_point(true).as_bytes().try_into().ok()
}

#[cfg(test)]
mod tests {
	use super::*;
	use k256::ecdsa::SigningKey;

	#[test]
	fn canonical_form_and_recovery() {
		let key = SigningKey::from_slice(&[0x11; 32]).unwrap();
		let prehash = [0x22u8; 32];
		let (sig, rid) = key.sign_prehash_recoverable(&prehash).unwrap();
		let bytes: [u8; 64] = sig.to_bytes().into();
		assert!(is_canonical(&bytes));
		let expected: CompressedPublicKey =
			key.verifying_key().to_encoded_point(true).as_bytes().try_into().unwrap();
		assert_eq!(recover_compressed(&bytes, rid.to_byte(), &prehash), Some(expected));
		assert_ne!(recover_compressed(&bytes, rid.to_byte() ^ 1, &prehash), Some(expected));

		// (r, n - s) is also a valid signature, but high-s.
		let high: Signature = Signature::from_scalars(sig.r(), -*sig.s()).unwrap();
		let high_bytes: [u8; 64] = high.to_bytes().into();
		assert!(!is_canonical(&high_bytes));

		assert!(!is_canonical(&[0u8; 64]));
		assert!(!is_canonical(&[0xff; 64]));
		assert_eq!(recover_compressed(&bytes, 4, &prehash), None);
		assert_eq!(recover_compressed(&[0u8; 64], 0, &prehash), None);
	}
}
