//! Results that are computed but not yet on-chain.
//!
//! A finished keygen or signature is written to the [`Outbox`] (sealed in the keystore,
//! atomically) before anything is submitted, so a crash, a node restart or a refused
//! transaction loses nothing: on every finalized block the service asks the chain whether
//! each item is still wanted, submits the ones that are (again, if an earlier submission did
//! not land within [`RESUBMIT_AFTER_BLOCKS`]), and drops the ones the chain no longer needs.
//!
//! The [`Submitter`] signs with the pool-aware nonce (`system_accountNextIndex`) and returns
//! as soon as the node's pool has accepted the transaction: submissions are pipelined, not
//! one per finalization.

use crate::{
	engine::FaultReason,
	keystore::{Keystore, KeystoreError},
};
use serde::{Deserialize, Serialize};
use std::{
	collections::HashMap,
	sync::{Arc, Mutex},
};
use waas_client::{waas, AccountId, Connection, WaasConfig};

/// The chain's fault reasons (`pallet_threshold_signers::FaultReason`).
pub type ChainFaultReason = waas::runtime_types::pallet_threshold_signers::types::FaultReason;

/// Blocks after which an item the chain still wants is submitted again.
pub const RESUBMIT_AFTER_BLOCKS: u32 = 8;
/// Blocks a signing member of rank `j > 0` waits, per rank, before submitting a signature the
/// first member may already have submitted (duplicates are refused by the pool anyway): long
/// enough for the first member's extrinsic to be included and finalized.
pub const BLOCKS_PER_RANK: u32 = 4;

/// A result waiting to be recorded on-chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outgoing {
	/// This member's keygen report.
	KeygenReport {
		/// The key.
		key: u32,
		/// Compressed secp256k1 public key (33 bytes).
		#[serde(with = "serde_bytes")]
		public_key: Vec<u8>,
		/// BIP32 chain code (32 bytes).
		#[serde(with = "serde_bytes")]
		chain_code: Vec<u8>,
	},
	/// A signature this member helped produce.
	Signature {
		/// The request.
		request: u64,
		/// The attempt that produced it.
		attempt: u8,
		/// This member's rank among the attempt's signers (0 submits first).
		rank: u16,
		/// Low-s `r ‖ s` (64 bytes).
		#[serde(with = "serde_bytes")]
		signature: Vec<u8>,
		/// Recovery id (0 or 1).
		recovery_id: u8,
		/// Finalized block at which it was produced.
		produced_at: u32,
	},
	/// This member's report that a co-signer of an attempt broke the protocol.
	FaultReport {
		/// The request.
		request: u64,
		/// The attempt in which the fault was observed.
		attempt: u8,
		/// The accused's member index in the committee.
		accused: u16,
		/// What the protocol run proved it did.
		reason: FaultReason,
	},
}

/// The on-chain form of `reason`, for the faults a signing attempt can attribute; `None` for
/// keygen and aux-info faults, which are not reported through `report_fault`.
pub fn reportable(reason: FaultReason) -> Option<ChainFaultReason> {
	Some(match reason {
		FaultReason::MalformedMessage => ChainFaultReason::MalformedMessage,
		FaultReason::DuplicateMessage => ChainFaultReason::DuplicateMessage,
		FaultReason::UnreliableBroadcast => ChainFaultReason::UnreliableBroadcast,
		FaultReason::InvalidEncProof => ChainFaultReason::InvalidEncProof,
		FaultReason::InvalidAffineProof => ChainFaultReason::InvalidAffineProof,
		FaultReason::InvalidLogProof => ChainFaultReason::InvalidLogProof,
		_ => return None,
	})
}

impl Outgoing {
	/// The name suffix of this item (unique per on-chain object).
	fn suffix(&self) -> String {
		match self {
			Outgoing::KeygenReport { key, .. } => format!("outbox-keygen-k{key}"),
			Outgoing::Signature { request, .. } => format!("outbox-sig-r{request}"),
			Outgoing::FaultReport { request, attempt, .. } => {
				format!("outbox-fault-r{request}-a{attempt}")
			},
		}
	}

	/// The first block at which it may be submitted.
	pub fn not_before(&self) -> u32 {
		match self {
			Outgoing::KeygenReport { .. } | Outgoing::FaultReport { .. } => 0,
			Outgoing::Signature { rank, produced_at, .. } => {
				produced_at.saturating_add(BLOCKS_PER_RANK.saturating_mul(*rank as u32))
			},
		}
	}

	/// The extrinsic kind, for logs and metrics.
	pub fn kind(&self) -> &'static str {
		match self {
			Outgoing::KeygenReport { .. } => "report_keygen",
			Outgoing::Signature { .. } => "submit_signature",
			Outgoing::FaultReport { .. } => "report_fault",
		}
	}
}

/// The durable outbox, inside the keystore under a chain-specific prefix.
pub struct Outbox {
	store: Arc<Keystore>,
	prefix: String,
	/// Block of the last submission of each item (in memory: after a restart every item is
	/// submitted once more, which the pool and the pallet make harmless).
	sent: Mutex<HashMap<String, u32>>,
}

impl Outbox {
	/// The outbox of the chain whose keystore names start with `prefix`.
	pub fn new(store: Arc<Keystore>, prefix: &str) -> Outbox {
		Outbox { store, prefix: prefix.into(), sent: Mutex::new(HashMap::new()) }
	}

	fn name(&self, item: &Outgoing) -> String {
		format!("{}{}", self.prefix, item.suffix())
	}

	/// Stores `item` durably (replacing an older result for the same on-chain object).
	pub fn put(&self, item: &Outgoing) -> Result<(), KeystoreError> {
		self.store.put(&self.name(item), item)
	}

	/// Every stored item.
	pub fn items(&self) -> Result<Vec<Outgoing>, KeystoreError> {
		let mut out = Vec::new();
		for name in self.store.list(&format!("{}outbox-", self.prefix))? {
			if let Some(item) = self.store.get(&name)? {
				out.push(item);
			}
		}
		Ok(out)
	}

	/// Drops `item`: the chain no longer needs it.
	pub fn remove(&self, item: &Outgoing) -> Result<(), KeystoreError> {
		let name = self.name(item);
		self.sent.lock().unwrap_or_else(|e| e.into_inner()).remove(&name);
		self.store.remove(&name)
	}

	/// Whether `item` should be submitted at block `now` — past its rank's wait, and never
	/// submitted or last submitted [`RESUBMIT_AFTER_BLOCKS`] ago — and if so, records the
	/// submission at `now` in the same step, so two callers never both submit it.
	pub fn claim_due(&self, item: &Outgoing, now: u32) -> bool {
		if now < item.not_before() {
			return false;
		}
		let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
		let name = self.name(item);
		let due = sent.get(&name).is_none_or(|at| now.saturating_sub(*at) >= RESUBMIT_AFTER_BLOCKS);
		if due {
			sent.insert(name, now);
		}
		due
	}

	/// Forgets the submission of `item` (it did not reach the pool): due again at once.
	pub fn unclaim(&self, item: &Outgoing) {
		self.sent.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.name(item));
	}
}

/// Why a submission did not reach the pool.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
	/// The node's pool refused it (for example: the request was signed meanwhile, or this
	/// signer is not assigned any more).
	#[error("refused by the transaction pool: {0}")]
	Refused(String),
	/// The node could not be asked (connection, encoding).
	#[error("submission failed: {0}")]
	Transport(String),
}

/// Signs and submits this signer's extrinsics, one at a time, with the pool-aware nonce.
pub struct Submitter {
	account: subxt_signer::sr25519::Keypair,
	me: AccountId,
	lock: tokio::sync::Mutex<()>,
}

impl Submitter {
	/// A submitter signing as `account`.
	pub fn new(account: subxt_signer::sr25519::Keypair) -> Submitter {
		let me = AccountId::from(account.public_key().0);
		Submitter { account, me, lock: tokio::sync::Mutex::new(()) }
	}

	/// Hands `item`'s extrinsic to the node's pool; returns once the pool has accepted it.
	pub async fn submit(&self, conn: &Connection, item: &Outgoing) -> Result<(), SubmitError> {
		let calls = waas::transactions().threshold_signers();
		match item {
			Outgoing::KeygenReport { key, public_key, chain_code } => {
				let (Ok(pk), Ok(cc)) =
					(<[u8; 33]>::try_from(&public_key[..]), <[u8; 32]>::try_from(&chain_code[..]))
				else {
					return Err(SubmitError::Transport("malformed stored keygen report".into()));
				};
				self.submit_call(conn, &calls.report_keygen(*key, pk, cc)).await
			},
			Outgoing::Signature { request, signature, recovery_id, .. } => {
				let Ok(sig) = <[u8; 64]>::try_from(&signature[..]) else {
					return Err(SubmitError::Transport("malformed stored signature".into()));
				};
				self.submit_call(conn, &calls.submit_signature(*request, sig, *recovery_id)).await
			},
			Outgoing::FaultReport { request, attempt, accused, reason } => {
				let Some(reason) = reportable(*reason) else {
					return Err(SubmitError::Transport("stored fault is not reportable".into()));
				};
				self.submit_call(conn, &calls.report_fault(*request, *attempt, *accused, reason))
					.await
			},
		}
	}

	/// Signs `call` with the pool-aware nonce and hands it to the node's pool.
	pub async fn submit_call<Call: subxt::transactions::Payload>(
		&self,
		conn: &Connection,
		call: &Call,
	) -> Result<(), SubmitError> {
		let transport = |e: &dyn std::fmt::Display| SubmitError::Transport(e.to_string());
		// One at a time: the next nonce counts what the pool already holds from us.
		let _guard = self.lock.lock().await;
		let nonce =
			conn.rpc.system_account_next_index(&self.me).await.map_err(|e| transport(&e))?;
		let params = subxt::config::DefaultExtrinsicParamsBuilder::<WaasConfig>::new()
			.nonce(nonce)
			.mortal(64)
			.build();
		let at = conn.client.at_current_block().await.map_err(|e| transport(&e))?;
		let mut signable = at
			.transactions()
			.create_signable(call, &self.me, params)
			.await
			.map_err(|e| transport(&e))?;
		let tx = signable.sign(&self.account).map_err(|e| transport(&e))?;
		match tx.submit().await {
			Ok(_) => Ok(()),
			Err(subxt::error::ExtrinsicError::TransactionStatusError(status)) => {
				Err(SubmitError::Refused(status.to_string()))
			},
			Err(e) if is_invalid_transaction(&e) => Err(SubmitError::Refused(e.to_string())),
			Err(e) => Err(transport(&e)),
		}
	}
}

/// Whether the node answered a submission with "invalid transaction" (JSON-RPC error 1010),
/// read from the typed RPC error.
fn is_invalid_transaction(e: &subxt::error::ExtrinsicError) -> bool {
	use subxt::error::{BackendError, ExtrinsicError, RpcError};
	matches!(
		e,
		ExtrinsicError::ErrorSubmittingTransaction(BackendError::Rpc(RpcError::ClientError(
			subxt::rpcs::Error::User(user)
		))) if user.code == 1010
	)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn sig(request: u64, rank: u16) -> Outgoing {
		Outgoing::Signature {
			request,
			attempt: 1,
			rank,
			signature: vec![7; 64],
			recovery_id: 1,
			produced_at: 100,
		}
	}

	#[test]
	fn items_survive_reopening_and_are_chain_specific() {
		let dir = tempfile::tempdir().unwrap();
		let store = Arc::new(Keystore::open(dir.path(), &[1; 32]).unwrap());
		let report =
			Outgoing::KeygenReport { key: 3, public_key: vec![2; 33], chain_code: vec![9; 32] };
		let outbox = Outbox::new(store.clone(), "gaa-");
		outbox.put(&report).unwrap();
		outbox.put(&sig(5, 0)).unwrap();
		let reopened = Outbox::new(Arc::new(Keystore::open(dir.path(), &[1; 32]).unwrap()), "gaa-");
		assert_eq!(reopened.items().unwrap(), vec![report.clone(), sig(5, 0)]);
		assert!(Outbox::new(store, "gbb-").items().unwrap().is_empty(), "another chain's");
		reopened.remove(&report).unwrap();
		assert_eq!(reopened.items().unwrap(), vec![sig(5, 0)]);
	}

	#[test]
	fn submission_waits_for_rank_and_resubmits_after_a_while() {
		let dir = tempfile::tempdir().unwrap();
		let outbox = Outbox::new(Arc::new(Keystore::open(dir.path(), &[1; 32]).unwrap()), "g-");
		let first = sig(1, 0);
		let third = sig(2, 2);
		assert!(outbox.claim_due(&first, 101));
		assert!(!outbox.claim_due(&first, 101), "claimed once");
		assert!(!outbox.claim_due(&third, 100 + 2 * BLOCKS_PER_RANK - 1), "rank 2 waits");
		assert!(outbox.claim_due(&third, 100 + 2 * BLOCKS_PER_RANK));
		assert!(!outbox.claim_due(&first, 101 + RESUBMIT_AFTER_BLOCKS - 1));
		assert!(outbox.claim_due(&first, 101 + RESUBMIT_AFTER_BLOCKS), "resubmitted if wanted");
		outbox.unclaim(&first);
		assert!(outbox.claim_due(&first, 101 + RESUBMIT_AFTER_BLOCKS), "due again at once");
	}
}
