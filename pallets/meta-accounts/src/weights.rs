//! Weights for `pallet_meta_accounts`.
//!
//! The storage terms are exact (reads and writes per call, taken from the code). The
//! computation terms are estimates of the same order as comparable FRAME calls (a hold on
//! pallet-balances, a few map accesses) until benchmark results replace them.

#![allow(unused_parens, unused_imports)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, RuntimeDbWeight, Weight},
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

/// Reads: AuthenticatorOf, CreationNonce, Accounts, Balances holds + account.
/// Writes: Accounts, AuthenticatorOf, CreationNonce, holds, account.
fn create(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(45_000_000, 3_700).saturating_add(db.reads_writes(5, 5))
}
/// Reads: AuthenticatorOf x2, Accounts, holds, account. Writes: Accounts, AuthenticatorOf,
/// holds, account.
fn add_authenticator(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(48_000_000, 5_000).saturating_add(db.reads_writes(5, 4))
}
/// Reads: AuthenticatorOf, Accounts, holds, account. Writes: Accounts, AuthenticatorOf, holds,
/// account.
fn remove_authenticator(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(46_000_000, 5_000).saturating_add(db.reads_writes(4, 4))
}

/// Weights for a runtime, with its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create() -> Weight {
		create(T::DbWeight::get())
	}
	fn add_authenticator() -> Weight {
		add_authenticator(T::DbWeight::get())
	}
	fn remove_authenticator() -> Weight {
		remove_authenticator(T::DbWeight::get())
	}
}

/// For tests: the same formulas with RocksDB weights.
impl WeightInfo for () {
	fn create() -> Weight {
		create(RocksDbWeight::get())
	}
	fn add_authenticator() -> Weight {
		add_authenticator(RocksDbWeight::get())
	}
	fn remove_authenticator() -> Weight {
		remove_authenticator(RocksDbWeight::get())
	}
}
