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

/// File format tag: version 1, ChaCha20-Poly1305.
const MAGIC: &[u8; 8] = b"WAASKS01";
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
		Ok(Keystore { dir, cipher: ChaCha20Poly1305::new(Key::from_slice(key)) })
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
		let sealed = self
			.cipher
			.encrypt(Nonce::from_slice(&nonce), Payload { msg: &plain, aad: name.as_bytes() })
			.map_err(|_| KeystoreError::Decrypt(path.clone()))?;
		let mut file = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
		file.extend_from_slice(MAGIC);
		file.extend_from_slice(&nonce);
		file.extend_from_slice(&sealed);
		write_atomically(&path, &file)
	}

	/// The value sealed under `name`, if any.
	pub fn get<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, KeystoreError> {
		let path = self.path(name)?;
		let file = match fs::read(&path) {
			Ok(bytes) => bytes,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
			Err(source) => return Err(KeystoreError::Io { path, source }),
		};
		if file.len() < MAGIC.len() + NONCE_LEN || &file[..MAGIC.len()] != MAGIC {
			return Err(KeystoreError::Decrypt(path));
		}
		let (nonce, sealed) = file[MAGIC.len()..].split_at(NONCE_LEN);
		let plain = Zeroizing::new(
			self.cipher
				.decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad: name.as_bytes() })
				.map_err(|_| KeystoreError::Decrypt(path.clone()))?,
		);
		serde_json::from_slice(&plain).map(Some).map_err(|_| KeystoreError::Decode(path))
	}

	/// Whether an item named `name` exists.
	pub fn contains(&self, name: &str) -> bool {
		self.path(name).map(|p| p.exists()).unwrap_or(false)
	}

	/// Removes `name` (no error if absent).
	pub fn remove(&self, name: &str) -> Result<(), KeystoreError> {
		let path = self.path(name)?;
		match fs::remove_file(&path) {
			Ok(()) => Ok(()),
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
			Err(source) => Err(KeystoreError::Io { path, source }),
		}
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
	let tmp = dir.join(format!(
		".{}.tmp-{}",
		path.file_name().and_then(|f| f.to_str()).unwrap_or("item"),
		std::process::id()
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
		store.remove("key-7").unwrap();
		assert!(!store.contains("key-7"));
	}

	#[test]
	fn wrong_key_swapped_file_and_bad_names_are_errors() {
		let dir = tempfile::tempdir().unwrap();
		let store = Keystore::open(dir.path(), &[1u8; 32]).unwrap();
		store.put("a", &1u32).unwrap();
		let other = Keystore::open(dir.path(), &[2u8; 32]).unwrap();
		assert!(matches!(other.get::<u32>("a"), Err(KeystoreError::Decrypt(_))));
		// A file renamed to another item's name does not decrypt (the name is bound).
		fs::copy(dir.path().join("a.sealed"), dir.path().join("b.sealed")).unwrap();
		assert!(matches!(store.get::<u32>("b"), Err(KeystoreError::Decrypt(_))));
		assert!(matches!(store.put("../x", &1u32), Err(KeystoreError::Name(_))));
		assert!(matches!(parse_storage_key("abcd"), Err(KeystoreError::Key(_))));
		assert_eq!(*parse_storage_key(&format!("0x{}\n", "11".repeat(32))).unwrap(), [0x11; 32]);
	}
}
