//! Support for the end-to-end tests: start a real `waas-node` on loopback, connect subxt.
//!
//! The node binary is found through `WAAS_NODE`, or next to the test executable
//! (`target/<profile>/waas-node`), which is where `cargo build --release --workspace` puts it.

pub mod devnet;
pub mod flows;
pub mod metadata;

use std::{
	io::{BufRead, BufReader},
	net::TcpListener,
	path::PathBuf,
	process::{Child, Command, Stdio},
	sync::mpsc,
	time::{Duration, Instant},
};

pub use waas_client::{waas, Client, WaasConfig};

/// Path of a workspace binary: `$<env>` if set, else next to the running executable
/// (`target/<profile>/`, also from `target/<profile>/deps/` where test executables live).
pub fn workspace_binary(name: &str, env: &str) -> PathBuf {
	if let Some(path) = std::env::var_os(env) {
		return PathBuf::from(path);
	}
	let exe = std::env::current_exe().expect("executable path");
	let mut dir = exe.parent().expect("executable directory").to_path_buf();
	if dir.ends_with("deps") {
		dir.pop();
	}
	dir.join(name)
}

/// Path of the `waas-node` binary under test (`WAAS_NODE` overrides).
pub fn node_binary() -> PathBuf {
	workspace_binary("waas-node", "WAAS_NODE")
}

/// First port [`free_port`] hands out: below Linux's ephemeral range (32768–60999), so no
/// outgoing connection is ever given one of them by the kernel between our check and the
/// process that binds it.
const FIRST_TEST_PORT: u16 = 20_000;
/// Ports per test process: test binaries started at the same time pick disjoint blocks by
/// process id.
const PORTS_PER_PROCESS: u16 = 400;

/// A free TCP port on loopback, never the same twice in one process: two devnets starting at
/// the same time cannot pick the same port, and ports outside the ephemeral range are not
/// taken by outgoing connections. Checked free by binding it (then released).
pub fn free_port() -> u16 {
	use std::sync::atomic::{AtomicU16, Ordering};
	static NEXT: AtomicU16 = AtomicU16::new(0);
	let blocks = (32_768 - FIRST_TEST_PORT) / PORTS_PER_PROCESS;
	let base = FIRST_TEST_PORT + (std::process::id() as u16 % blocks) * PORTS_PER_PROCESS;
	loop {
		let offset = NEXT.fetch_add(1, Ordering::Relaxed);
		assert!(offset < PORTS_PER_PROCESS, "this test process ran out of test ports");
		let port = base + offset;
		if TcpListener::bind(("127.0.0.1", port)).is_ok() {
			return port;
		}
	}
}

/// A running node, killed on drop.
pub struct TestNode {
	child: Child,
	/// WebSocket RPC endpoint.
	pub ws_url: String,
	/// The node's p2p port.
	pub p2p_port: u16,
	/// The node's log lines, for failure messages.
	log: mpsc::Receiver<String>,
	seen: Vec<String>,
}

impl TestNode {
	/// Starts `waas-node --dev --tmp` on free loopback ports and waits (at most `timeout`)
	/// until it has imported its first block.
	pub fn start_dev(timeout: Duration) -> TestNode {
		let mut node = TestNode::start(&["--dev"]);
		node.wait_for_log("Imported #1", timeout);
		node
	}

	/// Starts `waas-node --tmp <args>` on free loopback ports, without waiting.
	pub fn start(args: &[&str]) -> TestNode {
		TestNode::start_on(free_port(), free_port(), args)
	}

	/// Starts `waas-node --tmp <args>` with RPC on `rpc_port` and p2p on `p2p_port` (loopback).
	pub fn start_on(rpc_port: u16, p2p_port: u16, args: &[&str]) -> TestNode {
		TestNode::start_in(None, rpc_port, p2p_port, args)
	}

	/// Like [`TestNode::start_on`], but keeps the chain in `base_path` (not `--tmp`), so a node
	/// started again on the same path resumes the same chain.
	pub fn start_in(
		base_path: Option<&std::path::Path>,
		rpc_port: u16,
		p2p_port: u16,
		args: &[&str],
	) -> TestNode {
		let storage = match base_path {
			Some(path) => vec!["--base-path".to_string(), path.display().to_string()],
			None => vec!["--tmp".to_string()],
		};
		let binary = node_binary();
		assert!(
			binary.exists(),
			"{} does not exist: build it first (cargo build --release -p waas-node) or set WAAS_NODE",
			binary.display()
		);
		let mut child = Command::new(&binary)
			.args(storage)
			.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
			.args(["--rpc-port", &rpc_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{p2p_port}")])
			.args(args)
			.stdout(Stdio::null())
			.stderr(Stdio::piped())
			.spawn()
			.unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));

		let (tx, rx) = mpsc::channel();
		let stderr = child.stderr.take().expect("piped stderr");
		std::thread::spawn(move || {
			for line in BufReader::new(stderr).lines().map_while(Result::ok) {
				if tx.send(line).is_err() {
					break;
				}
			}
		});
		TestNode {
			child,
			ws_url: format!("ws://127.0.0.1:{rpc_port}"),
			p2p_port,
			log: rx,
			seen: Vec::new(),
		}
	}

	/// Waits until a log line contains `needle`; panics with the log after `timeout`.
	pub fn wait_for_log(&mut self, needle: &str, timeout: Duration) {
		let deadline = Instant::now() + timeout;
		while Instant::now() < deadline {
			match self.log.recv_timeout(Duration::from_millis(200)) {
				Ok(line) => {
					let found = line.contains(needle);
					self.seen.push(line);
					if found {
						return;
					}
				},
				Err(mpsc::RecvTimeoutError::Timeout) => {
					if let Ok(Some(status)) = self.child.try_wait() {
						panic!("waas-node exited ({status}):\n{}", self.seen.join("\n"));
					}
				},
				Err(mpsc::RecvTimeoutError::Disconnected) => {
					let status = self.child.wait().map(|s| s.to_string()).unwrap_or_default();
					panic!("waas-node exited ({status}):\n{}", self.seen.join("\n"));
				},
			}
		}
		panic!("waas-node did not log {needle:?} within {timeout:?}:\n{}", self.seen.join("\n"));
	}

	/// The node's finalized block number, read over RPC.
	pub async fn finalized_number(&self) -> Result<u64, String> {
		let rpc = subxt::rpcs::RpcClient::from_insecure_url(&self.ws_url)
			.await
			.map_err(|e| e.to_string())?;
		let hash: String = rpc
			.request("chain_getFinalizedHead", subxt::rpcs::rpc_params![])
			.await
			.map_err(|e| e.to_string())?;
		let header: serde_json::Value = rpc
			.request("chain_getHeader", subxt::rpcs::rpc_params![hash])
			.await
			.map_err(|e| e.to_string())?;
		let number = header["number"].as_str().ok_or("header without number")?;
		u64::from_str_radix(number.trim_start_matches("0x"), 16).map_err(|e| e.to_string())
	}

	/// Waits until the node has finalized at least block `n`.
	pub async fn wait_for_finalized(&self, n: u64, timeout: Duration) {
		let deadline = Instant::now() + timeout;
		let mut last = Err("not asked yet".to_string());
		while Instant::now() < deadline {
			last = self.finalized_number().await;
			if matches!(last, Ok(f) if f >= n) {
				return;
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
		panic!("{} did not finalize #{n} within {timeout:?} (last: {last:?})", self.ws_url);
	}

	/// Connects subxt to the node.
	pub async fn client(&self) -> Client {
		let deadline = Instant::now() + Duration::from_secs(30);
		loop {
			match Client::from_insecure_url(&self.ws_url).await {
				Ok(client) => return client,
				Err(e) if Instant::now() < deadline => {
					eprintln!("connecting to {}: {e}; retrying", self.ws_url);
					tokio::time::sleep(Duration::from_millis(500)).await;
				},
				Err(e) => panic!("cannot connect to {}: {e}", self.ws_url),
			}
		}
	}
}

impl TestNode {
	/// Kills the node process (SIGKILL) and waits for it.
	pub fn kill(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

impl Drop for TestNode {
	fn drop(&mut self) {
		self.kill();
	}
}
