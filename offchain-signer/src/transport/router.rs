//! Routing of received messages to sessions, with bounded buffering of early arrivals.

use super::{
	Ack, Inbound, Outbound, PartyIndex, PeerId, SessionId, SessionInbox, SessionLink, WireMessage,
	SESSION_QUEUE_BYTES,
};
use futures::channel::mpsc;
use std::{
	collections::{HashMap, HashSet, VecDeque},
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};

/// Limits on what the router keeps for sessions that have not started. Quotas are per
/// sending peer, so a peer that floods (with sessions that never start) only exhausts its
/// own quota and never crowds out an honest peer's early messages.
#[derive(Clone, Copy, Debug)]
pub struct BufferLimits {
	/// Messages one peer may have buffered for one session.
	pub per_session: usize,
	/// Sessions one peer may have messages buffered for.
	pub sessions: usize,
	/// Payload bytes one peer may have buffered.
	pub bytes: usize,
	/// How long an early message is kept.
	pub ttl: Duration,
}

impl Default for BufferLimits {
	fn default() -> Self {
		BufferLimits {
			per_session: 64,
			sessions: 64,
			bytes: 32 * 1024 * 1024,
			ttl: Duration::from_secs(180),
		}
	}
}

/// Number of finished sessions remembered, so late messages are refused, not buffered.
const REMEMBERED_FINISHED: usize = 4096;

/// Message numbers remembered per sender and session; a sender past it is refused (an
/// honest one sends a few dozen messages per session).
const MAX_SEEN_PER_SENDER: usize = 4096;

struct Route {
	parties: Vec<PeerId>,
	me: PartyIndex,
	tx: mpsc::Sender<Inbound>,
	/// Message numbers already delivered, per sender index.
	seen: Vec<HashSet<u64>>,
	/// Payload bytes queued and not yet taken by the engine.
	queued_bytes: Arc<AtomicUsize>,
	/// Largest payload this session's protocol sends.
	max_message: usize,
}

struct Early {
	first: Instant,
	messages: Vec<(PeerId, WireMessage)>,
}

/// What one peer has buffered.
#[derive(Default)]
struct Quota {
	/// Messages per session.
	sessions: HashMap<SessionId, usize>,
	bytes: usize,
}

#[derive(Default)]
struct State {
	routes: HashMap<SessionId, Route>,
	early: HashMap<SessionId, Early>,
	quotas: HashMap<PeerId, Quota>,
	finished: HashSet<SessionId>,
	finished_order: VecDeque<SessionId>,
}

/// Hands each received message to its session, or keeps it until the session opens.
pub struct Router {
	limits: BufferLimits,
	state: Mutex<State>,
}

impl Router {
	/// A router with the given buffer limits.
	pub fn new(limits: BufferLimits) -> Router {
		Router { limits, state: Mutex::new(State::default()) }
	}

	/// Opens a session: returns the engine's link and the receiver of what it sends.
	/// Messages over `max_message` bytes are refused.
	pub fn open(
		&self,
		id: SessionId,
		parties: Vec<PeerId>,
		me: PartyIndex,
		max_message: usize,
	) -> (SessionLink, mpsc::UnboundedReceiver<Outbound>) {
		let (in_tx, in_rx) = mpsc::channel(super::SESSION_QUEUE);
		let (out_tx, out_rx) = mpsc::unbounded();
		let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
		let seen = vec![HashSet::new(); parties.len()];
		let queued_bytes = Arc::new(AtomicUsize::new(0));
		let mut route =
			Route { parties, me, tx: in_tx, seen, queued_bytes: queued_bytes.clone(), max_message };
		if let Some(early) = state.early.remove(&id) {
			release(&mut state.quotas, &id, &early);
			for (from, msg) in early.messages {
				let _ = deliver_to(&mut route, from, msg);
			}
		}
		state.finished.remove(&id);
		state.routes.insert(id, route);
		let incoming = SessionInbox::new(in_rx, queued_bytes);
		(SessionLink { incoming, outgoing: out_tx }, out_rx)
	}

	/// Opens a session whose outbound messages are numbered and handed to `send` (one call
	/// per recipient) by a spawned task: what every [`super::Network`] does on `open`.
	pub fn open_forwarding(
		&self,
		id: SessionId,
		parties: Vec<PeerId>,
		me: PartyIndex,
		max_message: usize,
		send: impl FnMut(PeerId, WireMessage) + Send + 'static,
	) -> SessionLink {
		let (link, outbound) = self.open(id, parties.clone(), me, max_message);
		tokio::spawn(super::forward_outbound(id, parties, me, outbound, send));
		link
	}

	/// The peers of an open session, with this signer's index.
	pub fn parties(&self, id: &SessionId) -> Option<(Vec<PeerId>, PartyIndex)> {
		let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
		state.routes.get(id).map(|r| (r.parties.clone(), r.me))
	}

	/// Ends a session: later messages for it are refused.
	pub fn close(&self, id: &SessionId) {
		let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
		close_locked(&mut state, id);
	}

	/// Routes `msg` from the authenticated peer `from`.
	pub fn deliver(&self, from: PeerId, msg: WireMessage) -> Ack {
		let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
		if let Some(route) = state.routes.get_mut(&msg.session) {
			if route.tx.is_closed() {
				let id = msg.session;
				close_locked(&mut state, &id);
				return Ack::Refused;
			}
			return deliver_to(route, from, msg);
		}
		if state.finished.contains(&msg.session) {
			return Ack::Refused;
		}
		self.expire_locked(&mut state);
		let limits = self.limits;
		let len = msg.payload.len();
		let quota = state.quotas.entry(from).or_default();
		let in_session = quota.sessions.get(&msg.session).copied().unwrap_or(0);
		if quota.bytes + len > limits.bytes
			|| in_session >= limits.per_session
			|| (in_session == 0 && quota.sessions.len() >= limits.sessions)
		{
			return Ack::RetryLater;
		}
		*quota.sessions.entry(msg.session).or_default() += 1;
		quota.bytes += len;
		state
			.early
			.entry(msg.session)
			.or_insert_with(|| Early { first: Instant::now(), messages: Vec::new() })
			.messages
			.push((from, msg));
		Ack::Buffered
	}

	/// Number of sessions with buffered early messages (for metrics and tests).
	pub fn buffered_sessions(&self) -> usize {
		self.state.lock().unwrap_or_else(|e| e.into_inner()).early.len()
	}

	fn expire_locked(&self, state: &mut State) {
		let ttl = self.limits.ttl;
		let expired: Vec<SessionId> = state
			.early
			.iter()
			.filter(|(_, e)| e.first.elapsed() > ttl)
			.map(|(id, _)| *id)
			.collect();
		for id in expired {
			if let Some(e) = state.early.remove(&id) {
				release(&mut state.quotas, &id, &e);
			}
		}
	}
}

/// Gives back the quota that `early` (the buffer of session `id`) used.
fn release(quotas: &mut HashMap<PeerId, Quota>, id: &SessionId, early: &Early) {
	for (from, msg) in &early.messages {
		if let Some(q) = quotas.get_mut(from) {
			q.bytes -= msg.payload.len();
			q.sessions.remove(id);
			if q.sessions.is_empty() {
				quotas.remove(from);
			}
		}
	}
}

fn close_locked(state: &mut State, id: &SessionId) {
	state.routes.remove(id);
	if state.finished.insert(*id) {
		state.finished_order.push_back(*id);
		if state.finished_order.len() > REMEMBERED_FINISHED {
			if let Some(old) = state.finished_order.pop_front() {
				state.finished.remove(&old);
			}
		}
	}
}

/// Delivers `msg` to an open session once: a message number already delivered from the same
/// sender is acknowledged as [`Ack::Duplicate`] and dropped, so retransmissions are safe.
fn deliver_to(route: &mut Route, from: PeerId, msg: WireMessage) -> Ack {
	let Some(index) = route.parties.iter().position(|p| *p == from) else {
		return Ack::Refused;
	};
	if index == route.me as usize {
		return Ack::Refused;
	}
	let seen = &mut route.seen[index];
	if seen.contains(&msg.seq) {
		return Ack::Duplicate;
	}
	if seen.len() >= MAX_SEEN_PER_SENDER {
		return Ack::Refused;
	}
	let len = msg.payload.len();
	if len > route.max_message {
		return Ack::Refused;
	}
	if route.queued_bytes.load(Ordering::Relaxed) + len > SESSION_QUEUE_BYTES {
		return Ack::RetryLater;
	}
	let seq = msg.seq;
	let inbound =
		Inbound { from: index as PartyIndex, broadcast: msg.broadcast, payload: msg.payload };
	// The route's own sender (not a clone: every clone of a bounded sender adds a slot).
	match route.tx.try_send(inbound) {
		Ok(()) => {
			seen.insert(seq);
			route.queued_bytes.fetch_add(len, Ordering::Relaxed);
			Ack::Delivered
		},
		Err(e) if e.is_full() => Ack::RetryLater,
		Err(_) => Ack::Refused,
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use futures::StreamExt;

	/// No protocol cap (the router's own limits only).
	const ANY: usize = usize::MAX;

	fn msg(session: u8, payload: &[u8]) -> WireMessage {
		numbered(session, 0, payload)
	}

	fn numbered(session: u8, seq: u64, payload: &[u8]) -> WireMessage {
		WireMessage { session: [session; 32], seq, broadcast: false, payload: payload.to_vec() }
	}

	#[test]
	fn retransmissions_are_delivered_once() {
		let router = Router::new(BufferLimits::default());
		let (a, b) = (PeerId::random(), PeerId::random());
		// A message buffered early, then retransmitted after the session opened.
		assert_eq!(router.deliver(b, numbered(1, 0, b"r1")), Ack::Buffered);
		let (mut link, _out) = router.open([1; 32], vec![a, b], 0, ANY);
		assert_eq!(router.deliver(b, numbered(1, 0, b"r1")), Ack::Duplicate);
		assert_eq!(router.deliver(b, numbered(1, 1, b"r2")), Ack::Delivered);
		assert_eq!(router.deliver(b, numbered(1, 1, b"r2")), Ack::Duplicate);
		let got: Vec<Vec<u8>> =
			std::iter::from_fn(|| link.incoming.try_recv().map(|m| m.payload)).collect();
		assert_eq!(got, vec![b"r1".to_vec(), b"r2".to_vec()], "each message exactly once");
	}

	#[test]
	fn messages_over_the_protocols_cap_are_refused() {
		let router = Router::new(BufferLimits::default());
		let (a, b) = (PeerId::random(), PeerId::random());
		// Buffered before the session opens (its protocol is not known yet), then dropped.
		assert_eq!(router.deliver(b, numbered(7, 0, &[1; 101])), Ack::Buffered);
		let (mut link, _out) = router.open([7; 32], vec![a, b], 0, 100);
		assert!(link.incoming.try_recv().is_none(), "the early oversized message was dropped");
		assert_eq!(router.deliver(b, numbered(7, 1, &[1; 101])), Ack::Refused);
		assert_eq!(router.deliver(b, numbered(7, 2, &[1; 100])), Ack::Delivered);
	}

	#[test]
	fn a_session_queue_is_bounded_in_bytes() {
		let router = Router::new(BufferLimits::default());
		let (a, b) = (PeerId::random(), PeerId::random());
		let (mut link, _out) = router.open([8; 32], vec![a, b], 0, ANY);
		let big = vec![0u8; 8 * 1024 * 1024];
		let fits = SESSION_QUEUE_BYTES / big.len();
		for seq in 0..fits as u64 {
			assert_eq!(router.deliver(b, numbered(8, seq, &big)), Ack::Delivered);
		}
		assert_eq!(router.deliver(b, numbered(8, 99, &big)), Ack::RetryLater, "byte budget");
		assert!(link.incoming.try_recv().is_some());
		assert_eq!(router.deliver(b, numbered(8, 99, &big)), Ack::Delivered, "room again");
	}

	#[test]
	fn a_full_queue_asks_for_a_retry_and_takes_it_later() {
		let router = Router::new(BufferLimits::default());
		let (a, b) = (PeerId::random(), PeerId::random());
		let (mut link, _out) = router.open([9; 32], vec![a, b], 0, ANY);
		let mut seq = 0;
		while router.deliver(b, numbered(9, seq, b"x")) == Ack::Delivered {
			seq += 1;
		}
		let cap = crate::transport::SESSION_QUEUE;
		assert!((cap..=cap + 1).contains(&(seq as usize)), "bounded at the queue size: {seq}");
		assert_eq!(router.deliver(b, numbered(9, seq, b"x")), Ack::RetryLater);
		let _ = link.incoming.try_recv();
		assert_eq!(router.deliver(b, numbered(9, seq, b"x")), Ack::Delivered, "retry taken");
	}

	#[test]
	fn early_messages_are_delivered_when_the_session_opens() {
		let router = Router::new(BufferLimits::default());
		let (a, b) = (PeerId::random(), PeerId::random());
		assert_eq!(router.deliver(b, msg(1, b"early")), Ack::Buffered);
		let (mut link, _out) = router.open([1; 32], vec![a, b], 0, ANY);
		let got = futures::executor::block_on(link.incoming.next()).unwrap();
		assert_eq!(got, Inbound { from: 1, broadcast: false, payload: b"early".to_vec() });
		assert_eq!(router.deliver(b, numbered(1, 1, b"late")), Ack::Delivered);
		assert_eq!(router.buffered_sessions(), 0);
	}

	#[test]
	fn strangers_and_self_are_refused() {
		let router = Router::new(BufferLimits::default());
		let (a, b, stranger) = (PeerId::random(), PeerId::random(), PeerId::random());
		let (_link, _out) = router.open([2; 32], vec![a, b], 0, ANY);
		assert_eq!(router.deliver(stranger, msg(2, b"x")), Ack::Refused);
		assert_eq!(router.deliver(a, msg(2, b"x")), Ack::Refused);
		// An early message from a stranger is dropped when the session opens.
		assert_eq!(router.deliver(stranger, msg(3, b"x")), Ack::Buffered);
		let (mut link, _out) = router.open([3; 32], vec![a, b], 0, ANY);
		assert!(link.incoming.try_recv().is_none(), "nothing delivered");
	}

	#[test]
	fn buffers_are_bounded_per_peer_and_closed_sessions_refuse() {
		let limits =
			BufferLimits { per_session: 2, sessions: 1, bytes: 10, ttl: Duration::from_secs(60) };
		let router = Router::new(limits);
		let (p, honest) = (PeerId::random(), PeerId::random());
		assert_eq!(router.deliver(p, msg(1, b"1234")), Ack::Buffered);
		assert_eq!(router.deliver(p, msg(1, b"1234")), Ack::Buffered);
		assert_eq!(router.deliver(p, msg(1, b"1")), Ack::RetryLater, "per-session cap");
		assert_eq!(router.deliver(p, msg(2, b"1")), Ack::RetryLater, "session cap");
		// The flooder's full quota does not stop another peer's early message.
		assert_eq!(router.deliver(honest, msg(2, b"ok")), Ack::Buffered);
		let (link, _out) = router.open([1; 32], vec![p, PeerId::random()], 1, ANY);
		drop(link);
		// Opening session 1 gave the flooder's quota back.
		assert_eq!(router.deliver(p, msg(3, b"1")), Ack::Buffered);
		assert_eq!(router.deliver(p, msg(1, b"1")), Ack::Refused, "closed session");
		assert_eq!(router.deliver(p, msg(1, b"1")), Ack::Refused, "remembered as finished");
		assert_eq!(router.deliver(honest, msg(4, b"12345678901")), Ack::RetryLater, "byte cap");
	}

	#[test]
	fn expired_early_messages_are_dropped() {
		let limits = BufferLimits { ttl: Duration::from_millis(0), ..BufferLimits::default() };
		let router = Router::new(limits);
		let p = PeerId::random();
		assert_eq!(router.deliver(p, msg(1, b"old")), Ack::Buffered);
		std::thread::sleep(Duration::from_millis(5));
		assert_eq!(router.deliver(p, msg(2, b"new")), Ack::Buffered);
		assert_eq!(router.buffered_sessions(), 1);
	}
}
