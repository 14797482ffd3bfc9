//! `waas-devnet`: the local WaaS network for development — a `waas-node --dev` on
//! ws://127.0.0.1:9944 and three `waas-signer`s (Bob, Charlie, Dave) registered as a 2-of-3
//! committee whose key is made by a real CGGMP21 DKG. Stays up until Ctrl-C.
//!
//! Usage: `waas-devnet [--rpc-port 9944] [--dir <data-dir>] [--evm-rpc CHAIN_ID=URL]...
//! [--signer-evm-rpc NAME:CHAIN_ID=URL]...` (default data dir: temporary). `--evm-rpc` gives
//! every signer an EVM chain to observe for swap intents; `--signer-evm-rpc` points one signer
//! (bob, charlie, dave) elsewhere for that chain. The signers anchor their session logs after
//! every session (or 10 s), so the audit anchors of a devnet show at once.

use std::{path::PathBuf, time::Duration};
use waas_e2e::devnet::{Devnet, DevnetOptions};

const USAGE: &str = "usage: waas-devnet [--rpc-port 9944] [--dir <data-dir>] \
	[--evm-rpc CHAIN_ID=URL]... [--signer-evm-rpc NAME:CHAIN_ID=URL]...";

fn arg(args: &[String], name: &str) -> Option<String> {
	args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

/// Every value of a repeatable flag.
fn all_args(args: &[String], name: &str) -> Vec<String> {
	args.windows(2).filter(|w| w[0] == name).map(|w| w[1].clone()).collect()
}

#[tokio::main]
async fn main() {
	let args: Vec<String> = std::env::args().collect();
	if args.iter().any(|a| a == "--help" || a == "-h") {
		eprintln!("{USAGE}");
		return;
	}
	let rpc_port =
		arg(&args, "--rpc-port").map(|p| p.parse().expect("--rpc-port: a port")).unwrap_or(9944);
	let dir = arg(&args, "--dir").map(PathBuf::from);
	if let Some(dir) = &dir {
		std::fs::create_dir_all(dir).expect("--dir: cannot create it");
	}
	let evm_rpc = all_args(&args, "--evm-rpc");
	let signer_evm_rpc = all_args(&args, "--signer-evm-rpc")
		.into_iter()
		.map(|v| match v.split_once(':') {
			Some((name, rpc)) => (name.to_string(), rpc.to_string()),
			None => panic!("--signer-evm-rpc {v:?}: expected NAME:CHAIN_ID=URL\n{USAGE}"),
		})
		.collect();
	eprintln!("starting waas-node --dev and three waas-signers…");
	let mut net = Devnet::start(DevnetOptions {
		rpc_port: Some(rpc_port),
		signer_ports: Some(vec![30501, 30502, 30503]),
		dir,
		persistent_node: false,
		signers: None,
		evm_rpc,
		signer_evm_rpc,
		signer_args: ["--anchor-every-sessions", "1", "--anchor-every-secs", "10"]
			.map(String::from)
			.to_vec(),
		signer_own_args: Vec::new(),
	})
	.await;
	eprintln!("signers registered; running the 2-of-3 DKG (aux info takes a while)…");
	let key = net.create_key(2).await;
	println!();
	println!("WaaS devnet is up.");
	println!("  RPC:        {}", net.node.ws_url);
	println!(
		"  committee {} key {}: 0x{} (made by DKG in {:.1} s)",
		key.committee,
		key.key,
		hex::encode(key.public_key),
		key.elapsed.as_secs_f64()
	);
	for s in &net.signers {
		println!(
			"  signer {:8} p2p {}  metrics {}  log {}",
			s.name,
			s.identity.address,
			s.metrics_url(),
			s.log_path().display()
		);
	}
	for s in &net.signers {
		println!(
			"  session log {:8} {}",
			s.name,
			s.data_dir.join(waas_signer::session_log::SESSION_LOG_FILE).display()
		);
	}
	println!("  Try it:     cd tests/js && node examples/sign.js {}", net.node.ws_url);
	println!("Ctrl-C stops everything.");
	loop {
		tokio::select! {
			_ = tokio::signal::ctrl_c() => break,
			_ = tokio::time::sleep(Duration::from_secs(5)) => {
				for s in &mut net.signers {
					if !s.is_running() {
						eprintln!("signer {} exited (restarting it); its log:\n{}", s.name, s.log());
						s.kill();
						s.start();
					}
				}
			},
		}
	}
	eprintln!("stopping");
}
