//! Message transport between signers.
//!
//! The protocol engine sees a session as a [`SessionLink`]: indexed parties, a stream of
//! [`Inbound`] messages and a sink of [`Outbound`] ones. Two implementations of [`Network`]
//! provide links: [`p2p::P2pNetwork`] (libp2p over TCP, Noise-authenticated and encrypted,
//! peers allowed by their on-chain identity keys) and [`memory::MemoryNetwork`] (in-process,
//! for tests of the engine). Both route by session through the same [`router::Router`],
//! which buffers messages that arrive before their session starts.

pub mod codec;
pub mod deviate;
pub mod memory;
pub mod p2p;
pub mod router;

use futures::channel::mpsc;
pub use libp2p::PeerId;
use serde::{Deserialize, Serialize};

/// Identifies one protocol run; equal to the run's execution id, so never reused.
pub type SessionId = [u8; 32];
/// Index of a party within one session (position in the session's party list).
pub type PartyIndex = u16;

/// A message as it travels between two signers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireMessage {
	/// The session it belongs to.
	#[serde(with = "serde_bytes")]
	pub session: SessionId,
	/// The sender's sequence number of this message within the session (from 0): a
	/// retransmitted message keeps its number, so the receiver delivers it once.
	pub seq: u64,
	/// Whether the sender sent the same message to every party.
	pub broadcast: bool,
	/// The protocol message, serialised by the engine.
	#[serde(with = "serde_bytes")]
	pub payload: Vec<u8>,
}

/// What the receiver did with a [`WireMessage`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ack {
	/// Handed to the running session.
	Delivered,
	/// Kept until the session starts.
	Buffered,
	/// Already received (a retransmission): not delivered again.
	Duplicate,
	/// Not taken now (the session's queue or the sender's early-message quota is full):
	/// send it again later.
	RetryLater,
	/// Never taken: unknown sender, or a finished session.
	Refused,
}

impl Ack {
	/// Whether the sender should send the message again.
	pub fn retry(self) -> bool {
		self == Ack::RetryLater
	}

	/// A label for metrics.
	pub fn label(self) -> &'static str {
		match self {
			Ack::Delivered => "delivered",
			Ack::Buffered => "buffered",
			Ack::Duplicate => "duplicate",
			Ack::RetryLater => "refused_later",
			Ack::Refused => "refused_never",
		}
	}
}

/// A protocol message received in a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inbound {
	/// The sender's index in the session.
	pub from: PartyIndex,
	/// Whether the sender said it broadcast the message.
	pub broadcast: bool,
	/// The serialised protocol message.
	pub payload: Vec<u8>,
}

/// A protocol message to send in a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outbound {
	/// One party, or every other party when `None`.
	pub to: Option<PartyIndex>,
	/// The serialised protocol message.
	pub payload: Vec<u8>,
}

/// Messages from a session's other parties, in arrival order. Bounded in count
/// ([`SESSION_QUEUE`]) and in bytes ([`SESSION_QUEUE_BYTES`]): the router refuses for now
/// ([`Ack::RetryLater`]) what would exceed either until the engine has taken messages out.
pub struct SessionInbox {
	rx: mpsc::Receiver<Inbound>,
	queued_bytes: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl SessionInbox {
	/// An inbox over `rx`, whose payload bytes are counted in `queued_bytes`.
	pub fn new(
		rx: mpsc::Receiver<Inbound>,
		queued_bytes: std::sync::Arc<std::sync::atomic::AtomicUsize>,
	) -> SessionInbox {
		SessionInbox { rx, queued_bytes }
	}

	fn taken(&self, msg: &Inbound) {
		self.queued_bytes.fetch_sub(msg.payload.len(), std::sync::atomic::Ordering::Relaxed);
	}

	/// The next message if one is queued now.
	pub fn try_recv(&mut self) -> Option<Inbound> {
		let msg = self.rx.try_recv().ok()?;
		self.taken(&msg);
		Some(msg)
	}
}

impl futures::Stream for SessionInbox {
	type Item = Inbound;

	fn poll_next(
		mut self: std::pin::Pin<&mut Self>,
		cx: &mut std::task::Context<'_>,
	) -> std::task::Poll<Option<Inbound>> {
		let polled = std::pin::Pin::new(&mut self.rx).poll_next(cx);
		if let std::task::Poll::Ready(Some(msg)) = &polled {
			self.taken(msg);
		}
		polled
	}
}

/// The engine's side of a session: messages from the other parties, and a way to send.
pub struct SessionLink {
	/// Messages from the session's other parties, in arrival order.
	pub incoming: SessionInbox,
	/// Messages to the session's other parties.
	pub outgoing: mpsc::UnboundedSender<Outbound>,
}

/// Something that connects a signer to the other parties of a session.
pub trait Network: Send + Sync + 'static {
	/// Opens session `id` between `parties` (party `i` is `parties[i]`); `me` is this signer's
	/// index; messages over `max_message` bytes (the protocol's own cap) are refused. Messages
	/// that arrived for `id` before it was opened are delivered first.
	fn open(
		&self,
		id: SessionId,
		parties: Vec<PeerId>,
		me: PartyIndex,
		max_message: usize,
	) -> SessionLink;
	/// Ends session `id`: its link's incoming stream ends and later messages are refused.
	fn close(&self, id: &SessionId);
}

/// The wire messages that carry `out`, the sender's message number `seq` of session `id`,
/// sent by party `me`: one per recipient.
pub fn fan_out(
	id: SessionId,
	parties: &[PeerId],
	me: PartyIndex,
	seq: u64,
	out: Outbound,
) -> Vec<(PeerId, WireMessage)> {
	parties
		.iter()
		.enumerate()
		.filter(|(i, _)| match out.to {
			Some(j) => *i == j as usize,
			None => *i != me as usize,
		})
		.map(|(_, peer)| {
			let msg = WireMessage {
				session: id,
				seq,
				broadcast: out.to.is_none(),
				payload: out.payload.clone(),
			};
			(*peer, msg)
		})
		.collect()
}

/// Capacity of one session's inbound queue; messages beyond it are refused for now
/// ([`Ack::RetryLater`]).
pub const SESSION_QUEUE: usize = 1024;
/// Payload bytes one session's inbound queue may hold: room for a 16-member committee's aux
/// info round, far below what [`SESSION_QUEUE`] messages at the message cap would take.
pub const SESSION_QUEUE_BYTES: usize = 64 * 1024 * 1024;

/// Runs a session's outbound side: numbers each message the engine sends (per session, from
/// 0) and hands its per-recipient wire messages to `send`.
pub(crate) async fn forward_outbound(
	id: SessionId,
	parties: Vec<PeerId>,
	me: PartyIndex,
	mut outbound: mpsc::UnboundedReceiver<Outbound>,
	mut send: impl FnMut(PeerId, WireMessage),
) {
	use futures::StreamExt;
	let mut seq = 0u64;
	while let Some(out) = outbound.next().await {
		for (peer, msg) in fan_out(id, &parties, me, seq, out) {
			send(peer, msg);
		}
		seq += 1;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn fan_out_broadcasts_to_the_others_and_p2p_to_one() {
		let parties: Vec<PeerId> = (0..3).map(|_| PeerId::random()).collect();
		let all = fan_out([1; 32], &parties, 1, 4, Outbound { to: None, payload: vec![7] });
		assert_eq!(all.iter().map(|(p, _)| *p).collect::<Vec<_>>(), vec![parties[0], parties[2]]);
		assert!(all
			.iter()
			.all(|(_, m)| m.broadcast && m.payload == [7] && m.session == [1; 32] && m.seq == 4));
		let one = fan_out([1; 32], &parties, 1, 5, Outbound { to: Some(2), payload: vec![8] });
		assert_eq!(one.len(), 1);
		assert_eq!(one[0].0, parties[2]);
		assert!(!one[0].1.broadcast);
	}
}
