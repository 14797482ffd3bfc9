//! The signer's session log, kept and anchored: every keygen, aux-info and signing session this
//! signer takes part in is appended to its [`SessionLog`], and the log's RFC 6962 tree head is
//! anchored on-chain (pallet-audit-anchors) once [`ServiceSettings::anchor_every_sessions`]
//! sessions are unanchored or the oldest of them is [`ServiceSettings::anchor_every`] old.
//!
//! The chain is the record of what was anchored: on every round the signer reads its log's
//! latest head and checks that its own file still has that tree. A file that lost entries or
//! whose prefix changed is never anchored again (the runtime would refuse it anyway); the
//! error is logged and counted.
//!
//! [`ServiceSettings::anchor_every_sessions`]: super::ServiceSettings::anchor_every_sessions
//! [`ServiceSettings::anchor_every`]: super::ServiceSettings::anchor_every

use super::{chain_err, PeerDirectory, ServiceError, Signer};
use crate::{
	chain,
	engine::Blame,
	session_log::{
		hex0x, holds_tree, LoggedBlame, SessionEntry, SessionKind, SessionLog, SessionOutcome,
		FORMAT,
	},
	transport::SessionId,
};
use std::{
	sync::{
		atomic::{AtomicBool, Ordering},
		Mutex,
	},
	time::{Instant, SystemTime, UNIX_EPOCH},
};
use waas_client::{
	waas::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec, pallet_audit_anchors::types::OwnerKind,
		},
	},
	AccountId, Connection,
};
use waas_primitives::merkle_log;

/// Blocks a submitted registration or anchor is given to land before it is sent again.
const RESUBMIT_AFTER_BLOCKS: u32 = 8;

/// What a session produced, for its log entry.
pub(super) enum SessionResult {
	/// A keygen: the committee key's compressed public key.
	PublicKey(Vec<u8>),
	/// An aux-info session (its result is secret).
	AuxInfo,
	/// A signature `r ‖ s`.
	Signature(Vec<u8>),
	/// The session failed: why, and whom it blames (indices in the session's party order).
	Failed {
		/// The error, as text.
		error: String,
		/// The misbehaving parties, if the run identified any.
		blame: Option<Blame>,
	},
}

impl SessionResult {
	/// A failed session: `error` and its blame.
	pub(super) fn failed(error: &dyn std::fmt::Display, blame: Option<&Blame>) -> SessionResult {
		SessionResult::Failed { error: error.to_string(), blame: blame.cloned() }
	}
}

/// The session log and the state of its anchoring.
pub struct Anchoring {
	log: SessionLog,
	state: Mutex<AnchorState>,
	busy: AtomicBool,
}

#[derive(Default)]
struct AnchorState {
	/// This signer's log on-chain, once found or registered.
	log_id: Option<u64>,
	/// Block at which the registration was last submitted.
	registering: Option<u32>,
	/// The tree size last submitted for anchoring, and at which block.
	sent: Option<(u64, u32)>,
	/// Since when the log has unanchored entries.
	pending_since: Option<Instant>,
	/// The latest anchored head `(size, root)` the file was last found to hold.
	checked: Option<(u64, [u8; 32])>,
	/// The file no longer holds the anchored tree: anchoring stopped.
	diverged: bool,
}

impl Anchoring {
	/// Keeps `log` and anchors it.
	pub fn new(log: SessionLog) -> Anchoring {
		Anchoring { log, state: Mutex::new(AnchorState::default()), busy: AtomicBool::new(false) }
	}

	fn state(&self) -> std::sync::MutexGuard<'_, AnchorState> {
		self.state.lock().unwrap_or_else(|e| e.into_inner())
	}
}

fn now_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

impl<N: PeerDirectory> Signer<N> {
	/// Keeps a session log: every session from now on is appended to `log`, and the log is
	/// anchored on-chain.
	pub fn keep_session_log(&self, log: SessionLog) {
		let _ = self.anchoring.set(Anchoring::new(log));
	}

	/// Records a fault observed in session `session` (of `kind`, for key or request `id` and
	/// `attempt`, run by `parties` in protocol order): logged, counted per accused party, and
	/// returned with the accused named by account. A blame naming a party outside the run is
	/// not believed (a library bug, not a fault of anyone's).
	fn observed_fault(
		&self,
		kind: SessionKind,
		session: &SessionId,
		(id, attempt): (u64, u8),
		parties: &[AccountId],
		blame: &Blame,
	) -> Option<LoggedBlame> {
		if !blame.within(parties.len()) {
			tracing::error!(target: "waas::signer", %blame, parties = parties.len(), "blame names a party outside the run; ignored");
			return None;
		}
		let accused: Vec<String> =
			blame.accused.iter().map(|&p| parties[p as usize].to_string()).collect();
		let reason = serde_json::to_value(blame.reason)
			.ok()
			.and_then(|v| v.as_str().map(str::to_owned))
			.unwrap_or_default();
		let kind_label = match kind {
			SessionKind::Keygen => "keygen",
			SessionKind::Aux => "aux",
			SessionKind::Sign => "sign",
		};
		self.metrics
			.faults_observed
			.with_label_values(&[kind_label, &reason])
			.inc_by(accused.len() as u64);
		tracing::warn!(
			target: "waas::signer",
			session = %hex::encode(&session[..8]), id, attempt, reason, accused = ?accused,
			"fault observed"
		);
		Some(LoggedBlame { reason: blame.reason, accused })
	}

	/// Appends the session `session` (of `kind`, for key or request `id` and `attempt`, run
	/// by `parties` in protocol order) to the session log, if this signer keeps one. A log
	/// that cannot be written is reported, not fatal: the session's result still counts.
	#[allow(clippy::too_many_arguments)]
	pub(super) fn log_session(
		&self,
		kind: SessionKind,
		session: &SessionId,
		id: u64,
		attempt: u8,
		parties: &[AccountId],
		result: SessionResult,
	) {
		let blame = match &result {
			SessionResult::Failed { blame: Some(blame), .. } => {
				self.observed_fault(kind, session, (id, attempt), parties, blame)
			},
			_ => None,
		};
		let Some(anchoring) = self.anchoring.get() else { return };
		let Ok(ctx) = self.context() else { return };
		let (outcome, public_key, signature, error) = match result {
			SessionResult::PublicKey(pk) => (SessionOutcome::Ok, Some(hex0x(&pk)), None, None),
			SessionResult::AuxInfo => (SessionOutcome::Ok, None, None, None),
			SessionResult::Signature(sig) => (SessionOutcome::Ok, None, Some(hex0x(&sig)), None),
			SessionResult::Failed { error, .. } => {
				(SessionOutcome::Failed, None, None, Some(error))
			},
		};
		let entry = SessionEntry {
			seq: 0,
			time_ms: now_ms(),
			chain: hex0x(&ctx.genesis),
			kind,
			execution_id: hex0x(session),
			id,
			attempt,
			parties: parties.iter().map(|p| p.to_string()).collect(),
			me: self.me.to_string(),
			outcome,
			public_key,
			signature,
			error,
			blame,
		};
		match anchoring.log.append(entry) {
			Ok(seq) => {
				self.metrics.session_log_entries.set(seq as i64 + 1);
				tracing::debug!(target: "waas::audit", seq, ?kind, id, attempt, "session logged");
			},
			Err(e) => {
				self.metrics.session_log_errors.with_label_values(&["write"]).inc();
				tracing::error!(target: "waas::audit", error = %e, "the session log could not be written");
			},
		}
	}

	/// Runs one anchoring round at the newest finalized block, in the background, unless the
	/// previous one is still running.
	pub(super) fn spawn_anchoring(self: &std::sync::Arc<Self>) {
		let Some(anchoring) = self.anchoring.get() else { return };
		if anchoring.busy.swap(true, Ordering::AcqRel) {
			return;
		}
		let this = self.clone();
		tokio::spawn(async move {
			if let Err(e) = this.anchor_round().await {
				tracing::warn!(target: "waas::audit", error = %e, "anchoring incomplete; retried next block");
			}
			if let Some(a) = this.anchoring.get() {
				a.busy.store(false, Ordering::Release);
			}
		});
	}

	async fn anchor_round(&self) -> Result<(), ServiceError> {
		let anchoring = self.anchoring.get().ok_or(ServiceError::NotConnected)?;
		if anchoring.state().diverged {
			return Ok(());
		}
		let conn = self.connection()?;
		let at = conn.client.at_current_block().await.map_err(chain_err)?;
		let block = at.block_number() as u32;
		let size = anchoring.log.len();
		let known = anchoring.state().log_id;
		let log_id = match known {
			Some(id) => id,
			None => match chain::audit_log_of(&at, &self.me, FORMAT).await? {
				Some(id) => {
					tracing::info!(target: "waas::audit", log = id, path = %anchoring.log.path().display(), "session log anchored as audit log");
					anchoring.state().log_id = Some(id);
					id
				},
				None => {
					if size > 0 && due(anchoring.state().registering, block) {
						let call = waas::transactions()
							.audit_anchors()
							.register_log(OwnerKind::Account, BoundedVec(FORMAT.into()));
						self.submit_audit(&conn, "register_log", &call).await;
						anchoring.state().registering = Some(block);
					}
					return Ok(());
				},
			},
		};
		let latest = chain::latest_tree_head(&at, log_id).await?;
		let anchored = latest.map_or(0, |(s, ..)| s);
		self.metrics.session_log_anchored.set(anchored as i64);
		// The log is checked against each anchored head once, not every round.
		if let Some((anchored_size, anchored_root, ..)) = latest {
			let head = (anchored_size, anchored_root);
			if anchoring.state().checked != Some(head) {
				if !holds_tree(&anchoring.log.leaves(anchored_size), anchored_size, &anchored_root)
				{
					anchoring.state().diverged = true;
					self.metrics.session_log_errors.with_label_values(&["diverged"]).inc();
					tracing::error!(target: "waas::audit", log = log_id, anchored_size, local_size = size, "the session log file does not hold the tree anchored on-chain (lost or edited): anchoring stopped");
					return Ok(());
				}
				anchoring.state().checked = Some(head);
			}
		}
		let pending = size.saturating_sub(anchored);
		let since = {
			let mut state = anchoring.state();
			if pending == 0 {
				state.pending_since = None;
				return Ok(());
			}
			*state.pending_since.get_or_insert_with(Instant::now)
		};
		if pending < self.settings.anchor_every_sessions
			&& since.elapsed() < self.settings.anchor_every
		{
			return Ok(());
		}
		// One anchor in flight at a time: a second one, proven from the same old head, would
		// be refused once the first lands.
		if matches!(anchoring.state().sent, Some((s, b)) if anchored < s && !due(Some(b), block)) {
			return Ok(());
		}
		let leaves = anchoring.log.leaves(size);
		let proof = merkle_log::consistency_proof(&leaves, anchored)
			.map_err(|e| ServiceError::Inconsistent(format!("session log proof: {e}")))?;
		let call = waas::transactions().audit_anchors().anchor(
			log_id,
			size,
			merkle_log::root(&leaves),
			BoundedVec(proof),
		);
		self.submit_audit(&conn, "anchor", &call).await;
		anchoring.state().sent = Some((size, block));
		tracing::info!(target: "waas::audit", log = log_id, tree_size = size, from = anchored, "session log anchor submitted");
		Ok(())
	}

	/// Submits an audit-anchors extrinsic and counts the outcome.
	async fn submit_audit<Call: subxt::transactions::Payload>(
		&self,
		conn: &Connection,
		kind: &'static str,
		call: &Call,
	) {
		if let Err(e) = self.submit_counted(conn, kind, call).await {
			tracing::warn!(target: "waas::audit", kind, error = %e, "not submitted");
		}
	}
}

/// Whether something last sent at `sent` may be sent again at `block`.
fn due(sent: Option<u32>, block: u32) -> bool {
	sent.is_none_or(|b| block >= b.saturating_add(RESUBMIT_AFTER_BLOCKS))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn submissions_are_repeated_only_after_a_while() {
		assert!(due(None, 5));
		assert!(!due(Some(5), 12));
		assert!(due(Some(5), 13));
	}
}
