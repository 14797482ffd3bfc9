//! The signer daemon: follows finalized blocks, runs the sessions the chain assigns to this
//! signer, and reports their results in extrinsics.
//!
//! Nothing starts on a peer's word. A keygen or signing run starts only for a session that
//! exists on-chain and names this signer, with every parameter read from chain state; peers'
//! messages for other sessions stay buffered (bounded) and expire. On every (re)connection
//! the signer scans chain state for keygens and signing attempts assigned to it, so a restart
//! or a lost connection loses nothing.

use crate::{
	chain::{self, AtBlock},
	engine::{self, SigningJob},
	keystore::Keystore,
	primes::PrimePool,
	transport::{
		p2p::{parse_address, peer_id_of, P2pNetwork},
		Network, PeerId, SessionId,
	},
};
use sha2::{Digest, Sha256};
use std::{
	collections::{HashMap, HashSet},
	sync::{Arc, Mutex},
	time::Duration,
};
use waas_client::{
	waas::{self, threshold_signers::events},
	AccountId, Client,
};

/// Domain tag of execution ids.
const EID_DOMAIN: &[u8] = b"waas-signer/v1/";
/// Extra time given to a run beyond the chain's deadline estimate.
const SLACK: Duration = Duration::from_secs(10);
/// How long a non-first signer waits per rank before submitting a signature itself: long
/// enough for the first signer's extrinsic to be included and finalized (about 3 blocks).
const SUBMIT_BACKOFF: Duration = Duration::from_secs(12);

/// The execution id (and transport session id) of a run: binds the chain (genesis hash), the
/// kind of run, its on-chain id and the attempt, so no two runs ever share one.
pub fn execution_id(genesis: &[u8; 32], kind: &str, id: u64, attempt: u8) -> SessionId {
	let mut h = Sha256::new();
	h.update(EID_DOMAIN);
	h.update(genesis);
	h.update((kind.len() as u8).to_le_bytes());
	h.update(kind.as_bytes());
	h.update(id.to_le_bytes());
	h.update([attempt]);
	h.finalize().into()
}

/// One run this signer has been assigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Job {
	Keygen(u32),
	Sign(u64, u8),
}

/// Shared state of a running signer.
pub struct Signer<N: Network> {
	account: subxt_signer::sr25519::Keypair,
	me: AccountId,
	net: Arc<N>,
	store: Arc<Keystore>,
	running: Mutex<HashSet<Job>>,
	/// One extrinsic at a time, so nonces never collide.
	submitting: tokio::sync::Mutex<()>,
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

impl<N: PeerDirectory> Signer<N> {
	/// A signer acting as `account`, talking over `net`, keeping secrets in `store`.
	pub fn new(
		account: subxt_signer::sr25519::Keypair,
		net: Arc<N>,
		store: Arc<Keystore>,
	) -> Arc<Self> {
		let me = AccountId::from(account.public_key().0);
		Arc::new(Signer {
			account,
			me,
			net,
			store,
			running: Mutex::new(HashSet::new()),
			submitting: tokio::sync::Mutex::new(()),
		})
	}

	/// Runs forever: connects, resumes, follows finalized blocks; reconnects when the node
	/// goes away.
	pub async fn run(self: Arc<Self>, node_url: String) {
		loop {
			match self.clone().follow(&node_url).await {
				Ok(()) => {
					tracing::warn!(target: "waas::signer", "block stream ended; reconnecting")
				},
				Err(e) => {
					tracing::warn!(target: "waas::signer", error = %e, "chain connection lost; reconnecting")
				},
			}
			tokio::time::sleep(Duration::from_secs(2)).await;
		}
	}

	async fn follow(self: Arc<Self>, node_url: &str) -> Result<(), chain::ChainError> {
		let client = waas_client::connect(node_url, Duration::from_secs(30)).await?;
		let genesis: [u8; 32] = client.genesis_hash().0;
		tracing::info!(target: "waas::signer", url = node_url, account = %self.me, "connected to the node");
		let at = client.at_current_block().await?;
		self.refresh_peers(&at).await?;
		self.resume(&client, &at, genesis).await?;

		let mut blocks = client.stream_blocks().await?;
		while let Some(block) = blocks.next().await {
			let at = block?.at().await?;
			let events = at.events().fetch().await?;
			let registry_changed = events.find_first::<events::SignerRegistered>().is_some()
				|| events.find_first::<events::SignerDeregistered>().is_some();
			if registry_changed {
				// The newest state, not this block's: the stream may replay older blocks.
				self.refresh_peers(&client.at_current_block().await?).await?;
			}
			for ev in events.find::<events::KeygenRequested>() {
				let ev = ev?;
				if ev.members.0.contains(&self.me) {
					self.clone().spawn(client.clone(), genesis, Job::Keygen(ev.key));
				}
			}
			for ev in events.find::<events::AttemptAssigned>() {
				let ev = ev?;
				if ev.signers.0.contains(&self.me) {
					self.clone().spawn(client.clone(), genesis, Job::Sign(ev.request, ev.attempt));
				}
			}
		}
		Ok(())
	}

	/// Tells the transport who may talk to this signer and where they are.
	async fn refresh_peers(&self, at: &AtBlock) -> Result<(), chain::ChainError> {
		let mut peers = HashMap::new();
		for (account, s) in chain::signers(at).await? {
			match (peer_id_of(&s.p2p_key), parse_address(&s.endpoint)) {
				(Some(peer), Some(addr)) => {
					peers.insert(peer, addr);
				},
				_ => {
					tracing::warn!(target: "waas::signer", account = %hex::encode(account), "registered signer with an unusable key or endpoint")
				},
			}
		}
		tracing::info!(target: "waas::signer", peers = peers.len(), "signer registry loaded");
		self.net.set_peers(peers);
		Ok(())
	}

	/// Starts every run assigned to this signer that chain state says is still open.
	async fn resume(
		self: &Arc<Self>,
		client: &Client,
		at: &AtBlock,
		genesis: [u8; 32],
	) -> Result<(), chain::ChainError> {
		for (id, key) in chain::keys(at).await? {
			if key.generating_until.is_none() || chain::has_reported(at, id, &self.me).await? {
				continue;
			}
			let Some(committee) = chain::committee(at, key.committee).await? else { continue };
			if committee.members.contains(&self.me) {
				tracing::info!(target: "waas::signer", key = id, "resuming keygen");
				self.clone().spawn(client.clone(), genesis, Job::Keygen(id));
			}
		}
		for (id, req) in chain::pending_requests(at).await? {
			let Some(key) = chain::key(at, req.key).await? else { continue };
			let Some(committee) = chain::committee(at, key.committee).await? else { continue };
			let assigned =
				req.signers.iter().any(|i| committee.members.get(*i as usize) == Some(&self.me));
			if assigned {
				tracing::info!(target: "waas::signer", request = id, attempt = req.attempt, "resuming signing");
				self.clone().spawn(client.clone(), genesis, Job::Sign(id, req.attempt));
			}
		}
		Ok(())
	}

	fn spawn(self: Arc<Self>, client: Client, genesis: [u8; 32], job: Job) {
		if !self.running.lock().unwrap_or_else(|e| e.into_inner()).insert(job) {
			return;
		}
		tokio::spawn(async move {
			let result = match job {
				Job::Keygen(key) => self.keygen(&client, genesis, key).await,
				Job::Sign(request, attempt) => self.sign(&client, genesis, request, attempt).await,
			};
			if let Err(e) = result {
				tracing::error!(target: "waas::signer", ?job, error = %e, "run failed");
			}
			self.running.lock().unwrap_or_else(|e| e.into_inner()).remove(&job);
		});
	}

	/// Peer ids of `members`, from the registry at `at`.
	async fn peers_of(at: &AtBlock, members: &[AccountId]) -> Result<Vec<PeerId>, String> {
		let registry = chain::signers(at).await.map_err(|e| e.to_string())?;
		members
			.iter()
			.map(|m| {
				registry
					.get(&m.0)
					.and_then(|s| peer_id_of(&s.p2p_key))
					.ok_or_else(|| format!("member {m} has no usable registered p2p key"))
			})
			.collect()
	}

	fn time_left(at: &AtBlock, deadline: u32) -> Duration {
		let now = at.block_number() as u32;
		chain::block_time(at) * deadline.saturating_sub(now) + SLACK
	}

	async fn keygen(&self, client: &Client, genesis: [u8; 32], key_id: u32) -> Result<(), String> {
		let at = client.at_current_block().await.map_err(|e| e.to_string())?;
		let key = chain::key(&at, key_id).await.map_err(|e| e.to_string())?.ok_or("unknown key")?;
		let Some(deadline) = key.generating_until else { return Ok(()) };
		if chain::has_reported(&at, key_id, &self.me).await.map_err(|e| e.to_string())? {
			return Ok(());
		}
		let committee = chain::committee(&at, key.committee)
			.await
			.map_err(|e| e.to_string())?
			.ok_or("unknown committee")?;
		let i = committee.members.iter().position(|m| *m == self.me).ok_or("not a member")? as u16;
		let parties = Self::peers_of(&at, &committee.members).await?;
		let limit = Self::time_left(&at, deadline);
		let share_name = format!("share-k{key_id}");

		let share = match self.store.get::<engine::Share>(&share_name).map_err(|e| e.to_string())? {
			Some(share) => share,
			None => {
				tracing::info!(target: "waas::signer", key = key_id, party = i, n = parties.len(), t = committee.threshold, "keygen started");
				let started = std::time::Instant::now();
				let session = execution_id(&genesis, "keygen", key_id.into(), 0);
				let core = engine::keygen(
					&self.net,
					session,
					parties.clone(),
					i,
					committee.threshold,
					limit,
				)
				.await
				.map_err(|e| e.to_string())?;
				let aux = self
					.committee_aux(
						genesis,
						key.committee,
						key_id,
						key.aux_source,
						parties,
						i,
						limit,
					)
					.await?;
				let share = engine::complete_share(core, aux).map_err(|e| e.to_string())?;
				self.store.put(&share_name, &share).map_err(|e| e.to_string())?;
				tracing::info!(target: "waas::signer", key = key_id, secs = started.elapsed().as_secs_f64(), "keygen finished");
				share
			},
		};
		let (public_key, chain_code) =
			engine::public_key_and_chain_code(&share).map_err(|e| e.to_string())?;
		let tx =
			waas::transactions().threshold_signers().report_keygen(key_id, public_key, chain_code);
		let _guard = self.submitting.lock().await;
		chain::submit(client, &tx, &self.account).await?;
		tracing::info!(target: "waas::signer", key = key_id, public_key = %hex::encode(public_key), "keygen reported");
		Ok(())
	}

	/// The committee's aux info for keygen `key_id`: the one made by keygen `aux_source` when
	/// the chain says to reuse it, or a new one (stored under this keygen's id).
	#[allow(clippy::too_many_arguments)]
	async fn committee_aux(
		&self,
		genesis: [u8; 32],
		committee: u32,
		key_id: u32,
		aux_source: Option<u32>,
		parties: Vec<PeerId>,
		i: u16,
		limit: Duration,
	) -> Result<engine::Aux, String> {
		if let Some(k0) = aux_source {
			let name = format!("aux-c{committee}-k{k0}");
			return self.store.get(&name).map_err(|e| e.to_string())?.ok_or_else(|| {
				format!(
					"committee {committee} reuses the aux info of key {k0}, which this signer lost"
				)
			});
		}
		let primes = PrimePool::new(&self.store)
			.take()
			.map_err(|e| e.to_string())?
			.ok_or("the primes pool is empty: run `waas-signer primes`")?;
		tracing::info!(target: "waas::signer", committee, key = key_id, "aux info generation started");
		let session = execution_id(&genesis, "aux", key_id.into(), 0);
		let aux = engine::aux_info(&self.net, session, parties, i, primes, limit)
			.await
			.map_err(|e| e.to_string())?;
		self.store.put(&format!("aux-c{committee}-k{key_id}"), &aux).map_err(|e| e.to_string())?;
		Ok(aux)
	}

	async fn sign(
		&self,
		client: &Client,
		genesis: [u8; 32],
		request: u64,
		attempt: u8,
	) -> Result<(), String> {
		let at = client.at_current_block().await.map_err(|e| e.to_string())?;
		let Some(req) = chain::pending_request(&at, request).await.map_err(|e| e.to_string())?
		else {
			return Ok(());
		};
		if req.attempt != attempt {
			return Ok(());
		}
		let key =
			chain::key(&at, req.key).await.map_err(|e| e.to_string())?.ok_or("unknown key")?;
		let committee = chain::committee(&at, key.committee)
			.await
			.map_err(|e| e.to_string())?
			.ok_or("unknown committee")?;
		let my_index =
			committee.members.iter().position(|m| *m == self.me).ok_or("not a member")? as u16;
		let j = req.signers.iter().position(|i| *i == my_index).ok_or("not assigned")? as u16;
		let prehash = req.scheme.hash(&req.payload);
		if prehash != req.message_hash {
			return Err(
				"the chain's message hash differs from this signer's hash of the payload".into()
			);
		}
		let share: engine::Share = self
			.store
			.get(&format!("share-k{}", req.key))
			.map_err(|e| e.to_string())?
			.ok_or_else(|| format!("no key share for key {}", req.key))?;
		let members: Vec<AccountId> = req
			.signers
			.iter()
			.filter_map(|i| committee.members.get(*i as usize).cloned())
			.collect();
		let signers = Self::peers_of(&at, &members).await?;
		let limit = Self::time_left(&at, req.deadline);
		let session = execution_id(&genesis, "sign", request, attempt);
		tracing::info!(target: "waas::signer", request, attempt, index = j, "signing started");
		let started = std::time::Instant::now();
		let job = SigningJob {
			signers,
			me: j,
			keygen_indices: req.signers.clone(),
			path: req.path.clone(),
			prehash,
		};
		let signature =
			engine::sign(&self.net, session, share, job, limit).await.map_err(|e| e.to_string())?;
		let recovery_id = (0u8..2)
			.find(|rid| {
				waas_primitives::signature::recover_compressed(&signature.0, *rid, &prehash)
					== Some(req.public_key)
			})
			.ok_or("the combined signature does not verify against the derived public key")?;
		tracing::info!(target: "waas::signer", request, attempt, secs = started.elapsed().as_secs_f64(), "signature produced");

		// The first signer submits; the others step in, one by one, if it does not.
		if j > 0 {
			tokio::time::sleep(SUBMIT_BACKOFF * j as u32).await;
			let at = client.at_current_block().await.map_err(|e| e.to_string())?;
			match chain::pending_request(&at, request).await.map_err(|e| e.to_string())? {
				Some(p) if p.attempt == attempt => {},
				_ => return Ok(()),
			}
		}
		let tx = waas::transactions().threshold_signers().submit_signature(
			request,
			signature.0,
			recovery_id,
		);
		let _guard = self.submitting.lock().await;
		match chain::submit(client, &tx, &self.account).await {
			Ok(()) => {
				tracing::info!(target: "waas::signer", request, attempt, "signature submitted")
			},
			Err(e) => {
				// The pool refuses a submission for a request that is no longer assigned, or a
				// duplicate of another member's: if the request has ended, nothing is lost.
				let at = client.at_current_block().await.map_err(|e| e.to_string())?;
				if chain::pending_request(&at, request).await.map_err(|e| e.to_string())?.is_some()
				{
					return Err(e);
				}
				tracing::info!(target: "waas::signer", request, attempt, error = %e, "not submitted: the request has already ended (another member's signature)")
			},
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::execution_id;

	#[test]
	fn execution_ids_differ_by_chain_kind_id_and_attempt() {
		let g = [1u8; 32];
		let base = execution_id(&g, "sign", 5, 0);
		assert_eq!(base, execution_id(&g, "sign", 5, 0));
		assert_ne!(base, execution_id(&[2u8; 32], "sign", 5, 0));
		assert_ne!(base, execution_id(&g, "keygen", 5, 0));
		assert_ne!(base, execution_id(&g, "sign", 6, 0));
		assert_ne!(base, execution_id(&g, "sign", 5, 1));
	}
}
