//! What the signer reads from and writes to the chain, through the typed subxt client.
//! Every session parameter comes from here: the chain is the only source of truth.

use std::{collections::HashMap, time::Duration};
use waas_client::{
	waas::{
		self,
		runtime_types::{
			pallet_threshold_signers::types::{KeyStatus, RequestStatus},
			waas_primitives::hashing::HashScheme as ChainHashScheme,
		},
	},
	AccountId,
};
use waas_primitives::HashScheme;

/// A client pinned to one finalized block.
pub type AtBlock = subxt::client::ClientAtBlock<
	waas_client::WaasConfig,
	subxt::client::OnlineClientAtBlockImpl<waas_client::WaasConfig>,
>;

/// A registered signer, as the chain stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisteredSigner {
	/// ed25519 p2p identity key.
	pub p2p_key: [u8; 32],
	/// Where it listens (multiaddr or `host:port`).
	pub endpoint: String,
}

/// A committee: `members[i]` is keygen party `i`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitteeView {
	/// Members in party order.
	pub members: Vec<AccountId>,
	/// Signers per signature.
	pub threshold: u16,
}

/// A committee key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyView {
	/// Owning committee.
	pub committee: u32,
	/// `Some(deadline)` while the DKG is under way.
	pub generating_until: Option<u32>,
	/// Whether the key is Active.
	pub active: bool,
	/// The key whose aux info this keygen reuses (`None`: make new aux info), as the chain
	/// decided when the keygen was requested — the same for every member.
	pub aux_source: Option<u32>,
}

/// A signing attempt assigned by the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingRequest {
	/// The committee key.
	pub key: u32,
	/// Derivation path.
	pub path: Vec<u32>,
	/// The message.
	pub payload: Vec<u8>,
	/// How to hash it.
	pub scheme: HashScheme,
	/// The chain's hash of the payload (checked against ours).
	pub message_hash: [u8; 32],
	/// The derived public key the signature must recover to.
	pub public_key: [u8; 33],
	/// Current attempt.
	pub attempt: u8,
	/// Member indices that sign in this attempt (ascending).
	pub signers: Vec<u16>,
	/// Last block of this attempt.
	pub deadline: u32,
}

/// Reading chain state failed.
pub type ChainError = Box<dyn std::error::Error + Send + Sync>;

fn scheme(s: &ChainHashScheme) -> HashScheme {
	match s {
		ChainHashScheme::Keccak256 => HashScheme::Keccak256,
		ChainHashScheme::Sha256 => HashScheme::Sha256,
		ChainHashScheme::DoubleSha256 => HashScheme::DoubleSha256,
	}
}

/// All registered signers, by raw account id.
pub async fn signers(at: &AtBlock) -> Result<HashMap<[u8; 32], RegisteredSigner>, ChainError> {
	let entry = at.storage().entry(waas::storage().threshold_signers().signers())?;
	let mut iter = entry.iter(()).await?;
	let mut out = HashMap::new();
	while let Some(kv) = iter.next().await {
		let kv = kv?;
		let (account,): (AccountId,) = kv.key()?.decode()?;
		let info = kv.value().decode()?;
		let endpoint = String::from_utf8_lossy(&info.endpoint.0).into_owned();
		out.insert(account.0, RegisteredSigner { p2p_key: info.p2p_key, endpoint });
	}
	Ok(out)
}

/// One committee.
pub async fn committee(at: &AtBlock, id: u32) -> Result<Option<CommitteeView>, ChainError> {
	let entry = at.storage().entry(waas::storage().threshold_signers().committees())?;
	Ok(entry
		.try_fetch((id,))
		.await?
		.map(|v| v.decode())
		.transpose()?
		.map(|c| CommitteeView { members: c.members.0, threshold: c.threshold }))
}

fn key_view(info: waas::runtime_types::pallet_threshold_signers::types::KeyInfo) -> KeyView {
	KeyView {
		committee: info.committee,
		generating_until: match info.status {
			KeyStatus::Generating { deadline } => Some(deadline),
			_ => None,
		},
		active: matches!(info.status, KeyStatus::Active { .. }),
		aux_source: info.aux_source,
	}
}

/// One committee key.
pub async fn key(at: &AtBlock, id: u32) -> Result<Option<KeyView>, ChainError> {
	let entry = at.storage().entry(waas::storage().threshold_signers().keys())?;
	Ok(entry.try_fetch((id,)).await?.map(|v| v.decode()).transpose()?.map(key_view))
}

/// The public key and chain code of key `id`, if it is Active.
pub async fn active_key_material(
	at: &AtBlock,
	id: u32,
) -> Result<Option<([u8; 33], [u8; 32])>, ChainError> {
	let entry = at.storage().entry(waas::storage().threshold_signers().keys())?;
	let Some(info) = entry.try_fetch((id,)).await?.map(|v| v.decode()).transpose()? else {
		return Ok(None);
	};
	Ok(match info.status {
		KeyStatus::Active { public_key, chain_code } => Some((public_key, chain_code)),
		_ => None,
	})
}

/// Every committee key, by id.
pub async fn keys(at: &AtBlock) -> Result<Vec<(u32, KeyView)>, ChainError> {
	let entry = at.storage().entry(waas::storage().threshold_signers().keys())?;
	let mut iter = entry.iter(()).await?;
	let mut out = Vec::new();
	while let Some(kv) = iter.next().await {
		let kv = kv?;
		let (id,) = kv.key()?.decode()?;
		out.push((id, key_view(kv.value().decode()?)));
	}
	out.sort_by_key(|(id, _)| *id);
	Ok(out)
}

/// Whether `member` has reported its result for keygen `key`.
pub async fn has_reported(at: &AtBlock, key: u32, member: &AccountId) -> Result<bool, ChainError> {
	let entry = at.storage().entry(waas::storage().threshold_signers().keygen_reports())?;
	Ok(entry.try_fetch((key, *member)).await?.is_some())
}

fn pending_view(
	req: waas::runtime_types::pallet_threshold_signers::types::SignatureRequest,
) -> Option<PendingRequest> {
	let RequestStatus::Assigned { attempt, signers, deadline } = req.status else { return None };
	Some(PendingRequest {
		key: req.key,
		path: req.path.0,
		payload: req.payload.0,
		scheme: scheme(&req.scheme),
		message_hash: req.message_hash,
		public_key: req.public_key,
		attempt,
		signers: signers.0,
		deadline,
	})
}

/// A request, if it is assigned (queued and ended requests are not the signers' business).
pub async fn pending_request(at: &AtBlock, id: u64) -> Result<Option<PendingRequest>, ChainError> {
	Ok(match request_phase(at, id).await? {
		RequestPhase::Assigned(p) => Some(p),
		_ => None,
	})
}

/// Where a request is in its lifecycle, as far as a signer cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestPhase {
	/// Waiting in its key's queue.
	Queued,
	/// Assigned to an attempt.
	Assigned(PendingRequest),
	/// A signature was accepted.
	Signed,
	/// Failed or cancelled.
	Ended,
	/// Not stored (never existed, or pruned after it ended).
	Unknown,
}

/// The phase of request `id`.
pub async fn request_phase(at: &AtBlock, id: u64) -> Result<RequestPhase, ChainError> {
	let entry = at.storage().entry(waas::storage().threshold_signers().signature_requests())?;
	let Some(req) = entry.try_fetch((id,)).await?.map(|v| v.decode()).transpose()? else {
		return Ok(RequestPhase::Unknown);
	};
	Ok(match req.status {
		RequestStatus::Queued => RequestPhase::Queued,
		RequestStatus::Signed { .. } => RequestPhase::Signed,
		RequestStatus::Assigned { .. } => {
			pending_view(req).map_or(RequestPhase::Ended, RequestPhase::Assigned)
		},
		_ => RequestPhase::Ended,
	})
}

/// The `(request, attempt)` pairs assigned to `signer` now (runtime API: bounded by the keys'
/// assignment limits, not by history).
pub async fn assigned_requests(
	at: &AtBlock,
	signer: &AccountId,
) -> Result<Vec<(u64, u8)>, ChainError> {
	let call = waas::runtime_apis().waas_api().assigned_requests(*signer);
	Ok(at.runtime_apis().call(call).await?)
}

/// The chain's block time, from the timestamp pallet (twice the minimum period).
pub fn block_time(at: &AtBlock) -> Result<Duration, ChainError> {
	let period = at.constants().entry(waas::constants().timestamp().minimum_period())?;
	Ok(Duration::from_millis(period.saturating_mul(2)))
}

/// The payload of request `id` and the signature accepted for it (`r ‖ s ‖ recovery id`),
/// once it is signed.
pub async fn signed_request(
	at: &AtBlock,
	id: u64,
) -> Result<Option<(Vec<u8>, [u8; 65])>, ChainError> {
	let entry = at.storage().entry(waas::storage().threshold_signers().signature_requests())?;
	let Some(req) = entry.try_fetch((id,)).await?.map(|v| v.decode()).transpose()? else {
		return Ok(None);
	};
	let RequestStatus::Signed { signature, recovery_id, .. } = req.status else { return Ok(None) };
	let mut rsv = [0u8; 65];
	rsv[..64].copy_from_slice(&signature);
	rsv[64] = recovery_id;
	Ok(Some((req.payload.0, rsv)))
}

/// The chain's Unix time in seconds (the timestamp pallet's `now`).
pub async fn unix_seconds(at: &AtBlock) -> Result<u64, ChainError> {
	let entry = at.storage().entry(waas::storage().timestamp().now())?;
	let millis: u64 = entry.try_fetch(()).await?.map(|v| v.decode()).transpose()?.unwrap_or(0);
	Ok(millis / 1000)
}

/// A tree head anchored on-chain: `(tree size, root, block, Unix time in ms)`.
pub type AnchoredHead = (u64, [u8; 32], u32, u64);

/// An anchored head as the runtime API returns it, in the short form.
fn anchored_head(
	h: waas::runtime_types::pallet_audit_anchors::types::TreeHead<u32>,
) -> AnchoredHead {
	(h.tree_size, h.root, h.block, h.timestamp)
}

/// The first audit log of `account` whose format is `format`, if it registered one.
pub async fn audit_log_of(
	at: &AtBlock,
	account: &AccountId,
	format: &str,
) -> Result<Option<u64>, ChainError> {
	use waas::runtime_types::pallet_audit_anchors::types::LogOwner;
	let apis = waas::runtime_apis().audit_anchors_api();
	let ids = at.runtime_apis().call(apis.logs_of(LogOwner::Account(*account), 0, 100)).await?;
	for id in ids {
		if let Some(info) = at.runtime_apis().call(apis.log(id)).await? {
			if info.format.0 == format.as_bytes() {
				return Ok(Some(id));
			}
		}
	}
	Ok(None)
}

/// The latest tree head anchored for audit log `log`.
pub async fn latest_tree_head(at: &AtBlock, log: u64) -> Result<Option<AnchoredHead>, ChainError> {
	let call = waas::runtime_apis().audit_anchors_api().latest_head(log);
	let head = at.runtime_apis().call(call).await?;
	Ok(head.map(anchored_head))
}

/// Whether the runtime finds `leaf` to be entry `index` of the head of audit log `log` with
/// `tree_size` entries (`Ok(head)`), or why not (the runtime's `VerifyError`, as text).
pub async fn verify_inclusion(
	at: &AtBlock,
	log: u64,
	leaf: [u8; 32],
	index: u64,
	tree_size: u64,
	proof: Vec<[u8; 32]>,
) -> Result<Result<AnchoredHead, String>, ChainError> {
	let call = waas::runtime_apis()
		.audit_anchors_api()
		.verify_inclusion(log, leaf, index, tree_size, proof);
	Ok(at.runtime_apis().call(call).await?.map(anchored_head).map_err(|e| format!("{e:?}")))
}
