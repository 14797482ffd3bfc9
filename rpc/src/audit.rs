//! `waas_*` JSON-RPC methods of the audit anchors, backed by the runtime's
//! [`AuditAnchorsApi`].
//!
//! | method | params | result |
//! |---|---|---|
//! | `waas_auditLog` | `log`, `at`? | the log with its latest tree head, or `null` |
//! | `waas_treeHead` | `log`, `treeSize`?, `at`? | the head of that size (latest if omitted), or `null` |
//! | `waas_verifyInclusion` | `log`, `leafHash` (0x, 32 bytes), `index`, `treeSize`, `proof` (array of 0x node hashes), `at`? | `{valid, reason?, head?}` |
//! | `waas_verifyConsistency` | `log`, `oldSize`, `newSize`, `proof`, `at`? | `{valid, reason?}` |
//! | `waas_accountActivity` | `metaAccount` (0x id), `start`?, `limit`? (≤ 100), `at`? | the Meta-Account's activity log and up to `limit` entries from `start`, or `null` |
//! | `waas_activityProof` | `metaAccount`, `index`, `at`? | entry `index` with its inclusion proof against the log's root |
//! | `waas_verifyActivity` | `metaAccount`, `leafHash`, `index`, `treeSize`, `proof`, `at`? | `{valid, reason?}` |
//! | `waas_anchorProof` | `log`, `seq`, `treeSize`?, `at`? | the anchors-tree entry of head `seq` of `log` with its inclusion proof in the anchors tree's first `treeSize` entries (all of them if omitted), or `null` if the head is not among them |
//!
//! The activity methods and `waas_anchorProof` read the entries from the node's offchain index (which `waas-node`
//! keeps) and check them against the root in the chain's state before answering: a node
//! whose index lacks an entry, or holds a wrong one, answers error 9003 rather than a history
//! that does not hold.
//! A proof that does not hold is an answer (`valid: false` with the reason), not an error;
//! malformed parameters are errors (`INVALID_PARAMS`). Proofs have at most
//! [`MAX_PROOF_NODES`] nodes.

use crate::{error_code, hex0x, parse_id, runtime_error, text};
use codec::Codec;
use jsonrpsee::{
	core::{async_trait, RpcResult},
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use pallet_audit_anchors::{
	activity::{read_activity, ActivityReadError},
	evm_sink::read_anchors,
	runtime_api::AuditAnchorsApi as AuditRuntimeApi,
	ActivityEntry, ActivityLog, AnchorsEntry, LogInfo, LogOwner, MetaAccountId, NodeHash, TreeHead,
	VerifyError, MAX_PROOF_NODES,
};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::{fmt::Display, marker::PhantomData, sync::Arc};
use waas_primitives::merkle_log;

/// A tree head in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TreeHeadJson<BlockNumber> {
	/// The anchor's number in its log.
	pub seq: u64,
	/// Entries covered.
	pub tree_size: u64,
	/// RFC 6962 root, 0x hex.
	pub root: String,
	/// The block that recorded it.
	pub block: BlockNumber,
	/// That block's Unix time in milliseconds.
	pub timestamp: u64,
	/// The previous head's hash, 0x hex (zero for the first).
	pub previous: String,
	/// This head's link in the log's hash chain, 0x hex.
	pub chain_hash: String,
}

impl<B> From<TreeHead<B>> for TreeHeadJson<B> {
	fn from(h: TreeHead<B>) -> Self {
		Self {
			seq: h.seq,
			tree_size: h.tree_size,
			root: hex0x(&h.root),
			block: h.block,
			timestamp: h.timestamp,
			previous: hex0x(&h.previous),
			chain_hash: hex0x(&h.chain_hash),
		}
	}
}

/// A log's owner in JSON: `{"account": SS58}`, `{"metaAccount": 0x id}` or `{"pallet":
/// namespace}`.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub enum LogOwnerJson<AccountId> {
	/// An account.
	Account(AccountId),
	/// A Meta-Account, 0x hex.
	MetaAccount(String),
	/// A pallet, by its derivation-path namespace.
	Pallet(u32),
}

/// A log in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogJson<AccountId, BlockNumber> {
	/// Its id.
	pub id: u64,
	/// Who anchors it.
	pub owner: LogOwnerJson<AccountId>,
	/// Who holds its deposit.
	pub deposit_payer: Option<AccountId>,
	/// The deposit, decimal.
	pub deposit: String,
	/// Its format tag.
	pub format: String,
	/// The block it was registered in.
	pub registered_at: BlockNumber,
	/// Anchors so far.
	pub anchors: u64,
	/// Its latest tree head.
	pub latest: Option<TreeHeadJson<BlockNumber>>,
}

/// The answer of a proof check.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VerificationJson<BlockNumber> {
	/// Whether the proof holds against the chain's anchors.
	pub valid: bool,
	/// Why not: `UnknownLog`, `NoHeadAtSize`, `IndexOutOfRange`, `SizesOutOfOrder`,
	/// `WrongProofLength` or `RootMismatch`.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub reason: Option<String>,
	/// The anchored head the entry is included in (inclusion checks).
	#[serde(skip_serializing_if = "Option::is_none")]
	pub head: Option<TreeHeadJson<BlockNumber>>,
}

impl<B> VerificationJson<B> {
	/// The answer for the runtime's `result`, with the head `head` makes of a success.
	fn answer<T>(
		result: Result<T, VerifyError>,
		head: impl FnOnce(T) -> Option<TreeHeadJson<B>>,
	) -> Self {
		match result {
			Ok(found) => Self { valid: true, reason: None, head: head(found) },
			Err(e) => Self::refused(e),
		}
	}

	fn refused(e: VerifyError) -> Self {
		let reason = match e {
			VerifyError::Proof(p) => format!("{p:?}"),
			other => format!("{other:?}"),
		};
		Self { valid: false, reason: Some(reason), head: None }
	}
}

/// The most entries an activity method reads back from the index for one answer.
pub const MAX_ACTIVITY_READ: u64 = 100_000;

/// The most entries `waas_accountActivity` returns at once.
pub const MAX_ACTIVITY_PAGE: u32 = 100;

/// Reads a value of the node's offchain index by key (`None` without one).
pub type OffchainReader = Arc<dyn Fn(&[u8]) -> Option<Vec<u8>> + Send + Sync>;

/// An activity entry in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ActivityEntryJson<BlockNumber> {
	/// Its index in the log.
	pub index: u64,
	/// What happened: the `Activity` variant's name.
	pub kind: String,
	/// The block that recorded it.
	pub block: BlockNumber,
	/// That block's Unix time in milliseconds.
	pub timestamp: u64,
	/// Its RFC 6962 leaf hash, `SHA-256(0x00 ‖ entry)`, 0x hex.
	pub leaf_hash: String,
	/// The entry, SCALE-encoded (`PalletAuditAnchorsActivityEntry` in the metadata), 0x hex.
	pub entry: String,
}

/// A Meta-Account's activity log in JSON, with a page of its entries.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ActivityJson<BlockNumber> {
	/// The Meta-Account, 0x hex.
	pub meta_account: String,
	/// Entries in the log.
	pub tree_size: u64,
	/// The RFC 6962 root of all of them (in the chain's state), 0x hex.
	pub root: String,
	/// The block of the latest entry.
	pub updated_at: BlockNumber,
	/// The page asked for, oldest first.
	pub entries: Vec<ActivityEntryJson<BlockNumber>>,
}

/// An activity entry with its inclusion proof, in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ActivityProofJson<BlockNumber> {
	/// The entry.
	#[serde(flatten)]
	pub entry: ActivityEntryJson<BlockNumber>,
	/// The log's size the proof is for.
	pub tree_size: u64,
	/// The log's root it proves against, 0x hex.
	pub root: String,
	/// The audit path, 0x node hashes in RFC 6962 order.
	pub proof: Vec<String>,
}

/// A head's entry in the anchors tree with its inclusion proof, in JSON: the leaf hash,
/// `SHA-256(0x00 ‖ entry)`, leads by `proof` to `root`, the anchors tree's root at
/// `tree_size` entries (what the EVM sink publishes).
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AnchorProofJson {
	/// Its index in the anchors tree.
	pub index: u64,
	/// The log anchored.
	pub log: u64,
	/// The head's number in that log.
	pub seq: u64,
	/// The head's chain hash (`waas_treeHead`'s `chainHash`), 0x hex.
	pub chain_hash: String,
	/// Its RFC 6962 leaf hash, 0x hex.
	pub leaf_hash: String,
	/// The entry, SCALE-encoded (`pallet_audit_anchors::AnchorsEntry`: index, log, seq as
	/// u64, chain hash and previous leaf as 32 bytes; 88 bytes), 0x hex.
	pub entry: String,
	/// The anchors tree's size the proof is for.
	pub tree_size: u64,
	/// The anchors tree's root at that size, 0x hex.
	pub root: String,
	/// The audit path, 0x node hashes in RFC 6962 order.
	pub proof: Vec<String>,
}

/// Parses a proof: at most [`MAX_PROOF_NODES`] `0x` hashes of 32 bytes.
pub fn parse_proof(proof: &[String]) -> Result<Vec<NodeHash>, ErrorObjectOwned> {
	if proof.len() > MAX_PROOF_NODES as usize {
		return Err(ErrorObject::owned(
			error_code::INVALID_PARAMS,
			format!("a proof has at most {MAX_PROOF_NODES} nodes"),
			None::<()>,
		));
	}
	proof.iter().map(|node| parse_hash(node)).collect()
}

/// Parses a `0x`-prefixed 32-byte hash (a leaf or a proof node).
pub fn parse_hash(s: &str) -> Result<NodeHash, ErrorObjectOwned> {
	parse_id(s).map_err(|_| {
		ErrorObject::owned(
			error_code::INVALID_PARAMS,
			"a hash is 0x and 32 bytes (64 hex digits)",
			None::<()>,
		)
	})
}

/// The audit-anchor RPC methods.
#[rpc(server)]
pub trait AuditApi<BlockHash, AccountId, BlockNumber> {
	/// A registered log, with its latest tree head.
	#[method(name = "waas_auditLog")]
	fn audit_log(
		&self,
		log: u64,
		at: Option<BlockHash>,
	) -> RpcResult<Option<AuditLogJson<AccountId, BlockNumber>>>;

	/// The log's tree head covering `tree_size` entries (the latest without it).
	#[method(name = "waas_treeHead")]
	fn tree_head(
		&self,
		log: u64,
		tree_size: Option<u64>,
		at: Option<BlockHash>,
	) -> RpcResult<Option<TreeHeadJson<BlockNumber>>>;

	/// Whether `leaf_hash` is entry `index` of the log's anchored head of `tree_size` entries.
	#[method(name = "waas_verifyInclusion")]
	fn verify_inclusion(
		&self,
		log: u64,
		leaf_hash: String,
		index: u64,
		tree_size: u64,
		proof: Vec<String>,
		at: Option<BlockHash>,
	) -> RpcResult<VerificationJson<BlockNumber>>;

	/// Whether the log's anchored head of `old_size` entries is a prefix of its head of
	/// `new_size` entries.
	#[method(name = "waas_verifyConsistency")]
	fn verify_consistency(
		&self,
		log: u64,
		old_size: u64,
		new_size: u64,
		proof: Vec<String>,
		at: Option<BlockHash>,
	) -> RpcResult<VerificationJson<BlockNumber>>;

	/// The activity log of `meta_account` with up to `limit` (default and at most 100) of its
	/// entries from `start` (default 0), or `null` if it has none.
	#[method(name = "waas_accountActivity")]
	fn account_activity(
		&self,
		meta_account: String,
		start: Option<u64>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Option<ActivityJson<BlockNumber>>>;

	/// Entry `index` of the activity log of `meta_account` with its inclusion proof against
	/// the log's current root.
	#[method(name = "waas_activityProof")]
	fn activity_proof(
		&self,
		meta_account: String,
		index: u64,
		at: Option<BlockHash>,
	) -> RpcResult<ActivityProofJson<BlockNumber>>;

	/// Whether `leaf_hash` is entry `index` of the activity log of `meta_account`, whose
	/// current size `tree_size` must be.
	#[method(name = "waas_verifyActivity")]
	fn verify_activity(
		&self,
		meta_account: String,
		leaf_hash: String,
		index: u64,
		tree_size: u64,
		proof: Vec<String>,
		at: Option<BlockHash>,
	) -> RpcResult<VerificationJson<BlockNumber>>;

	/// Head `seq` of `log` in the anchors tree, with its inclusion proof in the tree's first
	/// `tree_size` entries (all of them by default), or `null` if it is not among them.
	#[method(name = "waas_anchorProof")]
	fn anchor_proof(
		&self,
		log: u64,
		#[argument(rename = "seq")] head: u64,
		tree_size: Option<u64>,
		at: Option<BlockHash>,
	) -> RpcResult<Option<AnchorProofJson>>;
}

/// Implementation of [`AuditApiServer`] over a client.
pub struct Audit<C, Block, Balance> {
	client: Arc<C>,
	offchain: Option<OffchainReader>,
	_types: PhantomData<(Block, Balance)>,
}

impl<C, Block, Balance> Audit<C, Block, Balance> {
	/// Serves the methods from `client`, and the activity entries from the node's offchain
	/// index through `offchain` (without it, the activity methods answer error 9003).
	pub fn new(client: Arc<C>, offchain: Option<OffchainReader>) -> Self {
		Self { client, offchain, _types: PhantomData }
	}
}

/// An activity error in JSON-RPC: the node cannot give the log's entries.
fn index_error(message: String) -> ErrorObjectOwned {
	ErrorObject::owned(error_code::INDEX_UNAVAILABLE, message, None::<()>)
}

/// Parses a Meta-Account id.
fn parse_meta_account(s: &str) -> Result<MetaAccountId, ErrorObjectOwned> {
	parse_id(s).map(MetaAccountId::from)
}

/// The entry `bytes` (leaf `leaf`, index checked by `read_activity`) in JSON.
fn activity_entry_json<A: Codec, B: Codec>(
	leaf: &NodeHash,
	bytes: &[u8],
) -> Result<ActivityEntryJson<B>, ErrorObjectOwned> {
	use codec::Decode;
	let entry = ActivityEntry::<A, B>::decode(&mut &bytes[..])
		.map_err(|_| index_error(format!("entry {} does not decode", hex0x(leaf))))?;
	Ok(ActivityEntryJson {
		index: entry.index,
		kind: entry.activity.kind().into(),
		block: entry.block,
		timestamp: entry.timestamp,
		leaf_hash: hex0x(leaf),
		entry: hex0x(bytes),
	})
}

impl<C, Block: BlockT, Balance> Audit<C, Block, Balance>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
{
	/// The activity log of `meta_account` at `at` and all its entries, read from the index and
	/// checked against the log's root.
	#[allow(clippy::type_complexity)]
	fn activity_entries<AccountId: Codec, BlockNumber: Codec>(
		&self,
		meta_account: &MetaAccountId,
		at: Block::Hash,
	) -> RpcResult<Option<(ActivityLog<AccountId, Balance, BlockNumber>, Vec<(NodeHash, Vec<u8>)>)>>
	where
		C::Api: AuditRuntimeApi<Block, AccountId, Balance, BlockNumber>,
		Balance: Codec,
	{
		let Some(log) =
			self.client.runtime_api().activity_log(at, *meta_account).map_err(runtime_error)?
		else {
			return Ok(None);
		};
		let read = self.index()?;
		if log.tree_size > MAX_ACTIVITY_READ {
			return Err(index_error(format!(
				"the log has {} entries; this node reads back at most {MAX_ACTIVITY_READ}",
				log.tree_size
			)));
		}
		let entries = read_activity::<AccountId, BlockNumber>(
			meta_account,
			log.tree_size,
			log.latest_leaf,
			&log.root,
			|key| read(key),
		)
		.map_err(read_error)?;
		Ok(Some((log, entries)))
	}

	/// The node's offchain index, or error 9003.
	fn index(&self) -> Result<&OffchainReader, ErrorObjectOwned> {
		self.offchain.as_ref().ok_or_else(|| {
			index_error(
				"this node keeps no offchain index (start it with offchain indexing)".into(),
			)
		})
	}
}

/// Why the index could not give a log's entries, as error 9003.
fn read_error(e: ActivityReadError) -> ErrorObjectOwned {
	index_error(match e {
		ActivityReadError::Missing(leaf) => format!(
			"entry {} is not in this node's offchain index (was it indexing from genesis?)",
			hex0x(&leaf)
		),
		ActivityReadError::Corrupt(leaf) => {
			format!("the offchain index holds a wrong entry under {}", hex0x(&leaf))
		},
		ActivityReadError::RootMismatch => {
			"the indexed entries do not hash to the log's root".into()
		},
	})
}

impl<C: HeaderBackend<Block>, Block: BlockT, Balance> Audit<C, Block, Balance> {
	fn at(&self, at: Option<Block::Hash>) -> Block::Hash {
		crate::at_or_best(&*self.client, at)
	}
}

fn log_json<A, Bal: Display, B>(id: u64, info: LogInfo<A, Bal, B>) -> AuditLogJson<A, B> {
	AuditLogJson {
		id,
		owner: match info.owner {
			LogOwner::Account(a) => LogOwnerJson::Account(a),
			LogOwner::MetaAccount(m) => LogOwnerJson::MetaAccount(hex0x(m.as_bytes())),
			LogOwner::Pallet(n) => LogOwnerJson::Pallet(n),
		},
		deposit_payer: info.deposit_payer,
		deposit: info.deposit.to_string(),
		format: text(info.format.into_inner()),
		registered_at: info.registered_at,
		anchors: info.anchors,
		latest: info.latest.map(Into::into),
	}
}

#[async_trait]
impl<C, Block, AccountId, Balance, BlockNumber> AuditApiServer<Block::Hash, AccountId, BlockNumber>
	for Audit<C, Block, Balance>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: AuditRuntimeApi<Block, AccountId, Balance, BlockNumber>,
	AccountId: Codec + Serialize + Clone + Send + Sync + 'static,
	Balance: Codec + Display + Send + Sync + 'static,
	BlockNumber: Codec + Serialize + Clone + Send + Sync + 'static,
{
	fn audit_log(
		&self,
		log: u64,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<AuditLogJson<AccountId, BlockNumber>>> {
		let info = self.client.runtime_api().log(self.at(at), log).map_err(runtime_error)?;
		Ok(info.map(|info| log_json(log, info)))
	}

	fn tree_head(
		&self,
		log: u64,
		tree_size: Option<u64>,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<TreeHeadJson<BlockNumber>>> {
		let api = self.client.runtime_api();
		let head = match tree_size {
			Some(size) => api.head_at(self.at(at), log, size),
			None => api.latest_head(self.at(at), log),
		}
		.map_err(runtime_error)?;
		Ok(head.map(Into::into))
	}

	fn verify_inclusion(
		&self,
		log: u64,
		leaf_hash: String,
		index: u64,
		tree_size: u64,
		proof: Vec<String>,
		at: Option<Block::Hash>,
	) -> RpcResult<VerificationJson<BlockNumber>> {
		let leaf = parse_hash(&leaf_hash)?;
		let proof = parse_proof(&proof)?;
		let result = self
			.client
			.runtime_api()
			.verify_inclusion(self.at(at), log, leaf, index, tree_size, proof)
			.map_err(runtime_error)?;
		Ok(VerificationJson::answer(result, |head| Some(head.into())))
	}

	fn verify_consistency(
		&self,
		log: u64,
		old_size: u64,
		new_size: u64,
		proof: Vec<String>,
		at: Option<Block::Hash>,
	) -> RpcResult<VerificationJson<BlockNumber>> {
		let proof = parse_proof(&proof)?;
		let result = self
			.client
			.runtime_api()
			.verify_consistency(self.at(at), log, old_size, new_size, proof)
			.map_err(runtime_error)?;
		Ok(VerificationJson::answer(result, |()| None))
	}

	fn account_activity(
		&self,
		meta_account: String,
		start: Option<u64>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<ActivityJson<BlockNumber>>> {
		let meta = parse_meta_account(&meta_account)?;
		let Some((log, entries)) = self.activity_entries(&meta, self.at(at))? else {
			return Ok(None);
		};
		let start = start.unwrap_or(0).min(log.tree_size) as usize;
		let limit = limit.unwrap_or(MAX_ACTIVITY_PAGE).min(MAX_ACTIVITY_PAGE) as usize;
		let page = entries
			.iter()
			.skip(start)
			.take(limit)
			.map(|(leaf, bytes)| activity_entry_json::<AccountId, BlockNumber>(leaf, bytes))
			.collect::<Result<_, _>>()?;
		Ok(Some(ActivityJson {
			meta_account: hex0x(meta.as_bytes()),
			tree_size: log.tree_size,
			root: hex0x(&log.root),
			updated_at: log.updated_at,
			entries: page,
		}))
	}

	fn activity_proof(
		&self,
		meta_account: String,
		index: u64,
		at: Option<Block::Hash>,
	) -> RpcResult<ActivityProofJson<BlockNumber>> {
		let meta = parse_meta_account(&meta_account)?;
		let (log, entries) = self.activity_entries(&meta, self.at(at))?.ok_or_else(|| {
			ErrorObject::owned(
				error_code::INVALID_PARAMS,
				"the Meta-Account has no activity log",
				None::<()>,
			)
		})?;
		let leaves: Vec<NodeHash> = entries.iter().map(|(leaf, _)| *leaf).collect();
		let proof = merkle_log::inclusion_proof(&leaves, index).map_err(|_| {
			ErrorObject::owned(
				error_code::INVALID_PARAMS,
				format!("the log has {} entries", log.tree_size),
				None::<()>,
			)
		})?;
		let (leaf, bytes) = &entries[index as usize];
		Ok(ActivityProofJson {
			entry: activity_entry_json::<AccountId, BlockNumber>(leaf, bytes)?,
			tree_size: log.tree_size,
			root: hex0x(&log.root),
			proof: proof.iter().map(|node| hex0x(node)).collect(),
		})
	}

	fn verify_activity(
		&self,
		meta_account: String,
		leaf_hash: String,
		index: u64,
		tree_size: u64,
		proof: Vec<String>,
		at: Option<Block::Hash>,
	) -> RpcResult<VerificationJson<BlockNumber>> {
		let meta = parse_meta_account(&meta_account)?;
		let leaf = parse_hash(&leaf_hash)?;
		let proof = parse_proof(&proof)?;
		let result = self
			.client
			.runtime_api()
			.verify_activity(self.at(at), meta, leaf, index, tree_size, proof)
			.map_err(runtime_error)?;
		Ok(VerificationJson::answer(result, |_| None))
	}

	fn anchor_proof(
		&self,
		log: u64,
		head: u64,
		tree_size: Option<u64>,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<AnchorProofJson>> {
		use codec::Decode;
		let tree = self.client.runtime_api().anchors_tree(self.at(at)).map_err(runtime_error)?;
		let size = tree_size.unwrap_or(tree.tree_size);
		if size > tree.tree_size {
			return Err(ErrorObject::owned(
				error_code::INVALID_PARAMS,
				format!("the anchors tree has {} entries", tree.tree_size),
				None::<()>,
			));
		}
		if tree.tree_size > MAX_ACTIVITY_READ {
			return Err(index_error(format!(
				"the anchors tree has {} entries; this node reads back at most {MAX_ACTIVITY_READ}",
				tree.tree_size
			)));
		}
		let read = self.index()?;
		let entries = read_anchors(&tree, |key| read(key)).map_err(read_error)?;
		let found = entries[..size as usize].iter().find_map(|(leaf, bytes)| {
			let entry = AnchorsEntry::decode(&mut &bytes[..]).ok()?;
			(entry.log == log && entry.seq == head).then_some((*leaf, bytes, entry))
		});
		let Some((leaf, bytes, entry)) = found else { return Ok(None) };
		let leaves: Vec<NodeHash> = entries[..size as usize].iter().map(|(l, _)| *l).collect();
		let proof = merkle_log::inclusion_proof(&leaves, entry.index).map_err(|_| {
			index_error("the indexed anchors tree does not prove its own entry".into())
		})?;
		Ok(Some(AnchorProofJson {
			index: entry.index,
			log,
			seq: head,
			chain_hash: hex0x(&entry.chain_hash),
			leaf_hash: hex0x(&leaf),
			entry: hex0x(bytes),
			tree_size: size,
			root: hex0x(&merkle_log::root(&leaves)),
			proof: proof.iter().map(|node| hex0x(node)).collect(),
		}))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use waas_primitives::merkle_log::ProofError;

	#[test]
	fn proofs_are_capped_and_hex_checked() {
		let node = format!("0x{}", "ab".repeat(32));
		assert_eq!(parse_proof(std::slice::from_ref(&node)).unwrap(), vec![[0xab; 32]]);
		let too_long = vec![node; MAX_PROOF_NODES as usize + 1];
		assert_eq!(parse_proof(&too_long).unwrap_err().code(), error_code::INVALID_PARAMS);
		assert!(parse_proof(&["0x12".into()]).is_err());
	}

	#[test]
	fn refusals_name_the_reason() {
		let json = serde_json::to_value(VerificationJson::<u32>::refused(VerifyError::Proof(
			ProofError::RootMismatch,
		)))
		.unwrap();
		assert_eq!(json, serde_json::json!({ "valid": false, "reason": "RootMismatch" }));
		let json =
			serde_json::to_value(VerificationJson::<u32>::refused(VerifyError::NoHeadAtSize))
				.unwrap();
		assert_eq!(json["reason"], "NoHeadAtSize");
	}
}
