//! Configuration: a TOML file plus command-line flags (flags win), validated into [`Config`].

use crate::evm::{validate_chains, EvmChainConfig, EvmSettings};
use libp2p::Multiaddr;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Smallest and largest accepted message cap.
const MESSAGE_CAP_RANGE: std::ops::RangeInclusive<u64> = 64 * 1024..=64 * 1024 * 1024;
/// Default message cap: aux-info messages of a 16-member committee fit with room to spare.
pub const DEFAULT_MAX_MESSAGE_BYTES: u64 = 8 * 1024 * 1024;
/// Largest config file read.
const MAX_CONFIG_BYTES: u64 = 64 * 1024;

/// Settings that may come from the file or the command line. Field docs are the flag docs.
#[derive(Clone, Debug, Default, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Settings {
	/// WebSocket URL of the WaaS node [default: ws://127.0.0.1:9944].
	#[arg(long, global = true)]
	pub node_url: Option<String>,
	/// Multiaddr to listen on for other signers [default: /ip4/127.0.0.1/tcp/30500].
	#[arg(long, global = true)]
	pub listen: Option<String>,
	/// Directory for the encrypted keystore (key shares, aux info, primes)
	/// [default: ./waas-signer-data].
	#[arg(long, global = true)]
	pub data_dir: Option<PathBuf>,
	/// File with the account's secret URI (`//Bob`, a mnemonic or a 0x-hex seed): signs this
	/// signer's extrinsics [default: <data-dir>/account.key].
	#[arg(long, global = true)]
	pub account_key_file: Option<PathBuf>,
	/// File with the 32-byte ed25519 p2p identity secret, hex; its public key is the one
	/// registered on-chain [default: <data-dir>/p2p.key].
	#[arg(long, global = true)]
	pub p2p_key_file: Option<PathBuf>,
	/// File with the 32-byte storage encryption key, hex [default: <data-dir>/storage.key
	/// unless --storage-key-env is given]. Keep it off the data disk in production.
	#[arg(long, global = true)]
	pub storage_key_file: Option<PathBuf>,
	/// Name of an environment variable holding the storage key (hex) instead of a file.
	#[arg(long, global = true)]
	pub storage_key_env: Option<String>,
	/// Largest p2p message accepted or sent, in bytes [default: 8 MiB].
	#[arg(long, global = true)]
	pub max_message_bytes: Option<u64>,
	/// The address other signers dial to reach this one, as registered on-chain (multiaddr,
	/// e.g. /dns/signer1.example.com/tcp/30500) [default: the listen address].
	#[arg(long, global = true)]
	pub external_address: Option<String>,
	/// Serve Prometheus metrics (/metrics) and a health check (/health) on this port.
	#[arg(long, global = true)]
	pub prometheus_port: Option<u16>,
	/// Listen for Prometheus on all interfaces instead of loopback only.
	#[arg(long, global = true)]
	#[serde(default)]
	pub prometheus_external: bool,
	/// Protocol sessions that may run at once [default: 4 per core].
	#[arg(long, global = true)]
	pub max_sessions: Option<usize>,
	/// Seconds shutdown waits for running sessions [default: 20].
	#[arg(long, global = true)]
	pub shutdown_grace_secs: Option<u64>,
	/// Anchor the session log on-chain once this many sessions are unanchored
	/// [default: 16].
	#[arg(long, global = true)]
	pub anchor_every_sessions: Option<u64>,
	/// Anchor the session log on-chain when its oldest unanchored session is this many
	/// seconds old [default: 600].
	#[arg(long, global = true)]
	pub anchor_every_secs: Option<u64>,
	/// Allow a plaintext ws:// node URL to a host other than loopback (whoever sits on the
	/// path then decides what this signer signs; use wss:// or a node on the same host).
	#[arg(long, global = true)]
	#[serde(default)]
	pub allow_insecure_rpc: bool,
	/// JSON-RPC endpoint of an EVM chain the intents pallet asks about, as
	/// `CHAIN_ID=http://host:port` (repeatable; replaces the file's URL for that chain).
	#[arg(long = "evm-rpc", value_name = "CHAIN_ID=URL", global = true)]
	#[serde(skip)]
	pub evm_rpc: Vec<String>,
	/// The `[evm.chains."<id>"]` tables of the file (see [`crate::evm::config`]).
	#[arg(skip)]
	#[serde(default)]
	pub evm: EvmSettings,
}

impl Settings {
	/// `self`, with unset fields taken from `fallback`.
	pub fn or(self, fallback: Settings) -> Settings {
		Settings {
			node_url: self.node_url.or(fallback.node_url),
			listen: self.listen.or(fallback.listen),
			data_dir: self.data_dir.or(fallback.data_dir),
			account_key_file: self.account_key_file.or(fallback.account_key_file),
			p2p_key_file: self.p2p_key_file.or(fallback.p2p_key_file),
			storage_key_file: self.storage_key_file.or(fallback.storage_key_file),
			storage_key_env: self.storage_key_env.or(fallback.storage_key_env),
			max_message_bytes: self.max_message_bytes.or(fallback.max_message_bytes),
			external_address: self.external_address.or(fallback.external_address),
			prometheus_port: self.prometheus_port.or(fallback.prometheus_port),
			prometheus_external: self.prometheus_external || fallback.prometheus_external,
			max_sessions: self.max_sessions.or(fallback.max_sessions),
			shutdown_grace_secs: self.shutdown_grace_secs.or(fallback.shutdown_grace_secs),
			anchor_every_sessions: self.anchor_every_sessions.or(fallback.anchor_every_sessions),
			anchor_every_secs: self.anchor_every_secs.or(fallback.anchor_every_secs),
			allow_insecure_rpc: self.allow_insecure_rpc || fallback.allow_insecure_rpc,
			evm_rpc: [fallback.evm_rpc, self.evm_rpc].concat(),
			evm: EvmSettings {
				chains: fallback.evm.chains.into_iter().chain(self.evm.chains).collect(),
			},
		}
	}

	/// Reads a TOML file; relative paths in it are taken from the file's directory.
	pub fn from_file(path: &Path) -> Result<Settings, ConfigError> {
		let meta = std::fs::metadata(path).map_err(|e| ConfigError::Read(path.into(), e))?;
		if meta.len() > MAX_CONFIG_BYTES {
			return Err(ConfigError::Invalid(format!(
				"{} is over {MAX_CONFIG_BYTES} bytes",
				path.display()
			)));
		}
		let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.into(), e))?;
		let mut settings: Settings = toml::from_str(&text)
			.map_err(|e| ConfigError::Invalid(format!("{}: {e}", path.display())))?;
		let base = path.parent().unwrap_or(Path::new("."));
		for p in [
			&mut settings.data_dir,
			&mut settings.account_key_file,
			&mut settings.p2p_key_file,
			&mut settings.storage_key_file,
		]
		.into_iter()
		.flatten()
		{
			if p.is_relative() {
				*p = base.join(&*p);
			}
		}
		Ok(settings)
	}
}

/// Where the storage key comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageKeySource {
	/// A file holding 64 hex digits.
	File(PathBuf),
	/// An environment variable holding 64 hex digits.
	Env(String),
}

/// A complete, validated configuration.
#[derive(Clone, Debug)]
pub struct Config {
	/// WebSocket URL of the node.
	pub node_url: String,
	/// Where to listen for signers.
	pub listen: Multiaddr,
	/// Keystore directory.
	pub data_dir: PathBuf,
	/// Account secret URI file.
	pub account_key_file: PathBuf,
	/// p2p identity secret file.
	pub p2p_key_file: PathBuf,
	/// Storage key source.
	pub storage_key: StorageKeySource,
	/// p2p message cap.
	pub max_message_bytes: u64,
	/// The address to register on-chain.
	pub external_address: Multiaddr,
	/// Where to serve metrics and health, if anywhere.
	pub prometheus: Option<std::net::SocketAddr>,
	/// Service tunables.
	pub service: crate::service::ServiceSettings,
	/// The EVM chains this signer observes for the intents pallet, by chain id (none: it
	/// attests nothing and proposes no payouts).
	pub evm_chains: BTreeMap<u64, EvmChainConfig>,
}

/// A configuration problem, reported before anything starts.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
	/// The file could not be read.
	#[error("cannot read {0}: {1}")]
	Read(PathBuf, std::io::Error),
	/// A value is malformed or out of range.
	#[error("invalid configuration: {0}")]
	Invalid(String),
}

impl TryFrom<Settings> for Config {
	type Error = ConfigError;

	fn try_from(s: Settings) -> Result<Config, ConfigError> {
		let node_url = s.node_url.unwrap_or_else(|| "ws://127.0.0.1:9944".into());
		if !(node_url.starts_with("ws://") || node_url.starts_with("wss://")) {
			return Err(ConfigError::Invalid(format!(
				"node_url {node_url:?} is not ws:// or wss://"
			)));
		}
		if node_url.starts_with("ws://") && !is_loopback_url(&node_url) && !s.allow_insecure_rpc {
			return Err(ConfigError::Invalid(format!(
				"node_url {node_url:?} is plaintext to a remote host: use wss://, a node on \
				 loopback, or --allow-insecure-rpc"
			)));
		}
		let listen_text = s.listen.unwrap_or_else(|| "/ip4/127.0.0.1/tcp/30500".into());
		let listen = listen_text
			.parse()
			.map_err(|e| ConfigError::Invalid(format!("listen {listen_text:?}: {e}")))?;
		let data_dir = s.data_dir.unwrap_or_else(|| PathBuf::from("waas-signer-data"));
		let storage_key = match (s.storage_key_file, s.storage_key_env) {
			(Some(_), Some(_)) => {
				return Err(ConfigError::Invalid(
					"give storage_key_file or storage_key_env, not both".into(),
				))
			},
			(Some(file), None) => StorageKeySource::File(file),
			(None, Some(var)) => StorageKeySource::Env(var),
			(None, None) => StorageKeySource::File(data_dir.join("storage.key")),
		};
		let max_message_bytes = s.max_message_bytes.unwrap_or(DEFAULT_MAX_MESSAGE_BYTES);
		if !MESSAGE_CAP_RANGE.contains(&max_message_bytes) {
			return Err(ConfigError::Invalid(format!(
				"max_message_bytes {max_message_bytes} outside {MESSAGE_CAP_RANGE:?}"
			)));
		}
		let external_address = match s.external_address {
			Some(text) => text
				.parse()
				.map_err(|e| ConfigError::Invalid(format!("external_address {text:?}: {e}")))?,
			None => listen_text
				.parse()
				.map_err(|e| ConfigError::Invalid(format!("listen {listen_text:?}: {e}")))?,
		};
		let prometheus = s.prometheus_port.map(|port| {
			let ip = if s.prometheus_external {
				std::net::Ipv4Addr::UNSPECIFIED
			} else {
				std::net::Ipv4Addr::LOCALHOST
			};
			std::net::SocketAddr::from((ip, port))
		});
		let mut service = crate::service::ServiceSettings::default();
		if let Some(n) = s.max_sessions {
			if !(1..=256).contains(&n) {
				return Err(ConfigError::Invalid(format!("max_sessions {n} outside 1..=256")));
			}
			service.max_sessions = n;
		}
		if let Some(secs) = s.shutdown_grace_secs {
			if secs > 600 {
				return Err(ConfigError::Invalid(format!("shutdown_grace_secs {secs} over 600")));
			}
			service.shutdown_grace = std::time::Duration::from_secs(secs);
		}
		if let Some(n) = s.anchor_every_sessions {
			if !(1..=100_000).contains(&n) {
				return Err(ConfigError::Invalid(format!(
					"anchor_every_sessions {n} outside 1..=100000"
				)));
			}
			service.anchor_every_sessions = n;
		}
		if let Some(secs) = s.anchor_every_secs {
			if !(1..=86_400).contains(&secs) {
				return Err(ConfigError::Invalid(format!(
					"anchor_every_secs {secs} outside 1..=86400"
				)));
			}
			service.anchor_every = std::time::Duration::from_secs(secs);
		}
		let mut evm_chains = s.evm.chains;
		for flag in &s.evm_rpc {
			let (id, url) = parse_evm_rpc_flag(flag)?;
			evm_chains.insert(id, EvmChainConfig { url });
		}
		validate_chains(&evm_chains).map_err(|e| ConfigError::Invalid(e.to_string()))?;
		Ok(Config {
			evm_chains,
			external_address,
			prometheus,
			service,
			node_url,
			listen,
			account_key_file: s.account_key_file.unwrap_or_else(|| data_dir.join("account.key")),
			p2p_key_file: s.p2p_key_file.unwrap_or_else(|| data_dir.join("p2p.key")),
			data_dir,
			storage_key,
			max_message_bytes,
		})
	}
}

/// Parses an `--evm-rpc CHAIN_ID=URL` flag (the URL is checked with the rest of the table).
fn parse_evm_rpc_flag(flag: &str) -> Result<(u64, String), ConfigError> {
	let shown: String = flag.chars().take(64).collect();
	let bad = || ConfigError::Invalid(format!("--evm-rpc {shown:?} is not CHAIN_ID=URL"));
	let (id, url) = flag.split_once('=').ok_or_else(bad)?;
	Ok((crate::evm::config::parse_chain_id(id).ok_or_else(bad)?, url.to_string()))
}

/// Whether a `ws://` URL points at this host.
fn is_loopback_url(url: &str) -> bool {
	let rest = url.trim_start_matches("ws://");
	let authority = rest.split('/').next().unwrap_or("");
	let host = match authority.strip_prefix('[') {
		Some(v6) => v6.split(']').next().unwrap_or(""),
		None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
	};
	host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn file_values_are_overridden_by_flags_and_resolved_against_the_file() {
		let dir = tempfile::tempdir().unwrap();
		let file = dir.path().join("signer.toml");
		std::fs::write(&file, "node_url = \"ws://10.0.0.1:9944\"\nallow_insecure_rpc = true\ndata_dir = \"d\"\nlisten = \"/ip4/0.0.0.0/tcp/1\"\n").unwrap();
		let from_file = Settings::from_file(&file).unwrap();
		let flags = Settings { listen: Some("/ip4/127.0.0.1/tcp/2".into()), ..Default::default() };
		let config = Config::try_from(flags.or(from_file)).unwrap();
		assert_eq!(config.node_url, "ws://10.0.0.1:9944");
		assert_eq!(config.listen.to_string(), "/ip4/127.0.0.1/tcp/2");
		assert_eq!(config.data_dir, dir.path().join("d"));
		assert_eq!(config.storage_key, StorageKeySource::File(dir.path().join("d/storage.key")));
		assert_eq!(config.max_message_bytes, DEFAULT_MAX_MESSAGE_BYTES);
		assert_eq!(
			config.external_address.to_string(),
			"/ip4/127.0.0.1/tcp/2",
			"the listen address"
		);
		assert_eq!(config.prometheus, None);
	}

	#[test]
	fn the_example_config_is_valid() {
		let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/signer.example.toml"));
		let config = Config::try_from(Settings::from_file(path).unwrap()).unwrap();
		assert_eq!(config.max_message_bytes, DEFAULT_MAX_MESSAGE_BYTES);
		assert!(config.p2p_key_file.ends_with("waas-signer-data/p2p.key"));
	}

	#[test]
	fn bad_values_are_typed_errors() {
		let dir = tempfile::tempdir().unwrap();
		let file = dir.path().join("bad.toml");
		std::fs::write(&file, "nodeurl = \"x\"\n").unwrap();
		assert!(matches!(Settings::from_file(&file), Err(ConfigError::Invalid(_))), "unknown key");
		let bad = |s: Settings| Config::try_from(s).unwrap_err().to_string();
		assert!(bad(Settings { node_url: Some("http://x".into()), ..Default::default() })
			.contains("ws://"));
		assert!(bad(Settings {
			node_url: Some("ws://10.0.0.1:9944".into()),
			..Default::default()
		})
		.contains("plaintext"));
		for ok in
			["ws://127.0.0.1:9944", "ws://localhost:1", "ws://[::1]:9944", "wss://rpc.example"]
		{
			let s = Settings { node_url: Some(ok.into()), ..Default::default() };
			assert!(Config::try_from(s).is_ok(), "{ok}");
		}
		let allowed = Settings {
			node_url: Some("ws://10.0.0.1:9944".into()),
			allow_insecure_rpc: true,
			..Default::default()
		};
		assert!(Config::try_from(allowed).is_ok());
		assert!(
			bad(Settings { listen: Some("nope".into()), ..Default::default() }).contains("listen")
		);
		assert!(bad(Settings { max_message_bytes: Some(10), ..Default::default() })
			.contains("max_message_bytes"));
		assert!(
			bad(Settings { max_sessions: Some(0), ..Default::default() }).contains("max_sessions")
		);
		assert!(bad(Settings { external_address: Some("x:y".into()), ..Default::default() })
			.contains("external_address"));
		assert!(bad(Settings { anchor_every_sessions: Some(0), ..Default::default() })
			.contains("anchor_every_sessions"));
		assert!(bad(Settings { anchor_every_secs: Some(86_401), ..Default::default() })
			.contains("anchor_every_secs"));
		let anchoring = Config::try_from(Settings {
			anchor_every_sessions: Some(1),
			anchor_every_secs: Some(10),
			..Default::default()
		})
		.unwrap();
		assert_eq!(anchoring.service.anchor_every_sessions, 1);
		assert_eq!(anchoring.service.anchor_every, std::time::Duration::from_secs(10));
		let both = Settings {
			storage_key_file: Some("k".into()),
			storage_key_env: Some("K".into()),
			..Default::default()
		};
		assert!(bad(both).contains("not both"));
	}

	#[test]
	fn evm_chains_come_from_the_file_and_flags_replace_them_per_chain() {
		let dir = tempfile::tempdir().unwrap();
		let file = dir.path().join("signer.toml");
		std::fs::write(
			&file,
			"[evm.chains.\"1\"]\nurl = \"http://file-one\"\n[evm.chains.\"2\"]\nurl = \"http://file-two\"\n",
		)
		.unwrap();
		let flags = Settings {
			evm_rpc: vec!["2=http://flag-two".into(), "3=http://flag-three".into()],
			..Default::default()
		};
		let config = Config::try_from(flags.or(Settings::from_file(&file).unwrap())).unwrap();
		let urls: Vec<(u64, &str)> =
			config.evm_chains.iter().map(|(id, c)| (*id, c.url.as_str())).collect();
		assert_eq!(
			urls,
			vec![(1, "http://file-one"), (2, "http://flag-two"), (3, "http://flag-three")]
		);
		let bad = |flag: &str| {
			Config::try_from(Settings { evm_rpc: vec![flag.into()], ..Default::default() })
				.unwrap_err()
				.to_string()
		};
		for flag in ["31337", "=http://a", "x=http://a", "01=http://a", "-1=http://a"] {
			assert!(bad(flag).contains("CHAIN_ID=URL"), "{flag}");
		}
		assert!(bad("0=http://a").contains("chain id 0"));
		assert!(bad("5=https://a").contains("not http"));
	}
}
