//! The signer's part in the audit pallet's EVM anchor sink (`pallet_audit_anchors::evm_sink`):
//! when a publication of the chain's anchors tree is due and this signer sits in the sink
//! key's committee and reaches the sink's EVM chain, it proposes the transaction; once the
//! chain records it signed, it broadcasts it until it is mined.
//!
//! The proposal is the one unsigned transaction the runtime accepts
//! (`evm_tx::unsigned_call`): from the sink address to itself, zero value, the publication's
//! calldata, gas limit exactly what the call needs (`plain_call_gas`), the sink's maximum fee,
//! a fixed tip, and the sink address's next nonce on the EVM chain. Members propose in turn
//! ([`PROPOSE_STAGGER_BLOCKS`] apart, the first one rotating with the publication:
//! [`proposal_turn`]), so usually one pays for the request.
//! It runs in the same round as the intent duties and, like them, keeps nothing across restarts.

use super::{
	intents::{Duty, IntentDuties, Seat, PAYOUT_PRIORITY_FEE},
	PeerDirectory, ServiceError, Signer,
};
use crate::chain::{AtBlock, ChainError};
use waas_client::{
	waas::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_audit_anchors::types::{EvmSink, Publication, PublicationStatus},
		},
	},
	AccountId, Connection,
};
use waas_primitives::evm_tx::{self, GasBudget, IntendedCall, TxFees};

/// Blocks each committee index waits after a publication is due before proposing it.
pub const PROPOSE_STAGGER_BLOCKS: u32 = 2;

/// A publication as the client decodes it.
pub type ChainPublication = Publication<AccountId, u32>;

impl<N: PeerDirectory> Signer<N> {
	/// Does what the latest publication asks of this member; returns its number (0 if none).
	pub(super) async fn evm_anchor_duty(
		&self,
		conn: &Connection,
		at: &AtBlock,
		duties: &IntentDuties,
		block: u32,
	) -> Result<u64, ServiceError> {
		let Some(sink) = evm_sink(at).await? else { return Ok(0) };
		let Some((seq, publication)) = latest_publication(at).await? else { return Ok(0) };
		let Some(seat) = self.seat(at, publication.key).await? else { return Ok(seq) };
		if !duties.observes(publication.chain_id).await {
			return Ok(seq);
		}
		match &publication.status {
			PublicationStatus::Due { .. } if publication.chain_id == sink.chain_id => {
				let mine = publication
					.created_at
					.saturating_add(proposal_turn(seat, seq) * PROPOSE_STAGGER_BLOCKS);
				if block >= mine {
					self.propose_anchor(conn, duties, seq, &publication, &sink, block).await?;
				}
			},
			PublicationStatus::Signed { signed_tx, tx_hash, .. } => {
				self.broadcast_anchor(duties, seq, &publication, &signed_tx.0, tx_hash, block).await
			},
			_ => {},
		}
		Ok(seq)
	}

	/// Proposes the transaction of due publication `seq`, unless already sent.
	async fn propose_anchor(
		&self,
		conn: &Connection,
		duties: &IntentDuties,
		seq: u64,
		publication: &ChainPublication,
		sink: &EvmSink<u32>,
		block: u32,
	) -> Result<(), ServiceError> {
		let question = duties.observer.next_nonce(publication.chain_id, &publication.address);
		let Some(nonce) = self.evm_check("anchor_nonce", question).await else { return Ok(()) };
		let genesis = conn.client.genesis_hash();
		let data = evm_tx::anchor_calldata(&genesis.0, publication.tree_size, &publication.root);
		let gas = GasBudget {
			max_gas_limit: sink.gas.max_gas_limit,
			max_fee_per_gas: sink.gas.max_fee_per_gas,
		};
		let intended = IntendedCall {
			chain_id: publication.chain_id,
			to: publication.address,
			data: &data,
			gas,
		};
		let fees = TxFees {
			nonce,
			gas_limit: evm_tx::plain_call_gas(&data),
			max_fee_per_gas: gas.max_fee_per_gas,
			max_priority_fee_per_gas: PAYOUT_PRIORITY_FEE.min(gas.max_fee_per_gas),
		};
		let tx = match evm_tx::unsigned_call(&intended, &fees) {
			Ok(tx) => tx,
			Err(e) => {
				tracing::warn!(target: "waas::anchors", publication = seq, error = ?e, "no anchor transaction fits the sink");
				return Ok(());
			},
		};
		let hash = evm_tx::signing_hash(&tx).unwrap_or_default();
		if duties.claim(seq, Duty::AnchorProposal, hash, block) {
			tracing::info!(target: "waas::anchors", publication = seq, tree_size = publication.tree_size, nonce, "proposing the EVM anchor");
			let call = waas::transactions().audit_anchors().propose_evm_anchor(seq, BoundedVec(tx));
			self.submit_duty(conn, "propose_evm_anchor", seq, &call).await;
		}
		Ok(())
	}

	/// Broadcasts the signed transaction of publication `seq` until it is mined.
	async fn broadcast_anchor(
		&self,
		duties: &IntentDuties,
		seq: u64,
		publication: &ChainPublication,
		signed: &[u8],
		tx_hash: &[u8; 32],
		block: u32,
	) {
		let chain_id = publication.chain_id;
		let question = duties.observer.mined(chain_id, tx_hash, 0);
		match self.evm_check("anchor_mined", question).await {
			Some(None) if duties.claim(seq, Duty::AnchorBroadcast, *tx_hash, block) => {
				let sent = duties.observer.send_raw(chain_id, signed).await;
				let outcome = if sent.is_ok() { "pooled" } else { "error" };
				self.metrics.submissions.with_label_values(&["evm_anchor", outcome]).inc();
				match sent {
					Ok(_) => {
						tracing::info!(target: "waas::anchors", publication = seq, chain_id, tx = %hex::encode(tx_hash), "EVM anchor broadcast")
					},
					Err(e) => {
						tracing::warn!(target: "waas::anchors", publication = seq, chain_id, error = %e, "EVM anchor broadcast failed")
					},
				}
			},
			Some(Some(false)) if duties.claim(seq, Duty::AnchorBroadcast, *tx_hash, block) => {
				tracing::warn!(target: "waas::anchors", publication = seq, tx = %hex::encode(tx_hash), "the EVM anchor reverted");
			},
			_ => {},
		}
	}
}

/// This member's turn to propose publication `seq`: the first proposer rotates with the
/// publication, so a member that proposes a wrong nonce (its word is trusted) can spoil at
/// most its own turns, never every publication.
pub(super) fn proposal_turn(seat: Seat, seq: u64) -> u32 {
	let members = u64::from(seat.members.max(1));
	let first = seq % members;
	((u64::from(seat.index) + members - first) % members) as u32
}

/// The EVM sink configured on the chain, if any.
async fn evm_sink(at: &AtBlock) -> Result<Option<EvmSink<u32>>, ChainError> {
	let entry = at.storage().entry(waas::storage().audit_anchors().evm_sink_config())?;
	Ok(entry.try_fetch(()).await?.map(|v| v.decode()).transpose()?)
}

/// The latest publication of the anchors tree, with its number.
pub async fn latest_publication(
	at: &AtBlock,
) -> Result<Option<(u64, ChainPublication)>, ChainError> {
	let count = at.storage().entry(waas::storage().audit_anchors().publication_count())?;
	let count: u64 = count.try_fetch(()).await?.map(|v| v.decode()).transpose()?.unwrap_or(0);
	let Some(seq) = count.checked_sub(1) else { return Ok(None) };
	Ok(publication(at, seq).await?.map(|p| (seq, p)))
}

/// Publication `seq`, if still kept.
pub async fn publication(at: &AtBlock, seq: u64) -> Result<Option<ChainPublication>, ChainError> {
	let entry = at.storage().entry(waas::storage().audit_anchors().publications())?;
	Ok(entry.try_fetch((seq,)).await?.map(|v| v.decode()).transpose()?)
}

/// The EVM hash of the publication's transaction, once signed.
pub fn signed_tx_hash(publication: &ChainPublication) -> Option<[u8; 32]> {
	match &publication.status {
		PublicationStatus::Signed { tx_hash, .. } => Some(*tx_hash),
		_ => None,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_first_proposer_rotates_and_every_turn_is_taken_once() {
		for seq in 0..7u64 {
			let mut turns: Vec<u32> =
				(0..3).map(|index| proposal_turn(Seat { index, members: 3 }, seq)).collect();
			assert_eq!(turns.iter().position(|t| *t == 0), Some((seq % 3) as usize));
			turns.sort();
			assert_eq!(turns, vec![0, 1, 2]);
		}
		assert_eq!(proposal_turn(Seat { index: 0, members: 0 }, 5), 0);
	}
}
