//! Genesis presets, built as JSON patches over the default genesis config.
//!
//! - `development`: one authority (Alice), Alice is sudo, the well-known dev accounts endowed.
//! - `local_testnet`: two authorities (Alice, Bob), otherwise the same.
//!
//! Both let intents use two local EVM chains (ids 31337 and 31338, as the anvil nodes of the
//! intents tests).
//!
//! No committee key is in any preset: keys come from a real DKG (or, in tests, from keygen
//! calls that report a test-only key).

use crate::{AccountId, BalancesConfig, IntentsConfig, RuntimeGenesisConfig, SudoConfig, UNIT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Balance of each endowed dev account: 1 million WAAS.
const ENDOWMENT: u128 = 1_000_000 * UNIT;

fn testnet_genesis(
	authorities: Vec<(AuraId, GrandpaId)>,
	endowed: Vec<AccountId>,
	root: AccountId,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.iter().cloned().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: authorities.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: authorities.iter().map(|x| (x.1.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		intents: IntentsConfig { chains: dev_evm_chains(), ..Default::default() },
	})
}

/// The EVM chains intents may use on the dev and local chains: the two anvil nodes of the
/// intents tests (chain ids 31337 and 31338), one confirmation, gas for a plain transfer and
/// an ERC-20 `transfer`, at most 100 gwei per gas, and 45 s of grace after a deadline (a few
/// blocks of this chain: enough for a local node, far too little for a public chain).
fn dev_evm_chains() -> Vec<(u64, pallet_intents::ChainParams)> {
	let params = pallet_intents::ChainParams {
		confirmations: 1,
		native_gas_limit: 21_000,
		erc20_gas_limit: 100_000,
		max_fee_per_gas: 100_000_000_000,
		attestation_grace: 45,
	};
	vec![(31337, params), (31338, params)]
}

fn authority(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

/// The `development` preset.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The `local_testnet` preset.
pub fn local_testnet_genesis() -> Value {
	testnet_genesis(
		vec![
			authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The JSON of a preset, by id.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serializing a JSON value cannot fail; qed")
			.into_bytes(),
	)
}

/// Ids of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
