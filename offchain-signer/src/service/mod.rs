//! The signer daemon: follows finalized blocks, runs the sessions the chain assigns to this
//! signer, and records their results on-chain.
//!
//! Chain state is the work queue. On every finalized block the service reconciles: it asks
//! the chain which signing attempts are assigned to this signer and which keygens wait for
//! its report, starts what is missing, closes sessions whose attempt has ended, and drives the
//! durable [`outbox`] of results not yet on-chain. Events are not needed to find work, so a
//! block missed during a reconnection loses nothing.
//!
//! Nothing starts on a peer's word: every session parameter is read from chain state. A
//! session is joined at most once (a marker is written before it opens), because a protocol
//! run cannot be re-entered after a crash; the chain re-assigns the attempt instead.
//! Key material is named per chain (genesis hash prefix) and checked against the committee
//! before use.

pub mod anchoring;
pub mod evm_anchor;
pub mod intents;
pub mod outbox;
mod runs;

use crate::{
	chain::{self, AtBlock, RequestPhase},
	keystore::{Keystore, KeystoreError},
	metrics::Metrics,
	primes::PrimePool,
	transport::{
		p2p::{parse_address, peer_id_of, P2pNetwork},
		Network, PeerId, SessionId,
	},
};
use outbox::{Outbox, Outgoing, SubmitError, Submitter};
use sha2::{Digest, Sha256};
use std::{
	collections::{HashMap, HashSet},
	sync::{
		atomic::{AtomicBool, AtomicU32, Ordering},
		Arc, Mutex, OnceLock,
	},
	time::{Duration, Instant},
};
use tokio::sync::{watch, Semaphore};
use tracing::Instrument;
use waas_client::{waas::threshold_signers::events, AccountId, Connection};

/// Domain tag of execution ids.
const EID_DOMAIN: &[u8] = b"waas-signer/v2/";
/// The registry is re-read at least this often (in blocks), besides on registry events.
const REGISTRY_REFRESH_BLOCKS: u32 = 20;

/// The execution id (and transport session id) of a run. It binds the chain (genesis hash),
/// the kind of run, its on-chain id and attempt, and `params`: everything the parties must
/// agree on (members, threshold, key, path, message hash, ...), so parties with different
/// views fail in the first round instead of late, and no two runs share an id.
pub fn execution_id(
	genesis: &[u8; 32],
	kind: &str,
	id: u64,
	attempt: u8,
	params: &[u8],
) -> SessionId {
	let mut h = Sha256::new();
	h.update(EID_DOMAIN);
	h.update(genesis);
	h.update((kind.len() as u8).to_le_bytes());
	h.update(kind.as_bytes());
	h.update(id.to_le_bytes());
	h.update([attempt]);
	h.update((params.len() as u64).to_le_bytes());
	h.update(params);
	h.finalize().into()
}

/// The execution id of signing attempt `attempt` of `request`, as every assigned member
/// computes it from chain state.
pub fn signing_session(genesis: &[u8; 32], request: u64, req: &chain::PendingRequest) -> SessionId {
	use codec::Encode;
	let params = (req.key, &req.path, req.message_hash, req.public_key, &req.signers).encode();
	execution_id(genesis, "sign", request, req.attempt, &params)
}

/// Tunables of the service.
#[derive(Clone, Debug)]
pub struct ServiceSettings {
	/// Sessions that may run at once; more wait (earliest first come) or are skipped when
	/// their deadline passes while waiting.
	pub max_sessions: usize,
	/// How long shutdown waits for running sessions to finish.
	pub shutdown_grace: Duration,
	/// Anchor the session log once this many sessions are unanchored.
	pub anchor_every_sessions: u64,
	/// Anchor the session log when its oldest unanchored session is this old.
	pub anchor_every: Duration,
}

impl Default for ServiceSettings {
	fn default() -> Self {
		let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
		ServiceSettings {
			max_sessions: 4 * cores,
			shutdown_grace: Duration::from_secs(20),
			anchor_every_sessions: 16,
			anchor_every: Duration::from_secs(600),
		}
	}
}

/// One run this signer has been assigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Job {
	/// Keygen (DKG, then aux info unless reused) of a key.
	Keygen { key: u32 },
	/// One attempt of a signature request.
	Sign { request: u64, attempt: u8 },
}

impl Job {
	fn kind(&self) -> &'static str {
		match self {
			Job::Keygen { .. } => "keygen",
			Job::Sign { .. } => "sign",
		}
	}
}

/// How a job ended, for logs and metrics.
#[derive(Debug)]
enum Finished {
	/// Its result is in the outbox.
	Done,
	/// Nothing to do (already done, superseded, already joined, or expired while waiting).
	Skipped(&'static str),
}

/// Why a job failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
	/// No node connection right now.
	#[error("not connected to the node")]
	NotConnected,
	/// Reading chain state failed.
	#[error("chain: {0}")]
	Chain(#[from] chain::ChainError),
	/// The keystore failed.
	#[error("keystore: {0}")]
	Keystore(#[from] KeystoreError),
	/// The protocol run failed.
	#[error(transparent)]
	Engine(#[from] crate::engine::EngineError),
	/// This signer is not a member of the committee.
	#[error("not a member of committee {0}")]
	NotMember(u32),
	/// The chain's inputs are inconsistent with what this signer computes.
	#[error("inconsistent chain state: {0}")]
	Inconsistent(String),
	/// Key material is missing or does not belong to this committee.
	#[error("key material: {0}")]
	KeyMaterial(String),
	/// A party has no usable registered identity, or two parties share one.
	#[error("peers: {0}")]
	Peers(String),
	/// The primes pool is empty.
	#[error("the primes pool is empty: run `waas-signer primes`")]
	NoPrimes,
}

impl ServiceError {
	/// Whom the failed protocol run blames (indices in the run's party order), if anyone.
	fn blame(&self) -> Option<&crate::engine::Blame> {
		match self {
			ServiceError::Engine(e) => e.blame(),
			_ => None,
		}
	}

	fn outcome(&self) -> &'static str {
		match self {
			ServiceError::Engine(crate::engine::EngineError::Timeout { .. }) => "timeout",
			ServiceError::Engine(crate::engine::EngineError::Protocol { .. }) => "protocol",
			ServiceError::NotConnected | ServiceError::Chain(_) => "chain",
			_ => "input",
		}
	}
}

/// What depends on the chain this signer serves: its genesis, and key names under it.
struct ChainContext {
	genesis: [u8; 32],
	/// Keystore name prefix: `g` + the first 4 bytes of the genesis hash, hex.
	prefix: String,
	outbox: Outbox,
}

/// Where a signer's peers are: set by the daemon from the on-chain registry.
pub trait PeerDirectory: Network {
	/// Replaces the set of allowed peers and their addresses.
	fn set_peers(&self, peers: HashMap<PeerId, libp2p::Multiaddr>);
}

impl PeerDirectory for P2pNetwork {
	fn set_peers(&self, peers: HashMap<PeerId, libp2p::Multiaddr>) {
		P2pNetwork::set_peers(self, peers)
	}
}

impl<N: PeerDirectory> PeerDirectory for crate::transport::deviate::Deviating<N> {
	fn set_peers(&self, peers: HashMap<PeerId, libp2p::Multiaddr>) {
		self.inner().set_peers(peers)
	}
}

/// Shared state of a running signer.
pub struct Signer<N: Network> {
	me: AccountId,
	net: Arc<N>,
	store: Arc<Keystore>,
	metrics: Metrics,
	settings: ServiceSettings,
	submitter: Submitter,
	/// The live node connection; jobs read it at each use, so a reconnection never strands
	/// them on a dead client.
	conn: watch::Sender<Option<Connection>>,
	chain: OnceLock<ChainContext>,
	/// Running jobs, with the session they have open (to close it when the chain moves on).
	running: Mutex<HashMap<Job, Option<SessionId>>>,
	/// Requests assigned to this signer: first block and time seen (for latency metrics).
	seen: Mutex<HashMap<u64, (u32, Instant)>>,
	slots: Arc<Semaphore>,
	stopping: AtomicBool,
	/// The newest finalized block reconciled; older state is never acted on.
	reconciled: AtomicU32,
	/// Intent duties, when EVM chains are configured ([`Signer::observe_evm`]).
	intents: OnceLock<intents::IntentDuties>,
	/// The session log and its anchoring, when kept ([`Signer::keep_session_log`]).
	anchoring: OnceLock<anchoring::Anchoring>,
}

impl<N: PeerDirectory> Signer<N> {
	/// A signer acting as `account`, talking over `net`, keeping secrets in `store`.
	pub fn new(
		account: subxt_signer::sr25519::Keypair,
		net: Arc<N>,
		store: Arc<Keystore>,
		metrics: Metrics,
		settings: ServiceSettings,
	) -> Arc<Self> {
		let me = AccountId::from(account.public_key().0);
		Arc::new(Signer {
			me,
			net,
			store,
			metrics,
			slots: Arc::new(Semaphore::new(settings.max_sessions.max(1))),
			settings,
			submitter: Submitter::new(account),
			conn: watch::channel(None).0,
			chain: OnceLock::new(),
			running: Mutex::new(HashMap::new()),
			seen: Mutex::new(HashMap::new()),
			stopping: AtomicBool::new(false),
			reconciled: AtomicU32::new(0),
			intents: OnceLock::new(),
			anchoring: OnceLock::new(),
		})
	}

	/// Makes this signer do its part in settling swap intents on the chains `observer`
	/// reaches (see [`intents`]). Without it the signer attests nothing. Set once, before
	/// [`Signer::run`].
	pub fn observe_evm(&self, observer: crate::evm::EvmObserver) {
		let _ = self.intents.set(intents::IntentDuties::new(observer));
	}

	/// Runs until [`Signer::shutdown`]: connects, follows finalized blocks, reconciles on each;
	/// reconnects when the node goes away.
	pub async fn run(self: Arc<Self>, node_url: String) {
		while !self.stopping.load(Ordering::Relaxed) {
			match self.clone().follow(&node_url).await {
				Ok(()) => {
					tracing::warn!(target: "waas::signer", "block stream ended; reconnecting")
				},
				Err(e) => {
					tracing::warn!(target: "waas::signer", error = %e, "chain connection lost; reconnecting")
				},
			}
			self.conn.send_replace(None);
			self.metrics.node_connected.set(0);
			tokio::time::sleep(Duration::from_secs(2)).await;
		}
	}

	/// Stops taking new work, waits (at most the grace period) for running sessions, then
	/// submits what the outbox holds once more. The outbox is durable, so whatever is still
	/// unsubmitted is picked up by the next start.
	pub async fn shutdown(&self) {
		self.stopping.store(true, Ordering::Relaxed);
		let deadline = Instant::now() + self.settings.shutdown_grace;
		loop {
			let running = self.running.lock().unwrap_or_else(|e| e.into_inner()).len();
			if running == 0 || Instant::now() >= deadline {
				tracing::info!(target: "waas::signer", abandoned = running, "sessions finished or abandoned");
				break;
			}
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
		let conn = self.conn.borrow().clone();
		if let (Some(conn), Some(ctx)) = (conn, self.chain.get()) {
			let Ok(items) = ctx.outbox.items() else { return };
			for item in items {
				match self.submitter.submit(&conn, &item).await {
					Ok(()) => {
						tracing::info!(target: "waas::signer", kind = item.kind(), "outbox item submitted at shutdown")
					},
					Err(e) => {
						tracing::info!(target: "waas::signer", kind = item.kind(), error = %e, "outbox item kept for the next start")
					},
				}
			}
		}
	}

	async fn follow(self: Arc<Self>, node_url: &str) -> Result<(), ServiceError> {
		let conn = waas_client::connect_with_rpc(node_url, Duration::from_secs(30))
			.await
			.map_err(|e| ServiceError::Chain(e.into()))?;
		let genesis: [u8; 32] = conn.client.genesis_hash().0;
		let ctx = self.chain.get_or_init(|| {
			let prefix = format!("g{}-", hex::encode(&genesis[..4]));
			ChainContext { genesis, outbox: Outbox::new(self.store.clone(), &prefix), prefix }
		});
		if ctx.genesis != genesis {
			return Err(ServiceError::Inconsistent(format!(
				"the node serves chain 0x{} but this signer started on 0x{}",
				hex::encode(genesis),
				hex::encode(ctx.genesis)
			)));
		}
		// Subscribe first, then reconcile at every streamed block: no gap between a state
		// scan and the stream.
		let mut blocks = conn.client.stream_blocks().await.map_err(chain_err)?;
		self.conn.send_replace(Some(conn.clone()));
		self.metrics.node_connected.set(1);
		tracing::info!(target: "waas::signer", url = node_url, account = %self.me, "connected to the node");
		let mut next_registry_refresh = 0u32;
		while let Some(block) = blocks.next().await {
			if self.stopping.load(Ordering::Relaxed) {
				return Ok(());
			}
			let streamed = block.map_err(chain_err)?.at().await.map_err(chain_err)?;
			let events = streamed.events().fetch().await.map_err(chain_err)?;
			let registry_changed = events.find_first::<events::SignerRegistered>().is_some()
				|| events.find_first::<events::SignerUpdated>().is_some()
				|| events.find_first::<events::SignerDeregistered>().is_some();
			drop(streamed);
			// Act on the newest finalized state only, never on an older one: a (re)started
			// subscription first replays recent finalized blocks, and reconciling at one of
			// those would take work that has since been assigned (or results that are still
			// wanted) for finished.
			let at = conn.client.at_current_block().await.map_err(chain_err)?;
			let number = at.block_number() as u32;
			if number <= self.reconciled.load(Ordering::Relaxed) {
				continue;
			}
			if registry_changed || number >= next_registry_refresh {
				self.refresh_peers(&at).await?;
				next_registry_refresh = number.saturating_add(REGISTRY_REFRESH_BLOCKS);
			}
			if let Err(e) = self.reconcile(&conn, &at, ctx).await {
				tracing::warn!(target: "waas::signer", block = number, error = %e, "reconciliation incomplete; retried next block");
			}
			self.reconciled.store(number, Ordering::Relaxed);
			self.metrics.saw_block(number.into());
		}
		Ok(())
	}

	/// Brings what this signer does in line with what chain state at `at` says.
	async fn reconcile(
		self: &Arc<Self>,
		conn: &Connection,
		at: &AtBlock,
		ctx: &ChainContext,
	) -> Result<(), ServiceError> {
		let now = at.block_number() as u32;
		// Signing attempts assigned to this signer.
		let assigned = chain::assigned_requests(at, &self.me).await?;
		let assigned_set: HashSet<(u64, u8)> = assigned.iter().copied().collect();
		{
			let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
			for (request, _) in &assigned {
				seen.entry(*request).or_insert((now, Instant::now()));
			}
		}
		for (request, attempt) in &assigned {
			self.spawn(Job::Sign { request: *request, attempt: *attempt });
		}
		// Sessions of attempts the chain has moved past (signed by others, expired,
		// cancelled) are closed: their CPU is better spent elsewhere.
		let stale: Vec<SessionId> = self
			.running
			.lock()
			.unwrap_or_else(|e| e.into_inner())
			.iter()
			.filter_map(|(job, session)| match job {
				Job::Sign { request, attempt } if !assigned_set.contains(&(*request, *attempt)) => {
					*session
				},
				_ => None,
			})
			.collect();
		for session in stale {
			self.net.close(&session);
		}
		// Keygens waiting for this signer's report.
		for (key, view) in chain::keys(at).await? {
			if view.generating_until.is_none() || self.is_running(&Job::Keygen { key }) {
				continue;
			}
			let Some(committee) = chain::committee(at, view.committee).await? else { continue };
			if committee.members.contains(&self.me)
				&& !chain::has_reported(at, key, &self.me).await?
			{
				self.spawn(Job::Keygen { key });
			}
		}
		self.drive_outbox(conn, at, ctx).await?;
		self.spawn_intent_duties();
		self.spawn_anchoring();
		self.observe_ended(at, &assigned_set).await?;
		self.prune_joined(ctx, &assigned_set)?;
		self.metrics.prime_pool.set(PrimePool::new(&self.store).len()? as i64);
		Ok(())
	}

	/// Submits outbox items the chain still wants, drops the ones it does not.
	async fn drive_outbox(
		&self,
		conn: &Connection,
		at: &AtBlock,
		ctx: &ChainContext,
	) -> Result<(), ServiceError> {
		let now = at.block_number() as u32;
		let items = ctx.outbox.items()?;
		self.metrics.outbox_items.set(items.len() as i64);
		for item in items {
			let wanted = match &item {
				Outgoing::KeygenReport { key, .. } => {
					chain::key(at, *key).await?.is_some_and(|k| k.generating_until.is_some())
						&& !chain::has_reported(at, *key, &self.me).await?
				},
				// The pallet accepts a valid signature from any committee member while the
				// request is assigned, whatever the attempt.
				Outgoing::Signature { request, .. } => {
					matches!(chain::request_phase(at, *request).await?, RequestPhase::Assigned(_))
				},
				// A report counts only in the attempt it accuses someone of.
				Outgoing::FaultReport { request, attempt, .. } => matches!(
					chain::request_phase(at, *request).await?,
					RequestPhase::Assigned(p) if p.attempt == *attempt
				),
			};
			if !wanted {
				ctx.outbox.remove(&item)?;
				continue;
			}
			if ctx.outbox.claim_due(&item, now) {
				self.submit(conn, ctx, &item).await;
			}
		}
		Ok(())
	}

	/// Hands `item` (claimed with [`Outbox::claim_due`]) to the pool, recording the outcome.
	async fn submit(&self, conn: &Connection, ctx: &ChainContext, item: &Outgoing) {
		let outcome = match self.submitter.submit(conn, item).await {
			Ok(()) => {
				tracing::info!(target: "waas::signer", kind = item.kind(), "submitted");
				"pooled"
			},
			Err(SubmitError::Refused(why)) => {
				// Usually: another member's submission landed first. The next reconciliation
				// drops the item if the chain no longer wants it.
				tracing::info!(target: "waas::signer", kind = item.kind(), reason = %why, "submission refused by the pool");
				"refused"
			},
			Err(e) => {
				tracing::warn!(target: "waas::signer", kind = item.kind(), error = %e, "submission failed; retried next block");
				ctx.outbox.unclaim(item);
				"error"
			},
		};
		self.metrics.submissions.with_label_values(&[item.kind(), outcome]).inc();
	}

	/// Records the latency of requests that were assigned to this signer and have ended.
	async fn observe_ended(
		&self,
		at: &AtBlock,
		assigned: &HashSet<(u64, u8)>,
	) -> Result<(), ServiceError> {
		let now = at.block_number() as u32;
		let candidates: Vec<(u64, (u32, Instant))> = {
			let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
			seen.iter()
				.filter(|(r, _)| !assigned.iter().any(|(a, _)| a == *r))
				.map(|(r, v)| (*r, *v))
				.collect()
		};
		for (request, (first_block, first_time)) in candidates {
			match chain::request_phase(at, request).await? {
				RequestPhase::Assigned(_) | RequestPhase::Queued => continue,
				RequestPhase::Signed => {
					self.metrics
						.request_latency_blocks
						.observe(now.saturating_sub(first_block) as f64);
					self.metrics
						.request_latency_seconds
						.observe(first_time.elapsed().as_secs_f64());
				},
				RequestPhase::Ended | RequestPhase::Unknown => {},
			}
			self.seen.lock().unwrap_or_else(|e| e.into_inner()).remove(&request);
		}
		Ok(())
	}

	/// Removes "joined" markers of signing attempts that can never be assigned again.
	fn prune_joined(
		&self,
		ctx: &ChainContext,
		assigned: &HashSet<(u64, u8)>,
	) -> Result<(), ServiceError> {
		let prefix = format!("{}joined-sign-", ctx.prefix);
		for name in self.store.list(&prefix)? {
			let Some((request, attempt)) = parse_sign_marker(&name[prefix.len()..]) else {
				continue;
			};
			let job = Job::Sign { request, attempt };
			if !assigned.contains(&(request, attempt)) && !self.is_running(&job) {
				self.store.remove(&name)?;
			}
		}
		Ok(())
	}

	fn is_running(&self, job: &Job) -> bool {
		self.running.lock().unwrap_or_else(|e| e.into_inner()).contains_key(job)
	}

	/// Starts `job` unless it is running or the service is stopping.
	fn spawn(self: &Arc<Self>, job: Job) {
		if self.stopping.load(Ordering::Relaxed) {
			return;
		}
		{
			let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
			if running.contains_key(&job) {
				return;
			}
			running.insert(job, None);
			self.metrics.sessions_running.set(running.len() as i64);
		}
		let span = match job {
			Job::Keygen { key } => tracing::info_span!("session", kind = "keygen", key),
			Job::Sign { request, attempt } => {
				tracing::info_span!("session", kind = "sign", request, attempt)
			},
		};
		let this = self.clone();
		tokio::spawn(
			async move {
				let started = Instant::now();
				let result = match job {
					Job::Keygen { key } => this.keygen(key).await,
					Job::Sign { request, attempt } => this.sign(request, attempt).await,
				};
				let kind = job.kind();
				match &result {
					Ok(Finished::Done) => {
						this.metrics.sessions_finished.with_label_values(&[kind, "ok"]).inc();
						this.metrics
							.session_seconds
							.with_label_values(&[kind])
							.observe(started.elapsed().as_secs_f64());
					},
					Ok(Finished::Skipped(why)) => {
						tracing::debug!(target: "waas::signer", reason = why, "nothing to do");
						if *why == "expired" {
							this.metrics
								.sessions_finished
								.with_label_values(&[kind, "expired"])
								.inc();
						}
					},
					Err(e) => {
						tracing::error!(target: "waas::signer", error = %e, "run failed");
						this.metrics
							.sessions_finished
							.with_label_values(&[kind, e.outcome()])
							.inc();
					},
				}
				let mut running = this.running.lock().unwrap_or_else(|e| e.into_inner());
				running.remove(&job);
				this.metrics.sessions_running.set(running.len() as i64);
			}
			.instrument(span),
		);
	}

	/// Submits `call`, an extrinsic of this signer's own duties (not an outbox result), and
	/// counts the outcome in `submissions_total{kind}`.
	async fn submit_counted<Call: subxt::transactions::Payload>(
		&self,
		conn: &Connection,
		kind: &'static str,
		call: &Call,
	) -> Result<(), outbox::SubmitError> {
		let result = self.submitter.submit_call(conn, call).await;
		let outcome = if result.is_ok() { "pooled" } else { "refused" };
		self.metrics.submissions.with_label_values(&[kind, outcome]).inc();
		result
	}

	/// Records the session `job` has open.
	fn opened(&self, job: Job, session: SessionId) {
		if let Some(slot) = self.running.lock().unwrap_or_else(|e| e.into_inner()).get_mut(&job) {
			*slot = Some(session);
		}
	}

	/// The live connection, or an error while reconnecting.
	fn connection(&self) -> Result<Connection, ServiceError> {
		self.conn.borrow().clone().ok_or(ServiceError::NotConnected)
	}

	fn context(&self) -> Result<&ChainContext, ServiceError> {
		self.chain.get().ok_or(ServiceError::NotConnected)
	}

	/// Tells the transport who may talk to this signer and where they are.
	async fn refresh_peers(&self, at: &AtBlock) -> Result<(), ServiceError> {
		let mut peers = HashMap::new();
		for (account, s) in chain::signers(at).await? {
			match (peer_id_of(&s.p2p_key), parse_address(&s.endpoint)) {
				(Some(peer), Some(addr)) => {
					if peers.insert(peer, addr).is_some() {
						tracing::warn!(target: "waas::signer", %peer, "two registered signers share a p2p key; sessions with both are refused");
					}
				},
				_ => {
					tracing::warn!(target: "waas::signer", account = %hex::encode(account), "registered signer with an unusable key or endpoint")
				},
			}
		}
		tracing::debug!(target: "waas::signer", peers = peers.len(), "signer registry loaded");
		self.metrics.known_peers.set(peers.len() as i64);
		self.net.set_peers(peers);
		Ok(())
	}

	/// Peer ids of `members`, from the registry at `at`. Refuses a list in which two members
	/// share an identity: p2p messages meant for one would reach the other.
	async fn peers_of(at: &AtBlock, members: &[AccountId]) -> Result<Vec<PeerId>, ServiceError> {
		let registry = chain::signers(at).await?;
		let peers = members
			.iter()
			.map(|m| {
				registry
					.get(&m.0)
					.and_then(|s| peer_id_of(&s.p2p_key))
					.ok_or_else(|| ServiceError::Peers(format!("{m} has no usable p2p key")))
			})
			.collect::<Result<Vec<_>, _>>()?;
		let distinct: HashSet<&PeerId> = peers.iter().collect();
		if distinct.len() != peers.len() {
			return Err(ServiceError::Peers("two parties share a p2p identity".into()));
		}
		Ok(peers)
	}

	/// Writes the "joined" marker of a session; `false` if it was already joined (by this
	/// process or before a restart), in which case it must not be joined again.
	fn join_once(&self, marker: &str, session: &SessionId) -> Result<bool, ServiceError> {
		if self.store.contains(marker) {
			return Ok(false);
		}
		self.store.put(marker, &hex::encode(session))?;
		Ok(true)
	}
}

fn chain_err(e: impl std::error::Error + Send + Sync + 'static) -> ServiceError {
	ServiceError::Chain(Box::new(e))
}

/// Parses `r{request}-a{attempt}`.
fn parse_sign_marker(s: &str) -> Option<(u64, u8)> {
	let (r, a) = s.strip_prefix('r')?.split_once("-a")?;
	Some((r.parse().ok()?, a.parse().ok()?))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn execution_ids_bind_chain_kind_id_attempt_and_parameters() {
		let g = [1u8; 32];
		let base = execution_id(&g, "sign", 5, 0, b"p");
		assert_eq!(base, execution_id(&g, "sign", 5, 0, b"p"));
		assert_ne!(base, execution_id(&[2u8; 32], "sign", 5, 0, b"p"));
		assert_ne!(base, execution_id(&g, "keygen", 5, 0, b"p"));
		assert_ne!(base, execution_id(&g, "sign", 6, 0, b"p"));
		assert_ne!(base, execution_id(&g, "sign", 5, 1, b"p"));
		assert_ne!(base, execution_id(&g, "sign", 5, 0, b"q"));
	}

	#[test]
	fn sign_markers_parse() {
		assert_eq!(parse_sign_marker("r17-a2"), Some((17, 2)));
		assert_eq!(parse_sign_marker("r17"), None);
		assert_eq!(parse_sign_marker("x-a1"), None);
	}
}
