//! The runtime API of the audit-anchors pallet: logs, their tree heads, proof checks against
//! them, the Meta-Accounts' activity logs and the anchors tree (polkadot.js: `api.call.auditAnchorsApi.*`; subxt:
//! `runtime_apis().audit_anchors_api()`). Every type is in the metadata.

use crate::types::*;
use alloc::vec::Vec;

sp_api::decl_runtime_apis! {
	/// Audit logs, their anchored tree heads, and inclusion and consistency checks.
	pub trait AuditAnchorsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// A registered log, with its latest tree head.
		fn log(log: LogId) -> Option<LogInfo<AccountId, Balance, BlockNumber>>;
		/// Up to `limit` (at most 100) logs of `owner`, ids from `start`.
		fn logs_of(owner: LogOwner<AccountId>, start: LogId, limit: u32) -> Vec<LogId>;
		/// The log's latest tree head.
		fn latest_head(log: LogId) -> Option<TreeHead<BlockNumber>>;
		/// The log's tree head covering exactly `tree_size` entries, if it is still on-chain.
		fn head_at(log: LogId, tree_size: u64) -> Option<TreeHead<BlockNumber>>;
		/// Whether `leaf` (the RFC 6962 leaf hash `SHA-256(0x00 ‖ entry)`) is entry `index` of
		/// the log's anchored head of `tree_size` entries, by the audit path `proof`; the head
		/// on success.
		fn verify_inclusion(
			log: LogId,
			leaf: NodeHash,
			index: u64,
			tree_size: u64,
			proof: Vec<NodeHash>,
		) -> Result<TreeHead<BlockNumber>, VerifyError>;
		/// Whether the log's anchored head of `old_size` entries is a prefix of its head of
		/// `new_size` entries, by the RFC 6962 consistency proof `proof`.
		fn verify_consistency(
			log: LogId,
			old_size: u64,
			new_size: u64,
			proof: Vec<NodeHash>,
		) -> Result<(), VerifyError>;
		/// The activity log of a Meta-Account as it stands (its entries are in the nodes'
		/// offchain index: `waas_accountActivity`).
		fn activity_log(
			meta_account: MetaAccountId,
		) -> Option<ActivityLog<AccountId, Balance, BlockNumber>>;
		/// Whether `leaf` is entry `index` of the activity log of `meta_account`, whose current
		/// size `tree_size` must be, by the audit path `proof`; the log on success.
		fn verify_activity(
			meta_account: MetaAccountId,
			leaf: NodeHash,
			index: u64,
			tree_size: u64,
			proof: Vec<NodeHash>,
		) -> Result<ActivityLog<AccountId, Balance, BlockNumber>, VerifyError>;
		/// The anchors tree (every head anchored on this chain, in order) as it stands; its
		/// entries are in the nodes' offchain index (`waas_anchorProof`), its heads are
		/// published by the EVM sink.
		fn anchors_tree() -> AnchorsTree;
	}
}
