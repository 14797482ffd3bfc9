//! Weights for `pallet_audit_anchors`, measured by `waas-node benchmark pallet` (see
//! `scripts/benchmarks/run.sh`, the README's weight table and BENCHMARKS.md). Generated: edit
//! the benchmarks, not this file.
//!
//! Benchmark CLI 64.0.0, 2026-12-03: steps 20, repeat 10, wasm
//! execution `Compiled`, the dev chain's runtime; CPU `Intel(R) Xeon(R) Processor` (2 cores).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions of `pallet_audit_anchors`.
pub trait WeightInfo {
	fn register_log() -> Weight;
	fn anchor(p: u32, ) -> Weight;
	fn open_activity() -> Weight;
	fn record_activity() -> Weight;
	fn close_activity() -> Weight;
	fn append_anchor() -> Weight;
	fn publication_tick() -> Weight;
	fn set_evm_sink() -> Weight;
	fn propose_evm_anchor() -> Weight;
	fn on_signature_outcome() -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_log() -> Weight {
		// Proof size (bytes): measured 500, estimated 3912.
		// Minimum execution time: 65_847 ns.
		Weight::from_parts(74_669_000, 3912)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	/// `p` in `[1, 65]`.
	fn anchor(p: u32, ) -> Weight {
		// Proof size (bytes): measured 2960, estimated 3912.
		// Minimum execution time: 108_249 ns.
		Weight::from_parts(127_762_779, 3912)
			.saturating_add(Weight::from_parts(723_589, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn open_activity() -> Weight {
		// Proof size (bytes): measured 152, estimated 5687.
		// Minimum execution time: 54_397 ns.
		Weight::from_parts(61_903_000, 5687)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn record_activity() -> Weight {
		// Proof size (bytes): measured 2229, estimated 5687.
		// Minimum execution time: 59_383 ns.
		Weight::from_parts(66_668_000, 5687)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn close_activity() -> Weight {
		// Proof size (bytes): measured 2424, estimated 5687.
		// Minimum execution time: 92_147 ns.
		Weight::from_parts(104_972_000, 5687)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn append_anchor() -> Weight {
		// Proof size (bytes): measured 2121, estimated 3607.
		// Minimum execution time: 46_240 ns.
		Weight::from_parts(52_411_000, 3607)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn publication_tick() -> Weight {
		// Proof size (bytes): measured 869, estimated 3948.
		// Minimum execution time: 26_220 ns.
		Weight::from_parts(32_363_000, 3948)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn set_evm_sink() -> Weight {
		// Proof size (bytes): measured 574, estimated 4005.
		// Minimum execution time: 435_624 ns.
		Weight::from_parts(497_402_000, 4005)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	fn propose_evm_anchor() -> Weight {
		// Proof size (bytes): measured 1343, estimated 5527.
		// Minimum execution time: 543_490 ns.
		Weight::from_parts(623_064_000, 5527)
			.saturating_add(T::DbWeight::get().reads(11))
			.saturating_add(T::DbWeight::get().writes(7))
	}
	fn on_signature_outcome() -> Weight {
		// Proof size (bytes): measured 1132, estimated 7946.
		// Minimum execution time: 27_109 ns.
		Weight::from_parts(32_880_000, 7946)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(1))
	}
}

/// The same measurements with RocksDB's database weights, for tests.
impl WeightInfo for () {
	fn register_log() -> Weight {
		Weight::from_parts(74_669_000, 3912)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn anchor(p: u32, ) -> Weight {
		Weight::from_parts(127_762_779, 3912)
			.saturating_add(Weight::from_parts(723_589, 0).saturating_mul(p.into()))
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn open_activity() -> Weight {
		Weight::from_parts(61_903_000, 5687)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn record_activity() -> Weight {
		Weight::from_parts(66_668_000, 5687)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn close_activity() -> Weight {
		Weight::from_parts(104_972_000, 5687)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn append_anchor() -> Weight {
		Weight::from_parts(52_411_000, 3607)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn publication_tick() -> Weight {
		Weight::from_parts(32_363_000, 3948)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn set_evm_sink() -> Weight {
		Weight::from_parts(497_402_000, 4005)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn propose_evm_anchor() -> Weight {
		Weight::from_parts(623_064_000, 5527)
			.saturating_add(RocksDbWeight::get().reads(11))
			.saturating_add(RocksDbWeight::get().writes(7))
	}
	fn on_signature_outcome() -> Weight {
		Weight::from_parts(32_880_000, 7946)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
}
