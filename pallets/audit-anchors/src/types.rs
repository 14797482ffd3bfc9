//! The types of the audit-anchors pallet: logs, their owners and their tree heads; the
//! Meta-Accounts' activity logs.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
use scale_info::TypeInfo;
pub use waas_primitives::merkle_log::NodeHash;
pub use waas_primitives::Namespace;
pub use waas_traits::{LogId, MetaAccountId};

/// The longest format tag of a log.
pub const MAX_FORMAT_LEN: u32 = 64;

/// What a log's entries are, as a short tag its readers know (e.g.
/// `waas/signer-sessions/v1`): ASCII, at most [`MAX_FORMAT_LEN`] bytes.
pub type Format = BoundedVec<u8, ConstU32<MAX_FORMAT_LEN>>;

/// The most nodes a consistency proof in an `anchor` call may have: as many as any proof about
/// trees of fewer than 2^64 entries has.
pub const MAX_PROOF_NODES: u32 = waas_primitives::merkle_log::MAX_PROOF_NODES as u32;

/// A consistency or inclusion proof: node hashes in RFC 6962 order.
pub type Proof = BoundedVec<NodeHash, ConstU32<MAX_PROOF_NODES>>;

/// Who may anchor a log.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum LogOwner<AccountId> {
	/// A Meta-Account, through its authenticators (Signer role or above).
	MetaAccount(MetaAccountId),
	/// An account, e.g. a signer node's.
	Account(AccountId),
	/// A pallet, through [`crate::AuditLogs`], named by its derivation-path namespace.
	Pallet(Namespace),
}

/// Which kind of owner `register_log` makes the caller.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum OwnerKind {
	/// The signed account itself.
	Account,
	/// The Meta-Account the caller acts for (an authenticator with Signer role or above).
	MetaAccount,
}

/// A tree head a log's owner anchored: the RFC 6962 root of its first `tree_size` entries,
/// timestamped by the block and chained to the log's previous head.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct TreeHead<BlockNumber> {
	/// The anchor's number in its log: 0, 1, 2, ….
	pub seq: u64,
	/// How many entries the tree covers.
	pub tree_size: u64,
	/// The RFC 6962 tree hash of those entries.
	pub root: NodeHash,
	/// The block that recorded it.
	pub block: BlockNumber,
	/// That block's Unix time, in milliseconds.
	pub timestamp: u64,
	/// [`TreeHead::chain_hash`] of the log's previous head (zero for the first).
	pub previous: [u8; 32],
	/// The head's link in its log's hash chain: see [`crate::Pallet::head_hash`].
	pub chain_hash: [u8; 32],
}

/// A registered log.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct LogInfo<AccountId, Balance, BlockNumber> {
	/// Who may anchor it.
	pub owner: LogOwner<AccountId>,
	/// Who holds the log's deposit (none for a pallet's log).
	pub deposit_payer: Option<AccountId>,
	/// The deposit held: it pays for the log and the tree heads kept on-chain.
	pub deposit: Balance,
	/// What its entries are.
	pub format: Format,
	/// The block it was registered in.
	pub registered_at: BlockNumber,
	/// Anchors so far (the next anchor's `seq`).
	pub anchors: u64,
	/// The latest tree head, once one was anchored.
	pub latest: Option<TreeHead<BlockNumber>>,
}

/// Why a proof could not be checked against the chain's anchors.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum VerifyError {
	/// No such log.
	UnknownLog,
	/// The log has no tree head of that size on-chain (never anchored, or pruned: check
	/// against a later head).
	NoHeadAtSize,
	/// The proof does not hold.
	Proof(waas_primitives::merkle_log::ProofError),
}

/// The frontier of a Meta-Account's activity tree: the roots of its perfect subtrees, largest
/// first (see [`waas_primitives::merkle_log::frontier_append`]).
pub type Frontier =
	BoundedVec<NodeHash, ConstU32<{ waas_primitives::merkle_log::MAX_FRONTIER_NODES as u32 }>>;

/// The on-chain state of a Meta-Account's activity log: its tree's size, root and frontier,
/// and the last entry's leaf hash (where a reader starts walking the entries back). The
/// entries themselves are in the nodes' offchain index ([`crate::activity::activity_index_key`]).
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct ActivityLog<AccountId, Balance, BlockNumber> {
	/// Entries so far.
	pub tree_size: u64,
	/// The RFC 6962 root of all of them.
	pub root: NodeHash,
	/// The leaf hash of the latest entry.
	pub latest_leaf: NodeHash,
	/// The tree's frontier, to append without the entries.
	pub frontier: Frontier,
	/// The block of the latest entry.
	pub updated_at: BlockNumber,
	/// Who holds the log's deposit.
	pub deposit_payer: AccountId,
	/// The deposit held for this state.
	pub deposit: Balance,
}

/// One entry of a Meta-Account's activity log. Its leaf hash is `SHA-256(0x00 ‖ SCALE(entry))`;
/// `previous` links it to the entry before, so the entries can be walked back from the
/// state's `latest_leaf`, and makes every entry's leaf unique.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct ActivityEntry<AccountId, BlockNumber> {
	/// The Meta-Account.
	pub meta_account: MetaAccountId,
	/// The entry's index in the log: 0, 1, 2, ….
	pub index: u64,
	/// The block that recorded it.
	pub block: BlockNumber,
	/// That block's Unix time, in milliseconds.
	pub timestamp: u64,
	/// The previous entry's leaf hash (zero for the first).
	pub previous: NodeHash,
	/// What happened.
	pub activity: waas_traits::Activity<AccountId>,
}

/// An unsigned EIP-1559 transaction proposed for an EVM anchor.
pub type UnsignedTx =
	BoundedVec<u8, ConstU32<{ waas_primitives::evm_tx::MAX_UNSIGNED_TX_LEN as u32 }>>;

/// The longest signed EVM anchor transaction kept: the unsigned bytes and the signature's
/// three fields with their RLP headers.
pub const MAX_SIGNED_TX_LEN: u32 = waas_primitives::evm_tx::MAX_UNSIGNED_TX_LEN as u32 + 80;

/// A signed EIP-1559 transaction, as `eth_sendRawTransaction` takes it.
pub type SignedTx = BoundedVec<u8, ConstU32<MAX_SIGNED_TX_LEN>>;

/// The state of the tree of every tree head anchored on this chain (the *anchors tree*):
/// leaf `i` is the `i`-th anchor of any log, an [`AnchorsEntry`].
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct AnchorsTree {
	/// Anchors so far.
	pub tree_size: u64,
	/// The RFC 6962 root over them.
	pub root: NodeHash,
	/// The leaf hash of the latest anchor's entry.
	pub latest_leaf: NodeHash,
	/// The tree's frontier, to append without the leaves.
	pub frontier: Frontier,
}

/// One leaf of the anchors tree: a tree head anchored on this chain. Its leaf hash is
/// `SHA-256(0x00 ‖ SCALE(entry))`; `previous` links it to the leaf before, as in activity logs.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct AnchorsEntry {
	/// The leaf's index in the anchors tree.
	pub index: u64,
	/// The log anchored.
	pub log: LogId,
	/// The head's number in that log.
	pub seq: u64,
	/// The head's [`TreeHead::chain_hash`], which commits to all of the head.
	pub chain_hash: [u8; 32],
	/// The previous leaf's hash (zero for the first).
	pub previous: NodeHash,
}

/// Where the committee pins the anchors tree outside this chain: an EVM chain, from the
/// address derived along [`crate::evm_sink::sink_path`] of the key.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct EvmSink<BlockNumber> {
	/// The EIP-155 chain id.
	pub chain_id: u64,
	/// The committee key that signs.
	pub key: waas_traits::KeyId,
	/// The sending (and receiving) address, derived from the key.
	pub address: [u8; 20],
	/// A publication is made every `every` blocks while the anchors tree grew.
	pub every: BlockNumber,
	/// The gas a publication may buy.
	pub gas: waas_primitives::evm_tx::GasBudget,
}

/// Where one publication of the anchors tree on the EVM sink is.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum PublicationStatus<AccountId, BlockNumber> {
	/// Waiting for a member to propose the transaction; `attempts` signature requests failed.
	Due {
		/// Failed signature requests so far.
		attempts: u8,
	},
	/// The committee is asked to sign `tx`, proposed by `proposer`.
	Requested {
		/// The signature request.
		request: waas_traits::RequestId,
		/// The unsigned transaction.
		tx: UnsignedTx,
		/// Its sender nonce.
		nonce: u64,
		/// Who proposed it (and pays the request's deposit and fee).
		proposer: AccountId,
		/// Failed signature requests before this one.
		attempts: u8,
	},
	/// Signed: anyone may broadcast `signed_tx`; the EVM chain knows it as `tx_hash`.
	Signed {
		/// The signature request.
		request: waas_traits::RequestId,
		/// The signed transaction.
		signed_tx: SignedTx,
		/// Its EVM transaction hash.
		tx_hash: [u8; 32],
		/// Its sender nonce.
		nonce: u64,
		/// The block that recorded the signature.
		at: BlockNumber,
	},
	/// Given up: superseded by a later publication before it was proposed, the sink changed,
	/// or every signature attempt failed.
	Abandoned {
		/// The block that gave it up.
		at: BlockNumber,
	},
}

/// One publication of the anchors tree's head on the EVM sink: the head, and the
/// transaction's state. The calldata is
/// [`anchor_calldata`](waas_primitives::evm_tx::anchor_calldata)`(genesis, tree_size, root)`.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Publication<AccountId, BlockNumber> {
	/// The EIP-155 chain id.
	pub chain_id: u64,
	/// The committee key that signs.
	pub key: waas_traits::KeyId,
	/// The sender and recipient.
	pub address: [u8; 20],
	/// The anchors tree's size published.
	pub tree_size: u64,
	/// Its root.
	pub root: NodeHash,
	/// The block that made it due.
	pub created_at: BlockNumber,
	/// Where it is.
	pub status: PublicationStatus<AccountId, BlockNumber>,
}
