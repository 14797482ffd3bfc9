//! The runtime API of the intents pallet: what a client reads about intents, solvers and
//! chains (polkadot.js: `api.call.intentsApi.*`; subxt: `runtime_apis().intents_api()`).
//! Every type is in the metadata, so no custom type definitions are needed.

use crate::types::*;
use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// Why a quote could not be made.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum QuoteError {
	/// The asset is not a CAIP-19 native coin or ERC-20 on an EVM chain.
	InvalidAsset,
	/// Intents do not use the asset's chain.
	UnknownChain,
}

sp_api::decl_runtime_apis! {
	/// Intents, their deposit addresses, fee quotes, solvers and chains.
	pub trait IntentsApi<AccountId, Balance>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
	{
		/// An unfinished intent (ended intents are removed; their history is in events).
		fn intent(id: IntentId) -> Option<Intent<AccountId, Balance>>;
		/// Up to `limit` (at most 100) unfinished intents of a Meta-Account, ids from `start`.
		fn intents_of(meta_account: [u8; 32], start: IntentId, limit: u32)
			-> Vec<(IntentId, Intent<AccountId, Balance>)>;
		/// The fee of an intent giving `amount_in` of `source_asset` (CAIP-19 text).
		fn quote(source_asset: Vec<u8>, amount_in: u128) -> Result<FeeQuote, QuoteError>;
		/// A registered solver.
		fn solver(account: AccountId) -> Option<SolverInfo<Balance>>;
		/// The parameters of an EVM chain intents may use.
		fn chain(chain_id: EvmChainId) -> Option<ChainParams>;
		/// The deposit, settlement charge and least solver bond, in WAAS.
		fn charges() -> (Balance, Balance, Balance);
	}
}
