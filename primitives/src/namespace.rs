//! Derivation-path namespaces.
//!
//! The first index of every path the committee signs on names the requester that owns it, so
//! requesters can never sign on each other's paths: the threshold-signers pallet refuses a path
//! whose first index is not the requester's namespace, and records the owner of every path
//! prefix on first use. Runtime, signers and clients share these numbers.

/// A path namespace: the first index of a derivation path (non-hardened, below 2^31).
pub type Namespace = u32;

/// Paths of the privileged origin (governance, sudo on a dev chain).
pub const PRIVILEGED: Namespace = 0;
/// Paths of Meta-Accounts' ephemeral addresses (the ephemeral-addresses pallet).
pub const META_ACCOUNT_ADDRESSES: Namespace = 1;
/// Paths of swap intents' deposit addresses (reserved for the intents pallet).
pub const INTENTS: Namespace = 2;
/// Paths of the audit-anchors pallet's anchoring addresses ([`audit_evm_sink_path`]).
pub const AUDIT_ANCHORS: Namespace = 3;

/// The path of the audit pallet's anchoring address on EVM chain `chain_id`:
/// `[AUDIT_ANCHORS, chain_id >> 31, chain_id mod 2^31]` (chain ids below 2^62).
pub fn audit_evm_sink_path(chain_id: u64) -> [u32; 3] {
	const LOW: u64 = (1 << 31) - 1;
	[AUDIT_ANCHORS, ((chain_id >> 31) & LOW) as u32, (chain_id & LOW) as u32]
}

/// The part of `path` whose owner is recorded on-chain: every index but the last, and never
/// less than the namespace itself. Two paths with the same owner record share a prefix; two
/// requesters can only sign the same path if they own the same prefix.
pub fn path_prefix(path: &[u32]) -> &[u32] {
	let keep = path.len().saturating_sub(1).max(1).min(path.len());
	&path[..keep]
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn prefixes_keep_the_namespace() {
		assert_eq!(path_prefix(&[]), &[] as &[u32]);
		assert_eq!(path_prefix(&[PRIVILEGED]), &[PRIVILEGED]);
		assert_eq!(path_prefix(&[PRIVILEGED, 5]), &[PRIVILEGED]);
		assert_eq!(path_prefix(&[1, 2, 3, 4, 9]), &[1, 2, 3, 4]);
	}
}
