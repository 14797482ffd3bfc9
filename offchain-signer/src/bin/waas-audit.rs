//! `waas-audit`: proves a signer's session-log entries against the audit anchors on WaaS Chain.
//!
//! A signer appends one entry per protocol session to its session log
//! (`<data-dir>/audit/sessions.jsonl`, see `waas_signer::session_log`) and anchors the log's
//! RFC 6962 tree head on-chain. With a copy of that file, anyone can:
//!
//! - `status --log-file F`: compare the file with the heads anchored on-chain;
//! - `prove --log-file F --entry N`: write a proof document for entry N against the latest
//!   anchored head (the entry, its leaf hash, the audit path), checked against the chain;
//! - `prove-signature --log-file F --request R`: the same for the signing session that
//!   produced request R's signature, also compared with the signature on-chain;
//! - `verify --proof P`: check a proof document against the chain, without the log.
//!
//! `--node` is the WaaS node's WebSocket URL (default ws://127.0.0.1:9944). Exit status 0
//! means verified; anything else prints why not.

use anyhow::{anyhow, bail, Context};
use clap::{Parser, Subcommand};
use serde::{Deserialize, Serialize};
use std::{
	path::{Path, PathBuf},
	str::FromStr,
	time::Duration,
};
use waas_client::AccountId;
use waas_primitives::merkle_log::{self, NodeHash};
use waas_signer::{
	chain::{self, AtBlock},
	session_log::{
		hex0x, holds_tree, read_entries, SessionEntry, SessionKind, SessionOutcome, FORMAT,
	},
};

/// The largest proof document read (a proof has at most 64 nodes; an entry is small).
const MAX_PROOF_DOCUMENT_BYTES: u64 = 64 * 1024;

/// Proves a signer's session-log entries against the audit anchors on WaaS Chain.
#[derive(Parser, Debug)]
#[command(name = "waas-audit", version)]
struct Cli {
	/// WebSocket URL of a WaaS node.
	#[arg(long, default_value = "ws://127.0.0.1:9944", global = true)]
	node: String,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
	/// Compare a session log file with what its signer anchored on-chain.
	Status {
		/// The session log (JSON Lines).
		#[arg(long)]
		log_file: PathBuf,
	},
	/// Prove entry `entry` of the log against the latest anchored head.
	Prove {
		/// The session log (JSON Lines).
		#[arg(long)]
		log_file: PathBuf,
		/// The entry's index.
		#[arg(long)]
		entry: u64,
		/// Write the proof document here (default: stdout).
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// Prove the signing session that produced signature request `request`'s signature.
	ProveSignature {
		/// The session log (JSON Lines).
		#[arg(long)]
		log_file: PathBuf,
		/// The signature request's id.
		#[arg(long)]
		request: u64,
		/// Write the proof document here (default: stdout).
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// Check a proof document against the chain.
	Verify {
		/// The proof document (JSON, as `prove` writes it).
		#[arg(long)]
		proof: PathBuf,
	},
}

/// A session entry with its inclusion proof in an anchored head: everything an auditor needs
/// besides the chain.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ProofDocument {
	/// The audit log on-chain.
	log: u64,
	/// The entry (its canonical JSON is the leaf's preimage).
	entry: SessionEntry,
	/// `SHA-256(0x00 ‖ entry)`, 0x hex.
	leaf_hash: String,
	/// The anchored head's size.
	tree_size: u64,
	/// The anchored head's root, 0x hex.
	root: String,
	/// The audit path (RFC 6962), 0x hex node hashes.
	proof: Vec<String>,
	/// The block that anchored the head, and its time (Unix ms).
	anchored_at: (u32, u64),
}

fn parse_hash(s: &str) -> anyhow::Result<NodeHash> {
	let digits = s.strip_prefix("0x").ok_or_else(|| anyhow!("{s:?} is not 0x hex"))?;
	let mut out = [0u8; 32];
	hex::decode_to_slice(digits, &mut out)
		.with_context(|| format!("{s:?} is not a 32-byte hash"))?;
	Ok(out)
}

async fn at_chain(node: &str) -> anyhow::Result<AtBlock> {
	let client = waas_client::connect(node, Duration::from_secs(30))
		.await
		.with_context(|| format!("connect to {node}"))?;
	client.at_current_block().await.context("read the finalized block")
}

/// The entries of the file and the log it is anchored as (found by the signer in it).
async fn log_and_entries(
	at: &AtBlock,
	path: &Path,
) -> anyhow::Result<(u64, Vec<SessionEntry>, Vec<NodeHash>)> {
	let (entries, leaves, _) = read_entries(path)?;
	let first = entries.first().ok_or_else(|| anyhow!("{} has no entries", path.display()))?;
	let signer = AccountId::from_str(&first.me).map_err(|e| anyhow!("entry 0's signer: {e}"))?;
	let log = chain::audit_log_of(at, &signer, FORMAT)
		.await
		.map_err(|e| anyhow!("{e}"))?
		.ok_or_else(|| anyhow!("{} has registered no session log on this chain", first.me))?;
	Ok((log, entries, leaves))
}

/// The proof of entry `index` against the latest head of `log`, checked against the chain.
async fn prove(
	at: &AtBlock,
	log: u64,
	entries: &[SessionEntry],
	leaves: &[NodeHash],
	index: u64,
) -> anyhow::Result<ProofDocument> {
	let (size, root, block, time) = chain::latest_tree_head(at, log)
		.await
		.map_err(|e| anyhow!("{e}"))?
		.ok_or_else(|| anyhow!("log {log} has no anchored head yet"))?;
	if index >= size {
		bail!("entry {index} is not anchored yet (the latest head covers {size} entries)");
	}
	if !holds_tree(leaves, size, &root) {
		bail!("the file does not hold the tree anchored on-chain (size {size}): it was edited or is another log");
	}
	let proof = merkle_log::inclusion_proof(&leaves[..size as usize], index)
		.map_err(|e| anyhow!("entry {index}: {e}"))?;
	let document = ProofDocument {
		log,
		entry: entries[index as usize].clone(),
		leaf_hash: hex0x(&leaves[index as usize]),
		tree_size: size,
		root: hex0x(&root),
		proof: proof.iter().map(|n| hex0x(n)).collect(),
		anchored_at: (block, time),
	};
	verify(at, &document).await?;
	Ok(document)
}

/// Checks `doc`: the leaf is the entry's hash, the path leads to the root, and the runtime
/// finds the same against its anchored head.
async fn verify(at: &AtBlock, doc: &ProofDocument) -> anyhow::Result<()> {
	let leaf = merkle_log::leaf_hash(&doc.entry.line());
	if hex0x(&leaf) != doc.leaf_hash {
		bail!("the leaf hash is not the hash of the entry");
	}
	let proof = doc.proof.iter().map(|n| parse_hash(n)).collect::<anyhow::Result<Vec<_>>>()?;
	let root = parse_hash(&doc.root)?;
	merkle_log::verify_inclusion(&leaf, doc.entry.seq, doc.tree_size, &proof, &root)
		.map_err(|e| anyhow!("the audit path does not hold: {e}"))?;
	let chain = chain::verify_inclusion(at, doc.log, leaf, doc.entry.seq, doc.tree_size, proof)
		.await
		.map_err(|e| anyhow!("{e}"))?;
	match chain {
		Ok((_, chain_root, ..)) if chain_root == root => Ok(()),
		Ok(_) => bail!("the chain's head of that size has another root"),
		Err(why) => bail!("the chain refuses the proof: {why}"),
	}
}

fn write(doc: &ProofDocument, out: Option<PathBuf>) -> anyhow::Result<()> {
	let json = serde_json::to_string_pretty(doc)?;
	match out {
		Some(path) => {
			std::fs::write(&path, json + "\n").with_context(|| format!("write {}", path.display()))
		},
		None => {
			println!("{json}");
			Ok(())
		},
	}
}

fn describe(doc: &ProofDocument) -> String {
	let e = &doc.entry;
	format!(
		"verified: entry {} of log {} ({:?} {} attempt {}, parties {}, execution id {}) is in the head of {} entries anchored at block {}",
		e.seq, doc.log, e.kind, e.id, e.attempt, e.parties.join(", "), e.execution_id, doc.tree_size, doc.anchored_at.0
	)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	let cli = Cli::parse();
	let at = at_chain(&cli.node).await?;
	match cli.command {
		Command::Status { log_file } => {
			let (log, entries, leaves) = log_and_entries(&at, &log_file).await?;
			let head = chain::latest_tree_head(&at, log).await.map_err(|e| anyhow!("{e}"))?;
			println!("{}: {} entries, log {log} on-chain", log_file.display(), entries.len());
			match head {
				None => println!("nothing anchored yet"),
				Some((size, root, block, _)) => {
					let agrees = holds_tree(&leaves, size, &root);
					println!(
						"latest head: {size} entries, root {}, block {block}: {}",
						hex0x(&root),
						if agrees { "the file holds it" } else { "THE FILE DOES NOT HOLD IT" }
					);
					if !agrees {
						bail!("the file disagrees with the chain");
					}
				},
			}
		},
		Command::Prove { log_file, entry, out } => {
			let (log, entries, leaves) = log_and_entries(&at, &log_file).await?;
			let doc = prove(&at, log, &entries, &leaves, entry).await?;
			eprintln!("{}", describe(&doc));
			write(&doc, out)?;
		},
		Command::ProveSignature { log_file, request, out } => {
			let (log, entries, leaves) = log_and_entries(&at, &log_file).await?;
			let entry = entries
				.iter()
				.rev()
				.find(|e| {
					e.kind == SessionKind::Sign
						&& e.id == request && e.outcome == SessionOutcome::Ok
				})
				.ok_or_else(|| {
					anyhow!("the log has no signing session that produced request {request}'s signature")
				})?;
			match chain::signed_request(&at, request).await.map_err(|e| anyhow!("{e}"))? {
				Some((_, rsv)) if entry.signature.as_deref() == Some(hex0x(&rsv[..64]).as_str()) => {
					eprintln!("the signature matches request {request}'s signature on-chain");
				},
				Some(_) => bail!("the logged signature is not the one the chain accepted for request {request}"),
				None => eprintln!(
					"request {request} is no longer stored (or not signed): compare the signature with its SignatureProduced event"
				),
			}
			let doc = prove(&at, log, &entries, &leaves, entry.seq).await?;
			eprintln!("{}", describe(&doc));
			write(&doc, out)?;
		},
		Command::Verify { proof } => {
			let size = std::fs::metadata(&proof)
				.with_context(|| format!("read {}", proof.display()))?
				.len();
			if size > MAX_PROOF_DOCUMENT_BYTES {
				bail!("{} is larger than a proof document can be", proof.display());
			}
			let text = std::fs::read_to_string(&proof)
				.with_context(|| format!("read {}", proof.display()))?;
			let doc: ProofDocument = serde_json::from_str(&text).context("not a proof document")?;
			verify(&at, &doc).await?;
			println!("{}", describe(&doc));
		},
	}
	Ok(())
}
