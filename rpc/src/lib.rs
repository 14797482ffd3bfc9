//! `waas_*` JSON-RPC methods, backed by the runtime's [`WaasApi`].
//!
//! | method | params | result |
//! |---|---|---|
//! | `waas_metaAccount` | `id` (0x hex, 32 bytes), `at`? | Meta-Account or `null` |
//! | `waas_metaAccountOf` | `account` (SS58), `at`? | Meta-Account id or `null` |
//! | `waas_addresses` | `metaAccount` (0x hex), `at`? | list of addresses |
//! | `waas_deriveAddress` | `key`, `path` (array of u32), `chain` (CAIP-2), `at`? | address text |
//! | `waas_signatureRequest` | `id`, `at`? | request with its state and signature, or `null` |
//!
//! Byte fields are returned as `0x` hex, chain ids and addresses as text.

use codec::Codec;
use jsonrpsee::{
	core::{async_trait, RpcResult},
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::{marker::PhantomData, sync::Arc};
use waas_runtime_api::{
	AddressStatusView, AddressView, DeriveError, MetaAccountView, RequestStateView,
	SignatureRequestView, WaasApi as WaasRuntimeApi,
};

/// Most path components `waas_deriveAddress` accepts (the runtime allows at most this too).
pub const MAX_PATH_LEN: usize = waas_primitives::MAX_DERIVATION_DEPTH as usize;
/// Longest chain id `waas_deriveAddress` accepts.
pub const MAX_CHAIN_LEN: usize = waas_primitives::MAX_CHAIN_ID_LEN as usize;

/// Error codes of the `waas_*` methods.
pub mod error_code {
	/// The runtime API call failed.
	pub const RUNTIME_ERROR: i32 = 9000;
	/// A parameter is malformed.
	pub const INVALID_PARAMS: i32 = 9001;
	/// The address cannot be derived (see the message: unknown key, inactive key, bad chain id…).
	pub const DERIVE_FAILED: i32 = 9002;
}

/// A Meta-Account in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MetaAccountJson<AccountId, BlockNumber> {
	/// Id, 0x hex.
	pub id: String,
	/// Authenticator accounts.
	pub authenticators: Vec<AccountId>,
	/// Creator.
	pub creator: AccountId,
	/// Block of creation.
	pub created_at: BlockNumber,
}

/// An address in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AddressJson<BlockNumber> {
	/// Index within the Meta-Account.
	pub index: u32,
	/// Committee key id.
	pub key: u32,
	/// CAIP-2 chain id.
	pub chain: String,
	/// Address text.
	pub address: String,
	/// BIP32 path.
	pub path: Vec<u32>,
	/// Compressed public key, 0x hex.
	pub public_key: String,
	/// `Active`, `Used` or `Revoked`.
	pub status: AddressStatusView,
	/// One-time address?
	pub one_time: bool,
	/// Block of provisioning.
	pub created_at: BlockNumber,
}

/// A signature request in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SignatureRequestJson<AccountId, BlockNumber> {
	/// Request id.
	pub id: u64,
	/// Committee key id.
	pub key: u32,
	/// BIP32 path.
	pub path: Vec<u32>,
	/// Hash scheme.
	pub scheme: waas_primitives::HashScheme,
	/// Payload, 0x hex.
	pub payload: String,
	/// Prehash, 0x hex.
	pub message_hash: String,
	/// Derived public key, 0x hex.
	pub public_key: String,
	/// Requesting account.
	pub requester: Option<AccountId>,
	/// `Pending`, `Signed` or `Failed`, with details.
	pub state: RequestStateJson<AccountId, BlockNumber>,
}

/// State of a request in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum RequestStateJson<AccountId, BlockNumber> {
	/// Waiting for signers.
	#[serde(rename_all = "camelCase")]
	Pending {
		/// Attempt from 0.
		attempt: u8,
		/// Assigned signers.
		signers: Vec<AccountId>,
		/// Last block of the attempt.
		deadline: BlockNumber,
	},
	/// Signed.
	#[serde(rename_all = "camelCase")]
	Signed {
		/// r ‖ s, 0x hex (64 bytes).
		signature: String,
		/// Recovery id.
		recovery_id: u8,
		/// Submitting signer.
		submitted_by: AccountId,
		/// Block of acceptance.
		at: BlockNumber,
	},
	/// Failed.
	#[serde(rename_all = "camelCase")]
	Failed {
		/// Reason.
		reason: String,
		/// Block of failure.
		at: BlockNumber,
	},
}

fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

fn text(bytes: Vec<u8>) -> String {
	String::from_utf8_lossy(&bytes).into_owned()
}

impl<A, B> From<MetaAccountView<A, B>> for MetaAccountJson<A, B> {
	fn from(v: MetaAccountView<A, B>) -> Self {
		Self {
			id: hex0x(&v.id),
			authenticators: v.authenticators,
			creator: v.creator,
			created_at: v.created_at,
		}
	}
}

impl<B> From<AddressView<B>> for AddressJson<B> {
	fn from(v: AddressView<B>) -> Self {
		Self {
			index: v.index,
			key: v.key,
			chain: text(v.chain),
			address: text(v.address),
			path: v.path,
			public_key: hex0x(&v.public_key),
			status: v.status,
			one_time: v.one_time,
			created_at: v.created_at,
		}
	}
}

impl<A, B> From<SignatureRequestView<A, B>> for SignatureRequestJson<A, B> {
	fn from(v: SignatureRequestView<A, B>) -> Self {
		Self {
			id: v.id,
			key: v.key,
			path: v.path,
			scheme: v.scheme,
			payload: hex0x(&v.payload),
			message_hash: hex0x(&v.message_hash),
			public_key: hex0x(&v.public_key),
			requester: v.requester,
			state: match v.state {
				RequestStateView::Pending { attempt, signers, deadline } => {
					RequestStateJson::Pending { attempt, signers, deadline }
				},
				RequestStateView::Signed { signature, recovery_id, submitted_by, at } => {
					RequestStateJson::Signed {
						signature: hex0x(&signature),
						recovery_id,
						submitted_by,
						at,
					}
				},
				RequestStateView::Failed { reason, at } => {
					RequestStateJson::Failed { reason: text(reason), at }
				},
			},
		}
	}
}

/// Parses a `0x`-prefixed 32-byte hex id.
pub fn parse_id(s: &str) -> Result<[u8; 32], ErrorObjectOwned> {
	let digits = s.strip_prefix("0x").ok_or_else(|| invalid("id must start with 0x"))?;
	if digits.len() != 64 {
		return Err(invalid("id must be 32 bytes (64 hex digits)"));
	}
	let mut out = [0u8; 32];
	hex::decode_to_slice(digits, &mut out).map_err(|_| invalid("id is not hex"))?;
	Ok(out)
}

fn invalid(msg: &str) -> ErrorObjectOwned {
	ErrorObject::owned(error_code::INVALID_PARAMS, msg.to_string(), None::<()>)
}

fn runtime_error(e: impl std::fmt::Debug) -> ErrorObjectOwned {
	ErrorObject::owned(error_code::RUNTIME_ERROR, "runtime API call failed", Some(format!("{e:?}")))
}

fn derive_error(e: DeriveError) -> ErrorObjectOwned {
	ErrorObject::owned(error_code::DERIVE_FAILED, format!("{e:?}"), None::<()>)
}

/// The `waas_*` RPC methods.
#[rpc(server)]
pub trait WaasApi<BlockHash, AccountId, BlockNumber> {
	/// A Meta-Account by id (0x hex).
	#[method(name = "waas_metaAccount")]
	fn meta_account(
		&self,
		id: String,
		at: Option<BlockHash>,
	) -> RpcResult<Option<MetaAccountJson<AccountId, BlockNumber>>>;

	/// The Meta-Account id an account authenticates for.
	#[method(name = "waas_metaAccountOf")]
	fn meta_account_of(
		&self,
		account: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<String>>;

	/// The addresses of a Meta-Account.
	#[method(name = "waas_addresses")]
	fn addresses(
		&self,
		meta_account: String,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<AddressJson<BlockNumber>>>;

	/// The address of `path` under an Active `key` on `chain` (CAIP-2), computed by the runtime.
	#[method(name = "waas_deriveAddress")]
	fn derive_address(
		&self,
		key: u32,
		path: Vec<u32>,
		chain: String,
		at: Option<BlockHash>,
	) -> RpcResult<String>;

	/// A signature request: its state and, once signed, the signature.
	#[method(name = "waas_signatureRequest")]
	fn signature_request(
		&self,
		id: u64,
		at: Option<BlockHash>,
	) -> RpcResult<Option<SignatureRequestJson<AccountId, BlockNumber>>>;
}

/// Implementation of [`WaasApiServer`] over a client.
pub struct Waas<C, Block> {
	client: Arc<C>,
	_block: PhantomData<Block>,
}

impl<C, Block> Waas<C, Block> {
	/// Serves the methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

#[async_trait]
impl<C, Block, AccountId, BlockNumber> WaasApiServer<Block::Hash, AccountId, BlockNumber>
	for Waas<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: WaasRuntimeApi<Block, AccountId, BlockNumber>,
	AccountId: Codec + Serialize + Clone + Send + Sync + 'static + for<'de> serde::Deserialize<'de>,
	BlockNumber: Codec + Serialize + Clone + Send + Sync + 'static,
{
	fn meta_account(
		&self,
		id: String,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<MetaAccountJson<AccountId, BlockNumber>>> {
		let id = parse_id(&id)?;
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let view = self.client.runtime_api().meta_account(at, id).map_err(runtime_error)?;
		Ok(view.map(Into::into))
	}

	fn meta_account_of(
		&self,
		account: AccountId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<String>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let id = self.client.runtime_api().meta_account_of(at, account).map_err(runtime_error)?;
		Ok(id.map(|id| hex0x(&id)))
	}

	fn addresses(
		&self,
		meta_account: String,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<AddressJson<BlockNumber>>> {
		let id = parse_id(&meta_account)?;
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let list = self.client.runtime_api().addresses(at, id).map_err(runtime_error)?;
		Ok(list.into_iter().map(Into::into).collect())
	}

	fn derive_address(
		&self,
		key: u32,
		path: Vec<u32>,
		chain: String,
		at: Option<Block::Hash>,
	) -> RpcResult<String> {
		if path.len() > MAX_PATH_LEN {
			return Err(invalid("path is too deep"));
		}
		if chain.len() > MAX_CHAIN_LEN {
			return Err(invalid("chain id is too long"));
		}
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let result = self
			.client
			.runtime_api()
			.derive_address(at, key, path, chain.into_bytes())
			.map_err(runtime_error)?;
		result.map(text).map_err(derive_error)
	}

	fn signature_request(
		&self,
		id: u64,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<SignatureRequestJson<AccountId, BlockNumber>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let view = self.client.runtime_api().signature_request(at, id).map_err(runtime_error)?;
		Ok(view.map(Into::into))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parse_id_accepts_only_0x_32_bytes() {
		let ok = format!("0x{}", "ab".repeat(32));
		assert_eq!(parse_id(&ok).unwrap(), [0xab; 32]);
		assert!(parse_id(&"ab".repeat(32)).is_err());
		assert!(parse_id("0x1234").is_err());
		assert!(parse_id(&format!("0x{}", "zz".repeat(32))).is_err());
		assert_eq!(parse_id("0x").unwrap_err().code(), error_code::INVALID_PARAMS);
	}

	#[test]
	fn request_json_shape() {
		let view: SignatureRequestView<u64, u32> = SignatureRequestView {
			id: 3,
			key: 0,
			path: vec![1, 2],
			scheme: waas_primitives::HashScheme::Keccak256,
			payload: b"hi".to_vec(),
			message_hash: [1u8; 32],
			public_key: [2u8; 33],
			requester: Some(7),
			state: RequestStateView::Signed {
				signature: vec![3u8; 64],
				recovery_id: 1,
				submitted_by: 9,
				at: 12,
			},
		};
		let json = serde_json::to_value(SignatureRequestJson::from(view)).unwrap();
		assert_eq!(json["payload"], "0x6869");
		assert_eq!(json["state"]["state"], "signed");
		assert_eq!(json["state"]["recoveryId"], 1);
		assert_eq!(json["state"]["signature"], format!("0x{}", "03".repeat(64)));
		assert_eq!(json["scheme"], "Keccak256");
	}
}
