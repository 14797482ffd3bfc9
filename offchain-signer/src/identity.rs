//! The signer's secrets read from disk: its account key (signs extrinsics), its p2p identity
//! key (authenticates it to other signers; registered on-chain) and the storage key.

use crate::config::{Config, StorageKeySource};
use std::{path::Path, str::FromStr};
use subxt_signer::{sr25519, SecretUri};
use zeroize::Zeroizing;

/// Largest key file read.
const MAX_KEY_FILE_BYTES: u64 = 4096;

/// A signer's identities.
pub struct Identity {
	/// Signs this signer's extrinsics.
	pub account: sr25519::Keypair,
	/// Authenticates this signer to its peers (Noise).
	pub p2p: libp2p::identity::Keypair,
	/// The p2p public key as registered on-chain.
	pub p2p_public: [u8; 32],
}

fn read_secret(path: &Path) -> anyhow::Result<Zeroizing<String>> {
	let len = std::fs::metadata(path)
		.map_err(|e| {
			anyhow::anyhow!("{}: {e} (run `waas-signer init` to create it)", path.display())
		})?
		.len();
	anyhow::ensure!(
		len <= MAX_KEY_FILE_BYTES,
		"{}: over {MAX_KEY_FILE_BYTES} bytes",
		path.display()
	);
	let text =
		std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
	Ok(Zeroizing::new(text.trim().to_string()))
}

/// Parses the account secret URI.
pub fn account_from_uri(uri: &str) -> anyhow::Result<sr25519::Keypair> {
	let uri = SecretUri::from_str(uri).map_err(|e| anyhow::anyhow!("account secret URI: {e}"))?;
	sr25519::Keypair::from_uri(&uri).map_err(|e| anyhow::anyhow!("account secret URI: {e}"))
}

/// Parses a p2p identity secret (32 bytes, hex).
pub fn p2p_from_hex(text: &str) -> anyhow::Result<libp2p::identity::Keypair> {
	let mut secret = Zeroizing::new([0u8; 32]);
	hex::decode_to_slice(text.trim().trim_start_matches("0x"), &mut secret[..])
		.map_err(|_| anyhow::anyhow!("p2p key: expected 32 bytes as 64 hex digits"))?;
	Ok(libp2p::identity::Keypair::ed25519_from_bytes(&mut secret[..])?)
}

/// The registered form of a p2p identity: its ed25519 public key.
pub fn p2p_public(keypair: &libp2p::identity::Keypair) -> anyhow::Result<[u8; 32]> {
	Ok(keypair.clone().try_into_ed25519()?.public().to_bytes())
}

impl Identity {
	/// Reads both key files named in `config`.
	pub fn load(config: &Config) -> anyhow::Result<Identity> {
		let account = account_from_uri(&read_secret(&config.account_key_file)?)?;
		let p2p = p2p_from_hex(&read_secret(&config.p2p_key_file)?)?;
		let p2p_public = p2p_public(&p2p)?;
		Ok(Identity { account, p2p, p2p_public })
	}
}

/// Reads the storage key from its file or environment variable.
pub fn storage_key(config: &Config) -> anyhow::Result<Zeroizing<[u8; 32]>> {
	let text = match &config.storage_key {
		StorageKeySource::File(path) => read_secret(path)?,
		StorageKeySource::Env(var) => Zeroizing::new(
			std::env::var(var)
				.map_err(|_| anyhow::anyhow!("environment variable {var} is not set"))?,
		),
	};
	Ok(crate::keystore::parse_storage_key(&text)?)
}

fn random_hex() -> Zeroizing<String> {
	let mut bytes = Zeroizing::new([0u8; 32]);
	rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes[..]);
	Zeroizing::new(format!("0x{}", hex::encode(&bytes[..])))
}

/// Creates each missing key file (mode 0600) with a fresh random secret; existing files are
/// kept. `account_uri` replaces the random account seed (e.g. `//Bob` on a dev chain).
/// Returns the paths created.
pub fn init(config: &Config, account_uri: Option<&str>) -> anyhow::Result<Vec<std::path::PathBuf>> {
	let mut created = Vec::new();
	let mut files = vec![
		(
			config.account_key_file.clone(),
			account_uri.map(|u| Zeroizing::new(u.to_string())).unwrap_or_else(random_hex),
		),
		(config.p2p_key_file.clone(), random_hex()),
	];
	if let StorageKeySource::File(path) = &config.storage_key {
		files.push((path.clone(), random_hex()));
	}
	for (path, secret) in files {
		if path.exists() {
			continue;
		}
		if let Some(dir) = path.parent() {
			std::fs::create_dir_all(dir)?;
		}
		crate::keystore::write_atomically(&path, secret.as_bytes())?;
		created.push(path);
	}
	Ok(created)
}

/// Weak spots in where the secrets are kept, to be logged at start-up: a storage key kept
/// next to the keystore it protects (fine for a dev network only), or a key file that others
/// than its owner may read.
pub fn key_file_warnings(config: &Config) -> Vec<String> {
	let mut warnings = Vec::new();
	let mut files = vec![&config.account_key_file, &config.p2p_key_file];
	if let StorageKeySource::File(path) = &config.storage_key {
		if path.starts_with(&config.data_dir) {
			warnings.push(format!(
				"the storage key {} is inside the data directory: anyone with the disk has the \
				 key shares; keep it elsewhere (storage_key_file or storage_key_env) outside dev",
				path.display()
			));
		}
		files.push(path);
	}
	#[cfg(unix)]
	for path in files {
		use std::os::unix::fs::PermissionsExt;
		if let Ok(meta) = std::fs::metadata(path) {
			if meta.permissions().mode() & 0o077 != 0 {
				warnings.push(format!(
					"{} is readable by others (mode {:o}); chmod 600 it",
					path.display(),
					meta.permissions().mode() & 0o777
				));
			}
		}
	}
	warnings
}

#[cfg(test)]
mod warning_tests {
	use super::*;
	use crate::config::Settings;

	#[test]
	fn storage_key_next_to_the_data_and_open_key_files_are_reported() {
		let dir = tempfile::tempdir().unwrap();
		let settings = Settings { data_dir: Some(dir.path().join("data")), ..Default::default() };
		let config = Config::try_from(settings).unwrap();
		init(&config, Some("//Alice")).unwrap();
		let warnings = key_file_warnings(&config);
		assert_eq!(warnings.len(), 1, "{warnings:?}");
		assert!(warnings[0].contains("inside the data directory"));
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			let perms = std::fs::Permissions::from_mode(0o644);
			std::fs::set_permissions(&config.p2p_key_file, perms).unwrap();
			let warnings = key_file_warnings(&config);
			assert!(warnings.iter().any(|w| w.contains("readable by others")), "{warnings:?}");
		}
	}
}
