//! Deliberate protocol deviations, to test how the other signers catch them.
//!
//! [`Deviating`] wraps a [`Network`] and rewrites what this signer sends, as if its own
//! software had produced the altered message: the message still travels under the signer's
//! authenticated identity, so the others can and must blame it. `waas-signer
//! --insecure-deviate <kind>` runs a signer like that — for tests of the on-chain
//! accountability only; it never makes sense on a real committee.

use super::{Network, Outbound, PartyIndex, PeerId, SessionId, SessionLink};
use futures::{channel::mpsc, StreamExt};
use std::sync::Arc;

/// How a deviating signer breaks the protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Deviation {
	/// In signing, alter the range proof (π_enc) for its ciphertext `K` in round 1b: the
	/// co-signers' proof check fails and cggmp21 names this signer.
	InvalidEncProof,
}

impl Deviation {
	/// Rewrites one outgoing protocol message; messages this deviation does not concern pass
	/// unchanged. Returns whether it changed `payload`.
	pub fn apply(self, payload: &mut Vec<u8>) -> bool {
		match self {
			Deviation::InvalidEncProof => {
				let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(payload) else {
					return false;
				};
				let Some(proof) = value.pointer_mut("/Round1b/psi0/1") else { return false };
				if !perturb(proof) {
					return false;
				}
				match serde_json::to_vec(&value) {
					Ok(altered) => {
						*payload = altered;
						true
					},
					Err(_) => false,
				}
			},
		}
	}
}

/// Changes one value inside `v` (the first string or number found, depth first): a string
/// gets its last character changed, a number is incremented. Returns whether it did.
fn perturb(v: &mut serde_json::Value) -> bool {
	use serde_json::Value;
	match v {
		Value::String(text) => match text.pop() {
			Some(c) => {
				text.push(if c == '1' { '2' } else { '1' });
				true
			},
			None => false,
		},
		Value::Number(n) => {
			*v = Value::from(n.as_u64().unwrap_or(0).wrapping_add(1));
			true
		},
		Value::Array(items) => items.iter_mut().any(perturb),
		Value::Object(fields) => fields.values_mut().any(perturb),
		_ => false,
	}
}

/// A network whose outgoing messages pass through a [`Deviation`].
pub struct Deviating<N> {
	inner: Arc<N>,
	deviation: Deviation,
}

impl<N> Deviating<N> {
	/// `inner`, with every message this signer sends rewritten by `deviation`.
	pub fn new(inner: Arc<N>, deviation: Deviation) -> Deviating<N> {
		Deviating { inner, deviation }
	}

	/// The wrapped network.
	pub fn inner(&self) -> &Arc<N> {
		&self.inner
	}
}

impl<N: Network> Network for Deviating<N> {
	fn open(
		&self,
		id: SessionId,
		parties: Vec<PeerId>,
		me: PartyIndex,
		max_message: usize,
	) -> SessionLink {
		let link = self.inner.open(id, parties, me, max_message);
		let (outgoing, mut engine_out) = mpsc::unbounded::<Outbound>();
		let sink = link.outgoing;
		let deviation = self.deviation;
		tokio::spawn(async move {
			while let Some(mut out) = engine_out.next().await {
				if deviation.apply(&mut out.payload) {
					tracing::warn!(target: "waas::signer", session = %hex::encode(&id[..8]), ?deviation, "sent a deliberately altered message");
				}
				if sink.unbounded_send(out).is_err() {
					break;
				}
			}
		});
		SessionLink { incoming: link.incoming, outgoing }
	}

	fn close(&self, id: &SessionId) {
		self.inner.close(id)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn only_round_1b_proofs_are_altered() {
		let mut round_1b = br#"{"Round1b":{"psi0":[1,{"z":"abc1","w":[5]}]}}"#.to_vec();
		let before: serde_json::Value = serde_json::from_slice(&round_1b).unwrap();
		assert!(Deviation::InvalidEncProof.apply(&mut round_1b));
		let after: serde_json::Value = serde_json::from_slice(&round_1b).unwrap();
		assert_ne!(after.pointer("/Round1b/psi0/1"), before.pointer("/Round1b/psi0/1"));
		assert_eq!(after.pointer("/Round1b/psi0/0"), before.pointer("/Round1b/psi0/0"));
		for other in [&br#"{"Round1a":{"K":"00"}}"#[..], b"not json", b"{\"Round1b\":{}}"] {
			let mut payload = other.to_vec();
			assert!(!Deviation::InvalidEncProof.apply(&mut payload));
			assert_eq!(payload, other);
		}
	}
}
