//! The libp2p [`Network`]: TCP (and DNS names), Noise (authenticated and encrypted with each
//! signer's ed25519 identity key), yamux, and a request-response protocol carrying one
//! [`WireMessage`] per request.
//!
//! Only peers whose identity keys are registered on-chain get a connection: an allow list
//! refuses every other peer as soon as its Noise identity is known, before any stream is
//! opened, and connection limits bound pending handshakes and connections per peer.
//! Failed sends, and sends the receiver asked to retry ([`Ack::RetryLater`]), are retried
//! while their session is open; message numbers make the retries safe (the receiver delivers
//! each message once).

use super::{
	codec::{WireCodec, PROTOCOL},
	router::{BufferLimits, Router},
	Ack, Network, PartyIndex, PeerId, SessionId, SessionLink, WireMessage,
};
use crate::metrics::Metrics;
use futures::StreamExt;
use libp2p::{
	allow_block_list::{self, AllowedPeers},
	connection_limits::{self, ConnectionLimits},
	identity::Keypair,
	noise,
	request_response::{self, OutboundRequestId, ProtocolSupport},
	swarm::{
		dial_opts::{DialOpts, PeerCondition},
		DialError, NetworkBehaviour, SwarmEvent,
	},
	tcp, yamux, Multiaddr, Swarm,
};
use std::{
	collections::{HashMap, HashSet},
	sync::Arc,
	time::{Duration, Instant},
};
use tokio::sync::mpsc;

/// Settings of the p2p transport.
#[derive(Clone, Debug)]
pub struct P2pConfig {
	/// Where to listen, e.g. `/ip4/127.0.0.1/tcp/30500`.
	pub listen: Multiaddr,
	/// Largest encoded message sent or accepted.
	pub max_message_bytes: u64,
	/// Limits on messages kept for sessions not yet started.
	pub buffer: BufferLimits,
	/// Where to count messages and peers, if anywhere.
	pub metrics: Option<Metrics>,
}

/// Incoming connections still in their handshake, at most.
const MAX_PENDING_INCOMING: u32 = 32;
/// Established connections per peer, at most (one each way during a simultaneous dial).
const MAX_CONNECTIONS_PER_PEER: u32 = 2;
/// Established connections in total, at most (committees have at most 16 members).
const MAX_CONNECTIONS: u32 = 128;
/// Concurrent inbound message streams per connection, at most.
const MAX_STREAMS_PER_CONNECTION: usize = 32;

/// How often a failed send is retried, and for how long.
const RETRY_EVERY: Duration = Duration::from_millis(500);
const RETRY_FOR: Duration = Duration::from_secs(90);

enum Command {
	Send { peer: PeerId, msg: WireMessage },
	SetPeers(HashMap<PeerId, Multiaddr>),
}

/// A running libp2p endpoint; cheap to clone.
#[derive(Clone)]
pub struct P2pNetwork {
	peer_id: PeerId,
	router: Arc<Router>,
	commands: mpsc::UnboundedSender<Command>,
}

/// The composed libp2p behaviour: the allow list and connection limits act before the
/// message protocol ever sees a connection.
#[derive(NetworkBehaviour)]
#[behaviour(prelude = "libp2p::swarm::derive_prelude")]
struct Behaviour {
	allowed: allow_block_list::Behaviour<AllowedPeers>,
	limits: connection_limits::Behaviour,
	messages: request_response::Behaviour<WireCodec>,
}

impl P2pNetwork {
	/// Starts listening on `config.listen` with identity `keypair`; runs until the process
	/// ends (or every handle is dropped).
	pub fn start(keypair: Keypair, config: P2pConfig) -> anyhow::Result<P2pNetwork> {
		let peer_id = keypair.public().to_peer_id();
		let codec = WireCodec { max_message_bytes: config.max_message_bytes };
		let mut swarm = libp2p::SwarmBuilder::with_existing_identity(keypair)
			.with_tokio()
			.with_tcp(
				tcp::Config::default().nodelay(true),
				noise::Config::new,
				yamux::Config::default,
			)?
			.with_dns()?
			.with_behaviour(|_| Behaviour {
				allowed: allow_block_list::Behaviour::default(),
				limits: connection_limits::Behaviour::new(
					ConnectionLimits::default()
						.with_max_pending_incoming(Some(MAX_PENDING_INCOMING))
						.with_max_established_per_peer(Some(MAX_CONNECTIONS_PER_PEER))
						.with_max_established(Some(MAX_CONNECTIONS)),
				),
				messages: request_response::Behaviour::with_codec(
					codec,
					[(PROTOCOL, ProtocolSupport::Full)],
					request_response::Config::default()
						.with_request_timeout(Duration::from_secs(30))
						.with_max_concurrent_streams(MAX_STREAMS_PER_CONNECTION),
				),
			})?
			.with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(300)))
			.build();
		swarm.listen_on(config.listen.clone())?;
		let router = Arc::new(Router::new(config.buffer));
		let (tx, rx) = mpsc::unbounded_channel();
		tokio::spawn(run_swarm(swarm, rx, router.clone(), config.metrics));
		tracing::info!(target: "waas::p2p", %peer_id, listen = %config.listen, "p2p transport started");
		Ok(P2pNetwork { peer_id, router, commands: tx })
	}

	/// This endpoint's identity.
	pub fn peer_id(&self) -> PeerId {
		self.peer_id
	}

	/// Sets the peers allowed to talk to this signer and where to reach them (from the
	/// on-chain signer registry). Everyone else is refused.
	pub fn set_peers(&self, peers: HashMap<PeerId, Multiaddr>) {
		let _ = self.commands.send(Command::SetPeers(peers));
	}

	/// Sends one raw message to `peer`, outside any session (for tests of misbehaving peers).
	pub fn send_raw(&self, peer: PeerId, msg: WireMessage) {
		let _ = self.commands.send(Command::Send { peer, msg });
	}
}

impl Network for P2pNetwork {
	fn open(
		&self,
		id: SessionId,
		parties: Vec<PeerId>,
		me: PartyIndex,
		max_message: usize,
	) -> SessionLink {
		let commands = self.commands.clone();
		self.router.open_forwarding(id, parties, me, max_message, move |peer, msg| {
			let _ = commands.send(Command::Send { peer, msg });
		})
	}

	fn close(&self, id: &SessionId) {
		self.router.close(id);
	}
}

struct Pending {
	peer: PeerId,
	msg: WireMessage,
	since: Instant,
}

/// Outgoing messages: sent on an existing connection, or held while this side dials.
///
/// Dials always use a fresh local port. With the default (reusing the listen port), two
/// signers that start a session at the same instant dial each other from and to the same
/// ports; TCP's simultaneous open then yields one connection on which both sides act as the
/// dialer, and the Noise handshake never completes.
struct Outbox {
	addresses: HashMap<PeerId, Multiaddr>,
	in_flight: HashMap<OutboundRequestId, Pending>,
	waiting: HashMap<PeerId, Vec<Pending>>,
	retries: Vec<(Instant, Pending)>,
}

impl Outbox {
	fn send(&mut self, swarm: &mut Swarm<Behaviour>, pending: Pending) {
		if swarm.is_connected(&pending.peer) {
			let id =
				swarm.behaviour_mut().messages.send_request(&pending.peer, pending.msg.clone());
			self.in_flight.insert(id, pending);
			return;
		}
		let peer = pending.peer;
		let first = !self.waiting.contains_key(&peer);
		self.waiting.entry(peer).or_default().push(pending);
		if first {
			let Some(addr) = self.addresses.get(&peer).cloned() else {
				self.fail(peer, "no known address");
				return;
			};
			let opts = DialOpts::peer_id(peer)
				.addresses(vec![addr])
				.condition(PeerCondition::DisconnectedAndNotDialing)
				.allocate_new_port()
				.build();
			if let Err(e) = swarm.dial(opts) {
				if !matches!(e, DialError::DialPeerConditionFalse(_)) {
					self.fail(peer, &e.to_string());
				}
			}
		}
	}

	/// The connection to `peer` is up: send what waited for it.
	fn connected(&mut self, swarm: &mut Swarm<Behaviour>, peer: PeerId) {
		for pending in self.waiting.remove(&peer).unwrap_or_default() {
			self.send(swarm, pending);
		}
	}

	/// Sending to `peer` failed: retry what waited for it, while within `RETRY_FOR`.
	fn fail(&mut self, peer: PeerId, error: &str) {
		for pending in self.waiting.remove(&peer).unwrap_or_default() {
			self.retry(pending, error);
		}
	}

	fn retry(&mut self, pending: Pending, error: &str) {
		if pending.since.elapsed() < RETRY_FOR {
			tracing::debug!(target: "waas::p2p", peer = %pending.peer, error, "send failed; will retry");
			self.retries.push((Instant::now() + RETRY_EVERY, pending));
		} else {
			tracing::warn!(target: "waas::p2p", peer = %pending.peer, error, "send failed; giving up");
		}
	}
}

async fn run_swarm(
	mut swarm: Swarm<Behaviour>,
	mut commands: mpsc::UnboundedReceiver<Command>,
	router: Arc<Router>,
	metrics: Option<Metrics>,
) {
	let count = |direction: &str, outcome: &str| {
		if let Some(m) = &metrics {
			m.messages.with_label_values(&[direction, outcome]).inc();
		}
	};
	let mut allowed: HashSet<PeerId> = HashSet::new();
	let mut out = Outbox {
		addresses: HashMap::new(),
		in_flight: HashMap::new(),
		waiting: HashMap::new(),
		retries: Vec::new(),
	};
	let mut tick = tokio::time::interval(RETRY_EVERY);
	loop {
		tokio::select! {
			command = commands.recv() => match command {
				None => return,
				Some(Command::Send { peer, msg }) => {
					out.send(&mut swarm, Pending { peer, msg, since: Instant::now() });
				},
				Some(Command::SetPeers(peers)) => {
					let now: HashSet<PeerId> = peers.keys().copied().collect();
					// Disallowing a peer also closes its connections.
					for gone in allowed.difference(&now) {
						swarm.behaviour_mut().allowed.disallow_peer(*gone);
					}
					for new in now.difference(&allowed) {
						swarm.behaviour_mut().allowed.allow_peer(*new);
					}
					allowed = now;
					out.addresses = peers;
				},
			},
			_ = tick.tick() => {
				let now = Instant::now();
				let (due, later): (Vec<_>, Vec<_>) = out.retries.drain(..).partition(|(at, _)| *at <= now);
				out.retries = later;
				for (_, pending) in due {
					if router.parties(&pending.msg.session).is_some() {
						out.send(&mut swarm, pending);
					}
				}
			},
			event = swarm.select_next_some() => match event {
				SwarmEvent::ConnectionEstablished { peer_id, .. } => {
					out.connected(&mut swarm, peer_id);
					if let Some(m) = &metrics {
						m.connected_peers.set(swarm.connected_peers().count() as i64);
					}
				},
				SwarmEvent::ConnectionClosed { .. } => {
					if let Some(m) = &metrics {
						m.connected_peers.set(swarm.connected_peers().count() as i64);
					}
				},
				SwarmEvent::IncomingConnectionError { send_back_addr, error, .. } => {
					tracing::debug!(target: "waas::p2p", %send_back_addr, %error, "incoming connection refused");
				},
				SwarmEvent::OutgoingConnectionError { peer_id: Some(peer), error, .. }
					if !swarm.is_connected(&peer) =>
				{
					out.fail(peer, &error.to_string());
				},
				SwarmEvent::Behaviour(BehaviourEvent::Messages(request_response::Event::Message { peer, message })) => match message {
					request_response::Message::Request { request, channel, .. } => {
						let ack = if allowed.contains(&peer) {
							router.deliver(peer, request)
						} else {
							tracing::warn!(target: "waas::p2p", %peer, "message from a peer not registered on-chain");
							Ack::Refused
						};
						count("in", ack.label());
						let _ = swarm.behaviour_mut().messages.send_response(channel, ack);
						if let Some(m) = &metrics {
							m.buffered_sessions.set(router.buffered_sessions() as i64);
						}
					},
					request_response::Message::Response { request_id, response } => {
						if let Some(pending) = out.in_flight.remove(&request_id) {
							if response.retry() {
								out.retry(pending, "the receiver asked for a retry");
							} else {
								count("out", response.label());
							}
						}
					},
				},
				SwarmEvent::Behaviour(BehaviourEvent::Messages(request_response::Event::OutboundFailure { request_id, error, .. })) => {
					if let Some(pending) = out.in_flight.remove(&request_id) {
						count("out", "failed");
						out.retry(pending, &error.to_string());
					}
				},
				SwarmEvent::Behaviour(BehaviourEvent::Messages(request_response::Event::InboundFailure { peer, error, .. })) => {
					tracing::debug!(target: "waas::p2p", %peer, %error, "inbound message failed");
				},
				SwarmEvent::NewListenAddr { address, .. } => {
					tracing::info!(target: "waas::p2p", %address, "listening");
				},
				_ => {},
			},
		}
	}
}

/// Parses a registered signer address: a multiaddr (`/ip4/…/tcp/…`) or `host:port`.
pub fn parse_address(address: &str) -> Option<Multiaddr> {
	if address.starts_with('/') {
		return address.parse().ok();
	}
	let (host, port) = address.rsplit_once(':')?;
	let port: u16 = port.parse().ok()?;
	let proto = match host.parse::<std::net::IpAddr>() {
		Ok(std::net::IpAddr::V4(_)) => "ip4",
		Ok(std::net::IpAddr::V6(_)) => "ip6",
		Err(_) => "dns",
	};
	format!("/{proto}/{host}/tcp/{port}").parse().ok()
}

/// The libp2p identity of a signer from its registered ed25519 public key.
pub fn peer_id_of(p2p_key: &[u8; 32]) -> Option<PeerId> {
	let key = libp2p::identity::ed25519::PublicKey::try_from_bytes(p2p_key).ok()?;
	Some(libp2p::identity::PublicKey::from(key).to_peer_id())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn addresses_parse() {
		assert_eq!(
			parse_address("127.0.0.1:30500").unwrap().to_string(),
			"/ip4/127.0.0.1/tcp/30500"
		);
		assert_eq!(
			parse_address("signer.example:1").unwrap().to_string(),
			"/dns/signer.example/tcp/1"
		);
		assert!(parse_address("/ip4/10.0.0.1/tcp/5").is_some());
		assert!(parse_address("nonsense").is_none());
		assert!(parse_address("host:99999").is_none());
	}

	/// Two endpoints on loopback: `a` on a known port (with `metrics`), `b` on any port.
	fn two_endpoints(metrics: Option<Metrics>) -> (P2pNetwork, P2pNetwork, u16) {
		let port = {
			let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
			l.local_addr().unwrap().port()
		};
		let config = |listen: String, metrics| P2pConfig {
			listen: listen.parse().unwrap(),
			max_message_bytes: 1 << 20,
			buffer: BufferLimits::default(),
			metrics,
		};
		let a = P2pNetwork::start(
			Keypair::generate_ed25519(),
			config(format!("/ip4/127.0.0.1/tcp/{port}"), metrics),
		)
		.unwrap();
		let b = P2pNetwork::start(
			Keypair::generate_ed25519(),
			config("/ip4/127.0.0.1/tcp/0".into(), None),
		)
		.unwrap();
		(a, b, port)
	}

	/// Opens session `id` on both and has `b` send one message to `a`; what `a` received
	/// within `wait`.
	async fn b_sends_to_a(
		a: &P2pNetwork,
		b: &P2pNetwork,
		id: SessionId,
		wait: Duration,
	) -> Option<super::super::Inbound> {
		let parties = vec![a.peer_id(), b.peer_id()];
		let mut link_a = a.open(id, parties.clone(), 0, 1024);
		let link_b = b.open(id, parties, 1, 1024);
		let hello = super::super::Outbound { to: Some(0), payload: b"hi".to_vec() };
		link_b.outgoing.unbounded_send(hello).unwrap();
		tokio::time::timeout(wait, link_a.incoming.next()).await.ok().flatten()
	}

	#[tokio::test]
	async fn registered_host_names_are_dialed() {
		// b reaches a through a DNS name ("localhost"), as a registered `host:port` endpoint
		// becomes. The message must arrive.
		let (a, b, port) = two_endpoints(None);
		let a_by_name = parse_address(&format!("localhost:{port}")).unwrap();
		assert!(a_by_name.to_string().starts_with("/dns/localhost/"));
		a.set_peers(HashMap::from([(b.peer_id(), "/ip4/127.0.0.1/tcp/1".parse().unwrap())]));
		b.set_peers(HashMap::from([(a.peer_id(), a_by_name)]));
		let got = b_sends_to_a(&a, &b, [5; 32], Duration::from_secs(20)).await;
		let got = got.expect("delivered through the DNS address within 20 s");
		assert_eq!((got.payload.as_slice(), got.from), (&b"hi"[..], 1));
	}

	#[tokio::test]
	async fn unregistered_peers_get_no_connection() {
		// a registers nobody; b (a stranger to a) knows where a is and sends into a session
		// a has open with b as a party.
		let metrics = Metrics::new();
		let (a, b, port) = two_endpoints(Some(metrics.clone()));
		a.set_peers(HashMap::new());
		let a_addr = format!("/ip4/127.0.0.1/tcp/{port}").parse().unwrap();
		b.set_peers(HashMap::from([(a.peer_id(), a_addr)]));
		let got = b_sends_to_a(&a, &b, [6; 32], Duration::from_secs(3)).await;
		assert!(got.is_none(), "nothing from a stranger reaches a session");
		assert_eq!(metrics.connected_peers.get(), 0, "no connection was kept");
		let delivered = metrics.messages.with_label_values(&["in", "delivered"]).get();
		assert_eq!(delivered, 0, "no stream was served");
	}

	#[test]
	fn peer_ids_come_from_registered_keys() {
		let kp = libp2p::identity::ed25519::Keypair::generate();
		let expected = libp2p::identity::PublicKey::from(kp.public()).to_peer_id();
		assert_eq!(peer_id_of(&kp.public().to_bytes()), Some(expected));
	}
}
