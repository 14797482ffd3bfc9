//! The signer's part in settling swap intents (`pallet-intents`): it is the committee's eyes
//! and hands on the EVM chains of its `[evm]` configuration.
//!
//! On finalized blocks the service looks at every intent whose key this signer holds a share
//! of and does what the intent's state asks of a committee member:
//!
//! | state | duty |
//! |---|---|
//! | Pending, Expired | attest the deposit address's balance (at the chain's confirmations) when it is not zero and differs from what the chain recorded |
//! | Claimed with a reported fill | check the fill on the destination chain ([`crate::evm::fill`]) and attest what it moved and when; a transaction that is not a fill gets no vote |
//! | Filled, Expired with a refundable deposit | propose the payout: the one unsigned EIP-1559 transaction the runtime will accept (`evm_tx::unsigned_transfer`), nonce from the source chain, fees from the chain's on-chain parameters, so every honest member proposes the same bytes |
//! | PayingOut, signed | assemble the signed payout, broadcast it, and attest it once mined deeply enough |
//! | past a deadline | call `expire_intent` (members stagger by their index) |
//!
//! Nothing is kept across restarts: every duty is derived again from chain and EVM state.
//! What was submitted is remembered in memory only to avoid resubmitting it before
//! [`RESUBMIT_AFTER_BLOCKS`]; after that it is submitted again only if the chain does not
//! show this member's vote.

use super::{outbox::RESUBMIT_AFTER_BLOCKS, PeerDirectory, ServiceError, Signer};
use crate::{
	chain::{self, AtBlock, ChainError},
	evm::{EvmObserver, FillError},
};
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicBool, Ordering},
		Mutex,
	},
};
use waas_client::{
	waas::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_intents::types::{
				ChainParams, Fact, FactKind, Intent, IntentStatus, Payout as ChainPayout,
			},
			waas_primitives::evm_tx::TransferAsset as ChainAsset,
		},
	},
	AccountId, Connection,
};
use waas_primitives::evm_tx::{self, GasBudget, IntendedTransfer, TransferAsset, TxFees};

/// The tip every member puts in a payout (wei per gas), capped by the chain's maximum fee:
/// fixed, so that members that read the same chain propose the same transaction.
pub const PAYOUT_PRIORITY_FEE: u128 = 1_000_000_000;
/// Seconds each member index waits after a deadline (and its grace) before calling
/// `expire_intent`, so that usually one member pays for the call, not all.
pub const EXPIRE_STAGGER_SECS: u64 = 12;
/// The most intents looked at per block; the rest wait for the next one.
pub const MAX_INTENTS_PER_BLOCK: usize = 256;

type ChainIntent = Intent<AccountId, u128>;

/// What a duty submits, for deduplication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Duty {
	Deposit,
	Fill,
	Payout,
	Broadcast,
	Mined,
	Expire,
	/// The EVM anchor sink's proposal of a publication (keyed by publication, not intent).
	AnchorProposal,
	/// The EVM anchor sink's broadcast of a publication.
	AnchorBroadcast,
}

impl Duty {
	/// Whether the duty is about an intent (its key is an intent id).
	fn is_intent(self) -> bool {
		!matches!(self, Duty::AnchorProposal | Duty::AnchorBroadcast)
	}
}

/// A submission: a digest of what was submitted, and the block at which.
type Sent = ([u8; 32], u32);

/// This signer's place in an intent's committee.
#[derive(Clone, Copy, Debug)]
pub(super) struct Seat {
	/// This signer's index among the members.
	pub(super) index: u16,
	/// How many members the committee has.
	pub(super) members: u16,
}

/// The intents part of a running signer.
pub struct IntentDuties {
	pub(super) observer: EvmObserver,
	/// What was last submitted per (intent, duty).
	sent: Mutex<HashMap<(u64, Duty), Sent>>,
	/// Chains whose node answered `eth_chainId` with the configured id.
	verified: Mutex<std::collections::HashSet<u64>>,
	busy: AtomicBool,
}

impl IntentDuties {
	/// Duties on the chains `observer` reaches.
	pub fn new(observer: EvmObserver) -> IntentDuties {
		IntentDuties {
			observer,
			sent: Mutex::new(HashMap::new()),
			verified: Mutex::new(Default::default()),
			busy: AtomicBool::new(false),
		}
	}

	/// Claims the right to submit `digest` for `(intent, duty)` at `block`: yes when it
	/// differs from the last submission or that one is [`RESUBMIT_AFTER_BLOCKS`] old.
	pub(super) fn claim(&self, intent: u64, duty: Duty, digest: [u8; 32], block: u32) -> bool {
		let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
		let due = match sent.get(&(intent, duty)) {
			Some((last, at)) => {
				*last != digest || block.saturating_sub(*at) >= RESUBMIT_AFTER_BLOCKS
			},
			None => true,
		};
		if due {
			sent.insert((intent, duty), (digest, block));
		}
		due
	}

	/// Whether `chain_id` is configured and its node serves that chain (asked until it
	/// does: a node of another chain is never believed).
	pub(super) async fn observes(&self, chain_id: u64) -> bool {
		if !self.observer.chain_ids().any(|c| c == chain_id) {
			return false;
		}
		if self.verified.lock().unwrap_or_else(|e| e.into_inner()).contains(&chain_id) {
			return true;
		}
		match self.observer.check_chain_id(chain_id).await {
			Ok(()) => {
				tracing::info!(target: "waas::intents", chain_id, "observing EVM chain for intents");
				self.verified.lock().unwrap_or_else(|e| e.into_inner()).insert(chain_id);
				true
			},
			Err(e) => {
				tracing::warn!(target: "waas::intents", chain_id, error = %e, "EVM node not usable");
				false
			},
		}
	}

	/// Forgets what was sent for intents that are gone (and anchor duties older than the
	/// publication `latest_publication`).
	fn forget_except(&self, live: &std::collections::HashSet<u64>, latest_publication: u64) {
		self.sent.lock().unwrap_or_else(|e| e.into_inner()).retain(|(id, duty), _| {
			if duty.is_intent() {
				live.contains(id)
			} else {
				*id >= latest_publication
			}
		});
	}
}

/// The native form of an asset in chain types.
fn asset(a: &ChainAsset) -> TransferAsset {
	match a {
		ChainAsset::Native => TransferAsset::Native,
		ChainAsset::Erc20(token) => TransferAsset::Erc20(*token),
	}
}

/// The gas a payout of `asset` may use on a chain with `params`.
fn gas_budget(params: &ChainParams, asset: &TransferAsset) -> GasBudget {
	let max_gas_limit = match asset {
		TransferAsset::Native => params.native_gas_limit,
		TransferAsset::Erc20(_) => params.erc20_gas_limit,
	};
	GasBudget { max_gas_limit, max_fee_per_gas: params.max_fee_per_gas }
}

/// Whether the deposit is worth refunding (the runtime's rule: more than the refund's gas
/// for the native coin, anything for an ERC-20).
fn refundable(record: &ChainIntent, params: &ChainParams) -> bool {
	let gas = match asset(&record.source.asset) {
		TransferAsset::Native => u128::from(params.native_gas_limit) * params.max_fee_per_gas,
		TransferAsset::Erc20(_) => 0,
	};
	record.deposited > gas
}

/// The payout transaction of `record` that the runtime accepts, with `nonce`.
pub fn payout_transaction(
	record: &ChainIntent,
	payout: &ChainPayout,
	params: &ChainParams,
	nonce: u64,
) -> Result<Vec<u8>, evm_tx::EvmTxError> {
	let asset = asset(&record.source.asset);
	let (recipient, amount) = match payout {
		ChainPayout::Release { payout_to } => {
			(*payout_to, record.deposited.saturating_sub(record.quote.protocol_fee))
		},
		ChainPayout::Refund => (record.refund_to, record.deposited),
	};
	let gas = gas_budget(params, &asset);
	let intended =
		IntendedTransfer { chain_id: record.source.chain_id, asset, recipient, amount, gas };
	let fees = TxFees {
		nonce,
		gas_limit: gas.max_gas_limit,
		max_fee_per_gas: params.max_fee_per_gas,
		max_priority_fee_per_gas: PAYOUT_PRIORITY_FEE.min(params.max_fee_per_gas),
	};
	evm_tx::unsigned_transfer(&intended, &fees)
}

/// The deadline after which `expire_intent` moves `record` on, if its state has one.
fn expiry_deadline(record: &ChainIntent, retention: u64, refundable: bool) -> Option<u64> {
	let grace = record.grace;
	match &record.status {
		IntentStatus::Pending => Some(record.open_deadline.saturating_add(grace)),
		IntentStatus::Open => Some(record.fill_deadline.saturating_add(grace)),
		IntentStatus::Claimed { until, .. } => Some(until.saturating_add(grace)),
		IntentStatus::Expired { since } if !refundable => Some(since.saturating_add(retention)),
		_ => None,
	}
}

/// The SCALE encoding of `fact`, as the pallet hashes it into a vote (variant index, then the
/// fields in order).
fn fact_encoding(fact: &Fact) -> Vec<u8> {
	use codec::Encode;
	match fact {
		Fact::Deposit { amount } => (0u8, amount).encode(),
		Fact::Fill { tx_hash, amount, timestamp } => (1u8, tx_hash.0, amount, timestamp).encode(),
		Fact::PayoutMined { tx_hash } => (2u8, tx_hash.0).encode(),
	}
}

fn blake(data: &[u8]) -> [u8; 32] {
	sp_crypto_hashing::blake2_256(data)
}

impl<N: PeerDirectory> Signer<N> {
	/// Runs one round of intent duties at the newest finalized block, in the background,
	/// unless the previous round is still running (EVM nodes may be slow; signing is not
	/// held up by them).
	pub(super) fn spawn_intent_duties(self: &std::sync::Arc<Self>) {
		let Some(duties) = self.intents.get() else { return };
		if duties.busy.swap(true, Ordering::AcqRel) {
			return;
		}
		let this = self.clone();
		tokio::spawn(async move {
			if let Err(e) = this.intent_duties().await {
				tracing::warn!(target: "waas::intents", error = %e, "intent duties incomplete; retried next block");
			}
			if let Some(d) = this.intents.get() {
				d.busy.store(false, Ordering::Release);
			}
		});
	}

	async fn intent_duties(&self) -> Result<(), ServiceError> {
		let duties = self.intents.get().ok_or(ServiceError::NotConnected)?;
		let conn = self.connection()?;
		let at = conn.client.at_current_block().await.map_err(super::chain_err)?;
		let mut times = times(&at).await?;
		times.block = at.block_number() as u32;
		let intents = intents(&at, MAX_INTENTS_PER_BLOCK).await?;
		let mut seats: HashMap<u32, Option<Seat>> = HashMap::new();
		let mut chains: HashMap<u64, Option<ChainParams>> = HashMap::new();
		for (id, record) in &intents {
			let seat = match seats.get(&record.key) {
				Some(seat) => *seat,
				None => {
					let seat = self.seat(&at, record.key).await?;
					seats.insert(record.key, seat);
					seat
				},
			};
			let Some(seat) = seat else { continue };
			let (source, dest) = (record.source.chain_id, record.destination.chain_id);
			for chain_id in [source, dest] {
				if let std::collections::hash_map::Entry::Vacant(slot) = chains.entry(chain_id) {
					slot.insert(chain_params(&at, chain_id).await?);
				}
			}
			let Some(params) = chains.get(&source).cloned().flatten() else { continue };
			let case = Case {
				conn: &conn,
				at: &at,
				duties,
				times: &times,
				id: *id,
				record,
				seat,
				params,
				dest_params: chains.get(&dest).cloned().flatten(),
				observes_source: duties.observes(source).await,
			};
			if let Err(e) = self.intent_duty(&case).await {
				tracing::warn!(target: "waas::intents", intent = id, error = %e, "intent duty failed; retried next block");
			}
		}
		let latest_publication = match self.evm_anchor_duty(&conn, &at, duties, times.block).await {
			Ok(latest) => latest,
			Err(e) => {
				tracing::warn!(target: "waas::anchors", error = %e, "EVM anchor duty failed; retried next block");
				0
			},
		};
		duties.forget_except(&intents.iter().map(|(id, _)| *id).collect(), latest_publication);
		Ok(())
	}

	/// This signer's index in the committee of `key`, if it is a member.
	pub(super) async fn seat(&self, at: &AtBlock, key: u32) -> Result<Option<Seat>, ServiceError> {
		let Some(view) = chain::key(at, key).await? else { return Ok(None) };
		let Some(committee) = chain::committee(at, view.committee).await? else { return Ok(None) };
		let members = committee.members.len() as u16;
		Ok(committee
			.members
			.iter()
			.position(|m| *m == self.me)
			.map(|i| Seat { index: i as u16, members }))
	}

	/// Everything the intent's state asks of this member now (see the module docs).
	async fn intent_duty(&self, c: &Case<'_>) -> Result<(), ServiceError> {
		let (record, t) = (c.record, c.times);
		let refundable = refundable(record, &c.params);
		match &record.status {
			IntentStatus::Pending | IntentStatus::Expired { .. } if c.observes_source => {
				self.check_deposit(c).await?
			},
			IntentStatus::Claimed { fill_tx: Some(tx), .. } => self.check_fill(c, tx).await?,
			_ => {},
		}

		// The payout, when one is due.
		let due = match &record.status {
			IntentStatus::Filled { payout_to, .. } => {
				Some(ChainPayout::Release { payout_to: *payout_to })
			},
			IntentStatus::Expired { .. } if refundable => Some(ChainPayout::Refund),
			IntentStatus::PayingOut { payout, request: None, .. } => Some(payout.clone()),
			IntentStatus::PayingOut { payout, signed_at: Some(s), .. }
				if t.now >= s.saturating_add(t.retry_after) =>
			{
				Some(payout.clone())
			},
			_ => None,
		};
		if let (Some(payout), true) = (due, c.observes_source) {
			self.propose(c, &payout).await?;
		}

		// A signed payout: broadcast it, attest it mined.
		if let (IntentStatus::PayingOut { request: Some(request), .. }, true) =
			(&record.status, c.observes_source)
		{
			if let Some((unsigned, signature)) = chain::signed_request(c.at, *request).await? {
				self.broadcast(c, &unsigned, &signature).await?;
			}
		}

		// Deadlines.
		if let Some(deadline) = expiry_deadline(record, t.retention, refundable) {
			let mine = deadline.saturating_add(u64::from(c.seat.index) * EXPIRE_STAGGER_SECS);
			if t.now > mine && c.duties.claim(c.id, Duty::Expire, [0; 32], t.block) {
				let call = waas::transactions().intents().expire_intent(c.id);
				self.submit_duty(c.conn, "expire_intent", c.id, &call).await;
			}
		}
		Ok(())
	}

	/// Attests the deposit address's balance when it is news to the chain.
	async fn check_deposit(&self, c: &Case<'_>) -> Result<(), ServiceError> {
		let record = c.record;
		let source_asset = asset(&record.source.asset);
		let question = c.duties.observer.balance(
			record.source.chain_id,
			&source_asset,
			&record.deposit_address,
			c.params.confirmations,
		);
		let balance = self.evm_check("deposit", question).await;
		// Nothing there is no fact worth a vote (nothing arrived, or it left with a payout).
		match balance.filter(|b| *b != 0 && *b != record.deposited) {
			Some(amount) => {
				let fact = Fact::Deposit { amount };
				self.attest(c, Duty::Deposit, FactKind::Deposit, fact).await
			},
			None => Ok(()),
		}
	}

	/// Checks the reported fill `tx` on the destination chain; attests what it moved, or
	/// gives no vote for a transaction that is not a fill.
	async fn check_fill(&self, c: &Case<'_>, tx: &subxt::utils::H256) -> Result<(), ServiceError> {
		let (record, id) = (c.record, c.id);
		let dest = record.destination.chain_id;
		if !c.duties.observes(dest).await {
			return Ok(());
		}
		let Some(dest_params) = &c.dest_params else { return Ok(()) };
		let observed = c
			.duties
			.observer
			.fill(
				dest,
				&tx.0,
				&asset(&record.destination.asset),
				&record.recipient,
				&record.fill_tag,
				dest_params.confirmations,
			)
			.await;
		let checks = &self.metrics.intent_checks;
		match observed {
			Ok(Some(fill)) => {
				checks.with_label_values(&["fill", "ok"]).inc();
				let fact =
					Fact::Fill { tx_hash: *tx, amount: fill.amount, timestamp: fill.timestamp };
				self.attest(c, Duty::Fill, FactKind::Fill, fact).await?;
			},
			Ok(None) => {},
			Err(FillError::NotAFill(why)) => {
				checks.with_label_values(&["fill", "not_a_fill"]).inc();
				if c.duties.claim(id, Duty::Fill, blake(&tx.0), c.times.block) {
					tracing::info!(target: "waas::intents", intent = id, tx = %hex::encode(tx.0), reason = %why, "the reported fill is not a fill: no vote");
				}
			},
			Err(FillError::Evm(e)) => {
				checks.with_label_values(&["fill", "error"]).inc();
				tracing::warn!(target: "waas::intents", intent = id, error = %e, "cannot check the reported fill");
			},
		}
		Ok(())
	}

	/// Proposes the payout transaction, unless this member's proposal is on record.
	async fn propose(&self, c: &Case<'_>, payout: &ChainPayout) -> Result<(), ServiceError> {
		let (record, id) = (c.record, c.id);
		let question =
			c.duties.observer.next_nonce(record.source.chain_id, &record.deposit_address);
		let Some(nonce) = self.evm_check("nonce", question).await else { return Ok(()) };
		let tx = match payout_transaction(record, payout, &c.params, nonce) {
			Ok(tx) => tx,
			Err(e) => {
				tracing::warn!(target: "waas::intents", intent = id, error = ?e, "no payout transaction fits the intent");
				return Ok(());
			},
		};
		let hash = evm_tx::signing_hash(&tx).unwrap_or_default();
		if self.voted(c, FactKind::PayoutProposal, &hash).await? {
			return Ok(());
		}
		if c.duties.claim(id, Duty::Payout, hash, c.times.block) {
			tracing::info!(target: "waas::intents", intent = id, nonce, signing_hash = %hex::encode(hash), "proposing the payout");
			let call = waas::transactions().intents().propose_payout(id, BoundedVec(tx));
			self.submit_duty(c.conn, "propose_payout", id, &call).await;
		}
		Ok(())
	}

	/// Broadcasts the signed payout until it is mined; then attests it.
	async fn broadcast(
		&self,
		c: &Case<'_>,
		unsigned: &[u8],
		signature: &[u8; 65],
	) -> Result<(), ServiceError> {
		let (id, block) = (c.id, c.times.block);
		let chain_id = c.record.source.chain_id;
		let signed = match evm_tx::assemble_signed(unsigned, signature) {
			Ok(signed) => signed,
			Err(e) => {
				tracing::warn!(target: "waas::intents", intent = id, error = ?e, "cannot assemble the signed payout");
				return Ok(());
			},
		};
		let tx_hash = evm_tx::transaction_hash(&signed);
		let question = c.duties.observer.mined(chain_id, &tx_hash, c.params.confirmations);
		match self.evm_check("mined", question).await {
			Some(Some(true)) => {
				let fact = Fact::PayoutMined { tx_hash: tx_hash.into() };
				self.attest(c, Duty::Mined, FactKind::PayoutMined, fact).await?;
			},
			Some(Some(false)) if c.duties.claim(id, Duty::Mined, tx_hash, block) => {
				tracing::warn!(target: "waas::intents", intent = id, tx = %hex::encode(tx_hash), "the payout reverted; the runtime lets it be proposed again later");
			},
			Some(None) if c.duties.claim(id, Duty::Broadcast, tx_hash, block) => {
				let sent = c.duties.observer.send_raw(chain_id, &signed).await;
				let outcome = if sent.is_ok() { "pooled" } else { "error" };
				self.metrics.submissions.with_label_values(&["evm_payout", outcome]).inc();
				match sent {
					Ok(_) => {
						tracing::info!(target: "waas::intents", intent = id, chain_id, tx = %hex::encode(tx_hash), "payout broadcast")
					},
					Err(e) => {
						tracing::warn!(target: "waas::intents", intent = id, chain_id, error = %e, "payout broadcast failed")
					},
				}
			},
			_ => {},
		}
		Ok(())
	}

	/// Attests `fact`, unless the same vote of this member is on record.
	async fn attest(
		&self,
		c: &Case<'_>,
		duty: Duty,
		kind: FactKind,
		fact: Fact,
	) -> Result<(), ServiceError> {
		let digest = blake(&fact_encoding(&fact));
		if self.voted(c, kind, &digest).await? {
			return Ok(());
		}
		if c.duties.claim(c.id, duty, digest, c.times.block) {
			tracing::info!(target: "waas::intents", intent = c.id, fact = ?fact, "attesting");
			let call = waas::transactions().intents().attest(c.id, fact);
			self.submit_duty(c.conn, "attest", c.id, &call).await;
		}
		Ok(())
	}

	/// Whether the chain records this member's vote `value_hash` on `kind` about the intent.
	async fn voted(
		&self,
		c: &Case<'_>,
		kind: FactKind,
		value_hash: &[u8; 32],
	) -> Result<bool, ServiceError> {
		let votes = votes(c.at, c.id, kind).await?;
		Ok(votes.iter().any(|(m, h)| *m == c.seat.index && h == value_hash))
	}

	/// Submits an intents extrinsic and counts the outcome.
	pub(super) async fn submit_duty<Call: subxt::transactions::Payload>(
		&self,
		conn: &Connection,
		kind: &'static str,
		id: u64,
		call: &Call,
	) {
		if let Err(e) = self.submit_counted(conn, kind, call).await {
			tracing::info!(target: "waas::intents", intent = id, kind, error = %e, "not submitted");
		}
	}

	/// Awaits an EVM question, counting and logging a failure (`None`).
	pub(super) async fn evm_check<T>(
		&self,
		what: &'static str,
		question: impl std::future::Future<Output = Result<T, crate::evm::EvmError>>,
	) -> Option<T> {
		match question.await {
			Ok(answer) => {
				self.metrics.intent_checks.with_label_values(&[what, "ok"]).inc();
				Some(answer)
			},
			Err(e) => {
				self.metrics.intent_checks.with_label_values(&[what, "error"]).inc();
				tracing::warn!(target: "waas::intents", check = what, error = %e, "EVM node question failed");
				None
			},
		}
	}
}

/// One intent this member serves, in one round, with what the round reads once.
struct Case<'a> {
	conn: &'a Connection,
	at: &'a AtBlock,
	duties: &'a IntentDuties,
	times: &'a Times,
	id: u64,
	record: &'a ChainIntent,
	seat: Seat,
	/// The source chain's parameters on the WaaS chain.
	params: ChainParams,
	/// The destination chain's, if it is still registered.
	dest_params: Option<ChainParams>,
	/// Whether this signer reaches the source chain's node.
	observes_source: bool,
}

/// The clock and the pallet's time constants for one round.
struct Times {
	block: u32,
	now: u64,
	retention: u64,
	retry_after: u64,
}

/// The parameters of EVM chain `chain_id` on the WaaS chain.
async fn chain_params(at: &AtBlock, chain_id: u64) -> Result<Option<ChainParams>, ChainError> {
	let entry = at.storage().entry(waas::storage().intents().chains())?;
	Ok(entry.try_fetch((chain_id,)).await?.map(|v| v.decode()).transpose()?)
}

/// Up to `limit` stored intents, by id.
async fn intents(at: &AtBlock, limit: usize) -> Result<Vec<(u64, ChainIntent)>, ChainError> {
	let entry = at.storage().entry(waas::storage().intents().intents())?;
	let mut iter = entry.iter(()).await?;
	let mut out = Vec::new();
	while let Some(kv) = iter.next().await {
		if out.len() >= limit {
			break;
		}
		let kv = kv?;
		let (id,): (u64,) = kv.key()?.decode()?;
		out.push((id, kv.value().decode()?));
	}
	Ok(out)
}

/// The votes (member index, value hash) on `(intent, kind)`.
async fn votes(at: &AtBlock, id: u64, kind: FactKind) -> Result<Vec<(u16, [u8; 32])>, ChainError> {
	let entry = at.storage().entry(waas::storage().intents().attestations())?;
	Ok(entry
		.try_fetch((id, kind))
		.await?
		.map(|v| v.decode())
		.transpose()?
		.map_or(Vec::new(), |v| v.0))
}

/// The chain's clock and the pallet's time constants.
async fn times(at: &AtBlock) -> Result<Times, ChainError> {
	let constants = waas::constants().intents();
	Ok(Times {
		block: 0,
		now: chain::unix_seconds(at).await?,
		retention: at.constants().entry(constants.expired_retention())?,
		retry_after: at.constants().entry(constants.payout_retry_after())?,
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn facts_are_encoded_as_scale_enums() {
		let mut deposit = vec![0u8];
		deposit.extend_from_slice(&5u128.to_le_bytes());
		assert_eq!(fact_encoding(&Fact::Deposit { amount: 5 }), deposit);
		let hash = subxt::utils::H256([7; 32]);
		let mut fill = vec![1u8];
		fill.extend_from_slice(&[7; 32]);
		fill.extend_from_slice(&9u128.to_le_bytes());
		fill.extend_from_slice(&11u64.to_le_bytes());
		assert_eq!(fact_encoding(&Fact::Fill { tx_hash: hash, amount: 9, timestamp: 11 }), fill);
		let mut mined = vec![2u8];
		mined.extend_from_slice(&[7; 32]);
		assert_eq!(fact_encoding(&Fact::PayoutMined { tx_hash: hash }), mined);
	}

	#[test]
	fn a_duty_is_resubmitted_only_when_its_value_changes_or_it_is_old() {
		let observer = EvmObserver::new(&Default::default()).unwrap();
		let duties = IntentDuties::new(observer);
		assert!(duties.claim(1, Duty::Deposit, [1; 32], 10));
		assert!(!duties.claim(1, Duty::Deposit, [1; 32], 11), "the same vote, just sent");
		assert!(duties.claim(1, Duty::Fill, [1; 32], 11), "another duty");
		assert!(duties.claim(1, Duty::Deposit, [2; 32], 12), "a changed observation");
		assert!(!duties.claim(1, Duty::Deposit, [2; 32], 12 + RESUBMIT_AFTER_BLOCKS - 1));
		assert!(duties.claim(1, Duty::Deposit, [2; 32], 12 + RESUBMIT_AFTER_BLOCKS));
		// Anchor duties are keyed by publication, kept while the publication is the latest.
		assert!(duties.claim(1, Duty::AnchorProposal, [3; 32], 12));
		assert!(duties.claim(2, Duty::AnchorProposal, [3; 32], 12));
		duties.forget_except(&[2].into_iter().collect(), 2);
		assert!(duties.claim(1, Duty::Fill, [1; 32], 13), "forgotten with its intent");
		assert!(duties.claim(1, Duty::AnchorProposal, [3; 32], 13), "an older publication");
		assert!(!duties.claim(2, Duty::AnchorProposal, [3; 32], 13), "the latest one is kept");
	}
}
