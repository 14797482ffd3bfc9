//! Weights for `pallet_threshold_signers`.
//!
//! Storage terms are exact (counted from the code). Computation terms are estimates until
//! benchmark results replace them: BIP32 derivation in wasm is dominated by one secp256k1
//! scalar multiplication per path step (estimated 1 ms each), hashing by the payload length,
//! and signature verification by the secp256k1 recovery host function (~60 µs).

#![allow(unused_parens, unused_imports)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, RuntimeDbWeight, Weight},
};

/// Weight functions needed by `pallet_threshold_signers`.
pub trait WeightInfo {
	/// `register_signer`.
	fn register_signer() -> Weight;
	/// `deregister_signer`.
	fn deregister_signer() -> Weight;
	/// `create_committee` with `n` members.
	fn create_committee(n: u32) -> Weight;
	/// `request_keygen`.
	fn request_keygen() -> Weight;
	/// `report_keygen` in a committee of `n`.
	fn report_keygen(n: u32) -> Weight;
	/// `request_signature` with a path of depth `d` and a payload of `p` bytes.
	fn request_signature(d: u32, p: u32) -> Weight;
	/// `submit_signature`.
	fn submit_signature() -> Weight;
	/// `clear_request`.
	fn clear_request() -> Weight;
	/// `on_initialize` processing `k` deadlines.
	fn on_initialize(k: u32) -> Weight;
}

fn register_signer(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(18_000_000, 3_600).saturating_add(db.reads_writes(1, 1))
}
fn deregister_signer(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(16_000_000, 3_600).saturating_add(db.reads_writes(1, 1))
}
fn create_committee(db: RuntimeDbWeight, n: u32) -> Weight {
	Weight::from_parts(20_000_000, 3_600)
		.saturating_add(Weight::from_parts(4_000_000, 2_600).saturating_mul(n as u64))
		.saturating_add(db.reads_writes(1 + 2 * n as u64, 2 + n as u64))
}
fn request_keygen(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(25_000_000, 6_000).saturating_add(db.reads_writes(3, 3))
}
fn report_keygen(db: RuntimeDbWeight, n: u32) -> Weight {
	// Validating the point costs one decompression (~0.3 ms in wasm).
	Weight::from_parts(330_000_000, 6_000)
		.saturating_add(Weight::from_parts(3_000_000, 2_600).saturating_mul(n as u64))
		.saturating_add(db.reads_writes(3 + n as u64, 2 + n as u64))
}
fn request_signature(db: RuntimeDbWeight, d: u32, p: u32) -> Weight {
	Weight::from_parts(60_000_000, 8_000)
		.saturating_add(Weight::from_parts(1_000_000_000, 0).saturating_mul(d as u64))
		.saturating_add(Weight::from_parts(8_000, 1).saturating_mul(p as u64))
		.saturating_add(db.reads_writes(7, 6))
}
fn submit_signature(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(110_000_000, 9_000).saturating_add(db.reads_writes(3, 1))
}
fn clear_request(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(40_000_000, 9_000).saturating_add(db.reads_writes(3, 3))
}
fn on_initialize(db: RuntimeDbWeight, k: u32) -> Weight {
	// Worst case per deadline: re-assigning (hash, request + key + committee reads, request
	// and queue writes) or failing a keygen of a full committee.
	Weight::from_parts(5_000_000, 1_000)
		.saturating_add(Weight::from_parts(40_000_000, 12_000).saturating_mul(k as u64))
		.saturating_add(db.reads_writes(1, 1))
		.saturating_add(db.reads_writes(4, 3).saturating_mul(k as u64))
}

/// Weights for a runtime, with its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_signer() -> Weight {
		register_signer(T::DbWeight::get())
	}
	fn deregister_signer() -> Weight {
		deregister_signer(T::DbWeight::get())
	}
	fn create_committee(n: u32) -> Weight {
		create_committee(T::DbWeight::get(), n)
	}
	fn request_keygen() -> Weight {
		request_keygen(T::DbWeight::get())
	}
	fn report_keygen(n: u32) -> Weight {
		report_keygen(T::DbWeight::get(), n)
	}
	fn request_signature(d: u32, p: u32) -> Weight {
		request_signature(T::DbWeight::get(), d, p)
	}
	fn submit_signature() -> Weight {
		submit_signature(T::DbWeight::get())
	}
	fn clear_request() -> Weight {
		clear_request(T::DbWeight::get())
	}
	fn on_initialize(k: u32) -> Weight {
		on_initialize(T::DbWeight::get(), k)
	}
}

/// For tests: the same formulas with RocksDB weights.
impl WeightInfo for () {
	fn register_signer() -> Weight {
		register_signer(RocksDbWeight::get())
	}
	fn deregister_signer() -> Weight {
		deregister_signer(RocksDbWeight::get())
	}
	fn create_committee(n: u32) -> Weight {
		create_committee(RocksDbWeight::get(), n)
	}
	fn request_keygen() -> Weight {
		request_keygen(RocksDbWeight::get())
	}
	fn report_keygen(n: u32) -> Weight {
		report_keygen(RocksDbWeight::get(), n)
	}
	fn request_signature(d: u32, p: u32) -> Weight {
		request_signature(RocksDbWeight::get(), d, p)
	}
	fn submit_signature() -> Weight {
		submit_signature(RocksDbWeight::get())
	}
	fn clear_request() -> Weight {
		clear_request(RocksDbWeight::get())
	}
	fn on_initialize(k: u32) -> Weight {
		on_initialize(RocksDbWeight::get(), k)
	}
}
