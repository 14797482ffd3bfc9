//! Weights for `pallet_threshold_signers`, measured by `waas-node benchmark pallet` (see
//! `scripts/benchmarks/run.sh`, the README's weight table and BENCHMARKS.md). Generated: edit
//! the benchmarks, not this file.
//!
//! Benchmark CLI 64.0.0, 2026-12-04: steps 20, repeat 10, wasm
//! execution `Compiled`, the dev chain's runtime; CPU `Intel(R) Xeon(R) Processor` (2 cores).

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
	fn report_fault() -> Weight;
	fn agenda_prune() -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_signer() -> Weight {
		// Proof size (bytes): measured 58, estimated 3683.
		// Minimum execution time: 27_013 ns.
		Weight::from_parts(49_296_000, 3683)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn update_signer() -> Weight {
		// Proof size (bytes): measured 354, estimated 3683.
		// Minimum execution time: 25_912 ns.
		Weight::from_parts(50_387_000, 3683)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn deregister_signer() -> Weight {
		// Proof size (bytes): measured 426, estimated 3683.
		// Minimum execution time: 29_588 ns.
		Weight::from_parts(36_595_000, 3683)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	/// `n` in `[2, 16]`.
	fn create_committee(n: u32, ) -> Weight {
		// Proof size (bytes): measured 61 + n × 226, estimated 1489 + n × 2693.
		// Minimum execution time: 30_982 ns.
		Weight::from_parts(24_138_733, 1489)
			.saturating_add(Weight::from_parts(9_606_351, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2693).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(2))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	/// `n` in `[2, 16]`.
	fn dissolve_committee(n: u32, ) -> Weight {
		// Proof size (bytes): measured 127 + n × 258, estimated 4001 + n × 2693.
		// Minimum execution time: 35_265 ns.
		Weight::from_parts(29_339_215, 4001)
			.saturating_add(Weight::from_parts(8_194_293, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2693).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(2))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	/// `n` in `[2, 16]`.
	fn request_keygen(n: u32, ) -> Weight {
		// Proof size (bytes): measured 142 + n × 32, estimated 4001.
		// Minimum execution time: 24_812 ns.
		Weight::from_parts(44_952_657, 4001)
			.saturating_add(Weight::from_parts(592_109, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	/// `n` in `[2, 16]`.
	fn report_keygen(n: u32, ) -> Weight {
		// Proof size (bytes): measured 228 + n × 117, estimated 4005 + n × 2600.
		// Minimum execution time: 68_105 ns.
		Weight::from_parts(102_916_213, 4005)
			.saturating_add(Weight::from_parts(11_739_752, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2600).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(3))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	/// `q` in `[0, 264]`.
	fn retire_key(q: u32, ) -> Weight {
		// Proof size (bytes): measured 1249 + q × 4347, estimated 5527 + q × 6956.
		// Minimum execution time: 48_479 ns.
		Weight::from_parts(1_358_610_424, 5527)
			.saturating_add(Weight::from_parts(116_010_145, 0).saturating_mul(q.into()))
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
		// Minimum execution time: 315_687 ns.
		Weight::from_parts(223_849_549, 5527)
			.saturating_add(Weight::from_parts(317_982_141, 0).saturating_mul(d.into()))
			.saturating_add(Weight::from_parts(5_480, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn submit_signature() -> Weight {
		// Proof size (bytes): measured 11415, estimated 45241.
		// Minimum execution time: 954_595 ns.
		Weight::from_parts(1_118_457_000, 45241)
			.saturating_add(T::DbWeight::get().reads(25))
			.saturating_add(T::DbWeight::get().writes(25))
	}
	fn cancel_request() -> Weight {
		// Proof size (bytes): measured 11415, estimated 45241.
		// Minimum execution time: 892_460 ns.
		Weight::from_parts(990_557_000, 45241)
			.saturating_add(T::DbWeight::get().reads(25))
			.saturating_add(T::DbWeight::get().writes(25))
	}
	fn check_signer_submission() -> Weight {
		// Proof size (bytes): measured 5256, estimated 7946.
		// Minimum execution time: 69_446 ns.
		Weight::from_parts(109_999_000, 7946)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(0))
	}
	fn agenda_empty() -> Weight {
		// Proof size (bytes): measured 32, estimated 3495.
		// Minimum execution time: 9_060 ns.
		Weight::from_parts(17_766_000, 3495)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// `n` in `[2, 16]`.
	fn agenda_keygen_expiry(n: u32, ) -> Weight {
		// Proof size (bytes): measured 275 + n × 74, estimated 4005 + n × 2600.
		// Minimum execution time: 42_829 ns.
		Weight::from_parts(68_746_722, 4005)
			.saturating_add(Weight::from_parts(7_399_778, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2600).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(3))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
	}
	fn agenda_attempt_expiry() -> Weight {
		// Proof size (bytes): measured 13847, estimated 44078.
		// Minimum execution time: 332_105 ns.
		Weight::from_parts(557_559_000, 44078)
			.saturating_add(T::DbWeight::get().reads(25))
			.saturating_add(T::DbWeight::get().writes(25))
	}
	fn report_fault() -> Weight {
		// Proof size (bytes): measured 10420, estimated 14902.
		// Minimum execution time: 280_632 ns.
		Weight::from_parts(443_702_000, 14902)
			.saturating_add(T::DbWeight::get().reads(11))
			.saturating_add(T::DbWeight::get().writes(12))
	}
	fn agenda_prune() -> Weight {
		// Proof size (bytes): measured 4610, estimated 7946.
		// Minimum execution time: 15_882 ns.
		Weight::from_parts(23_495_000, 7946)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
}

/// The same measurements with RocksDB's database weights, for tests.
impl WeightInfo for () {
	fn register_signer() -> Weight {
		Weight::from_parts(49_296_000, 3683)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn update_signer() -> Weight {
		Weight::from_parts(50_387_000, 3683)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn deregister_signer() -> Weight {
		Weight::from_parts(36_595_000, 3683)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn create_committee(n: u32, ) -> Weight {
		Weight::from_parts(24_138_733, 1489)
			.saturating_add(Weight::from_parts(9_606_351, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2693).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(2))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	fn dissolve_committee(n: u32, ) -> Weight {
		Weight::from_parts(29_339_215, 4001)
			.saturating_add(Weight::from_parts(8_194_293, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2693).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(2))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	fn request_keygen(n: u32, ) -> Weight {
		Weight::from_parts(44_952_657, 4001)
			.saturating_add(Weight::from_parts(592_109, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn report_keygen(n: u32, ) -> Weight {
		Weight::from_parts(102_916_213, 4005)
			.saturating_add(Weight::from_parts(11_739_752, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2600).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(3))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	fn retire_key(q: u32, ) -> Weight {
		Weight::from_parts(1_358_610_424, 5527)
			.saturating_add(Weight::from_parts(116_010_145, 0).saturating_mul(q.into()))
			.saturating_add(Weight::from_parts(0, 6956).saturating_mul(q.into()))
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(12))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(q.into())))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(q.into())))
	}
	fn request_signature(d: u32, p: u32, ) -> Weight {
		Weight::from_parts(223_849_549, 5527)
			.saturating_add(Weight::from_parts(317_982_141, 0).saturating_mul(d.into()))
			.saturating_add(Weight::from_parts(5_480, 0).saturating_mul(p.into()))
			.saturating_add(RocksDbWeight::get().reads(7))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn submit_signature() -> Weight {
		Weight::from_parts(1_118_457_000, 45241)
			.saturating_add(RocksDbWeight::get().reads(25))
			.saturating_add(RocksDbWeight::get().writes(25))
	}
	fn cancel_request() -> Weight {
		Weight::from_parts(990_557_000, 45241)
			.saturating_add(RocksDbWeight::get().reads(25))
			.saturating_add(RocksDbWeight::get().writes(25))
	}
	fn check_signer_submission() -> Weight {
		Weight::from_parts(109_999_000, 7946)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(0))
	}
	fn agenda_empty() -> Weight {
		Weight::from_parts(17_766_000, 3495)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn agenda_keygen_expiry(n: u32, ) -> Weight {
		Weight::from_parts(68_746_722, 4005)
			.saturating_add(Weight::from_parts(7_399_778, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2600).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(3))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
	}
	fn agenda_attempt_expiry() -> Weight {
		Weight::from_parts(557_559_000, 44078)
			.saturating_add(RocksDbWeight::get().reads(25))
			.saturating_add(RocksDbWeight::get().writes(25))
	}
	fn report_fault() -> Weight {
		Weight::from_parts(443_702_000, 14902)
			.saturating_add(RocksDbWeight::get().reads(11))
			.saturating_add(RocksDbWeight::get().writes(12))
	}
	fn agenda_prune() -> Weight {
		Weight::from_parts(23_495_000, 7946)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
}
