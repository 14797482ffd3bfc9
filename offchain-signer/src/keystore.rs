//! Secret storage: key shares, aux info and primes, encrypted at rest.
//!
//! Every item is a JSON value sealed with ChaCha20-Poly1305 under the storage key (32 bytes,
//! from a file or an environment variable named in the config) with a fresh random nonce,
//! and the item's name bound as associated data so files cannot be swapped. Writes are
//! atomic: temporary file, fsync, rename, fsync of the directory. Nothing here is logged.

use chacha20poly1305::{
	aead::{Aead, KeyInit, Payload},
	ChaCha20Poly1305, Key, Nonce,
};
use rand::RngCore;
use serde::{de::DeserializeOwned, Serialize};
use std::{
	fs,
	io::Write,
	path::{Path, PathBuf},
};
use zeroize::Zeroizing;

/// File format tag: version 2, ChaCha20-Poly1305 with the tag and the item name as
/// associated data (so the header cannot be altered or an item renamed undetected).
const MAGIC: &[u8; 8] = b"WAASKS02";
/// Version 1 (the item name alone as associated data): still read, never written.
const MAGIC_V1: &[u8; 8] = b"WAASKS01";
/// An item sealed when the store is first opened and checked at every later open, so a wrong
/// storage key is reported at start-up, not at the first signing.
const CANARY: &str = "keystore-canary";
const NONCE_LEN: usize = 12;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum KeystoreError {
	/// Reading or writing the file failed.
	#[error("{path}: {source}")]
	Io {
		/// The file.
		path: PathBuf,
		/// The cause.
		source: std::io::Error,
	},
	/// The file is not a sealed item, or the storage key is wrong.
	#[error("{0}: cannot decrypt (wrong storage key or corrupted file)")]
	Decrypt(PathBuf),
	/// The decrypted value is not what was asked for.
	#[error("{0}: unexpected contents")]
	Decode(PathBuf),
	/// Names are `[a-z0-9-]` only.
	#[error("invalid item name {0:?}")]
	Name(String),
	/// The storage key is not 32 bytes of hex.
	#[error("storage key: {0}")]
	Key(String),
	/// The store was created with another storage key.
	#[error("{0}: the keystore was created with another storage key")]
	WrongKey(PathBuf),
}

/// An encrypted directory of named items.
pub struct Keystore {
	dir: PathBuf,
	cipher: ChaCha20Poly1305,
}

/// Parses a storage key: 64 hex digits, optional `0x`, surrounding whitespace ignored.
pub fn parse_storage_key(text: &str) -> Result<Zeroizing<[u8; 32]>, KeystoreError> {
	let text = text.trim().trim_start_matches("0x");
	let mut key = Zeroizing::new([0u8; 32]);
	hex::decode_to_slice(text, &mut key[..])
		.map_err(|_| KeystoreError::Key("expected 32 bytes as 64 hex digits".into()))?;
	Ok(key)
}

impl Keystore {
	/// Opens (creating if needed, mode 0700) the store in `dir` with `key`.
	pub fn open(dir: impl Into<PathBuf>, key: &[u8; 32]) -> Result<Keystore, KeystoreError> {
		let dir = dir.into();
		fs::create_dir_all(&dir)
			.map_err(|source| KeystoreError::Io { path: dir.clone(), source })?;
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			let _ = fs::set_permissions(&dir, fs::Permissions::from_mode(0o700));
		}
		let store = Keystore { dir, cipher: ChaCha20Poly1305::new(Key::from_slice(key)) };
		match store.get::<String>(CANARY) {
			Ok(Some(_)) => {},
			Ok(None) => store.put(CANARY, &"waas-signer keystore")?,
			Err(KeystoreError::Decrypt(path)) => return Err(KeystoreError::WrongKey(path)),
			Err(e) => return Err(e),
		}
		Ok(store)
	}

	fn path(&self, name: &str) -> Result<PathBuf, KeystoreError> {
		let valid = !name.is_empty()
			&& name.len() <= 128
			&& name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
		if !valid {
			return Err(KeystoreError::Name(name.to_string()));
		}
		Ok(self.dir.join(format!("{name}.sealed")))
	}

	/// Seals `value` under `name`, replacing any previous value atomically.
	pub fn put<T: Serialize>(&self, name: &str, value: &T) -> Result<(), KeystoreError> {
		let path = self.path(name)?;
		let plain = Zeroizing::new(
			serde_json::to_vec(value).map_err(|_| KeystoreError::Decode(path.clone()))?,
		);
		let mut nonce = [0u8; NONCE_LEN];
		rand::rngs::OsRng.fill_bytes(&mut nonce);
		let aad = [&MAGIC[..], name.as_bytes()].concat();
		let sealed = self
			.cipher
			.encrypt(Nonce::from_slice(&nonce), Payload { msg: &plain, aad: &aad })
			.map_err(|_| KeystoreError::Decrypt(path.clone()))?;
		let mut file = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
		file.extend_from_slice(MAGIC);
		file.extend_from_slice(&nonce);
		file.extend_from_slice(&sealed);
		write_atomically(&path, &file)
	}

	/// The value sealed under `name`, if any.
	pub fn get<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, KeystoreError> {
		self.read_sealed(self.path(name)?, name)
	}

	fn read_sealed<T: DeserializeOwned>(
		&self,
		path: PathBuf,
		name: &str,
	) -> Result<Option<T>, KeystoreError> {
		let file = match fs::read(&path) {
			Ok(bytes) => bytes,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
			Err(source) => return Err(KeystoreError::Io { path, source }),
		};
		if file.len() < MAGIC.len() + NONCE_LEN {
			return Err(KeystoreError::Decrypt(path));
		}
		let aad = match &file[..MAGIC.len()] {
			m if m == MAGIC => [&MAGIC[..], name.as_bytes()].concat(),
			m if m == MAGIC_V1 => name.as_bytes().to_vec(),
			_ => return Err(KeystoreError::Decrypt(path)),
		};
		let (nonce, sealed) = file[MAGIC.len()..].split_at(NONCE_LEN);
		let plain = Zeroizing::new(
			self.cipher
				.decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad: &aad })
				.map_err(|_| KeystoreError::Decrypt(path.clone()))?,
		);
		serde_json::from_slice(&plain).map(Some).map_err(|_| KeystoreError::Decode(path))
	}

	/// Whether an item named `name` exists.
	pub fn contains(&self, name: &str) -> bool {
		self.path(name).map(|p| p.exists()).unwrap_or(false)
	}

	/// Removes `name` (no error if absent); the removal is made durable (directory fsync),
	/// so a removed item cannot come back after a crash.
	pub fn remove(&self, name: &str) -> Result<(), KeystoreError> {
		let path = self.path(name)?;
		match fs::remove_file(&path) {
			Ok(()) => self.sync_dir(),
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
			Err(source) => Err(KeystoreError::Io { path, source }),
		}
	}

	/// Renames item `from` to `to` atomically and durably. `Ok(false)` when `from` does not
	/// exist (for example because a concurrent caller renamed it first): of several callers
	/// racing to rename one item, exactly one gets `Ok(true)`. The sealed value stays bound to
	/// its original name, so `to` must be read with [`Keystore::get_renamed`].
	pub fn rename(&self, from: &str, to: &str) -> Result<bool, KeystoreError> {
		let (src, dst) = (self.path(from)?, self.path(to)?);
		match fs::rename(&src, &dst) {
			Ok(()) => self.sync_dir().map(|()| true),
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
			Err(source) => Err(KeystoreError::Io { path: src, source }),
		}
	}

	/// The value stored in file `name` that was sealed under `sealed_as` (see
	/// [`Keystore::rename`]).
	pub fn get_renamed<T: DeserializeOwned>(
		&self,
		name: &str,
		sealed_as: &str,
	) -> Result<Option<T>, KeystoreError> {
		self.read_sealed(self.path(name)?, sealed_as)
	}

	fn sync_dir(&self) -> Result<(), KeystoreError> {
		fs::File::open(&self.dir)
			.and_then(|d| d.sync_all())
			.map_err(|source| KeystoreError::Io { path: self.dir.clone(), source })
	}

	/// Names of the items whose name starts with `prefix`, sorted.
	pub fn list(&self, prefix: &str) -> Result<Vec<String>, KeystoreError> {
		let entries = fs::read_dir(&self.dir)
			.map_err(|source| KeystoreError::Io { path: self.dir.clone(), source })?;
		let mut names: Vec<String> = entries
			.filter_map(|e| e.ok())
			.filter_map(|e| e.file_name().into_string().ok())
			.filter_map(|f| f.strip_suffix(".sealed").map(str::to_string))
			.filter(|n| n.starts_with(prefix))
			.collect();
		names.sort();
		Ok(names)
	}
}

/// Writes `bytes` to `path` so that readers see either the old or the new contents:
/// temporary file in the same directory (mode 0600), fsync, rename, fsync of the directory.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), KeystoreError> {
	let io = |source| KeystoreError::Io { path: path.to_path_buf(), source };
	let dir = path.parent().unwrap_or(Path::new("."));
	// Unique per process and write, so concurrent writers never share a temporary file.
	static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
	let tmp = dir.join(format!(
		".{}.tmp-{}-{}",
		path.file_name().and_then(|f| f.to_str()).unwrap_or("item"),
		std::process::id(),
		WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
	));
	{
		let mut options = fs::OpenOptions::new();
		options.write(true).create(true).truncate(true);
		#[cfg(unix)]
		{
			use std::os::unix::fs::OpenOptionsExt;
			options.mode(0o600);
		}
		let mut file = options.open(&tmp).map_err(io)?;
		file.write_all(bytes).map_err(io)?;
		file.sync_all().map_err(io)?;
	}
	fs::rename(&tmp, path).map_err(io)?;
	fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn sealed_round_trip_and_no_plaintext_on_disk() {
		let dir = tempfile::tempdir().unwrap();
		let store = Keystore::open(dir.path(), &[1u8; 32]).unwrap();
		store.put("key-7", &"very secret share").unwrap();
		assert_eq!(store.get::<String>("key-7").unwrap().as_deref(), Some("very secret share"));
		assert_eq!(store.get::<String>("key-8").unwrap(), None);
		let raw = fs::read(dir.path().join("key-7.sealed")).unwrap();
		assert!(!raw.windows(6).any(|w| w == b"secret"), "plaintext on disk");
		assert_eq!(store.list("key-").unwrap(), vec!["key-7".to_string()]);
		assert!(raw.starts_with(MAGIC));
		store.remove("key-7").unwrap();
		assert!(!store.contains("key-7"));
	}

	#[test]
	fn wrong_key_swapped_file_and_bad_names_are_errors() {
		let dir = tempfile::tempdir().unwrap();
		let store = Keystore::open(dir.path(), &[1u8; 32]).unwrap();
		store.put("a", &1u32).unwrap();
		// The wrong storage key is caught when the store opens, not at the first read.
		assert!(matches!(Keystore::open(dir.path(), &[2u8; 32]), Err(KeystoreError::WrongKey(_))));
		// An item sealed under another key does not decrypt.
		let elsewhere = tempfile::tempdir().unwrap();
		let other = Keystore::open(elsewhere.path(), &[2u8; 32]).unwrap();
		other.put("a", &1u32).unwrap();
		fs::copy(elsewhere.path().join("a.sealed"), dir.path().join("c.sealed")).unwrap();
		assert!(matches!(store.get::<u32>("c"), Err(KeystoreError::Decrypt(_))));
		// The header is authenticated: a downgraded version tag does not decrypt.
		let mut raw = fs::read(dir.path().join("a.sealed")).unwrap();
		raw[..8].copy_from_slice(MAGIC_V1);
		fs::write(dir.path().join("a.sealed"), &raw).unwrap();
		assert!(matches!(store.get::<u32>("a"), Err(KeystoreError::Decrypt(_))));
		// A file renamed to another item's name does not decrypt (the name is bound).
		fs::copy(dir.path().join("a.sealed"), dir.path().join("b.sealed")).unwrap();
		assert!(matches!(store.get::<u32>("b"), Err(KeystoreError::Decrypt(_))));
		assert!(matches!(store.put("../x", &1u32), Err(KeystoreError::Name(_))));
		assert!(matches!(parse_storage_key("abcd"), Err(KeystoreError::Key(_))));
		assert_eq!(*parse_storage_key(&format!("0x{}\n", "11".repeat(32))).unwrap(), [0x11; 32]);
	}
}
