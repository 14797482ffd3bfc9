//! Weights for `pallet_audit_anchors`. PROVISIONAL: not measured yet. Upper estimates (about
//! twice what comparable measured calls of the other pallets take: 200 µs per call plus 20 µs
//! per proof node, with every storage read and write counted) until
//! `PALLETS=audit_anchors scripts/benchmarks/run.sh` generates this file from the benchmarks in
//! `benchmarking.rs`.

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

/// Weights with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_log() -> Weight {
		Weight::from_parts(200_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn anchor(p: u32, ) -> Weight {
		Weight::from_parts(200_000_000, 4000)
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn open_activity() -> Weight {
		Weight::from_parts(200_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn record_activity() -> Weight {
		Weight::from_parts(200_000_000, 4000)
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(64))
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	fn close_activity() -> Weight {
		Weight::from_parts(200_000_000, 4000)
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(64))
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
}

// For tests.
impl WeightInfo for () {
	fn register_log() -> Weight {
		Weight::from_parts(200_000_000, 4000)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn anchor(p: u32, ) -> Weight {
		Weight::from_parts(200_000_000, 4000)
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(p.into()))
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn open_activity() -> Weight {
		Weight::from_parts(200_000_000, 4000)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn record_activity() -> Weight {
		Weight::from_parts(200_000_000, 4000)
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(64))
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn close_activity() -> Weight {
		Weight::from_parts(200_000_000, 4000)
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(64))
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
}
