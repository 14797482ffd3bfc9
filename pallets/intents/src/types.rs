//! Stored and call types of the intents pallet.

use crate::{BalanceOf, Config};

/// An intent as stored by runtime `T`.
pub type IntentOf<T> = Intent<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
/// An intent's status in runtime `T`.
pub type StatusOf<T> = IntentStatus<<T as frame_system::Config>::AccountId>;
/// A solver's record in runtime `T`.
pub type SolverOf<T> = SolverInfo<BalanceOf<T>>;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::pallet_prelude::*;
use scale_info::TypeInfo;
pub use waas_primitives::evm_tx::TransferAsset as Asset;
pub use waas_traits::{KeyId, MetaAccountId, RequestId};

/// Identifier of an intent.
pub type IntentId = u64;
/// A 20-byte EVM address.
pub type EvmAddress = [u8; 20];
/// An EIP-155 chain id.
pub type EvmChainId = u64;
/// A CAIP-19 asset id (ASCII), e.g. `eip155:1/slip44:60` or `eip155:1/erc20:0x…`.
pub type AssetIdText = BoundedVec<u8, ConstU32<{ waas_primitives::caip::MAX_ASSET_ID_LEN }>>;
/// A CAIP-10 account id (ASCII), e.g. `eip155:1:0x…`.
pub type AccountIdText = BoundedVec<u8, ConstU32<{ waas_primitives::caip::MAX_ACCOUNT_ID_LEN }>>;
/// An unsigned EIP-1559 transaction as proposed for signing.
pub type UnsignedTx =
	BoundedVec<u8, ConstU32<{ waas_primitives::evm_tx::MAX_UNSIGNED_TX_LEN as u32 }>>;
/// Unix time in seconds.
pub type UnixSeconds = u64;

/// What the runtime knows about an EVM chain it takes intents on.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub struct ChainParams {
	/// Blocks a signer waits on top of a transaction's block before it attests to it.
	pub confirmations: u32,
	/// The most gas a payout of the native coin may buy (21,000 is a plain transfer).
	pub native_gas_limit: u64,
	/// The most gas a payout of an ERC-20 `transfer` may buy.
	pub erc20_gas_limit: u64,
	/// The highest `max_fee_per_gas` a payout may offer, in wei.
	pub max_fee_per_gas: u128,
	/// Seconds after a deadline during which attestations of what happened on this chain
	/// before it are still taken: confirmations, the signers' checks and their transactions
	/// take time (minutes on a public chain, seconds on a local test node). At most
	/// [`MAX_ATTESTATION_GRACE`].
	pub attestation_grace: u64,
}

/// The longest [`ChainParams::attestation_grace`]: one day.
pub const MAX_ATTESTATION_GRACE: u64 = 24 * 60 * 60;

impl ChainParams {
	/// The gas budget of a payout of `asset`.
	pub fn gas_budget(&self, asset: &Asset) -> waas_primitives::evm_tx::GasBudget {
		let max_gas_limit = match asset {
			Asset::Native => self.native_gas_limit,
			Asset::Erc20(_) => self.erc20_gas_limit,
		};
		waas_primitives::evm_tx::GasBudget { max_gas_limit, max_fee_per_gas: self.max_fee_per_gas }
	}

	/// The most a payout of `asset` can cost in gas, in the asset itself: the gas budget for
	/// the native coin, zero for an ERC-20 (whose gas is paid in native coin on top).
	pub fn max_gas_cost_in(&self, asset: &Asset) -> u128 {
		match asset {
			Asset::Native => u128::from(self.native_gas_limit).saturating_mul(self.max_fee_per_gas),
			Asset::Erc20(_) => 0,
		}
	}
}

/// An asset on a chain: one side of a swap.
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
pub struct Leg {
	/// The EIP-155 chain id.
	pub chain_id: EvmChainId,
	/// The asset on that chain.
	pub asset: Asset,
}

/// Only `solver` may claim the intent until `until`.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Exclusivity<AccountId> {
	/// The solver.
	pub solver: AccountId,
	/// Unix time at which anyone may claim.
	pub until: UnixSeconds,
}

/// What a user asks for, as it creates an intent: give `amount_in` of `source_asset`, receive
/// at least `min_amount_out` of `destination_asset` at `recipient`.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct IntentTerms<AccountId> {
	/// What the user gives (CAIP-19; it names the source chain).
	pub source_asset: AssetIdText,
	/// How much, in the source asset's smallest unit.
	pub amount_in: u128,
	/// What the user receives (CAIP-19; it names the destination chain).
	pub destination_asset: AssetIdText,
	/// The least the recipient must receive, in the destination asset's smallest unit.
	pub min_amount_out: u128,
	/// Who receives (CAIP-10 on the destination chain).
	pub recipient: AccountIdText,
	/// Where a refund goes (CAIP-10 on the source chain).
	pub refund_to: AccountIdText,
	/// The deposit must be seen by this Unix time, or the intent expires.
	pub open_deadline: UnixSeconds,
	/// The fill must be mined by this Unix time (the destination block's timestamp).
	pub fill_deadline: UnixSeconds,
	/// The most the user pays out of `amount_in`: protocol fee plus, for the native coin, the
	/// payout's worst-case gas.
	pub max_fee: u128,
	/// A solver that alone may claim for a while.
	pub exclusive: Option<Exclusivity<AccountId>>,
}

/// What creating an intent costs the user, in the source asset (see the README's fee quote).
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
	Default,
)]
pub struct FeeQuote {
	/// The protocol fee: `ProtocolFee` × `amount_in`, kept on the deposit address.
	pub protocol_fee: u128,
	/// The most the release transaction can cost in gas, paid from the deposit (native coin
	/// only; an ERC-20 payout's gas is paid in native coin on top).
	pub max_gas_cost: u128,
	/// The least the solver receives on the source chain: `amount_in` minus both.
	pub solver_receives_at_least: u128,
}

/// Where an intent stands.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum IntentStatus<AccountId> {
	/// Waiting for the deposit (the committee attests what the deposit address holds).
	Pending,
	/// Deposited in full; a bonded solver may claim it.
	Open,
	/// Claimed by `solver`, who must fill it by `until`.
	Claimed {
		/// The solver.
		solver: AccountId,
		/// The solver's address on the source chain, paid on release.
		payout_to: EvmAddress,
		/// Unix time of the claim: the fill must not be older (so a solver cannot report
		/// another solver's earlier fill).
		claimed_at: UnixSeconds,
		/// Unix time by which the fill must be mined, or the solver is slashed.
		until: UnixSeconds,
		/// The fill transaction the solver reported (its hash on the destination chain).
		fill_tx: Option<sp_core::H256>,
	},
	/// Filled, as the committee attests: the deposit goes to the solver.
	Filled {
		/// The solver.
		solver: AccountId,
		/// The solver's address on the source chain.
		payout_to: EvmAddress,
	},
	/// Not deposited, filled or cancelled in time: the deposit (if any) goes back to
	/// `refund_to`.
	Expired {
		/// Unix time at which it expired.
		since: UnixSeconds,
	},
	/// The payout transaction (release to the solver, or refund) is being signed or mined.
	PayingOut {
		/// What is paid out.
		payout: Payout,
		/// The signature request; `None` once it failed (another may be proposed).
		request: Option<RequestId>,
		/// keccak-256 of the unsigned transaction: the hash the committee signs.
		signing_hash: [u8; 32],
		/// Unix time at which this attempt's signature was accepted, once it was.
		signed_at: Option<UnixSeconds>,
		/// Signature requests made for payouts of the intent so far (this one included,
		/// failed ones too).
		attempts: u8,
	},
}

/// A payout from the deposit address.
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
pub enum Payout {
	/// To the solver who filled.
	Release {
		/// The solver's address on the source chain.
		payout_to: EvmAddress,
	},
	/// Back to the user's refund address.
	Refund,
}

/// Why an attested fill does not fill the intent.
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
pub enum FillRefusal {
	/// The recipient received less than the minimum out.
	BelowMinimum,
	/// It was mined after the fill deadline.
	AfterDeadline,
	/// It was mined before the claim.
	BeforeClaim,
}

/// How an intent ended (each intent ends exactly once, then its record is removed).
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
pub enum Outcome {
	/// The solver filled and was paid: the release transaction was mined.
	Settled,
	/// The deposit went back: the refund transaction was mined.
	Refunded,
	/// Cancelled before any deposit was seen.
	Cancelled,
}

/// An intent.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Intent<AccountId, Balance> {
	/// The Meta-Account that created it.
	pub creator: MetaAccountId,
	/// Who holds the intent's deposit: the account that dispatched the creation (the
	/// authenticator, or for an envelope the Meta-Account's sovereign account or sponsor).
	pub deposit_payer: AccountId,
	/// The deposit held for the record.
	pub deposit: Balance,
	/// The committee key whose derived key owns the deposit address.
	pub key: KeyId,
	/// What the user gives.
	pub source: Leg,
	/// How much of it.
	pub amount_in: u128,
	/// What the user receives.
	pub destination: Leg,
	/// The least the recipient receives.
	pub min_amount_out: u128,
	/// Who receives, on the destination chain.
	pub recipient: EvmAddress,
	/// Where a refund goes, on the source chain.
	pub refund_to: EvmAddress,
	/// The one-time deposit address on the source chain (only this intent signs for it).
	pub deposit_address: EvmAddress,
	/// The tag a fill transaction carries at the end of its calldata, so that one transfer
	/// fills one intent (see [`crate::Pallet::fill_tag`]).
	pub fill_tag: [u8; 32],
	/// The fee quoted at creation.
	pub quote: FeeQuote,
	/// The user's fee cap.
	pub max_fee: u128,
	/// Unix time of creation.
	pub created_at: UnixSeconds,
	/// The deposit must be seen by then.
	pub open_deadline: UnixSeconds,
	/// The fill must be mined by then.
	pub fill_deadline: UnixSeconds,
	/// Seconds after each deadline during which attestations of what happened before it are
	/// still taken: the larger `attestation_grace` of the two chains, fixed at creation.
	pub grace: u64,
	/// The exclusive solver, if any.
	pub exclusive: Option<Exclusivity<AccountId>>,
	/// What the deposit address holds in the source asset, as last attested.
	pub deposited: u128,
	/// Where it stands.
	pub status: IntentStatus<AccountId>,
}

/// What the committee attests about another chain.
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
pub enum Fact {
	/// The deposit address holds `amount` of the source asset at a block with the chain's
	/// confirmations.
	Deposit {
		/// The balance, in the source asset's smallest unit.
		amount: u128,
	},
	/// The reported fill transaction, with the chain's confirmations, moved `amount` of the
	/// destination asset to the recipient, carries the intent's fill tag and was mined at
	/// `timestamp`.
	Fill {
		/// The fill transaction's hash on the destination chain.
		tx_hash: sp_core::H256,
		/// What the recipient received.
		amount: u128,
		/// The timestamp of the block that holds it.
		timestamp: UnixSeconds,
	},
	/// The payout transaction signed for the intent was mined and succeeded.
	PayoutMined {
		/// Its hash on the source chain.
		tx_hash: sp_core::H256,
	},
}

impl Fact {
	/// The kind of question the fact answers.
	pub fn kind(&self) -> FactKind {
		match self {
			Fact::Deposit { .. } => FactKind::Deposit,
			Fact::Fill { .. } => FactKind::Fill,
			Fact::PayoutMined { .. } => FactKind::PayoutMined,
		}
	}
}

/// The questions the runtime asks the committee about an intent. Votes are counted per kind.
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
pub enum FactKind {
	/// What the deposit address holds.
	Deposit,
	/// Whether the reported fill happened.
	Fill,
	/// Which payout transaction to sign (votes are signing hashes).
	PayoutProposal,
	/// Whether the payout was mined.
	PayoutMined,
}

impl FactKind {
	/// Every kind, for cleaning up an intent's votes.
	pub const ALL: [FactKind; 4] =
		[FactKind::Deposit, FactKind::Fill, FactKind::PayoutProposal, FactKind::PayoutMined];
}

/// Members' votes on one question: `(member index, hash of the value it attested)`.
pub type Votes<T> = BoundedVec<(u16, [u8; 32]), <T as Config>::MaxCommitteeSize>;

/// A registered solver.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct SolverInfo<Balance> {
	/// The bond held (less what was slashed).
	pub bond: Balance,
	/// Intents claimed and not yet filled or given up.
	pub active_claims: u32,
	/// Claims that timed out (each slashed).
	pub missed_claims: u32,
}
