//! `waas_*` JSON-RPC methods of the audit anchors, backed by the runtime's
//! [`AuditAnchorsApi`].
//!
//! | method | params | result |
//! |---|---|---|
//! | `waas_auditLog` | `log`, `at`? | the log with its latest tree head, or `null` |
//! | `waas_treeHead` | `log`, `treeSize`?, `at`? | the head of that size (latest if omitted), or `null` |
//! | `waas_verifyInclusion` | `log`, `leafHash` (0x, 32 bytes), `index`, `treeSize`, `proof` (array of 0x node hashes), `at`? | `{valid, reason?, head?}` |
//! | `waas_verifyConsistency` | `log`, `oldSize`, `newSize`, `proof`, `at`? | `{valid, reason?}` |
//!
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
	runtime_api::AuditAnchorsApi as AuditRuntimeApi, LogInfo, LogOwner, NodeHash, TreeHead,
	VerifyError, MAX_PROOF_NODES,
};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::{fmt::Display, marker::PhantomData, sync::Arc};

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
	fn refused(e: VerifyError) -> Self {
		let reason = match e {
			VerifyError::Proof(p) => format!("{p:?}"),
			other => format!("{other:?}"),
		};
		Self { valid: false, reason: Some(reason), head: None }
	}
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
}

/// Implementation of [`AuditApiServer`] over a client.
pub struct Audit<C, Block, Balance> {
	client: Arc<C>,
	_types: PhantomData<(Block, Balance)>,
}

impl<C, Block, Balance> Audit<C, Block, Balance> {
	/// Serves the methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _types: PhantomData }
	}
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
		Ok(match result {
			Ok(head) => VerificationJson { valid: true, reason: None, head: Some(head.into()) },
			Err(e) => VerificationJson::refused(e),
		})
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
		Ok(match result {
			Ok(()) => VerificationJson { valid: true, reason: None, head: None },
			Err(e) => VerificationJson::refused(e),
		})
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
