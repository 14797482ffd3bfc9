//! Weights for `pallet_meta_accounts`, measured by `waas-node benchmark pallet` (see
//! `scripts/benchmarks/run.sh`, the README's weight table and BENCHMARKS.md). Generated: edit
//! the benchmarks, not this file.
//!
//! Benchmark CLI 64.0.0, 2026-11-25: steps 20, repeat 10, wasm
//! execution `Compiled`, the dev chain's runtime; CPU `AMD EPYC` (2 cores).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions of `pallet_meta_accounts`.
pub trait WeightInfo {
	fn create() -> Weight;
	fn invite_authenticator() -> Weight;
	fn accept_invitation() -> Weight;
	fn cancel_invitation() -> Weight;
	fn remove_authenticator() -> Weight;
	fn close_meta_account(i: u32, ) -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create() -> Weight {
		// Proof size (bytes): measured 109, estimated 4575.
		// Minimum execution time: 65_438 ns.
		Weight::from_parts(68_292_000, 4575)
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn invite_authenticator() -> Weight {
		// Proof size (bytes): measured 2340, estimated 6100.
		// Minimum execution time: 87_900 ns.
		Weight::from_parts(92_467_000, 6100)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn accept_invitation() -> Weight {
		// Proof size (bytes): measured 2597, estimated 6218.
		// Minimum execution time: 127_920 ns.
		Weight::from_parts(131_806_000, 6218)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(7))
	}
	fn cancel_invitation() -> Weight {
		// Proof size (bytes): measured 1228, estimated 4575.
		// Minimum execution time: 69_974 ns.
		Weight::from_parts(73_188_000, 4575)
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn remove_authenticator() -> Weight {
		// Proof size (bytes): measured 1867, estimated 4575.
		// Minimum execution time: 65_678 ns.
		Weight::from_parts(69_393_000, 4575)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	/// `i` in `[0, 8]`.
	fn close_meta_account(i: u32, ) -> Weight {
		// Proof size (bytes): measured 524 + i × 182, estimated 4575 + i × 2623.
		// Minimum execution time: 61_522 ns.
		Weight::from_parts(64_971_350, 4575)
			.saturating_add(Weight::from_parts(46_040_100, 0).saturating_mul(i.into()))
			.saturating_add(Weight::from_parts(0, 2623).saturating_mul(i.into()))
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(4))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(i.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(i.into())))
	}
}

/// The same measurements with RocksDB's database weights, for tests.
impl WeightInfo for () {
	fn create() -> Weight {
		Weight::from_parts(68_292_000, 4575)
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn invite_authenticator() -> Weight {
		Weight::from_parts(92_467_000, 6100)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn accept_invitation() -> Weight {
		Weight::from_parts(131_806_000, 6218)
			.saturating_add(RocksDbWeight::get().reads(7))
			.saturating_add(RocksDbWeight::get().writes(7))
	}
	fn cancel_invitation() -> Weight {
		Weight::from_parts(73_188_000, 4575)
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn remove_authenticator() -> Weight {
		Weight::from_parts(69_393_000, 4575)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn close_meta_account(i: u32, ) -> Weight {
		Weight::from_parts(64_971_350, 4575)
			.saturating_add(Weight::from_parts(46_040_100, 0).saturating_mul(i.into()))
			.saturating_add(Weight::from_parts(0, 2623).saturating_mul(i.into()))
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(4))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(i.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(i.into())))
	}
}
