//! A local WaaS network of real processes: one `waas-node --dev` and `waas-signer` nodes
//! registered on-chain as committees, each committee key made by a real CGGMP21 DKG.
//! Used by the end-to-end tests, the benchmark and `waas-devnet` (the README's main job).
//!
//! Signers take their aux-info primes from the committed fixtures
//! (`offchain-signer/tests/fixtures/primes.json`), a distinct slice per signer, so nothing
//! here generates primes. Fixture primes are public: never use them outside a dev network.

use crate::{
	flows::sudo,
	waas::{
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_threshold_signers::pallet::Call as SignersCall,
		},
		threshold_signers::events as signer_events,
	},
	workspace_binary, Client, TestNode,
};
use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};
use subxt_signer::sr25519::{dev, Keypair};

/// The committed prime fixtures: `$WAAS_PRIMES_FIXTURE` (set by `scripts/env.sh`), else the
/// file in the source tree this was built from.
pub fn primes_fixture() -> PathBuf {
	std::env::var_os("WAAS_PRIMES_FIXTURE").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(concat!(
			env!("CARGO_MANIFEST_DIR"),
			"/../../offchain-signer/tests/fixtures/primes.json"
		))
	})
}
/// Fixture entries each of three signers imports (one per committee it will generate aux
/// info for); with more signers each gets an equal share of the fixtures.
pub const PRIMES_PER_SIGNER: usize = 2;
/// How long a DKG (with aux info) may take before `create_key` gives up.
pub const KEYGEN_TIMEOUT: Duration = Duration::from_secs(240);

/// Path of the `waas-signer` binary (`WAAS_SIGNER` overrides).
pub fn signer_binary() -> PathBuf {
	workspace_binary("waas-signer", "WAAS_SIGNER")
}

/// The dev accounts that act as signers, in committee order.
pub fn signer_accounts() -> Vec<(&'static str, Keypair)> {
	vec![("bob", dev::bob()), ("charlie", dev::charlie()), ("dave", dev::dave())]
}

/// The secret URIs of `n` signers: Bob, Charlie, Dave, then `//Signer4`, `//Signer5`, ...
/// (signers need no balance: their submissions are free).
pub fn signer_uris(n: usize) -> Vec<(String, String)> {
	(0..n)
		.map(|i| match i {
			0..=2 => {
				let name = signer_accounts()[i].0;
				(name.to_string(), format!("//{}{}", name[..1].to_uppercase(), &name[1..]))
			},
			_ => (format!("signer{}", i + 1), format!("//Signer{}", i + 1)),
		})
		.collect()
}

/// What `waas-signer identity` prints.
#[derive(Clone, Debug)]
pub struct SignerIdentity {
	/// Account id (32 bytes).
	pub account: [u8; 32],
	/// Registered p2p key.
	pub p2p_key: [u8; 32],
	/// Listen address.
	pub address: String,
}

/// One `waas-signer` process and its data directory.
pub struct SignerProcess {
	/// Short name (the dev account's).
	pub name: String,
	/// Its data directory (keystore, key files, log).
	pub data_dir: PathBuf,
	/// Its identity.
	pub identity: SignerIdentity,
	node_url: String,
	port: u16,
	metrics_port: u16,
	/// Flags added to `run` (e.g. `--evm-rpc 31337=http://…`).
	pub run_args: Vec<String>,
	child: Option<Child>,
}

fn hex32(v: &serde_json::Value) -> [u8; 32] {
	let text = v.as_str().expect("hex string").trim_start_matches("0x");
	let mut out = [0u8; 32];
	hex::decode_to_slice(text, &mut out).expect("32 bytes of hex");
	out
}

impl SignerProcess {
	fn base_args(&self) -> Vec<String> {
		vec![
			"--data-dir".into(),
			self.data_dir.display().to_string(),
			"--node-url".into(),
			self.node_url.clone(),
			"--listen".into(),
			format!("/ip4/127.0.0.1/tcp/{}", self.port),
			"--prometheus-port".into(),
			self.metrics_port.to_string(),
		]
	}

	/// Creates the data directory with `account_uri` as the account and `primes` imported.
	pub fn prepare(
		name: &str,
		account_uri: &str,
		base: &Path,
		node_url: &str,
		port: u16,
		primes: &[serde_json::Value],
	) -> SignerProcess {
		let data_dir = base.join(name);
		std::fs::create_dir_all(&data_dir).expect("signer data dir");
		let mut signer = SignerProcess {
			name: name.into(),
			data_dir,
			identity: SignerIdentity { account: [0; 32], p2p_key: [0; 32], address: String::new() },
			node_url: node_url.into(),
			port,
			metrics_port: crate::free_port(),
			run_args: Vec::new(),
			child: None,
		};
		let out = signer.command(&["init", "--account-uri", account_uri]);
		let json: serde_json::Value = serde_json::from_str(out.trim()).expect("identity JSON");
		signer.identity = SignerIdentity {
			account: hex32(&json["account_hex"]),
			p2p_key: hex32(&json["p2p_key"]),
			address: json["address"].as_str().expect("address").into(),
		};
		let file = signer.data_dir.join("fixture-primes.json");
		std::fs::write(&file, serde_json::to_vec(primes).expect("json")).expect("write primes");
		let file = file.display().to_string();
		let import = ["primes", "--insecure-fixture-primes", "--import", &file, "--count", "16"];
		signer.command(&import);
		signer
	}

	/// Runs a one-shot `waas-signer` subcommand; returns its stdout.
	fn command(&self, args: &[&str]) -> String {
		let out = Command::new(signer_binary())
			.args(self.base_args())
			.args(args)
			.output()
			.unwrap_or_else(|e| panic!("cannot run {}: {e}", signer_binary().display()));
		assert!(
			out.status.success(),
			"waas-signer {args:?} failed: {}",
			String::from_utf8_lossy(&out.stderr)
		);
		String::from_utf8(out.stdout).expect("utf-8")
	}

	/// Starts `waas-signer run`; its log is appended to `<data-dir>/signer.log`.
	pub fn start(&mut self) {
		assert!(self.child.is_none(), "{} already running", self.name);
		let log = std::fs::OpenOptions::new()
			.create(true)
			.append(true)
			.open(self.log_path())
			.expect("signer log");
		let child = Command::new(signer_binary())
			.args(self.base_args())
			.args(&self.run_args)
			.arg("run")
			.env("RUST_LOG", std::env::var("WAAS_SIGNER_LOG").unwrap_or_else(|_| "info".into()))
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.unwrap_or_else(|e| panic!("cannot start {}: {e}", signer_binary().display()));
		self.child = Some(child);
	}

	/// Sends `signal` (a `kill` signal name such as `STOP`, `CONT`, `TERM`) to the process.
	pub fn signal(&self, signal: &str) {
		let child = self.child.as_ref().expect("running");
		let status = Command::new("kill")
			.args([format!("-{signal}"), child.id().to_string()])
			.status()
			.expect("kill(1)");
		assert!(status.success(), "kill -{signal} {}", child.id());
	}

	/// Waits (at most `timeout`) for the process to exit; whether it did.
	pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
		let deadline = Instant::now() + timeout;
		while Instant::now() < deadline {
			if let Some(child) = &mut self.child {
				if let Ok(Some(status)) = child.try_wait() {
					self.child = None;
					return Some(status);
				}
			}
			std::thread::sleep(Duration::from_millis(100));
		}
		None
	}

	/// The signer's Prometheus text (`GET /metrics`), or its health (`GET /health`):
	/// (HTTP status, body).
	pub fn http_get(&self, path: &str) -> (u16, String) {
		use std::io::{Read, Write};
		let mut stream =
			std::net::TcpStream::connect(("127.0.0.1", self.metrics_port)).expect("metrics port");
		stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
		write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
			.expect("request");
		let mut response = String::new();
		stream.read_to_string(&mut response).expect("response");
		let status = response.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
		let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
		(status, body)
	}

	/// Where it serves Prometheus metrics (and `/health` beside).
	pub fn metrics_url(&self) -> String {
		format!("http://127.0.0.1:{}/metrics", self.metrics_port)
	}

	/// The value of the Prometheus sample `series` (name with labels, exactly as exported),
	/// or 0 if absent.
	pub fn metric(&self, series: &str) -> f64 {
		let (_, body) = self.http_get("/metrics");
		body.lines()
			.find_map(|l| l.strip_prefix(series).and_then(|rest| rest.trim().parse().ok()))
			.unwrap_or(0.0)
	}

	/// Kills the process (SIGKILL: no clean shutdown).
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Whether the process is alive.
	pub fn is_running(&mut self) -> bool {
		match &mut self.child {
			Some(child) => matches!(child.try_wait(), Ok(None)),
			None => false,
		}
	}

	/// Where its log goes.
	pub fn log_path(&self) -> PathBuf {
		self.data_dir.join("signer.log")
	}

	/// Its log so far.
	pub fn log(&self) -> String {
		std::fs::read_to_string(self.log_path()).unwrap_or_default()
	}

	/// Its p2p listen port.
	pub fn port(&self) -> u16 {
		self.port
	}
}

impl Drop for SignerProcess {
	fn drop(&mut self) {
		self.kill();
	}
}

/// A committee key made by the signers' DKG.
#[derive(Clone, Debug)]
pub struct CommitteeKey {
	/// Committee id.
	pub committee: u32,
	/// Key id.
	pub key: u32,
	/// Compressed public key.
	pub public_key: [u8; 33],
	/// Time from the keygen request's inclusion to activation, as observed by the client.
	pub elapsed: Duration,
}

/// A node and its signers.
pub struct Devnet {
	/// The chain node.
	pub node: TestNode,
	/// The signers, in committee order.
	pub signers: Vec<SignerProcess>,
	/// Connected client.
	pub client: Client,
	node_path: Option<PathBuf>,
	_dir: Option<tempfile::TempDir>,
}

/// Ports and places of a devnet.
#[derive(Default)]
pub struct DevnetOptions {
	/// Node RPC port (`None`: a free one).
	pub rpc_port: Option<u16>,
	/// Signer p2p ports (`None`: free ones).
	pub signer_ports: Option<Vec<u16>>,
	/// Data directory (`None`: a temporary one, removed on drop).
	pub dir: Option<PathBuf>,
	/// Keep the node's chain in `<dir>/node` instead of `--tmp`, so [`Devnet::restart_node`]
	/// resumes it.
	pub persistent_node: bool,
	/// Number of signers (`None`: 3 — Bob, Charlie, Dave).
	pub signers: Option<usize>,
	/// `CHAIN_ID=URL` EVM endpoints every signer observes (`--evm-rpc`).
	pub evm_rpc: Vec<String>,
	/// `(signer name, CHAIN_ID=URL)`: an endpoint one signer uses instead (given after the
	/// shared ones, so it wins for its chain).
	pub signer_evm_rpc: Vec<(String, String)>,
	/// Flags every signer also runs with (e.g. `--anchor-every-sessions 1`).
	pub signer_args: Vec<String>,
	/// `(signer name, flags)`: flags one signer runs with, after the shared ones.
	pub signer_own_args: Vec<(String, Vec<String>)>,
}

impl Devnet {
	/// Starts the node and three signers and registers the signers on-chain.
	pub async fn start(options: DevnetOptions) -> Devnet {
		let (tmp, base) = match options.dir {
			Some(dir) => (None, dir),
			None => {
				let tmp = tempfile::tempdir().expect("temp dir");
				let base = tmp.path().to_path_buf();
				(Some(tmp), base)
			},
		};
		let rpc = options.rpc_port.unwrap_or_else(crate::free_port);
		let node_path = options.persistent_node.then(|| base.join("node"));
		let mut node =
			TestNode::start_in(node_path.as_deref(), rpc, crate::free_port(), &["--dev"]);
		node.wait_for_log("Imported #1", Duration::from_secs(60));
		let client = node.client().await;
		let fixture = primes_fixture();
		let text = std::fs::read_to_string(&fixture)
			.unwrap_or_else(|e| panic!("prime fixtures {}: {e}", fixture.display()));
		let fixtures: Vec<serde_json::Value> =
			serde_json::from_str(&text).expect("prime fixtures are a JSON array");
		let accounts = signer_uris(options.signers.unwrap_or(3));
		let per_signer = (fixtures.len() / accounts.len()).min(PRIMES_PER_SIGNER);
		assert!(per_signer >= 1, "not enough prime fixtures for {} signers", accounts.len());
		let mut signers = Vec::new();
		for (i, (name, uri)) in accounts.iter().enumerate() {
			let port = options.signer_ports.as_ref().map(|p| p[i]).unwrap_or_else(crate::free_port);
			let primes = &fixtures[i * per_signer..(i + 1) * per_signer];
			signers.push(SignerProcess::prepare(name, uri, &base, &node.ws_url, port, primes));
		}
		for s in &signers {
			sudo(
				&client,
				SignersCall::register_signer {
					signer: s.identity.account.into(),
					p2p_key: s.identity.p2p_key,
					endpoint: BoundedVec(s.identity.address.clone().into_bytes()),
				},
			)
			.await;
		}
		for s in &mut signers {
			s.run_args.extend(options.signer_args.iter().cloned());
			for (_, args) in options.signer_own_args.iter().filter(|(name, _)| *name == s.name) {
				s.run_args.extend(args.iter().cloned());
			}
			let own = options.signer_evm_rpc.iter().filter(|(name, _)| *name == s.name);
			for rpc in options.evm_rpc.iter().chain(own.map(|(_, rpc)| rpc)) {
				s.run_args.extend(["--evm-rpc".to_string(), rpc.clone()]);
			}
			s.start();
		}
		Devnet { node, signers, client, node_path, _dir: tmp }
	}

	/// Kills the node and starts it again on the same ports and chain (needs
	/// `persistent_node`); reconnects the client. The signers are left alone.
	pub async fn restart_node(&mut self) {
		let path =
			self.node_path.clone().expect("restart_node needs DevnetOptions::persistent_node");
		let rpc: u16 =
			self.node.ws_url.rsplit(':').next().and_then(|p| p.parse().ok()).expect("rpc port");
		let p2p = self.node.p2p_port;
		self.node.kill();
		self.node = TestNode::start_in(Some(&path), rpc, p2p, &["--dev"]);
		self.node.wait_for_log("Imported #", Duration::from_secs(60));
		self.client = self.node.client().await;
	}

	/// Forms a committee of all signers with `threshold`, asks for a key and waits until the
	/// signers' DKG has made it Active.
	pub async fn create_key(&mut self, threshold: u16) -> CommitteeKey {
		let members = self.signers.iter().map(|s| s.identity.account.into()).collect();
		let events = sudo(
			&self.client,
			SignersCall::create_committee { members: BoundedVec(members), threshold },
		)
		.await;
		let committee = events
			.find_first::<signer_events::CommitteeCreated>()
			.expect("CommitteeCreated")
			.expect("decodes")
			.committee;
		let started = Instant::now();
		let events = sudo(&self.client, SignersCall::request_keygen { committee }).await;
		let key = events
			.find_first::<signer_events::KeygenRequested>()
			.expect("KeygenRequested")
			.expect("decodes")
			.key;
		let activated = self
			.watch(KEYGEN_TIMEOUT, |_, events| {
				for e in events.find::<signer_events::KeyActivated>() {
					let e = e.expect("decodes");
					if e.key == key {
						return Some(Ok(e));
					}
				}
				for e in events.find::<signer_events::KeygenFailed>() {
					let e = e.expect("decodes");
					if e.key == key {
						return Some(Err(format!("{:?} offenders {:?}", e.reason, e.offenders.0)));
					}
				}
				None
			})
			.await;
		match activated {
			Ok(e) => CommitteeKey {
				committee,
				key,
				public_key: e.public_key,
				elapsed: started.elapsed(),
			},
			Err(why) => panic!("keygen {key} failed: {why}\n{}", self.logs()),
		}
	}

	/// Calls `f` on the events of every finalized block until it returns `Some`, or panics
	/// (with the signers' logs) after `timeout`.
	pub async fn watch<T>(
		&self,
		timeout: Duration,
		mut f: impl FnMut(u64, &subxt::events::Events<crate::WaasConfig>) -> Option<T>,
	) -> T {
		let deadline = Instant::now() + timeout;
		let mut blocks = self.client.stream_blocks().await.expect("block stream");
		loop {
			let left = deadline.saturating_duration_since(Instant::now());
			let next = tokio::time::timeout(left, blocks.next()).await;
			let Ok(Some(Ok(block))) = next else {
				panic!("nothing seen within {timeout:?}\n{}", self.logs());
			};
			let number: u64 = block.number();
			let events = block.at().await.expect("block").events().fetch().await.expect("events");
			if let Some(out) = f(number, &events) {
				return out;
			}
		}
	}

	/// Every signer's log, for failure messages.
	pub fn logs(&self) -> String {
		self.signers
			.iter()
			.map(|s| {
				let log = s.log();
				let tail: Vec<&str> = log.lines().rev().take(40).collect();
				let tail: Vec<&str> = tail.into_iter().rev().collect();
				format!("--- {} ---\n{}", s.name, tail.join("\n"))
			})
			.collect::<Vec<_>>()
			.join("\n")
	}

	/// Waits until the request of `first` (its attempt-0 event) is signed, or panics after
	/// `timeout`: the RequestSigned event, the number of its block, and every attempt.
	pub async fn wait_signed(
		&self,
		first: &signer_events::AttemptAssigned,
		timeout: Duration,
	) -> (signer_events::RequestSigned, u64, Vec<signer_events::AttemptAssigned>) {
		self.wait_signed_seeing(first, timeout, |_, _| {}).await
	}

	/// [`Self::wait_signed`], showing `also` the events of every finalized block on the way.
	pub async fn wait_signed_seeing(
		&self,
		first: &signer_events::AttemptAssigned,
		timeout: Duration,
		mut also: impl FnMut(u64, &subxt::events::Events<crate::WaasConfig>),
	) -> (signer_events::RequestSigned, u64, Vec<signer_events::AttemptAssigned>) {
		let request = first.request;
		let mut attempts = vec![first.clone()];
		let (produced, number) = self
			.watch(timeout, |number, events| {
				also(number, events);
				for e in events.find::<signer_events::AttemptAssigned>() {
					let e = e.expect("decodes");
					if e.request == request && e.attempt > 0 {
						attempts.push(e);
					}
				}
				for e in events.find::<signer_events::RequestFailed>() {
					let e = e.expect("decodes");
					assert_ne!(e.request, request, "request {request} failed: {:?}", e.reason);
				}
				events.find::<signer_events::RequestSigned>().find_map(|e| {
					let e = e.expect("decodes");
					(e.request == request).then_some((e, number))
				})
			})
			.await;
		(produced, number, attempts)
	}
}

/// The `waas` module's `SignatureRequested` signer list as raw account ids.
pub fn signer_ids(e: &signer_events::AttemptAssigned) -> Vec<[u8; 32]> {
	e.signers.0.iter().map(|a| a.0).collect()
}
