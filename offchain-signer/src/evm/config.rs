//! Which EVM chains the signer observes, and through which JSON-RPC endpoint.
//!
//! In the signer's TOML file they form a table keyed by EIP-155 chain id:
//!
//! ```toml
//! [evm.chains."31337"]
//! url = "http://127.0.0.1:8545"
//! ```

use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use url::Url;

/// The most chains one signer observes.
pub const MAX_EVM_CHAINS: usize = 16;
/// The longest endpoint URL accepted, in bytes.
pub const MAX_EVM_URL_LEN: usize = 256;

/// One EVM chain's JSON-RPC endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvmChainConfig {
	/// HTTP(S) URL of a JSON-RPC node of the chain.
	pub url: String,
}

/// The `[evm]` table of the signer's configuration file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvmSettings {
	/// Endpoints by EIP-155 chain id (TOML keys are strings: `[evm.chains."1"]`).
	#[serde(default, deserialize_with = "chain_table")]
	pub chains: BTreeMap<u64, EvmChainConfig>,
}

impl EvmSettings {
	/// Checks the chains with [`validate_chains`].
	pub fn validate(&self) -> Result<(), EvmConfigError> {
		validate_chains(&self.chains)
	}
}

/// A malformed `[evm]` configuration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvmConfigError {
	/// More than [`MAX_EVM_CHAINS`] chains.
	#[error("{0} EVM chains configured; at most {MAX_EVM_CHAINS}")]
	TooManyChains(usize),
	/// Chain id 0 is not an EIP-155 chain id.
	#[error("EVM chain id 0 is not a chain id")]
	ZeroChainId,
	/// The URL is longer than [`MAX_EVM_URL_LEN`].
	#[error("EVM chain {chain_id}: url is {len} bytes; at most {MAX_EVM_URL_LEN}")]
	UrlTooLong {
		/// The chain.
		chain_id: u64,
		/// The URL's length in bytes.
		len: usize,
	},
	/// The URL does not parse.
	#[error("EVM chain {chain_id}: url does not parse: {reason}")]
	BadUrl {
		/// The chain.
		chain_id: u64,
		/// What the URL parser said.
		reason: String,
	},
	/// The URL is not `http://`. (`https://` is refused too: this build of the signer has
	/// no TLS backend for its EVM client yet, so it could not connect.)
	#[error(
		"EVM chain {chain_id}: url scheme {scheme:?} is not http (https is not supported yet)"
	)]
	BadScheme {
		/// The chain.
		chain_id: u64,
		/// The scheme found (at most 16 characters of it).
		scheme: String,
	},
}

/// Checks a chain table: at most [`MAX_EVM_CHAINS`] chains, no chain id 0, and each URL at
/// most [`MAX_EVM_URL_LEN`] bytes, parsing as an `http` URL with a host.
pub fn validate_chains(chains: &BTreeMap<u64, EvmChainConfig>) -> Result<(), EvmConfigError> {
	if chains.len() > MAX_EVM_CHAINS {
		return Err(EvmConfigError::TooManyChains(chains.len()));
	}
	for (&chain_id, chain) in chains {
		parse_url(chain_id, &chain.url)?;
	}
	Ok(())
}

/// The endpoint of `chain_id` as a URL, checked as [`validate_chains`] does.
pub(crate) fn parse_url(chain_id: u64, url: &str) -> Result<Url, EvmConfigError> {
	if chain_id == 0 {
		return Err(EvmConfigError::ZeroChainId);
	}
	if url.len() > MAX_EVM_URL_LEN {
		return Err(EvmConfigError::UrlTooLong { chain_id, len: url.len() });
	}
	let parsed =
		Url::parse(url).map_err(|e| EvmConfigError::BadUrl { chain_id, reason: e.to_string() })?;
	if parsed.scheme() != "http" {
		let scheme = parsed.scheme().chars().take(16).collect();
		return Err(EvmConfigError::BadScheme { chain_id, scheme });
	}
	if parsed.host_str().is_none_or(str::is_empty) {
		return Err(EvmConfigError::BadUrl { chain_id, reason: "no host".into() });
	}
	Ok(parsed)
}

/// Deserializes the chain table, whose keys are decimal chain ids written as strings (TOML
/// keys are always strings).
fn chain_table<'de, D: Deserializer<'de>>(
	deserializer: D,
) -> Result<BTreeMap<u64, EvmChainConfig>, D::Error> {
	let raw = BTreeMap::<String, EvmChainConfig>::deserialize(deserializer)?;
	if raw.len() > MAX_EVM_CHAINS {
		return Err(serde::de::Error::custom(EvmConfigError::TooManyChains(raw.len())));
	}
	let mut chains = BTreeMap::new();
	for (key, chain) in raw {
		let chain_id = parse_chain_id(&key).ok_or_else(|| {
			let shown: String = key.chars().take(24).collect();
			serde::de::Error::custom(format!("EVM chain id {shown:?} is not a decimal u64"))
		})?;
		if chains.insert(chain_id, chain).is_some() {
			return Err(serde::de::Error::custom(format!("EVM chain {chain_id} given twice")));
		}
	}
	Ok(chains)
}

/// A chain id key: ASCII digits only, without a sign or leading zeros, fitting a `u64`.
pub(crate) fn parse_chain_id(key: &str) -> Option<u64> {
	let canonical = !key.is_empty()
		&& key.bytes().all(|b| b.is_ascii_digit())
		&& (key == "0" || !key.starts_with('0'));
	if !canonical {
		return None;
	}
	key.parse().ok()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[derive(Debug, Deserialize)]
	#[serde(deny_unknown_fields)]
	struct File {
		evm: EvmSettings,
	}

	fn parse(text: &str) -> Result<EvmSettings, String> {
		toml::from_str::<File>(text).map(|f| f.evm).map_err(|e| e.to_string())
	}

	fn chains(urls: &[(u64, &str)]) -> BTreeMap<u64, EvmChainConfig> {
		urls.iter().map(|&(id, url)| (id, EvmChainConfig { url: url.into() })).collect()
	}

	#[test]
	fn chains_are_read_from_toml_by_chain_id() {
		let evm = parse(
			"[evm.chains.\"31337\"]\nurl = \"http://127.0.0.1:8545\"\n\n\
			 [evm.chains.\"1\"]\nurl = \"http://rpc.example/v1?key=k\"\n",
		)
		.unwrap();
		assert_eq!(
			evm.chains,
			chains(&[(1, "http://rpc.example/v1?key=k"), (31337, "http://127.0.0.1:8545")])
		);
		assert_eq!(evm.validate(), Ok(()));
		assert_eq!(parse("[evm]\n").unwrap(), EvmSettings::default(), "no chains");
	}

	#[test]
	fn malformed_tables_are_refused() {
		for (text, expected) in [
			("[evm.chains.\"0x1\"]\nurl = \"http://a\"\n", "not a decimal u64"),
			("[evm.chains.\"01\"]\nurl = \"http://a\"\n", "not a decimal u64"),
			("[evm.chains.\"-1\"]\nurl = \"http://a\"\n", "not a decimal u64"),
			("[evm.chains.\"\"]\nurl = \"http://a\"\n", "not a decimal u64"),
			("[evm.chains.\"18446744073709551616\"]\nurl = \"http://a\"\n", "not a decimal u64"),
			("[evm.chains.\"1\"]\nurl = \"http://a\"\nrpc = \"x\"\n", "unknown field"),
			("[evm.chains.\"1\"]\n", "missing field"),
			("[evm]\nchain = {}\n", "unknown field"),
		] {
			let err = parse(text).unwrap_err();
			assert!(err.contains(expected), "{text:?}: {err}");
		}
		let many: String =
			(1..=17).map(|i| format!("[evm.chains.\"{i}\"]\nurl = \"http://a\"\n")).collect();
		assert!(parse(&many).unwrap_err().contains("at most 16"));
	}

	#[test]
	fn urls_and_counts_are_validated() {
		let ok = chains(&[
			(1, "http://127.0.0.1:8545"),
			(2, "http://rpc.example"),
			(3, "http://[::1]:8545/"),
			(u64::MAX, "HTTP://Node.Example:8545/path"),
		]);
		assert_eq!(validate_chains(&ok), Ok(()));
		assert_eq!(validate_chains(&BTreeMap::new()), Ok(()));
		let full: BTreeMap<_, _> =
			(1..=16).map(|i| (i, EvmChainConfig { url: "http://a".into() })).collect();
		assert_eq!(validate_chains(&full), Ok(()));
		let mut over = full;
		over.insert(17, EvmChainConfig { url: "http://a".into() });
		assert_eq!(validate_chains(&over), Err(EvmConfigError::TooManyChains(17)));

		let err = |id: u64, url: &str| validate_chains(&chains(&[(id, url)])).unwrap_err();
		assert_eq!(err(0, "http://a"), EvmConfigError::ZeroChainId);
		let long = format!("http://a/{}", "x".repeat(MAX_EVM_URL_LEN));
		assert_eq!(err(5, &long), EvmConfigError::UrlTooLong { chain_id: 5, len: long.len() });
		let at_cap = format!("http://a/{}", "x".repeat(MAX_EVM_URL_LEN - 9));
		assert_eq!(validate_chains(&chains(&[(5, &at_cap)])), Ok(()));
		for scheme in
			["https://a", "ws://a", "wss://a", "ftp://a", "file:///etc/passwd", "unix:/run/x"]
		{
			assert!(
				matches!(err(7, scheme), EvmConfigError::BadScheme { chain_id: 7, .. }),
				"{scheme}"
			);
		}
		for bad in ["", "127.0.0.1:8545", "http://", "http://a b", "http://[::1"] {
			assert!(matches!(err(9, bad), EvmConfigError::BadUrl { chain_id: 9, .. }), "{bad:?}");
		}
		assert!(err(9, "localhost:8545").to_string().contains("is not http"));
	}
}
