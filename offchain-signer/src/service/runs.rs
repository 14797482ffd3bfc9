//! The two kinds of run: a keygen (DKG, then the committee's aux info) and one signing
//! attempt. Each reads its parameters from chain state, joins its session at most once, and
//! leaves its result in the outbox.

use super::{
	anchoring::SessionResult,
	chain_err, execution_id,
	outbox::{self, Outgoing},
	signing_session, Finished, Job, PeerDirectory, ServiceError, Signer,
};
use crate::{
	chain,
	engine::{self, SigningJob},
	primes::PrimePool,
	session_log::SessionKind,
	transport::PeerId,
};
use codec::Encode;
use serde::{Deserialize, Serialize};
use std::{
	sync::{atomic::Ordering, Arc},
	time::{Duration, Instant},
};
use waas_client::AccountId;

/// A session with less time than this left is not started.
const MIN_SESSION_TIME: Duration = Duration::from_secs(3);

/// What a key share belongs to: chain, committee (members in party order, threshold) and key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct ShareBinding {
	genesis: [u8; 32],
	committee: u32,
	key: u32,
	members: Vec<[u8; 32]>,
	threshold: u16,
}

impl ShareBinding {
	fn new(genesis: [u8; 32], committee: u32, key: u32, view: &chain::CommitteeView) -> Self {
		ShareBinding {
			genesis,
			committee,
			key,
			members: view.members.iter().map(|m| m.0).collect(),
			threshold: view.threshold,
		}
	}

	/// Checks a stored share's binding and shape `(i, n, t)` against what the chain says
	/// (`self`) for party `i`: a share from another chain, committee, key or position is
	/// never used.
	fn check(
		&self,
		stored: &ShareBinding,
		shape: (u16, usize, u16),
		i: u16,
	) -> Result<(), ServiceError> {
		if stored == self && shape == (i, self.members.len(), self.threshold) {
			Ok(())
		} else {
			Err(ServiceError::KeyMaterial(format!(
				"the stored share of key {} does not belong to this chain, committee or position",
				self.key
			)))
		}
	}
}

/// A key share with what it belongs to, checked against the chain before every use.
#[derive(Serialize, Deserialize)]
struct StoredShare {
	binding: ShareBinding,
	share: engine::Share,
}

/// Time left until `ends_at`.
fn left(ends_at: Instant) -> Duration {
	ends_at.saturating_duration_since(Instant::now())
}

impl<N: PeerDirectory> Signer<N> {
	/// Keygen of `key_id`: DKG (persisted as soon as it is done), the committee's aux info
	/// (new, or the one the chain says to reuse), the complete share (bound to chain,
	/// committee and position), and the report in the outbox.
	pub(super) async fn keygen(self: &Arc<Self>, key_id: u32) -> Result<Finished, ServiceError> {
		let ctx = self.context()?;
		let conn = self.connection()?;
		// Read everything needed, then let go of the block.
		let (key, committee, i, parties, ends_at) = {
			let at = conn.client.at_current_block().await.map_err(chain_err)?;
			let key = chain::key(&at, key_id)
				.await?
				.ok_or_else(|| ServiceError::Inconsistent(format!("unknown key {key_id}")))?;
			let Some(deadline) = key.generating_until else {
				return Ok(Finished::Skipped("not generating"));
			};
			if chain::has_reported(&at, key_id, &self.me).await? {
				return Ok(Finished::Skipped("already reported"));
			}
			let (committee, i) = self.membership(&at, key.committee).await?;
			let parties = Self::peers_of(&at, &committee.members).await?;
			let blocks_left = deadline.saturating_sub(at.block_number() as u32);
			let ends_at = Instant::now() + chain::block_time(&at)? * blocks_left;
			(key, committee, i, parties, ends_at)
		};
		let p = &ctx.prefix;
		let share_name = format!("{p}share-k{key_id}");
		let core_name = format!("{p}core-k{key_id}");
		let params =
			(key.committee, &committee.members, committee.threshold, key.aux_source).encode();

		let share = match self.store.get::<StoredShare>(&share_name)? {
			Some(stored) => {
				let expected = ShareBinding::new(ctx.genesis, key.committee, key_id, &committee);
				expected.check(&stored.binding, engine::share_shape(&stored.share), i)?;
				stored.share
			},
			None => {
				if key.aux_source.is_none() && PrimePool::new(&self.store).is_empty()? {
					// Refuse before the DKG, so the others are not kept waiting for nothing.
					return Err(ServiceError::NoPrimes);
				}
				let core = match self.store.get::<engine::CoreShare>(&core_name)? {
					Some(core) => core,
					None => {
						let session =
							execution_id(&ctx.genesis, "keygen", key_id.into(), 0, &params);
						if !self.join_once(&format!("{p}joined-keygen-k{key_id}"), &session)? {
							return Ok(Finished::Skipped("keygen session already joined"));
						}
						self.opened(Job::Keygen { key: key_id }, session);
						self.metrics.sessions_started.with_label_values(&["keygen"]).inc();
						tracing::info!(target: "waas::signer", party = i, n = parties.len(), t = committee.threshold, "keygen started");
						let result = engine::keygen(
							&self.net,
							session,
							parties.clone(),
							i,
							committee.threshold,
							left(ends_at),
						)
						.await;
						self.log_session(
							SessionKind::Keygen,
							&session,
							key_id.into(),
							0,
							&committee.members,
							match &result {
								Ok(core) => {
									SessionResult::PublicKey(engine::core_public_key(core).into())
								},
								Err(e) => SessionResult::failed(e, e.blame()),
							},
						);
						let core = result?;
						// Persisted before aux info: a crash during aux does not redo the DKG.
						self.store.put(&core_name, &core)?;
						core
					},
				};
				let aux = self
					.committee_aux(
						key.committee,
						key_id,
						key.aux_source,
						&params,
						parties,
						&committee.members,
						i,
						ends_at,
					)
					.await?;
				let share = engine::complete_share(core, aux)?;
				let binding = ShareBinding::new(ctx.genesis, key.committee, key_id, &committee);
				let stored = StoredShare { binding, share };
				self.store.put(&share_name, &stored)?;
				self.store.remove(&core_name)?;
				tracing::info!(target: "waas::signer", "keygen finished");
				stored.share
			},
		};
		let (public_key, chain_code) = engine::public_key_and_chain_code(&share)?;
		let item = Outgoing::KeygenReport {
			key: key_id,
			public_key: public_key.to_vec(),
			chain_code: chain_code.to_vec(),
		};
		self.record(item).await?;
		Ok(Finished::Done)
	}

	/// The committee's aux info for keygen `key_id`: the one made by keygen `aux_source` when
	/// the chain says to reuse it, or a new one (stored under this keygen's id).
	#[allow(clippy::too_many_arguments)]
	async fn committee_aux(
		&self,
		committee: u32,
		key_id: u32,
		aux_source: Option<u32>,
		params: &[u8],
		parties: Vec<PeerId>,
		members: &[AccountId],
		i: u16,
		ends_at: Instant,
	) -> Result<engine::Aux, ServiceError> {
		let ctx = self.context()?;
		let p = &ctx.prefix;
		if let Some(k0) = aux_source {
			return self.store.get(&format!("{p}aux-c{committee}-k{k0}"))?.ok_or_else(|| {
				ServiceError::KeyMaterial(format!(
					"committee {committee} reuses the aux info of key {k0}, which this signer lost"
				))
			});
		}
		let session = execution_id(&ctx.genesis, "aux", key_id.into(), 0, params);
		if !self.join_once(&format!("{p}joined-aux-k{key_id}"), &session)? {
			return Err(ServiceError::KeyMaterial(
				"the aux-info session was already joined before a restart; it cannot be rejoined"
					.into(),
			));
		}
		let primes = PrimePool::new(&self.store).take()?.ok_or(ServiceError::NoPrimes)?;
		self.opened(Job::Keygen { key: key_id }, session);
		self.metrics.sessions_started.with_label_values(&["aux"]).inc();
		tracing::info!(target: "waas::signer", committee, "aux info generation started");
		let started = Instant::now();
		let result = engine::aux_info(&self.net, session, parties, i, primes, left(ends_at)).await;
		self.log_session(
			SessionKind::Aux,
			&session,
			key_id.into(),
			0,
			members,
			match &result {
				Ok(_) => SessionResult::AuxInfo,
				Err(e) => SessionResult::failed(e, e.blame()),
			},
		);
		let aux = result?;
		self.metrics
			.session_seconds
			.with_label_values(&["aux"])
			.observe(started.elapsed().as_secs_f64());
		self.store.put(&format!("{p}aux-c{committee}-k{key_id}"), &aux)?;
		Ok(aux)
	}

	/// Attempt `attempt` of request `request`: waits for a session slot, signs with the
	/// chain-chosen members, checks the signature against the derived key, and leaves it in
	/// the outbox (submitted at once by the first member, later by the others if needed).
	pub(super) async fn sign(
		self: &Arc<Self>,
		request: u64,
		attempt: u8,
	) -> Result<Finished, ServiceError> {
		let ctx = self.context()?;
		let conn = self.connection()?;
		let p = &ctx.prefix;
		let marker = format!("{p}joined-sign-r{request}-a{attempt}");
		if self.store.contains(&marker) {
			return Ok(Finished::Skipped("already joined"));
		}
		let (req, key_committee, committee, my_index, j, signers, members, ends_at) = {
			let at = conn.client.at_current_block().await.map_err(chain_err)?;
			let Some(req) = chain::pending_request(&at, request).await? else {
				return Ok(Finished::Skipped("not pending"));
			};
			if req.attempt != attempt {
				return Ok(Finished::Skipped("superseded"));
			}
			let key = chain::key(&at, req.key)
				.await?
				.ok_or_else(|| ServiceError::Inconsistent(format!("unknown key {}", req.key)))?;
			let (committee, my_index) = self.membership(&at, key.committee).await?;
			let Some(j) = req.signers.iter().position(|i| *i == my_index) else {
				return Ok(Finished::Skipped("not assigned"));
			};
			let members: Vec<AccountId> = req
				.signers
				.iter()
				.filter_map(|i| committee.members.get(*i as usize).cloned())
				.collect();
			let signers = Self::peers_of(&at, &members).await?;
			// Submissions in the deadline block still count.
			let blocks_left =
				req.deadline.saturating_add(1).saturating_sub(at.block_number() as u32);
			let ends_at = Instant::now() + chain::block_time(&at)? * blocks_left;
			(req, key.committee, committee, my_index, j as u16, signers, members, ends_at)
		};
		let prehash = req.scheme.hash(&req.payload);
		if prehash != req.message_hash {
			return Err(ServiceError::Inconsistent(
				"the chain's message hash differs from this signer's hash of the payload".into(),
			));
		}
		let stored: StoredShare =
			self.store.get(&format!("{p}share-k{}", req.key))?.ok_or_else(|| {
				ServiceError::KeyMaterial(format!("no key share for key {}", req.key))
			})?;
		let expected = ShareBinding::new(ctx.genesis, key_committee, req.key, &committee);
		expected.check(&stored.binding, engine::share_shape(&stored.share), my_index)?;

		// Admission control: a bounded number of sessions run at once; one whose deadline
		// passes while it waits is not started.
		self.metrics.sessions_waiting.inc();
		let permit = tokio::time::timeout(left(ends_at), self.slots.clone().acquire_owned()).await;
		self.metrics.sessions_waiting.dec();
		let Ok(Ok(_permit)) = permit else { return Ok(Finished::Skipped("expired")) };
		if left(ends_at) < MIN_SESSION_TIME {
			return Ok(Finished::Skipped("expired"));
		}
		let session = signing_session(&ctx.genesis, request, &req);
		if !self.join_once(&marker, &session)? {
			return Ok(Finished::Skipped("already joined"));
		}
		self.opened(Job::Sign { request, attempt }, session);
		self.metrics.sessions_started.with_label_values(&["sign"]).inc();
		tracing::info!(target: "waas::signer", index = j, "signing started");
		let job = SigningJob {
			signers,
			me: j,
			keygen_indices: req.signers.clone(),
			path: req.path.clone(),
			prehash,
		};
		let result = engine::sign(&self.net, session, stored.share, job, left(ends_at))
			.await
			.map_err(ServiceError::from)
			.and_then(|signature| {
				let recovery_id =
					signature.recovery_id(&prehash, &req.public_key).ok_or_else(|| {
						ServiceError::Inconsistent(
							"the combined signature does not verify against the derived public key"
								.into(),
						)
					})?;
				Ok((signature, recovery_id))
			});
		self.log_session(
			SessionKind::Sign,
			&session,
			request,
			attempt,
			&members,
			match &result {
				Ok((signature, _)) => SessionResult::Signature(signature.0.into()),
				Err(e) => SessionResult::failed(e, e.blame()),
			},
		);
		if let Err(e) = &result {
			if let Some(report) = fault_report(request, attempt, &req.signers, j, e.blame()) {
				tracing::warn!(target: "waas::signer", ?report, "reporting the fault on-chain");
				self.record(report).await?;
			}
		}
		let (signature, recovery_id) = result?;
		tracing::info!(target: "waas::signer", "signature produced");
		let item = Outgoing::Signature {
			request,
			attempt,
			rank: j,
			signature: signature.0.to_vec(),
			recovery_id,
			produced_at: self.reconciled.load(Ordering::Relaxed),
		};
		self.record(item).await?;
		Ok(Finished::Done)
	}

	/// Committee `id` at `at`, and this signer's position in it.
	async fn membership(
		&self,
		at: &chain::AtBlock,
		id: u32,
	) -> Result<(chain::CommitteeView, u16), ServiceError> {
		let committee = chain::committee(at, id)
			.await?
			.ok_or_else(|| ServiceError::Inconsistent(format!("unknown committee {id}")))?;
		let i = committee
			.members
			.iter()
			.position(|m| *m == self.me)
			.ok_or(ServiceError::NotMember(id))?;
		Ok((committee, i as u16))
	}

	/// Puts `item` in the outbox, then submits it at once if it is due (the first signer of
	/// an attempt, a keygen report); otherwise reconciliation submits it when due.
	async fn record(&self, item: Outgoing) -> Result<(), ServiceError> {
		let ctx = self.context()?;
		ctx.outbox.put(&item)?;
		let now = self.reconciled.load(Ordering::Relaxed);
		if let Ok(conn) = self.connection() {
			if ctx.outbox.claim_due(&item, now) {
				self.submit(&conn, ctx, &item).await;
			}
		}
		Ok(())
	}
}

/// The on-chain report of `blame`, observed by party `me` of attempt `attempt` of
/// `request` whose parties are the committee members `signers` (in protocol order): against
/// the first accused other than `me`, if its fault is one the chain takes reports of.
fn fault_report(
	request: u64,
	attempt: u8,
	signers: &[u16],
	me: u16,
	blame: Option<&engine::Blame>,
) -> Option<Outgoing> {
	let blame = blame?;
	outbox::reportable(blame.reason)?;
	let accused = blame.accused.iter().find(|p| **p != me)?;
	let accused = *signers.get(usize::from(*accused))?;
	Some(Outgoing::FaultReport { request, attempt, accused, reason: blame.reason })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_blame_becomes_a_report_against_the_accused_member() {
		use engine::{Blame, FaultReason as R};
		let blame = |reason, accused: Vec<u16>| Blame { reason, accused };
		// Parties 0 and 1 of the attempt are members 0 and 2.
		let signers = [0u16, 2];
		assert_eq!(
			fault_report(5, 1, &signers, 0, Some(&blame(R::InvalidEncProof, vec![1]))),
			Some(Outgoing::FaultReport {
				request: 5,
				attempt: 1,
				accused: 2,
				reason: R::InvalidEncProof
			})
		);
		// Never against itself; the first other accused is taken.
		assert_eq!(
			fault_report(5, 1, &signers, 1, Some(&blame(R::MalformedMessage, vec![1]))),
			None
		);
		assert!(matches!(
			fault_report(5, 1, &signers, 1, Some(&blame(R::MalformedMessage, vec![0, 1]))),
			Some(Outgoing::FaultReport { accused: 0, .. })
		));
		// Faults of keygen or aux info, parties outside the attempt, no blame: no report.
		assert_eq!(
			fault_report(5, 1, &signers, 0, Some(&blame(R::InconsistentShare, vec![1]))),
			None
		);
		assert_eq!(
			fault_report(5, 1, &signers, 0, Some(&blame(R::InvalidEncProof, vec![4]))),
			None
		);
		assert_eq!(fault_report(5, 1, &signers, 0, None), None);
	}

	fn binding() -> ShareBinding {
		ShareBinding {
			genesis: [1; 32],
			committee: 2,
			key: 3,
			members: vec![[4; 32], [5; 32], [6; 32]],
			threshold: 2,
		}
	}

	#[test]
	fn a_share_is_used_only_by_its_chain_committee_key_and_position() {
		let chain = binding();
		assert!(chain.check(&binding(), (1, 3, 2), 1).is_ok());
		let other = |f: fn(&mut ShareBinding)| {
			let mut b = binding();
			f(&mut b);
			b
		};
		for stored in [
			other(|b| b.genesis = [9; 32]),
			other(|b| b.committee = 7),
			other(|b| b.key = 7),
			other(|b| b.members.swap(0, 1)),
			other(|b| b.threshold = 3),
		] {
			assert!(chain.check(&stored, (1, 3, 2), 1).is_err(), "{stored:?}");
		}
		assert!(chain.check(&binding(), (0, 3, 2), 1).is_err(), "another party's share");
		assert!(chain.check(&binding(), (1, 4, 2), 1).is_err(), "another n");
		assert!(chain.check(&binding(), (1, 3, 3), 1).is_err(), "another t");
	}
}
