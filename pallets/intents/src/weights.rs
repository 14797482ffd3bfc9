//! Weights for `pallet_intents`, measured by `waas-node benchmark pallet` (see
//! `scripts/benchmarks/run.sh`, the README's weight table and BENCHMARKS.md). Generated: edit
//! the benchmarks, not this file.
//!
//! Benchmark CLI 64.0.0, 2026-12-02: steps 20, repeat 10, wasm
//! execution `Compiled`, the dev chain's runtime; CPU `Intel(R) Xeon(R) Processor` (2 cores).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions of `pallet_intents`.
pub trait WeightInfo {
	fn create_intent() -> Weight;
	fn cancel_intent() -> Weight;
	fn bond_solver() -> Weight;
	fn unbond_solver() -> Weight;
	fn claim_intent() -> Weight;
	fn report_fill() -> Weight;
	fn attest() -> Weight;
	fn propose_payout() -> Weight;
	fn expire_intent() -> Weight;
	fn set_chain() -> Weight;
	fn on_signature_outcome() -> Weight;
	fn ensure_can_close() -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_intent() -> Weight {
		// Proof size (bytes): measured 1459, estimated 6196.
		// Minimum execution time: 798_745 ns.
		Weight::from_parts(959_644_000, 6196)
			.saturating_add(T::DbWeight::get().reads(13))
			.saturating_add(T::DbWeight::get().writes(8))
	}
	fn cancel_intent() -> Weight {
		// Proof size (bytes): measured 1283, estimated 3994.
		// Minimum execution time: 123_256 ns.
		Weight::from_parts(151_046_000, 3994)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(9))
	}
	fn bond_solver() -> Weight {
		// Proof size (bytes): measured 145, estimated 3694.
		// Minimum execution time: 72_858 ns.
		Weight::from_parts(94_075_000, 3694)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn unbond_solver() -> Weight {
		// Proof size (bytes): measured 294, estimated 3694.
		// Minimum execution time: 60_633 ns.
		Weight::from_parts(129_016_000, 3694)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn claim_intent() -> Weight {
		// Proof size (bytes): measured 718, estimated 3994.
		// Minimum execution time: 41_223 ns.
		Weight::from_parts(81_365_000, 3994)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	fn report_fill() -> Weight {
		// Proof size (bytes): measured 682, estimated 3994.
		// Minimum execution time: 31_308 ns.
		Weight::from_parts(57_491_000, 3994)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	fn attest() -> Weight {
		// Proof size (bytes): measured 2253, estimated 36368.
		// Minimum execution time: 258_708 ns.
		Weight::from_parts(472_988_000, 36368)
			.saturating_add(T::DbWeight::get().reads(21))
			.saturating_add(T::DbWeight::get().writes(23))
	}
	fn propose_payout() -> Weight {
		// Proof size (bytes): measured 2491, estimated 36368.
		// Minimum execution time: 1_023_018 ns.
		Weight::from_parts(1_891_143_000, 36368)
			.saturating_add(T::DbWeight::get().reads(25))
			.saturating_add(T::DbWeight::get().writes(22))
	}
	fn expire_intent() -> Weight {
		// Proof size (bytes): measured 1254, estimated 6196.
		// Minimum execution time: 113_936 ns.
		Weight::from_parts(201_675_000, 6196)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn set_chain() -> Weight {
		// Proof size (bytes): measured 0, estimated 0.
		// Minimum execution time: 10_557 ns.
		Weight::from_parts(20_270_000, 0)
			.saturating_add(T::DbWeight::get().reads(0))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn on_signature_outcome() -> Weight {
		// Proof size (bytes): measured 628, estimated 3994.
		// Minimum execution time: 23_925 ns.
		Weight::from_parts(35_503_000, 3994)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn ensure_can_close() -> Weight {
		// Proof size (bytes): measured 42, estimated 3517.
		// Minimum execution time: 6_110 ns.
		Weight::from_parts(8_167_000, 3517)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(0))
	}
}

/// The same measurements with RocksDB's database weights, for tests.
impl WeightInfo for () {
	fn create_intent() -> Weight {
		Weight::from_parts(959_644_000, 6196)
			.saturating_add(RocksDbWeight::get().reads(13))
			.saturating_add(RocksDbWeight::get().writes(8))
	}
	fn cancel_intent() -> Weight {
		Weight::from_parts(151_046_000, 3994)
			.saturating_add(RocksDbWeight::get().reads(7))
			.saturating_add(RocksDbWeight::get().writes(9))
	}
	fn bond_solver() -> Weight {
		Weight::from_parts(94_075_000, 3694)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn unbond_solver() -> Weight {
		Weight::from_parts(129_016_000, 3694)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn claim_intent() -> Weight {
		Weight::from_parts(81_365_000, 3994)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn report_fill() -> Weight {
		Weight::from_parts(57_491_000, 3994)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn attest() -> Weight {
		Weight::from_parts(472_988_000, 36368)
			.saturating_add(RocksDbWeight::get().reads(21))
			.saturating_add(RocksDbWeight::get().writes(23))
	}
	fn propose_payout() -> Weight {
		Weight::from_parts(1_891_143_000, 36368)
			.saturating_add(RocksDbWeight::get().reads(25))
			.saturating_add(RocksDbWeight::get().writes(22))
	}
	fn expire_intent() -> Weight {
		Weight::from_parts(201_675_000, 6196)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn set_chain() -> Weight {
		Weight::from_parts(20_270_000, 0)
			.saturating_add(RocksDbWeight::get().reads(0))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn on_signature_outcome() -> Weight {
		Weight::from_parts(35_503_000, 3994)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn ensure_can_close() -> Weight {
		Weight::from_parts(8_167_000, 3517)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(0))
	}
}
