//! Weights for `pallet_audit_anchors`, measured by `waas-node benchmark pallet` (see
//! `scripts/benchmarks/run.sh`, the README's weight table and BENCHMARKS.md). Generated: edit
//! the benchmarks, not this file.
//!
//! Benchmark CLI 64.0.0, 2026-12-02: steps 20, repeat 10, wasm
//! execution `Compiled`, the dev chain's runtime; CPU `AMD EPYC` (2 cores).

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
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_log() -> Weight {
		// Proof size (bytes): measured 500, estimated 3912.
		// Minimum execution time: 63_274 ns.
		Weight::from_parts(67_871_000, 3912)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	/// `p` in `[1, 65]`.
	fn anchor(p: u32, ) -> Weight {
		// Proof size (bytes): measured 848, estimated 3912.
		// Minimum execution time: 44_797 ns.
		Weight::from_parts(65_583_705, 3912)
			.saturating_add(Weight::from_parts(2_407_002, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn open_activity() -> Weight {
		// Proof size (bytes): measured 152, estimated 5687.
		// Minimum execution time: 56_164 ns.
		Weight::from_parts(64_667_000, 5687)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn record_activity() -> Weight {
		// Proof size (bytes): measured 2229, estimated 5687.
		// Minimum execution time: 151_085 ns.
		Weight::from_parts(164_725_000, 5687)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn close_activity() -> Weight {
		// Proof size (bytes): measured 2424, estimated 5687.
		// Minimum execution time: 182_603 ns.
		Weight::from_parts(202_582_000, 5687)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(3))
	}
}

/// The same measurements with RocksDB's database weights, for tests.
impl WeightInfo for () {
	fn register_log() -> Weight {
		Weight::from_parts(67_871_000, 3912)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn anchor(p: u32, ) -> Weight {
		Weight::from_parts(65_583_705, 3912)
			.saturating_add(Weight::from_parts(2_407_002, 0).saturating_mul(p.into()))
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn open_activity() -> Weight {
		Weight::from_parts(64_667_000, 5687)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn record_activity() -> Weight {
		Weight::from_parts(164_725_000, 5687)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn close_activity() -> Weight {
		Weight::from_parts(202_582_000, 5687)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
}
