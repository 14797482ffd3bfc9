//! Prometheus metrics and a health endpoint.
//!
//! [`Metrics`] holds every series the signer exports (sessions, latency, messages, queues,
//! prime pool, peers, node connection). [`serve`] answers `GET /metrics` (Prometheus text
//! format) and `GET /health` (200 when the node connection is up and a finalized block was
//! seen recently, 503 otherwise, with a JSON body saying why).

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, Response, StatusCode};
use prometheus::{
	Encoder, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry,
	TextEncoder,
};
use std::{
	net::SocketAddr,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc,
	},
	time::{Duration, SystemTime, UNIX_EPOCH},
};

/// A finalized block older than this makes `/health` report unhealthy.
pub const STALE_AFTER: Duration = Duration::from_secs(60);

/// Every metric the signer exports, registered in one [`Registry`]. Cloning is cheap (the
/// series are shared).
#[derive(Clone)]
pub struct Metrics {
	/// The registry `/metrics` encodes.
	pub registry: Registry,
	/// Sessions started, by kind (`keygen`, `aux`, `sign`).
	pub sessions_started: IntCounterVec,
	/// Sessions ended, by kind and outcome (`ok`, `timeout`, `protocol`, `input`, `expired`,
	/// `skipped`).
	pub sessions_finished: IntCounterVec,
	/// Wall time of a session, by kind.
	pub session_seconds: HistogramVec,
	/// From the block a request was first seen assigned to this signer to the block where it
	/// was seen signed, in blocks.
	pub request_latency_blocks: Histogram,
	/// The same interval in seconds (as this signer observed it).
	pub request_latency_seconds: Histogram,
	/// Protocol messages, by direction (`in`, `out`) and outcome (`delivered`, `buffered`,
	/// `duplicate`, `refused_later`, `refused_never`, `sent`, `failed`).
	pub messages: IntCounterVec,
	/// Extrinsics submitted, by kind (`report_keygen`, `submit_signature`) and outcome
	/// (`pooled`, `refused`, `error`).
	pub submissions: IntCounterVec,
	/// Questions asked about EVM chains for intents, by check (`deposit`, `fill`, `nonce`,
	/// `mined`) and outcome (`ok`, `error`, `not_a_fill`).
	pub intent_checks: IntCounterVec,
	/// Entries in the session log.
	pub session_log_entries: IntGauge,
	/// Entries of the session log anchored on-chain.
	pub session_log_anchored: IntGauge,
	/// Session log problems, by kind (`write`: an entry could not be written; `diverged`: the
	/// file no longer holds the anchored tree).
	pub session_log_errors: IntCounterVec,
	/// Faults this signer observed in protocol runs, by session kind and reason (the
	/// camelCase [`crate::engine::FaultReason`]), one per accused party.
	pub faults_observed: IntCounterVec,
	/// Sessions running now.
	pub sessions_running: IntGauge,
	/// Sessions waiting for a slot (admission control).
	pub sessions_waiting: IntGauge,
	/// Results computed but not yet seen on-chain (the durable outbox).
	pub outbox_items: IntGauge,
	/// Sessions with messages buffered before they opened.
	pub buffered_sessions: IntGauge,
	/// Entries in the safe-prime pool.
	pub prime_pool: IntGauge,
	/// Registered signers this signer may talk to.
	pub known_peers: IntGauge,
	/// Peers with an open connection.
	pub connected_peers: IntGauge,
	/// 1 while the node connection is up.
	pub node_connected: IntGauge,
	/// The newest finalized block this signer has processed.
	pub finalized_block: IntGauge,
	/// Unix time (ms) at which `finalized_block` was last updated; read by `/health`.
	last_block_at: Arc<AtomicU64>,
}

fn unix_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

impl Metrics {
	/// A fresh set of series, registered with prefix `waas_signer_`.
	pub fn new() -> Metrics {
		let registry = Registry::new_custom(Some("waas_signer".into()), None)
			.expect("a constant, valid prefix");
		let counter = |name: &str, help: &str, labels: &[&str]| {
			let c = IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric");
			registry.register(Box::new(c.clone())).expect("registered once");
			c
		};
		let gauge = |name: &str, help: &str| {
			let g = IntGauge::new(name, help).expect("valid metric");
			registry.register(Box::new(g.clone())).expect("registered once");
			g
		};
		let seconds = [0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0, 120.0, 300.0];
		let session_seconds = HistogramVec::new(
			HistogramOpts::new("session_duration_seconds", "Wall time of a protocol session")
				.buckets(seconds.to_vec()),
			&["kind"],
		)
		.expect("valid metric");
		registry.register(Box::new(session_seconds.clone())).expect("registered once");
		let histogram = |name: &str, help: &str, buckets: Vec<f64>| {
			let h =
				Histogram::with_opts(HistogramOpts::new(name, help).buckets(buckets)).expect("ok");
			registry.register(Box::new(h.clone())).expect("registered once");
			h
		};
		Metrics {
			sessions_started: counter(
				"sessions_started_total",
				"Protocol sessions started",
				&["kind"],
			),
			sessions_finished: counter(
				"sessions_finished_total",
				"Protocol sessions ended",
				&["kind", "outcome"],
			),
			session_seconds,
			request_latency_blocks: histogram(
				"request_latency_blocks",
				"Blocks from a request's assignment to its signature, as seen by this signer",
				vec![1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0, 64.0],
			),
			request_latency_seconds: histogram(
				"request_latency_seconds",
				"Seconds from a request's assignment to its signature, as seen by this signer",
				seconds.to_vec(),
			),
			messages: counter(
				"messages_total",
				"Protocol messages by direction and outcome",
				&["direction", "outcome"],
			),
			submissions: counter(
				"submissions_total",
				"Extrinsics submitted by kind and outcome",
				&["kind", "outcome"],
			),
			intent_checks: counter(
				"intent_checks_total",
				"Questions asked about EVM chains for intents, by check and outcome",
				&["check", "outcome"],
			),
			session_log_entries: gauge("session_log_entries", "Entries in the session log"),
			session_log_anchored: gauge(
				"session_log_anchored",
				"Entries of the session log anchored on-chain",
			),
			session_log_errors: counter(
				"session_log_errors_total",
				"Session log problems, by kind",
				&["kind"],
			),
			faults_observed: counter(
				"faults_observed_total",
				"Faults observed in protocol runs, per accused party, by session kind and reason",
				&["kind", "reason"],
			),
			sessions_running: gauge("sessions_running", "Sessions running now"),
			sessions_waiting: gauge("sessions_waiting", "Sessions waiting for a slot"),
			outbox_items: gauge("outbox_items", "Results not yet seen on-chain"),
			buffered_sessions: gauge(
				"buffered_sessions",
				"Sessions with messages buffered before they opened",
			),
			prime_pool: gauge("prime_pool_entries", "Entries in the safe-prime pool"),
			known_peers: gauge("known_peers", "Registered signers this signer may talk to"),
			connected_peers: gauge("connected_peers", "Peers with an open connection"),
			node_connected: gauge("node_connected", "1 while the node connection is up"),
			finalized_block: gauge("finalized_block", "Newest finalized block processed"),
			last_block_at: Arc::new(AtomicU64::new(0)),
			registry,
		}
	}

	/// Records that finalized block `number` was processed now.
	pub fn saw_block(&self, number: u64) {
		self.finalized_block.set(number as i64);
		self.last_block_at.store(unix_ms(), Ordering::Relaxed);
	}

	/// Whether the signer is healthy, and why not.
	pub fn health(&self) -> Result<(), &'static str> {
		if self.node_connected.get() != 1 {
			return Err("not connected to the node");
		}
		let last = self.last_block_at.load(Ordering::Relaxed);
		if last == 0 {
			return Err("no finalized block processed yet");
		}
		if unix_ms().saturating_sub(last) > STALE_AFTER.as_millis() as u64 {
			return Err("no finalized block processed for over a minute");
		}
		Ok(())
	}

	/// The registry in Prometheus text format.
	pub fn encode(&self) -> Vec<u8> {
		let mut out = Vec::new();
		// Encoding into a Vec cannot fail for well-formed families.
		let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
		out
	}
}

impl std::fmt::Debug for Metrics {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str("Metrics")
	}
}

impl Default for Metrics {
	fn default() -> Self {
		Metrics::new()
	}
}

fn respond(metrics: &Metrics, path: &str) -> Response<Full<Bytes>> {
	let (status, content_type, body) = match path {
		"/metrics" => (StatusCode::OK, "text/plain; version=0.0.4", metrics.encode()),
		"/health" => match metrics.health() {
			Ok(()) => (
				StatusCode::OK,
				"application/json",
				format!(
					r#"{{"healthy":true,"finalized_block":{}}}"#,
					metrics.finalized_block.get()
				)
				.into_bytes(),
			),
			Err(why) => (
				StatusCode::SERVICE_UNAVAILABLE,
				"application/json",
				format!(r#"{{"healthy":false,"reason":"{why}"}}"#).into_bytes(),
			),
		},
		_ => (StatusCode::NOT_FOUND, "text/plain", b"not found: try /metrics or /health".to_vec()),
	};
	let mut response = Response::new(Full::new(Bytes::from(body)));
	*response.status_mut() = status;
	if let Ok(value) = hyper::header::HeaderValue::from_str(content_type) {
		response.headers_mut().insert(hyper::header::CONTENT_TYPE, value);
	}
	response
}

/// Binds `addr` and serves `/metrics` and `/health` until the task is dropped. Returns the
/// bound address (useful with port 0).
pub async fn serve(
	addr: SocketAddr,
	metrics: Metrics,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
	let listener = tokio::net::TcpListener::bind(addr).await?;
	let bound = listener.local_addr()?;
	let task = tokio::spawn(async move {
		loop {
			let Ok((socket, _)) = listener.accept().await else { continue };
			let metrics = metrics.clone();
			tokio::spawn(async move {
				let service = hyper::service::service_fn(move |req: Request<_>| {
					let response = respond(&metrics, req.uri().path());
					async move { Ok::<_, std::convert::Infallible>(response) }
				});
				let conn = hyper::server::conn::http1::Builder::new()
					.timer(hyper_util::rt::TokioTimer::new())
					.header_read_timeout(Duration::from_secs(10))
					.serve_connection(hyper_util::rt::TokioIo::new(socket), service);
				let _ = tokio::time::timeout(Duration::from_secs(30), conn).await;
			});
		}
	});
	Ok((bound, task))
}

#[cfg(test)]
mod tests {
	use super::*;
	use tokio::io::{AsyncReadExt, AsyncWriteExt};

	async fn get(addr: SocketAddr, path: &str) -> String {
		let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
		s.write_all(
			format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
		)
		.await
		.unwrap();
		let mut out = String::new();
		s.read_to_string(&mut out).await.unwrap();
		out
	}

	#[tokio::test]
	async fn serves_metrics_and_health() {
		let metrics = Metrics::new();
		metrics.sessions_started.with_label_values(&["sign"]).inc();
		let (addr, task) = serve("127.0.0.1:0".parse().unwrap(), metrics.clone()).await.unwrap();

		let body = get(addr, "/metrics").await;
		assert!(body.starts_with("HTTP/1.1 200"), "{body}");
		assert!(body.contains("waas_signer_sessions_started_total{kind=\"sign\"} 1"), "{body}");

		let health = get(addr, "/health").await;
		assert!(health.starts_with("HTTP/1.1 503"), "{health}");
		assert!(health.contains("not connected"), "{health}");
		metrics.node_connected.set(1);
		assert!(get(addr, "/health").await.contains("no finalized block"));
		metrics.saw_block(7);
		let healthy = get(addr, "/health").await;
		assert!(healthy.starts_with("HTTP/1.1 200"), "{healthy}");
		assert!(healthy.contains("\"finalized_block\":7"), "{healthy}");

		assert!(get(addr, "/nope").await.starts_with("HTTP/1.1 404"));
		task.abort();
	}
}
