//! Weights for `pallet_meta_accounts`, measured by `waas-node benchmark pallet` (see
//! `scripts/benchmarks/run.sh`, the README's weight table and BENCHMARKS.md). Generated: edit
//! the benchmarks, not this file.
//!
//! Benchmark CLI 64.0.0, 2026-12-01: steps 20, repeat 10, wasm
//! execution `Compiled`, the dev chain's runtime; CPU `Intel(R) Xeon(R) Processor` (2 cores).

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
	fn propose_change() -> Weight;
	fn veto_change() -> Weight;
	fn enact_change() -> Weight;
	fn close_meta_account(i: u32, c: u32, ) -> Weight;
	fn add_passkey() -> Weight;
	fn add_evm_wallet() -> Weight;
	fn create_with_passkey() -> Weight;
	fn create_with_evm_wallet() -> Weight;
	fn dispatch_envelope_passkey() -> Weight;
	fn dispatch_envelope_evm() -> Weight;
	fn verify_passkey_assertion() -> Weight;
	fn set_sponsorship() -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create() -> Weight {
		// Proof size (bytes): measured 109, estimated 4060.
		// Minimum execution time: 84_306 ns.
		Weight::from_parts(102_947_000, 4060)
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn invite_authenticator() -> Weight {
		// Proof size (bytes): measured 2322, estimated 6552.
		// Minimum execution time: 126_445 ns.
		Weight::from_parts(150_473_000, 6552)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn accept_invitation() -> Weight {
		// Proof size (bytes): measured 2066, estimated 6326.
		// Minimum execution time: 173_239 ns.
		Weight::from_parts(209_311_000, 6326)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(8))
	}
	fn cancel_invitation() -> Weight {
		// Proof size (bytes): measured 1419, estimated 4060.
		// Minimum execution time: 161_542 ns.
		Weight::from_parts(216_465_000, 4060)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn remove_authenticator() -> Weight {
		// Proof size (bytes): measured 2879, estimated 28935.
		// Minimum execution time: 619_998 ns.
		Weight::from_parts(832_633_000, 28935)
			.saturating_add(T::DbWeight::get().reads(16))
			.saturating_add(T::DbWeight::get().writes(15))
	}
	fn propose_change() -> Weight {
		// Proof size (bytes): measured 1961, estimated 6834.
		// Minimum execution time: 133_068 ns.
		Weight::from_parts(181_678_000, 6834)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn veto_change() -> Weight {
		// Proof size (bytes): measured 956, estimated 4095.
		// Minimum execution time: 92_216 ns.
		Weight::from_parts(111_701_000, 4095)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn enact_change() -> Weight {
		// Proof size (bytes): measured 2374, estimated 28935.
		// Minimum execution time: 564_588 ns.
		Weight::from_parts(873_730_000, 28935)
			.saturating_add(T::DbWeight::get().reads(15))
			.saturating_add(T::DbWeight::get().writes(15))
	}
	/// `i` in `[0, 8]`.
	/// `c` in `[0, 8]`.
	fn close_meta_account(i: u32, c: u32, ) -> Weight {
		// Proof size (bytes): measured 927 + c × 48 + i × 182, estimated 6196 + c × 3105 + i × 2882.
		// Minimum execution time: 547_817 ns.
		Weight::from_parts(563_594_154, 6196)
			.saturating_add(Weight::from_parts(42_073_065, 0).saturating_mul(i.into()))
			.saturating_add(Weight::from_parts(57_669_529, 0).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(0, 3105).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(0, 2882).saturating_mul(i.into()))
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(5))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(i.into())))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(i.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(c.into())))
	}
	fn add_passkey() -> Weight {
		// Proof size (bytes): measured 1874, estimated 6552.
		// Minimum execution time: 1_838_355 ns.
		Weight::from_parts(3_476_377_000, 6552)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn add_evm_wallet() -> Weight {
		// Proof size (bytes): measured 1874, estimated 6552.
		// Minimum execution time: 223_540 ns.
		Weight::from_parts(362_521_000, 6552)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn create_with_passkey() -> Weight {
		// Proof size (bytes): measured 234, estimated 4060.
		// Minimum execution time: 1_766_199 ns.
		Weight::from_parts(2_098_092_000, 4060)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn create_with_evm_wallet() -> Weight {
		// Proof size (bytes): measured 163, estimated 4060.
		// Minimum execution time: 267_561 ns.
		Weight::from_parts(323_757_000, 4060)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn dispatch_envelope_passkey() -> Weight {
		// Proof size (bytes): measured 1163, estimated 4095.
		// Minimum execution time: 1_851_854 ns.
		Weight::from_parts(3_592_111_000, 4095)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn dispatch_envelope_evm() -> Weight {
		// Proof size (bytes): measured 575, estimated 4095.
		// Minimum execution time: 239_552 ns.
		Weight::from_parts(417_952_000, 4095)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn verify_passkey_assertion() -> Weight {
		// Proof size (bytes): measured 0, estimated 0.
		// Minimum execution time: 1_699_172 ns.
		Weight::from_parts(3_109_432_000, 0)
			.saturating_add(T::DbWeight::get().reads(0))
			.saturating_add(T::DbWeight::get().writes(0))
	}
	fn set_sponsorship() -> Weight {
		// Proof size (bytes): measured 146, estimated 3658.
		// Minimum execution time: 74_670 ns.
		Weight::from_parts(90_639_000, 3658)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
}

/// The same measurements with RocksDB's database weights, for tests.
impl WeightInfo for () {
	fn create() -> Weight {
		Weight::from_parts(102_947_000, 4060)
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn invite_authenticator() -> Weight {
		Weight::from_parts(150_473_000, 6552)
			.saturating_add(RocksDbWeight::get().reads(7))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn accept_invitation() -> Weight {
		Weight::from_parts(209_311_000, 6326)
			.saturating_add(RocksDbWeight::get().reads(7))
			.saturating_add(RocksDbWeight::get().writes(8))
	}
	fn cancel_invitation() -> Weight {
		Weight::from_parts(216_465_000, 4060)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn remove_authenticator() -> Weight {
		Weight::from_parts(832_633_000, 28935)
			.saturating_add(RocksDbWeight::get().reads(16))
			.saturating_add(RocksDbWeight::get().writes(15))
	}
	fn propose_change() -> Weight {
		Weight::from_parts(181_678_000, 6834)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn veto_change() -> Weight {
		Weight::from_parts(111_701_000, 4095)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn enact_change() -> Weight {
		Weight::from_parts(873_730_000, 28935)
			.saturating_add(RocksDbWeight::get().reads(15))
			.saturating_add(RocksDbWeight::get().writes(15))
	}
	fn close_meta_account(i: u32, c: u32, ) -> Weight {
		Weight::from_parts(563_594_154, 6196)
			.saturating_add(Weight::from_parts(42_073_065, 0).saturating_mul(i.into()))
			.saturating_add(Weight::from_parts(57_669_529, 0).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(0, 3105).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(0, 2882).saturating_mul(i.into()))
			.saturating_add(RocksDbWeight::get().reads(8))
			.saturating_add(RocksDbWeight::get().writes(5))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(i.into())))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(i.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(c.into())))
	}
	fn add_passkey() -> Weight {
		Weight::from_parts(3_476_377_000, 6552)
			.saturating_add(RocksDbWeight::get().reads(7))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn add_evm_wallet() -> Weight {
		Weight::from_parts(362_521_000, 6552)
			.saturating_add(RocksDbWeight::get().reads(7))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn create_with_passkey() -> Weight {
		Weight::from_parts(2_098_092_000, 4060)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn create_with_evm_wallet() -> Weight {
		Weight::from_parts(323_757_000, 4060)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn dispatch_envelope_passkey() -> Weight {
		Weight::from_parts(3_592_111_000, 4095)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn dispatch_envelope_evm() -> Weight {
		Weight::from_parts(417_952_000, 4095)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn verify_passkey_assertion() -> Weight {
		Weight::from_parts(3_109_432_000, 0)
			.saturating_add(RocksDbWeight::get().reads(0))
			.saturating_add(RocksDbWeight::get().writes(0))
	}
	fn set_sponsorship() -> Weight {
		Weight::from_parts(90_639_000, 3658)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
}
