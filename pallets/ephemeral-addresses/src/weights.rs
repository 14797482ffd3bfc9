//! Weights for `pallet_ephemeral_addresses`.
//!
//! Storage terms are exact (counted from the code). Computation terms are estimates until
//! benchmark results replace them: provisioning derives along a depth-4 path in wasm (one
//! secp256k1 scalar multiplication per step, estimated 1 ms each) and hashes the key for the
//! address. `sign_with_address` adds the threshold-signers request weight on top.

#![allow(unused_parens, unused_imports)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, RuntimeDbWeight, Weight},
};

/// Weight functions needed by `pallet_ephemeral_addresses`.
pub trait WeightInfo {
	/// `provision_address`.
	fn provision_address() -> Weight;
	/// `sign_with_address`, without the signer pallet's own part.
	fn sign_with_address() -> Weight;
	/// `revoke_address`.
	fn revoke_address() -> Weight;
}

fn provision_address(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(4_300_000_000, 8_000).saturating_add(db.reads_writes(5, 4))
}
fn sign_with_address(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(25_000_000, 6_000).saturating_add(db.reads_writes(2, 2))
}
fn revoke_address(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(18_000_000, 6_000).saturating_add(db.reads_writes(2, 1))
}

/// Weights for a runtime, with its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn provision_address() -> Weight {
		provision_address(T::DbWeight::get())
	}
	fn sign_with_address() -> Weight {
		sign_with_address(T::DbWeight::get())
	}
	fn revoke_address() -> Weight {
		revoke_address(T::DbWeight::get())
	}
}

/// For tests: the same formulas with RocksDB weights.
impl WeightInfo for () {
	fn provision_address() -> Weight {
		provision_address(RocksDbWeight::get())
	}
	fn sign_with_address() -> Weight {
		sign_with_address(RocksDbWeight::get())
	}
	fn revoke_address() -> Weight {
		revoke_address(RocksDbWeight::get())
	}
}
