//! Weights for `pallet_ephemeral_addresses`, measured by `waas-node benchmark pallet` (see
//! `scripts/benchmarks/run.sh`, the README's weight table and BENCHMARKS.md). Generated: edit
//! the benchmarks, not this file.
//!
//! Benchmark CLI 64.0.0, 2026-12-01: steps 20, repeat 10, wasm
//! execution `Compiled`, the dev chain's runtime; CPU `Intel(R) Xeon(R) Processor` (2 cores).

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
		// Proof size (bytes): measured 1151, estimated 4005.
		// Minimum execution time: 1_127_172 ns.
		Weight::from_parts(1_291_759_000, 4005)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	/// `p` in `[1, 4096]`.
	fn sign_with_address(p: u32, ) -> Weight {
		// Proof size (bytes): measured 1745, estimated 5527.
		// Minimum execution time: 1_275_505 ns.
		Weight::from_parts(1_548_201_585, 5527)
			.saturating_add(Weight::from_parts(43_234, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(12))
			.saturating_add(T::DbWeight::get().writes(9))
	}
	fn cancel_request() -> Weight {
		// Proof size (bytes): measured 2513, estimated 8799.
		// Minimum execution time: 270_207 ns.
		Weight::from_parts(332_156_000, 8799)
			.saturating_add(T::DbWeight::get().reads(14))
			.saturating_add(T::DbWeight::get().writes(12))
	}
	/// `r` in `[0, 16]`.
	fn revoke_address(r: u32, ) -> Weight {
		// Proof size (bytes): measured 2426 + r × 317, estimated 9761 + r × 6956.
		// Minimum execution time: 112_511 ns.
		Weight::from_parts(179_910_817, 9761)
			.saturating_add(Weight::from_parts(234_469_978, 0).saturating_mul(r.into()))
			.saturating_add(Weight::from_parts(0, 6956).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(12))
			.saturating_add(T::DbWeight::get().writes(9))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(r.into())))
			.saturating_add(T::DbWeight::get().writes((5_u64).saturating_mul(r.into())))
	}
	fn take_over_deposit() -> Weight {
		// Proof size (bytes): measured 910, estimated 6552.
		// Minimum execution time: 152_929 ns.
		Weight::from_parts(243_155_000, 6552)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn on_signature_outcome() -> Weight {
		// Proof size (bytes): measured 442, estimated 3728.
		// Minimum execution time: 39_421 ns.
		Weight::from_parts(73_449_000, 3728)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn ensure_can_close() -> Weight {
		// Proof size (bytes): measured 6, estimated 3728.
		// Minimum execution time: 6_554 ns.
		Weight::from_parts(15_247_000, 3728)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(0))
	}
}

/// The same measurements with RocksDB's database weights, for tests.
impl WeightInfo for () {
	fn provision_address() -> Weight {
		Weight::from_parts(1_291_759_000, 4005)
			.saturating_add(RocksDbWeight::get().reads(7))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn sign_with_address(p: u32, ) -> Weight {
		Weight::from_parts(1_548_201_585, 5527)
			.saturating_add(Weight::from_parts(43_234, 0).saturating_mul(p.into()))
			.saturating_add(RocksDbWeight::get().reads(12))
			.saturating_add(RocksDbWeight::get().writes(9))
	}
	fn cancel_request() -> Weight {
		Weight::from_parts(332_156_000, 8799)
			.saturating_add(RocksDbWeight::get().reads(14))
			.saturating_add(RocksDbWeight::get().writes(12))
	}
	fn revoke_address(r: u32, ) -> Weight {
		Weight::from_parts(179_910_817, 9761)
			.saturating_add(Weight::from_parts(234_469_978, 0).saturating_mul(r.into()))
			.saturating_add(Weight::from_parts(0, 6956).saturating_mul(r.into()))
			.saturating_add(RocksDbWeight::get().reads(12))
			.saturating_add(RocksDbWeight::get().writes(9))
			.saturating_add(RocksDbWeight::get().reads((3_u64).saturating_mul(r.into())))
			.saturating_add(RocksDbWeight::get().writes((5_u64).saturating_mul(r.into())))
	}
	fn take_over_deposit() -> Weight {
		Weight::from_parts(243_155_000, 6552)
			.saturating_add(RocksDbWeight::get().reads(8))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn on_signature_outcome() -> Weight {
		Weight::from_parts(73_449_000, 3728)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn ensure_can_close() -> Weight {
		Weight::from_parts(15_247_000, 3728)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(0))
	}
}
