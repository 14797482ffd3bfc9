//! The protocol engine: CGGMP21 key generation, aux info and signing over any [`Network`].
//!
//! Each run gets a [`SessionLink`] from the network, adapts it to `round_based`'s delivery
//! (protocol messages as JSON), and runs on a blocking thread so that the CPU-heavy rounds
//! never stall the async runtime. A run that passes its time limit is stopped by closing its
//! session, which ends its incoming stream. A failed run says who is to blame where it can
//! ([`blame`]).

pub mod blame;
pub mod presign;

use crate::transport::{Inbound, Network, Outbound, PartyIndex, PeerId, SessionId, SessionLink};
pub use blame::{Blame, FaultReason};
use cggmp21::{
	generic_ec::Scalar,
	key_share::AuxInfo,
	round_based::{Incoming, MessageDestination, MessageType, MpcParty, Outgoing},
	supported_curves::Secp256k1,
	DataToSign, ExecutionId, IncompleteKeyShare, KeyShare, PregeneratedPrimes,
};
use futures::{future, SinkExt, StreamExt};
use rand::rngs::OsRng;
use serde::{de::DeserializeOwned, Serialize};
use std::{
	collections::BTreeSet,
	convert::Infallible,
	sync::{Arc, Mutex},
	time::Duration,
};

/// The curve every key uses.
pub type Curve = Secp256k1;
/// A key share without aux info (the DKG's output).
pub type CoreShare = IncompleteKeyShare<Curve>;
/// A complete key share: the DKG's output joined with the committee's aux info.
pub type Share = KeyShare<Curve>;
/// Paillier keys and ring-Pedersen parameters of one party, shared by a committee's keys.
pub type Aux = AuxInfo;
/// Two safe primes for one party's aux info.
pub type Primes = PregeneratedPrimes;

/// Why a protocol run did not produce its output.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
	/// The run did not finish within its time limit (a party is missing or slow). A party
	/// that sent undecodable messages meanwhile is blamed.
	#[error("the protocol did not finish within {limit:?}{}", blamed(blame))]
	Timeout {
		/// The time limit.
		limit: Duration,
		/// Who misbehaved during the run, if anyone was seen to.
		blame: Option<Blame>,
	},
	/// The protocol failed: the library's account of it, and whom it blames.
	#[error("protocol failed: {detail}{}", blamed(blame))]
	Protocol {
		/// The library's error (its `Debug` text, capped at [`MAX_DETAIL`] bytes).
		detail: String,
		/// The misbehaving parties, where the library (or this engine) identified them.
		blame: Option<Blame>,
	},
	/// Bad input: path, indices or key share.
	#[error("invalid input: {0}")]
	Input(String),
}

/// Longest library error text an [`EngineError::Protocol`] keeps, in bytes.
pub const MAX_DETAIL: usize = 1024;

fn blamed(blame: &Option<Blame>) -> String {
	blame.as_ref().map(|b| format!(" (blame: {b})")).unwrap_or_default()
}

impl EngineError {
	/// Whom the failed run blames, if anyone.
	pub fn blame(&self) -> Option<&Blame> {
		match self {
			EngineError::Timeout { blame, .. } | EngineError::Protocol { blame, .. } => {
				blame.as_ref()
			},
			EngineError::Input(_) => None,
		}
	}

	/// A protocol failure with no one to blame.
	fn protocol(detail: impl Into<String>) -> EngineError {
		EngineError::Protocol { detail: detail.into(), blame: None }
	}

	/// A failure reported by cggmp21: its blame is read from the error
	/// ([`Blame::from_debug`]); failing that, parties seen sending undecodable messages
	/// are blamed.
	fn library(error: impl std::fmt::Debug, seen: &Misbehaviour) -> EngineError {
		let mut detail = format!("{error:?}");
		let blame = Blame::from_debug(&detail).or_else(|| seen.blame());
		if detail.len() > MAX_DETAIL {
			let mut end = MAX_DETAIL;
			while !detail.is_char_boundary(end) {
				end -= 1;
			}
			detail.truncate(end);
			detail.push('…');
		}
		EngineError::Protocol { detail, blame }
	}
}

/// What the engine itself observed parties doing wrong during a run: senders of messages
/// that do not decode.
#[derive(Default)]
struct Misbehaviour(Mutex<BTreeSet<PartyIndex>>);

impl Misbehaviour {
	fn malformed(&self, from: PartyIndex) {
		self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(from);
	}

	fn blame(&self) -> Option<Blame> {
		let seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
		Blame::new(FaultReason::MalformedMessage, seen.iter().copied())
	}
}

/// A sink error of a session link (the transport went away).
#[derive(Debug, thiserror::Error)]
#[error("session link closed")]
pub struct LinkClosed;

/// The result of a signing run: a low-s `r ‖ s` signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawSignature(pub [u8; 64]);

impl RawSignature {
	/// The recovery id (0 or 1) under which the signature over `prehash` recovers to
	/// `public_key` (compressed); `None` when it verifies against neither.
	pub fn recovery_id(&self, prehash: &[u8; 32], public_key: &[u8; 33]) -> Option<u8> {
		(0u8..2).find(|rid| {
			waas_primitives::signature::recover_compressed(&self.0, *rid, prehash)
				== Some(*public_key)
		})
	}
}

/// Adapts a session link to the delivery `round_based` expects, (de)serialising `M` as JSON.
/// Messages that do not decode are dropped, logged and their sender noted in `seen`: the run
/// then waits for a valid one or times out, so a garbage sender cannot crash it.
fn delivery<M>(
	link: SessionLink,
	session: SessionId,
	seen: Arc<Misbehaviour>,
) -> (
	impl futures::Stream<Item = Result<Incoming<M>, Infallible>> + Unpin + Send,
	impl futures::Sink<Outgoing<M>, Error = LinkClosed> + Unpin + Send,
)
where
	M: Serialize + DeserializeOwned + Send + 'static,
{
	let mut next_id = 0u64;
	let incoming = link.incoming.filter_map(move |Inbound { from, broadcast, payload }| {
		let decoded = match serde_json::from_slice::<M>(&payload) {
			Ok(msg) => {
				next_id += 1;
				Some(Ok(Incoming {
					id: next_id,
					sender: from,
					msg_type: if broadcast { MessageType::Broadcast } else { MessageType::P2P },
					msg,
				}))
			},
			Err(e) => {
				seen.malformed(from);
				tracing::warn!(
					target: "waas::engine",
					session = %hex::encode(&session[..8]), from, error = %e,
					"dropping a message that does not decode"
				);
				None
			},
		};
		future::ready(decoded)
	});
	let outgoing = link.outgoing.sink_map_err(|_| LinkClosed).with(|out: Outgoing<M>| {
		let to = match out.recipient {
			MessageDestination::AllParties => None,
			MessageDestination::OneParty(j) => Some(j),
		};
		let encoded = serde_json::to_vec(&out.msg).map_err(|_| LinkClosed);
		future::ready(encoded.map(|payload| Outbound { to, payload }))
	});
	(incoming, outgoing)
}

/// Largest message of a DKG or signing run: a few KB in practice (commitments and proofs of
/// constant size per party), capped well above.
pub const SMALL_PROTOCOL_CAP: usize = 256 * 1024;
/// Per party, the largest aux-info message grows by about 72 KB (measured: 217 KB for 3
/// parties); capped at 128 KiB per party.
pub const AUX_CAP_PER_PARTY: usize = 128 * 1024;

/// The message cap of an aux-info run among `n` parties.
pub fn aux_message_cap(n: usize) -> usize {
	SMALL_PROTOCOL_CAP.max(n * AUX_CAP_PER_PARTY)
}

/// Runs `protocol` on a blocking thread with session `session` open (messages over
/// `max_message` refused), for at most `limit`. The protocol gets the session's link and the
/// record of what parties were seen doing wrong.
async fn run_session<N, T, F>(
	net: &Arc<N>,
	session: SessionId,
	(parties, me): (Vec<PeerId>, PartyIndex),
	max_message: usize,
	limit: Duration,
	protocol: F,
) -> Result<T, EngineError>
where
	N: Network,
	T: Send + 'static,
	F: FnOnce(SessionLink, Arc<Misbehaviour>) -> Result<T, EngineError> + Send + 'static,
{
	if me as usize >= parties.len() {
		return Err(EngineError::Input(format!("party {me} of {}", parties.len())));
	}
	let link = net.open(session, parties, me, max_message);
	let seen = Arc::new(Misbehaviour::default());
	let observed = seen.clone();
	let mut task = tokio::task::spawn_blocking(move || protocol(link, observed));
	let result = match tokio::time::timeout(limit, &mut task).await {
		Ok(joined) => joined.map_err(|e| EngineError::protocol(format!("protocol thread: {e}")))?,
		Err(_) => {
			// Closing the session ends the incoming stream; the thread then returns.
			net.close(&session);
			let _ = task.await;
			return Err(EngineError::Timeout { limit, blame: seen.blame() });
		},
	};
	net.close(&session);
	result
}

/// Distributed key generation: party `i` of `parties.len()`, threshold `t`, HD wallets on.
pub async fn keygen<N: Network>(
	net: &Arc<N>,
	session: SessionId,
	parties: Vec<PeerId>,
	i: PartyIndex,
	t: u16,
	limit: Duration,
) -> Result<CoreShare, EngineError> {
	let n = parties.len() as u16;
	run_session(net, session, (parties, i), SMALL_PROTOCOL_CAP, limit, move |link, seen| {
		let party = MpcParty::connected(delivery(link, session, seen.clone()));
		let eid = ExecutionId::new(&session);
		let mut rng = OsRng;
		let run = cggmp21::keygen::<Curve>(eid, i, n)
			.set_threshold(t)
			.hd_wallet(true)
			.start(&mut rng, party);
		futures::executor::block_on(run).map_err(|e| EngineError::library(e, &seen))
	})
	.await
}

/// Aux info generation for party `i` of `parties.len()`, from pregenerated primes.
pub async fn aux_info<N: Network>(
	net: &Arc<N>,
	session: SessionId,
	parties: Vec<PeerId>,
	i: PartyIndex,
	primes: Primes,
	limit: Duration,
) -> Result<Aux, EngineError> {
	let n = parties.len() as u16;
	let cap = aux_message_cap(parties.len());
	let aux = run_session(net, session, (parties, i), cap, limit, move |link, seen| {
		let party = MpcParty::connected(delivery(link, session, seen.clone()));
		let eid = ExecutionId::new(&session);
		let mut rng = OsRng;
		let run = cggmp21::aux_info_gen(eid, i, n, primes).start(&mut rng, party);
		futures::executor::block_on(run).map_err(|e| EngineError::library(e, &seen))
	})
	.await?;
	let oversized = oversized_moduli(&aux.parties);
	if !oversized.is_empty() {
		return Err(EngineError::Protocol {
			detail: format!("Paillier moduli outside {PAILLIER_BITS:?} bits"),
			blame: Blame::new(
				FaultReason::OutOfRangeModulus,
				oversized.iter().filter_map(|&j| PartyIndex::try_from(j).ok()),
			),
		});
	}
	Ok(aux)
}

/// Bit lengths accepted for a party's Paillier modulus: the product of two 1536-bit primes.
/// cggmp21 checks only a lower bound; a member choosing a far larger modulus would make every
/// later signature of the committee orders of magnitude slower.
pub const PAILLIER_BITS: std::ops::RangeInclusive<u32> = 3071..=3072;

/// Indices of the parties whose Paillier modulus is outside [`PAILLIER_BITS`].
pub fn oversized_moduli(parties: &[cggmp21::key_share::PartyAux]) -> Vec<usize> {
	parties
		.iter()
		.enumerate()
		.filter(|(_, p)| !PAILLIER_BITS.contains(&p.N.significant_bits()))
		.map(|(j, _)| j)
		.collect()
}

/// Joins a DKG output with the committee's aux info.
pub fn complete_share(core: CoreShare, aux: Aux) -> Result<Share, EngineError> {
	KeyShare::from_parts((core, aux)).map_err(|e| EngineError::Input(format!("key share: {e}")))
}

/// What a signing run signs and with whom.
#[derive(Clone, Debug)]
pub struct SigningJob {
	/// The signers' identities in signing order (signing index `j` is `signers[j]`).
	pub signers: Vec<PeerId>,
	/// This signer's signing index.
	pub me: PartyIndex,
	/// Keygen party index of each signer, in the same order.
	pub keygen_indices: Vec<u16>,
	/// Non-hardened derivation path from the committee key.
	pub path: Vec<u32>,
	/// The message hash, computed by this signer from the payload.
	pub prehash: [u8; 32],
}

/// Refuses a subset whose identities and keygen indices do not pair up.
fn check_subset(signers: &[PeerId], keygen_indices: &[u16]) -> Result<(), EngineError> {
	if signers.len() != keygen_indices.len() {
		return Err(EngineError::Input("signers and keygen indices differ in length".into()));
	}
	Ok(())
}

/// The common start of a signing and a presigning run: cggmp21's signing protocol for
/// signing index `me` of the subset `keygen_indices`, with `share` derived along `path`.
fn signing_builder<'r>(
	session: &'r SessionId,
	me: PartyIndex,
	keygen_indices: &'r [u16],
	share: &'r Share,
	path: &[u32],
) -> Result<cggmp21::signing::SigningBuilder<'r, Curve>, EngineError> {
	cggmp21::signing(ExecutionId::new(session), me, keygen_indices, share)
		.set_derivation_path(path.iter().copied())
		.map_err(|e| EngineError::Input(format!("derivation path: {e}")))
}

/// Threshold signing of `job.prehash` with `share`, derived along `job.path`.
pub async fn sign<N: Network>(
	net: &Arc<N>,
	session: SessionId,
	share: Share,
	job: SigningJob,
	limit: Duration,
) -> Result<RawSignature, EngineError> {
	check_subset(&job.signers, &job.keygen_indices)?;
	let SigningJob { signers, me, keygen_indices, path, prehash } = job;
	run_session(net, session, (signers, me), SMALL_PROTOCOL_CAP, limit, move |link, seen| {
		let party = MpcParty::connected(delivery(link, session, seen.clone()));
		let builder = signing_builder(&session, me, &keygen_indices, &share, &path)?;
		let data = DataToSign::from_scalar(Scalar::<Curve>::from_be_bytes_mod_order(prehash));
		let mut rng = OsRng;
		let signature = futures::executor::block_on(builder.sign(&mut rng, party, data))
			.map_err(|e| EngineError::library(e, &seen))?
			.normalize_s();
		let mut out = [0u8; 64];
		signature.write_to_slice(&mut out);
		Ok(RawSignature(out))
	})
	.await
}

/// The committee key's compressed public key, from the DKG's output.
pub fn core_public_key(core: &CoreShare) -> [u8; 33] {
	let bytes = core.shared_public_key.to_bytes(true);
	let mut out = [0u8; 33];
	out.copy_from_slice(bytes.as_ref());
	out
}

/// The committee key as the chain stores it: compressed public key and BIP32 chain code.
pub fn public_key_and_chain_code(share: &Share) -> Result<([u8; 33], [u8; 32]), EngineError> {
	let xpub = share.extended_public_key().ok_or_else(|| EngineError::Input("HD is off".into()))?;
	let bytes = xpub.public_key.to_bytes(true);
	let public_key: [u8; 33] =
		bytes.as_ref().try_into().map_err(|_| EngineError::Input("key encoding".into()))?;
	Ok((public_key, xpub.chain_code))
}

/// A key share's shape: `(i, n, t)` = this party's keygen index, the number of parties and
/// the threshold, as the share itself records them.
pub fn share_shape(share: &Share) -> (u16, usize, u16) {
	let n = share.core.public_shares.len();
	let t = share.core.vss_setup.as_ref().map(|s| s.min_signers).unwrap_or(n as u16);
	(share.core.i, n, t)
}
