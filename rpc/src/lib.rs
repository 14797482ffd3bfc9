//! `waas_*` JSON-RPC methods, backed by the runtime's [`WaasApi`].
//!
//! | method | params | result |
//! |---|---|---|
//! | `waas_metaAccount` | `id` (0x hex, 32 bytes), `at`? | Meta-Account or `null` |
//! | `waas_metaAccountOf` | `account` (SS58), `at`? | Meta-Account id or `null` |
//! | `waas_metaAccountOfAuthenticator` | `key` (`{"substrate": SS58}`, `{"passkey": 0x credential id}` or `{"evm": 0x address}`), `at`? | Meta-Account id or `null` |
//! | `waas_nextMetaAccount` | `key` (as above), `at`? | `{id, sovereignAccount, creationNonce}`: what `key` would create next |
//! | `waas_invitations` | `account` (SS58), `at`? | pending invitations to the account |
//! | `waas_addresses` | `metaAccount` (0x hex), `start`?, `limit`?, `at`? | addresses, by index |
//! | `waas_deriveAddress` | `key`, `path` (array of u32), `chain` (CAIP-2), `at`? | address text |
//! | `waas_signatureRequest` | `id`, `at`? | request with its state and signature, or `null` |
//! | `waas_signingFee` | `key`, `at`? | fee of a new request now (decimal string), or `null` |
//! | `waas_keys` | `start`?, `limit`?, `at`? | committee keys, by id |
//! | `waas_committees` | `start`?, `limit`?, `at`? | committees, by id |
//! | `waas_signers` | `startAfter`?, `limit`?, `at`? | registered signers |
//! | `waas_assignedRequests` | `signer` (SS58), `at`? | `[[request, attempt], …]` assigned now |
//!
//! The audit anchors' methods (`waas_auditLog`, `waas_treeHead`, `waas_verifyInclusion`,
//! `waas_verifyConsistency`) are in [`audit`].
//!
//! Byte fields are returned as `0x` hex, chain ids, addresses and endpoints as text, balances as
//! decimal strings (they exceed JavaScript's safe integers). Pages hold at most
//! [`MAX_PAGE`](waas_runtime_api::MAX_PAGE) entries (the default `limit`).

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
use std::{fmt::Display, marker::PhantomData, sync::Arc};
use waas_runtime_api::{
	AddressStatusView, AddressView, AuthenticatorKey, CommitteeView, DeriveError, InvitationView,
	KeyStatusView, KeyView, KeygenFailureView, MetaAccountView, RequestOwner, RequestStateView,
	SignatureRequestView, SignerView, SigningFailure, WaasApi as WaasRuntimeApi, MAX_PAGE,
};
use waas_traits::{CredentialId, MAX_CREDENTIAL_ID_LEN};

/// Most path components `waas_deriveAddress` accepts (the runtime allows at most this too).
pub const MAX_PATH_LEN: usize = waas_primitives::MAX_DERIVATION_DEPTH as usize;
/// Longest chain id `waas_deriveAddress` accepts.
pub const MAX_CHAIN_LEN: usize = waas_primitives::MAX_CHAIN_ID_LEN as usize;

pub mod audit;

/// Error codes of the `waas_*` methods.
pub mod error_code {
	/// The runtime API call failed.
	pub const RUNTIME_ERROR: i32 = 9000;
	/// A parameter is malformed.
	pub const INVALID_PARAMS: i32 = 9001;
	/// The address cannot be derived (see the message: unknown key, inactive key, bad chain id…).
	pub const DERIVE_FAILED: i32 = 9002;
	/// The node cannot give an activity log's entries: no offchain index, or one that lacks
	/// or contradicts an entry (see the message).
	pub const INDEX_UNAVAILABLE: i32 = 9003;
}

/// An authenticator key in JSON: `{"substrate": SS58}`, `{"passkey": "0x…"}` (credential id)
/// or `{"evm": "0x…"}` (20-byte address).
#[derive(Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub enum AuthenticatorKeyJson<AccountId> {
	/// A Substrate account.
	Substrate(AccountId),
	/// A passkey's credential id, 0x hex.
	Passkey(String),
	/// An EVM address, 0x hex.
	Evm(String),
}

impl<A> From<AuthenticatorKey<A>> for AuthenticatorKeyJson<A> {
	fn from(key: AuthenticatorKey<A>) -> Self {
		match key {
			AuthenticatorKey::Substrate(a) => Self::Substrate(a),
			AuthenticatorKey::Passkey(id) => Self::Passkey(hex0x(&id)),
			AuthenticatorKey::Evm(address) => Self::Evm(hex0x(address.as_bytes())),
		}
	}
}

impl<A> AuthenticatorKeyJson<A> {
	/// The runtime's key, or an invalid-params error for a malformed or oversized one.
	pub fn parse(self) -> Result<AuthenticatorKey<A>, ErrorObjectOwned> {
		match self {
			Self::Substrate(a) => Ok(AuthenticatorKey::Substrate(a)),
			Self::Passkey(id) => {
				let bytes = parse_hex(&id, MAX_CREDENTIAL_ID_LEN as usize)?;
				let id = CredentialId::try_from(bytes)
					.map_err(|_| invalid("credential id longer than 255 bytes"))?;
				if id.is_empty() {
					return Err(invalid("empty credential id"));
				}
				Ok(AuthenticatorKey::Passkey(id))
			},
			Self::Evm(address) => {
				let bytes = parse_hex(&address, 20)?;
				if bytes.len() != 20 {
					return Err(invalid("an EVM address is 20 bytes"));
				}
				Ok(AuthenticatorKey::Evm(sp_core::H160::from_slice(&bytes)))
			},
		}
	}
}

/// A passkey's on-chain state in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PasskeyJson {
	/// P-256 public key, SEC1 uncompressed, 0x hex.
	pub public_key: String,
	/// Last signature counter.
	pub sign_count: u32,
	/// Backup eligible.
	pub backup_eligible: bool,
	/// Backed up.
	pub backup_state: bool,
}

/// An authenticator in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorJson<AccountId, BlockNumber> {
	/// What identifies it.
	pub key: AuthenticatorKeyJson<AccountId>,
	/// `Owner`, `Signer` or `Viewer`.
	pub role: String,
	/// Its key and counter, for a passkey.
	pub passkey: Option<PasskeyJson>,
	/// The deposit (decimal).
	pub deposit: String,
	/// Who the deposit is held from.
	pub deposit_payer: AccountId,
	/// Block in which it was added.
	pub added_at: BlockNumber,
}

/// A pending change in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PendingChangeJson<AccountId, BlockNumber> {
	/// Its id.
	pub id: u32,
	/// The authenticator it is about.
	pub target: AuthenticatorKeyJson<AccountId>,
	/// The new role (`Owner`, `Signer`, `Viewer`), or `null` for a removal.
	pub new_role: Option<String>,
	/// Who proposed it.
	pub proposer: AuthenticatorKeyJson<AccountId>,
	/// First block in which it can be enacted.
	pub enact_at: BlockNumber,
}

/// A Meta-Account in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MetaAccountJson<AccountId, BlockNumber> {
	/// Id, 0x hex.
	pub id: String,
	/// The authenticator that created it.
	pub creator: AuthenticatorKeyJson<AccountId>,
	/// Block of creation.
	pub created_at: BlockNumber,
	/// Its sovereign account.
	pub sovereign_account: AccountId,
	/// The nonce its next envelope carries.
	pub nonce: u64,
	/// Its epoch.
	pub epoch: u32,
	/// Its authenticators.
	pub authenticators: Vec<AuthenticatorJson<AccountId, BlockNumber>>,
	/// Accounts with a pending invitation.
	pub invitees: Vec<AccountId>,
	/// Changes waiting for their delay.
	pub pending_changes: Vec<PendingChangeJson<AccountId, BlockNumber>>,
}

/// What an authenticator would create next, in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NextMetaAccountJson<AccountId> {
	/// Its id, 0x hex.
	pub id: String,
	/// Its sovereign account.
	pub sovereign_account: AccountId,
	/// The creator's creation nonce.
	pub creation_nonce: u32,
}

/// A pending invitation in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InvitationJson<AccountId, BlockNumber> {
	/// Inviting Meta-Account, 0x hex.
	pub meta_account: String,
	/// The Owner that invited.
	pub invited_by: AuthenticatorKeyJson<AccountId>,
	/// The role the invitee gets.
	pub role: String,
	/// Who the deposit is held from.
	pub deposit_payer: AccountId,
	/// The deposit (decimal).
	pub deposit: String,
	/// Last block to accept in.
	pub expires_at: BlockNumber,
}

/// An address in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AddressJson<AccountId, BlockNumber> {
	/// Index within the Meta-Account.
	pub index: u32,
	/// Committee key id.
	pub key: u32,
	/// CAIP-2 chain id.
	pub chain: String,
	/// Address text.
	pub address: String,
	/// BIP32 path, namespace first.
	pub path: Vec<u32>,
	/// Compressed public key, 0x hex.
	pub public_key: String,
	/// `Active` or `Used`.
	pub status: AddressStatusView,
	/// One-time address?
	pub one_time: bool,
	/// Unfinished signature requests.
	pub in_flight: u32,
	/// Who holds the deposit.
	pub deposit_payer: AccountId,
	/// The deposit (decimal).
	pub deposit: String,
	/// Block of provisioning.
	pub created_at: BlockNumber,
}

/// Who a request is for, in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OwnerJson {
	/// Path namespace (0 privileged, 1 Meta-Account addresses).
	pub namespace: u32,
	/// Owner of the path prefix, 0x hex (the Meta-Account for namespace 1).
	pub id: String,
	/// Context within the owner (the address index for namespace 1).
	pub context: u64,
}

/// A signature request in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SignatureRequestJson<AccountId, BlockNumber> {
	/// Request id.
	pub id: u64,
	/// Who it is for.
	pub owner: OwnerJson,
	/// Who paid its deposit and fee.
	pub payer: Option<AccountId>,
	/// Committee key id.
	pub key: u32,
	/// BIP32 path, namespace first.
	pub path: Vec<u32>,
	/// Hash scheme.
	pub scheme: waas_primitives::HashScheme,
	/// Payload, 0x hex.
	pub payload: String,
	/// Prehash, 0x hex.
	pub message_hash: String,
	/// Derived public key, 0x hex.
	pub public_key: String,
	/// Deposit (decimal).
	pub deposit: String,
	/// Signing fee (decimal).
	pub fee: String,
	/// Block of the request.
	pub requested_at: BlockNumber,
	/// `queued`, `assigned`, `signed`, `failed` or `cancelled`, with details.
	pub state: RequestStateJson<AccountId, BlockNumber>,
}

/// State of a request in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum RequestStateJson<AccountId, BlockNumber> {
	/// Waiting in the key's FIFO.
	#[serde(rename_all = "camelCase")]
	Queued {
		/// Requests ahead of it.
		position: u32,
	},
	/// Being signed.
	#[serde(rename_all = "camelCase")]
	Assigned {
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
		/// `AttemptsExhausted` or `KeyRetired`.
		reason: String,
		/// Block of failure.
		at: BlockNumber,
	},
	/// Cancelled.
	#[serde(rename_all = "camelCase")]
	Cancelled {
		/// Block of cancellation.
		at: BlockNumber,
	},
}

/// A committee key in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KeyJson<AccountId, BlockNumber> {
	/// Key id.
	pub id: u32,
	/// Committee.
	pub committee: u32,
	/// `generating`, `active`, `failed` or `retired`, with details.
	pub status: KeyStatusJson<AccountId, BlockNumber>,
	/// Key whose aux info its keygen reuses.
	pub aux_source: Option<u32>,
	/// Block of the keygen request.
	pub requested_at: BlockNumber,
	/// Requests being signed now.
	pub assigned: u32,
	/// Requests waiting.
	pub queued: u32,
}

/// State of a key in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum KeyStatusJson<AccountId, BlockNumber> {
	/// DKG under way.
	#[serde(rename_all = "camelCase")]
	Generating {
		/// Last block for reports.
		deadline: BlockNumber,
	},
	/// Usable.
	#[serde(rename_all = "camelCase")]
	Active {
		/// Compressed public key, 0x hex.
		public_key: String,
		/// Chain code, 0x hex.
		chain_code: String,
	},
	/// The DKG failed.
	#[serde(rename_all = "camelCase")]
	Failed {
		/// Why.
		reason: KeygenFailureView,
		/// Members blamed.
		offenders: Vec<AccountId>,
	},
	/// Retired.
	Retired,
}

/// A committee in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CommitteeJson<AccountId> {
	/// Committee id.
	pub id: u32,
	/// Members in party order.
	pub members: Vec<AccountId>,
	/// Signers per signature.
	pub threshold: u16,
	/// Generating or Active keys.
	pub live_keys: u32,
	/// Key whose aux info the committee reuses.
	pub aux_key: Option<u32>,
}

/// A registered signer in JSON.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SignerJson<AccountId> {
	/// Account.
	pub account: AccountId,
	/// p2p identity key, 0x hex.
	pub p2p_key: String,
	/// Endpoint.
	pub endpoint: String,
	/// Committees it belongs to.
	pub committees: u32,
	/// Assigned attempts that expired.
	pub expired_attempts: u32,
}

fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

fn text(bytes: Vec<u8>) -> String {
	String::from_utf8_lossy(&bytes).into_owned()
}

fn owner_json(o: RequestOwner) -> OwnerJson {
	OwnerJson { namespace: o.namespace, id: hex0x(o.id.as_bytes()), context: o.context }
}

fn failure_text(reason: SigningFailure) -> String {
	match reason {
		SigningFailure::AttemptsExhausted => "AttemptsExhausted",
		SigningFailure::KeyRetired => "KeyRetired",
	}
	.into()
}

impl<A, Bal: Display, B> From<MetaAccountView<A, Bal, B>> for MetaAccountJson<A, B> {
	fn from(v: MetaAccountView<A, Bal, B>) -> Self {
		Self {
			id: hex0x(&v.id),
			creator: v.creator.into(),
			created_at: v.created_at,
			sovereign_account: v.sovereign_account,
			nonce: v.nonce,
			epoch: v.epoch,
			authenticators: v
				.authenticators
				.into_iter()
				.map(|a| AuthenticatorJson {
					key: a.key.into(),
					role: a.role.name().into(),
					passkey: a.passkey.map(|p| PasskeyJson {
						public_key: hex0x(&p.public_key),
						sign_count: p.sign_count,
						backup_eligible: p.backup_eligible,
						backup_state: p.backup_state,
					}),
					deposit: a.deposit.to_string(),
					deposit_payer: a.deposit_payer,
					added_at: a.added_at,
				})
				.collect(),
			invitees: v.invitees,
			pending_changes: v
				.pending_changes
				.into_iter()
				.map(|c| PendingChangeJson {
					id: c.id,
					target: c.target.into(),
					new_role: c.new_role.map(|r| r.name().into()),
					proposer: c.proposer.into(),
					enact_at: c.enact_at,
				})
				.collect(),
		}
	}
}

impl<A, Bal: Display, B> From<InvitationView<A, Bal, B>> for InvitationJson<A, B> {
	fn from(v: InvitationView<A, Bal, B>) -> Self {
		Self {
			meta_account: hex0x(&v.meta_account),
			invited_by: v.invited_by.into(),
			role: v.role.name().into(),
			deposit_payer: v.deposit_payer,
			deposit: v.deposit.to_string(),
			expires_at: v.expires_at,
		}
	}
}

impl<A, Bal: Display, B> From<AddressView<A, Bal, B>> for AddressJson<A, B> {
	fn from(v: AddressView<A, Bal, B>) -> Self {
		Self {
			index: v.index,
			key: v.key,
			chain: text(v.chain),
			address: text(v.address),
			path: v.path,
			public_key: hex0x(&v.public_key),
			status: v.status,
			one_time: v.one_time,
			in_flight: v.in_flight,
			deposit_payer: v.deposit_payer,
			deposit: v.deposit.to_string(),
			created_at: v.created_at,
		}
	}
}

impl<A, Bal: Display, B> From<SignatureRequestView<A, Bal, B>> for SignatureRequestJson<A, B> {
	fn from(v: SignatureRequestView<A, Bal, B>) -> Self {
		Self {
			id: v.id,
			owner: owner_json(v.owner),
			payer: v.payer,
			key: v.key,
			path: v.path,
			scheme: v.scheme,
			payload: hex0x(&v.payload),
			message_hash: hex0x(&v.message_hash),
			public_key: hex0x(&v.public_key),
			deposit: v.deposit.to_string(),
			fee: v.fee.to_string(),
			requested_at: v.requested_at,
			state: match v.state {
				RequestStateView::Queued { position } => RequestStateJson::Queued { position },
				RequestStateView::Assigned { attempt, signers, deadline } => {
					RequestStateJson::Assigned { attempt, signers, deadline }
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
					RequestStateJson::Failed { reason: failure_text(reason), at }
				},
				RequestStateView::Cancelled { at } => RequestStateJson::Cancelled { at },
			},
		}
	}
}

impl<A, B> From<KeyView<A, B>> for KeyJson<A, B> {
	fn from(v: KeyView<A, B>) -> Self {
		Self {
			id: v.id,
			committee: v.committee,
			status: match v.status {
				KeyStatusView::Generating { deadline } => KeyStatusJson::Generating { deadline },
				KeyStatusView::Active { public_key, chain_code } => KeyStatusJson::Active {
					public_key: hex0x(&public_key),
					chain_code: hex0x(&chain_code),
				},
				KeyStatusView::Failed { reason, offenders } => {
					KeyStatusJson::Failed { reason, offenders }
				},
				KeyStatusView::Retired => KeyStatusJson::Retired,
			},
			aux_source: v.aux_source,
			requested_at: v.requested_at,
			assigned: v.assigned,
			queued: v.queued,
		}
	}
}

impl<A> From<CommitteeView<A>> for CommitteeJson<A> {
	fn from(v: CommitteeView<A>) -> Self {
		Self {
			id: v.id,
			members: v.members,
			threshold: v.threshold,
			live_keys: v.live_keys,
			aux_key: v.aux_key,
		}
	}
}

impl<A> From<SignerView<A>> for SignerJson<A> {
	fn from(v: SignerView<A>) -> Self {
		Self {
			account: v.account,
			p2p_key: hex0x(&v.p2p_key),
			endpoint: text(v.endpoint),
			committees: v.committees,
			expired_attempts: v.expired_attempts,
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

/// Bytes from `0x` hex of at most `max` bytes.
pub fn parse_hex(s: &str, max: usize) -> Result<Vec<u8>, ErrorObjectOwned> {
	let digits = s.strip_prefix("0x").ok_or_else(|| invalid("hex must start with 0x"))?;
	if digits.len() > 2 * max {
		return Err(invalid("hex value too long"));
	}
	hex::decode(digits).map_err(|_| invalid("not hex"))
}

/// A page size: the caller's `limit`, at most (and by default) [`MAX_PAGE`].
pub fn page(limit: Option<u32>) -> Result<u32, ErrorObjectOwned> {
	match limit {
		None => Ok(MAX_PAGE),
		Some(0) => Err(invalid("limit must be at least 1")),
		Some(l) if l > MAX_PAGE => Err(invalid("limit is above the page size (100)")),
		Some(l) => Ok(l),
	}
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

	/// The Meta-Account id an authenticator of any kind acts for.
	#[method(name = "waas_metaAccountOfAuthenticator")]
	fn meta_account_of_authenticator(
		&self,
		key: AuthenticatorKeyJson<AccountId>,
		at: Option<BlockHash>,
	) -> RpcResult<Option<String>>;

	/// The Meta-Account an authenticator would create next, and its sovereign account.
	#[method(name = "waas_nextMetaAccount")]
	fn next_meta_account(
		&self,
		key: AuthenticatorKeyJson<AccountId>,
		at: Option<BlockHash>,
	) -> RpcResult<NextMetaAccountJson<AccountId>>;

	/// Pending invitations to an account.
	#[method(name = "waas_invitations")]
	fn invitations(
		&self,
		account: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<InvitationJson<AccountId, BlockNumber>>>;

	/// A page of a Meta-Account's addresses, from index `start` (default 0).
	#[method(name = "waas_addresses")]
	fn addresses(
		&self,
		meta_account: String,
		start: Option<u32>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<AddressJson<AccountId, BlockNumber>>>;

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

	/// The signing fee a new request for `key` pays now (decimal), `null` if not Active.
	#[method(name = "waas_signingFee")]
	fn signing_fee(&self, key: u32, at: Option<BlockHash>) -> RpcResult<Option<String>>;

	/// A page of committee keys, from id `start` (default 0).
	#[method(name = "waas_keys")]
	fn keys(
		&self,
		start: Option<u32>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<KeyJson<AccountId, BlockNumber>>>;

	/// A page of committees, from id `start` (default 0).
	#[method(name = "waas_committees")]
	fn committees(
		&self,
		start: Option<u32>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<CommitteeJson<AccountId>>>;

	/// A page of registered signers after `start_after` (in storage order).
	#[method(name = "waas_signers")]
	fn signers(
		&self,
		start_after: Option<AccountId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<SignerJson<AccountId>>>;

	/// The requests assigned to `signer` now, as `[request, attempt]` pairs.
	#[method(name = "waas_assignedRequests")]
	fn assigned_requests(
		&self,
		signer: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<(u64, u8)>>;
}

/// Implementation of [`WaasApiServer`] over a client.
pub struct Waas<C, Block, Balance> {
	client: Arc<C>,
	_types: PhantomData<(Block, Balance)>,
}

impl<C, Block, Balance> Waas<C, Block, Balance> {
	/// Serves the methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _types: PhantomData }
	}
}

impl<C, Block: BlockT, Balance> Waas<C, Block, Balance>
where
	C: HeaderBackend<Block>,
{
	fn at(&self, at: Option<Block::Hash>) -> Block::Hash {
		at_or_best(&*self.client, at)
	}
}

/// The block a method reads: `at`, or the client's best block.
fn at_or_best<Block: BlockT, C: HeaderBackend<Block>>(
	client: &C,
	at: Option<Block::Hash>,
) -> Block::Hash {
	at.unwrap_or_else(|| client.info().best_hash)
}

#[async_trait]
impl<C, Block, AccountId, Balance, BlockNumber> WaasApiServer<Block::Hash, AccountId, BlockNumber>
	for Waas<C, Block, Balance>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: WaasRuntimeApi<Block, AccountId, Balance, BlockNumber>,
	AccountId: Codec + Serialize + Clone + Send + Sync + 'static + for<'de> serde::Deserialize<'de>,
	Balance: Codec + Display + Send + Sync + 'static,
	BlockNumber: Codec + Serialize + Clone + Send + Sync + 'static,
{
	fn meta_account(
		&self,
		id: String,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<MetaAccountJson<AccountId, BlockNumber>>> {
		let id = parse_id(&id)?;
		let view =
			self.client.runtime_api().meta_account(self.at(at), id).map_err(runtime_error)?;
		Ok(view.map(Into::into))
	}

	fn meta_account_of(
		&self,
		account: AccountId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<String>> {
		let id = self
			.client
			.runtime_api()
			.meta_account_of(self.at(at), account)
			.map_err(runtime_error)?;
		Ok(id.map(|id| hex0x(&id)))
	}

	fn meta_account_of_authenticator(
		&self,
		key: AuthenticatorKeyJson<AccountId>,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<String>> {
		let key = key.parse()?;
		let id = self
			.client
			.runtime_api()
			.meta_account_of_authenticator(self.at(at), key)
			.map_err(runtime_error)?;
		Ok(id.map(|id| hex0x(&id)))
	}

	fn next_meta_account(
		&self,
		key: AuthenticatorKeyJson<AccountId>,
		at: Option<Block::Hash>,
	) -> RpcResult<NextMetaAccountJson<AccountId>> {
		let key = key.parse()?;
		let next =
			self.client.runtime_api().next_meta_account(self.at(at), key).map_err(runtime_error)?;
		Ok(NextMetaAccountJson {
			id: hex0x(&next.id),
			sovereign_account: next.sovereign_account,
			creation_nonce: next.creation_nonce,
		})
	}

	fn invitations(
		&self,
		account: AccountId,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<InvitationJson<AccountId, BlockNumber>>> {
		let list =
			self.client.runtime_api().invitations(self.at(at), account).map_err(runtime_error)?;
		Ok(list.into_iter().map(Into::into).collect())
	}

	fn addresses(
		&self,
		meta_account: String,
		start: Option<u32>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<AddressJson<AccountId, BlockNumber>>> {
		let id = parse_id(&meta_account)?;
		let limit = page(limit)?;
		let list = self
			.client
			.runtime_api()
			.addresses(self.at(at), id, start.unwrap_or(0), limit)
			.map_err(runtime_error)?;
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
		let result = self
			.client
			.runtime_api()
			.derive_address(self.at(at), key, path, chain.into_bytes())
			.map_err(runtime_error)?;
		result.map(text).map_err(derive_error)
	}

	fn signature_request(
		&self,
		id: u64,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<SignatureRequestJson<AccountId, BlockNumber>>> {
		let view =
			self.client.runtime_api().signature_request(self.at(at), id).map_err(runtime_error)?;
		Ok(view.map(Into::into))
	}

	fn signing_fee(&self, key: u32, at: Option<Block::Hash>) -> RpcResult<Option<String>> {
		let fee = self.client.runtime_api().signing_fee(self.at(at), key).map_err(runtime_error)?;
		Ok(fee.map(|f| f.to_string()))
	}

	fn keys(
		&self,
		start: Option<u32>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<KeyJson<AccountId, BlockNumber>>> {
		let limit = page(limit)?;
		let list = self
			.client
			.runtime_api()
			.keys(self.at(at), start.unwrap_or(0), limit)
			.map_err(runtime_error)?;
		Ok(list.into_iter().map(Into::into).collect())
	}

	fn committees(
		&self,
		start: Option<u32>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<CommitteeJson<AccountId>>> {
		let limit = page(limit)?;
		let list = self
			.client
			.runtime_api()
			.committees(self.at(at), start.unwrap_or(0), limit)
			.map_err(runtime_error)?;
		Ok(list.into_iter().map(Into::into).collect())
	}

	fn signers(
		&self,
		start_after: Option<AccountId>,
		limit: Option<u32>,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<SignerJson<AccountId>>> {
		let limit = page(limit)?;
		let list = self
			.client
			.runtime_api()
			.signers(self.at(at), start_after, limit)
			.map_err(runtime_error)?;
		Ok(list.into_iter().map(Into::into).collect())
	}

	fn assigned_requests(
		&self,
		signer: AccountId,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<(u64, u8)>> {
		self.client.runtime_api().assigned_requests(self.at(at), signer).map_err(runtime_error)
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
	fn pages_are_capped() {
		assert_eq!(page(None).unwrap(), MAX_PAGE);
		assert_eq!(page(Some(7)).unwrap(), 7);
		assert_eq!(page(Some(0)).unwrap_err().code(), error_code::INVALID_PARAMS);
		assert_eq!(page(Some(MAX_PAGE + 1)).unwrap_err().code(), error_code::INVALID_PARAMS);
	}

	#[test]
	fn request_json_shape() {
		let view: SignatureRequestView<u64, u128, u32> = SignatureRequestView {
			id: 3,
			owner: RequestOwner::meta_account_address(sp_core::H256::repeat_byte(1), 4),
			payer: Some(7),
			key: 0,
			path: vec![1, 2],
			scheme: waas_primitives::HashScheme::Keccak256,
			payload: b"hi".to_vec(),
			message_hash: [1u8; 32],
			public_key: [2u8; 33],
			deposit: 10u128.pow(20),
			fee: 5,
			requested_at: 9,
			state: RequestStateView::Signed {
				signature: [3u8; 64],
				recovery_id: 1,
				submitted_by: 9,
				at: 12,
			},
		};
		let json = serde_json::to_value(SignatureRequestJson::from(view)).unwrap();
		assert_eq!(json["payload"], "0x6869");
		assert_eq!(json["owner"]["namespace"], 1);
		assert_eq!(json["owner"]["context"], 4);
		assert_eq!(json["deposit"], "100000000000000000000");
		assert_eq!(json["state"]["state"], "signed");
		assert_eq!(json["state"]["recoveryId"], 1);
		assert_eq!(json["state"]["signature"], format!("0x{}", "03".repeat(64)));
		assert_eq!(json["scheme"], "Keccak256");
	}

	#[test]
	fn failed_and_queued_states() {
		let queued: RequestStateJson<u64, u32> = RequestStateJson::Queued { position: 2 };
		let json = serde_json::to_value(queued).unwrap();
		assert_eq!((json["state"].as_str(), json["position"].as_u64()), (Some("queued"), Some(2)));
		assert_eq!(failure_text(SigningFailure::KeyRetired), "KeyRetired");
	}
}
