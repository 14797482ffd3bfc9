//! Weights for `pallet_meta_accounts`.
//!
//! The storage terms are exact (reads and writes per call, taken from the code). The
//! computation terms are estimates of the same order as comparable FRAME calls (a hold on
//! pallet-balances, a few map accesses) until `benchmarking.rs` results replace them; see
//! `BENCHMARKS.md` at the repository root.

#![allow(unused_parens, unused_imports)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed by `pallet_meta_accounts`.
pub trait WeightInfo {
	/// `create`.
	fn create() -> Weight;
	/// `add_authenticator`.
	fn add_authenticator() -> Weight;
	/// `remove_authenticator`.
	fn remove_authenticator() -> Weight;
}

/// Weights for a runtime, with its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Reads: AuthenticatorOf, CreationNonce, MetaAccounts, Balances holds + account.
	/// Writes: MetaAccounts, AuthenticatorOf, CreationNonce, holds, account.
	fn create() -> Weight {
		Weight::from_parts(45_000_000, 3_700)
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	/// Reads: AuthenticatorOf x2, MetaAccounts, holds, account. Writes: MetaAccounts,
	/// AuthenticatorOf, holds, account.
	fn add_authenticator() -> Weight {
		Weight::from_parts(48_000_000, 5_000)
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	/// Reads: AuthenticatorOf, MetaAccounts, holds, account. Writes: MetaAccounts,
	/// AuthenticatorOf, holds, account.
	fn remove_authenticator() -> Weight {
		Weight::from_parts(46_000_000, 5_000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
}

/// For tests: the same formulas with RocksDB weights.
impl WeightInfo for () {
	fn create() -> Weight {
		Weight::from_parts(45_000_000, 3_700)
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn add_authenticator() -> Weight {
		Weight::from_parts(48_000_000, 5_000)
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn remove_authenticator() -> Weight {
		Weight::from_parts(46_000_000, 5_000)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
}
