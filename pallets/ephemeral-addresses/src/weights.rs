//! Weights for `pallet_ephemeral_addresses`, measured by `waas-node benchmark pallet` (see
//! `scripts/benchmarks/run.sh`, the README's weight table and BENCHMARKS.md). Generated: edit
//! the benchmarks, not this file.
//!
//! Benchmark CLI 64.0.0, 2026-11-25: steps 20, repeat 10, wasm
//! execution `Compiled`, the dev chain's runtime; CPU `AMD EPYC` (2 cores).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions of `pallet_ephemeral_addresses`.
pub trait WeightInfo {
	fn provision_address() -> Weight;
	fn sign_with_address(p: u32, ) -> Weight;
	fn cancel_request() -> Weight;
	fn revoke_address(r: u32, ) -> Weight;
	fn take_over_deposit() -> Weight;
	fn on_signature_outcome() -> Weight;
	fn ensure_can_close() -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn provision_address() -> Weight {
		// Proof size (bytes): measured 942, estimated 4005.
		// Minimum execution time: 916_940 ns.
		Weight::from_parts(929_760_000, 4005)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	/// `p` in `[1, 4096]`.
	fn sign_with_address(p: u32, ) -> Weight {
		// Proof size (bytes): measured 1536, estimated 5527.
		// Minimum execution time: 1_004_490 ns.
		Weight::from_parts(1_026_361_810, 5527)
			.saturating_add(Weight::from_parts(5_231, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(11))
			.saturating_add(T::DbWeight::get().writes(9))
	}
	fn cancel_request() -> Weight {
		// Proof size (bytes): measured 2304, estimated 8799.
		// Minimum execution time: 212_025 ns.
		Weight::from_parts(219_516_000, 8799)
			.saturating_add(T::DbWeight::get().reads(13))
			.saturating_add(T::DbWeight::get().writes(12))
	}
	/// `r` in `[0, 16]`.
	fn revoke_address(r: u32, ) -> Weight {
		// Proof size (bytes): measured 2217 + r × 318, estimated 9179 + r × 6956.
		// Minimum execution time: 72_858 ns.
		Weight::from_parts(127_222_939, 9179)
			.saturating_add(Weight::from_parts(167_119_710, 0).saturating_mul(r.into()))
			.saturating_add(Weight::from_parts(0, 6956).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(8))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(r.into())))
			.saturating_add(T::DbWeight::get().writes((5_u64).saturating_mul(r.into())))
	}
	fn take_over_deposit() -> Weight {
		// Proof size (bytes): measured 701, estimated 6218.
		// Minimum execution time: 103_503 ns.
		Weight::from_parts(108_331_000, 6218)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn on_signature_outcome() -> Weight {
		// Proof size (bytes): measured 442, estimated 3728.
		// Minimum execution time: 23_886 ns.
		Weight::from_parts(26_148_000, 3728)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn ensure_can_close() -> Weight {
		// Proof size (bytes): measured 6, estimated 3728.
		// Minimum execution time: 3_935 ns.
		Weight::from_parts(4_347_000, 3728)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(0))
	}
}

/// The same measurements with RocksDB's database weights, for tests.
impl WeightInfo for () {
	fn provision_address() -> Weight {
		Weight::from_parts(929_760_000, 4005)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn sign_with_address(p: u32, ) -> Weight {
		Weight::from_parts(1_026_361_810, 5527)
			.saturating_add(Weight::from_parts(5_231, 0).saturating_mul(p.into()))
			.saturating_add(RocksDbWeight::get().reads(11))
			.saturating_add(RocksDbWeight::get().writes(9))
	}
	fn cancel_request() -> Weight {
		Weight::from_parts(219_516_000, 8799)
			.saturating_add(RocksDbWeight::get().reads(13))
			.saturating_add(RocksDbWeight::get().writes(12))
	}
	fn revoke_address(r: u32, ) -> Weight {
		Weight::from_parts(127_222_939, 9179)
			.saturating_add(Weight::from_parts(167_119_710, 0).saturating_mul(r.into()))
			.saturating_add(Weight::from_parts(0, 6956).saturating_mul(r.into()))
			.saturating_add(RocksDbWeight::get().reads(10))
			.saturating_add(RocksDbWeight::get().writes(8))
			.saturating_add(RocksDbWeight::get().reads((3_u64).saturating_mul(r.into())))
			.saturating_add(RocksDbWeight::get().writes((5_u64).saturating_mul(r.into())))
	}
	fn take_over_deposit() -> Weight {
		Weight::from_parts(108_331_000, 6218)
			.saturating_add(RocksDbWeight::get().reads(7))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn on_signature_outcome() -> Weight {
		Weight::from_parts(26_148_000, 3728)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn ensure_can_close() -> Weight {
		Weight::from_parts(4_347_000, 3728)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(0))
	}
}
