//! The signer's session log: one entry per keygen, aux-info and signing session it took part in,
//! appended to a local file and anchored on-chain as an RFC 6962 tree (pallet-audit-anchors,
//! format [`FORMAT`]), so that an auditor holding a copy of the file can prove to anyone what
//! this signer did, and the signer can never rewrite it once anchored.
//!
//! The file is JSON Lines: entry `seq` is line `seq`, and its RFC 6962 leaf is
//! `SHA-256(0x00 ‖ the line's bytes)` (without the newline). Lines are written whole and
//! flushed to disk (`fsync`) before anything is anchored; a line cut short by a crash is never
//! anchored and is dropped when the log is opened again. The entries hold only public facts
//! (ids, parties, public keys, signatures): the file is not encrypted, so that it can be
//! handed to an auditor as it is.

use crate::engine::FaultReason;
use serde::{Deserialize, Serialize};
use std::{
	fs::{File, OpenOptions},
	io::{Read, Seek, SeekFrom, Write},
	path::{Path, PathBuf},
	sync::Mutex,
};
use waas_primitives::merkle_log::{self, NodeHash};

/// The format tag of the log on-chain.
pub const FORMAT: &str = "waas/signer-sessions/v1";

/// Where the daemon keeps its session log, under its data directory.
pub const SESSION_LOG_FILE: &str = "audit/sessions.jsonl";

/// The largest session log read (64 MiB: about 100,000 entries).
pub const MAX_LOG_BYTES: u64 = 64 * 1024 * 1024;

/// Which protocol a session ran.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum SessionKind {
	/// CGGMP21 distributed key generation (with HD derivation) of a committee key.
	Keygen,
	/// The committee's auxiliary info (Paillier keys, ring-Pedersen parameters).
	Aux,
	/// A threshold signature for a request's attempt.
	Sign,
}

/// How a session ended for this signer.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum SessionOutcome {
	/// It completed: the key, the aux info or the signature was produced.
	Ok,
	/// It failed (see `error`).
	Failed,
}

/// One entry of the log (a line of the file, in this field order).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionEntry {
	/// Its index in the log (0, 1, 2, …).
	pub seq: u64,
	/// When it was recorded: Unix time in milliseconds, this signer's clock.
	pub time_ms: u64,
	/// The chain's genesis hash, 0x hex.
	pub chain: String,
	/// What ran.
	pub kind: SessionKind,
	/// The CGGMP21 execution id all parties used, 0x hex.
	pub execution_id: String,
	/// The key id (keygen, aux) or the signature request id (sign).
	pub id: u64,
	/// The request's attempt (0 for keygen and aux).
	pub attempt: u8,
	/// The parties' accounts in protocol order (SS58).
	pub parties: Vec<String>,
	/// This signer's own account (SS58).
	pub me: String,
	/// How it ended.
	pub outcome: SessionOutcome,
	/// Keygen: the committee key's compressed public key, 0x hex.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub public_key: Option<String>,
	/// Sign: the signature `r ‖ s` (64 bytes), 0x hex.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub signature: Option<String>,
	/// Failed: what went wrong.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub error: Option<String>,
	/// Failed: who misbehaved, where the run identified anyone.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub blame: Option<LoggedBlame>,
}

/// A fault as the log records it: the reason and the accused parties' accounts.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoggedBlame {
	/// What the accused did.
	pub reason: FaultReason,
	/// The accused parties' accounts (SS58).
	pub accused: Vec<String>,
}

/// `0x` hex, as the log writes bytes.
pub fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// Whether `leaves` (a log's leaf hashes) hold the tree of `size` entries whose root is `root`:
/// what a log's holder checks against a head anchored on-chain.
pub fn holds_tree(leaves: &[NodeHash], size: u64, root: &NodeHash) -> bool {
	leaves.len() as u64 >= size && merkle_log::root(&leaves[..size as usize]) == *root
}

impl SessionEntry {
	/// The exact bytes of the entry's line (its leaf is the RFC 6962 leaf hash of them).
	pub fn line(&self) -> Vec<u8> {
		serde_json::to_vec(self).expect("an entry always serialises")
	}
}

/// Why the log cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SessionLogError {
	/// Reading or writing the file failed.
	#[error("session log {path}: {source}")]
	Io {
		/// The file.
		path: PathBuf,
		/// The error.
		source: std::io::Error,
	},
	/// A line is not an entry, or entries are out of order: the file was edited.
	#[error("session log {path}, line {line}: {reason}")]
	Corrupt {
		/// The file.
		path: PathBuf,
		/// The 0-based line.
		line: u64,
		/// What is wrong.
		reason: String,
	},
	/// The file is larger than [`MAX_LOG_BYTES`].
	#[error("session log {0} is larger than 64 MiB")]
	TooLarge(PathBuf),
}

/// The entries of a session log file, checked: `(entries, leaf hashes, bytes of whole lines)`.
/// A last line without its newline (a write cut short) is left out.
pub fn read_entries(
	path: &Path,
) -> Result<(Vec<SessionEntry>, Vec<NodeHash>, u64), SessionLogError> {
	let io = |source| SessionLogError::Io { path: path.to_path_buf(), source };
	let mut bytes = Vec::new();
	match File::open(path) {
		Ok(f) => {
			f.take(MAX_LOG_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
		},
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => {},
		Err(e) => return Err(io(e)),
	}
	if bytes.len() as u64 > MAX_LOG_BYTES {
		return Err(SessionLogError::TooLarge(path.to_path_buf()));
	}
	let whole = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
	let (mut entries, mut leaves) = (Vec::new(), Vec::new());
	for (seq, line) in bytes[..whole].split(|b| *b == b'\n').filter(|l| !l.is_empty()).enumerate() {
		let corrupt = |reason: String| SessionLogError::Corrupt {
			path: path.to_path_buf(),
			line: seq as u64,
			reason,
		};
		let entry: SessionEntry =
			serde_json::from_slice(line).map_err(|e| corrupt(format!("not an entry: {e}")))?;
		if entry.seq != seq as u64 {
			return Err(corrupt(format!("entry {} where {seq} belongs", entry.seq)));
		}
		if entry.line() != line {
			return Err(corrupt("not in the log's canonical form".into()));
		}
		leaves.push(merkle_log::leaf_hash(line));
		entries.push(entry);
	}
	Ok((entries, leaves, whole as u64))
}

/// An open session log: appends entries, keeps their leaf hashes.
pub struct SessionLog {
	path: PathBuf,
	state: Mutex<State>,
}

struct State {
	file: File,
	leaves: Vec<NodeHash>,
}

impl SessionLog {
	/// Opens (or creates) the log at `path`, checking every entry and dropping a last line cut
	/// short by a crash.
	pub fn open(path: &Path) -> Result<SessionLog, SessionLogError> {
		let io = |source| SessionLogError::Io { path: path.to_path_buf(), source };
		if let Some(dir) = path.parent() {
			std::fs::create_dir_all(dir).map_err(io)?;
		}
		let (_, leaves, whole) = read_entries(path)?;
		let mut file = OpenOptions::new()
			.create(true)
			.truncate(false)
			.read(true)
			.write(true)
			.open(path)
			.map_err(io)?;
		if file.metadata().map_err(io)?.len() != whole {
			tracing::warn!(target: "waas::audit", path = %path.display(), "dropping a session log line cut short by a crash");
			file.set_len(whole).map_err(io)?;
			file.sync_all().map_err(io)?;
		}
		file.seek(SeekFrom::End(0)).map_err(io)?;
		Ok(SessionLog { path: path.to_path_buf(), state: Mutex::new(State { file, leaves }) })
	}

	/// The file.
	pub fn path(&self) -> &Path {
		&self.path
	}

	/// Appends `entry` (its `seq` is set to the next index) and flushes it to disk; returns
	/// the seq.
	pub fn append(&self, mut entry: SessionEntry) -> Result<u64, SessionLogError> {
		let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
		entry.seq = state.leaves.len() as u64;
		let mut line = entry.line();
		let leaf = merkle_log::leaf_hash(&line);
		line.push(b'\n');
		let io = |source| SessionLogError::Io { path: self.path.clone(), source };
		state.file.write_all(&line).map_err(io)?;
		state.file.sync_data().map_err(io)?;
		state.leaves.push(leaf);
		Ok(entry.seq)
	}

	/// How many entries the log has.
	pub fn len(&self) -> u64 {
		self.state.lock().unwrap_or_else(|e| e.into_inner()).leaves.len() as u64
	}

	/// Whether the log has no entries.
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}

	/// The leaf hashes of the first `size` entries (all of them if fewer).
	pub fn leaves(&self, size: u64) -> Vec<NodeHash> {
		let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
		state.leaves[..(size as usize).min(state.leaves.len())].to_vec()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn entry(kind: SessionKind) -> SessionEntry {
		SessionEntry {
			seq: 0,
			time_ms: 1_796_083_200_000,
			chain: format!("0x{}", "11".repeat(32)),
			kind,
			execution_id: format!("0x{}", "22".repeat(32)),
			id: 4,
			attempt: 1,
			parties: vec!["5Alice".into(), "5Bob".into()],
			me: "5Bob".into(),
			outcome: SessionOutcome::Ok,
			public_key: None,
			signature: Some(format!("0x{}", "33".repeat(64))),
			error: None,
			blame: None,
		}
	}

	#[test]
	fn a_blamed_failure_round_trips_and_entries_without_blame_keep_their_bytes() {
		let ok = entry(SessionKind::Sign);
		assert!(!String::from_utf8(ok.line()).unwrap().contains("blame"), "older lines unchanged");
		let failed = SessionEntry {
			outcome: SessionOutcome::Failed,
			signature: None,
			error: Some("protocol failed".into()),
			blame: Some(LoggedBlame {
				reason: FaultReason::InvalidEncProof,
				accused: vec!["5Alice".into()],
			}),
			..ok
		};
		let line = String::from_utf8(failed.line()).unwrap();
		assert!(
			line.contains(r#""blame":{"reason":"invalidEncProof","accused":["5Alice"]}"#),
			"{line}"
		);
		assert_eq!(serde_json::from_str::<SessionEntry>(&line).unwrap(), failed);
	}

	#[test]
	fn entries_are_appended_durably_and_read_back_with_their_leaves() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("audit").join("sessions.jsonl");
		let log = SessionLog::open(&path).unwrap();
		assert!(log.is_empty());
		assert_eq!(log.append(entry(SessionKind::Keygen)).unwrap(), 0);
		assert_eq!(log.append(entry(SessionKind::Sign)).unwrap(), 1);
		let (entries, leaves, _) = read_entries(&path).unwrap();
		assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![0, 1]);
		assert_eq!(leaves, log.leaves(10));
		let line = std::fs::read_to_string(&path).unwrap();
		let first = line.lines().next().unwrap();
		assert_eq!(leaves[0], merkle_log::leaf_hash(first.as_bytes()));
		// Reopened, it goes on where it stopped.
		drop(log);
		let log = SessionLog::open(&path).unwrap();
		assert_eq!(log.append(entry(SessionKind::Aux)).unwrap(), 2);
	}

	#[test]
	fn a_line_cut_short_is_dropped_and_an_edited_log_refused() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("sessions.jsonl");
		let log = SessionLog::open(&path).unwrap();
		log.append(entry(SessionKind::Sign)).unwrap();
		drop(log);
		let mut f = OpenOptions::new().append(true).open(&path).unwrap();
		f.write_all(b"{\"seq\":1,\"timeMs\"").unwrap();
		drop(f);
		let log = SessionLog::open(&path).unwrap();
		assert_eq!(log.len(), 1);
		assert_eq!(log.append(entry(SessionKind::Sign)).unwrap(), 1);
		drop(log);
		// Edit entry 0: it no longer parses in order, or is not canonical.
		let text = std::fs::read_to_string(&path).unwrap();
		std::fs::write(&path, text.replacen("\"seq\":1", "\"seq\":7", 1)).unwrap();
		assert!(matches!(SessionLog::open(&path), Err(SessionLogError::Corrupt { line: 1, .. })));
		std::fs::write(&path, text.replacen("{\"seq\":0,", "{ \"seq\":0,", 1)).unwrap();
		assert!(matches!(SessionLog::open(&path), Err(SessionLogError::Corrupt { line: 0, .. })));
	}
}
