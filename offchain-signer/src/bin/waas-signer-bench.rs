//! `waas-signer-bench`: what CGGMP21 costs on this machine, in-process and over the real
//! transport.
//!
//! In-process (cggmp21 with round-based's simulator, all parties in one thread, the floor):
//! DKG for 2-of-3 and 3-of-3, aux info for 3 parties from the committed prime fixtures, and
//! full signing (2-of-3, 3-of-3) on a depth-4 derivation path. Distributed: the same signing
//! between three `waas-signer-bench peer` processes talking over the libp2p transport
//! (TCP + Noise + yamux) on loopback — once free to use both cores, once pinned to one core
//! with `taskset` like the simulator. Prints a Markdown table.
//!
//! Usage: `waas-signer-bench [--reps N] [--primes FILE]` (release build; FILE defaults to
//! `$WAAS_PRIMES_FIXTURE`, then to the committed fixtures).

use anyhow::Context;
use cggmp21::{round_based, DataToSign, ExecutionId};
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use std::{
	collections::HashMap,
	io::{BufRead, BufReader},
	path::{Path, PathBuf},
	process::{Command, Stdio},
	sync::Arc,
	time::{Duration, Instant},
};
use waas_signer::{
	engine::{self, CoreShare, Curve, Primes, Share, SigningJob},
	identity::p2p_from_hex,
	stats::median,
	transport::{
		p2p::{P2pConfig, P2pNetwork},
		router::BufferLimits,
		PeerId,
	},
};

const PATH: [u32; 4] = [44, 60, 0, 7];
const PAYLOAD: &[u8] = b"{\"to\":\"0x00000000000000000000000000000000000000aa\",\"value\":1}";

fn arg(args: &[String], name: &str) -> Option<String> {
	args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn session_id(tag: &str, t: u16, s: u32) -> [u8; 32] {
	Sha256::new()
		.chain_update(tag)
		.chain_update(t.to_le_bytes())
		.chain_update(s.to_le_bytes())
		.finalize()
		.into()
}

fn prehash() -> [u8; 32] {
	waas_primitives::HashScheme::Keccak256.hash(PAYLOAD)
}

fn sim_keygen(n: u16, t: u16, eid: [u8; 32]) -> Vec<CoreShare> {
	round_based::sim::run(n, |i, party| async move {
		cggmp21::keygen::<Curve>(ExecutionId::new(&eid), i, n)
			.set_threshold(t)
			.hd_wallet(true)
			.start(&mut OsRng, party)
			.await
	})
	.expect("simulation")
	.expect_ok()
	.into_vec()
}

fn sim_aux(primes: Vec<Primes>, eid: [u8; 32]) -> Vec<engine::Aux> {
	let n = primes.len() as u16;
	round_based::sim::run_with_setup(primes, |i, party, primes| async move {
		cggmp21::aux_info_gen(ExecutionId::new(&eid), i, n, primes).start(&mut OsRng, party).await
	})
	.expect("simulation")
	.expect_ok()
	.into_vec()
}

fn sim_sign(shares: &[Share], eid: [u8; 32]) -> cggmp21::Signature<Curve> {
	let indices: Vec<u16> = (0..shares.len() as u16).collect();
	let data =
		DataToSign::from_scalar(cggmp21::generic_ec::Scalar::from_be_bytes_mod_order(prehash()));
	let indices = &indices;
	round_based::sim::run_with_setup(shares.iter(), |j, party, share| async move {
		cggmp21::signing(ExecutionId::new(&eid), j, indices, share)
			.set_derivation_path(PATH)
			.expect("path")
			.sign(&mut OsRng, party, data)
			.await
	})
	.expect("simulation")
	.expect_ok()
	.expect_eq()
}

/// Runs three peer processes signing `reps` + 1 times with the first `t` of them; returns
/// (first session, steady-state median) in seconds, the slowest party of each session.
fn distributed(dir: &Path, t: u16, reps: u32, pin: bool) -> anyhow::Result<(f64, f64)> {
	let exe = std::env::current_exe()?;
	let ports: Vec<u16> = (0..3).map(|_| free_port()).collect::<anyhow::Result<_>>()?;
	let ports_arg = ports.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(",");
	let mut children = Vec::new();
	for i in 0..3u16 {
		let mut cmd = if pin {
			let mut c = Command::new("taskset");
			c.args(["-c", "0"]).arg(&exe);
			c
		} else {
			Command::new(&exe)
		};
		cmd.args(["peer", "--dir", &dir.display().to_string(), "--index", &i.to_string()])
			.args(["--t", &t.to_string(), "--reps", &reps.to_string(), "--ports", &ports_arg])
			.stdout(Stdio::piped())
			.stderr(Stdio::inherit());
		children.push(cmd.spawn().context("spawning a peer")?);
	}
	let mut per_session: HashMap<u32, f64> = HashMap::new();
	for child in children.iter_mut().take(t as usize) {
		let out = child.stdout.take().expect("piped");
		for line in BufReader::new(out).lines() {
			let line = line?;
			if let Some((s, secs)) = line.split_once(' ') {
				let (s, secs): (u32, f64) = (s.parse()?, secs.parse()?);
				let slowest = per_session.entry(s).or_default();
				*slowest = slowest.max(secs);
			}
		}
	}
	for mut child in children {
		let _ = child.kill();
		let _ = child.wait();
	}
	anyhow::ensure!(per_session.len() == reps as usize + 1, "a peer failed: {per_session:?}");
	let first = per_session[&0];
	let steady = median((1..=reps).map(|s| per_session[&s]).collect());
	Ok((first, steady))
}

fn free_port() -> anyhow::Result<u16> {
	Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// One signing party: signs `reps` + 1 sessions back to back, prints `session seconds`.
async fn peer(args: &[String]) -> anyhow::Result<()> {
	let dir = PathBuf::from(arg(args, "--dir").context("--dir")?);
	let index: u16 = arg(args, "--index").context("--index")?.parse()?;
	let t: u16 = arg(args, "--t").context("--t")?.parse()?;
	let reps: u32 = arg(args, "--reps").context("--reps")?.parse()?;
	let ports: Vec<u16> = arg(args, "--ports")
		.context("--ports")?
		.split(',')
		.map(str::parse)
		.collect::<Result<_, _>>()?;
	let keys: Vec<_> = (0..3)
		.map(|k| p2p_from_hex(&std::fs::read_to_string(dir.join(format!("p2p-{k}.key")))?))
		.collect::<anyhow::Result<_>>()?;
	let peers: Vec<PeerId> = keys.iter().map(|k| k.public().to_peer_id()).collect();
	let net = Arc::new(P2pNetwork::start(
		keys[index as usize].clone(),
		P2pConfig {
			listen: format!("/ip4/127.0.0.1/tcp/{}", ports[index as usize]).parse()?,
			max_message_bytes: waas_signer::config::DEFAULT_MAX_MESSAGE_BYTES,
			buffer: BufferLimits::default(),
			metrics: None,
		},
	)?);
	net.set_peers(
		(0..3)
			.filter(|k| *k != index as usize)
			.map(|k| Ok((peers[k], format!("/ip4/127.0.0.1/tcp/{}", ports[k]).parse()?)))
			.collect::<anyhow::Result<_>>()?,
	);
	if index >= t {
		// Not a signer this time: stay reachable until the parent is done.
		tokio::time::sleep(Duration::from_secs(3600)).await;
		return Ok(());
	}
	let share: Share =
		serde_json::from_slice(&std::fs::read(dir.join(format!("share-t{t}-{index}.json")))?)?;
	let signers: Vec<PeerId> = peers[..t as usize].to_vec();
	for s in 0..=reps {
		let job = SigningJob {
			signers: signers.clone(),
			me: index,
			keygen_indices: (0..t).collect(),
			path: PATH.to_vec(),
			prehash: prehash(),
		};
		let started = Instant::now();
		engine::sign(
			&net,
			session_id("bench-sign", t, s),
			share.clone(),
			job,
			Duration::from_secs(120),
		)
		.await?;
		println!("{s} {}", started.elapsed().as_secs_f64());
	}
	// Stay up until the others have our last messages: exiting at once can cut them off.
	tokio::time::sleep(Duration::from_secs(5)).await;
	Ok(())
}

fn main() -> anyhow::Result<()> {
	let args: Vec<String> = std::env::args().collect();
	if args.get(1).map(String::as_str) == Some("peer") {
		let rt = tokio::runtime::Runtime::new()?;
		return rt.block_on(peer(&args));
	}
	let reps: u32 = arg(&args, "--reps").map(|r| r.parse()).transpose()?.unwrap_or(5);
	let primes_file = arg(&args, "--primes")
		.or_else(|| std::env::var("WAAS_PRIMES_FIXTURE").ok())
		.map(PathBuf::from)
		.unwrap_or_else(|| {
			PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/primes.json"))
		});
	let primes: Vec<Primes> = serde_json::from_slice(&std::fs::read(&primes_file)?)?;
	anyhow::ensure!(primes.len() >= 3, "need 3 prime entries in {}", primes_file.display());
	let mut rows: Vec<(String, String)> = Vec::new();
	let secs = |d: Duration| d.as_secs_f64();

	// DKG (t-of-3).
	let mut cores = HashMap::new();
	for t in [2u16, 3] {
		let mut times = Vec::new();
		for r in 0..reps {
			let started = Instant::now();
			let out = sim_keygen(3, t, session_id("bench-keygen", t, r));
			times.push(secs(started.elapsed()));
			cores.insert(t, out);
		}
		rows.push((format!("DKG {t}-of-3, in-process"), format!("{:.1} ms", median(times) * 1e3)));
		eprintln!("{}: {}", rows.last().unwrap().0, rows.last().unwrap().1);
	}

	// Aux info (3 parties, pregenerated primes): once, it takes tens of seconds.
	let started = Instant::now();
	let aux = sim_aux(primes[..3].to_vec(), session_id("bench-aux", 3, 0));
	rows.push((
		"Aux info, 3 parties, in-process (1 run)".into(),
		format!("{:.1} s", secs(started.elapsed())),
	));
	eprintln!("{}: {}", rows.last().unwrap().0, rows.last().unwrap().1);

	let dir = tempfile::tempdir()?;
	for k in 0..3 {
		let secret: [u8; 32] = rand::random();
		std::fs::write(dir.path().join(format!("p2p-{k}.key")), hex::encode(secret))?;
	}
	for t in [2u16, 3] {
		let shares: Vec<Share> = cores[&t]
			.iter()
			.cloned()
			.zip(aux.iter().cloned())
			.map(|(c, a)| engine::complete_share(c, a))
			.collect::<Result<_, _>>()?;
		for (i, share) in shares.iter().enumerate() {
			std::fs::write(
				dir.path().join(format!("share-t{t}-{i}.json")),
				serde_json::to_vec(share)?,
			)?;
		}
		let mut times = Vec::new();
		for r in 0..reps {
			let started = Instant::now();
			sim_sign(&shares[..t as usize], session_id("bench-sim-sign", t, r));
			times.push(secs(started.elapsed()));
		}
		let floor = median(times);
		rows.push((format!("Signing {t}-of-3, in-process (floor)"), format!("{:.2} s", floor)));
		eprintln!("{}: {}", rows.last().unwrap().0, rows.last().unwrap().1);
		for pin in [false, true] {
			let (first, steady) = distributed(dir.path(), t, reps, pin)?;
			let cores = if pin { "1 core (taskset)" } else { "2 cores" };
			rows.push((
				format!("Signing {t}-of-3, 3 processes ({t} signing) over libp2p, {cores}"),
				format!(
					"{steady:.2} s (×{:.2} in-process; first session with connection setup {first:.2} s)",
					steady / floor
				),
			));
			eprintln!("{}: {}", rows.last().unwrap().0, rows.last().unwrap().1);
		}
	}

	println!("| Measurement ({reps} runs, median) | Time |");
	println!("|---|---|");
	for (what, value) in rows {
		println!("| {what} | {value} |");
	}
	Ok(())
}
