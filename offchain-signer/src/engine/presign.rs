//! Presigned signing: the expensive CGGMP21 rounds ahead of time, one round when a message
//! arrives.
//!
//! [`presign`] runs cggmp21's presignature generation for one signer subset and one
//! derivation path, fixed before the rounds start (the path's additive shift enters the
//! protocol itself, so a presignature can never be turned to another child key: Groth and
//! Shoup's attack on ECDSA presignatures with re-randomised keys needs exactly that freedom).
//! [`sign_presigned`] then costs one message per signer: each issues its partial signature,
//! broadcasts it, combines the subset's partials and checks the result against the derived
//! public key.
//!
//! A presignature must sign one message only (two partial signatures of one presignature
//! over different messages reveal the key share's secret): [`sign_presigned`] consumes it
//! by value, and the pool that keeps presignatures ([`crate::presignatures`]) removes one
//! durably before handing it out.

use super::{run_session, Blame, Curve, EngineError, FaultReason, Misbehaviour, RawSignature};
use super::{Share, SMALL_PROTOCOL_CAP};
use crate::transport::{Inbound, Network, Outbound, PartyIndex, PeerId, SessionId, SessionLink};
use cggmp21::{
	generic_ec::Scalar, round_based::MpcParty, DataToSign, PartialSignature, Presignature,
};
use futures::{SinkExt, StreamExt};
use rand::rngs::OsRng;
use std::{collections::BTreeMap, sync::Arc, time::Duration};

/// A CGGMP21 presignature of one signer, for one subset and derivation path.
pub type Presig = Presignature<Curve>;

/// Which presignature to generate: a signer subset and a derivation path.
#[derive(Clone, Debug)]
pub struct PresignJob {
	/// The signers' identities in signing order (signing index `j` is `signers[j]`).
	pub signers: Vec<PeerId>,
	/// This signer's signing index.
	pub me: PartyIndex,
	/// Keygen party index of each signer, in the same order.
	pub keygen_indices: Vec<u16>,
	/// Non-hardened derivation path from the committee key: the only key the presignature
	/// will sign for.
	pub path: Vec<u32>,
}

/// Runs presignature generation for `job` with `share`, in session `session`.
pub async fn presign<N: Network>(
	net: &Arc<N>,
	session: SessionId,
	share: Share,
	job: PresignJob,
	limit: Duration,
) -> Result<Presig, EngineError> {
	super::check_subset(&job.signers, &job.keygen_indices)?;
	let PresignJob { signers, me, keygen_indices, path } = job;
	run_session(net, session, (signers, me), SMALL_PROTOCOL_CAP, limit, move |link, seen| {
		let party = MpcParty::connected(super::delivery(link, session, seen.clone()));
		let builder = super::signing_builder(&session, me, &keygen_indices, &share, &path)?;
		let mut rng = OsRng;
		futures::executor::block_on(builder.generate_presignature(&mut rng, party))
			.map_err(|e| EngineError::library(e, &seen))
	})
	.await
}

/// What a presigned signing run signs, with whom, and what the result must verify against.
#[derive(Clone, Debug)]
pub struct PresignedJob {
	/// The signers' identities in signing order: the subset the presignature was made for.
	pub signers: Vec<PeerId>,
	/// This signer's signing index.
	pub me: PartyIndex,
	/// The message hash, computed by this signer from the payload.
	pub prehash: [u8; 32],
	/// The derived public key (compressed) the signature must verify against.
	pub public_key: [u8; 33],
}

/// Signs `job.prehash` with `presignature` (consumed): broadcasts this signer's partial
/// signature, collects the others' and combines them. A co-signer whose partial does not
/// decode, or who sends two different ones, is blamed; a combination that does not verify
/// is a protocol failure nobody can be blamed for (a partial signature alone cannot be
/// checked).
pub async fn sign_presigned<N: Network>(
	net: &Arc<N>,
	session: SessionId,
	presignature: Presig,
	job: PresignedJob,
	limit: Duration,
) -> Result<RawSignature, EngineError> {
	let PresignedJob { signers, me, prehash, public_key } = job;
	let n = signers.len();
	let data = DataToSign::from_scalar(Scalar::<Curve>::from_be_bytes_mod_order(prehash));
	let mine = presignature.issue_partial_signature(data);
	let partials =
		run_session(net, session, (signers, me), SMALL_PROTOCOL_CAP, limit, move |link, seen| {
			futures::executor::block_on(exchange(link, me, n, mine, &seen))
		})
		.await?;
	let signature = PartialSignature::combine(&partials)
		.ok_or_else(|| EngineError::protocol("the partial signatures do not combine"))?
		.normalize_s();
	let mut out = [0u8; 64];
	signature.write_to_slice(&mut out);
	let signature = RawSignature(out);
	if signature.recovery_id(&prehash, &public_key).is_none() {
		return Err(EngineError::protocol(
			"the combined signature does not verify against the derived key",
		));
	}
	Ok(signature)
}

/// Sends `mine` to every co-signer and returns all `n` partial signatures, in signing order.
async fn exchange(
	mut link: SessionLink,
	me: PartyIndex,
	n: usize,
	mine: PartialSignature<Curve>,
	seen: &Misbehaviour,
) -> Result<Vec<PartialSignature<Curve>>, EngineError> {
	let payload = serde_json::to_vec(&mine)
		.map_err(|e| EngineError::protocol(format!("encoding the partial signature: {e}")))?;
	link.outgoing
		.send(Outbound { to: None, payload: payload.clone() })
		.await
		.map_err(|_| EngineError::protocol("session link closed"))?;
	let mut received: BTreeMap<PartyIndex, (Vec<u8>, PartialSignature<Curve>)> = BTreeMap::new();
	received.insert(me, (payload, mine));
	while received.len() < n {
		let Some(Inbound { from, payload, .. }) = link.incoming.next().await else {
			return Err(EngineError::Protocol {
				detail: "the session ended before every partial signature arrived".into(),
				blame: seen.blame(),
			});
		};
		if from as usize >= n || from == me {
			continue;
		}
		let Ok(partial) = serde_json::from_slice::<PartialSignature<Curve>>(&payload) else {
			seen.malformed(from);
			continue;
		};
		match received.get(&from) {
			Some((earlier, _)) if *earlier != payload => {
				return Err(EngineError::Protocol {
					detail: "two different partial signatures from one signer".into(),
					blame: Blame::new(FaultReason::DuplicateMessage, [from]),
				});
			},
			Some(_) => {},
			None => {
				received.insert(from, (payload, partial));
			},
		}
	}
	Ok(received.into_values().map(|(_, p)| p).collect())
}
