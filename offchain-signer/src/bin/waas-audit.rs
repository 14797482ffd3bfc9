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
//! - `verify-evm --evm-rpc URL [--publication N]`: check from the EVM side that the chain's
//!   anchors tree head of publication N (default: the latest signed) is pinned there: the
//!   transaction is mined and succeeded, sent by the address derived from the committee key on
//!   the audit pallet's path to itself with no value, and its calldata names this chain's
//!   genesis and exactly that head. With `--log L --seq S`, also that head S of log L is among
//!   the anchors it pins (an inclusion proof in the anchors tree from `waas_anchorProof`).
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
	service::evm_anchor,
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
	/// Check on an EVM chain that a publication of the anchors tree is mined as the chain
	/// records it.
	VerifyEvm {
		/// JSON-RPC URL of a node of the publication's EVM chain.
		#[arg(long)]
		evm_rpc: String,
		/// The publication (default: the latest signed one the chain keeps).
		#[arg(long)]
		publication: Option<u64>,
		/// Blocks the transaction's block must have on top.
		#[arg(long, default_value_t = 0)]
		confirmations: u64,
		/// Also prove that head `--seq` of this audit log is among the anchors the publication
		/// pins (its anchors-tree entry and inclusion proof, from the node's offchain index).
		#[arg(long, requires = "seq")]
		log: Option<u64>,
		/// The head's number in `--log`.
		#[arg(long, requires = "log")]
		seq: Option<u64>,
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

/// What `verify-evm` checked, printed as JSON.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
struct EvmAnchorReport {
	publication: u64,
	chain_id: u64,
	address: String,
	tx_hash: String,
	evm_block: u64,
	confirmations: u64,
	genesis: String,
	tree_size: u64,
	root: String,
	/// The head proven among the pinned anchors (`--log`, `--seq`), if asked.
	#[serde(skip_serializing_if = "Option::is_none")]
	head: Option<PinnedHead>,
}

/// A log's head proven to be among the anchors a publication pins.
#[derive(Serialize, Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct PinnedHead {
	log: u64,
	seq: u64,
	/// Its index in the anchors tree.
	index: u64,
	/// The head's chain hash, which commits to all of it (size, root, block, time, previous).
	chain_hash: String,
	/// The head's tree size and root.
	tree_size: u64,
	root: String,
}

/// An anchors-tree entry as the pallet encodes it (`pallet_audit_anchors::AnchorsEntry`, SCALE;
/// the type is not in the metadata: it only lives in the offchain index).
#[derive(codec::Decode, Debug)]
struct AnchorsEntry {
	index: u64,
	log: u64,
	seq: u64,
	chain_hash: [u8; 32],
	#[allow(dead_code)]
	previous: [u8; 32],
}

/// `waas_anchorProof`'s answer.
#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct AnchorProofAnswer {
	index: u64,
	leaf_hash: String,
	entry: String,
	tree_size: u64,
	root: String,
	proof: Vec<String>,
}

/// Proves that head `seq` of `log` is among the first `tree_size` anchors, whose root is
/// `root`: the node gives the anchors-tree entry and its path; this checks the entry names the
/// head, hashes to the leaf, and the path leads to `root`, and that the head is the chain's.
async fn prove_pinned_head(
	node: &str,
	at: &AtBlock,
	log: u64,
	seq: u64,
	tree_size: u64,
	root: &NodeHash,
) -> anyhow::Result<PinnedHead> {
	use codec::Decode;
	use subxt::rpcs::rpc_params;
	use waas_client::waas;
	let rpc = subxt::rpcs::RpcClient::from_insecure_url(node)
		.await
		.with_context(|| format!("connect to {node}"))?;
	let answer: Option<AnchorProofAnswer> = tokio::time::timeout(
		Duration::from_secs(30),
		rpc.request("waas_anchorProof", rpc_params![log, seq, tree_size, at.block_hash()]),
	)
	.await
	.context("waas_anchorProof timed out")?
	.context("waas_anchorProof")?;
	let answer = answer.ok_or_else(|| {
		anyhow!("head {seq} of log {log} is not among the {tree_size} anchors the publication pins")
	})?;
	let digits = answer.entry.strip_prefix("0x").unwrap_or(&answer.entry);
	let bytes = hex::decode(digits).context("the entry is not hex")?;
	let leaf = merkle_log::leaf_hash(&bytes);
	if leaf != parse_hash(&answer.leaf_hash)? {
		bail!("the node's entry does not hash to its leaf hash");
	}
	let entry = AnchorsEntry::decode(&mut &bytes[..])
		.ok()
		.filter(|_| bytes.len() == 88)
		.ok_or_else(|| anyhow!("the entry is not an anchors-tree entry"))?;
	if (entry.index, entry.log, entry.seq) != (answer.index, log, seq) {
		bail!("the node's entry is not head {seq} of log {log}");
	}
	if answer.tree_size != tree_size || parse_hash(&answer.root)? != *root {
		bail!("the node proves against another anchors tree than the publication's");
	}
	let proof = answer.proof.iter().map(|n| parse_hash(n)).collect::<anyhow::Result<Vec<_>>>()?;
	merkle_log::verify_inclusion(&leaf, entry.index, tree_size, &proof, root)
		.map_err(|e| anyhow!("the anchors-tree proof does not hold: {e:?}"))?;
	let heads = at.storage().entry(waas::storage().audit_anchors().heads())?;
	let head = heads
		.try_fetch((log, seq))
		.await?
		.map(|v| v.decode())
		.transpose()?
		.ok_or_else(|| anyhow!("the chain no longer keeps head {seq} of log {log}"))?;
	if head.chain_hash != entry.chain_hash {
		bail!("the pinned entry names another chain hash than head {seq} of log {log}");
	}
	Ok(PinnedHead {
		log,
		seq,
		index: entry.index,
		chain_hash: hex0x(&entry.chain_hash),
		tree_size: head.tree_size,
		root: hex0x(&head.root),
	})
}

/// Publication `seq` (default: the latest signed one kept) and its number.
async fn signed_publication(
	at: &AtBlock,
	seq: Option<u64>,
) -> anyhow::Result<(u64, evm_anchor::ChainPublication)> {
	let found = match seq {
		Some(seq) => evm_anchor::publication(at, seq)
			.await
			.map_err(|e| anyhow!("{e}"))?
			.map(|p| (seq, p))
			.ok_or_else(|| anyhow!("the chain keeps no publication {seq}"))?,
		None => {
			let (latest, _) = evm_anchor::latest_publication(at)
				.await
				.map_err(|e| anyhow!("{e}"))?
				.ok_or_else(|| anyhow!("the chain has made no EVM publication"))?;
			let mut found = None;
			for seq in (latest.saturating_sub(64)..=latest).rev() {
				if let Some(p) =
					evm_anchor::publication(at, seq).await.map_err(|e| anyhow!("{e}"))?
				{
					if evm_anchor::signed_tx_hash(&p).is_some() {
						found = Some((seq, p));
						break;
					}
				}
			}
			found.ok_or_else(|| anyhow!("no publication the chain keeps is signed yet"))?
		},
	};
	Ok(found)
}

/// The `verify-evm` command: see the module docs.
async fn verify_evm(
	at: &AtBlock,
	evm_rpc: &str,
	seq: Option<u64>,
	confirmations: u64,
) -> anyhow::Result<EvmAnchorReport> {
	use alloy_consensus::Transaction as _;
	use alloy_provider::Provider;
	use waas_primitives::evm_tx;
	let (seq, publication) = signed_publication(at, seq).await?;
	let tx_hash = evm_anchor::signed_tx_hash(&publication)
		.ok_or_else(|| anyhow!("publication {seq} is not signed"))?;
	let genesis = at_genesis(at)?;

	// The address is the committee key's on the audit pallet's path, not just the chain's word.
	let (public_key, chain_code) = chain::active_key_material(at, publication.key)
		.await
		.map_err(|e| anyhow!("{e}"))?
		.ok_or_else(|| anyhow!("key {} is not Active", publication.key))?;
	let path = waas_primitives::namespace::audit_evm_sink_path(publication.chain_id);
	let (derived, _) =
		waas_primitives::derivation::derive_public_key(&public_key, &chain_code, &path)
			.map_err(|e| anyhow!("derive the sink key: {e:?}"))?;
	let address = waas_primitives::address::evm_address(&derived)
		.map_err(|e| anyhow!("the sink key: {e:?}"))?;
	if address != publication.address {
		bail!(
			"the chain's sink address is not the one key {} derives on its path",
			publication.key
		);
	}

	let url = evm_rpc.parse().with_context(|| format!("{evm_rpc:?} is not a URL"))?;
	let provider =
		alloy_provider::ProviderBuilder::new().disable_recommended_fillers().connect_http(url);
	let timeout = Duration::from_secs(20);
	let ask = |what: &'static str| move |e| anyhow!("{what} from {evm_rpc}: {e}");
	let chain_id = tokio::time::timeout(timeout, provider.get_chain_id())
		.await
		.context("eth_chainId timed out")?
		.map_err(ask("eth_chainId"))?;
	if chain_id != publication.chain_id {
		bail!("{evm_rpc} serves chain {chain_id}, not the publication's {}", publication.chain_id);
	}
	let hash = alloy_primitives::B256::from(tx_hash);
	let tx = tokio::time::timeout(timeout, provider.get_transaction_by_hash(hash))
		.await
		.context("eth_getTransactionByHash timed out")?
		.map_err(ask("eth_getTransactionByHash"))?
		.ok_or_else(|| anyhow!("the EVM chain does not know transaction {}", hex0x(&tx_hash)))?;
	let receipt = tokio::time::timeout(timeout, provider.get_transaction_receipt(hash))
		.await
		.context("eth_getTransactionReceipt timed out")?
		.map_err(ask("eth_getTransactionReceipt"))?
		.ok_or_else(|| anyhow!("transaction {} is not mined yet", hex0x(&tx_hash)))?;
	let block = receipt.block_number.ok_or_else(|| anyhow!("the receipt names no block"))?;
	if !receipt.inner.status() {
		bail!("transaction {} reverted", hex0x(&tx_hash));
	}
	let latest = tokio::time::timeout(timeout, provider.get_block_number())
		.await
		.context("eth_blockNumber timed out")?
		.map_err(ask("eth_blockNumber"))?;
	let on_top = latest.saturating_sub(block);
	if on_top < confirmations {
		bail!("the transaction has {on_top} blocks on top, fewer than {confirmations}");
	}
	let envelope = tx.inner.inner();
	if tx.inner.signer().0 .0 != address {
		bail!("the transaction is not sent by the sink address {}", hex0x(&address));
	}
	if envelope.to().map(|a| a.0 .0) != Some(address) || !envelope.value().is_zero() {
		bail!("the transaction is not a zero-value call from the sink address to itself");
	}
	let Some((tx_genesis, tree_size, root)) = evm_tx::parse_anchor_calldata(envelope.input())
	else {
		bail!("the transaction's calldata is not an anchors-tree head");
	};
	if tx_genesis != genesis {
		bail!("the calldata names another chain's genesis {}", hex0x(&tx_genesis));
	}
	if (tree_size, root) != (publication.tree_size, publication.root) {
		bail!(
			"the calldata pins {tree_size} anchors with root {}, the chain recorded {} with root {}",
			hex0x(&root),
			publication.tree_size,
			hex0x(&publication.root)
		);
	}
	Ok(EvmAnchorReport {
		publication: seq,
		chain_id,
		address: hex0x(&address),
		tx_hash: hex0x(&tx_hash),
		evm_block: block,
		confirmations: on_top,
		genesis: hex0x(&genesis),
		tree_size,
		root: hex0x(&root),
		head: None,
	})
}

/// The genesis hash of the chain `at` reads.
fn at_genesis(at: &AtBlock) -> anyhow::Result<[u8; 32]> {
	at.genesis_hash().map(|h| h.0).ok_or_else(|| anyhow!("the node gave no genesis hash"))
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
		Command::VerifyEvm { evm_rpc, publication, confirmations, log, seq } => {
			let mut report = verify_evm(&at, &evm_rpc, publication, confirmations).await?;
			eprintln!(
				"verified: publication {} ({} anchors, root {}) is mined on EVM chain {} in block {} by {}",
				report.publication, report.tree_size, report.root, report.chain_id, report.evm_block, report.address
			);
			if let (Some(log), Some(seq)) = (log, seq) {
				let root = parse_hash(&report.root)?;
				let head =
					prove_pinned_head(&cli.node, &at, log, seq, report.tree_size, &root).await?;
				eprintln!(
					"verified: head {seq} of log {log} ({} entries, root {}) is anchor {} of those it pins",
					head.tree_size, head.root, head.index
				);
				report.head = Some(head);
			}
			println!("{}", serde_json::to_string_pretty(&report)?);
		},
	}
	Ok(())
}
