//! Fetching the runtime metadata the way `metadata/waas.scale` was made.

use codec::Decode;
use subxt::rpcs::{rpc_params, RpcClient};

/// Metadata versions we know how to commit, newest first.
const PREFERRED_VERSIONS: [u32; 2] = [16, 15];

fn decode_hex(s: &str) -> Result<Vec<u8>, String> {
	hex::decode(s.trim_start_matches("0x")).map_err(|e| format!("bad hex from node: {e}"))
}

async fn state_call(rpc: &RpcClient, method: &str, args: &[u8]) -> Result<Vec<u8>, String> {
	let hex_args = format!("0x{}", hex::encode(args));
	let result: String = rpc
		.request("state_call", rpc_params![method, hex_args])
		.await
		.map_err(|e| format!("state_call {method}: {e}"))?;
	decode_hex(&result)
}

/// The SCALE-encoded `RuntimeMetadataPrefixed` (the `.scale` file format) of the newest
/// version among 16 and 15 that the node serves, and that version.
pub async fn fetch_metadata(url: &str) -> Result<(u32, Vec<u8>), String> {
	let rpc = RpcClient::from_insecure_url(url).await.map_err(|e| format!("connect {url}: {e}"))?;
	let raw = state_call(&rpc, "Metadata_metadata_versions", &[]).await?;
	let versions = Vec::<u32>::decode(&mut &raw[..]).map_err(|e| e.to_string())?;
	let version = PREFERRED_VERSIONS
		.into_iter()
		.find(|v| versions.contains(v))
		.ok_or_else(|| format!("node serves metadata versions {versions:?}, none of 15/16"))?;
	let raw =
		state_call(&rpc, "Metadata_metadata_at_version", &codec::Encode::encode(&version)).await?;
	let metadata = Option::<Vec<u8>>::decode(&mut &raw[..])
		.map_err(|e| e.to_string())?
		.ok_or_else(|| format!("node returned no metadata at version {version}"))?;
	Ok((version, metadata))
}
