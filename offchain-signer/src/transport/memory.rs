//! An in-process [`Network`]: endpoints exchange messages through a shared hub. For tests
//! and benchmarks of the protocol engine without sockets; routing is the real [`Router`].

use super::{
	router::{BufferLimits, Router},
	Ack, Network, PartyIndex, PeerId, SessionId, SessionLink, WireMessage,
};
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc, Mutex,
	},
};

/// Rewrites the messages one endpoint sends (see [`MemoryHub::tamper`]).
type Tamper = Arc<dyn Fn(&mut WireMessage) + Send + Sync>;

/// Connects the in-process endpoints.
#[derive(Clone, Default)]
pub struct MemoryHub {
	routers: Arc<Mutex<HashMap<PeerId, Arc<Router>>>>,
	largest: Arc<AtomicUsize>,
	tampers: Arc<Mutex<HashMap<PeerId, Tamper>>>,
}

impl MemoryHub {
	/// An empty hub.
	pub fn new() -> MemoryHub {
		MemoryHub::default()
	}

	/// A new endpoint with a random identity.
	pub fn endpoint(&self) -> MemoryNetwork {
		let id = PeerId::random();
		let router = Arc::new(Router::new(BufferLimits::default()));
		self.routers.lock().unwrap_or_else(|e| e.into_inner()).insert(id, router.clone());
		MemoryNetwork { id, router, hub: self.clone() }
	}

	/// The largest payload delivered so far, in bytes.
	pub fn largest_payload(&self) -> usize {
		self.largest.load(Ordering::Relaxed)
	}

	/// Makes endpoint `from` misbehave: every message it sends from now on passes through
	/// `rewrite` first, as if its own software had produced the result (it still arrives
	/// under `from`'s identity). For tests of how the others detect and blame it.
	pub fn tamper(&self, from: PeerId, rewrite: impl Fn(&mut WireMessage) + Send + Sync + 'static) {
		self.tampers.lock().unwrap_or_else(|e| e.into_inner()).insert(from, Arc::new(rewrite));
	}

	/// Delivers `msg` from `from` to `to`, as a transport would after authentication.
	pub fn deliver(&self, from: PeerId, to: PeerId, mut msg: WireMessage) -> Ack {
		let tamper = self.tampers.lock().unwrap_or_else(|e| e.into_inner()).get(&from).cloned();
		if let Some(rewrite) = tamper {
			rewrite(&mut msg);
		}
		self.largest.fetch_max(msg.payload.len(), Ordering::Relaxed);
		let router = self.routers.lock().unwrap_or_else(|e| e.into_inner()).get(&to).cloned();
		router.map(|r| r.deliver(from, msg)).unwrap_or(Ack::Refused)
	}
}

/// One endpoint of a [`MemoryHub`].
#[derive(Clone)]
pub struct MemoryNetwork {
	id: PeerId,
	router: Arc<Router>,
	hub: MemoryHub,
}

impl MemoryNetwork {
	/// This endpoint's identity.
	pub fn peer_id(&self) -> PeerId {
		self.id
	}
}

impl Network for MemoryNetwork {
	fn open(
		&self,
		id: SessionId,
		parties: Vec<PeerId>,
		me: PartyIndex,
		max_message: usize,
	) -> SessionLink {
		let (hub, from) = (self.hub.clone(), self.id);
		self.router.open_forwarding(id, parties, me, max_message, move |peer, msg| {
			hub.deliver(from, peer, msg);
		})
	}

	fn close(&self, id: &SessionId) {
		self.router.close(id);
	}
}
