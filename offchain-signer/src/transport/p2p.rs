//! The libp2p [`Network`]: TCP, Noise (authenticated and encrypted with each signer's
//! ed25519 identity key), yamux, and a request-response protocol carrying one
//! [`WireMessage`] per request. Only peers whose identity keys are registered on-chain are
//! allowed: others are disconnected and their messages refused. Failed sends are retried
//! while their session is open, so a peer that restarts still gets them.

use super::{
	codec::{WireCodec, PROTOCOL},
	fan_out,
	router::{BufferLimits, Router},
	Ack, Network, PartyIndex, PeerId, SessionId, SessionLink, WireMessage,
};
use futures::StreamExt;
use libp2p::{
	identity::Keypair,
	noise,
	request_response::{self, OutboundRequestId, ProtocolSupport},
	swarm::{
		dial_opts::{DialOpts, PeerCondition},
		DialError, SwarmEvent,
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
}

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

type Behaviour = request_response::Behaviour<WireCodec>;

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
			.with_behaviour(|_| {
				Behaviour::with_codec(
					codec,
					[(PROTOCOL, ProtocolSupport::Full)],
					request_response::Config::default()
						.with_request_timeout(Duration::from_secs(30))
						.with_max_concurrent_streams(1024),
				)
			})?
			.with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(300)))
			.build();
		swarm.listen_on(config.listen.clone())?;
		let router = Arc::new(Router::new(config.buffer));
		let (tx, rx) = mpsc::unbounded_channel();
		tokio::spawn(run_swarm(swarm, rx, router.clone()));
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
	fn open(&self, id: SessionId, parties: Vec<PeerId>, me: PartyIndex) -> SessionLink {
		let (link, mut outbound) = self.router.open(id, parties.clone(), me);
		let commands = self.commands.clone();
		tokio::spawn(async move {
			while let Some(out) = outbound.next().await {
				for (peer, msg) in fan_out(id, &parties, me, out) {
					let _ = commands.send(Command::Send { peer, msg });
				}
			}
		});
		link
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
			let id = swarm.behaviour_mut().send_request(&pending.peer, pending.msg.clone());
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
) {
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
					allowed = peers.keys().copied().collect();
					out.addresses = peers;
					let strangers: Vec<PeerId> =
						swarm.connected_peers().filter(|p| !allowed.contains(p)).copied().collect();
					for peer in strangers {
						let _ = swarm.disconnect_peer_id(peer);
					}
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
					if allowed.contains(&peer_id) {
						out.connected(&mut swarm, peer_id);
					} else {
						tracing::warn!(target: "waas::p2p", %peer_id, "disconnecting a peer not registered on-chain");
						let _ = swarm.disconnect_peer_id(peer_id);
					}
				},
				SwarmEvent::OutgoingConnectionError { peer_id: Some(peer), error, .. }
					if !swarm.is_connected(&peer) =>
				{
					out.fail(peer, &error.to_string());
				},
				SwarmEvent::Behaviour(request_response::Event::Message { peer, message }) => match message {
					request_response::Message::Request { request, channel, .. } => {
						let ack = if allowed.contains(&peer) {
							router.deliver(peer, request)
						} else {
							tracing::warn!(target: "waas::p2p", %peer, "message from a peer not registered on-chain");
							Ack::Refused
						};
						let _ = swarm.behaviour_mut().send_response(channel, ack);
					},
					request_response::Message::Response { request_id, response } => {
						out.in_flight.remove(&request_id);
						if response == Ack::Refused {
							tracing::debug!(target: "waas::p2p", %peer, "message refused");
						}
					},
				},
				SwarmEvent::Behaviour(request_response::Event::OutboundFailure { request_id, error, .. }) => {
					if let Some(pending) = out.in_flight.remove(&request_id) {
						out.retry(pending, &error.to_string());
					}
				},
				SwarmEvent::Behaviour(request_response::Event::InboundFailure { peer, error, .. }) => {
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

	#[test]
	fn peer_ids_come_from_registered_keys() {
		let kp = libp2p::identity::ed25519::Keypair::generate();
		let expected = libp2p::identity::PublicKey::from(kp.public()).to_peer_id();
		assert_eq!(peer_id_of(&kp.public().to_bytes()), Some(expected));
	}
}
