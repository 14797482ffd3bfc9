//! Weights for `pallet_threshold_signers`, measured by `waas-node benchmark pallet` (see
//! `scripts/benchmarks/run.sh`, the README's weight table and BENCHMARKS.md). Generated: edit
//! the benchmarks, not this file.
//!
//! Benchmark CLI 64.0.0, 2026-11-25: steps 20, repeat 10, wasm
//! execution `Compiled`, the dev chain's runtime; CPU `AMD EPYC` (2 cores).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions of `pallet_threshold_signers`.
pub trait WeightInfo {
	fn register_signer() -> Weight;
	fn update_signer() -> Weight;
	fn deregister_signer() -> Weight;
	fn create_committee(n: u32, ) -> Weight;
	fn dissolve_committee(n: u32, ) -> Weight;
	fn request_keygen(n: u32, ) -> Weight;
	fn report_keygen(n: u32, ) -> Weight;
	fn retire_key(q: u32, ) -> Weight;
	fn request_signature(d: u32, p: u32, ) -> Weight;
	fn submit_signature() -> Weight;
	fn cancel_request() -> Weight;
	fn check_signer_submission() -> Weight;
	fn agenda_empty() -> Weight;
	fn agenda_keygen_expiry(n: u32, ) -> Weight;
	fn agenda_attempt_expiry() -> Weight;
	fn agenda_prune() -> Weight;
	fn report_fault() -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_signer() -> Weight {
		// Proof size (bytes): measured 58, estimated 3683.
		// Minimum execution time: 20_691 ns.
		Weight::from_parts(22_414_000, 3683)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn update_signer() -> Weight {
		// Proof size (bytes): measured 354, estimated 3683.
		// Minimum execution time: 20_601 ns.
		Weight::from_parts(22_083_000, 3683)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn deregister_signer() -> Weight {
		// Proof size (bytes): measured 426, estimated 3683.
		// Minimum execution time: 21_412 ns.
		Weight::from_parts(23_255_000, 3683)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	/// `n` in `[2, 16]`.
	fn create_committee(n: u32, ) -> Weight {
		// Proof size (bytes): measured 61 + n × 226, estimated 1489 + n × 2693.
		// Minimum execution time: 24_115 ns.
		Weight::from_parts(10_974_241, 1489)
			.saturating_add(Weight::from_parts(7_252_135, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2693).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(2))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	/// `n` in `[2, 16]`.
	fn dissolve_committee(n: u32, ) -> Weight {
		// Proof size (bytes): measured 127 + n × 258, estimated 4001 + n × 2693.
		// Minimum execution time: 22_553 ns.
		Weight::from_parts(12_634_030, 4001)
			.saturating_add(Weight::from_parts(5_509_837, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2693).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	/// `n` in `[2, 16]`.
	fn request_keygen(n: u32, ) -> Weight {
		// Proof size (bytes): measured 142 + n × 32, estimated 4001.
		// Minimum execution time: 18_598 ns.
		Weight::from_parts(19_660_669, 4001)
			.saturating_add(Weight::from_parts(210_544, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	/// `n` in `[2, 16]`.
	fn report_keygen(n: u32, ) -> Weight {
		// Proof size (bytes): measured 228 + n × 117, estimated 4005 + n × 2600.
		// Minimum execution time: 54_751 ns.
		Weight::from_parts(45_963_146, 4005)
			.saturating_add(Weight::from_parts(6_277_674, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2600).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(3))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	/// `q` in `[0, 264]`.
	fn retire_key(q: u32, ) -> Weight {
		// Proof size (bytes): measured 1249 + q × 4347, estimated 5527 + q × 6956.
		// Minimum execution time: 25_377 ns.
		Weight::from_parts(99_665_058, 5527)
			.saturating_add(Weight::from_parts(90_468_968, 0).saturating_mul(q.into()))
			.saturating_add(Weight::from_parts(0, 6956).saturating_mul(q.into()))
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(12))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(q.into())))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(q.into())))
	}
	/// `d` in `[1, 8]`.
	/// `p` in `[1, 4096]`.
	fn request_signature(d: u32, p: u32, ) -> Weight {
		// Proof size (bytes): measured 1143, estimated 5527.
		// Minimum execution time: 255_048 ns.
		Weight::from_parts(73_109_075, 5527)
			.saturating_add(Weight::from_parts(163_315_257, 0).saturating_mul(d.into()))
			.saturating_add(Weight::from_parts(5_778, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn submit_signature() -> Weight {
		// Proof size (bytes): measured 11415, estimated 45241.
		// Minimum execution time: 888_188 ns.
		Weight::from_parts(925_724_000, 45241)
			.saturating_add(T::DbWeight::get().reads(24))
			.saturating_add(T::DbWeight::get().writes(25))
	}
	fn cancel_request() -> Weight {
		// Proof size (bytes): measured 11415, estimated 45241.
		// Minimum execution time: 836_000 ns.
		Weight::from_parts(870_411_000, 45241)
			.saturating_add(T::DbWeight::get().reads(24))
			.saturating_add(T::DbWeight::get().writes(25))
	}
	fn check_signer_submission() -> Weight {
		// Proof size (bytes): measured 5256, estimated 7946.
		// Minimum execution time: 61_542 ns.
		Weight::from_parts(65_538_000, 7946)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(0))
	}
	fn agenda_empty() -> Weight {
		// Proof size (bytes): measured 32, estimated 3495.
		// Minimum execution time: 6_489 ns.
		Weight::from_parts(7_180_000, 3495)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// `n` in `[2, 16]`.
	fn agenda_keygen_expiry(n: u32, ) -> Weight {
		// Proof size (bytes): measured 275 + n × 74, estimated 4005 + n × 2600.
		// Minimum execution time: 31_858 ns.
		Weight::from_parts(25_586_438, 4005)
			.saturating_add(Weight::from_parts(4_071_857, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2600).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(3))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
	}
	fn agenda_attempt_expiry() -> Weight {
		// Proof size (bytes): measured 13847, estimated 44078.
		// Minimum execution time: 257_062 ns.
		Weight::from_parts(277_281_000, 44078)
			.saturating_add(T::DbWeight::get().reads(24))
			.saturating_add(T::DbWeight::get().writes(25))
	}
	fn agenda_prune() -> Weight {
		// Proof size (bytes): measured 4610, estimated 7946.
		// Minimum execution time: 13_650 ns.
		Weight::from_parts(14_692_000, 7946)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn report_fault() -> Weight {
		// Provisional (an attempt expiry plus the reports and records of every member) until
		// `scripts/benchmarks/run.sh` measures it.
		Weight::from_parts(300_000_000, 48000)
			.saturating_add(T::DbWeight::get().reads(42))
			.saturating_add(T::DbWeight::get().writes(28))
	}
}

/// The same measurements with RocksDB's database weights, for tests.
impl WeightInfo for () {
	fn register_signer() -> Weight {
		Weight::from_parts(22_414_000, 3683)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn update_signer() -> Weight {
		Weight::from_parts(22_083_000, 3683)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn deregister_signer() -> Weight {
		Weight::from_parts(23_255_000, 3683)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn create_committee(n: u32, ) -> Weight {
		Weight::from_parts(10_974_241, 1489)
			.saturating_add(Weight::from_parts(7_252_135, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2693).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(2))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	fn dissolve_committee(n: u32, ) -> Weight {
		Weight::from_parts(12_634_030, 4001)
			.saturating_add(Weight::from_parts(5_509_837, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2693).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	fn request_keygen(n: u32, ) -> Weight {
		Weight::from_parts(19_660_669, 4001)
			.saturating_add(Weight::from_parts(210_544, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn report_keygen(n: u32, ) -> Weight {
		Weight::from_parts(45_963_146, 4005)
			.saturating_add(Weight::from_parts(6_277_674, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2600).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(3))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	fn retire_key(q: u32, ) -> Weight {
		Weight::from_parts(99_665_058, 5527)
			.saturating_add(Weight::from_parts(90_468_968, 0).saturating_mul(q.into()))
			.saturating_add(Weight::from_parts(0, 6956).saturating_mul(q.into()))
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(12))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(q.into())))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(q.into())))
	}
	fn request_signature(d: u32, p: u32, ) -> Weight {
		Weight::from_parts(73_109_075, 5527)
			.saturating_add(Weight::from_parts(163_315_257, 0).saturating_mul(d.into()))
			.saturating_add(Weight::from_parts(5_778, 0).saturating_mul(p.into()))
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn submit_signature() -> Weight {
		Weight::from_parts(925_724_000, 45241)
			.saturating_add(RocksDbWeight::get().reads(24))
			.saturating_add(RocksDbWeight::get().writes(25))
	}
	fn cancel_request() -> Weight {
		Weight::from_parts(870_411_000, 45241)
			.saturating_add(RocksDbWeight::get().reads(24))
			.saturating_add(RocksDbWeight::get().writes(25))
	}
	fn check_signer_submission() -> Weight {
		Weight::from_parts(65_538_000, 7946)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(0))
	}
	fn agenda_empty() -> Weight {
		Weight::from_parts(7_180_000, 3495)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn agenda_keygen_expiry(n: u32, ) -> Weight {
		Weight::from_parts(25_586_438, 4005)
			.saturating_add(Weight::from_parts(4_071_857, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2600).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(3))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
	}
	fn agenda_attempt_expiry() -> Weight {
		Weight::from_parts(277_281_000, 44078)
			.saturating_add(RocksDbWeight::get().reads(24))
			.saturating_add(RocksDbWeight::get().writes(25))
	}
	fn agenda_prune() -> Weight {
		Weight::from_parts(14_692_000, 7946)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn report_fault() -> Weight {
		// Provisional (an attempt expiry plus the reports and records of every member) until
		// `scripts/benchmarks/run.sh` measures it.
		Weight::from_parts(300_000_000, 48000)
			.saturating_add(RocksDbWeight::get().reads(42))
			.saturating_add(RocksDbWeight::get().writes(28))
	}
}
